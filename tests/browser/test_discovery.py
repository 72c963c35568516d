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
