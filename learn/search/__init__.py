"""Full-text search over articles, on PostgreSQL or SQLite.

``Article.objects.search(query)`` is the one entry point; it calls :func:`search`. Both
backends index the same three columns after the same term rules (``terms``) and rank the
question above the keywords above the answer:

- PostgreSQL (``postgres``): ``Article.search_vector``, a stored generated column
  (weights A, B, C) with a GIN index, queried with ``websearch_to_tsquery`` and
  ``ts_headline``;
- SQLite (``sqlite``): ``learn_article_fts``, an FTS5 external-content table over
  ``learn_article`` kept current by triggers, ranked with ``bm25`` and cut with ``snippet``.

Each ranks a bounded set of candidates, so that a query costs the same at any size of the
corpus: the first ``results.CANDIDATES`` matches the index yields, with an estimate of the
total past them.

Being in the database, both stay current through ``save()``, ``bulk_create`` and
``bulk_update`` alike. No module of this package imports the models: ``learn.models``
imports it.
"""

from django.db import connections

from learn.search import postgres, spelling, sqlite, terms
from learn.search.results import SearchResults


def search(articles, query: str) -> SearchResults:
    """The ``articles`` (a queryset) matching ``query`` (web-search syntax, cut to the
    bounds of ``terms.limit``), the best of at most ``results.CANDIDATES`` first, each
    with its question marked and a ``snippet`` of its answer once a page of them is taken.

    Where nothing matches, its last word is completed and its longest words corrected
    from the questions (``spelling``), and the matches of the correction are the results,
    which say so (``correction``): one bounded query more, and a search again.
    """
    backend = postgres if connections[articles.db].vendor == "postgresql" else sqlite
    query, shortened = terms.limit(query)
    results = backend.search(articles, query)
    if not results and (lookups := spelling.lookups(query)):
        correction = spelling.correct(query, backend.spelling_questions(articles, lookups))
        if correction:
            corrected = backend.search(articles, correction)
            if corrected:
                results, results.correction = corrected, correction
    results.query, results.shortened = query, shortened
    return results


def matching(articles, query: str):
    """The ``articles`` (a queryset) matching ``query``, every one of them and unranked:
    a filter through the index for lists that order and page themselves (the admin's).
    The query has the search page's syntax, rules and bounds."""
    backend = postgres if connections[articles.db].vendor == "postgresql" else sqlite
    query, _ = terms.limit(query)
    return backend.matching(articles, query)


def first_matching(articles, query: str, limit: int) -> list[int]:
    """Ids of up to ``limit`` of the ``articles`` matching ``query``, unranked: the first
    the index yields, so that a common word costs what a rare one does (the admin's
    search, which pages the ids it is given)."""
    backend = postgres if connections[articles.db].vendor == "postgresql" else sqlite
    query, _ = terms.limit(query)
    return backend.first_matching(articles, query, limit)
