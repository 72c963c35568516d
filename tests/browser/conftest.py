"""Real Chromium (Debian's package) driven by Playwright against the live test server.

Chromium must be installed (`make test` installs it), and axe-core too (`npm ci`,
which `make test` runs); a missing tool is an error, never a skip.
"""

import os
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.conftest import FIXTURES, REPO

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# One page of each kind in the demo content, by what it shows.
PAGES = {
    "home": "/",
    "learn index": "/learn/",
    "subject list": "/learn/mathematics/questions/",
    "article with math": (
        "/learn/mathematics/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us"
    ),
    "article with code": "/learn/computer-science/questions/how-do-you-read-a-csv-file-in-python",
    "article with a table": (
        "/learn/computer-science/questions/what-is-a-sql-join-and-how-do-the-different-types-compare"
    ),
    "404": "/learn/mathematics/questions/no-such-question",
}


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Chromium is not installed: run `make test`, or apt-get install chromium"
        )
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any console error or uncaught exception.

    A test that expects an error (a 404 page logs one) removes it from
    ``page.console_errors``.
    """
    context = browser.new_context()
    page = context.new_page()
    errors = page.console_errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def site(live_server):
    """The live server's URL, with the demo content imported."""
    call_command("import_quicktakes", str(FIXTURES), verbosity=0)
    return live_server.url


@pytest.fixture(scope="session")
def axe_violations():
    """A function that runs axe-core on a Playwright page and returns its violations as text."""
    if not AXE.is_file():
        raise RuntimeError(f"axe-core is not installed ({AXE} is missing): run `make test`")

    def run(page):
        page.add_script_tag(path=AXE)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in result["violations"]
        ]

    return run
