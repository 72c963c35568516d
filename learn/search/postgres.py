"""Search on PostgreSQL: the weighted ``tsvector`` that ``Article.search_vector`` stores,
and the query over it (``websearch_to_tsquery``, ``ts_rank``, ``ts_headline``).

``models.py`` imports this module, so it never imports the models.
"""

import json

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connections
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace

from learn.search import spelling, terms
from learn.search.results import CANDIDATES, SearchResults
from learn.search.snippets import SNIPPET_WORDS, START, STOP

CONFIG = "english"


class ArticleSearchVector(Func):
    """The weighted full-text document of an article on PostgreSQL: question (A), keywords
    (B), answer (C, read from the column ``answer``), after the term rules ``terms``.
    Elsewhere NULL: SQLite searches an FTS5 table instead (``learn.search.sqlite``).

    The rules are an argument, not read from ``learn.search.terms``, so that a migration
    holds the rules it built the column with, and a change of ``TERMS`` shows as a change
    of the model that needs a migration.
    """

    template = "(%(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self, *, terms, answer="answer"):
        super().__init__(
            SearchVector(_rewritten("question", terms), config=CONFIG, weight="A")
            + SearchVector(_rewritten("keywords", terms), config=CONFIG, weight="B")
            + SearchVector(_rewritten(answer, terms), config=CONFIG, weight="C")
        )

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


def question_vector(terms):
    """The question's full-text document alone, unweighted: the expression that the
    index learn_article_question_search (migration 0020) holds, with the term rules it
    was built with; a query must write it the same to be answered by that index."""
    return SearchVector(_rewritten("question", terms), config=CONFIG)


QUESTION_INDEX = "learn_article_question_search"


def _replace(expression, term, replacement):
    return Replace(expression, Value(term), Value(replacement), output_field=TextField())


def _rewritten(column, rules):
    return terms.apply(_replace, F(column), rules)


def _tsquery(query: str) -> SearchQuery:
    return SearchQuery(terms.rewrite(query), search_type="websearch", config=CONFIG)


def matching(articles, query: str):
    """``articles`` matching ``query`` (web-search syntax), unranked, through the GIN index."""
    if not query.strip():
        return articles.none()
    return articles.filter(search_vector=_tsquery(query))


def first_rows(queryset, limit: int) -> RawSQL:
    """SQL for the first ``limit`` rows of ``queryset`` (in no order) that the plan for
    all of them yields: through the index its filter names.

    With a LIMIT beside a filter the planner may choose a scan of the table testing each
    row (for the full-text index, each row's whole vector), which reads every row when
    the matches are fewer than it guessed. A MATERIALIZED CTE is planned as for every
    match, yet read only up to the limit: a CTE is evaluated as rows are asked of it.
    """
    sql, params = queryset.order_by().query.sql_with_params()
    return RawSQL(
        f"WITH matches AS MATERIALIZED ({sql}) SELECT * FROM matches LIMIT %s", (*params, limit)
    )


def _candidates(articles, matches, tsquery) -> RawSQL:
    """SQL for the candidates to rank, as rows (pk, rank, published_on): the first
    CANDIDATES matches the index yields. Where the questions alone hold that many (a
    common word), those: they rank first (weight A), and their index is a tenth of the
    whole one, whose bitmap of every match a common word's search spent 21-27 ms building
    at 1M articles (89,000 matches for "energy"). Else the first of all matches, and the
    questions' matches cost a small index scan more. One statement: the second CTE is
    read only when the first falls short.

    Each candidate is ranked where it is read, from the row its match was checked on: a
    phrase's match is checked on the row's vector (the index knows no positions), and
    ranking afterwards read each vector again (at 1M articles, a phrase read 1,200 rows
    for its 500 candidates, then those 500 again to rank them)."""
    ranked = {"rank": SearchRank(F("search_vector"), tsquery)}
    return _first_matches(
        articles,
        matches.annotate(**ranked),
        tsquery,
        CANDIDATES,
        annotations=ranked,
        columns=("pk", "rank", "published_on"),
    )


def _first_matches(articles, matches, tsquery, limit, *, annotations=None, columns=("pk",)):
    """SQL for ``columns`` of the first ``limit`` of ``matches`` the indexes yield: those
    in the questions where they hold as many, else the first of all (_candidates())."""
    in_questions = (
        articles.annotate(question_document=question_vector(terms.TERMS))
        .filter(question_document=tsquery)
        .order_by()
        .annotate(**(annotations or {}))
        .values(*columns)
    )
    question_sql, question_params = in_questions.query.sql_with_params()
    all_sql, all_params = matches.order_by().values(*columns).query.sql_with_params()
    return RawSQL(
        f"WITH in_questions AS MATERIALIZED ({question_sql} LIMIT %s),"
        f" everywhere AS MATERIALIZED ({all_sql})"
        " SELECT * FROM in_questions WHERE (SELECT COUNT(*) FROM in_questions) = %s"
        " UNION ALL (SELECT * FROM everywhere"
        " WHERE (SELECT COUNT(*) FROM in_questions) < %s LIMIT %s)",
        (*question_params, limit, *all_params, limit, limit, limit),
    )


def first_matching(articles, query: str, limit: int) -> list[int]:
    """Ids of up to ``limit`` of ``articles`` matching ``query``, the first the indexes
    yield, unranked: of the questions where they hold that many (a common word's
    matches in every answer are a bitmap of ten times as many rows: 47 ms for "energy"
    at 1M articles), else of all the text."""
    if not query.strip():
        return []
    tsquery = _tsquery(query)
    first = _first_matches(articles, matching(articles, query), tsquery, limit)
    with connections[articles.db].cursor() as cursor:
        cursor.execute(first.sql, first.params)
        return [row[0] for row in cursor.fetchall()]


def search(articles, query: str) -> SearchResults:
    """``articles`` matching ``query`` (web-search syntax): the first ``CANDIDATES`` of
    them the index yields, ranked by ``ts_rank``, with the planner's estimate of the
    total past them."""
    if not query.strip():
        return SearchResults(articles, [], None)
    tsquery = SearchQuery(terms.rewrite(query), search_type="websearch", config=CONFIG)
    matches = articles.filter(search_vector=tsquery).order_by()
    # ts_rank reads each match's whole vector (every match of a common word took seconds
    # at a million articles), so only a bounded set of matches is ranked.
    candidates = _candidates(articles, matches, tsquery)
    with connections[articles.db].cursor() as cursor:
        cursor.execute(
            f"{candidates.sql} ORDER BY rank DESC, published_on DESC, pk DESC",
            candidates.params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    estimate = None
    if len(ids) == CANDIDATES:
        # Counting the matches would read them all; the planner knows the lexemes'
        # frequencies (ANALYZE keeps them for a tsvector column).
        plan = json.loads(matches.explain(format="json"))
        estimate = round(plan[0]["Plan"]["Plan Rows"])

    def headlines(page_ids):
        snippet = SearchHeadline(
            "answer_text",
            tsquery,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
        )
        question = SearchHeadline(
            "question",
            tsquery,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            highlight_all=True,
        )
        rows = (
            articles.filter(pk__in=page_ids)
            .annotate(highlighted=question, snippet=snippet)
            .values_list("pk", "highlighted", "snippet")
        )
        return {pk: (highlighted, snippet) for pk, highlighted, snippet in rows}

    return SearchResults(articles, ids, headlines, estimate=estimate)


def spelling_questions(articles, lookups: list[tuple[str, ...]]) -> list[str]:
    """Questions of ``articles`` holding one of the pieces of each lookup
    (``spelling.lookups``), at most ``spelling.QUESTIONS`` a lookup, in one query: the
    ``icontains`` lookups read the trigram index of the questions (migration 0007)."""
    queries = []
    for pieces in lookups:
        holding = Q()
        for piece in pieces:
            holding |= Q(question__icontains=piece)
        queries.append(
            articles.filter(holding)
            .order_by()
            .values_list("question", flat=True)[: spelling.QUESTIONS]
        )
    if len(queries) < 2:
        return [question for lookup in queries for question in lookup]
    return list(queries[0].union(*queries[1:], all=True).order_by())
