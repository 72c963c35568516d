"""Reader pages: home, subjects, a subject's list, an article, and 404s."""

import datetime
import logging
import re

import pytest
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone

from learn.models import Article, Subject, publication_moment
from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/learn/computer-science/questions/what-is-a-test"


def test_article_page_at_its_exact_url(client):
    """The article renders at the file's URL with its heading, meta line, answer and SEO."""
    make_article(answer="Tests **check**.\n\n$x \\neq y$", tags=["testing", "Quality"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>What is a test?</h1>" in html
    assert 'Posted on <time datetime="2024-12-11">Dec 11, 2024</time>' in html
    assert "<strong>check</strong>" in html
    assert "<math" in html and "≠" in html
    assert "<title>What is a test? | QuickTakes</title>" in html
    assert '<meta name="description" content="About What is a test?">' in html
    assert '<meta property="article:tag" content="Quality">' in html
    assert 'name="robots"' not in html


def test_trailing_slash_redirects_permanently(client):
    """The slashed form of an article URL is a 301 to the canonical one."""
    make_article()
    response = client.get(URL + "/")
    assert response.status_code == 301
    assert response["Location"] == URL


def test_subject_root_redirects_to_its_questions(client):
    """/learn/<subject>/ leads to the subject's question list."""
    response = client.get("/learn/computer-science/")
    assert response.status_code == 301
    assert response["Location"] == "/learn/computer-science/questions/"


def test_related_articles_link_once_and_never_dead(client):
    """Resolved links show once each; dangling links and links to drafts are not shown."""
    b = make_article(slug="b", question="Question B?", subject="Biology")
    c = make_article(slug="c", question="Question C?", subject="Biology")
    make_article(related=[b, b, "/learn/biology/questions/gone", c])
    Article.objects.filter(slug="c").update(status=Article.Status.DRAFT)
    html = client.get(URL).content.decode()
    assert html.count('href="/learn/biology/questions/b"') == 1
    assert "/questions/gone" not in html
    assert "/questions/c" not in html


def test_no_index_article_is_marked(client):
    """An article with no_index carries a robots noindex meta tag."""
    make_article(no_index=True)
    assert '<meta name="robots" content="noindex">' in client.get(URL).content.decode()


def test_drafts_and_future_articles_are_invisible(client):
    """Readers get a 404 for a draft and for an article dated in the future."""
    make_article()
    Article.objects.update(status=Article.Status.DRAFT)
    assert client.get(URL).status_code == 404
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Article.objects.update(status=Article.Status.PUBLISHED, published_on=tomorrow)
    assert client.get(URL).status_code == 404
    assert (
        client.get("/learn/computer-science/questions/").content.decode().count("What is a test?")
        == 0
    )


def test_missing_article_gets_the_site_404_page(client):
    """An unknown article gives a 404 with the site's own page."""
    response = client.get("/learn/computer-science/questions/nothing-here")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_subject_list_is_paginated_newest_first(client):
    """A subject's list shows 20 articles a page, newest first."""
    for day in range(1, 23):
        make_article(
            slug=f"q{day}", question=f"Question {day}?", published_on=datetime.date(2024, 12, day)
        )
    first = client.get("/learn/computer-science/questions/").content.decode()
    assert first.index("Question 22?") < first.index("Question 21?")
    assert "Question 2?" not in first
    second = client.get("/learn/computer-science/questions/?page=2").content.decode()
    assert "Question 2?" in second and "Question 1?" in second
    assert client.get("/learn/computer-science/questions/?page=9").status_code == 404


def test_a_deep_page_of_a_subject_reads_its_ids_from_the_index_alone(client):
    """A page's ids are read from the subject's index alone, the rule of what readers
    see included (its time too): a deep page skips index entries, not table rows."""
    from learn.lists import subject_articles
    from tests.plans import query_plan

    subject = make_article().subject
    ids = subject_articles(subject).values_list("pk", flat=True)[400:420]
    plan = query_plan(*ids.query.sql_with_params())
    assert (
        "Index Only Scan using learn_article_by_subject" in plan
        or "USING COVERING INDEX learn_article_by_subject" in plan
    ), plan


def test_unknown_subject_is_404(client):
    """A subject that does not exist has no question list."""
    assert client.get("/learn/no-such-subject/questions/").status_code == 404


def test_learn_index_lists_subjects_with_counts(client):
    """/learn/ lists subjects that have published articles, with their counts."""
    make_article(slug="a")
    make_article(slug="b")
    make_article(slug="c", subject="Biology")
    Subject.objects.create(name="Empty", slug="empty")
    html = client.get("/learn/").content.decode()
    assert '<a href="/learn/computer-science/questions/">Computer Science</a>' in html
    assert "2 questions" in html and "1 question<" in html
    assert "Empty" not in html


def test_home_shows_latest_articles(client):
    """The home page links the latest published articles."""
    make_article()
    html = client.get("/").content.decode()
    assert f'href="{URL}"' in html


def test_hostile_answer_renders_inert(client):
    """Script tags and event handlers in an answer never reach the page as markup."""
    make_article(answer="<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>")
    html = client.get(URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x onerror" not in html.lower()


def test_pages_are_gzipped_for_browsers_that_accept_it(client):
    """HTML goes out compressed to a client that accepts gzip, and varies on it."""
    make_article()
    response = client.get(URL, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_editor_previews_a_draft_at_its_real_url(client, editor):
    """A user who may change articles sees a draft with a banner, noindex and no caching."""
    make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft preview" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_editor_previews_a_scheduled_article(client, editor):
    """An article dated in the future shows editors when it will appear."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_article(published_on=tomorrow)
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert f"until {tomorrow.isoformat()} 00:00 UTC" in html


def test_scheduled_article_is_served_from_its_moment(client, clock):
    """An article scheduled for 09:30 answers 404 to readers at 09:29:59 and its page
    at 09:30, with no worker: the rule compares with now."""
    day = timezone.localdate() + datetime.timedelta(days=2)
    make_article(published_on=day, published_time=datetime.time(9, 30))
    moment = publication_moment(day, datetime.time(9, 30))
    clock(moment - datetime.timedelta(seconds=1))
    assert client.get(URL).status_code == 404
    clock(moment)
    assert client.get(URL).status_code == 200


def test_staff_without_change_permission_do_not_see_drafts(client, django_user_model):
    """Being staff is not enough: previewing needs the permission to change articles."""
    make_article(status=Article.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    assert client.get(URL).status_code == 404


def test_published_article_has_no_preview_banner_for_editors(client, editor):
    """A live article looks to an editor as it does to readers."""
    make_article()
    client.force_login(editor)
    response = client.get(URL)
    assert "Draft preview" not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


def refuse(*args, **kwargs):
    raise OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?"
    )


@pytest.fixture
def stop_database(monkeypatch):
    """Call it to make every later query fail as it does while the server is stopped."""
    return lambda: monkeypatch.setattr(connections["default"], "cursor", refuse)


@pytest.mark.parametrize(
    "path",
    [URL, "/", "/learn/", "/search/?q=test", "/learn/no/such/page/here"],
)
def test_database_outage_answers_503_with_one_log_line(path, stop_database, caplog):
    """Readers get the 503 page with Retry-After, and the log one line without a traceback."""
    make_article()
    stop_database()
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Temporarily unavailable</h1>" in response.content.decode()
    errors = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.name, record.exc_info) for record in errors] == [("learn.views", None)]
    assert errors[0].getMessage() == (
        f"Database unavailable, answered 503: GET {path.partition('?')[0]} "
        '(OperationalError: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused)"
    )


def test_pages_come_back_when_the_database_does(stop_database, monkeypatch):
    """Once the database answers again, the same process serves pages again."""
    make_article()
    stop_database()
    client = Client(raise_request_exception=False)
    assert client.get(URL).status_code == 503
    monkeypatch.undo()
    assert client.get(URL).status_code == 200


def test_other_errors_keep_the_500_page(monkeypatch):
    """An error that is not the database's gives the plain 500 page, as before."""

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("learn.views.HomeView.get", fail)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def test_the_404_page_suggests_the_article_whose_slug_was_mistyped(client):
    """A mistyped slug's words find the article: the 404 page links to it."""
    article = make_article(
        slug="what-are-the-stages-of-photosynthesis",
        question="What are the stages of photosynthesis?",
    )
    make_article(slug="what-is-a-ribosome", question="What is a ribosome?")
    response = client.get("/learn/computer-science/questions/what-are-the-stages-of-photosynthsis")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Were you looking for one of these?" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert "ribosome" not in html
    assert "no-cache" in response["Cache-Control"]


def test_the_404_page_of_a_file_or_the_admin_suggests_nothing(admin_client, client):
    """A missing file or admin page searches nothing."""
    make_article(slug="site", question="What is a site?")
    assert "Were you looking" not in client.get("/static/site.css").content.decode()
    response = admin_client.get("/admin/learn/site/")
    assert response.status_code == 404 and "Were you looking" not in response.content.decode()


def test_a_long_missing_path_asks_what_a_short_one_does(client, django_assert_num_queries):
    """The slug's words are bounded: a 4,000-character slug costs the queries of a short
    one (the article, its redirects (two), a search and a correction lookup)."""
    make_article(slug="heap", question="What is a heap sort?")
    client.get("/learn/x/questions/zeppelins-aloft")  # the header's subjects, cached
    with django_assert_num_queries(5):
        client.get("/learn/x/questions/zeppelins-aloft")
    with django_assert_num_queries(5):
        client.get("/learn/x/questions/" + "zeppelins-" * 400)


def test_with_debug_on_a_missing_reader_page_is_still_the_site_404_page(settings, admin_user):
    """make run's DEBUG shows the site's 404 page (suggestions included) for reader
    URLs, not Django's technical page; the admin keeps the technical one."""
    from django.test import Client

    settings.DEBUG = True
    make_article(slug="what-is-heapsort", question="What is the heapsort algorithm?")
    client = Client()  # loads the middleware with DEBUG on
    response = client.get("/learn/computer-science/questions/what-is-the-heapsort-algoritm")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Were you looking for one of these?" in html and "/questions/what-is-heapsort" in html
    assert "technical_404" not in html and "Using the URLconf" not in html
    response = client.get("/learn/no-such-subject/questions/")
    assert (
        response.status_code == 404 and "Page not found | QuickTakes" in response.content.decode()
    )


LONG_ANSWER = (
    "Intro.\n\n### First step\n\nText.\n\n#### A detail\n\nMore.\n\n### Second step\n\n"
    "### <b>Third</b> & last\n\n" + "word " * 450
)


def test_long_answers_get_a_table_of_contents_linking_their_headings(client):
    """Three headings or more: a navigation lists them, each link naming a heading's id."""
    make_article(answer=LONG_ANSWER)
    html = client.get(URL).content.decode()

    start = html.index('<nav class="toc"')
    toc = html[start : html.index("</nav>", start)]
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', toc)
    assert links == [
        ("answer-first-step", "First step"),
        ("answer-a-detail", "A detail"),
        ("answer-second-step", "Second step"),
        ("answer-bthirdb-last", "&lt;b&gt;Third&lt;/b&gt; &amp; last"),
    ]
    answer = html[html.index('<div class="answer">') :]
    for anchor, _title in links:
        assert f'id="{anchor}"' in answer
    assert '<article class="article article--toc">' in html


def test_short_answers_get_no_table_of_contents(client):
    """Fewer than three headings: no navigation of them."""
    make_article(answer="### One\n\nText.\n\n### Two")
    html = client.get(URL).content.decode()

    assert 'class="toc"' not in html
    assert '<article class="article">' in html


def test_meta_line_shows_the_reading_time_and_an_update_after_posting(client):
    """A reading time always; an "Updated" date once the article changed after its date."""
    article = make_article(answer=LONG_ANSWER)
    html = client.get(URL).content.decode()
    assert '<time datetime="2024-12-11">Dec 11, 2024</time> · 3 min read · QuickTakes' in html
    assert "Updated" not in html

    changed = timezone.make_aware(datetime.datetime(2025, 2, 3, 12))
    Article.objects.filter(pk=article.pk).update(
        created_at=changed - datetime.timedelta(days=50), updated_at=changed
    )
    cache.clear()
    html = client.get(URL).content.decode()
    assert (
        'Posted on <time datetime="2024-12-11">Dec 11, 2024</time> · '
        'Updated <time datetime="2025-02-03">Feb 03, 2025</time> · 3 min read' in html
    )
