"""Finding an article in Chromium: a misspelt search, and a mistyped URL."""

import pytest
from playwright.sync_api import expect

from tests.checks import NOT_FOUND_ERROR

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GRADIENT = (
    "/learn/mathematics/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us"
)


def test_a_misspelt_search_finds_the_article_and_offers_the_correction(site, page):
    """Typing "gradiant" in the header's box leads to the gradient article, and the page
    offers "gradient", whose link searches it."""
    page.goto(site + "/")
    page.get_by_role("searchbox", name="Search").fill("gradiant")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “gradient”")
    correction = page.locator(".correction")
    expect(correction).to_contain_text("No questions match “gradiant”. Did you mean gradient?")
    result = page.locator(".search-result a").first
    expect(result.locator("mark")).to_have_text("gradient")
    expect(page.get_by_role("searchbox")).to_have_count(1)
    correction.get_by_role("link", name="gradient").click()
    expect(page.locator(".correction")).to_have_count(0)
    page.locator(".search-result a").first.click()
    expect(page).to_have_url(site + GRADIENT)


def test_the_subject_filter_keeps_one_subject(site, page):
    """Choosing a subject and searching again shows only that subject's matches."""
    # "energy", not a stop word on either database, is in biology and physics answers.
    page.goto(site + "/search/?q=energy")
    page.get_by_label("Subject", exact=True).select_option(label="Biology")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(site + "/search/?q=energy&subject=biology")
    subjects = page.locator(".search-result .meta")
    expect(subjects.first).to_have_text("Biology")
    assert set(subjects.all_inner_texts()) == {"Biology"}


def test_the_404_page_suggests_the_article_whose_slug_was_mistyped(site, page, console_errors):
    """A slip in an article's URL gives the 404 page, which links to the article."""
    response = page.goto(site + GRADIENT.replace("gradient", "gradiant"))
    assert response.status == 404
    console_errors.remove(NOT_FOUND_ERROR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    suggestions = page.get_by_role("region", name="Were you looking for one of these?")
    suggestions.get_by_role("link").first.click()
    expect(page).to_have_url(site + GRADIENT)
