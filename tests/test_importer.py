"""The import service: upserts, subjects, tags, related links, all-or-nothing per file."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from learn import importer
from learn.importer import import_sources, resolve_links
from learn.models import Article, Redirect, RelatedLink, Subject
from learn.sources import Source
from tests.conftest import article_text
from tests.folders import REPO

pytestmark = pytest.mark.django_db


def source(name="a.md", **fields):
    return Source(name, article_text(**fields).encode())


def test_creates_then_updates_by_url():
    """A changed file with the same URL updates the article in place."""
    import_sources([source(answer="First.")])
    article = Article.objects.get()
    result = import_sources([source(answer="Second.")])
    assert result.updated == ["a.md"]
    article.refresh_from_db()
    assert "Second." in article.answer_html
    assert Article.objects.count() == 1


def test_unchanged_file_is_skipped():
    """Importing the same bytes again leaves the article untouched."""
    import_sources([source()])
    before = Article.objects.get().updated_at
    result = import_sources([source()])
    assert result.unchanged == ["a.md"] and not result.updated
    assert Article.objects.get().updated_at == before


def test_update_keeps_editorial_status():
    """Re-importing a changed file does not republish an article an editor unpublished."""
    import_sources([source(answer="One.")])
    Article.objects.update(status=Article.Status.DRAFT)
    import_sources([source(answer="Two.")])
    assert Article.objects.get().status == Article.Status.DRAFT


def test_spelling_variants_are_one_subject_and_names_are_never_changed():
    """'Computer science' joins 'Computer Science'; an editor's name for a subject stays."""
    import_sources([source("a.md", slug="a", subject="Computer science")])
    subject = Subject.objects.get()
    assert subject.name == "Computer Science"
    subject.name = "Computing"
    subject.save()
    import_sources([source("b.md", slug="b", subject="Computer Science")])
    assert Subject.objects.get().name == "Computing"
    assert Article.objects.filter(subject=subject).count() == 2


def test_same_id_under_two_subjects_gives_two_articles():
    """Front-matter ids repeat across subjects; the URL is the key."""
    result = import_sources(
        [source("a.md", id=7, subject="Biology"), source("b.md", id=7, subject="Chemistry")]
    )
    assert len(result.created) == 2


def test_duplicate_url_in_one_batch_fails_the_second_file():
    """Two files claiming one URL: the first is imported, the second is reported."""
    result = import_sources([source("a.md", answer="One."), source("b.md", answer="Two.")])
    assert result.created == ["a.md"]
    assert [str(f) for f in result.failed] == [
        "b.md: same url /learn/computer-science/questions/what-is-a-test as a.md"
    ]


def test_keywords_become_case_insensitive_tags():
    """Keywords become tags; 'Big O' and 'big O' are one tag."""
    import_sources([source("a.md", slug="a", keywords="Big O, sorting")])
    import_sources([source("b.md", slug="b", keywords="big O, Sorting, graphs")])
    b = Article.objects.get(slug="b")
    assert sorted(t.name for t in b.tags.all()) == ["Big O", "graphs", "sorting"]


def test_reimport_replaces_tags():
    """A changed keyword list replaces the article's tags."""
    import_sources([source(keywords="one, two")])
    import_sources([source(keywords="three")])
    assert [t.name for t in Article.objects.get().tags.all()] == ["three"]


def test_links_resolve_when_target_arrives_in_a_later_batch():
    """A link to a not-yet-imported article resolves when that article is imported."""
    result = import_sources([source("a.md", slug="a", related=[(2, "Computer Science", "b")])])
    assert result.links_dangling == 1
    link = RelatedLink.objects.get()
    assert link.target is None
    result = import_sources([source("b.md", slug="b", id=2)])
    link.refresh_from_db()
    assert link.target == Article.objects.get(slug="b")
    assert result.links_resolved == 1


def test_links_resolve_by_url_before_id():
    """When URL and id disagree (a stale pair), the URL wins."""
    import_sources([source("b.md", slug="b", id=2), source("c.md", slug="c", id=3)])
    import_sources([source("a.md", slug="a", related=[(3, "Computer Science", "b")])])
    assert RelatedLink.objects.get().target.slug == "b"


def test_links_fall_back_to_id():
    """A link whose URL is gone still resolves by the front-matter id."""
    import_sources([source("b.md", slug="b", id=2)])
    import_sources([source("a.md", slug="a", related=[(2, "Computer Science", "moved")])])
    assert RelatedLink.objects.get().target.slug == "b"


def test_repeated_targets_are_kept_as_written():
    """The same target twice in one file gives two links (shown once on the page)."""
    import_sources([source("a.md", slug="a", related=[(2, "Computer Science", "b")] * 2)])
    assert RelatedLink.objects.filter(target_url__endswith="/b").count() == 2


def test_unknown_front_matter_keys_are_kept():
    """Keys the site does not use survive in Article.extra."""
    import_sources([source(extra="reviewer: Ada")])
    assert Article.objects.get().extra["reviewer"] == "Ada"


def test_dry_run_rolls_back():
    """A dry run counts what it would do and writes nothing."""
    result = import_sources([source()], dry_run=True)
    assert result.created == ["a.md"] and result.dry_run
    assert not Article.objects.exists()


def test_database_refusal_fails_only_that_file(monkeypatch):
    """If the database refuses one file, the others in its chunk are still written whole."""
    real_fill = importer._fill

    def fill(article, item, now):
        real_fill(article, item, now)
        if item.name == "bad.md":
            article.question = None  # NOT NULL: refused by every database

    monkeypatch.setattr(importer, "_fill", fill)
    result = import_sources([source("good.md", slug="good"), source("bad.md", slug="bad")])
    assert result.created == ["good.md"]
    assert [f.name for f in result.failed] == ["bad.md"]
    assert "database refused it" in result.failed[0].message
    assert list(Article.objects.values_list("slug", flat=True)) == ["good"]
    assert not RelatedLink.objects.filter(article__slug="bad").exists()


def test_resolving_again_changes_nothing():
    """Running the resolver when every link is settled changes nothing."""
    import_sources([source("b.md", slug="b", id=2)])
    import_sources([source("a.md", slug="a", related=[(2, "Computer Science", "b")])])
    assert resolve_links() == 0


def test_url_target_arriving_later_replaces_an_id_fallback():
    """A link first resolved by id moves to the article at its URL once that arrives."""
    import_sources([source("c.md", slug="c", id=3)])
    import_sources([source("a.md", slug="a", related=[(3, "Computer Science", "b")])])
    assert RelatedLink.objects.get().target.slug == "c"
    import_sources([source("b.md", slug="b", id=2)])
    assert RelatedLink.objects.get().target.slug == "b"


def test_third_keyword_with_the_same_slug_gets_a_free_slug():
    """Keywords that slugify alike ("C++", "C#", "C") in separate imports all get tags."""
    for number, keyword in enumerate(["C++", "C#", "C"], start=1):
        result = import_sources(
            [source(f"{number}.md", slug=f"s{number}", id=number, keywords=keyword)]
        )
        assert not result.failed
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["c", "c_1", "c_2"]


def test_files_of_a_reslugged_subject_land_in_it():
    """After an editor re-slugs a subject, its files import into it, not a new subject."""
    import_sources([source(answer="One.")])
    subject = Subject.objects.get()
    subject.slug = "computing"
    subject.save()
    Redirect.objects.create(old_path="/learn/computer-science/questions/", subject=subject)
    result = import_sources([source(answer="Two."), source("b.md", slug="b")])
    assert (result.updated, result.created) == (["a.md"], ["b.md"])
    assert Subject.objects.count() == 1
    assert set(subject.articles.values_list("slug", flat=True)) == {"what-is-a-test", "b"}


def test_new_article_at_an_old_url_replaces_its_redirect():
    """An article imported at a redirected URL takes the URL back."""
    import_sources([source("b.md", slug="b")])
    Redirect.objects.create(
        old_path="/learn/computer-science/questions/what-is-a-test", article=Article.objects.get()
    )
    import_sources([source()])
    assert not Redirect.objects.exists()


def test_link_to_an_old_url_resolves_through_its_redirect():
    """A related link written with a renamed article's old URL finds the article."""
    import_sources([source("b.md", slug="renamed", id=2)])
    target = Article.objects.get()
    Redirect.objects.create(old_path="/learn/computer-science/questions/b", article=target)
    import_sources([source(related=[(99, "Computer Science", "b")])])
    assert RelatedLink.objects.get().target == target


def _children(pid: int) -> set[tuple[int, str]]:
    """The processes descended from pid, each with its start time (a reused pid is another)."""
    parents, started = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child], started[child] = int(fields[1]), fields[19]
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and (child, started[child]) not in found:
                found.add((child, started[child]))
                todo.append(child)
    return found


def _alive(process: tuple[int, str]) -> bool:
    try:
        fields = Path(f"/proc/{process[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == process[1] and fields[0] != "Z"


@pytest.mark.slow
def test_a_killed_import_leaves_no_process_behind(corpus, tmp_path):
    """kill -9 of an import mid-run: its workers and multiprocessing's helpers exit too."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "quicktakes.settings",
    }
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    importer = subprocess.Popen([*manage, "import_quicktakes", str(corpus), "-v0"], env=env)
    helpers = set()
    deadline = time.monotonic() + 60
    # The resource tracker and the two workers, all started.
    while len(helpers) < 3 and importer.poll() is None and time.monotonic() < deadline:
        helpers |= _children(importer.pid)
        time.sleep(0.05)
    assert len(helpers) >= 3, "the import started no process pool"
    importer.kill()
    importer.wait()
    deadline = time.monotonic() + 20
    while any(map(_alive, helpers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid, started in helpers if _alive((pid, started))]


def test_duplicate_url_in_a_later_chunk_fails_the_second_file(monkeypatch):
    """The run remembers the URLs of earlier chunks: a file claiming one is reported."""
    monkeypatch.setattr(importer, "CHUNK_SIZE", 1)
    result = import_sources(
        [source("a.md", answer="One."), source("c.md", slug="c"), source("b.md", answer="Two.")]
    )
    assert result.created == ["a.md", "c.md"]
    assert [str(f) for f in result.failed] == [
        "b.md: same url /learn/computer-science/questions/what-is-a-test as a.md"
    ]


def test_a_run_counts_every_file_but_keeps_the_first_names_only(monkeypatch):
    """Counts are exact at any size; names are kept for the first NAMES_KEPT files."""
    monkeypatch.setattr(importer, "NAMES_KEPT", 2)
    sources = [source(f"{n}.md", slug=f"s{n}", id=n) for n in range(3)]
    result = import_sources(sources)
    assert (result.counts["created"], result.created) == (3, ["0.md", "1.md"])
    assert result.summary().startswith("3 created, 0 updated, 0 unchanged, 0 failed")
    result = import_sources(sources)
    assert (result.counts["unchanged"], result.unchanged) == (3, ["0.md", "1.md"])


def test_reimport_of_unchanged_files_reads_only_their_hashes(django_assert_num_queries):
    """Nothing changed: one query for the chunk's hashes, and no tags or links read."""
    sources = [source("a.md", slug="a", related=[(9, "Computer Science", "gone")])]
    sources.append(source("b.md", slug="b", id=2))
    import_sources(sources)
    # Savepoint and release, subjects, subjects' old slugs, the chunk's hashes.
    with django_assert_num_queries(5):
        result = import_sources(sources)
    assert result.unchanged == ["a.md", "b.md"]


def test_links_resolve_across_batches_of_links(monkeypatch):
    """Dangling links are read a batch at a time; each batch resolves."""
    monkeypatch.setattr(importer, "_LINK_BATCH", 1)
    import_sources(
        [
            source("a.md", slug="a", related=[(2, "Computer Science", "b")]),
            source("c.md", slug="c", id=3, related=[(2, "Computer Science", "b")]),
        ]
    )
    result = import_sources([source("b.md", slug="b", id=2)])
    assert result.links_resolved == 2
    assert set(RelatedLink.objects.values_list("target__slug", flat=True)) == {"b"}


def test_a_keyword_finds_its_tag_under_a_numbered_slug_in_any_case():
    """Tags are looked up by slug, a chunk at a time: "c++" is the "C++" tag at slug c_1."""
    import_sources([source("1.md", slug="s1", id=1, keywords="C")])
    import_sources([source("2.md", slug="s2", id=2, keywords="C++")])
    import_sources([source("3.md", slug="s3", id=3, keywords="c++, c, c_1")])
    assert sorted(Tag.objects.values_list("name", "slug")) == [
        ("C", "c"),
        ("C++", "c_1"),
        ("c_1", "c_1_1"),
    ]
    assert sorted(Article.objects.get(slug="s3").tags.values_list("name", flat=True)) == [
        "C",
        "C++",
        "c_1",
    ]


def test_chunks_stop_at_a_byte_limit(monkeypatch):
    """Large files are taken a few at a time, however few files a chunk would otherwise hold."""
    sources = [source(f"{n}.md", slug=f"s{n}", answer="x" * 1000) for n in range(5)]
    monkeypatch.setattr(importer, "CHUNK_BYTES", 2 * len(sources[0].data))
    chunks = []
    skip_unchanged = importer._Batch.skip_unchanged

    def spy(batch, chunk):
        chunks.append([item.name for item in chunk])
        return skip_unchanged(batch, chunk)

    monkeypatch.setattr(importer._Batch, "skip_unchanged", spy)
    assert len(import_sources(iter(sources)).created) == 5
    assert chunks == [["0.md", "1.md"], ["2.md", "3.md"], ["4.md"]]


def _articles_planned() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'learn_article'::regclass")
        return cursor.fetchone()[0]


def test_a_run_outgrowing_the_statistics_analyzes_the_tables_it_writes(monkeypatch):
    """PostgreSQL plans the run's own queries from its statistics, which autovacuum
    cannot bring up to date with rows not yet committed: statistics saying "empty" (a
    vacuum after a killed import) made one import of the corpus take over 15 minutes.
    SQLite plans without statistics, and is left alone."""
    monkeypatch.setattr(importer, "ANALYZE_AFTER", 2)
    monkeypatch.setattr(importer, "CHUNK_SIZE", 1)
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE learn_article")
        assert _articles_planned() == Article.objects.count() == 0
    with CaptureQueriesContext(connection) as run:
        import_sources([source(f"{n}.md", slug=f"s{n}", id=n) for n in range(3)])
    analyzed = [query["sql"] for query in run if query["sql"].startswith("ANALYZE")]
    if postgres:
        # After the second article (2 >= ANALYZE_AFTER), not after the third (1 < 2).
        assert len(analyzed) == 1 and '"learn_article"' in analyzed[0]
        assert _articles_planned() == 2
    else:
        assert analyzed == []
