"""PostgreSQL stopped and started under a serving gunicorn: 503 during, 200 after, no restart."""

import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from quicktakes.servers import free_port, gunicorn_command
from tests.faults.harness import Site
from tests.folders import FIXTURES

pytestmark = pytest.mark.faults

ARTICLES = [
    "/learn/computer-science/questions/how-do-open-source-models-contribute-to-ai-engineering",
    "/learn/",
    "/search/?q=model",
]


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def workers(master: int) -> set[int]:
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return {int(pid) for pid in children.split()}


@pytest.fixture
def server(cluster, tmp_path):
    """gunicorn, two workers, on the private cluster with the demo content imported.

    As in production: DEBUG off and collectstatic run, which the pages' stylesheet needs.
    """
    site = Site(cluster.createdb("outage"))
    for args in (
        ("migrate", "--no-input", "-v0"),
        ("import_quicktakes", str(FIXTURES), "-v0"),
        ("collectstatic", "--no-input", "-v0"),
    ):
        done = site.manage(*args)
        assert done.returncode == 0, done.stderr
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = site.start(*gunicorn_command(port), stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while len(workers(process.pid)) < 2 or get(base + "/robots.txt")[0] != 200:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield base, process, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        site.kill_leftovers()


def test_outage_answers_503_then_200_without_a_restart(server, cluster):
    """While the server is stopped readers get 503 with Retry-After; after it starts, 200."""
    base, process, log = server
    before = workers(process.pid)
    cluster.ctl("stop")
    try:
        during = [get(base + path) for path in ARTICLES for _ in range(2)]
    finally:
        cluster.ctl("start")
    after = [get(base + path)[0] for path in ARTICLES]
    logged = log.read_text()

    assert [status for status, _ in during] == [503] * len(during)
    assert all(headers.get("Retry-After") == "30" for _, headers in during)
    assert after == [200] * len(ARTICLES)
    assert process.poll() is None and workers(process.pid) == before
    assert "Traceback" not in logged
    assert logged.count("Database unavailable, answered 503") == len(during)
