"""Files to import, turned into records ready to write: pure, no database.

Runs in worker processes during large imports, so it must not touch the ORM.
"""

import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from learn.parsing import ArticleRecord, ParseError, parse_article
from learn.rendering import RenderedAnswer, render


@dataclass(frozen=True, slots=True)
class Source:
    """One file to import: a name to report it by, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Failure:
    """A file that could not be imported, and why."""

    name: str
    message: str
    line: int | None = None

    def __str__(self):
        where = f"{self.name}:{self.line}" if self.line else self.name
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A parsed and rendered file, ready to write, with its bytes (the article's source)."""

    name: str
    data: bytes
    content_hash: str
    record: ArticleRecord
    rendered: RenderedAnswer


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(source: Source) -> Prepared | Failure:
    """Parse and render one file; bad content gives a Failure, never an exception."""
    try:
        record = parse_article(source.data, path=source.name)
    except ParseError as error:
        return Failure(source.name, error.message, error.line)
    return Prepared(
        name=source.name,
        data=source.data,
        content_hash=content_hash(source.data),
        record=record,
        rendered=render(record.answer),
    )


def exit_with_parent(parent: int, every: float = 0.5):
    """Make this worker process exit once ``parent`` has, however it ended.

    A killed importer (kill -9, a timeout) closes nothing a blocked worker would
    notice, so a thread watches for the worker being handed to another parent.
    """
    if os.getppid() != parent:
        os._exit(1)

    def watch():
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def import_roots(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files and folders to import from, sorted, each once: a path inside another
    one given is dropped, as its files are found through that one.

    Raises FileNotFoundError for a path that does not exist.
    """
    roots = set()
    for raw in paths:
        path = Path(raw)
        if not (path.is_dir() or path.is_file()):
            raise FileNotFoundError(f"{path}: no such file or folder")
        roots.add(path)
    # Each root's parents looked up in a set: thousands of files may be named one by one.
    folders = {root.resolve() for root in roots if root.is_dir()}
    return sorted(root for root in roots if not any(p in folders for p in root.resolve().parents))


def walk_files(roots: Iterable[Path]) -> Iterator[str]:
    """Each file of the roots (a folder: its ``*.md``, recursively), in sorted order.

    One at a time, from the file system: a run never holds a million names.
    """
    for root in roots:
        if root.is_dir():
            yield from _walk_folder(str(root))
        else:
            yield str(root)


def _walk_folder(folder: str) -> Iterator[str]:
    # Names in order, a folder's files where its name sorts: the order of sorted paths.
    with os.scandir(folder) as entries:
        entries = sorted(entries, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_folder(entry.path)
        elif entry.name.endswith(".md") and entry.is_file():
            yield entry.path


def skip_reason(name: str) -> str | None:
    """Why a ``.md`` file among articles is no article, or None for one to import.

    A folder's README.md documents the folder (the corpus has one); any other file
    that is not a valid article fails, as it should.
    """
    if os.path.basename(name).lower() == "readme.md":
        return "skipped: a folder's README, not an article"
    return None


def survey(roots: Iterable[Path]) -> tuple[int, list[Failure]]:
    """How many files of the roots to import, and the others, each with why it is skipped."""
    count, skipped = 0, []
    for name in walk_files(roots):
        reason = skip_reason(name)
        if reason is None:
            count += 1
        else:
            skipped.append(Failure(name, reason))
    return count, skipped


def read_sources(roots: Iterable[Path]) -> Iterator[Source]:
    """The files of the roots to import, read one at a time as the import needs them."""
    for name in walk_files(roots):
        if skip_reason(name) is None:
            with open(name, "rb") as file:
                yield Source(name, file.read())
