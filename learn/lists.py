"""Selectors for moving through the site: list pages read through an index, an article's
neighbours in its subject's list, and the home page's newest articles across subjects.

Each costs the same few indexed queries at any number of articles: counts come from
the stored counts (``Subject``, ``Topic``), a page's ids from an index-ordered scan that
reads no row (a deferred join), then only that page's rows.
"""

from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS
from django.db.models import BigAutoField, DateField, F, OuterRef, Subquery, Value
from django.db.models.lookups import GreaterThan, LessThan

from learn.models import (
    Article,
    Row,
    card,
    card_columns,
    moment_slots,
    published_q,
    reading_moment,
)
from learn.statements import Statement

# A subject's list: newest first, the id breaking ties (the learn_article_by_subject index).
SUBJECT_ORDER = ("-published_on", "-id")


class DeferredJoinPaginator(Paginator):
    """Pages of ``object_list`` (ordered through an index) of which ``count`` is
    stored: a page selects its ids alone, so a deep page walks the index and reads no
    other row, then reads its own rows with ``rows`` (a queryset of the same model, or of
    the model whose ids ``id_field`` of object_list holds)."""

    def __init__(self, object_list, per_page, *, count, rows, id_field="pk", **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count = count
        self.rows = rows
        # Where object_list is of another model (a topic's entries), the field of it
        # holding the ids of ``rows``.
        self.id_field = id_field

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values_list(self.id_field, flat=True)
        ids = list(ids[bottom : bottom + self.per_page])
        found = {row.pk: row for row in self.rows.filter(pk__in=ids)} if ids else {}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


def subject_articles(subject):
    """The published articles of ``subject`` in its list's order, ids only."""
    return Article.objects.published().filter(subject=subject).order_by(*SUBJECT_ORDER)


def neighbours(article) -> tuple[Article | None, Article | None]:
    """The articles before and after ``article`` in its subject's list (newest first):
    the newer one and the older one, each read from the subject's index in one query
    (a statement compiled once, learn.statements)."""
    values = {
        "subject": article.subject_id,
        "day": article.published_on,
        "pk": article.pk,
        **reading_moment(),
    }
    return tuple(
        card(rows[0], DEFAULT_DB_ALIAS) if (rows := statement.rows(**values)) else None
        for statement in (_NEWER, _OLDER)
    )


def _neighbour(newer: bool) -> Statement:
    def build(*, subject, day, pk, today, time):
        # The moment as a row comparison for the newer one, which walks the index
        # upwards from the article (moment_come_q); both compare (date, id) as a row, a
        # range of the index from the article on.
        same_subject = Article.objects.filter(
            published_q(today=today, time=time, as_row=newer), subject_id=subject
        )
        place = Row(F("published_on"), F("id"))
        article = Row(Value(day, output_field=DateField()), Value(pk, output_field=BigAutoField()))
        if newer:
            found = same_subject.filter(GreaterThan(place, article)).order_by("published_on", "id")
        else:
            found = same_subject.filter(LessThan(place, article)).order_by(*SUBJECT_ORDER)
        return found.values_list(*card_columns())[:1]

    field = Article._meta.get_field
    return Statement(
        build,
        subject=field("subject"),
        day=field("published_on"),
        pk=field("id"),
        **moment_slots(),
    )


_NEWER, _OLDER = _neighbour(newer=True), _neighbour(newer=False)


def newest_across_subjects(subjects, limit: int) -> list[Article]:
    """Up to ``limit`` of the newest articles, taking the subjects in turn: the newest
    of each subject, newest first, then each one's second newest, and so on; so the list
    shows as many subjects as it can, whichever subject published most lately. When the
    subjects run short (a few subjects, one much larger), the newest of the rest fill it.

    Two queries: each subject's newest few ids (one indexed lookup per subject, in one
    statement), then their cards; a third to fill a short list."""
    subjects = list(subjects)
    if not subjects or limit <= 0:
        return []
    rounds = -(-limit // len(subjects))
    newest = (
        Article.objects.published()
        .filter(subject=OuterRef("pk"))
        .order_by(*SUBJECT_ORDER)
        .values("pk")
    )
    rows = (
        type(subjects[0])
        .objects.filter(pk__in=[subject.pk for subject in subjects])
        .annotate(**{f"n{turn}": Subquery(newest[turn : turn + 1]) for turn in range(rounds)})
        .values_list(*(f"n{turn}" for turn in range(rounds)))
        .order_by()
    )
    by_turn = [[pk for pk in turn if pk is not None] for turn in zip(*rows, strict=True)]
    cards = {
        article.pk: article
        for article in Article.objects.cards().filter(
            pk__in=[pk for turn in by_turn for pk in turn]
        )
    }
    chosen = []
    for turn in by_turn:
        chosen += sorted(
            (cards[pk] for pk in turn), key=lambda a: (a.published_on, a.pk), reverse=True
        )
    if len(chosen) < limit:
        chosen += (
            Article.objects.published()
            .cards()
            .exclude(pk__in=[a.pk for a in chosen])
            .order_by(*SUBJECT_ORDER)[: limit - len(chosen)]
        )
    return chosen[:limit]
