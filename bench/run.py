"""`make bench`: import speed and memory, then page speed against a bare Django view.

1. Imports ../shared/corpus/quicktakes into a fresh SQLite database and prints
   files/s and peak memory, next to the ceiling of reading and YAML-loading
   the same files in one process (the least any importer must do); then the
   re-import of the unchanged files, and the peak memory at ten times the files
   (the sample copied under other subjects, bench/imports.py), which should be
   the same.
2. Serves that database with gunicorn and measures requests/s with wrk for an
   article page (as readers get it, from the page cache, and rendered on every
   request, as an editor with a session gets it) and for a bare Django view on the
   same server, in the same run.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.imports import copies
from learn.parsing import parse_article
from learn.sources import import_roots, skip_reason, walk_files
from tests.folders import CORPUS

ROOT = Path(__file__).resolve().parent.parent
TARGET_FILES_PER_SECOND = 1500
TARGET_REIMPORT_FILES_PER_SECOND = 20000
TARGET_PEAK_MIB = 300
COPIES = 10


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def yaml_ceiling(files):
    start = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        yaml.load(text.split("\n---", 1)[0].removeprefix("---\n"), Loader=yaml.CSafeLoader)
    return len(files) / (time.perf_counter() - start)


def timed(args, env):
    """Seconds and peak memory (MiB) of one command and its children, alone."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if code := os.waitstatus_to_exitcode(status):
        raise subprocess.CalledProcessError(code, args)
    return elapsed, usage.ru_maxrss / 1024


def import_itself(path, env):
    """Files and seconds of import_files() alone, without the interpreter's start."""
    out = run(
        [sys.executable, "-m", "bench.imports", str(path)], env, capture_output=True, text=True
    )
    files, seconds = out.stdout.split()
    return int(files), float(seconds)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url, seconds, *headers):
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *headers, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(errors.group(1)) if errors else 0


def main():
    if not CORPUS.is_dir():
        sys.exit(f"bench: the corpus is missing: {CORPUS}")
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (apt-get install wrk)")
    files = [Path(name) for name in walk_files(import_roots([CORPUS])) if not skip_reason(name)]
    article = parse_article(files[0].read_bytes(), path=str(files[0])).url
    workdir = Path(tempfile.mkdtemp(prefix="quicktakes-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    python = sys.executable
    try:
        run([python, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        ceiling = yaml_ceiling(files)
        command = [python, "manage.py", "import_quicktakes", "-v0"]
        elapsed, peak_mib = timed([*command, str(CORPUS)], env)
        rate = len(files) / elapsed
        print(
            f"import: {len(files)} files in {elapsed:.2f} s = {rate:,.0f} files/s "
            f"(target {TARGET_FILES_PER_SECOND:,}; ceiling, YAML loading alone in one "
            f"process: {ceiling:,.0f} files/s); peak memory {peak_mib:,.0f} MiB"
        )
        elapsed, _ = timed([*command, str(CORPUS)], env)
        count, seconds = import_itself(CORPUS, env)
        print(
            f"re-import, nothing changed: {elapsed:.2f} s for the command; the import itself "
            f"{count / seconds:,.0f} files/s (target {TARGET_REIMPORT_FILES_PER_SECOND:,})"
        )
        copied = workdir / "copies"
        many = copies(files, COPIES, copied)
        copies_env = {**env, "DATABASE_URL": f"sqlite:///{workdir / 'copies.sqlite3'}"}
        run([python, "manage.py", "migrate", "--no-input", "-v0"], copies_env)
        elapsed, many_peak_mib = timed([*command, str(copied)], copies_env)
        _, seconds = import_itself(copied, copies_env)
        print(
            f"import of {many:,} files (the sample {COPIES} times): "
            f"{many / elapsed:,.0f} files/s, "
            f"peak memory {many_peak_mib:,.0f} MiB against {peak_mib:,.0f} MiB for "
            f"{len(files):,} (target: flat, ≤ {TARGET_PEAK_MIB} MiB at any N); "
            f"re-import {many / seconds:,.0f} files/s"
        )
        shutil.rmtree(copied)

        port = free_port()
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "quicktakes.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            wrk(base + article, 2)  # warm up both workers
            page = wrk(base + article, 10)
            # A session cookie bypasses the page cache: every request renders the page.
            rendered = wrk(base + article, 10, "-H", "Cookie: sessionid=bench")
            bare = wrk(base + "/bench/bare", 10)
        finally:
            server.terminate()
            server.wait(10)
        if page[2] or rendered[2] or bare[2]:
            sys.exit(f"bench: error responses from {article} or the bare view; not a measurement")
        print(f"article page {article}:")
        print(f"  cached for readers: {page[0]:,.0f} req/s (p99 {page[1]})")
        print(f"  rendered every time: {rendered[0]:,.0f} req/s (p99 {rendered[1]})")
        print(
            f"bare Django view, same server: {bare[0]:,.0f} req/s (p99 {bare[1]}); "
            f"the cached page runs at {page[0] / bare[0]:.0%} of it, "
            f"the rendered one at {rendered[0] / bare[0]:.0%}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
