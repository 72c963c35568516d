"""Related articles: curated links first, topped up to five by shared topics and subject."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag, TaggedItem

from learn import related
from learn.models import Article, RelatedArticle
from learn.related import MAX_MERGED, STORED, refresh_related, related_articles
from tests.conftest import article_text
from tests.factories import make_article
from tests.plans import query_plan

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
    """With five curated articles no stored one is read."""
    article = make_article(slug="main")
    curated = [article] * 5
    with django_assert_num_queries(0):
        assert related_articles(article, curated) == curated


def test_stored_related_are_read_in_one_query(django_assert_num_queries):
    """However many articles share its topics, the page reads its list in one query."""
    for number in range(30):
        make_article(slug=f"q{number}", tags=["a", "b", "c"])
    article = make_article(slug="main", tags=["a", "b", "c"])
    with django_assert_num_queries(1):
        related = related_articles(article, [])
    assert len(related) == 5 and article not in related
    assert RelatedArticle.objects.filter(article=article).count() == STORED


def test_too_few_stored_are_filled_from_the_subject_in_one_more_query(
    django_assert_num_queries,
):
    make_article(slug="shares", tags=["a"])
    for number in range(5):
        make_article(slug=f"plain{number}")
    article = make_article(slug="main", tags=["a"])
    with django_assert_num_queries(2):
        related = related_articles(article, [])
    assert [a.slug for a in related] == ["shares", "plain4", "plain3", "plain2", "plain1"]


def test_article_page_queries(client, django_assert_num_queries):
    """The article, its topics, its curated links, its stored related articles and the
    previous and next article: six queries (seven with the header's subjects, cached for
    a minute), with no page cache."""
    first = make_article(slug="q0", tags=["a", "b", "c"])
    for number in range(1, 30):
        make_article(slug=f"q{number}", tags=["a", "b", "c"])
    make_article(slug="main", tags=["a", "b", "c"], related=[first])
    # One of them, the next scheduled publication, is shared by every page for minutes.
    with django_assert_num_queries(8):
        assert len(client.get(URL).context["related_articles"]) == 5
    # Another page of the cache (only ?page= makes one), the header's subjects cached.
    with django_assert_num_queries(6):
        response = client.get(URL + "?page=2")
    assert len(response.context["related_articles"]) == 5


def test_an_article_without_topics_is_filled_from_its_subject(client):
    """With no topics to share, articles of the same subject fill the block."""
    make_article(slug="other")
    make_article(slug="elsewhere", subject="Mathematics")
    make_article(slug="main")
    assert related_slugs(client) == ["other"]


def stored(article):
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("rank")
        .values_list("target__slug", flat=True)
    )


def test_a_new_article_enters_the_lists_it_beats(client):
    """An article sharing more topics than a list's last entry is merged into it."""
    main = make_article(slug="main", tags=["a", "b"])
    for number in range(STORED):
        make_article(slug=f"weak{number}", tags=["a"], subject="Mathematics")
    assert "strong" not in stored(main)
    make_article(slug="strong", tags=["a", "b"], subject="Mathematics")
    assert stored(main)[0] == "strong"
    assert len(stored(main)) == STORED
    assert related_slugs(client)[0] == "strong"


def test_an_unpublished_article_leaves_the_lists_it_was_in():
    main = make_article(slug="main", tags=["a"])
    gone = make_article(slug="gone", tags=["a"], subject="Mathematics")
    assert stored(main) == ["gone"]
    gone.status = Article.Status.DRAFT
    gone.save()
    assert stored(main) == []


def test_a_deleted_article_leaves_the_lists_it_was_in():
    main = make_article(slug="main", tags=["a"])
    make_article(slug="other", tags=["a"])
    gone = make_article(slug="gone", tags=["a"])
    assert set(stored(main)) == {"other", "gone"}
    gone.delete()
    assert stored(main) == ["other"]


def test_a_change_touches_a_bounded_number_of_other_lists():
    """An article sharing a topic with many others is merged into at most MAX_MERGED of
    their lists, in the same number of queries whatever their number."""
    counts = []
    for size, topic in ((MAX_MERGED + 20, "wide"), (2 * MAX_MERGED + 20, "wider")):
        for number in range(size):
            make_article(slug=f"{topic}{number}", tags=[topic], subject="Mathematics")
        article = make_article(slug=f"new-{topic}", tags=[topic], subject="Mathematics")
        # As before it was written (its save merged it in already).
        RelatedArticle.objects.filter(target=article).delete()
        with CaptureQueriesContext(connection) as captured:
            others = refresh_related([article.pk])
        counts.append(len(captured))
        assert len(others) == MAX_MERGED
    # Its own list read (subject, topics, their articles, the live candidates) and
    # written (delete, insert); the lists holding it; the merged lists read and rewritten.
    assert counts == [10, 10]


def test_a_large_topic_offers_its_newest_articles_only(monkeypatch):
    """Of a topic with more articles than CANDIDATES_PER_TOPIC, only its newest are
    candidates, in the same queries however many it has; an older article sharing a
    smaller topic too is still found through that one, counted as sharing what the
    bound lets it be seen to share (the large topic, like a common word, says little)."""
    monkeypatch.setattr(related, "CANDIDATES_PER_TOPIC", 3)
    main = make_article(slug="main", tags=["wide", "narrow"])
    old_and_close = make_article(slug="close", tags=["wide", "narrow"])
    for number in range(6):
        make_article(slug=f"wide{number}", tags=["wide"])
    counts = []
    for extra in range(2):
        make_article(slug=f"more{extra}", tags=["wide"])
        with CaptureQueriesContext(connection) as captured:
            refresh_related([main.pk])
        counts.append(len(captured))
    assert stored(main) == ["more1", "more0", "wide5", old_and_close.slug]
    assert counts[0] == counts[1]


def test_a_topics_newest_articles_are_read_from_the_index():
    """Each tag's newest entries come from the index on (tag, content type, object), not
    from every tagged item of the tag sorted."""
    main = make_article(slug="main", tags=["wide"])
    with CaptureQueriesContext(connection) as captured:
        refresh_related([main.pk])
    [sql] = [query["sql"] for query in captured if "DESC LIMIT" in query["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What the planner picks for a small table in an open transaction (no
            # visibility map: a bitmap scan and a sort) is not what it picks at scale.
            # Give it the statistics of a real corpus, a large topic ("wide") among many
            # small ones, and ask for a plan that reads an index in order: the newest
            # index reads the topic's rows alone, any other reads far more.
            tags = Tag.objects.bulk_create(Tag(name=f"t{n}", slug=f"t{n}") for n in range(200))
            wide = Tag.objects.get(name="wide")
            content_type = ContentType.objects.get_for_model(Article)
            TaggedItem.objects.bulk_create(
                TaggedItem(
                    tag=wide if n % 20 == 0 else tag,
                    content_type=content_type,
                    # Ids in no order of the rows (a permutation), as a real table's
                    # tagged items are: else walking the object index backwards reads
                    # the table in order, which the planner may rightly prefer.
                    object_id=1_000_000 + n * 7919 % 10_000,
                )
                for n, tag in enumerate(tags * 50)
            )
            cursor.execute("ANALYZE taggit_taggeditem")
    plan = query_plan(sql)
    assert "learn_taggeditem_newest" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_an_import_stores_related_articles(write_article, tmp_path):
    from learn.importer import import_sources
    from learn.sources import Source

    texts = [
        article_text(slug=f"q{number}", id=number, keywords="shared, topic") for number in range(3)
    ]
    import_sources([Source(f"q{n}.md", text.encode()) for n, text in enumerate(texts)])
    for article in Article.objects.all():
        assert sorted(stored(article)) == sorted(
            f"q{n}" for n in range(3) if f"q{n}" != article.slug
        )
