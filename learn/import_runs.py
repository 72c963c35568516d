"""Recorded imports: the one entry point for importing files, and the admin's upload workflow.

The ``import_quicktakes`` command and the admin both call :func:`import_files`; every
import that writes is recorded as an :class:`~learn.models.ImportRun` (who, when, from
where, what happened to each file). An upload from the admin is first a pending dry
run that keeps its bytes until an editor applies or discards it.

Imports from the admin run in the web worker's own process: a process pool started
there would outlive a worker that its server times out or restarts.
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from learn import history
from learn.diffs import diff_lines
from learn.importer import ImportResult, import_sources
from learn.models import Article, ImportRun
from learn.sources import Failure, Source
from learn.uploads import unpack


def import_files(
    sources: Iterable[Source],
    *,
    origin: str,
    source: str,
    user=None,
    dry_run: bool = False,
    skipped: Iterable[Failure] = (),
    run: ImportRun | None = None,
    in_process: bool = False,
    expected: int | None = None,
    on_file: Callable[[str, str], None] | None = None,
) -> tuple[ImportRun | None, ImportResult]:
    """Import the sources and record the run as applied; a dry run writes nothing, so it
    is not recorded (the run is None).

    ``run``: a pending run to complete. ``in_process``: parse in this process only, as a
    web request must.
    """
    result = import_sources(
        sources,
        dry_run=dry_run,
        workers=1 if in_process else None,
        expected=expected,
        on_file=on_file,
    )
    if dry_run:
        return None, result
    run = run or ImportRun(origin=origin, source=source[:500], user=user)
    _record(run, result, skipped)
    run.status = ImportRun.Status.APPLIED
    run.upload = None
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
        history.attribute_to_run(result.revisions, run)
    return run, result


def upload_dry_run(*, files: bytes, source: str, user) -> ImportRun:
    """Try an uploaded zip without writing articles; keep it in a pending run to apply."""
    sources, skipped = unpack(files)
    _, result = import_files(
        sources, origin=ImportRun.Origin.ADMIN, source=source, dry_run=True, in_process=True
    )
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
        return import_files(
            sources,
            origin=run.origin,
            source=run.source,
            run=run,
            skipped=skipped,
            in_process=True,
        )[0]


def upload_discard(run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PENDING).update(
        status=ImportRun.Status.DISCARDED, upload=None, finished_at=timezone.now()
    )


# Files listed per outcome on a run's page; its counts are of all.
FILES_SHOWN = 200
_TABLES = (("created", "Created"), ("updated", "Updated"), ("unchanged", "Unchanged"))


def file_tables(run: ImportRun) -> list[dict]:
    """A run's files by outcome (created, updated, unchanged, failed), the first
    FILES_SHOWN of each, with their articles (read in one query) and, for an updated
    file, its changes as (kind, line) pairs (``learn.diffs.diff_lines``)."""
    shown = {outcome: run.outcomes.get(outcome, [])[:FILES_SHOWN] for outcome, _ in _TABLES}
    ids = {run.article_ids.get(name) for names in shown.values() for name in names}
    articles = Article.objects.filter(pk__in=ids - {None}).only("question").order_by().in_bulk()
    tables = []
    for outcome, title in _TABLES:
        rows = []
        for name in shown[outcome]:
            pk = run.article_ids.get(name)
            row = {"name": name, "article": articles.get(pk), "gone": pk is not None}
            if outcome == "updated":
                row["diff"] = diff_lines(run.diffs.get(name, ""))
                changed = sum(kind in ("added", "removed") for kind, _ in row["diff"])
                row["diff_summary"] = f"{changed} line{'s' if changed != 1 else ''} changed"
            rows.append(row)
        count = getattr(run, outcome)
        tables.append(
            {
                "outcome": outcome,
                "title": title,
                "count": count,
                "rows": rows,
                "more": count > len(rows),
            }
        )
    failures = [
        {
            "name": f"{f['name']}:{f['line']}" if f.get("line") else f["name"],
            "message": f["message"],
        }
        for f in run.failures
    ]
    tables.append(
        {
            "outcome": "failed",
            "title": "Failed or skipped",
            "count": len(failures),
            "rows": failures,
            "more": False,
        }
    )
    return tables


def _record(run: ImportRun, result: ImportResult, skipped: Iterable[Failure]):
    run.created = result.counts["created"]
    run.updated = result.counts["updated"]
    run.unchanged = result.counts["unchanged"]
    run.failed = len(result.failed)
    run.links_resolved = result.links_resolved
    run.links_dangling = result.links_dangling
    run.outcomes = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    run.article_ids = result.article_ids
    run.diffs = result.diffs
    run.failures = [
        {"name": failure.name, "line": failure.line, "message": failure.message}
        for failure in [*result.failed, *skipped]
    ]
