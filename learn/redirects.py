"""Redirects from old reader URLs: finding where one leads, and keeping them right.

Redirects point at the moved article (or subject), never at a path, so an article
that moves again takes all its old URLs along: chains collapse by construction. A
URL that comes back into use loses its redirect, and ``Redirect.clean()`` refuses one
from its target's own URL, so a redirect can never loop.
"""

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
    new_path = article.get_absolute_url()
    with transaction.atomic():
        Redirect.objects.filter(old_path=new_path).delete()
        if old_path and old_path != new_path:
            Redirect.objects.update_or_create(
                old_path=old_path, defaults={"article": article, "subject": None}
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
