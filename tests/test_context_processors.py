"""The header's subject navigation: one cached query, only published subjects, current marked,
the largest in its row and every one in its "All subjects" menu."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learn.context_processors import ROW_SUBJECTS, header, nav_subjects, row_subjects
from learn.models import Article, Subject
from tests.factories import make_article, make_subject

pytestmark = pytest.mark.django_db


def subject(name, count):
    return {"name": name, "slug": name.lower(), "live_articles": count}


# Eight subjects by name, as nav_subjects lists them; their sizes are 1 to 8 but shuffled.
SIZES = {"A": 3, "B": 8, "C": 1, "D": 6, "E": 2, "F": 7, "G": 5, "H": 4}
SUBJECTS = [subject(name, count) for name, count in SIZES.items()]


def test_lists_subjects_with_published_articles_by_name():
    """Subjects without published articles are left out; the rest come by name, counted."""
    make_article(slug="a", subject="Physics")
    make_article(slug="b", subject="Biology")
    make_article(slug="c", subject="Chemistry")
    Article.objects.filter(slug="c").update(status=Article.Status.DRAFT)
    Subject.objects.create(name="Empty", slug="empty")

    assert nav_subjects() == [
        {
            "name": "Biology",
            "slug": "biology",
            "live_articles": 1,
            "path": "/learn/biology/questions/",
        },
        {
            "name": "Physics",
            "slug": "physics",
            "live_articles": 1,
            "path": "/learn/physics/questions/",
        },
    ]


def test_one_query_then_cached():
    """The first call asks the database for the subjects and for the next scheduled
    publication (which bounds the timeout); later calls within the timeout do not."""
    make_article()
    with CaptureQueriesContext(connection) as first:
        nav_subjects()
    with CaptureQueriesContext(connection) as second:
        nav_subjects()

    assert len(first) == 2
    assert len(second) == 0


def test_the_row_has_the_largest_subjects_by_name():
    """The ROW_SUBJECTS largest, in name order: the order of the others does not matter."""
    assert ROW_SUBJECTS == 6
    assert [s["name"] for s in row_subjects(SUBJECTS)] == ["A", "B", "D", "F", "G", "H"]


def test_the_current_subject_joins_the_row_at_its_end():
    """A smaller subject being read is added last; one already in the row is not repeated."""
    assert [s["name"] for s in row_subjects(SUBJECTS, "c")] == ["A", "B", "D", "F", "G", "H", "C"]
    assert [s["name"] for s in row_subjects(SUBJECTS, "b")] == ["A", "B", "D", "F", "G", "H"]
    assert len(row_subjects(SUBJECTS, "no-such-subject")) == ROW_SUBJECTS


def test_equal_subjects_enter_the_row_by_name():
    """Among subjects of equal size the row takes them in name order."""
    equal = [subject(name, 1) for name in "ABCDEFGH"]

    assert [s["name"] for s in row_subjects(equal)] == ["A", "B", "C", "D", "E", "F"]


def test_the_header_changes_only_with_what_it_shows():
    """A count that moves no subject in or out of the row leaves the header as it was."""
    recounted = [
        {**s, "live_articles": s["live_articles"] + (5 if s["name"] == "B" else 0)}
        for s in SUBJECTS
    ]
    grown = [
        {**s, "live_articles": 100 if s["name"] == "C" else s["live_articles"]} for s in SUBJECTS
    ]

    assert header(recounted) == header(SUBJECTS)
    assert header(grown) != header(SUBJECTS)
    assert header(SUBJECTS[:-1]) != header(SUBJECTS)


def test_every_page_has_the_navigation_with_the_current_subject_marked(client):
    """The header links every subject; a subject's list is the current page, its articles in it."""
    make_article(slug="a")
    make_article(slug="b", subject="Biology")

    html = client.get("/").content.decode()
    assert '<nav class="subject-nav" aria-label="Subjects">' in html
    assert '<a href="/learn/biology/questions/">Biology</a>' in html
    assert "aria-current" not in html

    html = client.get("/learn/computer-science/questions/").content.decode()
    assert '<a href="/learn/computer-science/questions/" aria-current="page">' in html

    html = client.get("/learn/computer-science/questions/a").content.decode()
    assert '<a href="/learn/computer-science/questions/" aria-current="true">' in html

    html = client.get("/learn/").content.decode()
    assert '<a href="/learn/" aria-current="page">Subjects overview</a>' in html


def forty_subjects():
    """Forty subjects, the n-th with n articles (the corpus has forty)."""
    for n in range(1, 41):
        name = f"Subject {n:02}"
        for i in range(n):
            make_article(subject=make_subject(name), slug=f"q-{i}", question=f"Question {i}?")


def header_links(html):
    row = re.search(r'<ul class="subject-nav__row">(.*?)</ul>', html, re.DOTALL)[1]
    menu = re.search(r'<details class="subject-menu">(.*?)</details>', html, re.DOTALL)[1]
    return re.findall(r">(Subject \d\d)</a>", row), re.findall(r">(Subject \d\d)</a>", menu)


def test_with_forty_subjects_the_row_has_the_largest_and_the_current_one(client):
    """Forty subjects: the row shows the six largest and the current one, the menu all forty."""
    forty_subjects()

    row, menu = header_links(client.get("/").content.decode())
    assert row == [f"Subject {n}" for n in range(35, 41)]
    assert menu == [f"Subject {n:02}" for n in range(1, 41)]

    html = client.get("/learn/subject-03/questions/q-0").content.decode()
    row, menu = header_links(html)
    assert row == [*(f"Subject {n}" for n in range(35, 41)), "Subject 03"]
    assert len(menu) == 40
    assert html.count("aria-current") == 1
    current = '<a href="/learn/subject-03/questions/" aria-current="true">'
    assert f'<li class="subject-nav__current">{current}' in html


def test_the_header_costs_one_query_whatever_the_number_of_subjects(
    client, django_assert_num_queries
):
    """A page with forty subjects in its header asks what it asks with one: its own two
    queries (scheduled counts, the subjects) and the navigation's two (the subjects, and
    the next scheduled publication that bounds how long it is kept), none once cached."""
    make_article(slug="only")
    cache.clear()
    with django_assert_num_queries(4):
        client.get("/learn/")
    forty_subjects()
    cache.clear()
    with django_assert_num_queries(4):
        assert client.get("/learn/").status_code == 200
    cache.clear()
    nav_subjects()
    with django_assert_num_queries(2):
        client.get("/learn/")


def test_the_navigation_is_rendered_once_for_the_pages_that_show_the_same(client):
    """Two articles of a subject show the same header: the second page renders no
    navigation template; another subject's article, whose current subject differs, does,
    and so does a page after the subjects changed."""
    make_article(slug="a")
    make_article(slug="b")
    make_article(slug="c", subject="Biology")
    cache.clear()

    def renders_navigation(url):
        response = client.get(url, {"page": url})  # a page the page cache has not kept
        assert response.status_code == 200
        return "includes/subject_nav.html" in [t.name for t in response.templates]

    renders_navigation("/learn/computer-science/questions/a")
    assert not renders_navigation("/learn/computer-science/questions/b")
    assert renders_navigation("/learn/biology/questions/c")
    make_article(slug="d", subject="Physics")
    cache.clear()
    assert renders_navigation("/learn/computer-science/questions/b")
    html = client.get("/learn/computer-science/questions/a", {"page": "x"}).content.decode()
    assert '<a href="/learn/physics/questions/">Physics</a>' in html
