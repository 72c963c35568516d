"""Varnish in front of gunicorn: the VCL filled in for a backend, and varnishd run in a
folder of its own (``make serve``, ``make bench``, the tests).

``python -m quicktakes.varnish`` is ``make serve``: gunicorn on BACKEND_PORT and Varnish
on PORT in front of it, on one machine; Ctrl-C stops both.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from quicktakes.servers import free_port, gunicorn_command, wait_for_port

VCL = Path(__file__).resolve().parent / "quicktakes.vcl"
ROOT = VCL.parent.parent.parent


def render_vcl(backend_port: int, backend_host: str = "127.0.0.1", purgers=()) -> str:
    """The repository's VCL for a backend, with more addresses allowed to ban."""
    text = VCL.read_text()
    text = text.replace("@BACKEND_HOST@", backend_host).replace(
        "@BACKEND_PORT@", str(backend_port)
    )
    return text.replace("@PURGERS@", "".join(f'    "{address}";\n' for address in purgers))


class Varnish:
    """varnishd in the foreground on ``port`` (a free one by default), in front of
    ``backend_port``, with its working folder in a temporary directory removed on exit."""

    def __init__(self, backend_port: int, port: int | None = None, host: str = "127.0.0.1"):
        self.varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
        if not os.access(self.varnishd, os.X_OK):
            raise RuntimeError("varnishd is not installed (apt-get install varnish)")
        self.port = port or free_port()
        self.host = host
        self.base = f"http://127.0.0.1:{self.port}"
        self.backend_port = backend_port
        self.process = None

    def start(self) -> "Varnish":
        self.workdir = Path(tempfile.mkdtemp(prefix="quicktakes-varnish-"))
        vcl = self.workdir / "quicktakes.vcl"
        vcl.write_text(render_vcl(self.backend_port))
        os.chmod(self.workdir, 0o755)
        os.chmod(vcl, 0o644)
        args = [
            self.varnishd,
            "-F",
            "-n",
            str(self.workdir / "state"),
            "-a",
            f"{self.host}:{self.port}",
            "-f",
            str(vcl),
            "-s",
            "malloc,256m",
            # No management port: the process is stopped by its id.
            "-T",
            "none",
            "-p",
            "ban_lurker_sleep=0.01",
        ]
        if os.geteuid() != 0:
            args[1:1] = ["-j", "none"]
        self.log = self.workdir / "varnishd.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.port, self.process)
        except RuntimeError as error:
            output = self.log.read_text(errors="replace")[-2000:]
            self.stop()
            raise RuntimeError(f"varnishd did not start: {error}\n{output}") from None
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def serve(host: str, port: int, backend_port: int, workers: int) -> None:
    """gunicorn on 127.0.0.1:backend_port, Varnish on host:port, until Ctrl-C."""
    env = {
        **os.environ,
        "VARNISH_URLS": os.environ.get("VARNISH_URLS", f"http://127.0.0.1:{port}"),
        # Varnish appends the client's address to X-Forwarded-For: the login lockout
        # counts that address, not Varnish's (quicktakes/settings.py).
        "PROXIES_IN_FRONT": os.environ.get("PROXIES_IN_FRONT", "1"),
    }
    gunicorn = subprocess.Popen(gunicorn_command(backend_port, workers), cwd=ROOT, env=env)
    try:
        wait_for_port(backend_port, gunicorn)
        with Varnish(backend_port, port=port, host=host) as varnish:
            print(
                f"Serving http://{host}:{port}/ (Varnish) in front of gunicorn on "
                f"127.0.0.1:{backend_port}; Ctrl-C stops both.",
                flush=True,
            )
            while varnish.process.poll() is None and gunicorn.poll() is None:
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        if gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(30)


def main() -> None:
    from dotenv import load_dotenv

    # The settings make run wrote, as manage.py reads them; the environment wins.
    load_dotenv(ROOT / ".env", override=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quicktakes.settings")
    serve(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        backend_port=int(os.environ.get("BACKEND_PORT", "8001")),
        workers=int(os.environ.get("WORKERS", "2")),
    )


if __name__ == "__main__":
    main()
