"""Peak memory of an admin upload: 200 members of about 1 MiB each, dry run then apply.

Each member is a valid article whose front matter carries about 1 MiB in a key the
importer keeps (``notes``), the largest file an upload accepts; the zip itself is small,
since the text compresses well. Runs in a child process on a fresh SQLite database and
prints that process's peak RSS. Run with ``.venv/bin/python -m bench.upload_memory``.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 200
MEMBER_BYTES = 1_040_000

ARTICLE = """---
id: {number}
date: 2024-12-11
title: Upload {number}
question: What is upload {number}?
answer: A short answer.
subject: Bench
url: /learn/bench/questions/upload-{number}
seo:
  title: T
  page_description: D
  page_keywords: k
author: A
file_name: upload-{number}.md
notes: '{notes}'
---
&nbsp;
"""

CHILD = """
import django, io, resource, zipfile
django.setup()
from django.core.management import call_command
from learn import import_runs
from bench.upload_memory import upload
call_command("migrate", "--no-input", verbosity=0)
files = upload()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
run = import_runs.upload_dry_run(files=files, source="bench.zip", user=None)
del files
run = import_runs.upload_apply(run)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{run.created} created, {run.failed} failed; "
      f"peak RSS {peak / 1024:,.0f} MiB ({before / 1024:,.0f} MiB before the upload)")
"""


def upload() -> bytes:
    """The zip an editor would upload."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(1, MEMBERS + 1):
            head = ARTICLE.format(number=number, notes="")
            notes = f"{number} " * ((MEMBER_BYTES - len(head)) // (len(str(number)) + 1))
            archive.writestr(f"upload-{number}.md", ARTICLE.format(number=number, notes=notes))
    return buffer.getvalue()


def main():
    workdir = Path(tempfile.mkdtemp(prefix="quicktakes-upload-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    try:
        subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, check=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
