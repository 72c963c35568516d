"""The import_quicktakes command, driven through call_command."""

from io import StringIO
from itertools import count

import pytest
from django.core.management import CommandError, call_command

from learn.management.commands import import_quicktakes
from learn.models import Article, ImportRun, RelatedLink, Subject
from tests.folders import FIXTURES

pytestmark = pytest.mark.django_db(transaction=False)


def run_import(*args, **options):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_quicktakes", *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.mark.slow
def test_whole_corpus_imports_without_failures_and_reimports_without_changes(corpus):
    """All 3,000 real files import with no failure; importing them again changes nothing."""
    out, err, error = run_import(corpus)
    assert error is None, err
    assert err == ""
    assert Article.objects.count() == 3000
    assert Subject.objects.count() == 40
    assert "3000 created, 0 updated, 0 unchanged, 0 failed" in out
    assert RelatedLink.objects.filter(target__isnull=False).exists()

    out, err, error = run_import(corpus)
    assert error is None, err
    assert "0 created, 0 updated, 3000 unchanged, 0 failed" in out
    assert Article.objects.count() == 3000


def test_a_folders_readme_is_skipped_not_failed(write_article, tmp_path):
    """A README.md documents its folder: named and counted as skipped, and the run succeeds."""
    write_article("biology/cells.md", slug="cells")
    (tmp_path / "README.md").write_text("# What this folder holds\n", encoding="utf-8")
    (tmp_path / "biology" / "readme.md").write_text("Notes.\n", encoding="utf-8")

    out, err, error = run_import(tmp_path)

    assert error is None, err
    assert err == ""
    assert f"{tmp_path / 'README.md'}: skipped: a folder's README, not an article" in out
    assert f"{tmp_path / 'biology' / 'readme.md'}: skipped:" in out
    assert "1 created, 0 updated, 0 unchanged, 0 failed; links: 0 resolved, 0 dangling; " in out
    assert out.rstrip().endswith("; 2 skipped")
    assert Article.objects.get().slug == "cells"
    assert [f["name"] for f in ImportRun.objects.get().failures] == [
        str(tmp_path / "README.md"),
        str(tmp_path / "biology" / "readme.md"),
    ]
    assert ImportRun.objects.get().failed == 0


def test_the_corpus_readme_alone_is_skipped(corpus):
    """Named on its own, the corpus README is skipped by name and nothing fails."""
    out, err, error = run_import(corpus / "README.md")
    assert error is None, err
    assert f"{corpus / 'README.md'}: skipped:" in out
    assert "0 failed" in out and "1 skipped" in out


def test_any_other_md_that_is_no_article_still_fails(tmp_path):
    """Only a README is documentation: notes.md without front matter is a failed file."""
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    out, err, error = run_import(tmp_path)
    assert error is not None and error.returncode == 1
    assert f"{tmp_path / 'notes.md'}:1: no front matter" in err
    assert "1 failed" in out and "0 skipped" in out


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


class Terminal(StringIO):
    def isatty(self):
        return True


def import_on_a_terminal(*paths, clock=None, monkeypatch=None):
    """What the command draws on a terminal's stderr, styled as BaseCommand styles it."""
    if clock is not None:
        monkeypatch.setattr(import_quicktakes, "monotonic", clock)
    err = Terminal()
    command = import_quicktakes.Command(stderr=err, force_color=True)
    call_command(command, *map(str, paths), stdout=StringIO())
    return err.getvalue()


def ticking(step):
    """A clock that moves on by ``step`` seconds each time it is read."""
    ticks = count()
    return lambda: next(ticks) * step


def test_progress_bar_only_on_a_terminal(write_article):
    """The progress bar is drawn on a terminal's stderr and never into a pipe or file."""
    path = write_article(slug="bar")
    _, err, _ = run_import(path)
    assert "[" not in err

    assert "[##############################] 1/1 files" in import_on_a_terminal(path)


def test_progress_bar_is_drawn_in_the_terminals_own_colour(write_article):
    """Progress is no error: the bar carries no colour codes, though stderr's errors are red."""
    drawn = import_on_a_terminal(write_article(slug="plain"))
    assert "1/1 files" in drawn
    assert "\x1b[" not in drawn


def test_progress_bar_shows_the_rate_and_the_time_left(write_article, monkeypatch):
    """Each frame gives files per second and the time left at that rate."""
    for number in range(4):
        folder = write_article(f"f{number}.md", slug=f"file-{number}", id=number).parent

    # Read once a file: a file every half second.
    drawn = import_on_a_terminal(folder, clock=ticking(0.5), monkeypatch=monkeypatch)

    assert drawn.split("\r")[1:] == [
        "[#######-----------------------] 1/4 files",
        "[###############---------------] 2/4 files, 2 files/s, 0:01 left",
        "[######################--------] 3/4 files, 2 files/s, 0:00 left",
        "[##############################] 4/4 files, 2 files/s, 0:00 left\n",
    ]


def test_progress_bar_is_redrawn_by_time_not_by_count(write_article, monkeypatch):
    """With a file every 1/32 s the bar is drawn every 4 files (0.125 s), and at the end."""
    for number in range(10):
        folder = write_article(f"f{number}.md", slug=f"file-{number}", id=number).parent

    drawn = import_on_a_terminal(folder, clock=ticking(1 / 32), monkeypatch=monkeypatch)

    assert [frame.split("]")[1].split(",")[0] for frame in drawn.split("\r")[1:]] == [
        " 1/10 files",
        " 5/10 files",
        " 9/10 files",
        " 10/10 files",
    ]


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
