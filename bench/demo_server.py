"""The demo content served as in production: DEBUG off, collectstatic run, gunicorn."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def demo_server(editor=None):
    """Import fixtures/ into a fresh SQLite database, serve it, and yield the base URL.

    ``editor``, a (username, password) pair: an account in the Editors group, for
    pages of the admin."""
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
        subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, check=True)

    manage("migrate", "--no-input", "-v0")
    manage("import_quicktakes", "fixtures/", "-v0")
    if editor:
        username, password = editor
        manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            f"user = User.objects.create_user({username!r}, password={password!r}, "
            "is_staff=True); user.groups.add(Group.objects.get(name='Editors'))",
        )
    manage("collectstatic", "--no-input", "--clear", "-v0")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "quicktakes.wsgi",
        ],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/", timeout=1).close()
                break
            time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not answer on {url}")
        yield url
    finally:
        server.terminate()
        server.wait()
