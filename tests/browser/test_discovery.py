"""A reader in Chromium finds more to read: search from the header, then a topic."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reader_searches_then_follows_a_topic(site, page):
    """Header search → highlighted result → article → its topic page, by typing and clicking."""
    page.goto(site + "/")
    page.get_by_role("searchbox", name="Search").fill("gradient")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=gradient")
    expect(page.locator(".search-result mark").first).to_be_attached()
    page.get_by_role("link", name="What is the gradient of a function").click()
    expect(page).to_have_url(
        re.compile(r"/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us$")
    )
    page.get_by_role("link", name="multivariable calculus").click()
    page.wait_for_url("**/topics/multivariable-calculus/")
    expect(page.locator("h1")).to_have_text("multivariable calculus")
    expect(page.get_by_role("link", name="What is the gradient of a function")).to_have_count(1)


def test_reader_pages_through_a_subject_to_its_last_page(site, page):
    """The numbered pages reach the last one, which holds the oldest question, marked as
    the current page; Previous goes back one page."""
    import datetime

    from tests.factories import make_article

    for number in range(70):
        make_article(
            subject="Mathematics",
            slug=f"old-{number}",
            question=f"Old question {number}?",
            published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )
    page.goto(site + "/learn/mathematics/questions/")
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.get_by_role("link", name="Page 1", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    last = pages.get_by_role("link", name=re.compile(r"^Page \d+$")).last
    number = last.inner_text().split()[-1]
    last.click()
    page.wait_for_url(f"**/learn/mathematics/questions/?page={number}")
    expect(pages.get_by_role("link", name=f"Page {number}", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".article-card").last).to_contain_text("Old question 0?")
    expect(pages.get_by_role("link", name="Next page")).to_have_count(0)
    pages.get_by_role("link", name="Previous page").click()
    page.wait_for_url(f"**/learn/mathematics/questions/?page={int(number) - 1}")


def test_reader_moves_to_the_next_and_previous_question(site, page):
    """On an article, Next question leads to the older question of the subject and
    Previous question back to it."""
    page.goto(site + "/learn/mathematics/questions/")
    cards = page.locator(".article-card > a")
    first, second = cards.nth(0).inner_text(), cards.nth(1).inner_text()
    cards.nth(0).click()
    expect(page.locator("h1")).to_have_text(first)
    subject_nav = page.get_by_role("navigation", name="More in Mathematics")
    expect(subject_nav.get_by_role("link", name=re.compile("^Previous question"))).to_have_count(0)
    subject_nav.get_by_role("link", name=re.compile("^Next question")).click()
    expect(page.locator("h1")).to_have_text(second)
    page.get_by_role("navigation", name="More in Mathematics").get_by_role(
        "link", name=re.compile("^Previous question")
    ).click()
    expect(page.locator("h1")).to_have_text(first)


def test_reader_finds_a_topic_from_the_topics_index(site, page):
    """Home → all topics → a letter of the A to Z → a topic → one of its questions."""
    page.goto(site + "/")
    page.get_by_role("link", name="All topics, A\u2013Z").click()
    page.wait_for_url("**/topics/")
    expect(page.locator("h1")).to_have_text("Topics")
    page.get_by_role("navigation", name="Topics A\u2013Z").get_by_role("link", name="M").click()
    page.wait_for_url("**/topics/a-z/m/")
    page.get_by_role("link", name="multivariable calculus").click()
    page.wait_for_url("**/topics/multivariable-calculus/")
    page.get_by_role("link", name="What is the gradient of a function").click()
    expect(page).to_have_url(re.compile(r"/questions/what-is-the-gradient-of-a-function"))
