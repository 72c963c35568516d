"""Related articles: curated links first, topped up to five by shared topics and subject."""

import datetime

import pytest

from learn.models import Article
from learn.related import computed_related, related_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/learn/computer-science/questions/main"


def related_slugs(client):
    return [article.slug for article in client.get(URL).context["related_articles"]]


def test_curated_links_come_first_then_the_most_related(client):
    """One curated link, then four articles by shared topics, most shared first."""
    make_article(slug="three", tags=["a", "b", "c"], subject="Mathematics")
    make_article(slug="two", tags=["a", "b"], subject="Mathematics")
    make_article(slug="one", tags=["a"], subject="Mathematics")
    make_article(slug="none", tags=["z"], subject="Mathematics")
    make_article(slug="same-subject", tags=["z"])
    curated = make_article(slug="curated", tags=["z"], subject="Mathematics")
    make_article(slug="main", tags=["a", "b", "c"], related=[curated])
    assert related_slugs(client) == ["curated", "three", "two", "one", "same-subject"]


def test_same_subject_breaks_ties(client):
    """Of two articles sharing as many topics, the one in the same subject ranks first."""
    make_article(
        slug="elsewhere",
        tags=["a"],
        subject="Mathematics",
        published_on=datetime.date(2024, 12, 20),
    )
    make_article(slug="here", tags=["a"], published_on=datetime.date(2024, 12, 1))
    make_article(slug="main", tags=["a"])
    assert related_slugs(client)[:2] == ["here", "elsewhere"]


def test_never_itself_a_duplicate_or_an_unpublished_article(client):
    """The fill skips the article itself, curated targets and drafts."""
    curated = make_article(slug="curated", tags=["a"])
    make_article(slug="draft", tags=["a"])
    make_article(slug="main", tags=["a"], related=[curated] * 2)
    Article.objects.filter(slug="draft").update(status=Article.Status.DRAFT)
    assert related_slugs(client) == ["curated"]


def test_five_curated_links_need_no_computed_ones(django_assert_num_queries):
    """With five curated articles nothing is computed and no query is made."""
    article = make_article(slug="main")
    curated = [article] * 5
    with django_assert_num_queries(0):
        assert related_articles(article, curated, []) == curated


def test_computed_related_query_count_does_not_grow_with_candidates(
    django_assert_max_num_queries,
):
    """Scoring any number of candidates takes the same few queries, never one per candidate."""
    for number in range(30):
        make_article(slug=f"q{number}", tags=["a", "b", "c"])
    article = make_article(slug="main", tags=["a", "b", "c"])
    tag_ids = list(article.tags.values_list("pk", flat=True))
    with django_assert_max_num_queries(4):
        related = computed_related(article, tag_ids=tag_ids)
    assert len(related) == 5 and article not in related


def test_article_page_query_count_is_bounded(client, django_assert_max_num_queries):
    """An article page with related articles stays within a fixed number of queries."""
    first = make_article(slug="q0", tags=["a", "b", "c"])
    for number in range(1, 30):
        make_article(slug=f"q{number}", tags=["a", "b", "c"])
    make_article(slug="main", tags=["a", "b", "c"], related=[first])
    # One of them, the next scheduled publication, is shared by every page for minutes.
    with django_assert_max_num_queries(7):
        assert len(client.get(URL).context["related_articles"]) == 5


def test_an_article_without_topics_is_filled_from_its_subject(client):
    """With no topics to share, articles of the same subject fill the block."""
    make_article(slug="other")
    make_article(slug="elsewhere", subject="Mathematics")
    make_article(slug="main")
    assert related_slugs(client) == ["other"]
