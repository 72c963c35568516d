"""Search on SQLite: the SQL of the term rules, the index SQL the migrations hold, bulk
indexing, FTS5 queries, and the cost of a search (measured on either database)."""

import sqlite3
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import learn.migrations
from learn.models import Article, Subject
from learn.search.sqlite import fts5_query, indexing_in_bulk, rebuild_statements, sql_rewrite
from learn.search.terms import rewrite


def latest_frozen_index():
    """SQLITE_INDEX of the last migration that writes one out."""
    names = sorted(path.stem for path in Path(learn.migrations.__path__[0]).glob("0*.py"))
    modules = [import_module(f"learn.migrations.{name}") for name in names]
    return [module.SQLITE_INDEX for module in modules if hasattr(module, "SQLITE_INDEX")][-1]


def test_sql_rewrite_matches_python_rewrite():
    """The SQL the indexes run rewrites text exactly as the query side does."""
    text = "Learn C++ (or c++), C#, F# and .NET; not TCP/IP or Go."
    database = sqlite3.connect(":memory:")
    (indexed,) = database.execute(f"SELECT {sql_rewrite('?')}", [text]).fetchone()
    assert indexed == rewrite(text)


def test_the_latest_migration_holds_the_index_sql_of_the_term_rules():
    """The FTS5 table and triggers a migration built are those the term rules give today:
    a change of the rules fails here until a migration writes out the new SQL."""
    assert latest_frozen_index() == rebuild_statements()


def test_the_index_sql_builds_a_working_index():
    """The statements create the table and triggers and index what is already there."""
    database = sqlite3.connect(":memory:")
    database.execute(
        "CREATE TABLE learn_article (id INTEGER PRIMARY KEY, question, keywords, answer_text)"
    )
    database.execute("INSERT INTO learn_article VALUES (1, 'Why C++?', '', 'Speed.')")
    for statement in rebuild_statements():
        database.execute(statement)
    database.execute("INSERT INTO learn_article VALUES (2, 'Why C#?', '', 'The CLR.')")
    database.execute("UPDATE learn_article SET answer_text = 'Templates.' WHERE id = 1")
    match = "SELECT rowid FROM learn_article_fts WHERE learn_article_fts MATCH ?"
    assert database.execute(match, [fts5_query("C++ templates")]).fetchall() == [(1,)]
    assert database.execute(match, [fts5_query("c#")]).fetchall() == [(2,)]
    spelling = "SELECT rowid FROM learn_article_spelling WHERE learn_article_spelling MATCH ?"
    assert database.execute(spelling, ['"hy C"']).fetchall() == [(1,), (2,)]
    database.execute("UPDATE learn_article SET question = 'How?' WHERE id = 1")
    assert database.execute(spelling, ['"hy C"']).fetchall() == [(2,)]


@pytest.mark.django_db
def test_indexing_in_bulk_indexes_the_listed_articles_at_the_end():
    """Articles inserted inside the block and listed are found after it, and an article
    saved after it is indexed as usual."""
    subject = Subject.objects.create(slug="computer-science", name="Computer Science")
    with transaction.atomic(), indexing_in_bulk() as inserted:
        article = Article.objects.create(
            subject=subject, slug="trie", question="What is a trie?", title="T", answer="."
        )
        inserted.append(article.pk)
    Article.objects.create(
        subject=subject, slug="radix", question="What is a radix trie?", title="R", answer="."
    )
    assert sorted(result.slug for result in Article.objects.search("trie")) == ["radix", "trie"]


def test_fts5_query_quotes_every_word():
    """Words become quoted FTS5 strings, so nothing typed is read as FTS5 syntax."""
    assert fts5_query("big O") == '"big" "O"'
    assert fts5_query("TCP/IP") == '"TCP IP"'
    assert fts5_query("C++") == '"cplusplus"'
    assert fts5_query('NEAR(a b) AND "x" *') == '"NEAR a" "b" "AND" "x"'


def test_fts5_query_understands_phrases_or_and_exclusions():
    """Quoted phrases stay phrases, ``or`` offers alternatives and ``-word`` excludes;
    no word is a prefix (a word is completed by ``learn.search.spelling`` instead)."""
    assert fts5_query('"binary search" tree') == '"binary search" "tree"'
    assert fts5_query("photosynth") == '"photosynth"'
    assert fts5_query("stack or queue") == '"stack" OR "queue"'
    assert fts5_query("sorting -bubble") == '("sorting") NOT "bubble"'


def test_fts5_query_is_empty_without_words():
    """Nothing to search for gives an empty query, even with exclusions or symbols."""
    assert fts5_query("") == ""
    assert fts5_query("  +++ ") == ""
    assert fts5_query("-only") == ""
    assert fts5_query('"') == ""


def search_work(query):
    """The work of the search for ``query``, in a unit that, unlike time, is the same on
    every run: on SQLite, virtual-machine steps (in tens); on PostgreSQL, the rows each
    node of the ranked query's plan read or dropped."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The plan of a large table: its statistics, and an index that costs less
            # than reading the whole table. The GIN index's pending list is merged first:
            # the rolled-back inserts of earlier tests leave entries in it, and with a
            # long one the planner shuns the index.
            cursor.execute("SELECT gin_clean_pending_list('learn_article_search_vector_gin')")
            cursor.execute("ANALYZE learn_article")
            cursor.execute("SET LOCAL enable_seqscan = off")
        with CaptureQueriesContext(connection) as queries:
            Article.objects.search(query)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + queries[0]["sql"])
            plan = cursor.fetchone()[0]
        return sum(rows_of(node) for node in plan)
    steps = 0

    def step():
        nonlocal steps
        steps += 1
        return 0

    connection.ensure_connection()
    connection.connection.set_progress_handler(step, 10)
    try:
        Article.objects.search(query)
    finally:
        connection.connection.set_progress_handler(None, 0)
    return steps


def rows_of(node):
    node = node.get("Plan", node)
    read = node["Actual Rows"] * node["Actual Loops"]
    dropped = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return read + dropped + sum(rows_of(child) for child in node.get("Plans", []))


@pytest.mark.django_db
def test_a_search_costs_what_its_matches_cost_whatever_the_published_articles():
    """Twenty times the published articles that do not match leave the work of a search
    for the one that does about the same (it once tested every published article)."""
    subject = Subject.objects.create(slug="biology", name="Biology")

    def add(numbers):
        Article.objects.bulk_create(
            Article(subject=subject, slug=f"a{n}", question=f"Topic {n}?", title="T", answer="")
            for n in numbers
        )

    Article.objects.create(
        subject=subject, slug="leaf", question="What is photosynthesis?", title="T", answer="."
    )
    add(range(50))
    query = "photosynthesis chlorophyll or photosynthesis light or photosynthesis"
    few = search_work(query)
    add(range(50, 1000))
    assert [article.slug for article in Article.objects.search(query)] == ["leaf"]
    assert search_work(query) <= few * 1.5
