"""Reader pages are cached for visitors without a session, and dropped by any change."""

import datetime
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from learn import editorial
from learn.caching import EVERYTHING, changed_keys
from learn.importer import import_sources
from learn.models import Article
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article
from tests.folders import REPO

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


def test_reader_pages_carry_validators_and_answer_304(client):
    """A page's ETag and Last-Modified are the same on a miss and a hit, and a browser
    that has the page gets a 304 for either."""
    make_article()
    miss = client.get(URL)
    hit = client.get(URL)
    assert miss["ETag"] == hit["ETag"] and miss["Last-Modified"] == hit["Last-Modified"]
    assert client.get(URL, headers={"if-none-match": miss["ETag"]}).status_code == 304
    since = client.get(URL, headers={"if-modified-since": miss["Last-Modified"]})
    assert since.status_code == 304
    assert since["ETag"] == miss["ETag"]


def test_an_edit_answers_a_revalidation_with_the_new_page(client):
    """After an edit, the browser's old ETag no longer matches: it gets the new page."""
    article = make_article(answer="Old answer.")
    etag = client.get(URL)["ETag"]
    article.answer = "New answer."
    article.save()
    response = client.get(URL, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "New answer." in response.content.decode()
    assert response["ETag"] != etag


def test_browsers_revalidate_and_shared_caches_may_keep_pages(client):
    """A reader's page is revalidated by the browser and kept by a shared cache for
    PAGE_SECONDS, the same on a miss and a hit, Vary included."""
    make_article()
    miss, hit = client.get(URL), client.get(URL)
    for response in miss, hit:
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=0", "must-revalidate", "s-maxage=300"}
    assert miss["Vary"] == hit["Vary"]
    assert "Cookie" in hit["Vary"]


def test_pages_name_what_they_show_for_a_front_cache(client):
    """Each page lists its keys (itself and each article it shows) in Surrogate-Key."""
    article = make_article()
    keys = client.get(URL)["Surrogate-Key"].split()
    assert keys[0] == EVERYTHING
    assert f"article-{article.pk}" in keys
    assert f"article-{article.pk}" in client.get("/")["Surrogate-Key"].split()


def test_editors_pages_are_kept_out_of_shared_caches(client, editor):
    """A page rendered for an editor is private, so no shared cache hands it on."""
    make_article()
    client.force_login(editor)
    response = client.get(URL)
    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


def test_other_query_parameters_get_the_cached_page(client, django_assert_num_queries):
    """Only ?page= makes another page: a made-up parameter cannot make every request
    render."""
    make_article()
    client.get(URL)
    with django_assert_num_queries(0):
        assert client.get(URL + "?utm_source=x&z=1").status_code == 200


def purge_in_another_process(keys, **env):
    """Run learn.caching.purge in a process of its own, as an import in another
    terminal or another server worker would."""
    code = f"import django; django.setup(); from learn.caching import purge; purge({keys!r})"
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        cwd=REPO,
        check=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "redis_url",
    [None, pytest.param("redis://127.0.0.1:6379/14", marks=pytest.mark.redis)],
    ids=["default", "redis"],
)
def test_a_change_in_another_process_reaches_this_ones_readers(client, settings, redis_url):
    """The default cache (files) and REDIS_URL's are shared by every process: a change
    purged in one drops the page that another one cached."""
    if redis_url:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                # The other process's, which it makes from the database's name.
                "KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
            }
        }
        caches["default"].clear()
    article = make_article(answer="Old answer.")
    assert "Old answer." in client.get(URL).content.decode()
    Article.objects.update(answer_html="<p>Changed elsewhere.</p>")
    purge_in_another_process(
        changed_keys(articles=[article.pk]), **({"REDIS_URL": redis_url} if redis_url else {})
    )
    assert "Changed elsewhere." in client.get(URL).content.decode()


def cache_settings(**env):
    code = (
        "import quicktakes.settings as s; c = s.CACHES['default']; "
        "print(c['LOCATION'], c['KEY_PREFIX'])"
    )
    process = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SECRET_KEY": "x", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return process.stdout.split()


def test_the_default_cache_is_one_folder_per_checkout_and_apart_per_database():
    """Every process of a site shares the project's cache folder; one serving another
    database (make bench's) keeps apart from its pages and versions."""
    env = {"CACHE_DIR": str(REPO / "cache")}
    site = cache_settings(DATABASE_URL="sqlite:////tmp/a.sqlite3", **env)
    assert site == cache_settings(DATABASE_URL="sqlite:////tmp/a.sqlite3", **env)
    other = cache_settings(DATABASE_URL="sqlite:////tmp/b.sqlite3", **env)
    assert other[0] == site[0] == str(REPO / "cache") and other[1] != site[1]


def test_a_page_rendered_while_a_change_committed_is_kept_from_shared_caches(client, monkeypatch):
    """Its ban may reach a front cache before the page does: no shared cache keeps it."""
    from learn.caching import purge
    from learn.views import ArticleDetailView

    make_article()
    render = ArticleDetailView.get_context_data

    def change_committing(self, **kwargs):
        purge(["article-0"])
        return render(self, **kwargs)

    monkeypatch.setattr(ArticleDetailView, "get_context_data", change_committing)
    assert "s-maxage=0" in client.get(URL)["Cache-Control"]
    monkeypatch.undo()
    assert "s-maxage=300" in client.get(URL)["Cache-Control"]


def test_a_new_article_shows_at_once_on_the_pages_it_is_related_to(client):
    """Its place in another article's stored list drops that article's page alone."""
    make_article(tags=["shared"])
    make_article(subject="Biology", slug="other", question="Other?", tags=["elsewhere"])
    assert "Newcomer?" not in client.get(URL).content.decode()
    client.get("/learn/biology/questions/other")
    make_article(subject="Physics", slug="new", question="Newcomer?", tags=["shared"])
    assert "Newcomer?" in client.get(URL).content.decode()


def test_cached_pages_stand_only_until_the_next_scheduled_moment(client):
    """A list cached seconds before an article's scheduled moment is not served after
    it: pages (and what shared caches may keep) end at that moment."""
    make_article(slug="old", question="Old question?")
    # Seconds enough for the first request on a busy machine.
    soon = timezone.localtime() + datetime.timedelta(seconds=5)
    make_article(published_on=soon.date(), published_time=soon.time())
    listing = "/learn/computer-science/questions/"
    before = client.get(listing)
    assert "What is a test?" not in before.content.decode()
    s_maxage = int(before["Cache-Control"].partition("s-maxage=")[2].partition(",")[0])
    assert 1 <= s_maxage <= 5
    while timezone.now() < soon:
        time.sleep(0.1)
    after = client.get(listing).content.decode()
    assert "What is a test?" in after and "Old question?" in after
