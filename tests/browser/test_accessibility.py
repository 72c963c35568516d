"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on any kind of page."""

import pytest

from tools.checks import PAGES, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


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
