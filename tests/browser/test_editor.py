"""An editor in Chromium: log in, edit an answer, publish, and readers see it."""

import pytest
from playwright.sync_api import expect

from tests.checks import NOT_FOUND_ERROR
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/learn/computer-science/questions/what-is-a-test"


@pytest.fixture
def site(live_server, editor):
    make_article(answer="The first answer.", status="draft")
    return live_server.url


def test_editor_edits_and_publishes_an_article(site, page, new_context, console_errors):
    """The editor's published edit is what an anonymous reader then gets."""
    reader = new_context().new_page()
    assert reader.goto(site + URL).status == 404
    console_errors.remove(NOT_FOUND_ERROR)

    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-pass")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Articles").first.click()
    page.get_by_role("link", name="What is a test?").click()
    page.locator("#id_answer").fill("The **edited** answer.")
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    response = reader.goto(site + URL)
    assert response.status == 200
    expect(reader.locator(".answer strong")).to_have_text("edited")
    expect(reader.locator(".draft-banner")).to_have_count(0)
