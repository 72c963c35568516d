"""Atom feeds of the latest articles, site-wide and per subject, read with feedparser."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from learn.feeds import FEED_SIZE
from learn.models import Article, publication_moment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def test_site_feed_lists_the_latest_published_articles(client):
    """/feed/ is well-formed Atom with the newest published articles first."""
    make_article(slug="old", question="Old question?", published_on=datetime.date(2024, 12, 1))
    make_article(
        slug="new",
        question="New <b>question</b> & more?",
        published_on=datetime.date(2024, 12, 11),
        tags=["testing", "quality"],
    )
    make_article(slug="draft", question="Draft?")
    Article.objects.filter(slug="draft").update(status=Article.Status.DRAFT)
    feed = parse(client, "/feed/")
    assert feed.feed.title == "QuickTakes: latest questions"
    assert [entry.title for entry in feed.entries] == [
        "New <b>question</b> & more?",
        "Old question?",
    ]
    entry = feed.entries[0]
    assert entry.link == "http://testserver/learn/computer-science/questions/new"
    assert entry.summary == "About New <b>question</b> & more?"
    assert entry.published.startswith("2024-12-11")
    assert entry.author == "QuickTakes"
    assert {tag.term for tag in entry.tags} == {"testing", "quality"}


def test_site_feed_is_limited(client):
    """The feed carries at most FEED_SIZE entries."""
    for number in range(FEED_SIZE + 1):
        make_article(slug=f"q{number}")
    assert len(parse(client, "/feed/").entries) == FEED_SIZE


def test_subject_feed_lists_only_that_subject(client):
    """/learn/<subject>/feed/ carries that subject's articles only."""
    make_article(slug="cs", subject="Computer Science")
    make_article(slug="maths", subject="Mathematics")
    feed = parse(client, "/learn/mathematics/feed/")
    assert feed.feed.title == "QuickTakes: Mathematics"
    assert [entry.link for entry in feed.entries] == [
        "http://testserver/learn/mathematics/questions/maths"
    ]


def test_unknown_subject_feed_is_not_found(client):
    """A feed for a subject that does not exist is a 404."""
    assert client.get("/learn/nothing/feed/").status_code == 404


def test_feeds_list_a_scheduled_article_from_its_moment(client, clock):
    """The feeds leave out an article until its date and time, and list it from then."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    make_article(published_on=day, published_time=datetime.time(18, 15))
    moment = publication_moment(day, datetime.time(18, 15))
    clock(moment - datetime.timedelta(minutes=1))
    assert parse(client, "/feed/").entries == []
    clock(moment)
    (entry,) = parse(client, "/learn/computer-science/feed/").entries
    assert entry.published == moment.isoformat()
