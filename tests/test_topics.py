"""Topic pages: the published articles sharing a keyword, whatever its spelling."""

import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from learn import editorial, importer
from learn.importer import import_sources
from learn.models import Article, Topic, TopicEntry, publication_moment, topic_name_key
from learn.sources import Source
from learn.topics import indexable_topics, topic_articles
from tests.conftest import article_text
from tests.factories import make_article
from tests.folders import migration
from tests.plans import query_plan

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


def counts():
    """Each topic's stored counts, by name: (live, indexable)."""
    return {t.name: (t.live_articles, t.indexable_articles) for t in Topic.objects.all()}


def test_counts_follow_tags_added_and_removed():
    """Adding and removing an article's topics (as the admin form does) moves the
    stored counts of exactly those topics; a spelling variant counts in its topic."""
    a = make_article(slug="a", tags=["Heaps", "big-o"])
    make_article(slug="b", tags=["heaps"], no_index=True)
    make_article(slug="c", tags=["Big_O"])
    assert counts() == {"Heaps": (2, 1), "big-o": (2, 2)}
    a.tags.remove("big-o")
    a.tags.add("graphs")
    assert counts() == {"Heaps": (2, 1), "big-o": (1, 1), "graphs": (1, 1)}
    a.tags.clear()
    assert counts() == {"Heaps": (1, 0), "big-o": (1, 1), "graphs": (0, 0)}


def test_counts_follow_status_and_deletion():
    """An article unpublished, dated in the future or deleted leaves its topics' counts."""
    a = make_article(slug="a", tags=["heaps"])
    make_article(slug="b", tags=["heaps"])
    a.status = Article.Status.DRAFT
    a.save()
    assert counts() == {"heaps": (1, 1)}
    a.status = Article.Status.PUBLISHED
    a.published_on = timezone.localdate() + datetime.timedelta(days=3)
    a.save()
    topic = Topic.objects.get()
    assert (topic.live_articles, topic.counts_due_at) == (1, publication_moment(a.published_on))
    Article.objects.get(slug="b").delete()
    assert counts() == {"heaps": (0, 0)}


def test_editorial_actions_recount_topics():
    """Unpublishing and publishing through the editors' actions recount the topics."""
    make_article(slug="a", tags=["heaps"])
    make_article(slug="b", tags=["heaps"])
    editorial.articles_unpublish(Article.objects.filter(slug="a"))
    assert counts() == {"heaps": (1, 1)}
    editorial.articles_publish(Article.objects.all())
    assert counts() == {"heaps": (2, 2)}


def test_an_import_counts_its_topics_and_those_its_articles_left(tmp_path):
    """An import stores its topics' counts, and a re-import with other keywords moves
    the counts of the topics it left."""
    path = tmp_path / "a.md"
    path.write_text(article_text(slug="a", keywords="heaps, Trees"), encoding="utf-8")
    (tmp_path / "b.md").write_text(article_text(slug="b", keywords="trees"), encoding="utf-8")
    call_command("import_quicktakes", str(tmp_path), stdout=StringIO())
    assert counts() == {"heaps": (1, 1), "Trees": (2, 2)}
    path.write_text(article_text(slug="a", keywords="graphs"), encoding="utf-8")
    call_command("import_quicktakes", str(tmp_path), stdout=StringIO())
    assert counts() == {"heaps": (0, 0), "Trees": (1, 1), "graphs": (1, 1)}


def test_an_import_in_chunks_files_each_chunk_and_counts_its_topics_once(monkeypatch):
    """Each chunk files its articles under their topics as it is written; the counts
    of every topic the run touched are read once, at its end, however many chunks
    shared the topic. A re-import in chunks moves the topics its articles left."""
    monkeypatch.setattr(importer, "CHUNK_SIZE", 1)
    files = {"a": "heaps, Trees", "b": "trees", "c": "big-O, trees"}

    def run():
        sources = [
            Source(f"{slug}.md", article_text(slug=slug, keywords=words).encode())
            for slug, words in files.items()
        ]
        with CaptureQueriesContext(connection) as queries:
            import_sources(sources, workers=1)
        return [q["sql"] for q in queries if 'COUNT("learn_topicentry"' in q["sql"]]

    counted = run()
    assert counts() == {"heaps": (1, 1), "Trees": (3, 3), "big-O": (1, 1)}
    assert [(key, slug) for key, slug, *_ in entries()] == [
        ("big o", "c"),
        ("heaps", "a"),
        ("trees", "a"),
        ("trees", "b"),
        ("trees", "c"),
    ]
    assert len(counted) == 1, counted
    files.update(a="graphs", c="trees")
    run()
    assert counts() == {"heaps": (0, 0), "Trees": (2, 2), "big-O": (0, 0), "graphs": (1, 1)}
    assert [(key, slug) for key, slug, *_ in entries()] == [
        ("graphs", "a"),
        ("trees", "b"),
        ("trees", "c"),
    ]


def test_an_editor_saving_the_form_recounts_topics(editor_client):
    """The admin's change form, changing the topics and the status, moves the counts."""
    from tests.test_admin import ARTICLES, form_data

    article = make_article(slug="a", tags=["heaps"])
    make_article(slug="b", tags=["heaps"])
    response = editor_client.post(
        f"{ARTICLES}{article.pk}/change/", form_data(article, tags="graphs", status="draft")
    )
    assert response.status_code == 302
    assert counts() == {"heaps": (1, 1), "graphs": (0, 0)}


def test_a_renamed_tag_moves_to_its_new_topic():
    """A tag renamed in taggit's admin leaves its old topic and joins the new one; a
    topic left without tags is gone."""
    make_article(slug="a", tags=["heap"])
    make_article(slug="b", tags=["Big O"])
    tag = Tag.objects.get(name="heap")
    tag.name = "big-o"
    tag.save()
    assert counts() == {"Big O": (2, 2)}
    Tag.objects.get(name="Big O").delete()
    assert counts() == {"big-o": (1, 1)}


def test_recount_stores_what_the_articles_say():
    """recount() rebuilds counts that were lost or wrong, from the articles only."""
    make_article(slug="a", tags=["heaps"])
    Topic.objects.update(live_articles=99, indexable_articles=99)
    Topic.objects.all().recount()
    assert counts() == {"heaps": (1, 1)}


def test_topic_page_reads_the_stored_count(client, django_assert_num_queries):
    """A topic page costs six queries at any size: the topic, its tags, the page's ids,
    their cards, the navigation and the next scheduled publication; its count is the
    stored one."""
    for number in range(25):
        make_article(slug=f"q{number}", tags=["big-o" if number % 2 else "Big_O"])
    with django_assert_num_queries(6):
        response = client.get("/topics/big-o/", {"page": 2})
    assert response.context["paginator"].count == 25
    assert len(response.context["object_list"]) == 5
    assert "25 questions on this topic." in response.content.decode()


def test_topics_index_lists_the_largest_and_the_letters(client, django_assert_num_queries):
    """/topics/ lists the largest topics, most first, and links every letter of the A to Z,
    in four queries (topics due a recount, the largest, the navigation, the next
    scheduled publication)."""
    make_article(slug="a", tags=["zebra", "apples", "2D"])
    make_article(slug="b", tags=["apples"])
    make_article(slug="c", tags=["apples", "zebra"])
    make_article(slug="d", tags=["draft only"], status=Article.Status.DRAFT)
    with django_assert_num_queries(4):
        response = client.get("/topics/")
    assert [t.name for t in response.context["topics"]] == ["apples", "zebra", "2D"]
    html = response.content.decode()
    assert '<a href="/topics/apples/">apples <span class="count">3' in html
    assert '<a href="/topics/a-z/z/">Z</a>' in html
    assert '<a href="/topics/a-z/other/">#' in html
    assert "draft only" not in html
    assert "<title>Topics | QuickTakes</title>" in html


def test_a_letter_lists_its_topics_by_name(client, django_assert_num_queries):
    """/topics/a-z/<letter>/ lists the topics under that letter by name, paginated,
    the letter marked current; a name not starting with A to Z is under "other". Four
    queries: topics due a recount, the letter's count and its page, the navigation and
    the next scheduled publication."""
    make_article(slug="a", tags=["Trees", "tries", "2D", "\u03b1-helix", "apples"])
    with django_assert_num_queries(5):
        response = client.get("/topics/a-z/t/")
    assert [t.name for t in response.context["topics"]] == ["Trees", "tries"]
    assert '<a href="/topics/a-z/t/" aria-current="page">T</a>' in response.content.decode()
    other = client.get("/topics/a-z/other/")
    assert [t.name for t in other.context["topics"]] == ["2D", "\u03b1-helix"]
    assert "<h1>Topics: other characters</h1>" in other.content.decode()
    assert client.get("/topics/a-z/aa/").status_code == 404
    assert "No topics under Q yet." in client.get("/topics/a-z/q/").content.decode()


def test_the_tags_of_a_topic_are_found_through_the_index_on_their_key():
    """Every recount looks tags up by their topic key: through the index on it
    (learn_tag_topic_key), not by reading every tag (SQLite used the index only once
    the key's SQL wrote its separators as literals)."""
    Tag.objects.bulk_create(Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(50))
    lookup = Tag.objects.annotate(key=topic_name_key("name")).filter(key__in=["topic 1"])
    sql, params = lookup.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Statistics of the 50 tags, so that no other index ties with this one.
            cursor.execute("ANALYZE taggit_tag")
    plan = query_plan(sql, params, avoid=["seqscan"])
    assert "learn_tag_topic_key" in plan
    assert list(lookup.values_list("name", flat=True)) == ["Topic 1"]


def entries():
    """The stored topic entries: (topic key, article slug, date, time, no_index)."""
    return sorted(
        TopicEntry.objects.values_list(
            "topic__key", "article__slug", "published_on", "published_time", "no_index"
        )
    )


MIDNIGHT = datetime.time()


def test_topic_entries_follow_every_change_of_their_articles():
    """Each published article has one entry a topic it is filed under (two spellings of
    one topic make one), with its date, time and no_index: kept as it is saved, tagged,
    untagged, made a draft, deleted, and as its tag is renamed into another topic."""
    day = datetime.date(2024, 12, 1)
    a = make_article(slug="a", tags=["Big-O", "big o", "trees"], published_on=day)
    b = make_article(slug="b", tags=["trees"], published_on=day)
    assert entries() == [
        ("big o", "a", day, MIDNIGHT, False),
        ("trees", "a", day, MIDNIGHT, False),
        ("trees", "b", day, MIDNIGHT, False),
    ]
    later = datetime.date(2024, 12, 5)
    a.published_on, a.published_time, a.no_index = later, datetime.time(9, 30), True
    a.save()
    b.tags.remove("trees")
    assert entries() == [
        ("big o", "a", later, datetime.time(9, 30), True),
        ("trees", "a", later, datetime.time(9, 30), True),
    ]
    b.tags.add("graphs")
    a.status = Article.Status.DRAFT
    a.save()
    assert entries() == [("graphs", "b", day, MIDNIGHT, False)]
    tag = Tag.objects.get(name="graphs")
    tag.name = "Trees"
    tag.save()
    assert entries() == [("trees", "b", day, MIDNIGHT, False)]
    b.delete()
    assert entries() == []


def test_topic_page_follows_a_changed_date(client, django_capture_on_commit_callbacks):
    """The topic page reads its order from the entries: a new date moves the article
    (and drops the cached page)."""
    make_article(slug="old", tags=["trees"], published_on=datetime.date(2024, 1, 1))
    new = make_article(slug="new", tags=["trees"], published_on=datetime.date(2024, 6, 1))
    page = client.get("/topics/trees/").context["object_list"]
    assert [article.slug for article in page] == ["new", "old"]
    new.published_on = datetime.date(2023, 6, 1)
    with django_capture_on_commit_callbacks(execute=True):
        new.save()
    page = client.get("/topics/trees/").context["object_list"]
    assert [article.slug for article in page] == ["old", "new"]


def test_a_scheduled_article_joins_its_topic_page_at_its_moment(client, clock):
    """An entry is stored for a scheduled article; the page shows it from its moment."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    make_article(slug="now", tags=["trees"])
    make_article(
        slug="soon", tags=["trees"], published_on=day, published_time=datetime.time(18, 15)
    )
    moment = publication_moment(day, datetime.time(18, 15))
    clock(moment - datetime.timedelta(minutes=1))
    page = client.get("/topics/trees/").context["object_list"]
    assert [article.slug for article in page] == ["now"]
    clock(moment)
    cache.clear()  # The cached page's own lifetime is test_caching's.
    page = client.get("/topics/trees/").context["object_list"]
    assert [article.slug for article in page] == ["soon", "now"]


def test_a_topic_page_reads_its_ids_from_the_entries_index():
    """A page of a topic walks the index on (topic, date, article): no sort of the
    topic's articles, however many it has."""
    make_article(slug="main", tags=["trees"])
    topic = Topic.objects.get(key="trees")
    ids = topic_articles(topic).values_list("article_id", flat=True)[20:40]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The statistics of a real corpus: a large topic among many small ones.
            article = Article.objects.get()
            others = Article.objects.bulk_create(
                Article(
                    subject_id=article.subject_id,
                    slug=f"other-{n}",
                    question="Q?",
                    title="Q?",
                    answer="A.",
                    answer_html="<p>A.</p>",
                )
                for n in range(1000)
            )
            small = Topic.objects.bulk_create(
                Topic(key=f"t{n}", slug=f"t{n}", name=f"t{n}") for n in range(100)
            )
            TopicEntry.objects.bulk_create(
                TopicEntry(
                    topic=topic if n % 2 else small[n % 100],
                    article=other,
                    published_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
                    published_time=MIDNIGHT,
                    no_index=False,
                )
                for n, other in enumerate(others)
            )
            cursor.execute("ANALYZE learn_topicentry")
    # As in test_related: a plan that reads an index in order, the small table's bitmap
    # scan and sort aside.
    plan = query_plan(sql, params)
    assert "learn_topicentry_newest" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_the_migration_fills_the_entries_of_stored_topics():
    """Topics stored before the entries existed get them from the migration's SQL: the
    same rows the writers keep."""
    make_article(slug="a", tags=["Big-O", "big o", "trees"])
    make_article(slug="b", tags=["trees"], no_index=True)
    make_article(slug="c", tags=["trees"], status=Article.Status.DRAFT)
    kept = entries()
    TopicEntry.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration("topic_entries").FILL)
    assert entries() == kept
    assert len(kept) == 3


def test_an_edit_compares_the_entries_of_its_article_alone():
    """Saving one article compares only its own entries, however large its topics:
    another article's entry, changed behind the writers' back, is left as it is until a
    recount that names no articles (as a renamed tag's) compares them all."""
    make_article(slug="a", tags=["trees"], published_on=datetime.date(2024, 1, 1))
    b = make_article(slug="b", tags=["trees"], published_on=datetime.date(2024, 1, 2))
    TopicEntry.objects.filter(article__slug="a").update(published_on=datetime.date(2000, 1, 1))
    b.published_on = datetime.date(2024, 1, 3)
    b.save()
    assert [row[1:3] for row in entries()] == [
        ("a", datetime.date(2000, 1, 1)),
        ("b", datetime.date(2024, 1, 3)),
    ]
    Topic.objects.recount_tags(Tag.objects.values_list("pk", flat=True))
    assert [row[1:3] for row in entries()] == [
        ("a", datetime.date(2024, 1, 1)),
        ("b", datetime.date(2024, 1, 3)),
    ]
