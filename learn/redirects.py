"""Redirects from old reader URLs: finding where one leads, and keeping them right.

Redirects point at the moved article (or subject), never at a path, so an article
that moves again takes all its old URLs along: chains collapse by construction. A
URL that comes back into use loses its redirect, and ``Redirect.clean()`` refuses one
from its target's own URL, so a redirect can never loop.
"""

from collections.abc import Iterable
from itertools import batched

from django.db import transaction

from learn.models import Article, Redirect, Subject
from learn.paths import (
    article_path,
    normalise_path,
    parse_article_path,
    parse_subject_path,
    subject_path,
)


def find_redirect(path: str) -> str | None:
    """Where an old reader URL lives now, or None (find_redirects' rules)."""
    return find_redirects([path]).get(path)


# Paths looked up a statement (SQLite takes up to 32,766 parameters).
CHUNK = 500


def find_redirects(paths: Iterable[str]) -> dict[str, str]:
    """Where each of ``paths`` that is an old reader URL lives now, by path.

    An exact old path wins; otherwise an article URL under a subject's old slug goes to
    the article of that slug in the subject as it is now. Two queries for up to CHUNK
    paths (the second only for article paths without an exact redirect): the site's
    404 asks for one path, the broken-links report for every link it checks.
    """
    normal = {path: normalise_path(path) for path in paths}
    found = {}
    for batch in batched(set(normal.values()), CHUNK):
        for redirect in Redirect.objects.select_related("article__subject", "subject").filter(
            old_path__in=batch
        ):
            found[redirect.old_path] = redirect.new_path
    moved = {}
    for path in set(normal.values()) - found.keys():
        if parsed := parse_article_path(path):
            moved[parsed] = path
    for batch in batched(moved, CHUNK):
        # The articles of those slugs in the subjects that had those old slugs.
        for old_subject, slug, subject in Article.objects.filter(
            subject__redirects__old_path__in={subject_path(subject) for subject, _ in batch},
            slug__in={slug for _, slug in batch},
        ).values_list("subject__redirects__old_path", "slug", "subject__slug"):
            path = moved.get((parse_subject_path(old_subject), slug))
            if path is not None:
                found[path] = article_path(subject, slug)
    return {path: found[new] for path, new in normal.items() if new in found}


def redirect_moved_article(article: Article, old_path: str | None = None) -> None:
    """Let ``article`` own its URL (a redirect from there would be shadowed or loop) and
    send ``old_path``, where it lived before, to it."""
    redirect_moved_articles([(article, old_path)])


def redirect_moved_articles(moves: Iterable[tuple[Article, str | None]]) -> None:
    """:func:`redirect_moved_article` for many (article, old path) pairs at once."""
    moves = [(article, article.get_absolute_url(), old_path) for article, old_path in moves]
    with transaction.atomic():
        Redirect.objects.filter(old_path__in=[new for _, new, _ in moves]).delete()
        Redirect.objects.bulk_create(
            [
                Redirect(old_path=old, article=article)
                for article, new, old in moves
                if old and old != new
            ],
            update_conflicts=True,
            unique_fields=["old_path"],
            update_fields=["article", "subject"],
        )


def redirect_renamed_subject(subject: Subject, old_slug: str | None = None) -> None:
    """Let ``subject`` own its list URL and send its old one, and so its old article
    URLs, to it."""
    with transaction.atomic():
        Redirect.objects.filter(old_path=subject_path(subject.slug)).delete()
        if old_slug and old_slug != subject.slug:
            Redirect.objects.update_or_create(
                old_path=subject_path(old_slug), defaults={"subject": subject, "article": None}
            )


def redirect_merged_subject(source: Subject, target: Subject) -> None:
    """Send every old URL that led to ``source`` to ``target`` instead, and ``source``'s
    own list URL (and so its article URLs) too; ``source`` is then deleted."""
    with transaction.atomic():
        Redirect.objects.filter(subject=source).update(subject=target)
        old_slug = source.slug
        source.delete()
        redirect_renamed_subject(target, old_slug)
