"""`make screenshots`: reader pages (an article, the math gallery, a misspelt search, a
mistyped URL's 404 page, the home page, the topics index) at phone and desktop widths,
light and dark, and the editors' admin pages the README shows (the article form with
its live preview, the broken-links report, an import run, an article's history and a
comparison of two revisions), as PNGs.

Drives Debian's Chromium with Playwright against the demo content served as in
production, and writes docs/screenshots/<page>-<width>-<scheme>.png, a long article
with its table of contents (above the answer on a phone, beside it on a desktop) as
docs/screenshots/toc-<width>.png, docs/screenshots/editor-preview-<width>.png and
docs/screenshots/admin-<page>.png (signed in as a member of the Editors group).
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.demo_server import demo_site
from tests.checks import CHROMIUM_ARGS, PAGES, chromium_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# The pages shot, by the name their files start with: the search corrects "gradiant",
# and the 404 page suggests the article whose slug has that slip.
SHOTS = {
    "article": (
        "/learn/computer-science/questions/"
        "what-is-a-sql-join-and-how-do-the-different-types-compare"
    ),
    "search-correction": "/search/?q=gradiant",
    "not-found": "/learn/mathematics/questions/what-is-the-gradiant-of-a-function",
    "home": "/",
    "topics": "/topics/",
    "math": PAGES["math gallery"],
}
# Phones show the top of the article down to its first code block; desktops the whole page.
VIEWPORTS = {"phone": {"width": 390, "height": 1500}, "desktop": {"width": 1280, "height": 900}}
EDITOR = ("screenshots-editor", "screenshots-only-password")
# An editor, an answer linking to a page that is not there, and an import run that
# updated a file (its diff) and created another.
SETUP = f"""
from django.contrib.auth.models import Group, User
from learn.import_runs import import_files
from learn.models import Article
from learn.sources import Source
from pathlib import Path

user = User.objects.create_user({EDITOR[0]!r}, password={EDITOR[1]!r}, is_staff=True)
user.groups.add(Group.objects.get(name="Editors"))
slug = "why-can-humans-digest-starch-but-not-cellulose"
old = Path(f"fixtures/biology/{{slug}}.md").read_text()
new = old.replace("long chains of glucose", "long, unbranched chains of glucose", 1)
cows = old.replace(slug, "why-can-cows-digest-cellulose").replace(
    "Why can humans digest starch but not cellulose?", "Why can cows digest cellulose?"
)
import_files(
    [Source(f"biology/{{slug}}.md", new.encode()), Source("biology/cows.md", cows.encode())],
    origin="command", source="biology/", user=user,
)
article = Article.objects.get(slug="why-can-humans-digest-starch-but-not-cellulose")
article.answer += "\\n\\nSee also [the Calvin cycle](/learn/biology/questions/the-calvin-cycle)."
article.save()
"""
# Seven headings; shown from its top (the contents above the answer, 390 px) and scrolled
# to its third heading (the contents beside the text and still in view, 1280 px).
LONG_ARTICLE = "/learn/education-studies/questions/what-are-the-current-trends-in-coding-education"
TOC_VIEWPORTS = {
    "phone": {"width": 390, "height": 1100},
    "desktop": {"width": 1280, "height": 800},
}

EDIT_AS_EDITOR = f"""
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from learn import history
from learn.models import Article
from learn.paths import parse_article_path

editor = User.objects.create_user("ana", is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
subject, slug = parse_article_path({SHOTS["article"]!r})
article = Article.objects.get(subject__slug=subject, slug=slug)
lines = article.answer.splitlines()
article.answer = "\\n".join([*lines[:3], "A line an editor added.", *lines[3:]])
article.save(update_fields=["answer", "updated_at"])
history.record([article.pk], via="admin", user=editor, comment="Changed Answer.")
session = SessionStore()
session[SESSION_KEY] = str(editor.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
session.create()
print(article.pk, session.session_key)
"""


def editor_preview(browser, url):
    """The article's change form, the answer edited and previewed beside it unsaved."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(url + "/admin/learn/article/?q=" + SHOTS["article"].rsplit("/", 1)[1])
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


# An editor edits the article's answer after its import, and gets a session: the
# history then has two revisions, and the browser needs no login (django-axes).


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_site(SETUP) as site, sync_playwright() as playwright:
        url = site.url
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        for shot, path in SHOTS.items():
            for name, viewport in VIEWPORTS.items():
                for scheme in ("light", "dark"):
                    page = browser.new_page(viewport=viewport, color_scheme=scheme)
                    page.goto(url + path)
                    page.evaluate("document.fonts.ready")
                    png = OUT / f"{shot}-{name}-{scheme}.png"
                    page.screenshot(path=png, full_page=name == "desktop")
                    page.close()
                    print(png.relative_to(ROOT))
        long_article(browser, url)
        admin_pages(browser, url)
        editor_preview(browser, url)
        history_pages(browser, site)
        browser.close()


def long_article(browser, url):
    """A long answer's table of contents: above it on a phone, beside it on a desktop."""
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


def admin_pages(browser, url):
    """The broken-links report and the newest import run's page, on a desktop."""
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill(EDITOR[0])
    page.get_by_label("Password").fill(EDITOR[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(url + "/admin/reports/broken-links/")
    shoot(page, "broken-links")
    page.goto(url + "/admin/reports/broken-links/?kind=answers")
    shoot(page, "broken-links-answers")
    page.goto(url + "/admin/learn/importrun/")
    page.locator("#result_list tbody tr a").first.click()
    page.locator(".import-files summary").first.click()
    shoot(page, "import-run")
    page.close()


def shoot(page, name):
    path = OUT / f"admin-{name}.png"
    page.screenshot(path=path, full_page=True)
    print(path.relative_to(ROOT))


def history_pages(browser, site):
    """The editors' history list and the diff of its two revisions, on a desktop."""
    output = site.manage("shell", "-v", "0", "-c", EDIT_AS_EDITOR)
    article_id, session_key = output.splitlines()[-1].split()
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_cookies([{"name": "sessionid", "value": session_key, "url": site.url}])
    page = context.new_page()
    page.goto(f"{site.url}/admin/learn/article/{article_id}/history/")
    path = OUT / "admin-history.png"
    page.screenshot(path=path)
    print(path.relative_to(ROOT))
    page.get_by_role("button", name="Compare the chosen revisions").click()
    path = OUT / "admin-compare.png"
    page.screenshot(path=path, full_page=True)
    print(path.relative_to(ROOT))
    context.close()


if __name__ == "__main__":
    main()
