"""Search on SQLite: an FTS5 external-content table over ``learn_article``, the triggers
that keep it current, bulk indexing for imports, and the query (``bm25``, ``snippet``).

Migrations hold the SQL they ran, written out; :func:`rebuild_statements` is what a
migration that changes the term rules writes out next (the tests compare the two).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import batched

from django.db import connection, connections
from django.db.models.expressions import RawSQL

from learn.search import spelling, terms
from learn.search.results import CANDIDATES, SearchResults
from learn.search.snippets import SNIPPET_WORDS, START, STOP

FTS_TABLE = "learn_article_fts"
# The indexed columns, in the order of WEIGHTS; snippets come from the answer's text.
COLUMNS = ("question", "keywords", "answer_text")
_COLUMN_LIST = ", ".join(COLUMNS)
# The questions by their trigrams, where a misspelt word's corrections are looked up.
SPELLING_TABLE = "learn_article_spelling"
INSERT_TRIGGER = "learn_article_fts_insert"
# bm25 weights of the question, keywords and answer columns.
WEIGHTS = (10.0, 4.0, 1.0)


def _literal(text):
    return "'" + text.replace("'", "''") + "'"


def _replace(sql, term, replacement):
    return f"replace({sql}, {_literal(term)}, {_literal(replacement)})"


def sql_rewrite(sql: str) -> str:
    """SQL of the text ``sql`` after the term rules, as :func:`terms.rewrite` does it."""
    return terms.apply(_replace, sql)


def _indexed_row(prefix):
    return ", ".join(sql_rewrite(f"{prefix}.{column}") for column in COLUMNS)


def _index_rows(where=""):
    return [
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMN_LIST})"
        f" SELECT id, {_indexed_row('learn_article')} FROM learn_article{where}",
        f"INSERT INTO {SPELLING_TABLE}(rowid, question)"
        f" SELECT id, question FROM learn_article{where}",
    ]


def trigger_statements() -> list[str]:
    """The triggers, created only where missing: a migration that remakes learn_article
    on SQLite drops them, so they are ensured again after every migrate."""
    insert = (
        f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMN_LIST}) VALUES (new.id, {_indexed_row('new')});"
        f" INSERT INTO {SPELLING_TABLE}(rowid, question) VALUES (new.id, new.question);"
    )
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMN_LIST})"
        f" VALUES ('delete', old.id, {_indexed_row('old')});"
        f" INSERT INTO {SPELLING_TABLE}({SPELLING_TABLE}, rowid, question)"
        " VALUES ('delete', old.id, old.question);"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {INSERT_TRIGGER} AFTER INSERT ON learn_article"
        f" BEGIN {insert} END",
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_delete AFTER DELETE ON learn_article"
        f" BEGIN {delete} END",
        "CREATE TRIGGER IF NOT EXISTS learn_article_fts_update"
        f" AFTER UPDATE OF {_COLUMN_LIST} ON learn_article BEGIN {delete} {insert} END",
    ]


def rebuild_statements() -> list[str]:
    """Create the FTS5 tables where missing and the triggers, then index every article."""
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLUMN_LIST},"
        " content='learn_article', content_rowid='id',"
        " tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {SPELLING_TABLE} USING fts5(question,"
        " content='learn_article', content_rowid='id', tokenize='trigram')",
        *trigger_statements(),
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
        f"INSERT INTO {SPELLING_TABLE}({SPELLING_TABLE}) VALUES ('delete-all')",
        *_index_rows(),
    ]


def recreate_triggers(sender, using, **kwargs):
    """After a migrate, re-create the triggers if a table rebuild dropped them."""
    database = connections[using]
    if database.vendor != "sqlite":
        return
    with database.cursor() as cursor:
        tables = {row.name for row in database.introspection.get_table_list(cursor)}
        if FTS_TABLE in tables:
            for statement in trigger_statements():
                cursor.execute(statement)


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
        cursor.execute(f"DROP TRIGGER IF EXISTS {INSERT_TRIGGER}")
        yield inserted
        for batch in batched(inserted, 500):
            placeholders = ", ".join(["%s"] * len(batch))
            for statement in _index_rows(f" WHERE id IN ({placeholders})"):
                cursor.execute(statement, batch)
        for statement in trigger_statements():
            cursor.execute(statement)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts5_query(query: str) -> str:
    """A web-search-style query as an FTS5 expression: words and "quoted phrases" must
    all match, ``or`` between them offers alternatives, ``-word`` excludes. Every word is
    quoted, so nothing a reader types is read as FTS5 syntax. "" when nothing is left."""
    groups, current, excluded = [], [], []
    for match in _TOKEN.finditer(query):
        negated, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            if current:
                groups.append(current)
                current = []
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        text = terms.rewrite(phrase if word is None else word)
        if not re.search(r"\w", text):
            continue
        quoted = '"' + " ".join(re.findall(r"\w+", text)) + '"'
        # Each phrase costs a pass over its matches (bm25 counts them), and a repeated
        # one finds nothing more.
        if quoted not in current and quoted not in excluded:
            (excluded if negated else current).append(quoted)
    if current:
        groups.append(current)
    if not groups:
        return ""
    expression = " OR ".join(" ".join(group) for group in groups)
    for quoted in excluded:
        expression = f"({expression}) NOT {quoted}"
    return expression


def matching(articles, query: str):
    """``articles`` matching ``query`` (web-search syntax), unranked. The index answers
    the match once; ``articles`` then takes the ids it yields."""
    match = fts5_query(query)
    if not match:
        return articles.none()
    return _matching(articles, match)


def _matching(articles, match: str):
    return articles.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))
    )


def _held_matches(articles, table: str, limit: int, *, columns="rowid", order=""):
    """SQL for ``columns`` of up to ``limit`` rows of ``table``'s ``MATCH %s`` that
    ``articles`` holds, and the parameters after the match's. Each match is tested by
    primary key. Never "rowid IN (articles)": FTS5 takes that as a list of rowids to look
    up one by one, each a whole query, which cost seconds for one common word."""
    holds = articles.filter(pk=RawSQL(f"{table}.rowid", ())).order_by().values("pk")
    holds_sql, holds_params = holds.query.sql_with_params()
    return (
        f"SELECT {columns} FROM {table} WHERE {table} MATCH %s AND EXISTS ({holds_sql})"
        f"{order} LIMIT {int(limit)}",
        list(holds_params),
    )


def first_matching(articles, query: str, limit: int) -> list[int]:
    """Ids of up to ``limit`` of ``articles`` matching ``query``, the first FTS5 yields:
    of the questions where they hold that many, as search() takes its candidates, else
    of all the text. One statement: the second part is read only when the first falls
    short."""
    match = fts5_query(query)
    if not match:
        return []
    first, holds_params = _held_matches(articles, FTS_TABLE, limit)
    with connections[articles.db].cursor() as cursor:
        cursor.execute(
            _questions_first(first, int(limit)), _questions_first_params(match, holds_params)
        )
        return [row[0] for row in cursor.fetchall()]


def _questions_first(part: str, limit: int) -> str:
    """The rows of ``part`` (a statement over FTS_TABLE with a ``MATCH %s``, yielding
    ``limit`` rows at most) for the match in the questions alone, where they hold
    ``limit``; else for the whole match. One statement: the second part is read only
    when the first falls short. Its parameters: _questions_first_params()."""
    return (
        f"WITH in_questions AS MATERIALIZED ({part}),"
        " found AS (SELECT COUNT(*) AS n FROM in_questions)"
        f" SELECT * FROM in_questions WHERE (SELECT n FROM found) = {limit}"
        f" UNION ALL SELECT * FROM ({part}) WHERE (SELECT n FROM found) < {limit}"
    )


def _questions_first_params(match: str, part_params) -> list:
    return [f"{{question}} : ({match})", *part_params, match, *part_params]


def search(articles, query: str) -> SearchResults:
    """``articles`` matching ``query`` (web-search syntax): the newest ``CANDIDATES`` of
    them (of those matching in the question, where that many do) ranked by ``bm25``,
    with an estimate of the total past them."""
    match = fts5_query(query)
    if not match:
        return SearchResults(articles, [], None)
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    table = articles.model._meta.db_table
    database = connections[articles.db]
    newest, holds_params = _held_matches(
        articles,
        FTS_TABLE,
        CANDIDATES,
        columns=f"rowid AS id, bm25({FTS_TABLE}, {weights}) AS score",
        order=" ORDER BY rowid DESC",
    )
    with database.cursor() as cursor:
        # FTS5 yields matches newest first and stops at the limit, so only the
        # candidates are ranked; the ids' span is for the estimate. Where the questions
        # alone hold CANDIDATES matches (a common word), those are the candidates, as
        # on PostgreSQL: they rank first (and the estimate is then of those, a floor).
        cursor.execute(
            f"SELECT id, (SELECT min(id) FROM {table}), (SELECT max(id) FROM {table})"
            f" FROM ({_questions_first(newest, CANDIDATES)}) ORDER BY score, id DESC",
            _questions_first_params(match, holds_params),
        )
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    estimate = None
    if len(ids) == CANDIDATES:
        # As dense as among the candidates, over the ids below the last of them.
        _, first, last = rows[0]
        estimate = round(CANDIDATES * (last - first + 1) / (last - min(ids) + 1))

    def headlines(page_ids):
        placeholders = ", ".join(["%s"] * len(page_ids))
        with database.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s),"
                f" snippet({FTS_TABLE}, 2, %s, %s, '…', {SNIPPET_WORDS})"
                f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
                [START, STOP, START, STOP, match, *page_ids],
            )
            return {pk: (highlighted, snippet) for pk, highlighted, snippet in cursor}

    return SearchResults(articles, ids, headlines, estimate=estimate)


def spelling_questions(articles, lookups: list[tuple[str, ...]]) -> list[str]:
    """Questions of ``articles`` holding one of the pieces of each lookup
    (``spelling.lookups``), at most ``spelling.QUESTIONS`` a lookup, in one query over
    the trigram table of the questions (``SPELLING_TABLE``)."""
    if not lookups:
        return []
    held, holds_params = _held_matches(articles, SPELLING_TABLE, spelling.QUESTIONS)
    lookup = f"SELECT * FROM ({held})"
    params = []
    for pieces in lookups:
        # The pieces are letters only: nothing in them is FTS5 syntax once quoted.
        params += [" OR ".join(f'"{piece}"' for piece in pieces), *holds_params]
    table = articles.model._meta.db_table
    with connections[articles.db].cursor() as cursor:
        cursor.execute(
            f"SELECT question FROM {table} WHERE id IN"
            f" ({' UNION ALL '.join([lookup] * len(lookups))})",
            params,
        )
        return [row[0] for row in cursor]


def first_containing(words: list[str], limit: int, using: str) -> list[int] | None:
    """Up to ``limit`` ids of articles whose question holds every one of ``words``, or
    whose slug does, ignoring ASCII case (Django's ``icontains`` on SQLite), in the order
    the indexes yield them: the questions through their trigram table (``LIKE`` there
    reads the index, where on ``learn_article`` it reads every row), the slugs through
    their index alone. None when a word holds one of LIKE's wildcards, which the trigram
    table can only take with an ESCAPE clause, and with one it reads every row."""
    if not words or any("%" in word or "_" in word for word in words):
        return None
    patterns = [f"%{word}%" for word in words]
    in_question = " AND ".join(["question LIKE %s"] * len(words))
    in_slug = " AND ".join(["slug LIKE %s"] * len(words))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {SPELLING_TABLE} WHERE {in_question}"
            f" UNION ALL SELECT id FROM learn_article WHERE {in_slug} LIMIT %s",
            [*patterns, *patterns, limit],
        )
        return [row[0] for row in cursor.fetchall()]
