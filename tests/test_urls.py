"""Every reader URL takes GET, HEAD and OPTIONS, and refuses any other method with 405."""

import pytest
from django.test import Client

from learn import urls
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ARTICLE = "/learn/computer-science/questions/what-is-a-test"
# One URL per reader route, each answered by its own view (not a 404).
READER_URLS = {
    "": "/",
    "learn/": "/learn/",
    "topics/": "/topics/",
    "topics/a-z/<slug:letter>/": "/topics/a-z/t/",
    "topics/<str:slug>/": "/topics/testing/",
    "search/": "/search/?q=test",
    "feed/": "/feed/",
    "learn/<slug:subject>/feed/": "/learn/computer-science/feed/",
    "robots.txt": "/robots.txt",
    "sitemap.xml": "/sitemap.xml",
    "sitemap-<slug:section>.xml": "/sitemap-pages.xml",
    "learn/<slug:subject>/": "/learn/computer-science/",
    "learn/<slug:subject>/questions/": "/learn/computer-science/questions/",
    "learn/<slug:subject>/questions/<slug:slug>": ARTICLE,
    "learn/<slug:subject>/questions/<slug:slug>/": ARTICLE + "/",
    "learn/topics/<str:slug>/": "/learn/topics/testing/",
}
ALLOW = "GET, HEAD, OPTIONS"


@pytest.fixture
def article():
    return make_article(tags=["testing"])


@pytest.fixture
def csrf_client():
    """A client that checks CSRF tokens, as the site does for browsers."""
    return Client(enforce_csrf_checks=True)


def test_every_reader_route_is_checked():
    """A new route in learn/urls.py joins READER_URLS, and so these tests."""
    assert {str(pattern.pattern) for pattern in urls.urlpatterns} == READER_URLS.keys()


@pytest.mark.parametrize("url", READER_URLS.values())
def test_head_answers_as_get_without_a_body(csrf_client, article, url):
    """HEAD gets GET's status and headers (robots.txt included) and no body."""
    get = csrf_client.get(url)
    head = csrf_client.head(url)
    assert get.status_code in {200, 301}
    assert head.status_code == get.status_code
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


@pytest.mark.parametrize("url", READER_URLS.values())
def test_options_is_an_empty_200_naming_the_methods(csrf_client, article, url):
    """OPTIONS says what the URL takes, with no page (the feed's included)."""
    response = csrf_client.options(url)
    assert response.status_code == 200
    assert response["Allow"] == ALLOW
    assert response.content == b""
    assert response["Content-Length"] == "0"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", READER_URLS.values())
def test_unsafe_methods_are_not_allowed(csrf_client, article, url, method):
    """A write to a reader URL is 405 with the methods it takes, never CSRF's 403."""
    response = getattr(csrf_client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == ALLOW
