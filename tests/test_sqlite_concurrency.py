"""SQLite as the project configures it for one machine: readers never wait for a writer,
and a second writer waits for the first rather than failing.

Each test runs in a fresh process with the production settings on a SQLite file (whatever
database this suite runs on), as `make run` and an import in a second terminal do.
"""

import subprocess
import sys
import textwrap

from tests.folders import REPO
from tests.test_configuration import clean_environment

# Two connections of the project's settings to one file, each from its own
# DatabaseWrapper, as two processes of the site have. A reader gives up after half a
# second: in SQLite's rollback-journal mode it would wait for the writer's commit.
CONNECTIONS = """
    import threading, time
    import django
    django.setup()
    from django.db import connection as first, transaction
    from django.db.backends.sqlite3.base import DatabaseWrapper

    def another(timeout):
        settings = {**first.settings_dict, "OPTIONS": {**first.settings_dict["OPTIONS"]}}
        settings["OPTIONS"]["timeout"] = timeout
        return DatabaseWrapper(settings, alias="another")

    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE note (text TEXT)")
        cursor.execute("INSERT INTO note VALUES ('before')")
"""


def run(tmp_path, script):
    process = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CONNECTIONS) + textwrap.dedent(script)],
        env=clean_environment(
            SECRET_KEY="k",
            DJANGO_SETTINGS_MODULE="quicktakes.settings",
            DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        ),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    return process.stdout.split()


def test_a_reader_reads_the_committed_state_while_an_import_writes(tmp_path):
    """A writer whose changes outgrow its page cache (an import's thousands of rows) does
    not lock readers out: they read what was committed before it, at once."""
    seen = run(
        tmp_path,
        """
        reader = another(timeout=0.5)
        with transaction.atomic():
            with first.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = 10")
                cursor.executemany("INSERT INTO note VALUES (%s)", [("x" * 1000,)] * 2000)
            with reader.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM note")
                print(cursor.fetchone()[0])
        with reader.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM note")
            print(cursor.fetchone()[0])
        """,
    )
    assert seen == ["1", "2001"]


def test_a_second_writer_waits_for_the_first(tmp_path):
    """A transaction that reads, then writes (an editor's save) is not lost to a write
    arriving meanwhile: that second writer waits for the save to commit, then lands too."""
    seen = run(
        tmp_path,
        """
        other = another(timeout=10)
        started = threading.Event()

        def save():
            with transaction.atomic():
                with first.cursor() as cursor:
                    cursor.execute("SELECT COUNT(*) FROM note")
                    started.set()
                    time.sleep(0.3)
                    cursor.execute("INSERT INTO note VALUES ('save')")

        thread = threading.Thread(target=save)
        thread.start()
        started.wait()
        with other.cursor() as cursor:
            cursor.execute("INSERT INTO note VALUES ('other')")
        thread.join()
        with other.cursor() as cursor:
            cursor.execute("SELECT text FROM note ORDER BY rowid")
            print(*[text for (text,) in cursor.fetchall()])
        """,
    )
    assert seen == ["before", "save", "other"]
