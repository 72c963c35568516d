"""Import article files into the database: the one place an import writes.

The management command ``import_quicktakes`` and the admin's upload both call
:func:`import_sources`. Parsing and rendering are pure (``learn.parsing``,
``learn.rendering``) and run in worker processes for large batches; this module
only decides what to write and writes it.

Guarantees:
- upsert by URL (subject slug + slug); a file whose bytes were already imported
  is skipped without being parsed or rendered again;
- a bad file is reported with its path and line and never stops the batch;
  each chunk of files is written inside a savepoint, and a chunk that fails in
  the database is retried file by file, so nothing is half-written;
- related links resolve by URL first, then by front-matter id, including links
  written by earlier imports whose target arrives in this one.
"""

import os
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import batched
from multiprocessing import get_context

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from learn import history
from learn.bulk import insert_rows
from learn.caching import MAX_KEYS, content_changed
from learn.diffs import field_changes
from learn.keywords import format_keywords
from learn.models import (
    RENDERED_FIELDS,
    TOPIC_CHUNK,
    Article,
    ArticleSource,
    Redirect,
    RelatedArticle,
    RelatedLink,
    RevisionOrigin,
    Subject,
    Topic,
)
from learn.parsing import ArticleRecord, well_cased_subject_name
from learn.paths import article_path, parse_article_path, parse_subject_path
from learn.related import refresh_related
from learn.search.sqlite import indexing_in_bulk
from learn.sources import Failure, Prepared, Source, content_hash, exit_with_parent, prepare

CHUNK_SIZE = 500
# A chunk also stops at this many bytes of sources, so that one of large files (an
# upload's members may reach 1 MiB each) holds memory to a few of them at a time.
CHUNK_BYTES = 16 * 1024 * 1024
# Below this many files a process pool costs more to start than it saves.
PARALLEL_THRESHOLD = 400
# File names kept for each outcome: more than the admin shows (200), and a run of a
# million files takes no more memory than one of a thousand.
NAMES_KEPT = 1000
# Updated files whose changes are kept to show (each at most diffs.MAX_DIFF_CHARS).
DIFFS_KEPT = 200
# PostgreSQL: the tables a run writes are analyzed again once it has written this many
# articles and more than their statistics know of (_PlannerStatistics).
ANALYZE_AFTER = 1000


@dataclass
class ImportResult:
    """What an import did: exact counts, the names of the first ``NAMES_KEPT`` files of
    each outcome, and every failure with its reason."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    links_resolved: int = 0
    links_dangling: int = 0
    dry_run: bool = False
    # The article of each name kept, except those a dry run created (rolled back).
    article_ids: dict[str, int] = field(default_factory=dict)
    # What changed in the first DIFFS_KEPT updated files, by name.
    diffs: dict[str, str] = field(default_factory=dict)
    # learn.history's revisions of the written articles.
    revisions: list[int] = field(default_factory=list)

    def add(self, name: str, outcome: str, article_id: int | None = None, diff: str = ""):
        self.counts[outcome] += 1
        names = getattr(self, outcome)
        if len(names) < NAMES_KEPT:
            names.append(name)
            if article_id is not None and not (self.dry_run and outcome == "created"):
                self.article_ids[name] = article_id
        if diff and len(self.diffs) < DIFFS_KEPT:
            self.diffs[name] = diff

    @property
    def total(self):
        return sum(self.counts.values()) + len(self.failed)

    def summary(self):
        return (
            f"{self.counts['created']} created, {self.counts['updated']} updated, "
            f"{self.counts['unchanged']} unchanged, {len(self.failed)} failed; "
            f"links: {self.links_resolved} resolved, {self.links_dangling} dangling"
        )


def import_sources(
    sources: Iterable[Source],
    *,
    dry_run: bool = False,
    workers: int | None = None,
    expected: int | None = None,
    on_file: Callable[[str, str], None] | None = None,
) -> ImportResult:
    """Import article files; with ``dry_run`` do all the work, then roll it back.

    ``on_file(name, outcome)`` is called once per file with "created", "updated",
    "unchanged" or "failed", for progress and verbose output.
    """
    result = ImportResult(dry_run=dry_run)
    notify = on_file or (lambda name, outcome: None)
    if workers is None:
        workers = min(2, os.process_cpu_count() or 1)
    pool = None
    if workers > 1 and (expected is None or expected >= PARALLEL_THRESHOLD):
        pool = _worker_pool(workers)
    memory = _RunMemory()
    try:
        with transaction.atomic():
            batch = _Batch(result, notify, pool, workers, memory)
            pending = None
            for chunk in _chunks(sources):
                # Workers prepare this chunk while the previous one is written.
                upcoming = batch.prepare(batch.skip_unchanged(chunk))
                if pending is not None:
                    batch.store(pending)
                pending = upcoming
            if pending is not None:
                batch.store(pending)
            batch.resolve_links()
            # As written, links resolved: one revision a chunk of articles.
            result.revisions = history.record(batch.written_ids, via=RevisionOrigin.Via.IMPORT)
            if result.counts["created"] or result.counts["updated"] or result.links_resolved:
                Subject.objects.filter(pk__in=batch.written_subjects).recount()
                # Each chunk filed its articles under their topics; the counts of
                # every topic the run touched are stored once, a batch at a time.
                for topic_ids in memory.touched_topics():
                    Topic.objects.filter(pk__in=topic_ids).recount()
                batch.content_changed()
            if dry_run:
                transaction.set_rollback(True)
    finally:
        memory.db.close()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return result


def _chunks(sources: Iterable[Source]) -> Iterator[list[Source]]:
    """The sources in order, CHUNK_SIZE files or CHUNK_BYTES bytes at a time at most."""
    chunk, size = [], 0
    for source in sources:
        if chunk and (len(chunk) == CHUNK_SIZE or size + len(source.data) > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(source)
        size += len(source.data)
    if chunk:
        yield chunk


def _worker_pool(workers: int) -> ProcessPoolExecutor:
    """Processes that parse and render; they never touch the database.

    spawn, not fork: a forked child would inherit this process's database
    connection and threads. Nor forkserver: its server and the workers it forks
    outlived a killed importer, each waiting forever on a queue whose pipes it holds
    open itself. Spawned workers are this process's children and exit with it.
    """
    return ProcessPoolExecutor(
        workers,
        mp_context=get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )


class _Batch:
    """State shared by the chunks of one import run."""

    def __init__(self, result: ImportResult, notify, pool, workers, memory: "_RunMemory"):
        self.result = result
        self.notify = notify
        self.pool = pool
        self.workers = workers
        self.memory = memory
        # Compact arrays, not lists of ints: 8 bytes an article at any N.
        self.written_ids = array("q")
        self.created_ids = array("q")
        # The pages content_changed() drops beyond the written articles' own, kept only
        # while the run is small enough to drop pages one by one (caching.MAX_KEYS).
        self.related_others = set()
        self.written_subjects: set[int] = set()
        self.left_topics: set[int] = set()
        self.created_subject = False
        self.statistics = _PlannerStatistics()
        self.forget_unsaved()

    def forget_unsaved(self):
        """Drop cached rows, which a rolled-back savepoint may have taken with it."""
        by_pk = {subject.pk: subject for subject in Subject.objects.all()}
        self.subjects: dict[str, Subject] = {subject.slug: subject for subject in by_pk.values()}
        # A subject's old slug still files articles under it, as its old URLs lead there.
        for old_path, subject_id in Redirect.objects.filter(subject__isnull=False).values_list(
            "old_path", "subject_id"
        ):
            if (old_slug := parse_subject_path(old_path)) is not None:
                self.subjects.setdefault(old_slug, by_pk[subject_id])

    def fail(self, failure: Failure):
        self.result.failed.append(failure)
        self.notify(failure.name, "failed")

    def skip_unchanged(self, chunk: list[Source]) -> list[Source]:
        hashes = [content_hash(source.data) for source in chunk]
        # Raw SQL: the ORM's per-value work on 500 hashes cost more than the query itself.
        # An article without its source's bytes (imported before they were kept) is
        # written again, once, so that the export can give its file back.
        quote = connection.ops.quote_name
        table = quote(Article._meta.db_table)
        column = quote(Article._meta.get_field("content_hash").column)
        sources = quote(ArticleSource._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column}, {table}.id FROM {table} WHERE {column} IN "
                f"({', '.join(['%s'] * len(hashes))}) AND EXISTS (SELECT 1 FROM {sources}"
                f" WHERE {sources}.{quote('article_id')} = {table}.id)",
                hashes,
            )
            known = dict(cursor.fetchall())
        todo = []
        for source, digest in zip(chunk, hashes, strict=True):
            if digest in known:
                self.result.add(source.name, "unchanged", known[digest])
                self.notify(source.name, "unchanged")
            else:
                todo.append(source)
        return todo

    def prepare(self, sources: list[Source]) -> Iterable[Prepared | Failure]:
        if self.pool is not None and len(sources) > 1:
            step = max(1, len(sources) // (self.workers * 4))
            return self.pool.map(prepare, sources, chunksize=step)
        return [prepare(source) for source in sources]

    def store(self, prepared: Iterable[Prepared | Failure]):
        ready = []
        prepared = list(prepared)
        firsts = self.memory.first_names(
            (item.record.url, item.name) for item in prepared if not isinstance(item, Failure)
        )
        for item in prepared:
            if isinstance(item, Failure):
                self.fail(item)
                continue
            first = firsts[item.record.url]
            if first != item.name:
                self.fail(Failure(item.name, f"same url {item.record.url} as {first}"))
                continue
            ready.append(item)
        if not ready:
            return
        try:
            with transaction.atomic():
                outcomes = self.write(ready)
        except DatabaseError:
            # Find the file the database refused; write the others one by one.
            self.forget_unsaved()
            outcomes = []
            for item in ready:
                try:
                    with transaction.atomic():
                        outcomes.extend(self.write([item]))
                except DatabaseError as error:
                    self.forget_unsaved()
                    self.fail(Failure(item.name, f"database refused it: {error}"))
        for name, outcome, article_id, diff in outcomes:
            self.result.add(name, outcome, article_id, diff)
            self.notify(name, outcome)

    def subject_for(self, record: ArticleRecord) -> Subject:
        subject = self.subjects.get(record.subject_slug)
        if subject is None:
            # Editors own subject names: an existing subject is never renamed.
            subject = Subject.objects.create(
                slug=record.subject_slug, name=well_cased_subject_name(record.subject_name)
            )
            self.created_subject = True
            self.subjects[subject.slug] = subject
        return subject

    def write(self, items: list[Prepared]) -> list[tuple[str, str]]:
        now = timezone.now()
        by_key, paths = {}, {}
        for item in items:
            subject = self.subject_for(item.record)
            by_key[(subject.pk, item.record.slug)] = item
            paths[(subject.pk, item.record.slug)] = article_path(subject.slug, item.record.slug)
        existing = {
            (article.subject_id, article.slug): article
            for article in Article.objects.filter(
                subject__in={key[0] for key in by_key}, slug__in={key[1] for key in by_key}
            ).only("id", "subject_id", "slug", "status", "created_at", "updated_at", *_CONTENT)
        }
        to_create, to_update, outcomes = [], [], []
        for key, item in by_key.items():
            article = existing.get(key)
            if article is None:
                article = Article(subject_id=key[0], created_at=now)
                to_create.append(article)
                outcomes.append((item.name, "created", article, ""))
                _fill(article, item, now)
            else:
                to_update.append(article)
                before, modified = _content(article), article.updated_at
                _fill(article, item, now)
                after = _content(article)
                # New bytes, same content (a new score, reordered keys): updated_at, the
                # sitemap's lastmod, stays.
                if after == before:
                    article.updated_at = modified
                old, new = (dict(zip(_CONTENT, values, strict=True)) for values in (before, after))
                diff = field_changes(old, new)
                outcomes.append((item.name, "updated", article, diff))
        _create_articles(to_create)
        # A URL in use again is no longer an old URL.
        Redirect.objects.filter(
            old_path__in=[paths[(a.subject_id, a.slug)] for a in to_create]
        ).delete()
        if to_update:
            Article.objects.bulk_update(to_update, _UPDATED_FIELDS)
        articles = to_create + to_update
        self.replace_tags(articles, [by_key[(a.subject_id, a.slug)] for a in articles])
        self.replace_links(articles, [by_key[(a.subject_id, a.slug)] for a in articles])
        ArticleSource.objects.filter(article__in=to_update).delete()
        insert_rows(
            ArticleSource,
            ["article", "data"],
            [(a.pk, by_key[(a.subject_id, a.slug)].data) for a in articles],
        )
        self.statistics.wrote(len(articles))
        # Related articles in bulk, per chunk: these articles' lists, and their places in
        # the lists of others (bounded, learn.related).
        others = refresh_related([a.pk for a in articles])
        if self.pages_one_by_one():
            self.related_others.update(others)
        self.written_ids.extend(a.pk for a in articles)
        self.written_subjects.update(key[0] for key in by_key)
        self.created_ids.extend(a.pk for a in to_create)
        return [(name, outcome, article.pk, diff) for name, outcome, article, diff in outcomes]

    def replace_tags(self, articles: list[Article], items: list[Prepared]):
        left, written = replace_topics(
            [a.pk for a in articles], [item.record.keywords for item in items]
        )
        # The articles' entries in their topics now; the counts at the run's end.
        self.memory.touch_topics(
            Topic.objects.recount_tags(
                left | written, articles=[a.pk for a in articles], count=False
            )
        )
        if self.pages_one_by_one():
            self.left_topics.update(left)

    def pages_one_by_one(self) -> bool:
        """Whether content_changed() may drop the run's pages one by one, not the site's."""
        return not self.created_subject and len(self.written_ids) <= MAX_KEYS

    def replace_links(self, articles: list[Article], items: list[Prepared]):
        RelatedLink.objects.filter(article__in=articles).delete()
        rows = [
            (article.pk, link.position, link.source_id, link.title, link.subject, link.url)
            for article, item in zip(articles, items, strict=True)
            for link in item.record.related
        ]
        insert_rows(
            RelatedLink,
            [
                "article",
                "position",
                "target_source_id",
                "target_title",
                "target_subject",
                "target_url",
            ],
            rows,
        )

    def content_changed(self):
        """Drop the pages the import changed: its articles' (and the lists they are on
        or left), and those of the articles whose links now lead to a new one. A new
        subject is in every page's navigation."""
        if not self.pages_one_by_one():
            content_changed(everything=True)
            return
        linking = RelatedLink.objects.filter(target_id__in=self.created_ids).values_list(
            "article_id", flat=True
        )
        content_changed(
            articles=[*self.written_ids, *linking],
            topics=self.left_topics,
            related=self.related_others,
        )

    def resolve_links(self):
        if not self.written_ids:
            # Nothing written, so no link can have found its target (a re-import of
            # unchanged files stops here, without reading the links).
            return
        self.result.links_resolved = resolve_links(self.created_ids)
        self.result.links_dangling = sum(
            RelatedLink.objects.filter(article_id__in=ids, target__isnull=True).count()
            for ids in batched(self.written_ids, _BATCH)
        )


def replace_topics(article_ids: list[int], keywords: list[list[str]]) -> tuple[set[int], set[int]]:
    """Tag each article with its keywords (the missing tags created), in place of its
    tags; returns the ids of the tags they had, whose lists change too, and of those
    they have now (both to recount). Writes tags only: ``Article.keywords`` is the
    caller's."""
    content_type = ContentType.objects.get_for_model(Article)
    tagged = TaggedItem.objects.filter(content_type=content_type, object_id__in=article_ids)
    left = set(tagged.values_list("tag_id", flat=True))
    tagged.delete()
    tag_ids = _tag_ids(name for names in keywords for name in names)
    rows = []
    for article_id, names in zip(article_ids, keywords, strict=True):
        for tag_id in dict.fromkeys(tag_ids[name.lower()] for name in names):
            rows.append((tag_id, content_type.pk, article_id))
    insert_rows(TaggedItem, ["tag", "content_type", "object_id"], rows)
    return left, set(tag_ids.values())


class _PlannerStatistics:
    """Keeps PostgreSQL's statistics of the tables a run writes up to date within it.

    The run's own queries (related articles per chunk, topic and subject counts at the
    end) are planned from those statistics, and autovacuum cannot count rows that the
    run's transaction has not committed. Tables it has vacuumed empty, as after a
    killed import, say "no rows" however many the run writes: the plan for empty
    tables took the topic counts of 3,000 articles past 15 minutes. So once the run
    has written more articles than the statistics know of (and at least
    ANALYZE_AFTER), it analyzes those tables itself: inside a transaction, ANALYZE
    counts the transaction's own rows. At most a few times a run (each time the
    articles have doubled), and never in a run small beside the tables.
    """

    TABLES = (Article, ArticleSource, RelatedArticle, RelatedLink, Tag, TaggedItem, Topic)

    def __init__(self):
        self.enabled = connection.vendor == "postgresql"
        self.written = 0
        self.known = None  # read when first needed: a small run reads nothing

    def wrote(self, articles: int):
        if not self.enabled:
            return
        self.written += articles
        if self.written < ANALYZE_AFTER:
            return
        if self.known is None:
            self.known = self.articles_known()
        if self.written >= self.known:
            quote = connection.ops.quote_name
            tables = [quote(model._meta.db_table) for model in self.TABLES]
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")
            self.known, self.written = self.articles_known(), 0

    @staticmethod
    def articles_known() -> float:
        with connection.cursor() as cursor:
            # reltuples is -1 for a table never analyzed or vacuumed.
            cursor.execute(
                "SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                [Article._meta.db_table],
            )
            return cursor.fetchone()[0]


class _RunMemory:
    """What a run remembers of every file it prepared: the URL of each, with the first
    file that had it, and the topics it touched, which are counted at its end.

    Kept in a private temporary SQLite file, not in a dict or a set, so that the run's
    memory is the same at any number of files.
    """

    def __init__(self):
        # "": a temporary database on disk, deleted when closed.
        self.db = sqlite3.connect("")
        self.db.execute("CREATE TABLE seen (url TEXT PRIMARY KEY, name TEXT NOT NULL)")
        self.db.execute("CREATE TABLE topic (id INTEGER PRIMARY KEY)")

    def first_names(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Record (url, name) pairs, in order; return the first name seen for each url."""
        first = {}
        for batch in batched(pairs, _BATCH):
            urls = [url for url, _ in batch]
            first.update(
                self.db.execute(
                    f"SELECT url, name FROM seen WHERE url IN ({', '.join('?' * len(urls))})",
                    urls,
                )
            )
            new = {}
            for url, name in batch:
                if url not in first:
                    first[url] = new[url] = name
            self.db.executemany("INSERT INTO seen VALUES (?, ?)", new.items())
        return first

    def touch_topics(self, topic_ids: Iterable[int]):
        self.db.executemany("INSERT OR IGNORE INTO topic VALUES (?)", ((pk,) for pk in topic_ids))

    def touched_topics(self) -> Iterator[list[int]]:
        """The topics touched, in order, TOPIC_CHUNK at a time."""
        cursor = self.db.execute("SELECT id FROM topic ORDER BY id")
        while rows := cursor.fetchmany(TOPIC_CHUNK):
            yield [pk for (pk,) in rows]


_UPDATED_FIELDS = [
    "source_id",
    "question",
    "title",
    "answer",
    *RENDERED_FIELDS,
    "seo_title",
    "seo_description",
    "author",
    "published_on",
    "date_format",
    "posted_on_text",
    "score",
    "no_index",
    "source_file",
    "content_hash",
    "extra",
    "keywords",
    "updated_at",
]


# What readers and search engines see: a change here is a change of content.
_CONTENT = [
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
    "no_index",
]


def _content(article: Article) -> list:
    return [getattr(article, name) for name in _CONTENT]


def _fill(article: Article, item: Prepared, now):
    record = item.record
    article.slug = record.slug
    article.source_id = record.source_id
    article.question = record.question
    article.title = record.title
    article.answer = record.answer
    article.set_answer_html(item.rendered)
    article.seo_title = record.seo_title
    article.seo_description = record.seo_description
    article.author = record.author
    article.published_on = record.published_on
    article.date_format = record.date_format
    article.posted_on_text = record.posted_on_text
    article.score = record.score
    article.no_index = record.no_index
    article.source_file = record.file_name
    article.content_hash = item.content_hash
    article.extra = record.extra
    article.keywords = format_keywords(record.keywords)
    article.updated_at = now


def _create_articles(articles: list[Article]):
    """INSERT new articles with one executemany, then read their ids back by URL.

    bulk_create builds its INSERT with a placeholder per value (66,000 for the corpus)
    and compiling that costs more than reading the ids back: for make bench's 3,000
    articles on SQLite this function took 810-1,476 ms against 1,060-1,849 ms with
    bulk_create (medians of 5-8 alternated runs; bulk_create 13-31% slower in each pair).
    """
    if not articles:
        return
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key and not f.generated]
    rows = [
        tuple(f.get_db_prep_save(getattr(article, f.attname), connection) for f in fields)
        for article in articles
    ]
    with indexing_in_bulk() as inserted:
        insert_rows(Article, [f.name for f in fields], rows)
        ids = {
            (subject_id, slug): pk
            for pk, subject_id, slug in Article.objects.filter(
                subject__in={a.subject_id for a in articles}, slug__in={a.slug for a in articles}
            ).values_list("pk", "subject_id", "slug")
        }
        inserted.extend(ids[(a.subject_id, a.slug)] for a in articles)
    for article in articles:
        article.pk = ids[(article.subject_id, article.slug)]
        article._state.adding = False


def _tag_ids(names: Iterable[str]) -> dict[str, int]:
    """Tag ids by lower-cased name (TAGGIT_CASE_INSENSITIVE), the missing tags created.

    Looked up a chunk at a time through the slug's unique index, never the whole table:
    a name's tag, in whatever case, has the name's slug or that slug numbered as taggit
    numbers a clash (``c``, ``c_1``).
    """
    slugify = Tag().slugify
    wanted = {}
    for name in names:
        wanted.setdefault(name.lower(), name)
    bases = {lower: slugify(name) or "topic" for lower, name in wanted.items()}
    ids, taken = {}, set()
    quote = connection.ops.quote_name
    table, slug_column = quote(Tag._meta.db_table), quote("slug")
    for batch in batched(set(bases.values()), _TAG_BATCH):
        # "_" then "`" in code-point order: the numbered slugs of base, base_1 to base_N.
        # Raw SQL: the ORM spent longer building this OR of ranges than the database
        # running it (3.9 s of the corpus's 5.5 s import in the profiler).
        ranges = " OR ".join([f"({slug_column} > %s AND {slug_column} < %s)"] * len(batch))
        placeholders = ", ".join(["%s"] * len(batch))
        params = [*batch, *(bound for base in batch for bound in (f"{base}_", f"{base}`"))]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, name, {slug_column} FROM {table}"
                f" WHERE {slug_column} IN ({placeholders}) OR {ranges}",
                params,
            )
            for pk, name, slug in cursor.fetchall():
                ids.setdefault(name.lower(), pk)
                taken.add(slug)
    rows = []
    for lower, name in wanted.items():
        if lower in ids:
            continue
        slug, i = bases[lower], 1
        while slug in taken:
            slug = f"{bases[lower]}_{i}"
            i += 1
        taken.add(slug)
        rows.append((name, slug))
    if rows:
        # Raw rows, then one query for their ids: the corpus's 22,280 tags took 413 ms
        # against 1,021 ms with bulk_create (SQLite, medians of 5 alternated runs).
        # Ids only grow, so the new rows are those above the largest id before the
        # insert (with, on PostgreSQL, any that another import committed meanwhile).
        last = Tag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        insert_rows(Tag, ["name", "slug"], rows)
        for pk, name in Tag.objects.filter(pk__gt=last).values_list("pk", "name"):
            ids.setdefault(name.lower(), pk)
    return ids


# Slugs per query of the tags a chunk names: three parameters each.
_TAG_BATCH = 100


def resolve_links(new_articles: Iterable[int] = ()) -> int:
    """Point related links at their targets; returns how many links changed.

    Links naming the URL of a newly created article (by id in ``new_articles``)
    point at it, even where an earlier id fallback chose another article: the URL
    wins. Then every link still unresolved is tried by URL (an article's own, then
    an old one it redirects from), and by front-matter id only when its URL matches
    no article (an id may be shared by the same question under two subjects: the
    one in the link's subject is preferred). Links are read in batches, so memory
    does not grow with their number.
    """
    changed = 0
    for ids in batched(new_articles, _BATCH):
        urls = {
            article_path(subject_slug, slug): pk
            for pk, subject_slug, slug in Article.objects.filter(pk__in=ids).values_list(
                "pk", "subject__slug", "slug"
            )
        }
        changed += _set_targets(
            {
                pk: urls[url]
                for pk, url, target in RelatedLink.objects.filter(target_url__in=urls).values_list(
                    "pk", "target_url", "target"
                )
                if target != urls[url]
            }
        )
    last = 0
    while dangling := list(
        RelatedLink.objects.filter(target__isnull=True, pk__gt=last)
        .order_by("pk")
        .values_list("pk", "target_url", "target_source_id", "target_subject")[:_LINK_BATCH]
    ):
        last = dangling[-1][0]
        changed += _set_targets(_find_targets(dangling))
    return changed


# Rows per IN (...) list: well under SQLite's limit on a statement's parameters.
_BATCH = 500
_LINK_BATCH = 2000


def resolve_links_of(article_ids: Iterable[int]) -> int:
    """Point the articles' unresolved links at their targets where these exist now
    (by the rules of :func:`resolve_links`); returns how many links changed."""
    dangling = list(
        RelatedLink.objects.filter(article__in=article_ids, target__isnull=True)
        .order_by("pk")
        .values_list("pk", "target_url", "target_source_id", "target_subject")
    )
    return _set_targets(_find_targets(dangling)) if dangling else 0


def _find_targets(dangling: list[tuple]) -> dict[int, int]:
    """The target of each dangling link that has one now, by link id."""
    changes = {}
    slugs = {key[1] for row in dangling if (key := parse_article_path(row[1]))}
    by_url = {}
    for batch in batched(slugs, 500):
        for pk, subject_slug, slug in Article.objects.filter(slug__in=batch).values_list(
            "pk", "subject__slug", "slug"
        ):
            by_url[(subject_slug, slug)] = pk
    # A link written with an article's old URL follows the redirect an editor's move left.
    redirected = {}
    for batch in batched({row[1] for row in dangling}, 500):
        redirected.update(
            Redirect.objects.filter(old_path__in=batch, article__isnull=False).values_list(
                "old_path", "article_id"
            )
        )
    ids = {row[2] for row in dangling if row[2] is not None}
    by_id = defaultdict(list)
    for batch in batched(ids, 500):
        for pk, source_id, subject_name in (
            Article.objects.filter(source_id__in=batch)
            .values_list("pk", "source_id", "subject__name")
            .order_by("pk")
        ):
            by_id[source_id].append((pk, subject_name.casefold()))
    for pk, url, source_id, subject in dangling:
        target = by_url.get(parse_article_path(url)) or redirected.get(url)
        if target is None and source_id in by_id:
            candidates = by_id[source_id]
            same_subject = [article for article, name in candidates if name == subject.casefold()]
            target = (same_subject or [candidates[0][0]])[0]
        if target is not None:
            changes[pk] = target
    return changes


def _set_targets(changes: dict[int, int]) -> int:
    if changes:
        quote = connection.ops.quote_name
        table = quote(RelatedLink._meta.db_table)
        column = quote(RelatedLink._meta.get_field("target").column)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {column} = %s WHERE id = %s",
                [(target, pk) for pk, target in changes.items()],
            )
    return len(changes)
