"""Editorial actions: publishing, unpublishing, moving articles, merging subjects.

The admin calls these, and so may any other caller (the shell, a command): each runs in
one transaction, says once after its write that reader-visible content changed, records
a revision of each article it changed (``learn.history``) and, given the ``user`` who
asked, records the change in each article's admin history.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from learn import history
from learn.caching import content_changed
from learn.importer import replace_topics, resolve_links_of
from learn.keywords import parse_keywords
from learn.models import RENDERED_FIELDS, Article, RelatedLink, RevisionOrigin, Subject, Topic
from learn.redirects import (
    redirect_merged_subject,
    redirect_moved_article,
    redirect_moved_articles,
)
from learn.related import refresh_related
from learn.rendering import render

ACTION = RevisionOrigin.Via.ACTION


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
        history.record(ids, via=ACTION, user=user, comment=message)
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
        message = f"Moved to {subject}."
        history.record(moved, via=ACTION, user=user, comment=message)
        log_change(user, moving, message)
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
        message = f"Moved to {target}: {old_slug} was merged into it."
        history.record([a.pk for a in moving], via=ACTION, user=user, comment=message)
        log_change(user, moving, message)
    return []


class RestoreError(Exception):
    """A revision that cannot be restored as it is; the message says why."""


def article_restore(version, *, user=None) -> Article:
    """Make the article what ``version`` (a ``learn.history`` revision of it) kept:
    its fields, topics and related links; a new revision records the restore.

    A restored slug or subject keeps the URL rules (the URL it leaves redirects to it).
    A subject deleted since (merged into another) is not restored: the article stays
    in its current one. Refused, with nothing written, when another article has taken
    the restored URL or the article was deleted.
    """
    snap = history.snapshot(version)
    with transaction.atomic():
        article = (
            Article.objects.select_for_update(of=("self",))
            .select_related("subject")
            .filter(pk=int(version.object_id))
            .first()
        )
        if article is None:
            raise RestoreError("This article was deleted: there is nothing to restore it into.")
        old_path, old_subject = article.get_absolute_url(), article.subject_id
        values = {
            attname: snap.fields[attname]
            for name in history.RESTORED_FIELDS
            if (attname := Article._meta.get_field(name).attname) in snap.fields
        }
        subject = Subject.objects.filter(pk=values.get("subject_id")).first()
        if subject is None:
            subject = article.subject
            values["subject_id"] = subject.pk
        if (
            Article.objects.filter(subject=subject, slug=values["slug"])
            .exclude(pk=article.pk)
            .exists()
        ):
            raise RestoreError(
                f"Another article now has this revision's URL, "
                f"{subject.slug}/{values['slug']}: move or re-slug it first."
            )
        for attname, value in values.items():
            setattr(article, attname, value)
        article.subject = subject
        article.set_answer_html(render(article.answer))
        article.updated_at = timezone.now()
        Article.objects.filter(pk=article.pk).update(
            **values,
            **{name: getattr(article, name) for name in RENDERED_FIELDS},
            updated_at=article.updated_at,
        )
        left_topics, topics = replace_topics([article.pk], [parse_keywords(article.keywords)])
        _restore_links(article, snap.links)
        if article.get_absolute_url() != old_path:
            redirect_moved_article(article, old_path)
        Subject.objects.filter(pk__in={old_subject, subject.pk}).recount()
        Topic.objects.recount_tags(left_topics | topics, articles=[article.pk])
        content_changed(
            articles=[article.pk],
            subjects={old_subject},
            topics=left_topics,
            related=refresh_related([article.pk]),
        )
        when = timezone.localtime(version.revision.date_created)
        message = f"Restored the revision of {when:%Y-%m-%d %H:%M:%S}."
        history.record(
            [article.pk],
            via=RevisionOrigin.Via.RESTORE,
            user=user,
            comment=message,
            restored_from=version.revision,
        )
        log_change(user, [article], message)
    return article


def _restore_links(article: Article, links: list[dict]):
    """The related links as a revision kept them; a target deleted since is looked up
    again by the link's URL and id, as an import resolves it."""
    RelatedLink.objects.filter(article=article).delete()
    targets = set(
        Article.objects.filter(pk__in={link["target_id"] for link in links}).values_list(
            "pk", flat=True
        )
    )
    RelatedLink.objects.bulk_create(
        RelatedLink(
            article=article,
            position=link["position"],
            target_source_id=link["target_source_id"],
            target_title=link["target_title"],
            target_subject=link["target_subject"],
            target_url=link["target_url"],
            target_id=link["target_id"] if link["target_id"] in targets else None,
        )
        for link in links
    )
    resolve_links_of([article.pk])
