"""Articles out again as files in the source format: the work of ``export_quicktakes``.

Each article becomes ``<folder>/<subject-slug>/<slug>.md``, written by
``learn.writing.article_file``: the bytes it was imported from while it says the same,
else those bytes with its edits. Articles are read a chunk at a time in id order, so a
run's memory does not grow with their number; each file is written whole under a
temporary name and renamed, so none is ever half-written.

The file written becomes the article's source (``ArticleSource`` and
``Article.content_hash``), as if it had been imported: importing the export again
finds every file unchanged, and the next export of an unedited article gives the
same bytes.
"""

import datetime
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from learn.keywords import parse_keywords
from learn.models import Article, ArticleSource, RelatedLink, Subject, publication_moment
from learn.parsing import ArticleRecord, RelatedRecord
from learn.paths import article_path, parse_article_path
from learn.sources import Failure, content_hash
from learn.writing import WriteError, article_file

CHUNK_SIZE = 500
OUTCOMES = {"source": "as imported", "edited": "edited", "new": "written anew"}

_FIELDS = [
    "subject__slug",
    "subject__name",
    "slug",
    "source_id",
    "question",
    "title",
    "answer",
    "seo_title",
    "seo_description",
    "keywords",
    "author",
    "published_on",
    "date_format",
    "posted_on_text",
    "score",
    "no_index",
    "extra",
    "content_hash",
]


@dataclass
class ExportResult:
    """How many files were written of each kind (``OUTCOMES``), and each failure."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    failed: list[Failure] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        counts = ", ".join(f"{self.counts[key]} {label}" for key, label in OUTCOMES.items())
        return f"{counts}, {len(self.failed)} failed"


def export_articles(
    folder: Path,
    *,
    since: datetime.date | None = None,
    subject: Subject | None = None,
    dry_run: bool = False,
    on_file: Callable[[str, str], None] | None = None,
) -> ExportResult:
    """Write the articles (changed on or after ``since``, in ``subject``) under
    ``folder``; with ``dry_run`` do all but the writing. ``on_file(path, outcome)``
    is called for each file, the outcome one of ``OUTCOMES`` or "failed"."""
    notify = on_file or (lambda path, outcome: None)
    result = ExportResult(dry_run=dry_run)
    articles = Article.objects.select_related("subject").only(*_FIELDS).order_by("pk")
    if since is not None:
        articles = articles.filter(updated_at__gte=publication_moment(since))
    if subject is not None:
        articles = articles.filter(subject=subject)
    subject_names = dict(Subject.objects.values_list("slug", "name"))
    last = 0
    while chunk := list(articles.filter(pk__gt=last)[:CHUNK_SIZE]):
        last = chunk[-1].pk
        ids = [article.pk for article in chunk]
        links = defaultdict(list)
        for link in RelatedLink.objects.filter(article__in=ids).order_by("article", "position"):
            links[link.article_id].append(link)
        sources = dict(
            ArticleSource.objects.filter(article__in=ids).values_list("article_id", "data")
        )
        new_sources = []
        for article in chunk:
            path = folder / article.subject.slug / f"{article.slug}.md"
            record = article_record(article, links[article.pk], subject_names)
            source = sources.get(article.pk)
            try:
                written = article_file(record, None if source is None else bytes(source))
                if not dry_run:
                    _write(path, written.data)
            except (WriteError, OSError) as error:
                result.failed.append(Failure(str(path), str(error)))
                notify(str(path), "failed")
                continue
            result.counts[written.outcome] += 1
            notify(str(path), written.outcome)
            if written.outcome != "source":
                new_sources.append((article.pk, written.data))
        if new_sources and not dry_run:
            _store_sources(new_sources)
    return result


def article_record(
    article: Article, links: list[RelatedLink], subject_names: dict
) -> ArticleRecord:
    """What the article says now, as the record its file must parse to."""
    subject = article.subject
    return ArticleRecord(
        # An article made in the admin may have no front-matter id; a file needs one.
        source_id=article.pk if article.source_id is None else article.source_id,
        url=article_path(subject.slug, article.slug),
        subject_name=subject.name,
        subject_slug=subject.slug,
        slug=article.slug,
        title=article.title,
        question=article.question,
        answer=article.answer.replace("\r\n", "\n"),
        seo_title=article.seo_title,
        seo_description=article.seo_description,
        keywords=tuple(parse_keywords(article.keywords)),
        author=article.author,
        published_on=article.published_on,
        date_format=article.date_format,
        posted_on_text=article.posted_on_text,
        score=article.score,
        no_index=article.no_index,
        file_name=f"{article.slug}.md",
        related=tuple(
            RelatedRecord(
                position=link.position,
                source_id=link.target_source_id,
                title=link.target_title,
                subject=link.target_subject or _subject_of(link.target_url, subject_names),
                url=link.target_url,
            )
            for link in links
        ),
        extra=article.extra,
    )


def _subject_of(url: str, subject_names: dict) -> str:
    """A link chosen in the admin by URL alone names no subject; a file's link must."""
    found = parse_article_path(url)
    slug = found[0] if found else ""
    return subject_names.get(slug, slug)


def _write(path: Path, data: bytes):
    path.parent.mkdir(exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _store_sources(rows: list[tuple[int, bytes]]):
    """The files written become the articles' sources, as an import of them would make."""
    quote = connection.ops.quote_name
    with transaction.atomic():
        ArticleSource.objects.filter(article__in=[pk for pk, _ in rows]).delete()
        ArticleSource.objects.bulk_create(
            ArticleSource(article_id=pk, data=data) for pk, data in rows
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(Article._meta.db_table)} SET {quote('content_hash')} = %s"
                f" WHERE {quote('id')} = %s",
                [(content_hash(data), pk) for pk, data in rows],
            )
