"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on any kind of page."""

import re

import pytest
from playwright.sync_api import expect

from learn.models import Article
from tests.checks import PAGES, axe_violations
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize(
    "scheme, width", [("light", 1280), ("dark", 320)], ids=["light-desktop", "dark-phone"]
)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(site, page, console_errors, name, scheme, width):
    """Each page passes axe, in light mode on a desktop and in dark mode on a small phone."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(site + PAGES[name])
    if name == "404":
        assert response.status == 404
        console_errors.clear()
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "scheme, width", [("light", 1280), ("dark", 320)], ids=["light-desktop", "dark-phone"]
)
def test_numbered_pagination_passes_axe(site, page, scheme, width):
    """A list's middle page, numbered links and current page marked, passes axe."""
    for number in range(200):
        make_article(subject="Mathematics", slug=f"q{number}", question=f"Question {number}?")
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/learn/mathematics/questions/?page=6")
    expect(page.get_by_role("link", name="Page 6", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_draft_preview_banner_passes_axe(site, page, editor, scheme):
    """An editor's preview of a draft, banner included, passes axe in light and dark."""
    slug = PAGES["article with a table"].rsplit("/", 1)[1]
    Article.objects.filter(slug=slug).update(status=Article.Status.DRAFT)
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-pass")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site + "/admin/")

    page.emulate_media(color_scheme=scheme)
    page.goto(site + PAGES["article with a table"])
    expect(page.locator(".draft-banner")).to_have_text(re.compile(r"^Draft preview"))
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "scheme, width", [("light", 1280), ("dark", 320)], ids=["light-desktop", "dark-phone"]
)
def test_open_subject_menu_passes_axe(site, page, scheme, width):
    """The header's "All subjects" menu, open over an article, passes axe too."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + PAGES["article with a table"])
    nav = page.get_by_role("navigation", name="Subjects")
    nav.locator("summary").click()
    expect(nav.get_by_role("link", name="Subjects overview")).to_be_visible()
    assert axe_violations(page) == []
