"""The export_quicktakes command (learn.exporter), driven through call_command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag

from learn.import_runs import import_files
from learn.models import Article, ArticleSource, ImportRun, RelatedLink, Subject
from learn.sources import import_roots, read_sources
from tests.conftest import article_text
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def run(command, *args, **options):
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def import_folder(folder):
    """Import a folder through the one entry point, as the command does."""
    return import_files(
        read_sources(import_roots([folder])), origin=ImportRun.Origin.COMMAND, source=str(folder)
    )[1]


@pytest.fixture
def imported(tmp_path):
    """Two articles imported from files; returns the folder and the files' bytes."""
    source = tmp_path / "in"
    files = {
        "computer-science/what-is-a-test.md": article_text(
            related=[(2, "Biology", "what-is-a-cell")], extra="custom_key: kept"
        ),
        "biology/what-is-a-cell.md": article_text(
            id=2, subject="Biology", slug="what-is-a-cell", question="What is a cell?"
        ),
    }
    for name, text in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    import_folder(source)
    return source, {name: text.encode() for name, text in files.items()}


def test_unedited_articles_are_written_byte_for_byte_as_their_files(imported, tmp_path):
    """Each article goes to DIR/<subject>/<slug>.md as the very bytes it was imported from."""
    _, files = imported
    out, err, error = run("export_quicktakes", tmp_path / "out")
    assert error is None, err
    summary = "Exported: 2 as imported, 0 edited, 0 written anew, 0 failed"
    assert out == f"{summary}; into {tmp_path / 'out'}\n"
    for name, data in files.items():
        assert (tmp_path / "out" / name).read_bytes() == data
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == [
        "biology",
        "computer-science",
        "what-is-a-cell.md",
        "what-is-a-test.md",
    ]


def test_an_edited_article_carries_its_edits_and_reimports_unchanged(imported, tmp_path):
    """An admin edit is exported in the file's style; importing the export changes nothing."""
    article = Article.objects.get(slug="what-is-a-test")
    article.question = "What is a unit test?"
    article.save()
    article.tags.add("new topic")

    out, err, error = run("export_quicktakes", tmp_path / "out", verbosity=2)

    assert error is None, err
    written = tmp_path / "out" / "computer-science" / "what-is-a-test.md"
    assert f"edited: {written}\n" in out and "1 as imported, 1 edited" in out
    text = written.read_text(encoding="utf-8")
    assert "question: >-\n    What is a unit test?\n" in text
    assert "page_keywords: >-\n    testing, quality, new topic\n" in text
    assert "custom_key: kept\n" in text
    # The written file is now the article's source: the import finds nothing to do.
    result = import_folder(tmp_path / "out")
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 2}
    assert bytes(ArticleSource.objects.get(article=article).data) == written.read_bytes()


def test_an_article_without_a_source_is_written_anew_and_reads_back(tmp_path):
    """An article made in the admin gets a file in the site's layout that imports as it."""
    target = make_article(slug="target", question="Target?")
    article = make_article(
        subject="Biology", question="Made here?", tags=["cells"], related=[target], score=None
    )
    RelatedLink.objects.filter(article=article).update(target_subject="")

    out, err, error = run("export_quicktakes", tmp_path / "out")

    assert error is None, err
    assert "0 as imported, 0 edited, 2 written anew, 0 failed" in out
    text = (tmp_path / "out" / "biology" / "what-is-a-test.md").read_text(encoding="utf-8")
    assert text.startswith(f"---\nid: {article.pk}\ndate: 2024-12-11\n")
    assert (
        "related_article1:\n    title: >-\n        Target?\n    subject: Computer Science\n"
        in text
    )
    assert import_folder(tmp_path / "out").counts["unchanged"] == 2


def test_since_and_subject_choose_the_articles(imported, tmp_path):
    """--since keeps articles changed on or after the date; --subject one subject's."""
    Article.objects.filter(slug="what-is-a-cell").update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    out, _, _ = run("export_quicktakes", tmp_path / "recent", "--since", since)
    assert "1 as imported" in out
    assert [p.name for p in (tmp_path / "recent").rglob("*.md")] == ["what-is-a-test.md"]

    out, _, _ = run("export_quicktakes", tmp_path / "biology", subject="biology")
    assert [p.name for p in (tmp_path / "biology").rglob("*.md")] == ["what-is-a-cell.md"]

    _, _, error = run("export_quicktakes", tmp_path / "x", subject="no-such-subject")
    assert str(error) == "No subject with the slug 'no-such-subject'."


def test_a_dry_run_writes_no_file_and_changes_nothing(imported, tmp_path):
    """--dry-run counts what would be written and leaves the folder and database alone."""
    Article.objects.filter(slug="what-is-a-test").update(question="Edited?")
    hashes = list(Article.objects.order_by("pk").values_list("content_hash", flat=True))

    out, err, error = run("export_quicktakes", tmp_path / "out", dry_run=True)

    assert error is None, err
    assert out.startswith("Dry run, nothing written: 1 as imported, 1 edited, 0 written anew")
    assert not (tmp_path / "out").exists()
    assert list(Article.objects.order_by("pk").values_list("content_hash", flat=True)) == hashes


def test_an_article_the_format_cannot_carry_fails_by_name_and_the_rest_is_written(
    imported, tmp_path
):
    """A failure names the file and why, the others are written, and the exit status is 1."""
    Article.objects.filter(slug="what-is-a-test").update(answer=r"Type \n for a new line.")

    out, err, error = run("export_quicktakes", tmp_path / "out")

    path = tmp_path / "out" / "computer-science" / "what-is-a-test.md"
    assert err.startswith(f"{path}: the source format cannot carry its answer as it is")
    assert "1 as imported, 0 edited, 0 written anew, 1 failed" in out
    assert (str(error), error.returncode) == ("1 of 2 articles failed.", 1)
    assert not path.exists()
    assert (tmp_path / "out" / "biology" / "what-is-a-cell.md").exists()


def test_a_folder_that_cannot_be_written_is_refused_before_anything(imported, tmp_path):
    """DIR being a file, or under one, is a CommandError and nothing is written."""
    (tmp_path / "file").write_text("x")
    _, _, error = run("export_quicktakes", tmp_path / "file")
    assert str(error) == f"{tmp_path / 'file'} is not a folder."
    _, _, error = run("export_quicktakes", tmp_path / "file" / "out")
    assert str(error) == f"Cannot create {tmp_path / 'file' / 'out'}: Not a directory."


def test_a_bad_since_date_is_a_usage_error(tmp_path):
    """--since takes YYYY-MM-DD and says so."""
    with pytest.raises(CommandError, match="expected a date as YYYY-MM-DD, got '2025-13-01'"):
        call_command("export_quicktakes", str(tmp_path), "--since", "2025-13-01")


def corpus_state():
    """Every article by URL: its content, its topics and its related links."""
    topics = {}
    for article_id, name in Tag.objects.filter(
        taggit_taggeditem_items__content_type__model="article"
    ).values_list("taggit_taggeditem_items__object_id", "name"):
        topics.setdefault(article_id, set()).add(name.casefold())
    links = {}
    for row in RelatedLink.objects.order_by("article", "position").values_list(
        "article_id",
        "position",
        "target_source_id",
        "target_title",
        "target_subject",
        "target_url",
        "target__slug",
        "target__subject__slug",
    ):
        links.setdefault(row[0], []).append(row[1:])
    return {
        article.get_absolute_url(): (
            [getattr(article, name) for name in CONTENT_FIELDS],
            topics.get(article.pk, set()),
            links.get(article.pk, []),
        )
        for article in Article.objects.select_related("subject")
    }


CONTENT_FIELDS = [
    "source_id",
    "question",
    "title",
    "answer",
    "answer_html",
    "seo_title",
    "seo_description",
    "keywords",
    "author",
    "published_on",
    "date_format",
    "posted_on_text",
    "score",
    "no_index",
    "extra",
]


@pytest.mark.slow
def test_the_corpus_round_trips_through_an_export(corpus, tmp_path):
    """The 3,000 files, a few edited: exported, then imported into an empty database, give
    the same articles, topics and links; imported into the same one, they change nothing."""
    import_folder(corpus)
    edited = list(Article.objects.order_by("pk")[:3])
    edited[0].question = "An edited question?"
    edited[0].answer += "\n\n| a | b |\n|---|---|\n| $x \\neq y$ | 2 |"
    edited[0].save()
    edited[1].tags.add("a brand new topic")
    RelatedLink.objects.filter(article=edited[2]).delete()
    RelatedLink.objects.create(
        article=edited[2],
        position=2,
        target=edited[0],
        target_url=edited[0].get_absolute_url(),
        target_title=edited[0].question,
        target_subject=edited[0].subject.name,
    )
    before = corpus_state()

    out, err, error = run("export_quicktakes", tmp_path / "out")
    assert error is None, err
    assert "2997 as imported, 3 edited, 0 written anew, 0 failed" in out

    result = import_folder(tmp_path / "out")
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 3000}

    Article.objects.all().delete()
    Subject.objects.all().delete()
    Tag.objects.all().delete()
    result = import_folder(tmp_path / "out")
    assert (result.counts["created"], result.failed) == (3000, [])
    assert corpus_state() == before
