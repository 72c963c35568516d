"""The folders the suite, `make bench` and `make audit` read: the repository's and the corpus."""

import importlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The shared folder sits beside the checkout, or beside the folder of worktrees.
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared").is_dir()), REPO.parent)
CORPUS = SHARED / "corpus" / "quicktakes"
FIXTURES = REPO / "fixtures"
NODE_MODULES = REPO / "node_modules"
MIGRATIONS = REPO / "learn" / "migrations"


def migration(name):
    """A learn migration by the name after its number (numbers change as branches merge)."""
    (path,) = MIGRATIONS.glob(f"[0-9][0-9][0-9][0-9]_{name}.py")
    return importlib.import_module(f"learn.migrations.{path.stem}")
