"""Topic pages: the published articles sharing a keyword, whatever its spelling."""

import datetime

import pytest

from learn.models import Article
from learn.topics import indexable_topics
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_topic_page_lists_published_articles_sharing_it(client):
    """/topics/<slug>/ lists the published articles with that topic, newest first."""
    make_article(
        slug="a",
        question="Question A?",
        tags=["Recursion"],
        published_on=datetime.date(2024, 12, 1),
    )
    make_article(
        slug="b",
        question="Question B?",
        tags=["recursion", "trees"],
        published_on=datetime.date(2024, 12, 2),
    )
    make_article(slug="c", question="Question C?", tags=["trees"])
    make_article(slug="d", question="Question D?", tags=["recursion"])
    Article.objects.filter(slug="d").update(status=Article.Status.DRAFT)
    response = client.get("/topics/recursion/")
    assert response.status_code == 200
    assert [a.slug for a in response.context["object_list"]] == ["b", "a"]
    html = response.content.decode()
    assert "<h1>Recursion</h1>" in html
    assert "<title>Recursion: questions and answers | QuickTakes</title>" in html
    assert 'name="robots"' not in html


def test_spelling_variants_are_one_topic(client):
    """ "Big O", "big-o" and "Big_O" are one topic, at its smallest slug."""
    make_article(slug="a", tags=["Big O"])
    make_article(slug="b", tags=["big-o"])
    make_article(slug="c", tags=["Big_O"])
    response = client.get("/topics/big-o/")
    assert {a.slug for a in response.context["object_list"]} == {"a", "b", "c"}
    for variant in ("big-o_1", "big_o"):
        other = client.get(f"/topics/{variant}/")
        assert other.status_code == 301
        assert other["Location"] == "/topics/big-o/"


def test_thin_topics_are_noindex_and_out_of_the_sitemap(client):
    """A topic with fewer than two published articles is not indexed nor listed."""
    make_article(slug="a", tags=["rare", "common"])
    make_article(slug="b", tags=["common"])
    html = client.get("/topics/rare/").content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert list(indexable_topics()) == ["common"]
    sitemap = client.get("/sitemap-topics.xml").content.decode()
    assert "/topics/common/" in sitemap
    assert "/topics/rare/" not in sitemap


def test_topic_pages_paginate(client):
    """Topics list 20 articles a page."""
    for number in range(21):
        make_article(slug=f"q{number}", tags=["paging"])
    assert len(client.get("/topics/paging/").context["object_list"]) == 20
    page2 = client.get("/topics/paging/", {"page": 2})
    assert len(page2.context["object_list"]) == 1
    assert '<link rel="canonical" href="http://testserver/topics/paging/?page=2">' in (
        page2.content.decode()
    )


def test_unknown_topic_is_not_found(client):
    """A slug that names no topic is a 404."""
    assert client.get("/topics/nothing/").status_code == 404


def test_article_links_its_topics(client):
    """An article's topics link to their pages."""
    make_article(tags=["testing", "Big O"])
    html = client.get("/learn/computer-science/questions/what-is-a-test").content.decode()
    assert '<a href="/topics/testing/" rel="tag">testing</a>' in html
    assert '<a href="/topics/big-o/" rel="tag">Big O</a>' in html


def test_old_topic_urls_redirect_permanently(client):
    """/learn/topics/<slug>/, where topics used to live, answers 301 with its query."""
    response = client.get("/learn/topics/paging/", {"page": 2})
    assert (response.status_code, response["Location"]) == (301, "/topics/paging/?page=2")


def test_a_subject_slugged_topics_owns_its_list(client):
    """Topics live outside /learn/, so a subject may be called Topics like any other."""
    make_article(subject="Topics", tags=["questions"])
    response = client.get("/learn/topics/questions/")
    assert response.status_code == 200
    assert response.context["subject"].slug == "topics"
    assert client.get("/learn/topics/questions/what-is-a-test").status_code == 200
