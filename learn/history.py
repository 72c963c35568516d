"""Articles' history: every change recorded as a revision, and two revisions compared.

Revisions are django-reversion's: a ``Revision`` (who, when, a comment) holding a
``Version`` of each article it changed and of each of their related links, serialised
by Django's own serialiser, with a :class:`~learn.models.RevisionOrigin` saying through
what (the admin, an import run, an editorial action, a restore). The services write
them with :func:`record`, after their write and in their transaction, for any number of
articles at once: a revision and its versions are a few bulk inserts a chunk of
``CHUNK_SIZE`` articles, so an import records its thousands of articles as it writes
them. Topics are in the article's version as ``keywords`` (the text every writer
derives from the tags, ``learn.keywords``). Restoring one is an editorial action
(``learn.editorial.article_restore``).
"""

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import batched

from django.contrib.contenttypes.models import ContentType
from django.db import connection, router
from django.utils import timezone
from django.utils.text import capfirst
from reversion import is_registered, register
from reversion.models import Revision, Version

from learn.keywords import parse_keywords
from learn.models import Article, RelatedLink, RevisionOrigin, Subject

CHUNK_SIZE = 500

# An article as a revision keeps it: what editors and imports write. Derived fields
# (answer_html, has_code, search_vector) follow from these; content_hash is the
# source file's, which a restore leaves alone.
ARTICLE_FIELDS = (
    "subject",
    "slug",
    "question",
    "title",
    "answer",
    "seo_title",
    "seo_description",
    "keywords",
    "no_index",
    "status",
    "published_on",
    "published_time",
    "author",
    "date_format",
    "posted_on_text",
    "source_id",
    "source_file",
    "score",
    "extra",
    "updated_at",
)
# What a restore writes back: everything kept but the date of the change.
RESTORED_FIELDS = tuple(name for name in ARTICLE_FIELDS if name != "updated_at")
LINK_FIELDS = (
    "article",
    "position",
    "target_source_id",
    "target_title",
    "target_subject",
    "target_url",
    "target",
)

# Registered so that a Version reads back (Version.field_dict); reversion's signals
# act only inside its create_revision() blocks, which nothing here opens: record() is
# the one writer of revisions.
if not is_registered(Article):
    register(Article, fields=ARTICLE_FIELDS, follow=["related_links"])
    register(RelatedLink, fields=LINK_FIELDS)


def record(
    article_ids: Iterable[int],
    *,
    via: str,
    user=None,
    comment: str = "",
    restored_from: Revision | None = None,
) -> list[int]:
    """Record the articles as they are now (with their related links) as revisions, one a
    chunk of CHUNK_SIZE articles; returns the revisions' ids.

    Call it after the write, in the writer's transaction: a rolled-back write leaves
    no revision.
    """
    article_type = ContentType.objects.get_for_model(Article)
    link_type = ContentType.objects.get_for_model(RelatedLink)
    db = router.db_for_write(Article)
    now = timezone.now()
    revisions = []
    for ids in batched(article_ids, CHUNK_SIZE):
        revision = Revision.objects.create(date_created=now, user=user, comment=comment)
        # Serialised by the database, in one INSERT ... SELECT a model: no row of an
        # import's chunk is read into Python (str(article) is its question; str(link)
        # "<article id> → <target url>", which snapshot() filters on).
        article_repr = _quote("question")
        if not _insert_versions(
            revision.pk, article_type.pk, db, Article, ARTICLE_FIELDS, ids, "pk", article_repr
        ):
            revision.delete()
            continue
        link_repr = _concat(_cast_text("article_id"), "' → '", _quote("target_url"))
        _insert_versions(
            revision.pk, link_type.pk, db, RelatedLink, LINK_FIELDS, ids, "article", link_repr
        )
        RevisionOrigin.objects.create(revision=revision, via=via, restored_from=restored_from)
        revisions.append(revision.pk)
    return revisions


_VERSION_COLUMNS = (
    "revision_id",
    "object_id",
    "content_type_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
)


def _insert_versions(revision_id, content_type_id, db, model, fields, ids, by, object_repr) -> int:
    """INSERT the versions of ``model``'s rows whose field ``by`` is in ``ids``, with
    ``object_repr`` (an SQL expression) as their str(), each serialised as reversion's
    add_to_revision() serialises an instance: Django's JSON serialiser, one object a
    version in a list (values as they are, JSON
    documents as objects, dates and times in ISO 8601 as DjangoJSONEncoder writes them).
    Returns how many rows were inserted."""
    meta = model._meta
    by_column = meta.pk.column if by == "pk" else meta.get_field(by).column
    pairs = []
    for name in fields:
        field = meta.get_field(name)
        pairs += [f"'{name}'", _json_value(field)]
    document = _json_array(
        _json_object(
            [
                "'model'",
                f"'{meta.label_lower}'",
                "'pk'",
                _quote(meta.pk.column),
                "'fields'",
                _json_object(pairs),
            ]
        )
    )
    columns = ", ".join(_quote(name) for name in _VERSION_COLUMNS)
    sql = (
        f"INSERT INTO {_quote(Version._meta.db_table)} ({columns}) "
        f"SELECT %s, {_cast_text(meta.pk.column)}, %s, %s, 'json', {document}, "
        f"{object_repr} "
        f"FROM {_quote(meta.db_table)} "
        f"WHERE {_quote(by_column)} IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [revision_id, content_type_id, db, *ids])
        return cursor.rowcount


def _quote(column):
    return connection.ops.quote_name(column)


def _postgres():
    return connection.vendor == "postgresql"


def _cast_text(column):
    return f"CAST({_quote(column)} AS TEXT)"


def _concat(*parts):
    return " || ".join(parts)


def _json_object(parts):
    return f"{'json_build_object' if _postgres() else 'json_object'}({', '.join(parts)})"


def _json_array(item):
    return f"{'json_build_array' if _postgres() else 'json_array'}({item})"


def _json_value(field):
    """The column as Django's serialiser writes the field's value in JSON."""
    column = _quote(field.column)
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        # DjangoJSONEncoder: milliseconds (cut, not rounded), UTC as "Z".
        if _postgres():
            utc = f"date_trunc('milliseconds', {column} AT TIME ZONE 'UTC')"
            return f"""to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""
        # Stored as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return f"substr({column}, 1, 10) || 'T' || substr({column}, 12, 12) || 'Z'"
    if kind == "TimeField":
        # DjangoJSONEncoder: "HH:MM:SS", or with milliseconds (cut) when it has any
        # fraction of a second; SQLite stores the time's isoformat().
        if _postgres():
            return (
                f"CASE WHEN to_char({column}, 'US') = '000000' THEN to_char({column}, "
                f"'HH24:MI:SS') ELSE to_char({column}, 'HH24:MI:SS.MS') END"
            )
        return f"substr({column}, 1, 12)"
    if _postgres():
        return f"to_char({column}, 'YYYY-MM-DD')" if kind == "DateField" else column
    if kind == "BooleanField":
        return f"CASE WHEN {column} THEN json('true') ELSE json('false') END"
    if kind == "JSONField":
        return f"json({column})"
    return column


def attribute_to_run(revision_ids: list[int], run) -> None:
    """Name the import run (and its user) that made an import's revisions."""
    RevisionOrigin.objects.filter(revision__in=revision_ids).update(import_run=run)
    Revision.objects.filter(pk__in=revision_ids).update(
        user=run.user, comment=f"Imported by import run {run.pk}."
    )


def versions_of(article_id: int):
    """An article's versions, newest first, with their revisions' user and origin."""
    return (
        Version.objects.get_for_object_reference(Article, article_id)
        .select_related("revision__user", "revision__origin__import_run")
        .order_by("-pk")
    )


def latest_version_id(article_id: int) -> int | None:
    """The id of the article's latest version: the token of "the article as I saw it"."""
    return (
        Version.objects.get_for_object_reference(Article, article_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


@dataclass
class Snapshot:
    """An article as one of its versions kept it: field values by attribute name, and
    its related links' values in order."""

    version: Version | None
    fields: dict
    links: list[dict] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return parse_keywords(self.fields.get("keywords", ""))


def snapshot(version: Version) -> Snapshot:
    """The article and its related links as ``version`` kept them."""
    link_versions = Version.objects.filter(
        revision_id=version.revision_id,
        content_type=ContentType.objects.get_for_model(RelatedLink),
        # RelatedLink.__str__ starts with the article's id: only this article's links.
        object_repr__startswith=f"{version.object_id} → ",
    )
    links = sorted((v.field_dict for v in link_versions), key=lambda link: link["position"])
    return Snapshot(version, dict(version.field_dict), links)


EMPTY = Snapshot(None, {})


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new


@dataclass
class LineRow:
    """A row of the answer's side-by-side diff: ``kind`` is equal, replace, delete,
    insert, or skip (unchanged lines left out)."""

    kind: str
    old_number: int | None = None
    old: str = ""
    new_number: int | None = None
    new: str = ""


@dataclass
class Comparison:
    old: Snapshot
    new: Snapshot
    fields: list[FieldChange]
    answer: list[LineRow]

    @property
    def changed_fields(self):
        return [change for change in self.fields if change.changed]


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """What changed from ``old`` to ``new``: each field side by side, and the answer's
    Markdown line by line (difflib)."""
    subjects = dict(
        Subject.objects.filter(
            pk__in={s.fields.get("subject_id") for s in (old, new)} - {None}
        ).values_list("pk", "name")
    )
    fields = []
    for name in ARTICLE_FIELDS:
        # The answer has its own diff; keywords are the topics, listed below.
        if name in {"answer", "keywords"}:
            continue
        model_field = Article._meta.get_field(name)
        fields.append(
            FieldChange(
                capfirst(model_field.verbose_name),
                _show(old, model_field, subjects),
                _show(new, model_field, subjects),
            )
        )
    fields.append(FieldChange("Topics", ", ".join(old.topics), ", ".join(new.topics)))
    fields.append(FieldChange("Related links", _links(old), _links(new)))
    return Comparison(
        old, new, fields, answer_rows(old.fields.get("answer", ""), new.fields.get("answer", ""))
    )


def _show(snap: Snapshot, model_field, subjects) -> str:
    if not snap.fields:
        return ""
    value = snap.fields.get(model_field.attname)
    if model_field.name == "subject":
        return subjects.get(value, f"(deleted subject {value})")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def _links(snap: Snapshot) -> str:
    return "\n".join(
        f"{link['position']}. {link['target_title']} → {link['target_url']}" for link in snap.links
    )


def answer_rows(old: str, new: str, context: int = 3) -> list[LineRow]:
    """The two answers side by side, changed lines with ``context`` lines around them."""
    a, b = old.splitlines(), new.splitlines()
    if a == b:
        return []
    rows = []
    groups = list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context))
    for index, group in enumerate(groups):
        if index or group[0][1] > 0:
            rows.append(LineRow("skip"))
        for tag, i1, i2, j1, j2 in group:
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                rows.append(
                    LineRow(
                        tag,
                        i + 1 if i < i2 else None,
                        a[i] if i < i2 else "",
                        j + 1 if j < j2 else None,
                        b[j] if j < j2 else "",
                    )
                )
    if groups and groups[-1][-1][2] < len(a):
        rows.append(LineRow("skip"))
    return rows
