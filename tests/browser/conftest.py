"""Real Chromium (Debian's package) driven by pytest-playwright against the live test server.

Chromium must be installed (`make test` installs it), and axe-core too (`npm ci`,
which `make test` runs); a missing tool is an error, never a skip. A failed test keeps
its trace and a screenshot under test-results/ (pyproject's addopts):
`.venv/bin/playwright show-trace test-results/<test>/trace.zip` replays it.
"""

import os

import pytest
from django.core.management import call_command

from tests.checks import CHROMIUM_ARGS, chromium_path
from tests.folders import FIXTURES

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_under_playwright(django_db_setup, request):
    """Keep serialized_rollback working once Playwright runs.

    Playwright's sync API switches the thread to another context, where Django opens new
    connection objects; the migrated data that pytest-django serialized for
    serialized_rollback is kept on the old ones, and Django silently skips restoring it
    without them. So it is carried over to the new ones when Playwright starts.
    """
    from django.db import connections

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    request.getfixturevalue("playwright")
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless unless pytest is given --headed."""
    return {"executable_path": chromium_path(), "args": CHROMIUM_ARGS, **browser_type_launch_args}


@pytest.fixture
def console_errors():
    """The browser console's errors and uncaught exceptions in every context of a test.

    The test fails on any of them; one that expects an error (a 404 page logs one)
    removes it from this list.
    """
    errors = []
    yield errors
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def new_context(new_context, console_errors):
    """pytest-playwright's contexts (traced, screenshotted), each watched for console errors."""

    def create(**kwargs):
        context = new_context(**kwargs)
        context.on(
            "console",
            lambda message: message.type == "error" and console_errors.append(message.text),
        )
        context.on("weberror", lambda error: console_errors.append(str(error.error)))
        return context

    return create


@pytest.fixture
def site(live_server):
    """The live server's URL, with the demo content imported."""
    call_command("import_quicktakes", str(FIXTURES), verbosity=0)
    return live_server.url
