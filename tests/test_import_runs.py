"""Recorded imports: the command's and the admin's one entry point, and the upload workflow."""

import pytest

from learn import import_runs
from learn.models import Article, ArticleSource, ImportRun
from learn.sources import Failure, Source
from tests.conftest import article_text, zip_bytes

pytestmark = pytest.mark.django_db


def test_import_and_record_stores_counts_and_failures():
    """A recorded import keeps who, what, counts and each failure with its line."""
    run, result = import_runs.import_files(
        [Source("a.md", article_text().encode()), Source("bad.md", b"nope")],
        origin=ImportRun.Origin.COMMAND,
        source="files/",
    )
    run.refresh_from_db()
    assert (run.status, run.created, run.failed, run.source) == ("applied", 1, 1, "files/")
    assert run.failures == [
        {
            "name": "bad.md",
            "line": 1,
            "message": "no front matter: the file must start with a '---' line",
        }
    ]
    assert run.outcomes["created"] == ["a.md"] and result.created == ["a.md"]
    assert run.finished_at is not None


def test_upload_dry_run_writes_nothing_and_apply_runs_once(django_user_model):
    """A dry run keeps the upload pending; applying imports it once and drops the bytes."""
    user = django_user_model.objects.create_user("u")
    run = import_runs.upload_dry_run(
        files=zip_bytes({"a.md": article_text(), "x.txt": "x"}), source="up.zip", user=user
    )
    assert (run.status, run.created) == ("pending", 1)
    assert run.failures == [{"name": "x.txt", "line": None, "message": "skipped: not a .md file"}]
    assert not Article.objects.exists()
    applied = import_runs.upload_apply(run)
    assert (applied.status, applied.created, applied.upload) == ("applied", 1, None)
    assert Article.objects.count() == 1
    with pytest.raises(ImportRun.DoesNotExist):
        import_runs.upload_apply(run)


def test_discarded_upload_cannot_be_applied():
    """Discarding drops the bytes and the run can no longer be applied."""
    files = zip_bytes({"a.md": article_text()})
    run = import_runs.upload_dry_run(files=files, source="z", user=None)
    import_runs.upload_discard(run)
    run.refresh_from_db()
    assert (run.status, run.upload) == ("discarded", None)
    with pytest.raises(ImportRun.DoesNotExist):
        import_runs.upload_apply(run)


def test_failure_from_skipped_members_is_kept_apart_from_the_failed_count():
    """Skipped zip members are listed but do not count as failed files."""
    run, _ = import_runs.import_files(
        [], origin="admin", source="z", skipped=[Failure("x.txt", "skipped: not a .md file")]
    )
    assert run.failed == 0 and run.failures[0]["name"] == "x.txt"


def test_a_dry_run_writes_nothing_and_records_no_run():
    """The command's --dry-run reports what would happen; nothing is stored."""
    run, result = import_runs.import_files(
        [Source("a.md", article_text().encode())],
        origin=ImportRun.Origin.COMMAND,
        source="files/",
        dry_run=True,
    )
    assert run is None and result.created == ["a.md"]
    assert not Article.objects.exists() and not ImportRun.objects.exists()


def test_uploads_never_start_a_process_pool(monkeypatch):
    """An upload is imported in the web worker's own process, however many files it holds."""
    import learn.importer

    def no_pool(workers):
        raise AssertionError("an upload started a process pool")

    monkeypatch.setattr(learn.importer, "_worker_pool", no_pool)
    monkeypatch.setattr(learn.importer, "PARALLEL_THRESHOLD", 1)
    files = zip_bytes({f"{n}.md": article_text(slug=f"q-{n}", id=n) for n in range(3)})
    run = import_runs.upload_dry_run(files=files, source="up.zip", user=None)
    assert import_runs.upload_apply(run).created == 3


def test_a_run_keeps_each_files_article_its_bytes_and_an_updated_files_changes():
    """Created, updated and unchanged files name their articles; an update keeps its diff
    (the answer line by line, other fields old and new); each article keeps its bytes."""
    first = article_text(answer=r"Line one.\n\nLine two.")
    import_runs.import_files([Source("a.md", first.encode())], origin="command", source="x")
    article = Article.objects.get()
    assert bytes(ArticleSource.objects.get(article=article).data) == first.encode()

    changed = article_text(answer=r"Line one.\n\nLine 2.", question="What is a good test?")
    run, _ = import_runs.import_files(
        [Source("a.md", changed.encode()), Source("b.md", article_text(slug="b").encode())],
        origin="command",
        source="x",
    )
    created = Article.objects.get(slug="b")
    assert run.article_ids == {"a.md": article.pk, "b.md": created.pk}
    assert run.diffs == {
        "a.md": "question:\n- What is a test?\n+ What is a good test?\n"
        "title:\n- What is a test?\n+ What is a good test?\n"
        "--- answer\n+++ answer\n@@ -2,2 +2,2 @@\n \n-Line two.\n+Line 2.\n"
        "seo_description:\n- About What is a test?\n+ About What is a good test?"
    }
    assert bytes(ArticleSource.objects.get(article=article).data) == changed.encode()

    run, _ = import_runs.import_files(
        [Source("a.md", changed.encode())], origin="command", source="x"
    )
    assert (run.unchanged, run.article_ids, run.diffs) == (1, {"a.md": article.pk}, {})


def test_a_dry_run_names_no_article_it_created():
    """A pending upload's new files had ids only inside the rolled-back dry run."""
    import_runs.import_files(
        [Source("a.md", article_text().encode())], origin="command", source="x"
    )
    files = zip_bytes({"a.md": article_text(answer="Other."), "b.md": article_text(slug="b")})
    run = import_runs.upload_dry_run(files=files, source="z", user=None)
    assert run.article_ids == {"a.md": Article.objects.get().pk}


def test_an_article_imported_before_sources_were_kept_is_written_again_once():
    """Bytes already imported but not kept are imported again (updated), then skipped."""
    data = article_text().encode()
    import_runs.import_files([Source("a.md", data)], origin="command", source="x")
    ArticleSource.objects.all().delete()
    run, _ = import_runs.import_files([Source("a.md", data)], origin="command", source="x")
    assert (run.updated, run.diffs) == (1, {})
    assert bytes(ArticleSource.objects.get().data) == data
    run, _ = import_runs.import_files([Source("a.md", data)], origin="command", source="x")
    assert run.unchanged == 1
