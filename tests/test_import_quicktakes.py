"""The import_quicktakes command, driven through call_command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from learn.models import Article, ImportRun, RelatedLink, Subject
from tests.conftest import CORPUS, FIXTURES

pytestmark = pytest.mark.django_db(transaction=False)


def run_import(*args, **options):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_quicktakes", *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_whole_corpus_imports_without_failures_and_reimports_without_changes():
    """All 3,000 real files import with no failure; importing them again changes nothing."""
    files = [p for p in CORPUS.rglob("*.md") if p.name != "README.md"]
    out, err, error = run_import(*files)
    assert error is None, err
    assert err == ""
    assert Article.objects.count() == 3000
    assert Subject.objects.count() == 40
    assert "3000 created, 0 updated, 0 unchanged, 0 failed" in out
    assert RelatedLink.objects.filter(target__isnull=False).exists()

    out, err, error = run_import(*files)
    assert error is None, err
    assert "0 created, 0 updated, 3000 unchanged, 0 failed" in out
    assert Article.objects.count() == 3000


def test_corpus_readme_is_reported_as_not_an_article(tmp_path):
    """A folder's README without front matter is reported by name and counted as failed."""
    out, err, error = run_import(CORPUS / "README.md")
    assert error is not None and error.returncode == 1
    assert f"{CORPUS / 'README.md'}:1:" in err
    assert "1 failed" in out


def test_bad_file_does_not_stop_the_batch(write_article, tmp_path):
    """A broken file is reported as PATH:LINE on stderr; the good files are imported."""
    write_article(slug="good-one")
    bad = tmp_path / "bad.md"
    bad.write_text("---\nid: 1\ntitle: [unclosed\n---\n&nbsp;", encoding="utf-8")
    out, err, error = run_import(tmp_path)
    assert error is not None and error.returncode == 1
    assert err.startswith(f"{bad}:")
    assert Article.objects.filter(slug="good-one").exists()
    assert "1 created, 0 updated, 0 unchanged, 1 failed" in out


def test_dry_run_writes_nothing(write_article):
    """--dry-run reports what would be created and leaves the database untouched."""
    path = write_article(slug="dry")
    out, _, error = run_import(path, dry_run=True)
    assert error is None
    assert "Dry run" in out and "1 created" in out
    assert not Article.objects.exists()
    assert not Subject.objects.exists()


def test_verbosity_two_lists_each_file(write_article):
    """At verbosity 2 every file is listed with its outcome; at 0 nothing is printed."""
    path = write_article(slug="listed")
    out, _, _ = run_import(path, verbosity=2)
    assert f"created: {path}" in out
    out, err, _ = run_import(path, verbosity=0)
    assert out == "" and err == ""


def test_missing_path_is_a_command_error(tmp_path):
    """A path that does not exist stops the command before anything is read."""
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import_quicktakes", str(tmp_path / "nope"), stdout=StringIO())


def test_fixtures_import_cleanly():
    """The demo content imports with no failure and its related links resolve."""
    _, err, error = run_import(FIXTURES)
    assert error is None, err
    assert Article.objects.count() >= 20
    seed = Article.objects.get(
        slug="how-do-open-source-models-contribute-to-ai-engineering",
        subject__slug="computer-science",
    )
    assert seed.related_links.count() == 5
    assert seed.related_links.filter(target__isnull=False).count() == 5


def test_verbosity_three_counts_files(write_article):
    """At verbosity 3 a running count follows each file."""
    path = write_article(slug="counted")
    out, _, _ = run_import(path, verbosity=3)
    assert "1 of 1 files" in out


def test_progress_bar_only_on_a_terminal(write_article):
    """The progress bar is drawn on a terminal's stderr and never into a pipe or file."""
    path = write_article(slug="bar")
    _, err, _ = run_import(path)
    assert "[" not in err

    class Terminal(StringIO):
        def isatty(self):
            return True

    err = Terminal()
    call_command("import_quicktakes", str(path), stdout=StringIO(), stderr=err)
    assert "[##############################] 1/1" in err.getvalue()


def test_a_300_character_slug_is_kept_and_served(write_article, client):
    """The URL is the key: a slug far longer than the corpus's 159 characters survives."""
    slug = "-".join(f"step{number:03}" for number in range(43))[:300]
    assert len(slug) == 300
    _, err, error = run_import(write_article("long.md", slug=slug))
    assert error is None, err
    article = Article.objects.get()
    assert article.slug == slug

    response = client.get(f"/learn/computer-science/questions/{slug}")
    assert response.status_code == 200
    assert response.context["article"] == article


def test_import_is_recorded_but_a_dry_run_is_not(write_article, tmp_path):
    """Each import the command writes is an ImportRun with its counts and failures."""
    write_article(slug="recorded")
    (tmp_path / "bad.md").write_text("nothing", encoding="utf-8")
    run_import(tmp_path, dry_run=True)
    assert not ImportRun.objects.exists()
    run_import(tmp_path)
    run = ImportRun.objects.get()
    assert (run.origin, run.status, run.user, run.source) == (
        "command",
        "applied",
        None,
        str(tmp_path),
    )
    assert (run.created, run.failed) == (1, 1)
    assert run.failures[0]["name"] == str(tmp_path / "bad.md")
