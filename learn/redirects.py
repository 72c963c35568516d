"""Redirects from old reader URLs: finding where one leads, and keeping them right.

Redirects point at the moved article (or subject), never at a path, so an article
that moves again takes all its old URLs along: chains collapse by construction. A
URL that comes back into use loses its redirect, and ``Redirect.clean()`` refuses one
from its target's own URL, so a redirect can never loop.
"""

from collections.abc import Iterable

from django.db import transaction

from learn.models import Article, Redirect, Subject
from learn.paths import normalise_path, parse_article_path, subject_path


def find_redirect(path: str) -> str | None:
    """Where an old reader URL lives now, or None.

    An exact old path wins; otherwise an article URL under a subject's old slug
    goes to the article of that slug in the subject as it is now.
    """
    path = normalise_path(path)
    redirect = Redirect.objects.select_related("article__subject", "subject").filter(old_path=path)
    for found in redirect:
        return found.new_path
    found = parse_article_path(path)
    if found is None:
        return None
    subject, slug = found
    article = (
        Article.objects.filter(subject__redirects__old_path=subject_path(subject), slug=slug)
        .select_related("subject")
        .first()
    )
    return None if article is None else article.get_absolute_url()


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
