"""`make screenshots`: an article at phone and desktop widths, light and dark, as PNGs,
and the editors' history pages.

Drives Debian's Chromium with Playwright against the demo content served as in
production, and writes docs/screenshots/article-<width>-<scheme>.png, then
admin-history.png and admin-compare.png (an article edited once by an editor after
its import: its revisions, and the diff of the two).
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.demo_server import demo_site
from tests.checks import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARTICLE = (
    "/learn/computer-science/questions/what-is-a-sql-join-and-how-do-the-different-types-compare"
)
# Phones show the top of the article down to its first code block; desktops the whole page.
VIEWPORTS = {"phone": {"width": 390, "height": 1500}, "desktop": {"width": 1280, "height": 900}}


# An editor edits the article's answer after its import, and gets a session: the
# history then has two revisions, and the browser needs no login (django-axes).
EDIT_AS_EDITOR = f"""
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from learn import history
from learn.models import Article
from learn.paths import parse_article_path

editor = User.objects.create_user("ana", is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
subject, slug = parse_article_path({ARTICLE!r})
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


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_site() as site, sync_playwright() as playwright:
        url = site.url
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
        history_pages(browser, site)
        browser.close()


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
