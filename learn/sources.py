"""Files to import, turned into records ready to write: pure, no database.

Runs in worker processes during large imports, so it must not touch the ORM.
"""

import hashlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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
    """A parsed and rendered file, ready to write."""

    name: str
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


def collect_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Expand files and folders (recursively, ``*.md``) into a sorted list of files.

    Raises FileNotFoundError for a path that does not exist.
    """
    found = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update(p for p in path.rglob("*.md") if p.is_file())
        elif path.is_file():
            found.add(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return sorted(found)


def skip_reason(name: str) -> str | None:
    """Why a ``.md`` file among articles is no article, or None for one to import.

    A folder's README.md documents the folder (the corpus has one); any other file
    that is not a valid article fails, as it should.
    """
    if PurePosixPath(name).name.lower() == "readme.md":
        return "skipped: a folder's README, not an article"
    return None


def select_articles(paths: Iterable[Path]) -> tuple[list[Path], list[Failure]]:
    """The files to import, and the others, each with why it is skipped."""
    articles, skipped = [], []
    for path in paths:
        reason = skip_reason(path.as_posix())
        if reason is None:
            articles.append(path)
        else:
            skipped.append(Failure(str(path), reason))
    return articles, skipped


def read_sources(paths: Iterable[Path]) -> Iterator[Source]:
    for path in paths:
        yield Source(str(path), path.read_bytes())
