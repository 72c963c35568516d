"""The demo content served as in production: DEBUG off, collectstatic run, gunicorn."""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quicktakes.servers import free_port, gunicorn_command

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class DemoSite:
    url: str
    # Runs a manage.py command against the served database; returns its stdout.
    manage: Callable[..., str]


@contextlib.contextmanager
def demo_server(setup: str = ""):
    """Import fixtures/ into a fresh SQLite database, serve it, and yield the base URL.

    ``setup``: Python run by ``manage.py shell`` against that database before it is served.
    """
    with demo_site(setup) as site:
        yield site.url


@contextlib.contextmanager
def demo_site(setup: str = ""):
    """:func:`demo_server`, yielding a :class:`DemoSite`."""
    workdir = Path(tempfile.mkdtemp(prefix="quicktakes-demo-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "SECRET_KEY": "demo-only-not-a-secret",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "quicktakes.settings",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--no-input", "-v0")
    manage("import_quicktakes", "fixtures/", "-v0")
    if setup:
        manage("shell", "-v0", "-c", setup)
    manage("collectstatic", "--no-input", "--clear", "-v0")
    server = subprocess.Popen(gunicorn_command(port), env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not answer on {url}")
        yield DemoSite(url, manage)
    finally:
        server.terminate()
        server.wait()
