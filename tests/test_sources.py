"""Finding and reading the files of an import: learn.sources, without a database."""

import pytest

from learn.sources import import_roots, read_sources, survey, walk_files


def touch(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_files_are_walked_in_the_order_of_sorted_paths(tmp_path):
    """The walk yields one name at a time, in the order sorting every path would give."""
    for name in ["b.md", "a/z.md", "a.md", "a/b/c.md", "a-b/d.md", "notes.txt", "A/e.md"]:
        touch(tmp_path / name)
    names = list(walk_files(import_roots([tmp_path])))
    assert names == [str(p) for p in sorted(tmp_path.rglob("*.md"))]


def test_a_path_inside_another_is_read_once(tmp_path):
    """A file or folder named beside the folder that holds it is not imported twice."""
    inner = touch(tmp_path / "sub" / "a.md")
    roots = import_roots([tmp_path, inner, tmp_path / "sub", tmp_path])
    assert roots == [tmp_path]
    assert [source.name for source in read_sources(roots)] == [str(inner)]


def test_survey_counts_articles_and_names_skipped_files(tmp_path):
    """A folder's README is skipped with a reason; the other files are counted."""
    touch(tmp_path / "README.md")
    touch(tmp_path / "a.md")
    count, skipped = survey(import_roots([tmp_path]))
    assert count == 1
    assert [failure.name for failure in skipped] == [str(tmp_path / "README.md")]


def test_a_missing_path_is_refused_before_anything_is_read(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        import_roots([tmp_path, tmp_path / "missing"])
