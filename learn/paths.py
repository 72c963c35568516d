"""The shape of reader URLs, built and parsed here only (no ORM).

An article lives at ``/learn/<subject>/questions/<slug>``, without a trailing slash as
in the source files; a subject's list at ``/learn/<subject>/questions/`` and its feed at
``/learn/<subject>/feed/``; a topic at
``/topics/<slug>/``, outside ``/learn/`` so that no subject slug can collide with it; the
topics index at ``/topics/``, and its A to Z at ``/topics/a-z/<letter>/`` (two segments,
so no topic's slug can take them).
learn/urls.py routes these same shapes, so a URL built here is one the site serves;
named_path() gives the path of any route without arguments, reversed once.
"""

import functools
import re
from string import Formatter
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

LEARN = "/learn/"

# The URL is an article's key, so its slug may be as long as a URL may be. Sitemaps take
# URLs under 2,048 characters, and PostgreSQL indexes a value of up to about 2,700 bytes
# (a third of a page), which the unique (subject, slug) index and the indexed URL columns
# must fit: 1,000 characters (ASCII, so as many bytes) leave room for the rest of a URL.
MAX_SLUG_LENGTH = 1000
# /learn/<subject>/questions/<slug>: a subject's slug and name hold at most 100 characters.
MAX_URL_LENGTH = len("/learn//questions/") + 100 + MAX_SLUG_LENGTH
_SLUG = re.compile(r"[a-z0-9-]+")
# No URL the site builds has a control character, and PostgreSQL's text cannot hold NUL:
# a lookup by such a path fails in the database instead of finding nothing.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def check_slug(slug: str) -> None:
    """Raise ValueError (its message reads after "has") unless ``slug`` may be a URL segment
    (an article's or a subject's)."""
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"an invalid slug {slug!r}: use lowercase letters, digits and hyphens")
    if len(slug) > MAX_SLUG_LENGTH:
        raise ValueError(f"a slug of {len(slug)} characters, over {MAX_SLUG_LENGTH}")


def may_be_served(path: str) -> bool:
    """False for a path that no page can have, whatever the routes: one with a control
    character (a NUL included)."""
    return not _CONTROL_CHARACTER.search(path)


class Shape:
    """A URL shape such as ``/learn/{subject}/questions/{slug}``.

    Each ``{name}`` is one non-empty path segment; ``converters`` name the Django path
    converter of a segment in ``route`` (``slug`` unless given).
    """

    def __init__(self, template: str, **converters: str):
        self.template = template
        parts = list(Formatter().parse(template))
        self.names = [name for _, name, _, _ in parts if name]
        self.route = "".join(
            literal + (f"<{converters.get(name, 'slug')}:{name}>" if name else "")
            for literal, name, _, _ in parts
        ).removeprefix("/")
        self._pattern = re.compile(
            "".join(
                re.escape(literal) + (f"(?P<{name}>[^/]+)" if name else "")
                for literal, name, _, _ in parts
            )
        )

    def build(self, **segments: str) -> str:
        return self.template.format(**segments)

    def parse(self, path: str) -> tuple[str, ...] | None:
        """The segments of ``path`` in template order, or None if it has another shape."""
        match = self._pattern.fullmatch(path)
        return None if match is None else tuple(match[name] for name in self.names)


SUBJECT = Shape(LEARN + "{subject}/questions/")
ARTICLE = Shape(LEARN + "{subject}/questions/{slug}")
# Short for the subject's list, which it redirects to.
SUBJECT_HOME = Shape(LEARN + "{subject}/")
SUBJECT_FEED = Shape(LEARN + "{subject}/feed/")
# Tag slugs are not always URL slugs.
TOPIC = Shape("/topics/{slug}/", slug="str")
TOPICS = Shape("/topics/")
TOPIC_LETTER = Shape("/topics/a-z/{letter}/")


def subject_path(subject: str) -> str:
    return SUBJECT.build(subject=subject)


def article_path(subject: str, slug: str) -> str:
    return ARTICLE.build(subject=subject, slug=slug)


def subject_feed_path(subject: str) -> str:
    return SUBJECT_FEED.build(subject=subject)


def topic_path(slug: str) -> str:
    return TOPIC.build(slug=slug)


def topics_path() -> str:
    return TOPICS.build()


def topic_letter_path(letter: str) -> str:
    return TOPIC_LETTER.build(letter=letter)


def named_path(name: str) -> str:
    """The path of the route ``name`` that takes no arguments ("learn:home"), as
    ``reverse()`` gives it, worked out once per URLconf and script prefix: the site's
    header, footer and head ask for the same few on every page, and ``{% url %}`` reverses
    each of them every time (learn_tags.named_path)."""
    return _named_path(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _named_path(name: str, urlconf, prefix: str) -> str:
    # The prefix is reverse()'s own (get_script_prefix()); it is in the key, not passed.
    return reverse(name, urlconf=urlconf)


def parse_article_path(path: str) -> tuple[str, str] | None:
    """``/learn/<subject>/questions/<slug>`` → (subject, slug), or None."""
    return ARTICLE.parse(path)


def parse_subject_path(path: str) -> str | None:
    """``/learn/<subject>/questions/`` → the subject's slug, or None."""
    found = SUBJECT.parse(path)
    return None if found is None else found[0]


def normalise_path(path: str) -> str:
    """The one spelling of a reader path that redirects are stored and looked up by.

    As Wagtail's ``Redirect.normalise_path``: no surrounding space, query or fragment,
    and a leading slash. A path under a subject takes the form the site serves, however
    it was typed: an article's without a trailing slash, a subject's list with one (and
    ``/learn/<subject>/``, which redirects to the list, is the list). A redirect stored
    under another spelling would never fire: the site answers that spelling itself.
    """
    path = urlsplit(path.strip()).path
    if not path.startswith("/"):
        path = "/" + path
    bare = path.rstrip("/")
    if found := parse_article_path(bare):
        return article_path(*found)
    if found := SUBJECT.parse(bare + "/") or SUBJECT_HOME.parse(bare + "/"):
        return subject_path(*found)
    return path


# The most of a missing page's last segment read for its words: a long path costs no more.
MAX_WORDS_SEGMENT = 300
_SEGMENT_WORD = re.compile(r"[^\W_]+")


def slug_words(path: str) -> str:
    """The words of ``path``'s last segment, the slug of a missing page, as a search
    query: ``/learn/biology/questions/what-is-photosynthsis`` → "what is photosynthsis".
    "" for a path ending in a file name (a dot in its last segment)."""
    segment = path.rstrip("/").rpartition("/")[2][:MAX_WORDS_SEGMENT]
    if "." in segment:
        return ""
    return " ".join(_SEGMENT_WORD.findall(segment))
