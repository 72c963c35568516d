"""Ranked search results that a Paginator can page through."""

from collections.abc import Callable, Sequence

from django.utils.safestring import mark_safe

from learn.search.snippets import format_snippet

# The most matches a search ranks: a common word matches most of the corpus, and ranking
# them all costs in proportion to it. Past this many, the total is an estimate.
CANDIDATES = 500


class SearchResults(Sequence):
    """Ranked matches, fetched a page at a time: what a Paginator needs.

    Each article of a page carries ``highlighted_question`` and ``snippet``, safe HTML of
    its question with the matches marked and of its answer around them, from
    ``headlines(ids)``: the database's marked question and raw snippet by id. ``total`` is the
    number of matches: ``len(ids)``, or an estimate where ``estimated`` (the ids are then
    the best of the first ``CANDIDATES``). ``query`` is what was searched for, and
    ``shortened`` says it was cut from a longer one (``learn.search.terms.limit``);
    ``correction`` is the corrected query these are the matches of, where ``query``
    matched nothing (``learn.search.spelling``), else "".
    """

    query = ""
    shortened = False
    correction = ""

    def __init__(
        self,
        articles,
        ids: list[int],
        headlines: Callable[[list[int]], dict] | None,
        *,
        estimate: int | None = None,
    ):
        # Every article by id, not only the searched ones: one unpublished after the
        # search still fills its place on the page.
        self.articles = articles.model._default_manager.using(articles.db)
        self.ids = ids
        self.headlines = headlines
        self.estimated = estimate is not None
        self.total = max(estimate, len(ids)) if self.estimated else len(ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        # What a result shows (a card's fields), never the answer nor its vector.
        articles = self.articles.cards().in_bulk(ids)
        headlines = self.headlines(ids) if ids else {}
        page = []
        for pk in ids:
            article = articles[pk]
            highlighted, snippet = headlines.get(pk, (article.question, ""))
            article.highlighted_question = mark_safe(format_snippet(highlighted))
            article.snippet = mark_safe(format_snippet(snippet))
            page.append(article)
        return page
