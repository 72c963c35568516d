"""An editor in Chromium: the broken-links report and an import run's page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from learn import import_runs
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def editor_page(live_server, editor, context, page):
    """The page, signed in as a member of the Editors group by a session cookie
    (force_login: django-axes counts only form logins)."""
    client = Client()
    client.force_login(editor)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def test_an_editor_finds_broken_links_and_the_articles_to_fix(
    live_server, editor_page, console_errors
):
    """From the admin index to the report, each kind of broken link, and the article."""
    page = editor_page
    target = make_article(slug="target", question="The target?")
    article = make_article(
        slug="with-links",
        question="Which links are broken?",
        related=[target, "/learn/biology/questions/never-imported"],
        answer="See [the target](/learn/computer-science/questions/target) "
        "and [nothing](/learn/biology/questions/nothing-here).",
    )
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Broken links").click()

    expect(page.locator("h2")).to_have_text("Related links that dangle")
    rows = page.locator("#broken-links tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("/learn/biology/questions/never-imported")

    page.get_by_role("link", name="Links in answers that answer 404").click()
    expect(page.get_by_role("link", name="Links in answers that answer 404")).to_have_attribute(
        "aria-current", "page"
    )
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("/learn/biology/questions/nothing-here")
    rows.first.get_by_role("link", name="Which links are broken?").click()
    expect(page).to_have_url(f"{live_server.url}/admin/learn/article/{article.pk}/change/")
    expect(page.locator("#id_question")).to_have_value("Which links are broken?")


def test_an_editor_reads_an_import_runs_files_and_changes(
    live_server, editor, editor_page, console_errors
):
    """The run's tables per outcome, an updated file's changes unfolded, and its article."""
    page = editor_page
    source = [Source("a.md", article_text(answer=r"One.\n\nTwo.").encode())]
    import_runs.import_files(source, origin="command", source="x", user=editor)
    changed = [
        Source("a.md", article_text(answer=r"One.\n\nTwo, edited.").encode()),
        Source("b.md", article_text(slug="b", question="Brand new?").encode()),
        Source("c.md", b"not an article"),
    ]
    run, _ = import_runs.import_files(changed, origin="command", source="y", user=editor)

    page.goto(f"{live_server.url}/admin/learn/importrun/{run.pk}/change/")

    for heading in ("Created (1)", "Updated (1)", "Unchanged (0)", "Failed or skipped (1)"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".field-finished_at .readonly")).not_to_have_text("-")
    added = page.locator(".import-diff .added")
    expect(added).to_be_hidden()
    page.get_by_text("2 lines changed").click()
    expect(added).to_have_text("+Two, edited.")
    expect(added).to_be_visible()
    # The styles of the page's own block apply under the Content-Security-Policy.
    expect(added).to_have_css("background-color", "rgb(221, 255, 221)")
    page.get_by_role("link", name="Brand new?").click()
    expect(page.locator("#id_question")).to_have_value("Brand new?")
