"""Paths no page can have (NUL and other control characters, invalid UTF-8, 4,000-character
segments) get the site's 404 on every database, never a 500."""

import pytest
from django.test import Client

from learn.models import Redirect
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LONG = "a" * 4000
# Each reaches a different lookup: the redirect middleware's (an article URL, a subject's
# list), a topic's tags, the old topic URL's redirect, the admin, a path of no route.
CONTROL_CHARACTERS = [
    "/learn/x/questions/a%00b",
    "/learn/x%00/questions/",
    "/topics/%00/",
    "/learn/topics/%00/",
    "/learn/x/questions/a%01b",
    "/learn/x/questions/a%1Fb%7F",
    "/%00",
    "/admin/%00/",
]
# Invalid UTF-8 reaches Django percent-encoded again, so these may redirect before the 404.
ODD_PATHS = [
    "/learn/x/questions/%C3%28",
    "/learn/%FF%FE/questions/",
    "/topics/%E2%82/",
    "/learn/topics/%ED%A0%80/",
    f"/learn/x/questions/{LONG}",
    f"/learn/x/questions/{LONG}/",
    f"/learn/{LONG}/questions/",
    f"/learn/{LONG}/questions/{LONG}",
    f"/topics/{LONG}/",
    f"/learn/topics/{LONG}/",
]


@pytest.fixture
def site():
    """Content and an old URL, so that every lookup has rows to search."""
    article = make_article(tags=["testing"])
    Redirect.objects.create(old_path="/learn/computer-science/questions/old", article=article)


@pytest.fixture
def client():
    """A client that gets the 500 page a reader would, rather than the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("method", ["get", "head", "options", "post"])
@pytest.mark.parametrize("path", CONTROL_CHARACTERS)
def test_paths_with_control_characters_are_not_found(site, client, path, method):
    """Refused before any view or lookup, whatever the method: the site's 404."""
    response = getattr(client, method)(path)
    assert response.status_code == 404
    if method == "get":
        assert b"Page not found" in response.content


@pytest.mark.parametrize("path", ODD_PATHS)
def test_invalid_utf8_and_long_segments_end_in_not_found(site, client, path):
    """Followed through any redirect, such a path is the site's 404, never a 500."""
    response = client.get(path, follow=True)
    assert response.status_code == 404
    assert b"Page not found" in response.content
