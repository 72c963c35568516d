"""`make screenshots`: an article at phone and desktop widths, light and dark, as PNGs.

Drives Debian's Chromium with Playwright against the demo content served as in
production, and writes docs/screenshots/article-<width>-<scheme>.png, and a long
article with its table of contents (above the answer on a phone, beside it on a
desktop) as docs/screenshots/toc-<width>.png.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.demo_server import demo_server
from tests.checks import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARTICLE = (
    "/learn/computer-science/questions/what-is-a-sql-join-and-how-do-the-different-types-compare"
)
# Phones show the top of the article down to its first code block; desktops the whole page.
VIEWPORTS = {"phone": {"width": 390, "height": 1500}, "desktop": {"width": 1280, "height": 900}}
# Seven headings; shown from its top (the contents above the answer, 390 px) and scrolled
# to its third heading (the contents beside the text and still in view, 1280 px).
LONG_ARTICLE = "/learn/education-studies/questions/what-are-the-current-trends-in-coding-education"
TOC_VIEWPORTS = {
    "phone": {"width": 390, "height": 1100},
    "desktop": {"width": 1280, "height": 800},
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for name, viewport in VIEWPORTS.items():
            for scheme in ("light", "dark"):
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                page.goto(url + ARTICLE)
                path = OUT / f"article-{name}-{scheme}.png"
                page.screenshot(path=path, full_page=name == "desktop")
                page.close()
                print(path.relative_to(ROOT))
        for name, viewport in TOC_VIEWPORTS.items():
            page = browser.new_page(viewport=viewport)
            page.goto(url + LONG_ARTICLE)
            if name == "desktop":
                page.locator(".answer h2").nth(2).scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, 200)")
            path = OUT / f"toc-{name}.png"
            page.screenshot(path=path)
            page.close()
            print(path.relative_to(ROOT))
        browser.close()


if __name__ == "__main__":
    main()
