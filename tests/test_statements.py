"""Reader queries compiled once (learn.statements): the same rows as the queryset, for
any values, and no queryset built or compiled on an article page after the first."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models.sql.compiler import SQLCompiler
from django.test import RequestFactory

from learn.models import Article, published_q
from learn.statements import Statement, StatementError
from learn.views import ArticleDetailView
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FIELD = Article._meta.get_field


def questions_before(*, day, pk, today, time):
    return (
        Article.objects.filter(published_q(today=today, time=time), published_on__lte=day)
        .exclude(pk=pk)
        .order_by("-published_on", "-id")
        .values_list("question", "published_on", "extra")
    )


BEFORE = Statement(
    questions_before,
    day=FIELD("published_on"),
    pk=FIELD("id"),
    today=FIELD("published_on"),
    time=FIELD("published_time"),
)


def test_rows_are_the_querysets_for_each_values():
    """Run with other values each time, the statement reads what the queryset built
    with those values reads, converted alike (dates, JSON)."""
    days = [datetime.date(2024, 1, day) for day in (1, 5, 9)]
    articles = [
        make_article(slug=f"q{n}", question=f"Q{n}?", published_on=day, extra={"n": n})
        for n, day in enumerate(days)
    ]
    scheduled = make_article(
        slug="later", published_on=days[2], published_time=datetime.time(12, 0)
    )
    for day in days:
        for pk in (articles[0].pk, scheduled.pk):
            for time in (datetime.time(11, 59), datetime.time(12, 0)):
                values = {"day": day, "pk": pk, "today": days[2], "time": time}
                assert BEFORE.rows(**values) == list(questions_before(**values))
    rows = BEFORE.rows(day=days[2], pk=0, today=days[2], time=datetime.time(12))
    assert rows[0][1:] == (days[2], {}) and rows[-1] == ("Q0?", days[0], {"n": 0})


def test_a_statement_is_built_and_compiled_once():
    built = []

    def build(*, pk):
        built.append(pk)
        return Article.objects.filter(pk=pk).values_list("slug")

    statement = Statement(build, pk=FIELD("id"))
    first, second = make_article(slug="one"), make_article(slug="two")
    assert statement.rows(pk=first.pk) == [("one",)]
    compiled = len(built)
    assert statement.rows(pk=second.pk) == [("two",)]
    assert statement.rows(pk=0) == []
    assert len(built) == compiled == 2  # the stand-ins, then the slot alone changed


def test_every_slot_needs_its_value():
    """A slot left out would run with its stand-in: refused."""
    with pytest.raises(TypeError, match="needed"):
        BEFORE.rows(day=datetime.date(2024, 1, 1), pk=1, today=datetime.date(2024, 1, 1))


def test_a_query_whose_sql_changes_with_a_value_is_refused():
    """A list's length is in the SQL: it cannot be compiled once."""
    statement = Statement(
        lambda *, pk: Article.objects.filter(pk__in=range(pk % 3 + 1)).values_list("slug"),
        pk=FIELD("id"),
    )
    with pytest.raises(StatementError, match="the SQL changes"):
        statement.rows(pk=1)


def test_a_slot_the_lookup_transforms_is_refused():
    """``__contains`` wraps the value in ``%``: the slot's field would not adapt it so."""
    statement = Statement(
        lambda *, slug: Article.objects.filter(slug__contains=slug).values_list("slug"),
        slug=FIELD("slug"),
    )
    with pytest.raises(StatementError, match="not a parameter"):
        statement.rows(slug="a")


def test_the_article_page_compiles_no_query_after_the_first(monkeypatch):
    """A reader's article page (no page cache) builds its queries once: the next page,
    of another article, compiles none (they cost the page ten times what the database
    did)."""
    target = make_article(slug="target", tags=["a"])
    for slug in ("first", "second"):
        make_article(slug=slug, tags=["a", "b"], related=[target])
    make_article(slug="third", tags=["b"])
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)

    def page(slug):
        request = RequestFactory().get(f"/learn/computer-science/questions/{slug}")
        request.user = AnonymousUser()
        response = ArticleDetailView.as_view()(request, subject="computer-science", slug=slug)
        return response.render().context_data

    assert page("first")["newer_article"].slug == "second"
    compiled.clear()
    context = page("second")
    assert compiled == []
    assert [a.slug for a in context["related_articles"]][:1] == ["target"]
    assert context["newer_article"].slug == "third"
    assert context["older_article"].slug == "first"
    assert [tag.name for tag in context["tags"]] == ["a", "b"]
