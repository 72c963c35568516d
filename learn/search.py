"""Full-text search over published articles, on SQLite (FTS5) or PostgreSQL.

``search_articles(query)`` is the one entry point. Both backends index the same three
columns with the same term rules (``learn.search_terms``) and rank the question above
the keywords above the answer:

- PostgreSQL: ``Article.search_vector``, a stored generated column (weights A, B, C)
  with a GIN index, queried with ``websearch_to_tsquery`` and ``ts_headline``;
- SQLite: ``learn_article_fts``, an FTS5 external-content table over ``learn_article``
  kept current by triggers, ranked with ``bm25`` and cut with ``snippet``.

Being in the database, both stay current through ``save()``, ``bulk_create`` and
``bulk_update`` alike.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import batched

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F
from django.utils.safestring import mark_safe

from learn.models import Article
from learn.search_terms import START, STOP, format_snippet, fts5_query, rewrite, sql_rewrite

FTS_TABLE = "learn_article_fts"
FTS_INSERT_TRIGGER = "learn_article_fts_insert"
# bm25 weights of the question, keywords and answer columns.
FTS_WEIGHTS = (10.0, 4.0, 1.0)
SNIPPET_WORDS = 30


class SearchResults(Sequence):
    """Ranked matches, fetched a page at a time: what a Paginator needs."""

    def __init__(self, ids: list[int], headlines):
        self.ids = ids
        self.headlines = headlines

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        articles = Article.objects.select_related("subject").in_bulk(ids)
        headlines = self.headlines(ids) if ids else {}
        page = []
        for pk in ids:
            article = articles[pk]
            article.snippet = mark_safe(format_snippet(headlines.get(pk, "")))
            page.append(article)
        return page


def search_articles(query: str) -> SearchResults:
    """Published articles matching ``query`` (web-search syntax), best first."""
    if connection.vendor == "postgresql":
        return _search_postgresql(query)
    return _search_sqlite(query)


def _search_postgresql(query):
    if not query.strip():
        return SearchResults([], None)
    tsquery = SearchQuery(rewrite(query), search_type="websearch", config="english")
    ids = list(
        Article.objects.published()
        .filter(search_vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-published_on", "-id")
        .values_list("pk", flat=True)
    )

    def headlines(page_ids):
        headline = SearchHeadline(
            "answer",
            tsquery,
            config="english",
            start_sel=START,
            stop_sel=STOP,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
        )
        return dict(
            Article.objects.filter(pk__in=page_ids)
            .annotate(headline=headline)
            .values_list("pk", "headline")
        )

    return SearchResults(ids, headlines)


def _search_sqlite(query):
    match = fts5_query(query)
    if not match:
        return SearchResults([], None)
    published_sql, published_params = (
        Article.objects.published().values("pk").query.sql_with_params()
    )
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            f" AND rowid IN ({published_sql}) ORDER BY bm25({FTS_TABLE}, {weights}), rowid DESC",
            [match, *published_params],
        )
        ids = [row[0] for row in cursor.fetchall()]

    def headlines(page_ids):
        placeholders = ", ".join(["%s"] * len(page_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, '…', {SNIPPET_WORDS})"
                f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                [START, STOP, match, *page_ids],
            )
            return dict(cursor.fetchall())

    return SearchResults(ids, headlines)


def _fts_row(prefix):
    return ", ".join(
        sql_rewrite(f"{prefix}.{column}") for column in ("question", "keywords", "answer")
    )


def sqlite_fts_statements() -> list[str]:
    """Create the FTS5 table and the triggers that keep it current, then fill it."""
    columns = "question, keywords, answer"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns},"
        " content='learn_article', content_rowid='id',"
        " tokenize='porter unicode61 remove_diacritics 2')",
        *sqlite_trigger_statements(),
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
        f"INSERT INTO {FTS_TABLE}(rowid, {columns})"
        f" SELECT id, {_fts_row('learn_article')} FROM learn_article",
    ]


@contextmanager
def indexing_in_bulk() -> Iterator[list[int]]:
    """Index the articles inserted inside the block together, at its end (SQLite only).

    The insert trigger runs once per inserted row, and a bulk import spent more time in
    it than in the inserts themselves. Inside the block it is dropped; the caller adds
    the ids of the articles it inserted to the list yielded, which are then indexed with
    one statement per batch before the trigger is remade. Use it inside a transaction:
    other connections never see the trigger missing, and a rollback restores it.
    """
    if connection.vendor != "sqlite":
        yield []
        return
    inserted = []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_INSERT_TRIGGER}")
        yield inserted
        for batch in batched(inserted, 500):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, question, keywords, answer)"
                f" SELECT id, {_fts_row('learn_article')} FROM learn_article"
                f" WHERE id IN ({placeholders})",
                batch,
            )
        for statement in sqlite_trigger_statements():
            cursor.execute(statement)


def sqlite_trigger_statements() -> list[str]:
    """The triggers, created only where missing: a migration that remakes learn_article
    on SQLite drops them, so they are ensured again after every migrate."""
    columns = "question, keywords, answer"
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {_fts_row('new')});"
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns})"
        f" VALUES ('delete', old.id, {_fts_row('old')});"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {FTS_INSERT_TRIGGER} AFTER INSERT ON learn_article"
        f" BEGIN {insert} END",
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_delete AFTER DELETE ON learn_article"
        f" BEGIN {delete} END",
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_update"
        f" AFTER UPDATE OF {columns} ON learn_article BEGIN {delete} {insert} END",
    ]
