"""Related articles: curated links first, topped up to five by shared topics and subject."""

import pytest

from learn.importer import import_sources
from learn.models import Article
from learn.related import computed_related, related_articles
from learn.sources import Source
from tests.conftest import article_text

pytestmark = pytest.mark.django_db

URL = "/learn/computer-science/questions/main"


def add(slug, **fields):
    result = import_sources([Source(f"{slug}.md", article_text(slug=slug, **fields).encode())])
    assert not result.failed, result.failed


def related_slugs(client):
    return [article.slug for article in client.get(URL).context["related_articles"]]


def test_curated_links_come_first_then_the_most_related(client):
    """One curated link, then four articles by shared topics, most shared first."""
    add("three", id=3, keywords="a, b, c", subject="Mathematics")
    add("two", id=4, keywords="a, b", subject="Mathematics")
    add("one", id=5, keywords="a", subject="Mathematics")
    add("none", id=6, keywords="z", subject="Mathematics")
    add("same-subject", id=7, keywords="z")
    add("curated", id=2, keywords="z", subject="Mathematics")
    add("main", id=1, keywords="a, b, c", related=[(2, "Mathematics", "curated")])
    assert related_slugs(client) == ["curated", "three", "two", "one", "same-subject"]


def test_same_subject_breaks_ties(client):
    """Of two articles sharing as many topics, the one in the same subject ranks first."""
    add("elsewhere", id=2, keywords="a", subject="Mathematics", date="2024-12-20")
    add("here", id=3, keywords="a", date="2024-12-01")
    add("main", id=1, keywords="a")
    assert related_slugs(client)[:2] == ["here", "elsewhere"]


def test_never_itself_a_duplicate_or_an_unpublished_article(client):
    """The fill skips the article itself, curated targets and drafts."""
    add("curated", id=2, keywords="a")
    add("draft", id=3, keywords="a")
    add("main", id=1, keywords="a", related=[(2, "Computer Science", "curated")] * 2)
    Article.objects.filter(slug="draft").update(status=Article.Status.DRAFT)
    assert related_slugs(client) == ["curated"]


def test_five_curated_links_need_no_computed_ones(django_assert_num_queries):
    """With five curated articles nothing is computed and no query is made."""
    add("main", id=1)
    article = Article.objects.get()
    curated = [article] * 5
    with django_assert_num_queries(0):
        assert related_articles(article, curated, []) == curated


def test_computed_related_query_count_does_not_grow_with_candidates(
    django_assert_max_num_queries,
):
    """Scoring any number of candidates takes the same few queries, never one per candidate."""
    for number in range(30):
        add(f"q{number}", id=number + 10, keywords="a, b, c")
    add("main", id=1, keywords="a, b, c")
    article = Article.objects.get(slug="main")
    tag_ids = list(article.tags.values_list("pk", flat=True))
    with django_assert_max_num_queries(4):
        related = computed_related(article, tag_ids=tag_ids)
    assert len(related) == 5 and article not in related


def test_article_page_query_count_is_bounded(client, django_assert_max_num_queries):
    """An article page with related articles stays within a fixed number of queries."""
    for number in range(30):
        add(f"q{number}", id=number + 10, keywords="a, b, c")
    add("main", id=1, keywords="a, b, c", related=[(10, "Computer Science", "q0")])
    with django_assert_max_num_queries(6):
        assert len(client.get(URL).context["related_articles"]) == 5


def test_an_article_without_topics_is_filled_from_its_subject(client):
    """With no topics to share, articles of the same subject fill the block."""
    add("other", id=2, keywords="")
    add("elsewhere", id=3, keywords="", subject="Mathematics")
    add("main", id=1, keywords="")
    assert related_slugs(client) == ["other"]
