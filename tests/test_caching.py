"""Reader pages are cached for visitors without a session, and dropped by any change."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from learn import editorial
from learn.caching import VERSION_KEY, content_changed, pages_version
from learn.importer import import_sources
from learn.models import Article
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/learn/computer-science/questions/what-is-a-test"


def import_article(**fields):
    import_sources([Source("a.md", article_text(**fields).encode())])


def test_second_visit_is_served_from_the_cache(client, django_assert_num_queries):
    """A page a reader has seen is served again without touching the database."""
    make_article()
    assert client.get(URL).status_code == 200
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    assert "What is a test?" in response.content.decode()


def test_saving_an_article_drops_cached_pages(client):
    """An edit saved (as the admin saves it) shows on the next visit."""
    article = make_article(answer="Old answer.")
    assert "Old answer." in client.get(URL).content.decode()
    article.answer = "New answer."
    article.save()
    assert "New answer." in client.get(URL).content.decode()


def test_reimport_drops_cached_pages(client):
    """A changed file imported again shows on the next visit."""
    import_article(answer="Old answer.")
    client.get(URL)
    import_article(answer="New answer.")
    assert "New answer." in client.get(URL).content.decode()


def test_bulk_unpublish_drops_cached_pages(client):
    """An article unpublished by the editors' bulk action is gone at once."""
    make_article()
    client.get(URL)
    editorial.articles_unpublish(Article.objects.all())
    assert client.get(URL).status_code == 404


def test_editors_are_never_served_from_the_cache(client, editor):
    """Someone who may preview drafts always gets a freshly rendered page."""
    make_article(answer="Old answer.")
    client.get(URL)
    Article.objects.update(answer_html="<p>Changed behind the cache.</p>")
    assert "Old answer." in client.get(URL).content.decode()
    client.force_login(editor)
    assert "Changed behind the cache." in client.get(URL).content.decode()


@pytest.mark.parametrize(
    "cookie", ["x", "0123456789abcdefghijklmnopqrstuv"], ids=["malformed", "unknown"]
)
def test_a_made_up_session_cookie_gets_the_cached_page(client, cookie, django_assert_num_queries):
    """A session cookie that names no session is a reader's: it cannot make pages render.
    A well-formed one costs the one session lookup that proves it names no session."""
    make_article()
    client.get(URL)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    with django_assert_num_queries(0 if cookie == "x" else 1):
        response = client.get(URL)
    assert response.status_code == 200


def test_an_expired_session_gets_the_cached_page(client, editor, django_assert_num_queries):
    """An editor's session that has ended no longer skips the cache."""
    make_article()
    client.get(URL)
    client.force_login(editor)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    with django_assert_num_queries(1):
        assert client.get(URL).status_code == 200


def test_a_signed_in_user_who_cannot_preview_gets_the_cached_page(
    client, django_user_model, django_assert_num_queries
):
    """Only the preview permission skips the cache: a staff account without it reads
    what readers read (its session, user and permissions are looked up, nothing else)."""
    make_article()
    client.get(URL)
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200


def test_a_dry_run_leaves_cached_pages_alone(client):
    """A dry run changes nothing, so cached pages stay."""
    import_article(answer="Old answer.")
    client.get(URL)
    Article.objects.update(answer_html="<p>Changed behind the cache.</p>")
    import_sources([Source("a.md", article_text(answer="New.").encode())], dry_run=True)
    assert "Old answer." in client.get(URL).content.decode()


@pytest.mark.redis
def test_a_change_reaches_every_process_through_redis(settings):
    """With REDIS_URL's cache, a change made in one process drops pages in all of them."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    other_process = caches.create_connection("default")
    other_process.delete(VERSION_KEY)
    before = pages_version()
    assert other_process.get(VERSION_KEY) == before
    content_changed()
    assert other_process.get(VERSION_KEY) != before
    other_process.delete(VERSION_KEY)
