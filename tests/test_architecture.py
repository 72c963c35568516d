"""The layering the README's layout describes, checked on the source."""

import ast
from pathlib import Path

import pytest

LEARN = Path(__file__).resolve().parent.parent / "learn"
# Pure modules: no ORM, so they run in worker processes and test without a database.
PURE = [
    "decoding",
    "diffs",
    "keywords",
    "links",
    "parsing",
    "paths",
    "rendering",
    "sources",
    "uploads",
    "writing",
]
# The only modules that may write an import.
IMPORTERS = {"import_runs.py", "management/commands/import_quicktakes.py", "admin.py"}
# What other services may share with the importer: an article's topics and related
# links written as an import writes them (a restore, learn.editorial).
SHARED_WRITERS = {"learn.importer.replace_topics", "learn.importer.resolve_links_of"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_command_the_admin_and_import_runs_use_the_importer():
    """Everything else reads and writes through models and services."""

    def uses_importer(path):
        names = {
            name
            for name in imported_modules(path)
            if name == "learn.importer" or name.startswith("learn.importer.")
        }
        # "import learn.importer" names the module alone, "from ... import" also its names.
        return names == {"learn.importer"} or bool(names - {"learn.importer"} - SHARED_WRITERS)

    users = {
        str(path.relative_to(LEARN))
        for path in LEARN.rglob("*.py")
        if "migrations" not in path.parts and path.name != "importer.py"
        if uses_importer(path)
    }
    assert users <= IMPORTERS


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_never_import_the_orm(name):
    """Parsing, rendering and file handling never touch the database."""
    imports = imported_modules(LEARN / f"{name}.py")
    assert not {i for i in imports if i.startswith(("django.db", "learn.models"))}
