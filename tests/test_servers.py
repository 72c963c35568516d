"""quicktakes.servers: the gunicorn command every launcher starts serves the site."""

import os
import subprocess
import sys
import urllib.request

import pytest

from quicktakes.servers import free_port, gunicorn_command, wait_for_port
from tests.folders import REPO


def test_the_gunicorn_command_serves_the_site(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quicktakes.settings",
        "SECRET_KEY": "tests-only-not-a-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
    }
    process = subprocess.Popen(gunicorn_command(port, 1), cwd=REPO, env=env)
    try:
        wait_for_port(port, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=10) as page:
            assert page.status == 200
            assert b"Disallow: /admin/" in page.read()
    finally:
        process.terminate()
        process.wait(30)


def test_waiting_stops_when_the_server_exits():
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(RuntimeError, match="exited with 3"):
        wait_for_port(free_port(), process)
