"""An editor in Chromium: log in, edit an answer, publish, and readers see it."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

from learn.importer import import_sources
from learn.models import Article
from learn.sources import Source
from tests.conftest import article_text

pytestmark = pytest.mark.django_db(transaction=True)
# Another transactional test may have flushed the group away: make it as the migration does.
create_editors = import_module("learn.migrations.0003_editors_group").create_editors

URL = "/learn/computer-science/questions/what-is-a-test"


@pytest.fixture
def site(live_server):
    import_sources([Source("a.md", article_text(answer="The first answer.").encode())])
    Article.objects.update(status=Article.Status.DRAFT)
    user = User.objects.create_user("editor", password="editor-pass", is_staff=True)
    create_editors(apps, None)
    user.groups.add(Group.objects.get(name="Editors"))
    return live_server.url


def test_editor_edits_and_publishes_an_article(site, page, browser):
    """The editor's published edit is what an anonymous reader then gets."""
    reader = browser.new_context().new_page()
    assert reader.goto(site + URL).status == 404

    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-pass")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Articles").first.click()
    page.get_by_role("link", name="What is a test?").click()
    page.locator("#id_answer").fill("The **edited** answer.")
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    response = reader.goto(site + URL)
    assert response.status == 200
    assert reader.locator(".answer strong").inner_text() == "edited"
    assert reader.locator(".draft-banner").count() == 0
    reader.context.close()
