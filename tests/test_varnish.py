"""A real varnishd with the repository's VCL in front of a live server: reader pages are
kept, every change bans exactly its pages' surrogate keys, editors and the admin pass."""

import http.client
import logging
import socket

import pytest

from learn import editorial
from learn.caching import EVERYTHING
from learn.frontend_cache import BAN_HEADER, ban_keys
from quicktakes.servers import free_port
from quicktakes.varnish import Varnish
from tests.factories import make_article

pytestmark = [
    pytest.mark.varnish,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST = "/learn/computer-science/questions/what-is-a-test"
OTHER = "/learn/biology/questions/what-is-a-cell"


@pytest.fixture(scope="module")
def varnishd(live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    with Varnish(port) as varnish:
        yield varnish


@pytest.fixture
def varnish(varnishd, settings):
    """The Varnish, told of every change, holding nothing from an earlier test."""
    settings.FRONTEND_CACHE_URLS = [varnishd.base]
    assert ban_keys([EVERYTHING]) == 1
    return varnishd


def fetch(varnish, path, method="GET", headers=None, source="127.0.0.1"):
    connection = http.client.HTTPConnection(
        "127.0.0.1", varnish.port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(method, path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        response.text = response.read().decode(errors="replace")
        return response
    finally:
        connection.close()


def two_articles():
    first = make_article(answer="The first answer.", tags=["testing"])
    other = make_article(
        subject="Biology", slug="what-is-a-cell", question="What is a cell?", tags=["cells"]
    )
    return first, other


def test_reader_pages_are_kept_and_an_edit_shows_at_once(varnish):
    first, _ = two_articles()
    for path in (FIRST, OTHER, "/"):
        assert fetch(varnish, path).getheader("X-Cache") == "MISS"
        hit = fetch(varnish, path)
        assert hit.status == 200
        assert hit.getheader("X-Cache") == "HIT"
        # X-Varnish names this request and the one that fetched the object.
        assert len(hit.getheader("X-Varnish").split()) == 2

    first.answer = "The edited answer."
    first.save()

    edited = fetch(varnish, FIRST)
    assert edited.getheader("X-Cache") == "MISS"
    assert "The edited answer." in edited.text
    # Home shows the article's card and the counts: banned too.
    assert fetch(varnish, "/").getheader("X-Cache") == "MISS"
    # An article in another subject, sharing no topic, is untouched.
    untouched = fetch(varnish, OTHER)
    assert untouched.getheader("X-Cache") == "HIT"
    assert untouched.getheader("Age") is not None


def test_an_editorial_action_bans_its_articles(varnish, editor):
    first, _ = two_articles()
    fetch(varnish, FIRST)
    assert fetch(varnish, FIRST).getheader("X-Cache") == "HIT"
    editorial.articles_unpublish(type(first).objects.filter(pk=first.pk), user=editor)
    assert fetch(varnish, FIRST).status == 404
    assert fetch(varnish, OTHER).status == 200


def test_query_parameters_no_page_reads_share_the_page(varnish):
    two_articles()
    assert fetch(varnish, FIRST).getheader("X-Cache") == "MISS"
    assert fetch(varnish, FIRST + "?utm_source=feed&x=1").getheader("X-Cache") == "HIT"
    assert fetch(varnish, FIRST, headers={"Cookie": "_ga=GA1.2.3"}).getheader("X-Cache") == "HIT"


def test_the_admin_sessions_and_posts_pass(varnish):
    two_articles()
    for _ in range(2):
        assert fetch(varnish, "/admin/login/").getheader("X-Cache") == "PASS"
        with_session = fetch(varnish, FIRST, headers={"Cookie": "sessionid=abc"})
        assert with_session.getheader("X-Cache") == "PASS"
        post = fetch(varnish, FIRST, method="POST")
        assert post.status == 405
        assert post.getheader("X-Cache") == "PASS"


def test_an_editors_preview_is_never_kept(varnish, client, editor):
    draft = make_article(status="draft", answer="Draft answer.")
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    preview = fetch(varnish, draft.get_absolute_url(), headers={"Cookie": cookie})
    assert "Draft answer." in preview.text
    # A reader after the editor gets the 404 readers get, never the preview.
    reader = fetch(varnish, draft.get_absolute_url())
    assert reader.status == 404
    assert "Draft answer." not in reader.text


def test_responses_without_public_are_not_kept(varnish):
    two_articles()
    for path in ("/search/?q=test", "/feed/", "/sitemap.xml", "/learn/nothing-here/"):
        fetch(varnish, path)
        assert fetch(varnish, path).getheader("X-Cache") == "PASS", path


def test_bans_only_from_allowed_addresses(varnish):
    two_articles()
    fetch(varnish, FIRST)
    refused = fetch(varnish, "/", method="BAN", headers={BAN_HEADER: "all"}, source="127.0.0.2")
    assert refused.status == 403
    assert fetch(varnish, FIRST).getheader("X-Cache") == "HIT"
    malformed = fetch(varnish, "/", method="BAN", headers={BAN_HEADER: 'all" || obj.ttl'})
    assert malformed.status == 400
    assert fetch(varnish, FIRST).getheader("X-Cache") == "HIT"


def test_a_ban_names_whole_keys(varnish):
    """``article-1`` bans neither ``article-10`` nor ``article-12``'s pages."""
    _, other = two_articles()
    fetch(varnish, FIRST)
    fetch(varnish, OTHER)
    assert ban_keys([f"article-{other.pk}0", f"article-{other.pk}1"]) == 1
    assert fetch(varnish, OTHER).getheader("X-Cache") == "HIT"
    assert ban_keys([f"article-{other.pk}"]) == 1
    assert fetch(varnish, OTHER).getheader("X-Cache") == "MISS"
    assert fetch(varnish, FIRST).getheader("X-Cache") == "HIT"


def test_many_keys_go_in_batches(varnish):
    two_articles()
    fetch(varnish, FIRST)
    keys = [f"topic-{n}" for n in range(1000, 1400)]
    assert ban_keys(keys) == 3
    assert fetch(varnish, FIRST).getheader("X-Cache") == "HIT"


def closed_port():
    port = free_port()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    return port


def test_a_varnish_down_or_refusing_does_not_break_the_save(varnish, settings, caplog):
    first, _ = two_articles()
    fetch(varnish, FIRST)
    down = f"http://127.0.0.1:{closed_port()}"
    settings.FRONTEND_CACHE_URLS = [down, varnish.base]
    first.answer = "Saved all the same."
    with caplog.at_level(logging.ERROR, logger="learn.frontend_cache"):
        first.save()
    first.refresh_from_db()
    assert first.answer == "Saved all the same."
    assert any(down in message for message in caplog.messages)
    # The Varnish that answers is banned all the same.
    assert "Saved all the same." in fetch(varnish, FIRST).text
