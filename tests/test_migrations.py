"""Data migrations: what they compute for rows stored before them."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from learn.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(__file__).resolve().parent.parent / "learn" / "migrations"


def migration(name):
    """A learn migration by the name after its number (numbers change as branches merge)."""
    (path,) = MIGRATIONS.glob(f"[0-9][0-9][0-9][0-9]_{name}.py")
    return importlib.import_module(f"learn.migrations.{path.stem}")


def test_rendered_toc_and_word_count_fills_rows_stored_before_it():
    """Rows with the new fields' defaults and HTML without heading ids get all of them."""
    make_article(slug="a", answer="### One\n\nSome words here.\n\n### Two\n\n### Three")
    make_article(slug="b", answer="No headings.")
    Article.objects.update(toc=[], word_count=0)
    Article.objects.filter(slug="a").update(answer_html="<h2>One</h2>")

    migration("rendered_toc_and_word_count").render_answers_again(apps, None)

    a, b = Article.objects.get(slug="a"), Article.objects.get(slug="b")
    assert a.answer_html.startswith('<h2 id="answer-one">One</h2>')
    assert [entry["id"] for entry in a.toc] == ["answer-one", "answer-two", "answer-three"]
    assert (a.word_count, b.word_count, b.toc) == (6, 2, [])
