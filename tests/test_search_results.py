"""Search results: ranked ids fetched a page at a time, each article with its snippet."""

import pytest
from django.core.paginator import Paginator

from learn.models import Article, Subject
from learn.search.results import SearchResults
from learn.search.snippets import START, STOP

pytestmark = pytest.mark.django_db


def test_a_page_keeps_the_ranking_and_asks_snippets_for_its_articles_only():
    """Slices and indexes give articles in ranked order with their marked questions and
    snippets as safe HTML; only the page's ids are looked up."""
    subject = Subject.objects.create(slug="computer-science", name="Computer Science")
    ids = [
        Article.objects.create(subject=subject, slug=f"a{n}", question=f"Q{n}", title="T").pk
        for n in range(3)
    ][::-1]
    asked = []

    def headlines(page_ids):
        asked.append(page_ids)
        return {pk: (f"Q & {START}{pk}{STOP}", f"<b>{START}{pk}{STOP}") for pk in page_ids}

    results = SearchResults(Article.objects.all(), ids, headlines)
    page = Paginator(results, 2).page(1)
    assert [article.pk for article in page] == ids[:2]
    assert page[0].snippet == f"&lt;b&gt;<mark>{ids[0]}</mark>"
    assert page[0].highlighted_question == f"Q &amp; <mark>{ids[0]}</mark>"
    assert asked == [ids[:2]]
    assert len(results) == 3
    assert results[2].pk == ids[2]


def test_no_matches_ask_for_no_snippets():
    """An empty result is an empty page, with no query for snippets."""
    results = SearchResults(Article.objects.all(), [], None)
    assert list(Paginator(results, 20).page(1)) == []


def test_the_total_is_the_ids_or_an_estimate_never_below_them():
    """Without an estimate the total is the number of ids; with one it is the estimate,
    but never fewer than the ids already found."""
    exact = SearchResults(Article.objects.all(), [3, 2, 1], None)
    assert (exact.total, exact.estimated) == (3, False)
    about = SearchResults(Article.objects.all(), [3, 2, 1], None, estimate=40)
    assert (about.total, about.estimated, len(about)) == (40, True, 3)
    assert SearchResults(Article.objects.all(), [3, 2, 1], None, estimate=1).total == 3
