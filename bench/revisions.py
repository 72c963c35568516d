"""What recording revisions costs an import (`make bench`, or ``python -m bench.revisions``).

The sample is imported into fresh copies of one migrated SQLite database, alternately
with and without the articles' revisions (learn.history), RUNS times each; the fastest
of each (as timeit takes, the run least slowed by other work) of import_files() alone
are compared against the issue's ceiling of 15%. On a busy machine these vary by more
than that from run to run, so the run also prints
the share of the imports' own time spent recording the revisions (learn.history.record),
which the machine's load slows as much as the rest.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.folders import CORPUS

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
CEILING = 0.15


def import_seconds(path: Path, env: dict, *flags: str) -> tuple[int, float, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.imports", str(path), *flags],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    files, seconds, recording = out.split()
    return int(files), float(seconds), float(recording)


def revisions_cost(workdir: Path, env: dict) -> tuple[int, float, float, float]:
    """Files, the fastest seconds with and without revisions, and the median share of
    the imports with revisions spent recording them."""
    template = workdir / "revisions-template.sqlite3"
    database = workdir / "revisions.sqlite3"
    migrate_env = {**env, "DATABASE_URL": f"sqlite:///{template}"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        env=migrate_env,
        cwd=ROOT,
        check=True,
    )
    run_env = {**env, "DATABASE_URL": f"sqlite:///{database}"}
    times = {"with": [], "without": []}
    shares = []
    files = 0
    for _ in range(RUNS):
        for kind, flags in (("with", ()), ("without", ("--without-revisions",))):
            shutil.copyfile(template, database)
            files, seconds, recording = import_seconds(CORPUS, run_env, *flags)
            times[kind].append(seconds)
            if kind == "with":
                shares.append(recording / seconds)
    return (
        files,
        min(times["with"]),
        min(times["without"]),
        statistics.median(shares),
    )


def report(workdir: Path, env: dict) -> bool:
    """Print the figure; whether it is within the ceiling."""
    files, with_revisions, without, share = revisions_cost(workdir, env)
    cost = with_revisions / without - 1
    print(
        f"revisions: import of {files:,} files {with_revisions:.2f} s with the articles' "
        f"revisions, {without:.2f} s without (fastest of {RUNS} alternated runs): "
        f"{cost:+.0%} (ceiling +{CEILING:.0%}); recording them took {share:.1%} of "
        "the import's own time",
        flush=True,
    )
    return cost <= CEILING


def main():
    if not CORPUS.is_dir():
        sys.exit(f"bench: the corpus is missing: {CORPUS}")
    workdir = Path(tempfile.mkdtemp(prefix="quicktakes-bench-revisions-"))
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    try:
        if not report(workdir, env):
            sys.exit("bench: revisions cost an import more than the ceiling")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
