"""A reader in Chromium: from the home page to an article, by clicking."""

import pytest
from django.core.management import call_command

from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server):
    call_command("import_quicktakes", str(FIXTURES), verbosity=0)
    return live_server.url


def test_reader_clicks_from_home_to_an_article(site, page):
    """Home → Subjects → Mathematics → an article with MathML, all by clicking."""
    page.goto(site + "/")
    page.get_by_role("link", name="Subjects").first.click()
    page.get_by_role("link", name="Mathematics").click()
    page.get_by_role("link", name="What is the gradient of a function").click()
    assert page.url.endswith(
        "/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us"
    )
    assert page.locator("h1").inner_text().startswith("What is the gradient of a function")
    assert page.locator(".answer math").count() > 0
