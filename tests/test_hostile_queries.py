"""Query parameters no reader sends (NUL, invalid UTF-8, 4,000 characters, search syntax,
garbage page numbers) on every reader URL: never a server error, on either database."""

import pytest
from django.test import Client

from tests.factories import make_article
from tests.pathological import HOSTILE_PARAMETERS, HOSTILE_VALUES

pytestmark = pytest.mark.django_db

ARTICLE = "/learn/computer-science/questions/what-is-a-test"
READER_URLS = [
    "/",
    "/learn/",
    "/learn/computer-science/questions/",
    ARTICLE,
    "/topics/testing/",
    "/search/",
    "/feed/",
    "/learn/computer-science/feed/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-subject-computer-science.xml",
]


@pytest.fixture
def client():
    """A client that gets the 500 page a reader would, rather than the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("parameter", HOSTILE_PARAMETERS)
@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_no_query_parameter_makes_a_reader_url_fail(client, parameter, value):
    """Each reader URL answers a hostile parameter as a client error or a page, never 5xx."""
    make_article(tags=["testing", "quality"])
    for url in READER_URLS:
        response = client.get(f"{url}?{parameter}={value}")
        assert response.status_code < 500, (url, parameter, value, response.status_code)
