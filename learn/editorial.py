"""Editorial changes: publishing, moving articles and subjects with redirects, recorded imports.

Views and commands call these; each database change runs in one transaction.

Redirects point at the moved article (or subject), never at a path, so an article
that moves again takes all its old URLs along: chains collapse by construction. A
URL that comes back into use loses its redirect, so a redirect can never loop.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from learn.caching import pages_changed
from learn.importer import ImportResult, import_sources
from learn.models import Article, ImportRun, Redirect, Subject
from learn.sources import Failure, Source
from learn.uploads import unpack

_ARTICLE_PATH = re.compile(r"/learn/(?P<subject>[^/]+)/questions/(?P<slug>[^/]+)")


def subject_path(slug: str) -> str:
    return f"/learn/{slug}/questions/"


def article_path(subject_slug: str, slug: str) -> str:
    return f"/learn/{subject_slug}/questions/{slug}"


def find_redirect(path: str) -> str | None:
    """Where an old reader URL lives now, or None.

    An exact old path wins; otherwise an article URL under a subject's old slug
    goes to the article of that slug in the subject as it is now.
    """
    redirect = Redirect.objects.select_related("article__subject", "subject").filter(old_path=path)
    for found in redirect:
        return found.new_path
    match = _ARTICLE_PATH.fullmatch(path)
    if match is None:
        return None
    article = (
        Article.objects.filter(
            subject__redirects__old_path=subject_path(match["subject"]), slug=match["slug"]
        )
        .select_related("subject")
        .first()
    )
    return None if article is None else article.get_absolute_url()


def redirect_moved_article(article: Article, old_path: str | None = None) -> None:
    """Let ``article`` own its URL (a redirect from there would be shadowed or loop) and
    send ``old_path``, where it lived before, to it."""
    new_path = article.url_path
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


def articles_publish(articles: QuerySet) -> int:
    """Publish the articles; one dated in the future stays hidden until its date."""
    pages_changed()
    return articles.update(status=Article.Status.PUBLISHED, updated_at=timezone.now())


def articles_unpublish(articles: QuerySet) -> int:
    pages_changed()
    return articles.update(status=Article.Status.DRAFT, updated_at=timezone.now())


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


def articles_move(articles: QuerySet, *, subject: Subject) -> MoveResult:
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
        old_paths = {article.pk: article.url_path for article in moving}
        now = timezone.now()
        for article in moving:
            article.subject = subject
            article.updated_at = now
        Article.objects.bulk_update(moving, ["subject", "updated_at"], batch_size=500)
        pages_changed()
        new_paths = [article.url_path for article in moving]
        Redirect.objects.filter(old_path__in=new_paths).delete()
        Redirect.objects.bulk_create(
            [Redirect(old_path=old_paths[a.pk], article=a) for a in moving],
            update_conflicts=True,
            unique_fields=["old_path"],
            update_fields=["article", "subject"],
        )
    return MoveResult(moved=len(moving), clashes=clashes)


def subjects_merge(*, source: Subject, target: Subject) -> list[str]:
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
        Article.objects.filter(subject=source).update(subject=target, updated_at=timezone.now())
        pages_changed()
        Redirect.objects.filter(subject=source).update(subject=target)
        source.delete()
        # The articles' old URLs follow the subject redirect, with one row for them all.
        redirect_renamed_subject(target, old_slug)
    return []


def import_and_record(
    sources: Iterable[Source],
    *,
    origin: str,
    source: str,
    user=None,
    skipped: Iterable[Failure] = (),
    run: ImportRun | None = None,
    expected: int | None = None,
    on_file: Callable[[str, str], None] | None = None,
) -> tuple[ImportRun, ImportResult]:
    """Import the sources and record the run as applied (``run``: a pending one to complete)."""
    result = import_sources(sources, expected=expected, on_file=on_file)
    run = run or ImportRun(origin=origin, source=source[:500], user=user)
    _record(run, result, skipped)
    run.status = ImportRun.Status.APPLIED
    run.upload = None
    run.finished_at = timezone.now()
    run.save()
    return run, result


def upload_dry_run(*, files: bytes, source: str, user) -> ImportRun:
    """Try an uploaded zip without writing articles; keep it in a pending run to apply."""
    sources, skipped = unpack(files)
    result = import_sources(sources, dry_run=True)
    run = ImportRun(
        origin=ImportRun.Origin.ADMIN,
        source=source[:500],
        user=user,
        status=ImportRun.Status.PENDING,
        upload=files,
    )
    _record(run, result, skipped)
    run.save()
    return run


def upload_apply(run: ImportRun) -> ImportRun:
    """Import a pending upload for real, once: a second confirmation finds it applied."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk, status=ImportRun.Status.PENDING)
        sources, skipped = unpack(bytes(run.upload))
        return import_and_record(
            sources, origin=run.origin, source=run.source, run=run, skipped=skipped
        )[0]


def upload_discard(run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PENDING).update(
        status=ImportRun.Status.DISCARDED, upload=None, finished_at=timezone.now()
    )


def _record(run: ImportRun, result: ImportResult, skipped: Iterable[Failure]):
    run.created = len(result.created)
    run.updated = len(result.updated)
    run.unchanged = len(result.unchanged)
    run.failed = len(result.failed)
    run.links_resolved = result.links_resolved
    run.links_dangling = result.links_dangling
    run.outcomes = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    run.failures = [
        {"name": failure.name, "line": failure.line, "message": failure.message}
        for failure in [*result.failed, *skipped]
    ]
