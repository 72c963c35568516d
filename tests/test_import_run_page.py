"""The import run's page in the admin: its files as tables linked to their articles."""

import pytest
from django.contrib.contenttypes.models import ContentType

from learn import import_runs
from learn.models import Article, ImportRun
from learn.sources import Source
from tests.conftest import article_text

pytestmark = pytest.mark.django_db


def import_(*files):
    return import_runs.import_files(
        [Source(name, text.encode()) for name, text in files], origin="command", source="x"
    )[0]


def test_the_page_lists_each_outcome_with_links_and_diffs(
    editor_client, django_assert_num_queries
):
    """Created, updated, unchanged and failed files each get a table; articles are linked,
    an updated file shows what changed, and the page says when the run finished."""
    import_(
        ("old.md", article_text(slug="old", answer="Old <answer>.")),
        ("same.md", article_text(slug="same")),
    )
    run = import_(
        ("new.md", article_text(slug="new", question="A new question?")),
        ("old.md", article_text(slug="old", answer="New answer.")),
        ("same.md", article_text(slug="same")),
        ("bad.md", "no front matter"),
    )
    new, old = Article.objects.get(slug="new"), Article.objects.get(slug="old")
    # The admin reads the content type once a process; count it whichever test ran first.
    ContentType.objects.clear_cache()

    with django_assert_num_queries(7):
        html = editor_client.get(f"/admin/learn/importrun/{run.pk}/change/").content.decode()

    assert '<h3 id="created-files">Created (1)</h3>' in html
    assert f'<a href="/admin/learn/article/{new.pk}/change/">A new question?</a>' in html
    assert '<h3 id="updated-files">Updated (1)</h3>' in html
    assert f'<a href="/admin/learn/article/{old.pk}/change/">What is a test?</a>' in html
    assert "<summary>2 lines changed</summary>" in html
    assert '<span class="removed">- Old &lt;answer&gt;.</span>' in html
    assert '<span class="added">+ New answer.</span>' in html
    assert '<h3 id="unchanged-files">Unchanged (1)</h3>' in html
    assert '<h3 id="failed-files">Failed or skipped (1)</h3>' in html
    assert "<code>bad.md:1</code>" in html and "no front matter" in html
    assert "Finished at:" in html or "Finished at" in html


def test_a_deleted_article_is_named_not_linked(editor_client):
    """A file whose article was deleted since says so instead of linking nowhere."""
    run = import_(("a.md", article_text()))
    Article.objects.all().delete()
    html = editor_client.get(f"/admin/learn/importrun/{run.pk}/change/").content.decode()
    assert "<code>a.md</code></td>\n      <td>(no longer in the database)" in html


def test_a_long_run_lists_its_first_files_and_says_so(editor_client):
    """At most FILES_SHOWN files a table; the count is the run's."""
    run = ImportRun.objects.create(
        origin="command",
        source="x",
        status="applied",
        unchanged=5000,
        outcomes={"unchanged": [f"{n}.md" for n in range(1000)]},
    )
    html = editor_client.get(f"/admin/learn/importrun/{run.pk}/change/").content.decode()
    assert html.count("<tr>\n      <td><code>") == import_runs.FILES_SHOWN
    assert "The first 200 are listed; the run counted 5000." in html
