"""The URL shapes: built and parsed in one place, and routed as they are built."""

import pytest
from django.test import override_settings
from django.urls import resolve, reverse

from learn import paths


def test_builders_write_the_source_shapes():
    """Articles have no trailing slash, as in the source files; lists and topics have one."""
    assert paths.article_path("computer-science", "what-is-a-test") == (
        "/learn/computer-science/questions/what-is-a-test"
    )
    assert paths.subject_path("computer-science") == "/learn/computer-science/questions/"
    assert paths.topic_path("big-o") == "/topics/big-o/"


def test_parsers_invert_the_builders():
    """A built path parses back into its segments."""
    assert paths.parse_article_path(paths.article_path("maths", "a-b")) == ("maths", "a-b")
    assert paths.parse_subject_path(paths.subject_path("maths")) == "maths"


@pytest.mark.parametrize(
    "path",
    [
        "/learn/maths/questions/",
        "/learn/maths/questions/a/",
        "/learn/maths/questions/a/b",
        "/learn//questions/a",
        "learn/maths/questions/a",
        "/learn/maths/answers/a",
        "/topics/a/",
    ],
)
def test_other_shapes_are_not_articles(path):
    """Only /learn/<subject>/questions/<slug>, exactly, is an article path."""
    assert paths.parse_article_path(path) is None


@pytest.mark.parametrize(
    "path", ["/learn/maths/questions", "/learn/maths/", "/learn/maths/questions/a", "/learn/"]
)
def test_other_shapes_are_not_subject_lists(path):
    """Only /learn/<subject>/questions/ is a subject's list."""
    assert paths.parse_subject_path(path) is None


@pytest.mark.parametrize(
    ("path", "normal"),
    [
        ("/learn/a/questions/b", "/learn/a/questions/b"),
        ("/learn/a/questions/b/", "/learn/a/questions/b"),
        ("learn/a/questions/b//", "/learn/a/questions/b"),
        ("  /learn/a/questions/b?x=1#top ", "/learn/a/questions/b"),
        ("http://example.org/learn/a/questions/b/", "/learn/a/questions/b"),
        ("/learn/a/questions", "/learn/a/questions/"),
        ("/learn/a/questions/", "/learn/a/questions/"),
        ("/learn/a", "/learn/a/questions/"),
        ("/learn/a/", "/learn/a/questions/"),
        ("/learn/", "/learn/"),
        ("/learn/a/feed/", "/learn/a/feed/"),
        ("/learn/a/questions/b/c/", "/learn/a/questions/b/c/"),
    ],
)
def test_normalise_path_gives_the_form_the_site_serves(path, normal):
    """Every spelling of an article or subject path becomes the one the site answers at."""
    assert paths.normalise_path(path) == normal


def test_routes_serve_what_the_builders_build():
    """learn/urls.py routes the shapes of learn.paths: reversing gives the built path."""
    assert reverse("learn:article_detail", kwargs={"subject": "s", "slug": "a"}) == (
        paths.article_path("s", "a")
    )
    assert reverse("learn:article_list", kwargs={"subject": "s"}) == paths.subject_path("s")
    assert reverse("learn:topic", kwargs={"slug": "t"}) == paths.topic_path("t")
    assert reverse("learn:subject_feed", kwargs={"subject": "s"}) == paths.subject_feed_path("s")
    assert resolve(paths.article_path("s", "a")).url_name == "article_detail"
    assert resolve(paths.subject_path("topics")).url_name == "article_list"
    assert resolve(paths.topic_path("questions")).url_name == "topic"


@pytest.mark.parametrize("slug", ["ok", "na--k-pump", "a" * 1000, "2024-plan"])
def test_check_slug_accepts_url_slugs(slug):
    """Lowercase letters, digits and hyphens up to 1,000 characters are a valid slug."""
    paths.check_slug(slug)


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("", "an invalid slug ''"),
        ("Caps", "an invalid slug 'Caps'"),
        ("a b", "an invalid slug 'a b'"),
        ("a" * 1001, "a slug of 1001 characters, over 1000"),
    ],
)
def test_check_slug_refuses_others(slug, message):
    """Anything else raises ValueError with a message the form and the parser share."""
    with pytest.raises(ValueError, match=message):
        paths.check_slug(slug)


@pytest.mark.parametrize("path", ["/topics/a\x00b/", "/learn/x\x1f/questions/", "/\x7f"])
def test_a_path_with_a_control_character_may_not_be_served(path):
    """No page has a control character in its path (a NUL would fail PostgreSQL's lookup)."""
    assert not paths.may_be_served(path)


def test_any_other_path_may_be_served():
    """Unicode, percent signs and long segments are left to the routes."""
    assert paths.may_be_served("/topics/café%C3/" + "a" * 4000)


def test_slug_words_are_the_words_of_the_last_segment():
    """A missing page's slug gives its words; a file name or a bare root gives none, and
    only the start of a long segment is read."""
    slug_words = paths.slug_words
    assert slug_words("/learn/biology/questions/what-is-photosynthsis") == "what is photosynthsis"
    assert slug_words("/topics/cell_biology/") == "cell biology"
    assert slug_words("/learn/x/questions/na--k-pump") == "na k pump"
    assert slug_words("/static/css/site.css") == ""
    assert slug_words("/") == ""
    assert len(slug_words("/learn/" + "a" * 5000)) == paths.MAX_WORDS_SEGMENT


@pytest.mark.parametrize(
    "name", ["learn:home", "learn:subject_list", "learn:search", "learn:feed"]
)
def test_named_path_is_the_reversed_route(name):
    assert paths.named_path(name) == reverse(name)


def test_named_path_reverses_a_route_once_per_urlconf_and_prefix(monkeypatch):
    """The header's links cost one reverse() a process, and still follow the script
    prefix (a site mounted under /qt/) and the URLconf in use."""
    from django.urls import set_script_prefix

    calls = []
    real = paths.reverse
    monkeypatch.setattr(paths, "reverse", lambda *a, **k: calls.append(a) or real(*a, **k))
    paths._named_path.cache_clear()
    assert [paths.named_path("learn:search") for _ in range(3)] == ["/search/"] * 3
    assert len(calls) == 1
    set_script_prefix("/qt/")
    try:
        assert paths.named_path("learn:search") == "/qt/search/"
    finally:
        set_script_prefix("/")
    assert paths.named_path("learn:search") == "/search/"
    with override_settings(ROOT_URLCONF="bench.urls"):
        assert paths.named_path("learn:search") == "/search/"
    assert len(calls) == 3
