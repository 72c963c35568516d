"""render_answers: stored answer HTML catches up with the current renderer."""

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
