"""The shape of reader URLs, built and parsed here only (no ORM).

An article lives at ``/learn/<subject>/questions/<slug>``, without a trailing slash as
in the source files; a subject's list at ``/learn/<subject>/questions/``; a topic at
``/topics/<slug>/``, outside ``/learn/`` so that no subject slug can collide with it.
learn/urls.py routes these same shapes, so a URL built here is one the site serves.
"""

import re
from string import Formatter
from urllib.parse import urlsplit

LEARN = "/learn/"


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
# Tag slugs are not always URL slugs.
TOPIC = Shape("/topics/{slug}/", slug="str")


def subject_path(subject: str) -> str:
    return SUBJECT.build(subject=subject)


def article_path(subject: str, slug: str) -> str:
    return ARTICLE.build(subject=subject, slug=slug)


def topic_path(slug: str) -> str:
    return TOPIC.build(slug=slug)


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
