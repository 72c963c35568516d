"""Processes and databases for the fault suite: sites run by subprocess, a private cluster."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from quicktakes.servers import free_port
from tests.folders import REPO

PYTHON = sys.executable
# Every process a test starts carries this variable, and so do its children: the way to
# find what a killed process left behind, whoever became its parent.
MARKER = "QUICKTAKES_FAULTS_RUN"
# A bound on each command (an import of the corpus takes seconds on an idle machine).
COMMAND_TIMEOUT = 900

SNAPSHOT = """
import hashlib, json
import django
django.setup()
from taggit.models import TaggedItem
from learn.models import Article, RelatedLink

urls = {pk: f"{subject}/{slug}" for pk, subject, slug in
        Article.objects.values_list("pk", "subject__slug", "slug")}
parts = {
    "articles": sorted(
        [urls[row[0]], *row[1:]]
        for row in Article.objects.values_list(
            "pk", "title", "question", "answer_html", "keywords", "status", "content_hash",
            "published_on", "subject__name")
    ),
    "tags": sorted(
        [urls[int(object_id)], name]
        for object_id, name in TaggedItem.objects.values_list("object_id", "tag__name")
    ),
    "links": sorted(
        [urls[article], position, target_url, urls.get(target)]
        for article, position, target_url, target in RelatedLink.objects.values_list(
            "article_id", "position", "target_url", "target_id")
    ),
}
print(json.dumps({
    name: [len(rows), hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()]
    for name, rows in parts.items()
}))
"""


class Site:
    """One database and the commands run against it, each in a process of its own."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.run_id = uuid.uuid4().hex
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "quicktakes.settings",
            "SECRET_KEY": "faults-only-not-a-secret",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",
            "PYTHONUNBUFFERED": "1",
            MARKER: self.run_id,
        }

    def manage(self, *args, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            **kwargs,
        )

    def start(self, *args, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(args, env=self.env, cwd=REPO, **kwargs)

    def snapshot(self) -> dict:
        """Counts and digests of the articles, their tags and their links."""
        out = subprocess.run(
            [PYTHON, "-c", SNAPSHOT],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            timeout=COMMAND_TIMEOUT,
        ).stdout
        return json.loads(out)

    def processes(self) -> list[int]:
        """The ids of live processes started for this site (its marker in their environment)."""
        found = []
        needle = f"{MARKER}={self.run_id}".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environ = (entry / "environ").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z" and needle in environ.split(b"\0"):
                found.append(int(entry.name))
        return found

    def kill_leftovers(self):
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Cluster:
    """A PostgreSQL cluster of this suite's own, on a free port, made with pg_createcluster."""

    def __init__(self):
        versions = sorted(Path("/etc/postgresql").iterdir(), key=lambda p: int(p.name))
        if not versions or not shutil.which("pg_createcluster"):
            pytest.fail("the fault suite needs PostgreSQL's pg_createcluster (postgresql-common)")
        self.version = versions[-1].name
        self.name = f"faults{os.getpid()}"
        self.port = free_port()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def ctl(self, action: str):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action]
            + (["-m", "fast"] if action == "stop" else []),
            check=True,
            capture_output=True,
            timeout=120,
        )
        if action == "start":
            self.wait_ready()

    def wait_ready(self):
        for _ in range(300):
            ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)])
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        pytest.fail(f"the private PostgreSQL cluster on port {self.port} did not start")

    def create(self):
        subprocess.run(
            [
                "pg_createcluster",
                self.version,
                self.name,
                "-p",
                str(self.port),
                # A throwaway cluster: durability against a crash of the machine is not
                # what the suite tests (a killed client is), and syncing costs minutes.
                *("-o", "fsync=off", "-o", "synchronous_commit=off"),
                *("-o", "full_page_writes=off"),
                "--",
                "--auth=trust",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.ctl("start")

    def createdb(self, database: str) -> str:
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-q",
                "-c",
                f'CREATE DATABASE "{database}"',
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return self.url(database)

    def drop(self):
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.name],
            capture_output=True,
            timeout=120,
        )
