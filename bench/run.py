"""`make bench`: import speed and memory, then page speed against a bare Django view.

1. Imports ../shared/corpus/quicktakes into a fresh SQLite database and prints
   files/s and peak memory, next to the ceiling of reading and YAML-loading
   the same files in one process (the least any importer must do); then the
   re-import of the unchanged files, and the peak memory at ten times the files
   (the sample copied under other subjects, bench/imports.py), which should be
   the same.
2. Serves that database with gunicorn and measures requests/s with wrk for an
   article page (as readers get it, from the page cache, and rendered on every
   request, without the page cache) and for a bare Django view on the same server,
   in the same run; then the article page and the stylesheet through Varnish
   (quicktakes/varnish/quicktakes.vcl) in front of that server, beside the stylesheet
   from whitenoise.
3. A load check: 64 connections for 30 s over 500 distinct articles (each asked for
   once before, as the first readers do) and over search queries, on the default set-up
   and with Redis as the cache (REDIS_URL, default redis://127.0.0.1:6379/7):
   requests/s, p50/p99, and every error (non-2xx or 3xx answers, timeouts, dropped
   connections); any error fails the run.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import yaml

from bench.imports import copies
from bench.revisions import report as report_revisions_cost
from learn.parsing import parse_article
from learn.sources import import_roots, skip_reason, walk_files
from quicktakes.servers import free_port, gunicorn_command, wait_for_port
from quicktakes.varnish import Varnish
from tests.folders import CORPUS

ROOT = Path(__file__).resolve().parent.parent
TARGET_FILES_PER_SECOND = 1500
TARGET_REIMPORT_FILES_PER_SECOND = 20000
TARGET_PEAK_MIB = 300
# The article page rendered on every request, as a share of the bare view's requests/s.
TARGET_RENDERED_SHARE = 1 / 3
COPIES = 10
ROTATE = ROOT / "bench" / "rotate.lua"
LOAD_URLS = 500
SEARCH_QUERIES = 100
LOAD_SECONDS = 30


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
    files, seconds, _ = out.stdout.split()
    return int(files), float(seconds)


@dataclass
class Figures:
    rps: float
    p50: str
    p99: str
    non_2xx: int
    socket_errors: int

    def __str__(self):
        return (
            f"{self.rps:,.0f} req/s (p50 {self.p50}, p99 {self.p99}); "
            f"{self.non_2xx} non-2xx/3xx, {self.socket_errors} socket errors"
        )


def wrk(url, seconds, *options, connections=16, script_args=()):
    """wrk's figures for ``url``; ``script_args`` go to the Lua script of ``options``."""
    after = ["--", *script_args] if script_args else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *options, url, *after],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    dropped = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Figures(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50=re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1),
        p99=re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1),
        non_2xx=int(errors.group(1)) if errors else 0,
        socket_errors=sum(map(int, dropped.groups())) if dropped else 0,
    )


def load(base, paths_file):
    """64 connections for LOAD_SECONDS, each request the next of the file's paths."""
    return wrk(
        base + "/",
        LOAD_SECONDS,
        "-s",
        str(ROTATE),
        connections=64,
        script_args=[str(paths_file)],
    )


def warm(base, paths_file):
    """Ask for each path once, as the first readers after a deploy do: the load then
    measures what readers get, a cache that holds the site."""
    for line in paths_file.read_text().splitlines():
        with urlopen(base + line, timeout=30) as response:
            response.read()


def hashed_stylesheet(url):
    """The stylesheet's hashed path (collectstatic's), as the page links it."""
    with urlopen(url, timeout=30) as response:
        page = response.read().decode()
    return re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page).group(1)


def search_paths(records, count):
    """Search URLs for words of the questions, most frequent first: queries that match."""
    words = Counter(
        word for record in records for word in re.findall(r"[a-z]{5,}", record.question.lower())
    )
    return [f"/search/?q={quote(word)}" for word, _ in words.most_common(count)]


class Server:
    """gunicorn with 2 workers on a free port of 127.0.0.1, stopped on exit."""

    def __init__(self, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            gunicorn_command(self.port, 2, "--log-level", "warning"), env=env, cwd=ROOT
        )

    def __enter__(self):
        wait_for_port(self.port, self.process)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)


def main():
    if not CORPUS.is_dir():
        sys.exit(f"bench: the corpus is missing: {CORPUS}")
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (apt-get install wrk)")
    files = [Path(name) for name in walk_files(import_roots([CORPUS])) if not skip_reason(name)]
    records = [parse_article(path.read_bytes(), path=str(path)) for path in files[:LOAD_URLS]]
    article = records[0].url
    workdir = Path(tempfile.mkdtemp(prefix="quicktakes-bench-"))
    article_paths = workdir / "articles.txt"
    article_paths.write_text("".join(f"{record.url}\n" for record in records))
    searches = workdir / "searches.txt"
    searches.write_text("".join(f"{path}\n" for path in search_paths(records, SEARCH_QUERIES)))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    env.pop("REDIS_URL", None)
    redis_env = {**env, "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")}
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
        revisions_within = report_revisions_cost(workdir, env)
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

        with Server(env) as server:
            wrk(server.base + article, 2)  # warm up both workers
            page = wrk(server.base + article, 10)
            rendered = wrk(server.base + "/bench/rendered" + article, 10)
            bare = wrk(server.base + "/bench/bare", 10)
            stylesheet = hashed_stylesheet(server.base + article)
            static = wrk(server.base + stylesheet, 10)
            with Varnish(server.port) as varnish:
                wrk(varnish.base + article, 2)
                varnish_page = wrk(varnish.base + article, 10)
                varnish_static = wrk(varnish.base + stylesheet, 10)
                hits = [
                    urlopen(varnish.base + path, timeout=10).headers["X-Cache"]
                    for path in (article, stylesheet)
                ]
            warm(server.base, article_paths)
            default_articles = load(server.base, article_paths)
            default_search = load(server.base, searches)
        with Server(redis_env) as server:
            wrk(server.base + article, 2)
            warm(server.base, article_paths)
            redis_articles = load(server.base, article_paths)
            redis_search = load(server.base, searches)
        print(f"article page {article}:")
        print(f"  cached for readers: {page}")
        print(f"  rendered every time (no page cache): {rendered}")
        print(f"  through Varnish (X-Cache: {hits[0]}): {varnish_page}")
        print(
            f"bare Django view, same server: {bare}; the cached page runs at "
            f"{page.rps / bare.rps:.0%} of it, the rendered one at {rendered.rps / bare.rps:.0%} "
            f"(target {TARGET_RENDERED_SHARE:.0%})"
            f", the page through Varnish at {varnish_page.rps / bare.rps:.0%}"
        )
        print(f"static file {stylesheet}: whitenoise {static}")
        print(f"  through Varnish (X-Cache: {hits[1]}): {varnish_static}")
        print(f"load, 64 connections, {LOAD_SECONDS} s, 2 gunicorn workers:")
        loads = {
            f"{LOAD_URLS} articles, default cache": default_articles,
            f"{SEARCH_QUERIES} searches, default cache": default_search,
            f"{LOAD_URLS} articles, Redis": redis_articles,
            f"{SEARCH_QUERIES} searches, Redis": redis_search,
        }
        for name, result in loads.items():
            print(f"  {name}: {result}")
        failed = [
            name
            for name, result in {
                "cached": page,
                "rendered": rendered,
                "bare": bare,
                "static": static,
                "Varnish": varnish_page,
                "Varnish, static": varnish_static,
                **loads,
            }.items()
            if result.non_2xx or result.socket_errors
        ]
        if failed:
            sys.exit(f"bench: errors under {', '.join(failed)}: the bar is none")
        if not revisions_within:
            sys.exit("bench: revisions cost an import more than the ceiling")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
