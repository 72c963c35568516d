"""`make screenshots`: an article at phone and desktop widths, light and dark, as PNGs,
and the admin's article form with its live preview, at desktop and phone width.

Drives Debian's Chromium with Playwright against the demo content served as in
production, and writes docs/screenshots/article-<width>-<scheme>.png and
docs/screenshots/editor-preview-<width>.png.
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
EDITOR = ("screenshots", "screenshots-only-password")


def editor_preview(browser, url):
    """The article's change form, the answer edited and previewed beside it unsaved."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(url + "/admin/learn/article/?q=" + ARTICLE.rsplit("/", 1)[1])
    page.locator("#result_list tbody th a").first.click()
    preview = page.frame_locator("#article-preview")
    preview.locator(".answer").wait_for()
    answer = page.locator("#id_answer")
    answer.fill("**Edited, not saved:** " + answer.input_value())
    preview.locator(".answer strong", has_text="Edited, not saved").wait_for()
    answer.evaluate("textarea => textarea.scrollTo(0, 0)")
    page.evaluate("window.scrollTo(0, 0)")
    for width in ("desktop", "phone"):
        if width == "phone":
            page.get_by_role("button", name="Phone width").click()
        path = OUT / f"editor-preview-{width}.png"
        page.screenshot(path=path)
        print(path.relative_to(ROOT))
    page.close()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server(editor=EDITOR) as url, sync_playwright() as playwright:
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
        editor_preview(browser, url)
        browser.close()


if __name__ == "__main__":
    main()
