"""Content-Security-Policy and Permissions-Policy on every page: strict on reader pages,
with the request's nonce for the admin's inline styles."""

import re

import pytest

from tests.factories import make_article
from tests.test_urls import READER_URLS

pytestmark = pytest.mark.django_db

READER_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
    "font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@pytest.fixture
def article():
    return make_article(tags=["testing"])


@pytest.mark.parametrize("url", [*READER_URLS.values(), "/learn/x/questions/gone", "/%00"])
def test_reader_pages_have_a_strict_policy(client, article, url):
    """No inline script or style, no nonce: the same policy on a miss, a cache hit, a 404."""
    for _ in range(2):
        response = client.get(url)
        assert response["Content-Security-Policy"] == READER_POLICY


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_powerful_features_are_off(client, url):
    """Camera, microphone, geolocation and the like: no page may use them, nor what it embeds."""
    policy = client.get(url)["Permissions-Policy"]
    assert {"camera=()", "microphone=()", "geolocation=()", "payment=()"} <= set(
        policy.split(", ")
    )


def test_the_admins_inline_styles_carry_the_nonce(admin_client, article):
    """The change form (with the side-by-side preview's style block) runs under the policy."""
    response = admin_client.get(f"/admin/learn/article/{article.pk}/change/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"style-src 'self' 'nonce-([^']+)'", policy)[1]
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    styles = re.findall(r"<style[^>]*>", html)
    assert styles and all(f'nonce="{nonce}"' in style for style in styles)
    # Every script is a file from the site (allowed by 'self'), never inline code.
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
