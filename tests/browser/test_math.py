"""Math as a reader sees it in Chromium: the gallery (fixtures/) typeset, measured."""

import itertools

import pytest

from tests.checks import PAGES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

GALLERY = PAGES["math gallery"]


def open_gallery(site, page, width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + GALLERY)
    page.evaluate("document.fonts.ready")


def test_gallery_loads_the_math_font(site, page):
    """The math stylesheet's font is fetched and used on math, only the subsets the
    page's formulas need; pages without math skip it."""
    fonts = []
    page.on("response", lambda response: fonts.append(response.url.rsplit("/", 1)[-1]))
    open_gallery(site, page)
    fetched = sorted({name.split(".")[0] for name in fonts if name.endswith(".woff2")})
    assert fetched == ["noto-sans-math-core"]

    assert page.evaluate("document.fonts.check('16px \"Noto Sans Math\"')")
    family = page.locator(".answer math").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.startswith('"Noto Sans Math"')
    page.goto(site + PAGES["article with code"])
    assert page.locator('link[href*="math"]').count() == 0


def test_stretchy_brackets_are_as_tall_as_what_they_enclose(site, page):
    """Every stretchy fence (\\left[, matrix brackets, the brace of cases) is at least as tall
    as the tallest thing beside it."""
    open_gallery(site, page)

    fences = page.evaluate(
        """() => [...document.querySelectorAll('.answer mo[stretchy="true"][fence="true"]')]
            .filter(mo => mo.textContent.trim())
            .map(mo => {
                const others = [...mo.parentElement.children].filter(el => el.tagName !== 'mo');
                return {
                    fence: mo.textContent,
                    height: mo.getBoundingClientRect().height,
                    content: Math.max(...others.map(el => el.getBoundingClientRect().height)),
                };
            })"""
    )

    assert len(fences) >= 8
    short = [fence for fence in fences if fence["height"] < fence["content"] - 0.5]
    assert short == []


def test_aligned_rows_are_on_separate_lines_with_their_equals_signs_at_one_x(site, page):
    """Each row of the aligned system is below the last, its "=" at the same x and its left
    side ending at the same x."""
    open_gallery(site, page)

    rows = page.evaluate(
        """() => [...document.querySelector('.answer mtable').querySelectorAll('mtr')]
            .map(row => {
                const equals = [...row.querySelectorAll('mo')].find(mo => mo.textContent === '=');
                const left = row.querySelector('mtd > *');
                return {top: row.getBoundingClientRect().top,
                        bottom: row.getBoundingClientRect().bottom,
                        x: equals.getBoundingClientRect().left,
                        leftEnds: left.getBoundingClientRect().right};
            })"""
    )

    assert len(rows) == 3
    for above, below in itertools.pairwise(rows):
        assert below["top"] >= above["bottom"] - 0.5
    assert max(row["x"] for row in rows) - min(row["x"] for row in rows) < 0.5
    # The left sides are set flush right against the "=", as LaTeX sets them.
    assert max(row["leftEnds"] for row in rows) - min(row["leftEnds"] for row in rows) < 0.5


def test_no_text_in_the_answer_shows_a_backslash_command(site, page):
    """No text node of the typeset answer holds TeX such as "\\ce" or "\\arg"."""
    open_gallery(site, page)

    shown = page.evaluate(
        """() => {
            const walker = document.createTreeWalker(
                document.querySelector('.answer'), NodeFilter.SHOW_TEXT);
            const found = [];
            while (walker.nextNode()) {
                const text = walker.currentNode.data;
                if (/\\\\[A-Za-z]+/.test(text)) found.push(text);
            }
            return found;
        }"""
    )

    assert shown == []


@pytest.mark.parametrize("width", [1280, 390, 320])
def test_math_boxes_show_no_scrollbar_and_the_page_stays_in_the_viewport(site, page, width):
    """No display-math box can scroll vertically (so none shows a scrollbar for a formula a
    pixel taller than its box); at desktop width none scrolls at all; and the page is
    never wider than the viewport."""
    open_gallery(site, page, width)

    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.answer .math')].map(box => {
            // A box scrolls (and so shows a scrollbar, which headless Chromium hides) on
            // an axis its overflow lets scroll when its content is larger on that axis.
            const style = getComputedStyle(box);
            const scrolls = value => value === 'auto' || value === 'scroll';
            return {
                formula: box.textContent.slice(0, 30),
                vertical: scrolls(style.overflowY) && box.scrollHeight > box.clientHeight,
                sideways: scrolls(style.overflowX) && box.scrollWidth > box.clientWidth,
                inParagraph: box.closest('p') !== null,
            };        })"""
    )

    assert len(boxes) == 11
    assert [box for box in boxes if box["vertical"] or box["inParagraph"]] == []
    if width == 1280:
        assert [box for box in boxes if box["sideways"]] == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
