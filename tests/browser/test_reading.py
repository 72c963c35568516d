"""A reader in Chromium: every kind of page renders, and the site is navigated by clicking."""

import re

import pytest
from playwright.sync_api import expect

from tests.checks import NOT_FOUND_ERROR, PAGES
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLES = [name for name in PAGES if name.startswith("article")]


def subject_nav(page):
    return page.get_by_role("navigation", name="Subjects")


def test_reader_clicks_from_home_to_an_article(site, page):
    """Home → Subjects → Mathematics → an article with MathML, all by clicking."""
    page.goto(site + "/")
    subject_nav(page).get_by_role("link", name="All subjects").click()
    page.get_by_role("main").get_by_role("link", name="Mathematics").click()
    page.get_by_role("link", name="What is the gradient of a function").click()
    expect(page).to_have_url(
        re.compile(r"/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us$")
    )
    expect(page.locator("h1")).to_have_text(re.compile(r"^What is the gradient of a function"))
    expect(page.locator(".answer math").first).to_be_attached()


def test_header_navigation_marks_where_the_reader_is(site, page):
    """The header's subject links lead to each subject and mark the current one."""
    page.goto(site + "/")
    nav = subject_nav(page)
    expect(nav.get_by_role("link")).to_have_count(1 + 7)
    nav.get_by_role("link", name="Computer Science").click()
    expect(page).to_have_url(site + "/learn/computer-science/questions/")
    expect(page.locator("h1")).to_have_text("Computer Science")
    current = nav.locator("[aria-current]")
    expect(current).to_have_text("Computer Science")
    expect(current).to_have_attribute("aria-current", "page")

    page.get_by_role("main").get_by_role("link", name="How do you read a CSV file").click()
    expect(page).to_have_url(re.compile(r"/questions/how-do-you-read-a-csv-file-in-python$"))
    expect(current).to_have_text("Computer Science")
    expect(current).to_have_attribute("aria-current", "true")

    nav.get_by_role("link", name="All subjects").click()
    expect(page).to_have_url(site + "/learn/")
    expect(nav.locator("[aria-current=page]")).to_have_text("All subjects")


def test_breadcrumbs_lead_back_up(site, page):
    """An article's breadcrumbs lead to its subject, then to all subjects, then home."""
    page.goto(site + PAGES["article with a table"])
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    crumbs.get_by_role("link", name="Computer Science").click()
    expect(page).to_have_url(site + "/learn/computer-science/questions/")
    crumbs.get_by_role("link", name="Subjects").click()
    expect(page).to_have_url(site + "/learn/")
    crumbs.get_by_role("link", name="Home").click()
    expect(page).to_have_url(site + "/")


def test_article_shows_meta_topics_and_related_questions(site, page):
    """The meta line, the topics and the related questions are on the page; related ones link."""
    page.goto(site + PAGES["article with a table"])
    expect(page.locator(".meta").first).to_have_text(
        "Posted on Feb 03, 2025 · QuickTakes · Computer Science", use_inner_text=True
    )
    topics = page.get_by_role("region", name="Topics").get_by_role("listitem")
    expect(topics.filter(has_text=re.compile(r"^INNER JOIN$"))).not_to_have_count(0)
    related = page.get_by_role("region", name="Related questions")
    related.get_by_role("link", name="What is Big O notation and why does it matter?").click()
    expect(page).to_have_url(
        re.compile(r"/questions/what-is-big-o-notation-and-why-does-it-matter$")
    )


def test_math_code_and_tables_render(site, page):
    """Display math is laid out as MathML, code is coloured by token, and tables have headers."""
    page.goto(site + PAGES["article with math"])
    equation = page.locator(".math math").first
    assert equation.bounding_box()["height"] > 20

    page.goto(site + PAGES["article with code"])
    keyword = page.locator("pre.highlight .kn").first
    text_colour = page.evaluate("getComputedStyle(document.body).color")
    assert keyword.evaluate("el => getComputedStyle(el).color") != text_colour

    page.goto(site + PAGES["article with a table"])
    expect(page.locator(".answer table th").first).to_have_text("Join type")


@pytest.mark.parametrize("name", list(PAGES))
def test_no_horizontal_page_scroll_at_320px(site, page, console_errors, name):
    """At 320px wide nothing widens the page: code, tables and maths scroll inside themselves."""
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(site + PAGES[name])
    if name == "404":
        assert response.status == 404
        console_errors.remove(NOT_FOUND_ERROR)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_wide_blocks_scroll_inside_themselves_and_take_focus(site, page):
    """At 320px the table and code overflow their own boxes, which a keyboard can reach."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site + PAGES["article with a table"])
    for selector in (".table-scroll", "pre.highlight"):
        block = page.locator(selector).first
        assert block.evaluate("el => el.scrollWidth > el.clientWidth")
        expect(block).to_have_attribute("tabindex", "0")


def test_dark_mode_follows_the_system(site, page):
    """With a dark colour scheme the page turns dark, code blocks included."""
    page.goto(site + PAGES["article with code"])
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    code = page.locator("pre.highlight").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert light == "rgb(252, 252, 251)"
    assert dark == "rgb(18, 20, 24)"
    assert code == "rgb(13, 17, 23)"


def test_print_shows_the_article_without_navigation(site, page):
    """Printed, an article keeps its heading and answer and drops navigation and footer."""
    page.goto(site + PAGES["article with a table"])
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".answer")).to_be_visible()
    expect(subject_nav(page)).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("region", name="Related questions")).to_be_hidden()


def test_reading_needs_no_javascript(new_context, site):
    """With JavaScript off a reader still goes from home to an article and back to its subject."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site + "/")
    subject_nav(page).get_by_role("link", name="Physics").click()
    page.get_by_role("main").get_by_role("link", name="What does Newton").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^What does Newton"))
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Physics").click()
    expect(page).to_have_url(site + "/learn/physics/questions/")


def test_reader_clicks_from_an_article_to_a_topic_and_on(site, page):
    """An article's topic links to the topic's page, which links its articles."""
    page.goto(site + PAGES["article with a table"])
    page.get_by_role("region", name="Topics").get_by_role("link", name="INNER JOIN").click()
    expect(page).to_have_url(site + PAGES["topic"])
    expect(page.locator("h1")).to_contain_text(re.compile("inner join", re.IGNORECASE))
    page.get_by_role("main").get_by_role("link", name="What is a SQL JOIN").click()
    expect(page).to_have_url(site + PAGES["article with a table"])


def test_search_from_the_header_without_javascript(new_context, site):
    """The header's search form works with JavaScript off, and its results open articles."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site + PAGES["article with code"])
    page.get_by_role("search", name="Site").get_by_role("searchbox").fill("gradient")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()
    expect(page).to_have_url(site + PAGES["search"])
    page.get_by_role("main").get_by_role("link", name="What is the gradient of a function").click()
    expect(page).to_have_url(site + PAGES["article with math"])


def test_unknown_page_gets_the_site_404_with_a_way_on(site, page, console_errors):
    """A missing page answers 404 with the site's page, whose links lead on."""
    response = page.goto(site + PAGES["404"])
    assert response.status == 404
    console_errors.remove(NOT_FOUND_ERROR)
    expect(page.locator("h1")).to_have_text("Page not found")
    page.get_by_role("main").get_by_role("link", name="Browse all subjects").click()
    expect(page).to_have_url(site + "/learn/")


def test_long_words_urls_code_and_math_stay_inside_a_phone_screen(live_server, page):
    """Unbreakable text in an answer wraps or scrolls in its own box, never the page."""
    long_url = "https://example.com/" + "a-very-long-path-segment/" * 8
    answer = (
        f"See {long_url} and Donaudampfschifffahrtsgesellschaftskapitän{'x' * 40}.\n\n"
        f"Call `{'some_function_name_' * 6}()`.\n\n"
        r"$$\sum_{i=1}^{n} a_i b_i c_i d_i e_i f_i g_i h_i j_i k_i l_i m_i n_i o_i p_i q_i$$"
    )
    make_article(answer=answer)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/learn/computer-science/questions/what-is-a-test")
    expect(page.locator(".answer")).to_contain_text(long_url)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
