"""The Nu HTML checker (vnu-jar from npm) finds no error in any kind of page."""

import pytest
from django.core.management import call_command

from tests.checks import PAGES, vnu_errors
from tests.factories import make_article
from tests.folders import FIXTURES, REPO

# The checker is a Java program: seconds to start, and more for a page of each kind.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_kind_of_page_is_valid_html(client, tmp_path):
    """Home, subjects, a subject, articles with math, code and a table, topic, search, 404."""
    call_command("import_quicktakes", str(FIXTURES), verbosity=0)
    paths = []
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200)
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        paths.append(path)

    assert vnu_errors(paths) == []


def test_numbered_pagination_is_valid_html(client, tmp_path):
    """A list's middle page, with its numbered links, a gap and the current page."""
    for number in range(200):
        make_article(subject="Mathematics", slug=f"q{number}", question=f"Question {number}?")
    path = tmp_path / "paginated.html"
    response = client.get("/learn/mathematics/questions/?page=6")
    assert response.content.count(b'class="gap"') == 1
    path.write_bytes(response.content)
    assert vnu_errors([path]) == []


def test_the_checker_reports_errors():
    """The check itself works: a page with a stray end tag fails it."""
    broken = REPO / "tests" / "data" / "invalid.html"
    assert vnu_errors([broken]) != []
