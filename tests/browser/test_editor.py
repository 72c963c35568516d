"""An editor in Chromium: log in, edit an answer, publish, and readers see it."""

import datetime
import time

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from learn.models import Article
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


def log_in(context, live_server, user):
    """The editor's session as a cookie (django-axes counts form logins)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_the_admin_works_under_the_content_security_policy(
    site, live_server, editor, page, context, console_errors
):
    """The change form's scripts, autocomplete, inline styles and live preview run with
    no policy violation (each would be a console error)."""
    make_article(slug="other", question="Another question?")
    log_in(context, live_server, editor)

    response = page.goto(site + "/admin/learn/article/")
    assert "'nonce-" in response.headers["content-security-policy"]
    page.get_by_role("link", name="What is a test?").click()
    # The form and the preview side by side, laid out by the form's own style block.
    expect(page.locator(".article-editor")).to_have_css("display", "grid")
    # The subject's autocomplete asks the server (connect-src) and lists the answer.
    page.locator(".field-subject .select2-selection").click()
    page.locator(".select2-search__field").fill("Computer")
    expect(page.locator(".select2-results__option")).to_have_text(["Computer Science"])
    page.keyboard.press("Escape")
    # The inline's "Add another" is the admin's JavaScript at work.
    page.locator(".add-row a").click()
    expect(page.locator(".dynamic-related_links")).to_have_count(1)
    preview = page.frame_locator("#article-preview")
    expect(preview.locator(".answer")).to_contain_text("The first answer.")
    assert console_errors == []


def test_live_preview_follows_typing_at_desktop_and_phone_width(
    site, live_server, editor, page, context, console_errors
):
    """What the editor types shows in the preview beside the form, as readers' page
    would show it (meta line, topics, the site's stylesheet), without saving; the phone
    button narrows it to 390 px, where nothing scrolls sideways."""
    log_in(context, live_server, editor)
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(site + "/admin/learn/article/")
    page.get_by_role("link", name="What is a test?").click()
    preview = page.frame_locator("#article-preview")
    expect(preview.locator(".answer")).to_contain_text("The first answer.")

    page.locator("#id_answer").fill("A **previewed** answer with $x^2$.")
    page.locator("#id_tags").fill("testing, quality")
    expect(preview.locator(".answer strong")).to_have_text("previewed")
    expect(preview.locator(".answer math")).to_have_count(1)
    expect(preview.locator(".topics a")).to_have_text(["testing", "quality"])
    expect(preview.locator(".meta")).to_contain_text("Posted on")
    expect(preview.locator(".draft-banner")).to_contain_text("not saved")
    # The site's stylesheet, not the admin's: the reader's text colour variable is set.
    assert preview.locator("body").evaluate(
        "b => getComputedStyle(b).getPropertyValue('--fg').trim() !== ''"
    )
    frame = page.locator("#article-preview")
    box = frame.bounding_box()
    assert box["x"] > page.locator("#id_answer").bounding_box()["x"] + 300

    page.get_by_role("button", name="Phone width").click()
    expect(page.get_by_role("button", name="Phone width")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(frame).to_have_css("width", "390px")
    assert preview.locator("html").evaluate("h => h.scrollWidth <= h.clientWidth")

    assert Article.objects.get().answer == "The first answer."
    assert console_errors == []


def test_editor_schedules_an_article_for_a_moment_readers_then_see(
    site, live_server, editor, page, context, new_context, console_errors
):
    """Published for a date and time seconds ahead: the list says "Scheduled", readers
    get a 404 until that moment and the article from it, with nothing else running."""
    log_in(context, live_server, editor)
    reader = new_context().new_page()
    page.goto(site + "/admin/learn/article/")
    page.get_by_role("link", name="What is a test?").click()
    # Seconds enough to save and list on a busy machine before the moment comes.
    moment = timezone.localtime() + datetime.timedelta(seconds=15)
    page.locator("#id_status").select_option("published")
    page.locator("#id_published_on").fill(moment.date().isoformat())
    page.locator("#id_published_time").fill(moment.strftime("%H:%M:%S"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("td.field-state")).to_have_text(f"Scheduled for {moment:%Y-%m-%d %H:%M}")

    assert reader.goto(site + URL).status == 404
    console_errors.remove(NOT_FOUND_ERROR)
    while timezone.now() < moment.replace(microsecond=0):
        time.sleep(0.2)
    response = reader.goto(site + URL)
    assert response.status == 200
    expect(reader.locator(".draft-banner")).to_have_count(0)
    page.reload()
    expect(page.locator("td.field-state")).to_have_text("Published")
