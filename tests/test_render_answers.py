"""render_answers: stored answer HTML catches up with the current renderer."""

import io

import pytest
from django.core.management import call_command

from learn.importer import import_sources
from learn.models import Article
from learn.sources import Source
from tests.conftest import article_text

pytestmark = pytest.mark.django_db


def test_stale_answers_are_rendered_again_and_current_ones_left_alone():
    """Only answers whose stored HTML differs from a fresh rendering are rewritten."""
    import_sources(
        [Source("a.md", article_text(slug="a", answer=r"### Steps\n\nDo it.").encode())]
    )
    import_sources([Source("b.md", article_text(slug="b", id=2).encode())])
    Article.objects.filter(slug="a").update(answer_html="<h3>Steps</h3>\n<p>Do it.</p>\n")
    out = io.StringIO()

    call_command("render_answers", stdout=out)

    assert out.getvalue() == "Re-rendered 1 of 2 answers.\n"
    assert Article.objects.get(slug="a").answer_html == "<h2>Steps</h2>\n<p>Do it.</p>\n"
