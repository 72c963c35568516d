"""An editor in Chromium: an article's history, a diff of two revisions, a restore, and
a save refused because someone else saved first."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from learn import history
from learn.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def logged_in(new_context, site, user):
    """A browser context with ``user``'s session: a cookie, not the login form, which
    django-axes watches."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    return context.new_page()


@pytest.fixture
def article(live_server):
    article = make_article(answer="First line.\nSecond line.\nThird line.")
    history.record([article.pk], via="import")
    return article


def test_history_diff_and_restore(live_server, editor, article, new_context, console_errors):
    """The editor saves an edit, lists the revisions, compares the two and restores the
    first in one click."""
    site = live_server.url
    page = logged_in(new_context, site, editor)
    page.goto(f"{site}/admin/learn/article/{article.pk}/change/")
    page.locator("#id_answer").fill("First line.\nA changed line.\nThird line.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    rows = page.locator("table.revisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("editor")
    expect(rows.first).to_contain_text("Changed Answer.")
    expect(rows.nth(1)).to_contain_text("Import")

    page.get_by_role("button", name="Compare the chosen revisions").click()
    expect(page.locator("tr.replace td.old")).to_have_text("removed: Second line.")
    expect(page.locator("tr.replace td.new")).to_have_text("added: A changed line.")
    expect(page.locator("table.fields tr.changed th")).to_have_count(1)

    page.get_by_role("link", name="History").click()
    rows.nth(1).get_by_role("button", name="Restore").click()
    expect(page.locator(".messagelist")).to_contain_text("the restore is the newest revision")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Restore")
    assert Article.objects.get(pk=article.pk).answer == "First line.\nSecond line.\nThird line."


def test_a_save_over_someone_elses_is_refused_with_their_change(
    live_server, editor, django_user_model, article, new_context, console_errors
):
    """Two editors open one article; the second to save sees the first one's change,
    keeps their own text, and may save again over it."""
    from django.contrib.auth.models import Group

    ana = django_user_model.objects.create_user("ana", is_staff=True)
    ana.groups.add(Group.objects.get(name="Editors"))
    site = live_server.url
    url = f"{site}/admin/learn/article/{article.pk}/change/"
    mine = logged_in(new_context, site, editor)
    theirs = logged_in(new_context, site, ana)
    mine.goto(url)
    theirs.goto(url)
    theirs.locator("#id_answer").fill("Ana's answer.")
    theirs.get_by_role("button", name="Save", exact=True).click()
    expect(theirs.locator(".messagelist")).to_contain_text("was changed successfully")

    mine.locator("#id_answer").fill("My answer.")
    mine.get_by_role("button", name="Save", exact=True).click()
    expect(mine.locator(".errornote, .errorlist").first).to_be_visible()
    expect(mine.get_by_text("Someone else saved this article after you opened it")).to_be_visible()
    expect(mine.locator("#edit-conflict tr.replace td.new").first).to_have_text(
        "added: Ana's answer."
    )
    expect(mine.locator("#id_answer")).to_have_value("My answer.")
    mine.get_by_role("button", name="Save", exact=True).click()
    expect(mine.locator(".messagelist")).to_contain_text("was changed successfully")
    assert Article.objects.get(pk=article.pk).answer == "My answer."
