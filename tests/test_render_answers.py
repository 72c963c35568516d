"""render_answers: stored answer HTML catches up with the current renderer."""

import importlib
import io

import pytest
from django.core.management import call_command

from learn.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_stale_answers_are_rendered_again_and_current_ones_left_alone():
    """Only answers whose stored HTML differs from a fresh rendering are rewritten."""
    make_article(slug="a", answer="### Steps\n\nDo it.")
    make_article(slug="b")
    Article.objects.filter(slug="a").update(answer_html="<h3>Steps</h3>\n<p>Do it.</p>\n")
    out = io.StringIO()

    call_command("render_answers", stdout=out)

    assert out.getvalue() == "Re-rendered 1 of 2 answers.\n"
    assert Article.objects.get(slug="a").answer_html == (
        '<h2 id="answer-steps">Steps</h2>\n<p>Do it.</p>\n'
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_re_rendered_answers_reach_readers_at_once(client):
    """Cached pages are dropped when render_answers changes a stored answer."""
    make_article(slug="a", answer="Old answer.")
    url = "/learn/computer-science/questions/a"
    assert "Old answer." in client.get(url).content.decode()
    Article.objects.update(answer="New answer.")

    call_command("render_answers", verbosity=0)

    assert "New answer." in client.get(url).content.decode()


def test_answers_that_gain_code_are_marked_for_the_code_colours():
    """has_code follows the answer: the article page loads pygments.css only then."""
    make_article(slug="a")
    Article.objects.update(answer="```python\nprint(1)\n```")

    call_command("render_answers", verbosity=0)

    assert Article.objects.get().has_code


def test_the_table_of_contents_and_word_count_are_refreshed():
    """Stored values that predate them (a migrated row's defaults) are computed again."""
    make_article(slug="a", answer="### One\n\nFirst part.\n\n### Two\n\n### Three")
    Article.objects.update(toc=[], word_count=0)
    out = io.StringIO()

    call_command("render_answers", stdout=out)

    article = Article.objects.get()
    assert out.getvalue() == "Re-rendered 1 of 1 answers.\n"
    assert [entry["id"] for entry in article.toc] == ["answer-one", "answer-two", "answer-three"]
    assert article.word_count == 5


def test_answers_rendered_by_the_old_converter_catch_up_and_gain_has_math(client):
    """Stored latex2mathml output (before Temml) is brought up to date, and has_math set:
    the article page then loads math.css, which a page without math does not."""
    make_article(slug="a", answer="Area $x^2$.")
    make_article(slug="b", answer="No math, $5 only.")
    Article.objects.filter(slug="a").update(
        has_math=False,
        answer_html='<p>Area <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">'
        "<msup><mi>x</mi><mn>2</mn></msup></math>.</p>\n",
    )

    call_command("render_answers", verbosity=0)

    article = Article.objects.get(slug="a")
    assert article.has_math
    assert 'class="tml-sml-pad"' in article.answer_html
    assert not Article.objects.get(slug="b").has_math
    page = client.get("/learn/computer-science/questions/a").content.decode()
    assert "/static/css/math" in page
    page = client.get("/learn/computer-science/questions/b").content.decode()
    assert "/static/css/math" not in page


def test_migration_0009_marks_stored_answers_that_hold_math():
    """has_math's migration sets it on the rows whose stored HTML has MathML, and only those."""
    from django.apps import apps

    migration = importlib.import_module("learn.migrations.0009_article_has_math")
    make_article(slug="a", answer="Area $x^2$.")
    make_article(slug="b", answer="Plain.")
    Article.objects.update(has_math=False)

    migration.mark_answers_with_math(apps, None)

    assert set(Article.objects.filter(has_math=True).values_list("slug", flat=True)) == {"a"}
