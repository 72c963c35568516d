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


def test_the_admin_works_under_the_content_security_policy(site, page, context, console_errors):
    """The change form's scripts, autocomplete and inline styles, and the preview tab,
    run with no policy violation (each would be a console error)."""
    make_article(slug="other", question="Another question?")
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-pass")
    page.get_by_role("button", name="Log in").click()

    response = page.goto(site + "/admin/learn/article/")
    assert "'nonce-" in response.headers["content-security-policy"]
    page.get_by_role("link", name="What is a test?").click()
    # The side-by-side answer is laid out by the form's own style block.
    answer = page.locator(".form-multiline.field-answer")
    expect(answer).to_have_css("flex-wrap", "nowrap")
    # The subject's autocomplete asks the server (connect-src) and lists the answer.
    page.locator(".field-subject .select2-selection").click()
    page.locator(".select2-search__field").fill("Computer")
    expect(page.locator(".select2-results__option")).to_have_text(["Computer Science"])
    page.keyboard.press("Escape")
    # The inline's "Add another" is the admin's JavaScript at work.
    page.locator(".add-row a").click()
    expect(page.locator(".dynamic-related_links")).to_have_count(1)

    page.locator("#id_answer").fill("A **previewed** answer.")
    with context.expect_page() as preview_tab:
        page.get_by_role("button", name="Preview").click()
    preview = preview_tab.value
    expect(preview.locator(".answer strong")).to_have_text("previewed")
    expect(preview.locator(".draft-banner")).to_be_visible()
    assert console_errors == []
