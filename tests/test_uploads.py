"""Uploaded files to sources: zips unpacked safely, without a database."""

import io
import zipfile

import pytest

from learn import uploads
from learn.uploads import UploadError, pack, unpack
from tests.conftest import zip_bytes


def unpacked(data):
    """Every source of an upload, read, and the members skipped."""
    sources, skipped = unpack(data)
    return list(sources), skipped


def test_md_files_are_packed_and_unpacked_by_base_name():
    """Uploaded .md files come back as sources named by their base names."""
    sources, skipped = unpacked(pack([("a.md", b"A"), ("some/dir/b.md", b"B")]))
    assert [(s.name, s.data) for s in sources] == [("a.md", b"A"), ("b.md", b"B")]
    assert skipped == []


def test_one_zip_is_kept_as_uploaded():
    """A single .zip upload is stored byte for byte."""
    data = zip_bytes({"a.md": b"A"})
    assert pack([("batch.ZIP", data)]) == data


def test_other_file_types_are_refused():
    """Only .md files, or one .zip, can be uploaded."""
    with pytest.raises(UploadError, match=r"notes\.txt"):
        pack([("notes.txt", b"x")])
    with pytest.raises(UploadError):
        pack([("a.zip", zip_bytes({})), ("b.zip", zip_bytes({}))])


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.md", "skipped: unsafe path"),
        ("/etc/evil.md", "skipped: unsafe path"),
        ("a/../../evil.md", "skipped: unsafe path"),
        ("C:/evil.md", "skipped: unsafe path"),
        ("a\\evil.md", "skipped: unsafe path"),
        ("__MACOSX/._a.md", "skipped: macOS metadata"),
        ("readme.txt", "skipped: not a .md file"),
        ("README.md", "skipped: a folder's README, not an article"),
        ("quicktakes/Readme.md", "skipped: a folder's README, not an article"),
    ],
)
def test_unsafe_and_foreign_members_are_skipped_and_reported(name, reason):
    """Members with unsafe paths, of another type or a folder's README are reported, never read."""
    sources, skipped = unpacked(zip_bytes({name: b"x", "ok/a.md": b"A"}))
    assert [s.name for s in sources] == ["ok/a.md"]
    assert [(f.name, f.message) for f in skipped] == [(name, reason)]


def test_folders_in_the_zip_are_ignored():
    """Directory entries are neither sources nor skipped files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dir/", b"")
        archive.writestr("dir/a.md", b"A")
    sources, skipped = unpacked(buffer.getvalue())
    assert [s.name for s in sources] == ["dir/a.md"] and skipped == []


def test_member_over_the_size_limit_is_skipped(monkeypatch):
    """A member larger than a file may be is skipped, even if it compresses well."""
    monkeypatch.setattr(uploads, "MAX_MEMBER_BYTES", 100)
    data = zip_bytes({"big.md": b"x" * 1000}, zipfile.ZIP_DEFLATED)
    sources, skipped = unpacked(data)
    assert sources == [] and skipped[0].message == "skipped: larger than 100 bytes"


def test_total_unpacked_size_is_limited(monkeypatch):
    """A zip that unpacks to too much in all is refused as a whole."""
    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 150)
    with pytest.raises(UploadError, match="unpacks to more than"):
        unpacked(zip_bytes({f"{i}.md": b"x" * 60 for i in range(3)}, zipfile.ZIP_DEFLATED))


def test_too_many_members_is_refused(monkeypatch):
    """A zip of more files than an import takes is refused."""
    monkeypatch.setattr(uploads, "MAX_MEMBERS", 2)
    with pytest.raises(UploadError, match="holds 3 files"):
        unpack(zip_bytes({f"{i}.md": b"x" for i in range(3)}))


def test_not_a_zip_or_too_big_is_refused(monkeypatch):
    """Bytes that are not a zip, or an upload over the limit, raise UploadError."""
    with pytest.raises(UploadError, match="not a zip file"):
        unpack(b"plain text")
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(UploadError, match="over 10"):
        unpack(zip_bytes({"a.md": b"A"}))


def test_members_are_read_one_at_a_time(monkeypatch):
    """A member is read when its source is reached, so an import never holds the whole zip."""
    data = zip_bytes({"a.md": b"A", "notes.txt": b"x", "b.md": b"B"})
    opened = []
    original = zipfile.ZipFile.open

    def spy(archive, info, *args, **kwargs):
        opened.append(info.filename)
        return original(archive, info, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    sources, skipped = unpack(data)
    assert opened == []
    assert next(sources).name == "a.md"
    assert opened == ["a.md"]
    assert [source.name for source in sources] == ["b.md"]
    assert opened == ["a.md", "b.md"]
    assert [failure.name for failure in skipped] == ["notes.txt"]
