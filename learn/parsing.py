"""Article files (YAML front matter) to validated records: pure, no database.

A file is a ``---`` line, YAML front matter, a closing ``---`` line and a body that is
always ``&nbsp;`` (ignored). :func:`parse_article` checks every key it maps and raises
:class:`ParseError` naming the file and line; keys it does not map are kept in ``extra``.
"""

import codecs
import datetime
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.text import slugify
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError
from yaml.resolver import Resolver

from learn.decoding import decode_answer
from learn.keywords import parse_keywords
from learn.paths import ARTICLE, check_slug, parse_article_path

DEFAULT_DATE_FORMAT = "MMM DD, YYYY"
DEFAULT_POSTED_ON_TEXT = "Posted on"
RELATED_KEYS = tuple(f"related_article{position}" for position in range(1, 6))

MAPPED_KEYS = frozenset(
    {
        "id",
        "date",
        "title",
        "article_title",
        "question",
        "answer",
        "subject",
        "url",
        "seo",
        "author",
        "date_format",
        "post_on_text",
        "file_name",
        "score",
        "no_index",
        *RELATED_KEYS,
    }
)
_SEO_KEYS = frozenset({"title", "page_description", "page_keywords"})
_RELATED_FIELDS = frozenset({"id", "title", "subject", "url"})

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RESOLVER = Resolver()
# The front matter starts on the file's second line; libyaml counts lines from 0.
_FIRST_YAML_LINE = 2
_MAX_DEPTH = 20
# Real answers stay under 8 KB; Markdown's link and math rules cost more than linear time
# on hostile runs (a million "["), so a bound here keeps every render short.
MAX_ANSWER_CHARS = 16_384
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:bool": SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:float": SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:int": SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:null": SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": SafeConstructor.construct_yaml_timestamp,
}
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or", "the", "to"}
)


class ParseError(ValueError):
    """A file that is not a valid article: ``str()`` gives ``path:line: message``."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = path
        self.line = line
        self.message = message
        where = path if line is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Imports parse in worker processes; the default pickling would pass only str().
        return type(self), (self.path, self.line, self.message)


@dataclass(frozen=True, slots=True)
class RelatedRecord:
    """One ``related_articleN`` link as written; resolving it is the importer's job."""

    position: int
    source_id: int | None
    title: str
    subject: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """A validated article: the mapped front-matter keys, and every other key in ``extra``."""

    source_id: int
    url: str
    subject_name: str
    subject_slug: str
    slug: str
    title: str
    question: str
    answer: str
    seo_title: str
    seo_description: str
    keywords: tuple[str, ...]
    author: str
    published_on: datetime.date
    date_format: str
    posted_on_text: str
    score: float | None
    no_index: bool
    file_name: str
    related: tuple[RelatedRecord, ...]
    extra: dict[str, Any] = field(hash=False)


def parse_article(
    data: bytes, *, path: str = "<string>", max_bytes: int = 1_048_576
) -> ArticleRecord:
    """Validate one article file and return its record; raise ParseError naming path and line."""
    if len(data) > max_bytes:
        raise ParseError(path, None, f"file is {len(data)} bytes, over the limit of {max_bytes}")
    text = decode_text(data, path)
    front_matter = front_matter_text(text, path)
    return _record(_FrontMatterLoader(front_matter, path).load(), path)


def check_text(value: str) -> str:
    """The value stripped; raise ValueError if nothing is left (title, question, answer)."""
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def check_answer(value: str) -> str:
    """The answer, non-empty and within MAX_ANSWER_CHARS; raise ValueError if not."""
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > MAX_ANSWER_CHARS:
        raise ValueError(f"is {len(value)} characters long, over the limit of {MAX_ANSWER_CHARS}")
    return value


def single_line(name: str) -> str:
    """A subject name as the importer stores it: runs of whitespace become one space."""
    return " ".join(name.split())


@functools.lru_cache(maxsize=256)
def subject_slug(name: str) -> str:
    """The URL segment of a subject: every spelling of one name gives the same slug."""
    return slugify(name)


def well_cased_subject_name(name: str) -> str:
    """The display name for a new subject: words capitalised, small words and acronyms kept.

    ``"history of the world"`` gives ``"History of the World"``; a word with a capital
    after its first letter (``AI``, ``iOS``) is kept as written.
    """
    words = []
    for index, word in enumerate(name.split()):
        if any(char.isupper() for char in word[1:]):
            words.append(word)
        elif index and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)


@functools.lru_cache(maxsize=1024)
def _plain_scalar_tag(value: str) -> str:
    """YAML 1.1's type for an unquoted scalar; cached, since most are keys that repeat."""
    return _RESOLVER.resolve(ScalarNode, value, (True, False))


def decode_text(data: bytes, path: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(path, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x})") from None
    return text.replace("\r\n", "\n")


def front_matter_text(text: str, path: str) -> str:
    """The YAML between the opening and closing ``---`` lines, which starts on line 2."""
    first_end = text.find("\n")
    first_line = text if first_end == -1 else text[:first_end]
    if first_line.rstrip(" \t") != "---":
        raise ParseError(path, 1, "no front matter: the file must start with a '---' line")
    if first_end != -1:
        end = first_end
        while (end := text.find("\n---", end)) != -1:
            line_end = text.find("\n", end + 4)
            rest = text[end + 4 :] if line_end == -1 else text[end + 4 : line_end]
            if not rest.strip(" \t"):
                return text[first_end + 1 : end + 1]
            end += 4
    raise ParseError(path, 1, "front matter is not closed: no '---' line after this one")


class _Mapping(dict):
    """A YAML mapping that remembers the file line of each key, for error messages."""

    __slots__ = ("lines",)

    def __init__(self):
        super().__init__()
        self.lines = {}


class _FrontMatterLoader(yaml.CSafeLoader):
    """Build plain data from libyaml's events, refusing what an article never needs.

    Working from events rather than composed nodes is what lets it see anchors and tags
    (explicit ``!!str`` included) and report duplicate keys with their lines.
    """

    def __init__(self, text: str, path: str):
        super().__init__(text)
        self.text = text
        self.path = path

    def load(self) -> _Mapping:
        try:
            self.get_event()
            if not isinstance(self.get_event(), DocumentStartEvent):
                raise ParseError(self.path, _FIRST_YAML_LINE, "front matter is empty")
            root = self.build(self.get_event(), 0)
            self.get_event()
            extra_document = self.get_event()
            if not isinstance(extra_document, StreamEndEvent):
                raise self.error(extra_document, "front matter holds more than one YAML document")
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = None if mark is None else mark.line + _FIRST_YAML_LINE
            context = ""
            if error.context and error.context_mark:
                context = (
                    f" ({error.context} at line {error.context_mark.line + _FIRST_YAML_LINE})"
                )
            raise ParseError(self.path, line, f"invalid YAML: {error.problem}{context}") from None
        except ReaderError as error:
            # libyaml reports the offset in the UTF-8 encoding of the text.
            line = self.text.encode()[: error.position].count(b"\n") + _FIRST_YAML_LINE
            raise ParseError(self.path, line, f"invalid YAML: {error.reason}") from None
        finally:
            self.dispose()
        if not isinstance(root, _Mapping):
            raise ParseError(
                self.path, _FIRST_YAML_LINE, f"front matter must be a mapping, got {_show(root)}"
            )
        return root

    def error(self, event, message: str) -> ParseError:
        return ParseError(self.path, event.start_mark.line + _FIRST_YAML_LINE, message)

    def build(self, event, depth: int):
        if isinstance(event, AliasEvent):
            raise self.error(event, f"YAML aliases are not allowed (*{event.anchor})")
        if event.anchor is not None:
            raise self.error(event, f"YAML anchors are not allowed (&{event.anchor})")
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.error(event, f"YAML tags are not allowed ({tag})")
        if isinstance(event, ScalarEvent):
            return self.build_scalar(event)
        if depth == _MAX_DEPTH:
            raise self.error(event, f"front matter nests deeper than {_MAX_DEPTH} levels")
        if isinstance(event, MappingStartEvent):
            return self.build_mapping(depth + 1)
        items = []
        while not isinstance(item := self.get_event(), SequenceEndEvent):
            items.append(self.build(item, depth + 1))
        return items

    def build_scalar(self, event):
        if not event.implicit[0]:
            return event.value  # quoted and block scalars are always strings
        tag = _plain_scalar_tag(event.value)
        if tag == "tag:yaml.org,2002:str":
            return event.value
        builder = _SCALAR_BUILDERS.get(tag)
        if builder is None:
            raise self.error(event, f"{event.value!r} has a special meaning in YAML: quote it")
        try:
            return builder(self, ScalarNode(tag, event.value))
        except ValueError as error:
            raise self.error(event, f"cannot read {event.value!r}: {error}") from None

    def build_mapping(self, depth: int) -> _Mapping:
        mapping = _Mapping()
        while not isinstance(key_event := self.get_event(), MappingEndEvent):
            key = self.build(key_event, depth)
            if not isinstance(key, str):
                raise self.error(key_event, f"keys must be strings, got {_show(key)}")
            line = key_event.start_mark.line + _FIRST_YAML_LINE
            if key in mapping:
                raise ParseError(
                    self.path,
                    line,
                    f"duplicate key {key!r} (first on line {mapping.lines[key]})",
                )
            mapping.lines[key] = line
            mapping[key] = self.build(self.get_event(), depth)
        return mapping


class _Keys:
    """Typed reads from one front-matter mapping; errors name the key and its line."""

    def __init__(self, mapping: _Mapping, path: str, *, name: str = "", line: int | None = None):
        self.mapping = mapping
        self.path = path
        self.prefix = f"{name}." if name else ""
        self.line = line

    def error(self, key: str, message: str) -> ParseError:
        return ParseError(self.path, self.mapping.lines[key], f"'{self.prefix}{key}' {message}")

    def get(self, key: str):
        if key not in self.mapping:
            raise ParseError(self.path, self.line, f"missing required key '{self.prefix}{key}'")
        return self.mapping[key]

    def text(self, key: str, default: str | None = None) -> str:
        if default is not None and self.mapping.get(key) is None:
            return default
        value = self.get(key)
        if not isinstance(value, str):
            raise self.error(key, f"must be a string, got {_show(value)}")
        return value

    def nonempty_text(self, key: str) -> str:
        value = self.text(key)
        try:
            return check_text(value)
        except ValueError as error:
            raise self.error(key, str(error)) from None

    def integer(self, key: str) -> int:
        value = self.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, f"must be an integer, got {_show(value)}")
        return value

    def optional_integer(self, key: str) -> int | None:
        return None if self.mapping.get(key) is None else self.integer(key)

    def date(self, key: str) -> datetime.date:
        value = self.get(key)
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError as error:
                raise self.error(key, f"is not a valid date: {error}") from None
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise self.error(key, f"must be a date (YYYY-MM-DD), got {_show(value)}")
        return value

    def score(self, key: str) -> float | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, got {_show(value)}")
        if not math.isfinite(value):
            raise self.error(key, f"must be a finite number, got {value}")
        return float(value)

    def flag(self, key: str) -> bool:
        value = self.mapping.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_show(value)}")
        return value

    def mapping_at(self, key: str) -> "_Keys":
        value = self.get(key)
        if not isinstance(value, _Mapping):
            raise self.error(key, f"must be a mapping, got {_show(value)}")
        return _Keys(value, self.path, name=self.prefix + key, line=self.mapping.lines[key])

    def url(self, key: str) -> tuple[str, str, str]:
        """The URL with its subject segment and slug, checked for shape."""
        value = self.text(key)
        found = parse_article_path(value)
        if found is None:
            shape = ARTICLE.build(subject="<subject>", slug="<slug>")
            raise self.error(key, f"must look like {shape}, got {value!r}")
        subject, slug = found
        try:
            check_slug(slug)
        except ValueError as error:
            raise self.error(key, f"has {error}") from None
        return value, subject, slug

    def unmapped(self, known: frozenset[str]) -> dict[str, Any]:
        return {key: json_value(value) for key, value in self.mapping.items() if key not in known}


def _record(front_matter: _Mapping, path: str) -> ArticleRecord:
    keys = _Keys(front_matter, path)
    source_id = keys.integer("id")
    published_on = keys.date("date")
    title = keys.nonempty_text("title")
    question = keys.nonempty_text("question")
    raw_answer = keys.text("answer")
    try:
        check_answer(raw_answer)
    except ValueError as error:
        raise keys.error("answer", str(error)) from None
    subject_name = single_line(keys.nonempty_text("subject"))
    slug_of_subject = subject_slug(subject_name)
    if not slug_of_subject:
        raise keys.error("subject", f"must contain letters or digits, got {subject_name!r}")
    url, url_subject, slug = keys.url("url")
    if url_subject != slug_of_subject:
        raise keys.error(
            "url",
            f"subject segment {url_subject!r} does not match subject {subject_name!r} "
            f"(expected {slug_of_subject!r})",
        )
    seo = keys.mapping_at("seo")
    seo_title = seo.text("title").strip()
    seo_description = seo.text("page_description").strip()
    keywords = tuple(parse_keywords(seo.text("page_keywords")))

    extra = keys.unmapped(MAPPED_KEYS)
    if "article_title" in front_matter:
        article_title = keys.text("article_title").strip()
        if article_title != title:
            extra["article_title"] = article_title
    if seo_extra := seo.unmapped(_SEO_KEYS):
        extra["seo"] = seo_extra
    related = []
    for position, key in enumerate(RELATED_KEYS, start=1):
        if front_matter.get(key) is None:
            continue
        link = keys.mapping_at(key)
        related.append(
            RelatedRecord(
                position=position,
                source_id=link.optional_integer("id"),
                title=link.nonempty_text("title"),
                subject=single_line(link.nonempty_text("subject")),
                url=link.url("url")[0],
            )
        )
        if link_extra := link.unmapped(_RELATED_FIELDS):
            extra[key] = link_extra

    return ArticleRecord(
        source_id=source_id,
        url=url,
        subject_name=subject_name,
        subject_slug=slug_of_subject,
        slug=slug,
        title=title,
        question=question,
        answer=decode_answer(raw_answer),
        seo_title=seo_title,
        seo_description=seo_description,
        keywords=keywords,
        author=keys.text("author").strip(),
        published_on=published_on,
        date_format=keys.text("date_format", DEFAULT_DATE_FORMAT),
        posted_on_text=keys.text("post_on_text", DEFAULT_POSTED_ON_TEXT),
        score=keys.score("score"),
        no_index=keys.flag("no_index"),
        file_name=keys.text("file_name").strip(),
        related=tuple(related),
        extra=extra,
    )


def json_value(value):
    """A copy of a front-matter value that JSON can store: dates become ISO strings."""
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_value(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _show(value) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
