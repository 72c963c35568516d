"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on any kind of page."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

from learn.models import Article
from tests.checks import PAGES, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)
# Another transactional test may have flushed the group away: make it as the migration does.
create_editors = import_module("learn.migrations.0003_editors_group").create_editors


@pytest.mark.parametrize(
    "scheme, width", [("light", 1280), ("dark", 320)], ids=["light-desktop", "dark-phone"]
)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(site, page, name, scheme, width):
    """Each page passes axe, in light mode on a desktop and in dark mode on a small phone."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(site + PAGES[name])
    if name == "404":
        assert response.status == 404
        page.console_errors.clear()
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_draft_preview_banner_passes_axe(site, page, scheme):
    """An editor's preview of a draft, banner included, passes axe in light and dark."""
    slug = PAGES["article with a table"].rsplit("/", 1)[1]
    Article.objects.filter(slug=slug).update(status=Article.Status.DRAFT)
    user = User.objects.create_user("editor", password="editor-pass", is_staff=True)
    create_editors(apps, None)
    user.groups.add(Group.objects.get(name="Editors"))
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-pass")
    page.get_by_role("button", name="Log in").click()

    page.emulate_media(color_scheme=scheme)
    page.goto(site + PAGES["article with a table"])
    assert page.locator(".draft-banner").inner_text().startswith("Draft preview")
    assert axe_violations(page) == []
