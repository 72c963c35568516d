"""Real Chromium (Debian's package) driven by Playwright against the live test server.

Chromium must be installed (`make test` installs it), and axe-core too (`npm ci`,
which `make test` runs); a missing tool is an error, never a skip.
"""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.checks import CHROMIUM_ARGS, chromium_path
from tests.conftest import FIXTURES

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
