"""The broken-links report's selectors: links readers would follow to a 404.

Two kinds, both read from stored data (no request is made): related links whose target
is not in the database (the admin's "dangling" filter), and links in answers to
``/learn/…`` paths that no page answers: not a published article, not a subject, no
other reader route, and no redirect. An answer's site links are stored with it when
it is rendered (``Article.answer_links``), so only the answers that have some are
read, through a partial index, a chunk at a time.
"""

from dataclasses import dataclass
from itertools import batched

from django.urls import Resolver404, resolve

from learn.models import Article, RelatedLink, Subject
from learn.paths import parse_article_path, parse_subject_path
from learn.redirects import find_redirects

CHUNK = 500


def dangling_related_links():
    """Related links without a target, with their articles, in article order."""
    return (
        RelatedLink.objects.filter(target__isnull=True)
        .select_related("article__subject")
        .only(
            "position",
            "target_url",
            "target_title",
            "article__question",
            "article__slug",
            "article__subject__slug",
        )
        .order_by("article_id", "position")
    )


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """A path an article's answer links to that answers 404."""

    article: Article
    path: str


def broken_answer_links() -> list[BrokenLink]:
    """Every link in an answer to a site path that would answer 404, in article order."""
    broken = []
    last = 0
    articles = Article.objects.exclude(answer_links="").only("question", "answer_links")
    while chunk := list(articles.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        last = chunk[-1].pk
        paths = {path for article in chunk for path in article.answer_links.split("\n")}
        found = _served(paths)
        for article in chunk:
            for path in article.answer_links.split("\n"):
                if path not in found:
                    broken.append(BrokenLink(article, path))
    return broken


def _served(paths: set[str]) -> set[str]:
    """Those of ``paths`` that a page or a redirect answers (``learn.redirects``)."""
    articles, subjects, others = {}, {}, set()
    for path in paths:
        if found := parse_article_path(path):
            articles[found] = path
        elif found := parse_subject_path(path):
            subjects[found] = path
        else:
            others.add(path)
    served = set()
    for batch in batched(articles, CHUNK):
        slugs = {slug for _, slug in batch}
        for key in (
            Article.objects.published()
            .filter(slug__in=slugs, subject__slug__in={subject for subject, _ in batch})
            .values_list("subject__slug", "slug")
        ):
            if key in articles:
                served.add(articles[key])
    for batch in batched(subjects, CHUNK):
        served.update(
            subjects[slug]
            for slug in Subject.objects.filter(slug__in=batch).values_list("slug", flat=True)
        )
    for path in others:
        try:
            resolve(path)
        except Resolver404:
            continue
        served.add(path)
    served.update(find_redirects(paths - served))
    return served
