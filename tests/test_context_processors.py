"""The header's subject navigation: one cached query, only published subjects, current marked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learn.context_processors import nav_subjects
from learn.models import Article, Subject
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_lists_subjects_with_published_articles_by_name():
    """Subjects without published articles are left out; the rest come by name."""
    make_article(slug="a", subject="Physics")
    make_article(slug="b", subject="Biology")
    make_article(slug="c", subject="Chemistry")
    Article.objects.filter(slug="c").update(status=Article.Status.DRAFT)
    Subject.objects.create(name="Empty", slug="empty")

    assert nav_subjects() == [
        {"name": "Biology", "slug": "biology"},
        {"name": "Physics", "slug": "physics"},
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
    assert '<a href="/learn/" aria-current="page">All subjects</a>' in html
