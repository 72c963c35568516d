"""Moving through the site: numbered pages read through an index, an article's previous
and next question, and the home page's newest articles across subjects."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learn.lists import DeferredJoinPaginator, neighbours, newest_across_subjects
from learn.models import Article, Subject
from tests.factories import make_article, make_subject
from tests.plans import plan_steps

pytestmark = pytest.mark.django_db

LIST = "/learn/computer-science/questions/"
DAY = datetime.date(2024, 12, 1)


def make_articles(count, *, subject="Computer Science", day=DAY, prefix="q"):
    """``count`` articles of one subject on one day: their ids order them."""
    return [
        make_article(
            subject=subject, slug=f"{prefix}{n}", question=f"Question {n}?", published_on=day
        )
        for n in range(count)
    ]


def page_links(html):
    """The numbered links of a page's pagination, as their text ("…" for a gap)."""
    nav = html[html.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    return [
        "…" if gap else number
        for number, gap in re.findall(
            r'<span class="visually-hidden">Page </span>(\d+)</a>|(<span class="gap">)', nav
        )
    ]


def test_numbered_pages_show_first_nearby_and_last(client):
    """Page 6 of 12 links 1, a gap, 4 to 8, a gap and 12, itself marked current."""
    make_articles(12 * 20)
    html = client.get(LIST, {"page": 6}).content.decode()
    assert page_links(html) == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]
    assert f'<a href="{LIST}?page=6" aria-current="page">' in html
    assert f'<a rel="prev" href="{LIST}?page=5">' in html
    assert f'<a rel="next" href="{LIST}?page=7">' in html
    # The first page is the list's own URL, as its canonical one.
    assert f'<a href="{LIST}"><span class="visually-hidden">Page </span>1</a>' in html


def test_the_last_page_has_the_oldest_articles(client):
    """The last page holds the remainder, oldest last, and has no next link."""
    make_articles(45)
    response = client.get(LIST, {"page": 3})
    assert [a.slug for a in response.context["object_list"]] == [f"q{n}" for n in range(4, -1, -1)]
    assert 'rel="next"' not in response.content.decode()
    assert client.get(LIST, {"page": 4}).status_code == 404


def test_a_deep_page_costs_what_the_first_does(client, django_assert_num_queries):
    """Any page of a subject's list is five queries: the subject (its stored count), the
    page's ids from the index, their cards, the navigation and the next scheduled
    publication (which bounds how long the page is kept)."""
    make_articles(61)
    for number in (1, 4):
        cache.clear()
        with django_assert_num_queries(5):
            response = client.get(LIST, {"page": number})
        assert response.status_code == 200
    assert [a.slug for a in response.context["object_list"]] == ["q0"]


def test_the_list_counts_from_the_stored_count(client):
    """The lead and the number of pages come from the subject's stored count."""
    make_articles(3)
    html = client.get(LIST).content.decode()
    assert "3 questions answered" in html
    assert 'class="pagination"' not in html


def test_a_scheduled_article_is_counted_once_its_day_comes(client):
    """An article dated tomorrow is not counted today; its day recounts the subject."""
    make_articles(2)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_article(slug="later", published_on=tomorrow)
    assert client.get(LIST).context["paginator"].count == 2
    Subject.objects.filter(slug="computer-science").update(counts_due_at=timezone.now())
    Article.objects.filter(slug="later").update(published_on=timezone.localdate())
    assert client.get(LIST, {"page": 1, "x": 1}).context["paginator"].count == 3


def test_deferred_join_keeps_the_order_of_the_ids():
    """A page's rows come back in the index's order, whatever order the database reads them."""
    articles = make_articles(5)
    queryset = Article.objects.order_by("-id")
    paginator = DeferredJoinPaginator(queryset, 2, count=5, rows=Article.objects.cards())
    assert [a.pk for a in paginator.page(2).object_list] == [articles[2].pk, articles[1].pk]
    assert paginator.num_pages == 3


def test_neighbours_follow_the_subject_list_order():
    """The newer and older articles of an article, by date then id, within its subject."""
    old = make_article(slug="old", published_on=DAY - datetime.timedelta(days=3))
    first, second = (
        make_article(slug="a", published_on=DAY),
        make_article(slug="b", published_on=DAY),
    )
    new = make_article(slug="new", published_on=DAY + datetime.timedelta(days=2))
    make_article(slug="elsewhere", subject="Biology", published_on=DAY)
    draft = make_article(slug="draft", published_on=DAY, status=Article.Status.DRAFT)
    assert neighbours(first) == (second, old)
    assert neighbours(second) == (new, first)
    assert neighbours(old) == (first, None)
    assert neighbours(new) == (None, second)
    assert draft not in neighbours(second)


def test_neighbours_wait_for_their_moment(monkeypatch):
    """An article scheduled for later today is nobody's neighbour until its time; one
    published earlier today is."""
    today = DAY + datetime.timedelta(days=10)
    moment = {"today": today, "time": datetime.time(12, 0)}
    monkeypatch.setattr("learn.lists.reading_moment", lambda: moment)
    old = make_article(slug="old", published_on=today - datetime.timedelta(days=1))
    come = make_article(slug="come", published_on=today, published_time=datetime.time(11, 59))
    make_article(slug="later", published_on=today, published_time=datetime.time(12, 1))
    assert neighbours(old) == (come, None)
    assert neighbours(come) == (None, old)
    moment["time"] = datetime.time(12, 1)
    assert neighbours(come)[0].slug == "later"


def test_neighbours_read_the_subject_index_from_the_article_on():
    """Each neighbour is the first entry of the subject's index past the article, read in
    the index's order, however many articles share its day: no sort of the subject's
    later articles (SQLite split the readers' rule into two ranges of the index and
    sorted their union, reading every newer article of the subject: 8 ms at 100k)."""
    subject = make_subject("Computer Science")
    # As in a large subject: 20 days, many articles each.
    Article.objects.bulk_create(
        Article(
            subject=subject,
            slug=f"n{n}",
            question=f"Question {n}?",
            answer="An answer.",
            answer_html="<p>An answer.</p>",
            published_on=DAY + datetime.timedelta(days=n % 20),
        )
        for n in range(2000)
    )
    # And other subjects, as a site has.
    for n in range(30):
        make_article(subject=f"Subject {n}", slug="q", published_on=DAY)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            # The subject index's statistics at 100k articles (bench-scale's sample
            # multiplied: 2,500 a subject, 128 a day), under which SQLite planned the
            # rule's OR as ranges (of this index, or of the newest-first one).
            cursor.execute(
                "UPDATE sqlite_stat1 SET stat = %s WHERE idx = 'learn_article_by_subject'",
                ["100000 2500 2500 128 1 1"],
            )
            cursor.execute("ANALYZE sqlite_schema")  # read them again
    article = Article.objects.get(slug="n5")
    with CaptureQueriesContext(connection) as queries:
        newer, older = neighbours(article)
    assert (newer.slug, older.slug) == ("n25", "n1984")
    assert len(queries) == 2
    for query in queries:
        steps = " | ".join(plan_steps(query["sql"]))
        assert "learn_article_by_subject" in steps, steps
        for unwanted in ("MULTI-INDEX OR", "TEMP B-TREE", "Sort", "Seq Scan on learn_article"):
            assert unwanted not in steps, steps


def test_article_page_links_previous_and_next(client):
    """The article page links the newer question as previous and the older as next."""
    older = make_article(slug="older", question="Older?", published_on=DAY)
    make_article(slug="middle", question="Middle?", published_on=DAY + datetime.timedelta(days=1))
    newer = make_article(slug="newer", question="Newer?", published_on=DAY + datetime.timedelta(2))
    html = client.get("/learn/computer-science/questions/middle").content.decode()
    assert '<nav class="article-nav-wrap" aria-label="More in Computer Science">' in html
    assert f'<a href="{newer.get_absolute_url()}" rel="prev">' in html
    assert f'<a href="{older.get_absolute_url()}" rel="next">' in html
    alone = client.get(newer.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in alone and "Middle?" in alone


def test_home_takes_subjects_in_turn():
    """Ten articles of one subject dated the same day do not fill the home page: each
    subject's newest comes first, newest first, then each one's second newest, and the
    newest of the rest fill what the subjects' turns leave short."""
    make_articles(10, day=DAY + datetime.timedelta(days=5))
    make_article(subject="Biology", slug="b1", published_on=DAY)
    make_article(subject="Biology", slug="b2", published_on=DAY - datetime.timedelta(days=1))
    make_article(subject="Chemistry", slug="c1", published_on=DAY + datetime.timedelta(days=1))
    subjects = Subject.objects.order_by("name")
    latest = newest_across_subjects(subjects, 7)
    assert [(a.subject.slug, a.slug) for a in latest] == [
        ("computer-science", "q9"),
        ("chemistry", "c1"),
        ("biology", "b1"),
        ("computer-science", "q8"),
        ("biology", "b2"),
        ("computer-science", "q7"),
        ("computer-science", "q6"),
    ]


def test_home_page_shows_variety_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Home: newest across subjects, the largest subjects and popular topics, in eight
    queries whatever the number of articles: subjects due a recount, the subjects, the
    newest ids per subject, their cards, topics due a recount, the largest topics, the
    navigation and the next scheduled publication."""
    for subject in ("Computer Science", "Biology", "Chemistry", "Physics", "Law"):
        make_articles(3, subject=subject, day=DAY - datetime.timedelta(days=1), prefix="old")
    make_articles(12)
    for n in range(3):
        make_article(subject="Biology", slug=f"b{n}", tags=["cells"], published_on=DAY)
    make_article(subject="Chemistry", slug="c0", tags=["cells", "atoms"], published_on=DAY)
    with django_assert_num_queries(8):
        response = client.get("/")
    html = response.content.decode()
    latest = response.context["latest"]
    assert len(latest) == 10
    assert len({a.subject.slug for a in latest[:5]}) == 5
    assert [s.slug for s in response.context["largest_subjects"]][:3] == [
        "computer-science",
        "biology",
        "chemistry",
    ]
    assert [(t.name, t.live_articles) for t in response.context["popular_topics"]] == [
        ("cells", 4),
        ("atoms", 1),
    ]
    assert '<a href="/topics/cells/">cells <span class="count">4' in html
    assert '<a href="/topics/">All topics, A\u2013Z</a>' in html


def test_home_without_articles(client):
    """An empty site's home says so, without an error."""
    make_subject("Empty")
    html = client.get("/").content.decode()
    assert "No articles yet." in html
