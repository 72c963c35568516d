"""Serving the site on this machine: a free port, waiting for a server to answer, and the
one gunicorn command line that ``make serve``, ``make bench``, the demo server of
``make audit`` and ``make screenshots``, and the fault suite start."""

import socket
import subprocess
import sys
import time


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    """Return once 127.0.0.1:``port`` takes connections; raise RuntimeError if
    ``process`` exits first or nothing answers within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} after {seconds} s")


def gunicorn_command(port: int, workers: int = 2, *options: str) -> list[str]:
    """gunicorn serving quicktakes.wsgi on 127.0.0.1:``port`` with ``workers`` workers
    (run from the repository, with the settings in the environment)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "quicktakes.wsgi",
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        *options,
    ]
