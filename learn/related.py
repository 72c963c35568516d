"""Related articles: the curated links first, then the articles sharing most topics.

The computed ones are stored (``RelatedArticle``) when content changes, not computed on
each view: :func:`refresh_related` is called by every writer that changes what makes
articles related (topics, subject, status), with the articles it wrote. It recomputes
those articles' own lists, and touches others only where a written article enters or
leaves their lists, a bounded number of them:

- an article whose list gains a written article (it shares more topics than the
  list's last entry) gets it merged in from the stored scores, with no recomputation;
- an article whose list loses one, or holds it at a lower score, is recomputed;
- both are capped per written article (MAX_MERGED, MAX_RECOMPUTED), the best-scored first.

Candidates are bounded too: of a topic, only its newest CANDIDATES_PER_TOPIC articles
(read from an index on the tagged items, migration 0017), so a change costs the same
whether a topic it touches has a hundred articles or a hundred thousand. An older
article of a large topic is still a candidate through the smaller topics it shares,
scored by the topics in whose newest it is (a large topic, like a common word, says
little).

Only articles sharing a topic are stored. A page with fewer than five is filled with the
newest of its subject when it is rendered (one indexed query): stored, that top-up would
go stale with every new article of the subject, or rewrite every list of the subject.

Score: two points per shared topic, plus one for the same subject, so a shared topic
outweighs the subject and the subject breaks ties; newest first among equals.
"""

from collections import defaultdict
from itertools import batched

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection
from taggit.models import TaggedItem

from learn.bulk import insert_rows
from learn.models import (
    Article,
    RelatedArticle,
    card,
    card_columns,
    moment_slots,
    published_q,
    reading_moment,
)
from learn.statements import Statement

RELATED_LIMIT = 5
# Kept per article: curated links take up to five places, and five must remain.
STORED = 2 * RELATED_LIMIT
MAX_MERGED = 50
MAX_RECOMPUTED = 10
CANDIDATES_PER_TOPIC = 300
_BATCH = 2000
# Tags a statement of _newest_tagged (a UNION ALL of one part a tag: SQLite allows 500).
_TAGS_A_STATEMENT = 200


def related_articles(article, curated: list[Article]) -> list[Article]:
    """The curated related articles, filled up to RELATED_LIMIT with the stored ones that
    readers may see (one indexed query, none with five curated), then with the newest of
    the same subject (one more, only when those are too few)."""
    missing = RELATED_LIMIT - len(curated)
    if missing <= 0:
        return curated
    skip = {article.pk, *(a.pk for a in curated)}
    # From the stored rows by (article, rank), joined to their targets; an unsaved
    # article (the admin's preview of a new one) has none yet.
    rows = _STORED.rows(article=article.pk, **reading_moment()) if article.pk else []
    found = _cards(rows, skip, missing)
    if len(found) < missing:
        skip |= {a.pk for a in found}
        newest = _NEWEST.rows(subject=article.subject_id, **reading_moment())
        found += _cards(newest, skip, missing - len(found))
    return [*curated, *found]


def _cards(rows, skip: set[int], limit: int) -> list[Article]:
    """The cards of the first ``limit`` rows (of card_columns()) not in ``skip``: a card is
    made only for a row that is shown."""
    shown = [row for row in rows if row[_ID] not in skip][:limit]
    return [card(row, DEFAULT_DB_ALIAS) for row in shown]


def _stored(*, article, today, time):
    return (
        RelatedArticle.objects.filter(
            published_q("target__", today=today, time=time), article_id=article
        )
        .order_by("rank")
        .values_list(*card_columns("target__"))
    )


# The stored list of an article, its targets that readers may see (at most STORED).
_STORED = Statement(
    _stored,
    article=RelatedArticle._meta.get_field("article"),
    **moment_slots(),
)


def _newest(*, subject, today, time):
    # Enough for any top-up: the article, its curated links and the stored ones found
    # are at most RELATED_LIMIT + 1 of them, the rest fill its places.
    return (
        Article.objects.filter(published_q(today=today, time=time), subject_id=subject)
        .order_by("-published_on", "-id")
        .values_list(*card_columns())[: RELATED_LIMIT + 1]
    )


# The newest of a subject, to top a short list up.
_NEWEST = Statement(
    _newest,
    subject=Article._meta.get_field("subject"),
    **moment_slots(),
)
# Where a card's row holds the article's id.
_ID = card_columns().index("id")


def _key(entry):
    score, published_on, pk = entry
    return (score, published_on, pk)


class _Scores:
    """What the lists of some articles are made from: their topics, the articles sharing
    them, and the published candidates' subjects and dates."""

    def __init__(self, ids):
        self.ids = set(ids)
        self.content_type = ContentType.objects.get_for_model(Article)
        self.subjects = dict(
            Article.objects.filter(pk__in=self.ids).values_list("pk", "subject_id")
        )
        self.ids &= self.subjects.keys()
        tags_of = defaultdict(set)
        for ids in batched(self.ids, _BATCH):
            for object_id, tag_id in TaggedItem.objects.filter(
                content_type=self.content_type, object_id__in=ids
            ).values_list("object_id", "tag_id"):
                tags_of[object_id].add(tag_id)
        articles_of = defaultdict(list)
        all_tags = set().union(*tags_of.values()) if tags_of else set()
        for tags in batched(sorted(all_tags), _TAGS_A_STATEMENT):
            for tag_id, object_id in _newest_tagged(self.content_type.pk, tags):
                articles_of[tag_id].append(object_id)
        # shared[x][y]: how many topics x and y share.
        self.shared = {}
        for x in self.ids:
            counts = defaultdict(int)
            for tag_id in tags_of.get(x, ()):
                for y in articles_of[tag_id]:
                    if y != x:
                        counts[y] += 1
            self.shared[x] = counts
        candidates = set().union(*(c.keys() for c in self.shared.values())) | self.ids
        # pk -> (subject_id, published_on) of every published candidate.
        self.live = {}
        for ids in batched(candidates, _BATCH):
            for pk, subject_id, published_on in (
                Article.objects.published()
                .filter(pk__in=ids)
                .values_list("pk", "subject_id", "published_on")
            ):
                self.live[pk] = (subject_id, published_on)

    def score(self, x, y) -> int:
        """y's score in x's list (the same as x's in y's)."""
        same = self.subjects.get(x, self.live.get(x, (None,))[0]) == self.live[y][0]
        return 2 * self.shared.get(x, {}).get(y, 0) + same

    def entries(self, x) -> list[tuple[int, object, int]]:
        """x's best STORED as (score, published_on, pk), best first."""
        found = {
            y: (self.score(x, y), self.live[y][1], y) for y in self.shared[x] if y in self.live
        }
        return sorted(found.values(), key=_key, reverse=True)[:STORED]


def _newest_tagged(content_type_id: int, tag_ids) -> list[tuple[int, int]]:
    """(tag id, article id) for the newest CANDIDATES_PER_TOPIC articles of each tag, in
    one statement whose every part reads one tag's newest entries from the index on
    (tag, content type, object), however many articles the tag has.

    PostgreSQL joins the tags' array to that read (LATERAL): a UNION ALL of a part a tag
    is planned part by part, 28 ms a statement of 200 tags, 3.9 s of the sample's 24 s
    import. SQLite has no LATERAL and plans the UNION ALL in well under a millisecond."""
    quote = connection.ops.quote_name
    meta = TaggedItem._meta
    table = quote(meta.db_table)
    tag, kind, item = (
        quote(meta.get_field(name).column) for name in ("tag", "content_type", "object_id")
    )
    tag_ids = list(tag_ids)
    if not tag_ids:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT wanted.tag, newest.{item} FROM unnest(%s::integer[]) AS wanted(tag)"
                f" CROSS JOIN LATERAL (SELECT {item} FROM {table} WHERE {tag} = wanted.tag"
                f" AND {kind} = %s ORDER BY {item} DESC LIMIT %s) AS newest",
                [tag_ids, content_type_id, CANDIDATES_PER_TOPIC],
            )
            return cursor.fetchall()
    parts, params = [], []
    for number, tag_id in enumerate(tag_ids):
        parts.append(
            f"SELECT * FROM (SELECT {tag}, {item} FROM {table} WHERE {tag} = %s AND {kind} = %s"
            f" ORDER BY {item} DESC LIMIT %s) AS newest_{number}"
        )
        params += [tag_id, content_type_id, CANDIDATES_PER_TOPIC]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def _write(lists: dict[int, list[tuple[int, object, int]]]) -> None:
    for ids in batched(lists, _BATCH):
        RelatedArticle.objects.filter(article_id__in=ids).delete()
    insert_rows(
        RelatedArticle,
        ["article", "target", "score", "rank"],
        [
            (x, pk, score, rank)
            for x, entries in lists.items()
            for rank, (score, _, pk) in enumerate(entries)
        ],
    )


def refresh_related(article_ids) -> set[int]:
    """Store the related lists of ``article_ids`` (written, moved, re-tagged, published or
    unpublished) and bring the lists of other articles up to date with them, within the
    bounds above. Returns the other articles whose lists changed, whose pages are stale
    (the caller's ``content_changed`` covers the written ones')."""
    scores = _Scores(article_ids)
    written = scores.ids
    if not written:
        return set()
    _write({x: scores.entries(x) for x in written})

    # Where the written articles stand in other lists now: y -> {x: new score}.
    standing = defaultdict(dict)
    for x in written:
        if x in scores.live:
            for y in scores.shared[x]:
                if y not in written and y in scores.live:
                    standing[y][x] = scores.score(x, y)
    recompute, merge = [], defaultdict(dict)
    for ids in batched(written, _BATCH):
        for y, x, old in (
            RelatedArticle.objects.filter(target_id__in=ids)
            .exclude(article_id__in=written)
            .values_list("article_id", "target_id", "score")
        ):
            new = standing[y].pop(x, None)
            if new is None or new < old:
                recompute.append((old, y))
            elif new > old:
                merge[y][x] = new
    entering = sorted(
        ((score, y, x) for y, xs in standing.items() for x, score in xs.items()),
        reverse=True,
    )
    for score, y, x in entering[: MAX_MERGED * len(written)]:
        merge[y][x] = score
    recompute = {y for _, y in sorted(recompute, reverse=True)[: MAX_RECOMPUTED * len(written)]}
    changed = _merge({y: xs for y, xs in merge.items() if y not in recompute}, scores)
    if recompute:
        others = _Scores(recompute)
        _write({y: others.entries(y) for y in others.ids})
        changed |= others.ids
    return changed


def _merge(merge: dict[int, dict[int, int]], scores: _Scores) -> set[int]:
    """Put each written article into the stored lists of ``merge`` at its new score,
    from those lists' stored entries alone. Returns the lists that changed."""
    stored = defaultdict(list)
    for ids in batched(merge, _BATCH):
        for y, score, published_on, pk in (
            RelatedArticle.objects.filter(article_id__in=ids)
            .order_by("article_id", "rank")
            .values_list("article_id", "score", "target__published_on", "target_id")
        ):
            stored[y].append((score, published_on, pk))
    lists = {}
    for y, xs in merge.items():
        entries = [entry for entry in stored[y] if entry[2] not in xs]
        entries += [(score, scores.live[x][1], x) for x, score in xs.items()]
        entries = sorted(entries, key=_key, reverse=True)[:STORED]
        if entries != stored[y]:
            lists[y] = entries
    _write(lists)
    return set(lists)


def refresh_all(batch: int = 500) -> int:
    """Every article's list, ``batch`` articles at a time (a migration, a repair)."""
    count = 0
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in batched(ids.iterator(chunk_size=batch), batch):
        scores = _Scores(chunk)
        _write({x: scores.entries(x) for x in scores.ids})
        count += len(scores.ids)
    return count
