"""Topic and search pages (issue 4) in Chromium: they render, link on, and pass axe and vnu.

These pages come from issue 4; this module holds their browser checks so that they run
as soon as it is merged.
"""

import pytest

from tools.checks import PAGES, axe_violations, vnu_errors

pytestmark = pytest.mark.django_db(transaction=True)

TOPIC = "/learn/topics/inner-join/"
SEARCH = "/search/?q=gradient"
DISCOVERY_PAGES = {"topic": TOPIC, "search": SEARCH}


def test_reader_clicks_from_an_article_to_a_topic_and_on(site, page):
    """An article's topic links to the topic's page, which links its articles."""
    page.goto(site + PAGES["article with a table"])
    page.get_by_role("region", name="Topics").get_by_role("link", name="INNER JOIN").click()
    assert page.url == site + TOPIC
    assert "inner join" in page.locator("h1").inner_text().lower()
    page.get_by_role("main").get_by_role("link", name="What is a SQL JOIN").click()
    assert page.url == site + PAGES["article with a table"]


def test_search_results_link_to_articles(site, page):
    """A search lists matching articles as links that open them."""
    response = page.goto(site + SEARCH)
    assert response.status == 200
    page.get_by_role("main").get_by_role("link", name="What is the gradient of a function").click()
    assert page.url == site + PAGES["article with math"]


@pytest.mark.parametrize(
    "scheme, width", [("light", 1280), ("dark", 320)], ids=["light-desktop", "dark-phone"]
)
@pytest.mark.parametrize("name", list(DISCOVERY_PAGES))
def test_axe_finds_no_violations(site, page, name, scheme, width):
    """Topic and search pages pass axe, light on a desktop and dark on a small phone."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    assert page.goto(site + DISCOVERY_PAGES[name]).status == 200
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_topic_and_search_pages_are_valid_html(site, page, tmp_path):
    """The Nu HTML checker finds no error in a topic page or a search results page."""
    paths = []
    for name, url in DISCOVERY_PAGES.items():
        response = page.request.get(site + url)
        assert response.status == 200
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.body())
        paths.append(path)
    assert vnu_errors(paths) == []
