"""`make screenshots`: an article and the math gallery at phone and desktop widths, light
and dark, as PNGs.

Drives Debian's Chromium with Playwright against the demo content served as in
production, and writes docs/screenshots/<page>-<width>-<scheme>.png.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.demo_server import demo_server
from tests.checks import CHROMIUM_ARGS, PAGES, chromium_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SHOTS = {
    "article": (
        "/learn/computer-science/questions/what-is-a-sql-join-and-how-do-the-different-types-compare"
    ),
    "math": PAGES["math gallery"],
}
# Phones show the top of the article down to its first code block; desktops the whole page.
VIEWPORTS = {"phone": {"width": 390, "height": 1500}, "desktop": {"width": 1280, "height": 900}}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for shown, address in SHOTS.items():
            for name, viewport in VIEWPORTS.items():
                for scheme in ("light", "dark"):
                    page = browser.new_page(viewport=viewport, color_scheme=scheme)
                    page.goto(url + address)
                    page.evaluate("document.fonts.ready")
                    path = OUT / f"{shown}-{name}-{scheme}.png"
                    page.screenshot(path=path, full_page=name == "desktop")
                    page.close()
                    print(path.relative_to(ROOT))
        browser.close()


if __name__ == "__main__":
    main()
