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
    open_all_subjects(page)
    subject_nav(page).get_by_role("link", name="Subjects overview").click()
    page.get_by_role("main").get_by_role("link", name="Mathematics").click()
    page.get_by_role("link", name="What is the gradient of a function").click()
    expect(page).to_have_url(
        re.compile(r"/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us$")
    )
    expect(page.locator("h1")).to_have_text(re.compile(r"^What is the gradient of a function"))
    expect(page.locator(".answer math").first).to_be_attached()


def open_all_subjects(page):
    """Open the header's "All subjects" menu, as a reader does: a <details>, no script."""
    menu = subject_nav(page).locator("details")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    return menu


def test_header_navigation_marks_where_the_reader_is(site, page):
    """The header's subject links lead to each subject and mark the current one."""
    page.goto(site + "/")
    nav = subject_nav(page)
    # The six largest of the demo's seven subjects, then the menu: all seven and the overview.
    expect(nav.locator(".subject-nav__row").get_by_role("link")).to_have_count(6)
    expect(nav.locator("details li a")).to_have_count(7 + 1)
    nav.locator(".subject-nav__row").get_by_role("link", name="Computer Science").click()
    expect(page).to_have_url(site + "/learn/computer-science/questions/")
    expect(page.locator("h1")).to_have_text("Computer Science")
    current = nav.locator("[aria-current]")
    expect(current).to_have_text("Computer Science")
    expect(current).to_have_attribute("aria-current", "page")

    page.get_by_role("main").get_by_role("link", name="How do you read a CSV file").click()
    expect(page).to_have_url(re.compile(r"/questions/how-do-you-read-a-csv-file-in-python$"))
    expect(current).to_have_text("Computer Science")
    expect(current).to_have_attribute("aria-current", "true")

    open_all_subjects(page)
    nav.get_by_role("link", name="Subjects overview").click()
    expect(page).to_have_url(site + "/learn/")
    expect(nav.locator("[aria-current=page]")).to_have_text("Subjects overview")


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
        "Posted on Feb 03, 2025 · 3 min read · QuickTakes · Computer Science", use_inner_text=True
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
    open_all_subjects(page).get_by_role("link", name="Physics").click()
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


# The header with forty subjects, the table of contents, code and tables


def forty_subjects():
    """The demo's seven subjects and 33 more of one article each: forty, as the corpus has."""
    for n in range(1, 34):
        make_article(subject=f"Extra Subject {n:02}", slug="q", question=f"Extra question {n}?")


def assert_fully_in_view(page, locator):
    """Seen whole: inside the window, not clipped by a scrolling or hidden row."""
    expect(locator).to_be_visible()
    expect(locator).to_be_in_viewport(ratio=1)
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("width", [320, 1280])
def test_header_shows_the_current_subject_among_forty(site, page, width):
    """At 320 and 1280 px the subject being read is in the header, whole and marked,
    however small; no header link is cut off or scrolled out of sight."""
    forty_subjects()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/learn/extra-subject-17/questions/q")
    nav = subject_nav(page)

    current = nav.locator("[aria-current]")
    expect(current).to_have_text("Extra Subject 17")
    expect(current).to_have_attribute("aria-current", "true")
    assert_fully_in_view(page, current)
    summary = nav.locator("summary")
    expect(summary).to_have_text("All subjects")
    assert_fully_in_view(page, summary)
    row = nav.locator(".subject-nav__row a")
    for index in range(row.count()):
        if row.nth(index).is_visible():
            assert_fully_in_view(page, row.nth(index))
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    nav.locator(".subject-nav__row").get_by_role("link", name="Extra Subject 17").click()
    expect(page).to_have_url(site + "/learn/extra-subject-17/questions/")
    expect(current).to_have_attribute("aria-current", "page")
    assert_fully_in_view(page, current)


@pytest.mark.parametrize("width", [320, 1280])
def test_every_subject_is_reachable_from_the_header(site, page, width):
    """ "All subjects" opens, by mouse or keyboard and without script, onto all forty, each
    in view once scrolled to, and each leads to its subject."""
    forty_subjects()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/")
    nav = subject_nav(page)
    menu = nav.locator("details")
    links = menu.locator("li a")
    expect(links.first).to_be_hidden()

    nav.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(links).to_have_count(40 + 1)
    names = links.all_inner_texts()
    assert names[:-1] == sorted(names[:-1]) and names[-1] == "Subjects overview"
    for index in range(40):
        links.nth(index).scroll_into_view_if_needed()
        assert_fully_in_view(page, links.nth(index))

    links.filter(has_text="Extra Subject 33").click()
    expect(page).to_have_url(site + "/learn/extra-subject-33/questions/")
    expect(page.locator("h1")).to_have_text("Extra Subject 33")
    expect(menu).not_to_have_attribute("open", "")


@pytest.mark.parametrize("width", [390, 1280])
def test_table_of_contents_links_land_on_their_headings(site, page, width):
    """Each entry of "On this page" scrolls to its heading and names it in the URL; the
    contents sit above the answer on a phone and beside it on a desktop."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + PAGES["article with a table"])
    toc = page.get_by_role("navigation", name="On this page")
    answer = page.locator(".answer")
    toc_box, answer_box = toc.bounding_box(), answer.bounding_box()
    if width < 1000:
        assert toc_box["y"] + toc_box["height"] <= answer_box["y"]
    else:
        assert toc_box["x"] >= answer_box["x"] + answer_box["width"]
        assert toc_box["y"] < answer_box["y"] + 100

    entries = toc.get_by_role("link")
    expect(entries).to_have_count(8)
    titles = entries.all_inner_texts()
    assert titles[:3] == ["Example Tables", "1. INNER JOIN", "2. LEFT (OUTER) JOIN"]
    for index, title in enumerate(titles):
        entries.nth(index).click()
        heading = answer.get_by_role("heading", name=title, exact=True)
        anchor = heading.get_attribute("id")
        assert anchor.startswith("answer-")
        expect(page).to_have_url(site + PAGES["article with a table"] + "#" + anchor)
        expect(heading).to_be_in_viewport(ratio=1)
        if width >= 1000:
            # The contents stay in view beside the text as it scrolls.
            expect(toc).to_be_in_viewport()


def test_code_blocks_name_their_language(site, page):
    """The SQL and Python blocks carry their language's name above the code, as text."""
    page.goto(site + PAGES["article with a table"])
    label = page.locator(".code-block .code-language").first
    expect(label).to_have_text("SQL")
    assert label.bounding_box()["y"] < page.locator(".code-block pre").first.bounding_box()["y"]
    page.goto(site + PAGES["article with code"])
    expect(page.locator(".code-language").first).to_have_text("Python")


# Reads the pixels of a screenshot in a blank page of the same browser (the site's CSP
# allows no data: image): the mean brightness of a few columns at each side of its middle
# rows, and of its centre, where table cells hold no text.
EDGE_SHADE = """async ([png, inset]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const shade = (x) => {
    const { data } = context.getImageData(x, 0, 3, image.height);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += data[i] + data[i + 1] + data[i + 2];
    return sum / (data.length / 4) / 3;
  };
  return { left: shade(inset), right: shade(image.width - inset - 3) };
}"""


def edge_shades(page, locator):
    """How bright the left and right edges of an element's box are, inside its border."""
    import base64

    box = locator.bounding_box()
    # A strip of the tbody rows only: the header row's own background hides the shadows.
    header = locator.locator("thead").bounding_box()
    clip = {
        "x": box["x"],
        "y": header["y"] + header["height"] + 2,
        "width": box["width"],
        "height": box["y"] + box["height"] - header["y"] - header["height"] - 4,
    }
    png = base64.b64encode(page.screenshot(clip=clip)).decode()
    reader = page.context.new_page()
    try:
        return reader.evaluate(EDGE_SHADE, [png, 2])
    finally:
        reader.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_table_wider_than_a_phone_shows_that_it_scrolls(site, page, scheme):
    """On a phone a shadow marks the side with more table, then moves as it is scrolled;
    a table that fits, on a desktop, has none."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + PAGES["article with a table"])
    table = page.locator(".table-scroll").first
    table.scroll_into_view_if_needed()
    assert not table.evaluate("el => el.scrollWidth > el.clientWidth")
    fits = edge_shades(page, table)
    assert abs(fits["left"] - fits["right"]) < 2

    page.set_viewport_size({"width": 390, "height": 800})
    table.scroll_into_view_if_needed()
    assert table.evaluate("el => el.scrollWidth > el.clientWidth")
    # A shadow darkens a light page and lightens a dark one.
    sign = 1 if scheme == "light" else -1
    start = edge_shades(page, table)
    assert sign * (start["left"] - start["right"]) > 8, start

    table.evaluate("el => el.scrollLeft = el.scrollWidth")
    end = edge_shades(page, table)
    assert sign * (end["right"] - end["left"]) > 8, end
