"""`make bench` (search): hostile queries against a normal one, on a multiplied corpus.

Imports ../shared/corpus/quicktakes into a fresh database, multiplies its articles by SQL
(``--copies``, 12 by default: about 36,000 articles), and times the search page for a
normal query, a common word and hostile input (thousands of words, 4,000 characters,
FTS5 and tsquery syntax, NUL bytes, invalid UTF-8, garbage pages). Each is printed as a
ratio to the normal query, beside the ceiling it must stay under. Runs on SQLite, and
also on PostgreSQL when ``DATABASE_URL`` points at one (in a database of its own, made
and dropped here). Exits 1 when any answer is a 5xx or any ratio is over its ceiling.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from tests.folders import CORPUS

ROOT = Path(__file__).resolve().parent.parent
NORMAL = "photosynthesis"
# Query string after /search/?, and the most times a normal query's time it may take
# (the first is the normal query).
QUERIES = [
    ("normal: photosynthesis", f"q={NORMAL}", None),
    ("common word: energy", "q=energy", 5),
    ("common word: the", "q=the", 5),
    ("common word, last page", "q=energy&page=25", 5),
    ("common word, one subject", "q=energy&subject=physics", 5),
    ("prefix: photosynth", "q=photosynth", 5),
    ("slip: photosynthsis", "q=photosynthsis", 5),
    (
        "3 slips, 10 words",
        "q=" + quote("the stages of photosynthsis in thermodinamics and recursoin of a cell"),
        5,
    ),
    ("unknown word, common trigrams", "q=" + "tion" * 7, 5),
    (
        "10 unknown long words",
        "q=" + quote(" ".join(f"zqx{chr(97 + n) * 3}vwkjpq" for n in range(10))),
        5,
    ),
    ("'a ' x 1000", "q=" + quote("a " * 1000), 5),
    ("4,000 characters, one word", "q=" + "x" * 4000, 5),
    ("4,000 characters of 'the '", "q=" + quote("the " * 1000), 5),
    ("10 common words", "q=" + quote("the of and energy data system can be used with"), 5),
    ("FTS5 syntax", "q=" + quote('NEAR("a" b) * ^c : AND OR NOT -'), 5),
    ("unbalanced quotes", "q=" + quote('"energy "the'), 5),
    ("lone -", "q=-", 5),
    ("NUL byte", "q=%00", 5),
    ("invalid UTF-8", "q=%FF%FEenergy%C3", 5),
    ("page garbage", "q=energy&page=%00x", 5),
    ("page 10**100", "q=energy&page=1" + "0" * 100, 5),
]
REPEAT = 7


def multiply(copies):
    """Each article again ``copies - 1`` times under a new slug, by SQL."""
    from django.db import connection, transaction

    from learn.models import Article

    columns = [
        field.column
        for field in Article._meta.concrete_fields
        if not field.primary_key and not field.generated
    ]
    selected = ["slug || %s" if column == "slug" else column for column in columns]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM learn_article")
        (last,) = cursor.fetchone()
        for copy in range(1, copies):
            cursor.execute(
                f"INSERT INTO learn_article ({', '.join(columns)})"
                f" SELECT {', '.join(selected)} FROM learn_article WHERE id <= %s",
                [f"-copy-{copy}", last],
            )
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: statistics for the planner, and the GIN
        # index's pending list merged (the planner shuns an index with a long one).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE learn_article")


def measure(copies):
    """In a child process whose DATABASE_URL is the fresh database: build, then time."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from learn.models import Article

    call_command("migrate", verbosity=0)
    call_command("import_quicktakes", str(CORPUS), verbosity=0)
    multiply(copies)
    count = Article.objects.published().count()
    print(f"{connection.vendor}, {count:,} published articles:")
    # Static URLs without collectstatic's manifest: the pages, not the files, are timed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    client = Client()
    times, failed = {}, False
    for label, query, ceiling in QUERIES:
        samples = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            response = client.get(f"/search/?{query}")
            samples.append(time.perf_counter() - start)
            if response.status_code >= 500:
                failed = True
                print(f"  {label}: {response.status_code}")
                break
        times[label] = statistics.median(samples)
        if ceiling is None:
            print(f"  {label:<30} {times[label] * 1000:8.1f} ms  (the normal query)")
            continue
        ratio = times[label] / times[QUERIES[0][0]]
        over = ratio > ceiling
        failed = failed or over
        print(
            f"  {label:<30} {times[label] * 1000:8.1f} ms  {ratio:5.1f}x normal"
            f"  (ceiling {ceiling}x){'  OVER' if over else ''}"
        )
    return failed


def postgres_database(url):
    """A database of its own on the server of ``url``, for one run."""
    import psycopg

    base, _, name = url.rpartition("/")
    bench = f"{name or 'postgres'}_bench_search"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{bench}"')
        connection.execute(f'CREATE DATABASE "{bench}"')
    return f"{base}/{bench}", bench


def drop_postgres_database(url, name):
    import psycopg

    with psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


# The environment of a bench's measuring child, beside the database it is given.
CHILD_ENV = {
    "SECRET_KEY": "bench-only",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_COOKIES": "0",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
}


def command_line(doc, measure):
    """The options of a bench that measures in a child process (``--copies``); in the
    child (``--measure``), measure and exit 1 on any failure."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--copies", type=int, default=12)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.exit(1 if measure(args.copies) else 0)
    if not CORPUS.is_dir():
        sys.exit(f"bench: the corpus is missing: {CORPUS}")
    return args


def main():
    args = command_line(__doc__, measure)
    env = {**os.environ, **CHILD_ENV}
    failed = False
    with tempfile.TemporaryDirectory(prefix="quicktakes-bench-search-") as workdir:
        targets = [f"sqlite:///{Path(workdir) / 'search.sqlite3'}"]
        server = os.environ.get("DATABASE_URL", "")
        postgres = server.startswith(("postgres://", "postgresql://"))
        if postgres:
            url, name = postgres_database(server)
            targets.append(url)
        try:
            for url in targets:
                child = [sys.executable, "-m", "bench.search", "--measure"]
                child += ["--copies", str(args.copies)]
                done = subprocess.run(child, env={**env, "DATABASE_URL": url}, cwd=ROOT)
                failed = failed or done.returncode != 0
        finally:
            if postgres:
                drop_postgres_database(server, name)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
