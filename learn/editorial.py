"""Editorial actions: publishing, unpublishing, moving articles, merging subjects.

The admin calls these, and so may any other caller (the shell, a command): each runs in
one transaction, says once after its write that reader-visible content changed, and,
given the ``user`` who asked, records the change in each article's admin history.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from learn.caching import content_changed
from learn.models import Article, Subject, Topic
from learn.redirects import redirect_merged_subject, redirect_moved_articles
from learn.related import refresh_related


def articles_publish(articles: QuerySet, *, user=None) -> int:
    """Publish the articles; one dated in the future stays hidden until its date."""
    return _set_status(articles, Article.Status.PUBLISHED, user=user, message="Published.")


def articles_unpublish(articles: QuerySet, *, user=None) -> int:
    """Take the articles back to draft: readers no longer see them."""
    return _set_status(articles, Article.Status.DRAFT, user=user, message="Unpublished.")


def _set_status(articles: QuerySet, status: str, *, user, message: str) -> int:
    with transaction.atomic():
        # Read before the update, which may change what the queryset selects.
        ids = list(articles.values_list("pk", flat=True))
        changing = [] if user is None else list(articles.select_related(None).only("question"))
        subjects = set(articles.order_by().values_list("subject", flat=True).distinct())
        count = articles.update(status=status, updated_at=timezone.now())
        Subject.objects.filter(pk__in=subjects).recount()
        Topic.objects.recount_articles(ids)
        content_changed(articles=ids, related=refresh_related(ids))
        log_change(user, changing, message)
    return count


def log_change(user, articles: Iterable[Article], message: str) -> None:
    """Add ``message`` to each article's admin history, as saving its form would; a
    change without a user (a script) has no one to name, so it is not logged."""
    if user is not None and articles:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=articles, action_flag=CHANGE, change_message=message
        )


@dataclass
class MoveResult:
    moved: int
    clashes: list[str]


def slug_clashes(articles: QuerySet, subject: Subject) -> list[str]:
    """Slugs of ``articles`` already taken by another article in ``subject``."""
    return sorted(
        Article.objects.filter(subject=subject, slug__in=articles.values("slug"))
        .exclude(pk__in=articles.values("pk"))
        .values_list("slug", flat=True)
    )


def articles_move(articles: QuerySet, *, subject: Subject, user=None) -> MoveResult:
    """Move articles to ``subject`` with a redirect from each old URL.

    An article whose slug is taken in ``subject``, or by another article moving there,
    stays where it is and is reported.
    """
    with transaction.atomic():
        clashes = slug_clashes(articles, subject)
        moving, slugs = [], set()
        for article in (
            articles.exclude(subject=subject)
            .exclude(slug__in=clashes)
            .select_related("subject")
            .select_for_update(of=("self",))
            .order_by("pk")
        ):
            if article.slug in slugs:
                clashes.append(article.slug)
            else:
                slugs.add(article.slug)
                moving.append(article)
        old_paths = [article.get_absolute_url() for article in moving]
        old_subjects = {article.subject_id for article in moving}
        now = timezone.now()
        for article in moving:
            article.subject = subject
            article.updated_at = now
        Article.objects.bulk_update(moving, ["subject", "updated_at"], batch_size=500)
        Subject.objects.filter(pk__in={subject.pk, *old_subjects}).recount()
        redirect_moved_articles(zip(moving, old_paths, strict=True))
        moved = [article.pk for article in moving]
        content_changed(articles=moved, subjects=old_subjects, related=refresh_related(moved))
        log_change(user, moving, f"Moved to {subject}.")
    return MoveResult(moved=len(moving), clashes=clashes)


def subjects_merge(*, source: Subject, target: Subject, user=None) -> list[str]:
    """Move every article of ``source`` into ``target``, redirect its URLs, delete it.

    Returns the slugs both subjects use; then nothing is changed, since merging
    would have to drop or rename one of each pair.
    """
    if source.pk == target.pk:
        raise ValueError("a subject cannot be merged into itself")
    with transaction.atomic():
        clashes = slug_clashes(source.articles.all(), target)
        if clashes:
            return clashes
        old_slug = source.slug
        moving = list(source.articles.only("question"))
        Article.objects.filter(subject=source).update(subject=target, updated_at=timezone.now())
        refresh_related([article.pk for article in moving])
        Subject.objects.filter(pk=target.pk).recount()
        # The articles' old URLs follow the subject redirect, with one row for them all.
        redirect_merged_subject(source, target)
        # The navigation on every page loses the subject.
        content_changed(everything=True)
        log_change(user, moving, f"Moved to {target}: {old_slug} was merged into it.")
    return []
