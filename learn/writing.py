"""Article records back to files in the source format: pure, no database.

:func:`article_file` is the inverse of ``learn.parsing.parse_article``. Given the file
an article came from, it returns that file's bytes untouched while the record still
says what the file says; otherwise it changes only the values that differ, in place:
the other lines, the key order, each value's YAML style (plain, ``>-`` folded, quoted)
and each mapping's indentation stay as written, and keys this site does not use are
kept. Without a source file it writes one in the layout of the site's own files.

A round-trip YAML library (ruamel.yaml) was not used: it re-indents every mapping to
one width, and the source files use two (``seo`` by 2 spaces, related articles by 4).
Values are emitted by PyYAML and each file written is parsed back and compared.
"""

import datetime
import math
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, ScalarNode

from learn.decoding import encode_answer
from learn.parsing import (
    MAPPED_KEYS,
    RELATED_KEYS,
    ArticleRecord,
    ParseError,
    RelatedRecord,
    decode_text,
    front_matter_text,
    json_value,
    parse_article,
)

# The order and layout of the site's own files (see /work/shared/seed).
CANONICAL_ORDER = (
    "_schema",
    "id",
    "date",
    "title",
    "article_title",
    "date_format",
    "post_on_text",
    "seo",
    "author",
    "question",
    "answer",
    "subject",
    "file_name",
    "url",
    "score",
    *RELATED_KEYS,
    "no_index",
)
SEO_ORDER = ("title", "page_description", "page_keywords")
_FOLDED_KEYS = frozenset({"title", "article_title", "page_description", "page_keywords"})
_FOLDED_KEYS |= {"question", "answer"}
# (key indent, folded content indent) of a mapping's entries, by the mapping's key.
_LAYOUT = {None: (0, 4), "seo": (2, 4)}
_RELATED_LAYOUT = (4, 8)
_BODY = "---\n\n&nbsp;"


class WriteError(ValueError):
    """A record that the source format cannot carry as it is (said in the message)."""


@dataclass(frozen=True, slots=True)
class Written:
    """A file to write: its bytes, and whether they are the source's as they were
    ("source"), the source with edits ("edited") or a file written anew ("new")."""

    data: bytes
    outcome: str


def article_file(record: ArticleRecord, source: bytes | None = None) -> Written:
    """The file of ``record``: ``source`` itself if it says the same, else ``source``
    with the values that differ rewritten (or, with no source, a new file).

    Raises WriteError when the file written would not read back as ``record`` (an
    answer holding a backslash and "n" of its own, which the format reads as a break).
    """
    if source is not None:
        try:
            before = parse_article(source, path=record.file_name)
        except ParseError:
            source = None
        else:
            if same_article(before, record):
                return Written(source, "source")
    if source is None:
        text, outcome = _new_file(record), "new"
    else:
        text, outcome = (
            _edited_file(record, before, decode_text(source, record.file_name)),
            "edited",
        )
    data = text.encode("utf-8")
    try:
        after = parse_article(data, path=record.file_name)
    except ParseError as error:
        raise WriteError(f"the file written does not parse: {error.message}") from None
    wanted, got = _compared(record), _compared(after)
    if got != wanted:
        differing = ", ".join(name for name in wanted if got[name] != wanted[name])
        hint = " (a backslash and 'n' of its own reads back as a line break)"
        raise WriteError(
            f"the source format cannot carry its {differing} as it is"
            + (hint if got["answer"] != wanted["answer"] else "")
        )
    return Written(data, outcome)


def same_article(a: ArticleRecord, b: ArticleRecord) -> bool:
    """Whether two records are one article's content as the site stores it: the
    subject by slug (its spelling in a file may vary), keywords as topics (case and
    order aside)."""
    return _compared(a) == _compared(b)


def _compared(record: ArticleRecord) -> dict:
    return {
        "id": record.source_id,
        "url": record.url,
        "title": record.title,
        "question": record.question,
        "answer": record.answer,
        "seo": (record.seo_title, record.seo_description),
        "keywords": _topics(record.keywords),
        "author": record.author,
        "date": record.published_on,
        "date_format": record.date_format,
        "post_on_text": record.posted_on_text,
        "score": record.score,
        "no_index": record.no_index,
        "file_name": record.file_name,
        "related": record.related,
        "other keys": record.extra,
    }


def _topics(keywords) -> frozenset[str]:
    return frozenset(keyword.casefold() for keyword in keywords)


def front_matter_values(record: ArticleRecord) -> dict:
    """The front matter of ``record`` as YAML values, in the canonical key order; None
    for a key the file leaves out."""
    extra = dict(record.extra)
    seo_extra = extra.pop("seo", {})
    values = {key: extra.pop(key) for key in ("_schema",) if key in extra}
    values["id"] = record.source_id
    values["date"] = record.published_on
    values["title"] = record.title
    values["article_title"] = extra.pop("article_title", record.title)
    values["date_format"] = record.date_format
    values["post_on_text"] = record.posted_on_text
    values["seo"] = {
        "title": record.seo_title,
        "page_description": record.seo_description,
        "page_keywords": ", ".join(record.keywords),
        **seo_extra,
    }
    values["author"] = record.author
    values["question"] = record.question
    values["answer"] = encode_answer(record.answer)
    values["subject"] = record.subject_name
    values["file_name"] = record.file_name
    values["url"] = record.url
    values["score"] = record.score
    links = {link.position: link for link in record.related}
    for position, key in enumerate(RELATED_KEYS, start=1):
        link = links.get(position)
        link_extra = extra.pop(key, {})
        values[key] = None if link is None else _related_values(link, link_extra)
    values["no_index"] = True if record.no_index else None
    values.update(extra)
    return values


def _related_values(link: RelatedRecord, link_extra: dict) -> dict:
    values = {} if link.source_id is None else {"id": link.source_id}
    return {**values, "title": link.title, "subject": link.subject, "url": link.url, **link_extra}


# A new file ----------------------------------------------------------------------------


def _new_file(record: ArticleRecord) -> str:
    entries = [_entry(key, value, None) for key, value in front_matter_values(record).items()]
    return "---\n" + "".join(entry for entry in entries if entry) + _BODY


def _entry(key: str, value, parent: str | None, indent: int | None = None) -> str:
    """One ``key: value`` entry in the canonical layout of its mapping (``parent``),
    or nothing for None."""
    if value is None:
        return ""
    key_indent, content = _LAYOUT.get(parent, _RELATED_LAYOUT)
    prefix = " " * (key_indent if indent is None else indent) + _key(key)
    if isinstance(value, dict) and (key == "seo" or key in RELATED_KEYS) and parent is None:
        return f"{prefix}:\n" + "".join(_entry(name, item, key) for name, item in value.items())
    style = ">" if key in _FOLDED_KEYS else None
    return f"{prefix}: {_scalar(value, style, content)}"


def _key(key: str) -> str:
    return key if _plain_str_ok(key) else _quoted(key)


# An edited file -------------------------------------------------------------------------

# The record's fields (as _compared names them) and the top-level keys that carry them.
_SIMPLE_KEYS = {
    "id": ("id",),
    "url": ("url",),
    "question": ("question",),
    "answer": ("answer",),
    "author": ("author",),
    "date": ("date",),
    "date_format": ("date_format",),
    "post_on_text": ("post_on_text",),
    "score": ("score",),
    "no_index": ("no_index",),
    "file_name": ("file_name",),
}


def _edited_file(record: ArticleRecord, before: ArticleRecord, text: str) -> str:
    start = text.index("\n") + 1
    yaml_text = front_matter_text(text, record.file_name)
    root = yaml.compose(yaml_text, Loader=yaml.CSafeLoader)
    raw = yaml.load(yaml_text, Loader=yaml.CSafeLoader)
    wanted = _edited_values(record, before, raw)
    edits = []
    _patch(yaml_text, root, raw, wanted, None, edits)
    for begin, end, replacement in sorted(edits, key=lambda edit: edit[:2], reverse=True):
        yaml_text = yaml_text[:begin] + replacement + yaml_text[end:]
    return text[:start] + yaml_text + text[start + len(front_matter_text(text, "")) :]


def _edited_values(record: ArticleRecord, before: ArticleRecord, raw: dict) -> dict:
    """The file's values with those of the fields that changed replaced, in the file's
    key order (a new key where the canonical order puts it)."""
    old, new = _compared(before), _compared(record)
    values = front_matter_values(record)
    wanted = dict(raw)

    def take(key):
        if values.get(key) is None:
            wanted.pop(key, None)
        else:
            wanted[key] = values[key]

    for name, keys in _SIMPLE_KEYS.items():
        if old[name] != new[name]:
            for key in keys:
                take(key)
    if before.subject_slug != record.subject_slug:
        take("subject")
    if old["title"] != new["title"] and "title" in raw:
        take("title")
    if record.extra.get("article_title") != before.extra.get("article_title") or (
        old["title"] != new["title"] and "article_title" in raw
    ):
        take("article_title")
    seo = dict(raw["seo"])
    if old["seo"] != new["seo"]:
        seo["title"], seo["page_description"] = record.seo_title, record.seo_description
    if old["keywords"] != new["keywords"]:
        seo["page_keywords"] = _keywords_text(before.keywords, record.keywords, raw["seo"])
    if record.extra.get("seo") != before.extra.get("seo"):
        seo = {key: value for key, value in seo.items() if key in SEO_ORDER}
        seo.update(record.extra.get("seo", {}))
    wanted["seo"] = _ordered(seo, raw["seo"], SEO_ORDER)
    old_links = {link.position: link for link in before.related}
    new_links = {link.position: link for link in record.related}
    for position, key in enumerate(RELATED_KEYS, start=1):
        if old_links.get(position) != new_links.get(position) or record.extra.get(
            key
        ) != before.extra.get(key):
            take(key)
    for key in {*raw, *record.extra} - MAPPED_KEYS - {"seo", "article_title"}:
        if key not in record.extra:
            wanted.pop(key, None)
        elif json_value(raw.get(key)) != record.extra[key] or key not in raw:
            wanted[key] = record.extra[key]
    return _ordered(wanted, raw, CANONICAL_ORDER)


def _keywords_text(before: tuple, after: tuple, seo: dict) -> str:
    """The keywords of ``after`` as the file would write them: those it had in its
    order, new ones after them, with its separator (", " or ",")."""
    kept = _topics(after)
    names = [name for name in before if name.casefold() in kept]
    had = _topics(names)
    names += [name for name in after if name.casefold() not in had]
    text = str(seo.get("page_keywords", ""))
    separator = "," if "," in text and ", " not in text else ", "
    return separator.join(names)


def _ordered(wanted: dict, raw: dict, canonical: tuple) -> dict:
    """``wanted`` in the file's order; a key the file lacks after the last key before it
    in ``canonical`` that the file has (other new keys last)."""
    keys = [key for key in raw if key in wanted]
    for key in canonical:
        if key in wanted and key not in keys:
            before = canonical[: canonical.index(key)]
            at = max((keys.index(k) + 1 for k in before if k in keys), default=0)
            keys.insert(at, key)
    keys += [key for key in wanted if key not in keys]
    return {key: wanted[key] for key in keys}


def _patch(text: str, node: MappingNode, raw: dict, wanted: dict, parent, edits: list):
    """Edits (start, end, replacement) that make the mapping ``node`` say ``wanted``."""
    entries = {}
    indent = node.value[0][0].start_mark.column if node.value else None
    for key_node, value_node in node.value:
        key = key_node.value
        begin = key_node.start_mark.index - key_node.start_mark.column
        end = _entry_end(text, value_node)
        entries[key] = end
        if key not in wanted:
            edits.append((begin, end, ""))
            continue
        old, new = raw.get(key), wanted[key]
        if _same(old, new):
            continue
        if isinstance(value_node, MappingNode) and isinstance(new, dict):
            _patch(text, value_node, old, new, key, edits)
        elif isinstance(value_node, ScalarNode) and not isinstance(new, dict | list):
            value_end = value_node.end_mark.index
            content = _content_indent(text, value_node, parent)
            replacement = _scalar(new, value_node.style, content)
            if not text[value_node.start_mark.index : value_end].endswith("\n"):
                replacement = replacement.removesuffix("\n")
            edits.append((value_node.start_mark.index, value_end, replacement))
        else:
            edits.append((begin, end, _entry(key, new, parent, indent)))
    # A new key goes after the one before it in the wanted order.
    at = node.start_mark.index - node.start_mark.column
    for key, value in wanted.items():
        if key in entries:
            at = entries[key]
        else:
            edits.append((at, at, _entry(key, value, parent, indent)))


def _same(old, new) -> bool:
    # True == 1 and 1.0 == 1 in Python; a file's types matter.
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return list(old) == list(new) and all(_same(old[k], new[k]) for k in old)
    return old == new


def _entry_end(text: str, value_node) -> int:
    """Where the entry whose value is ``value_node`` ends: the start of the next line."""
    end = value_node.end_mark.index
    if end > 0 and text[end - 1] == "\n":
        return end
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def _content_indent(text: str, node: ScalarNode, parent) -> int:
    """The indentation of a block scalar's lines, as the file has it."""
    if node.style in (">", "|"):
        first = text.find("\n", node.start_mark.index) + 1
        line = text[first : text.find("\n", first)]
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return _LAYOUT.get(parent, _RELATED_LAYOUT)[1]


# Scalars --------------------------------------------------------------------------------


def _scalar(value, style: str | None, content_indent: int) -> str:
    """``value`` as YAML text in ``style`` where it reads back the same, ending in a
    line break: plain (None), folded (">") or quoted ("'", '"'); else double-quoted."""
    if isinstance(value, str):
        if style in (">", "|") and _folded_ok(value):
            return f">-\n{' ' * content_indent}{value}\n"
        if not style and _plain_str_ok(value):
            return f"{value}\n"
        return f"{_quoted(value, style if style in ("'", '"') else '"')}\n"
    if isinstance(value, bool):
        return f"{value}\n"
    if isinstance(value, float) and math.isfinite(value):
        return f"{value!r}\n" if "." in repr(value) else f"{_dumped(value)}\n"
    if isinstance(value, int | datetime.date):
        return f"{value if isinstance(value, int) else value.isoformat()}\n"
    return f"{_dumped(value)}\n"


def _folded_ok(value: str) -> bool:
    if not value or "\n" in value or value[0] in " \t" or value != value.rstrip(" \t"):
        return False
    return _reads_back(f"k: >-\n    {value}\n", value)


def _plain_str_ok(value: str) -> bool:
    if not value or "\n" in value or value != value.strip():
        return False
    return _reads_back(f"k: {value}\n", value)


def _reads_back(text: str, value) -> bool:
    try:
        loaded = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and list(loaded) == ["k"] and _same(loaded["k"], value)


def _quoted(value: str, style: str = '"') -> str:
    return yaml.safe_dump(
        value, default_style=style, allow_unicode=True, width=math.inf
    ).removesuffix("\n")


def _dumped(value) -> str:
    return (
        yaml.safe_dump(value, allow_unicode=True, width=math.inf, default_flow_style=True)
        .removesuffix("\n")
        .removesuffix("\n...")
    )
