"""A reader in Chromium finds more to read: search from the header, then a topic."""

import pytest
from django.core.management import call_command

from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    call_command("import_quicktakes", str(FIXTURES), verbosity=0)
    return live_server.url


def test_reader_searches_then_follows_a_topic(site, page):
    """Header search → highlighted result → article → its topic page, by typing and clicking."""
    page.goto(site + "/")
    page.get_by_role("searchbox", name="Search").fill("gradient")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=gradient")
    assert page.locator(".search-result mark").count() > 0
    page.get_by_role("link", name="What is the gradient of a function").click()
    assert page.url.endswith(
        "/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us"
    )
    page.get_by_role("link", name="multivariable calculus").click()
    page.wait_for_url("**/topics/multivariable-calculus/")
    assert page.locator("h1").inner_text() == "multivariable calculus"
    assert page.get_by_role("link", name="What is the gradient of a function").count() == 1
