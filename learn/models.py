"""Subjects, the question-and-answer articles filed under them, and their related links."""

import datetime
import functools
from itertools import batched

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import CharField, Count, F, Func, Max, Min, Q, Value
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from learn import search
from learn.bulk import insert_rows
from learn.keywords import format_keywords
from learn.links import site_links
from learn.paths import (
    LEARN,
    MAX_SLUG_LENGTH,
    MAX_URL_LENGTH,
    article_path,
    check_slug,
    normalise_path,
    subject_path,
    topic_path,
)
from learn.rendering import reading_minutes, render
from learn.search.postgres import ArticleSearchVector
from learn.search.terms import TERMS


def validate_url_slug(slug):
    """The importer's rule for a URL segment (learn.paths), for every form of the model."""
    try:
        check_slug(slug)
    except ValueError as error:
        raise ValidationError(f"This has {error}.", code="invalid_slug") from None


class SubjectQuerySet(models.QuerySet):
    def recount(self):
        """Store again the counts of the subjects selected, from their articles only:
        every writer calls it, in its transaction, for the subjects its change touched."""
        live = published_q()
        indexable = live & Q(no_index=False)
        subjects = list(self.only("pk"))
        rows = {
            row["subject"]: row
            for row in Article.objects.filter(
                subject__in=subjects, status=Article.Status.PUBLISHED
            )
            .values("subject")
            .annotate(
                live=Count("pk", filter=live),
                indexable=Count("pk", filter=indexable),
                updated=Max("updated_at", filter=indexable),
                published=Max("published_on", filter=indexable),
                upcoming=Min("published_on", filter=~live),
            )
            .order_by()
        }
        upcoming = _first_publications(
            {pk: row["upcoming"] for pk, row in rows.items() if row["upcoming"]}, ~live
        )
        for subject in subjects:
            row = rows.get(subject.pk, {})
            subject.live_articles = row.get("live", 0)
            subject.indexable_articles = row.get("indexable", 0)
            subject.indexable_modified_at = modified_at(row.get("updated"), row.get("published"))
            subject.counts_due_at = upcoming.get(subject.pk)
        Subject.objects.bulk_update(subjects, COUNT_FIELDS)

    def recount_due(self):
        """Recount the subjects whose next scheduled article has come out since their
        counts were stored; readers' counts are then right from that moment."""
        self.filter(counts_due_at__lte=timezone.now()).recount()
        return self

    def with_live_articles(self):
        """Subjects readers see, with ``live_articles``: the stored counts, after
        recounting any subject whose scheduled article has come out since."""
        return self.recount_due().filter(live_articles__gt=0)

    def with_indexable_articles(self):
        """Subjects with articles for search engines (``indexable_articles``), likewise."""
        return self.recount_due().filter(indexable_articles__gt=0)

    def next_publication(self) -> datetime.datetime | None:
        """The next moment a scheduled article comes out in any of the subjects: what
        was stored on reader-visible content stands until then."""
        moment = self.aggregate(next=Min("counts_due_at"))["next"]
        if moment is not None and moment <= timezone.now():
            moment = self.recount_due().aggregate(next=Min("counts_due_at"))["next"]
        return moment


def _first_publications(days, not_live) -> dict:
    """Each subject's first scheduled moment, given its first scheduled day (``days``
    by subject id): the earliest time on that day of the articles not yet live."""
    if not days:
        return {}
    on_day = Q()
    for subject_id, day in days.items():
        on_day |= Q(subject_id=subject_id, published_on=day)
    times = (
        Article.objects.filter(on_day, not_live, status=Article.Status.PUBLISHED)
        .values("subject")
        .annotate(time=Min("published_time"))
        .order_by()
        .values_list("subject", "time")
    )
    return {subject_id: publication_moment(days[subject_id], time) for subject_id, time in times}


class Subject(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_url_slug])
    # Stored so that no reader's page counts articles; see SubjectQuerySet.recount().
    live_articles = models.PositiveIntegerField(default=0, editable=False)
    indexable_articles = models.PositiveIntegerField(default=0, editable=False)
    indexable_modified_at = models.DateTimeField(null=True, blank=True, editable=False)
    counts_due_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When a published article scheduled in the future comes out: recount then.",
    )

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return subject_path(self.slug)


def published_q(prefix="", *, today=None, time=None, as_row=False):
    """The rule for what readers see, as a Q: published, and its moment (publication
    date and time, in the site's time zone) come.

    ``prefix`` reaches articles through a relation ("articles__"), so that a count or
    filter over subjects joins once instead of testing membership in a subquery.
    ``today`` and ``time``: the moment now, for a query compiled once
    (``learn.statements``); by default the site's local date and time. ``as_row``: the
    moment written as a row comparison (moment_come_q()).
    """
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED}) & moment_come_q(
        prefix, today=today, time=time, as_row=as_row
    )


def moment_come_q(prefix="", *, today=None, time=None, as_row=False):
    """Of published_q(), the moment: the publication date and time (``published_on``,
    ``published_time``, in the site's time zone) come. Also the rule on TopicEntry.

    Written as "before today, or today and not later than now", unless ``as_row``: as
    the same test of the pair, ``(published_on, published_time) <= (today, now)``. SQLite
    reads the OR as two ranges of an index whose union it sorts, so a query walking an
    index upwards from a date (an article's newer neighbour) read every later article of
    its subject (8 ms at 100k articles); the row comparison it cannot split.
    """
    if today is None:
        now = timezone.localtime()
        today, time = now.date(), now.time()
    if as_row:
        moment = Row(F(f"{prefix}published_on"), F(f"{prefix}published_time"))
        come = Row(
            Value(today, output_field=models.DateField()),
            Value(time, output_field=models.TimeField()),
        )
        return Q(LessThanOrEqual(moment, come))
    return Q(**{f"{prefix}published_on__lt": today}) | Q(
        **{f"{prefix}published_on": today, f"{prefix}published_time__lte": time}
    )


class Row(Func):
    """A row value, ``(a, b)``: compared with another of as many columns, SQL compares
    them in order (the first that differs decides), as PostgreSQL and SQLite do through
    an index on those columns."""

    template = "(%(expressions)s)"
    arg_joiner = ", "
    output_field = models.Field()


def reading_moment() -> dict:
    """The moment now as published_q()'s ``today`` and ``time``, in the site's time zone."""
    now = timezone.localtime()
    return {"today": now.date(), "time": now.time()}


def moment_slots() -> dict:
    """published_q()'s ``today`` and ``time`` as the slots of a compiled query
    (``learn.statements``): the fields they are compared with. reading_moment() gives
    their values."""
    return {
        "today": Article._meta.get_field("published_on"),
        "time": Article._meta.get_field("published_time"),
    }


def scheduled_q():
    """Published, but its moment not come yet: readers see it from then."""
    return Q(status=Article.Status.PUBLISHED) & ~published_q()


def can_preview(user) -> bool:
    """Whether ``user`` sees drafts and scheduled articles at their real URLs: those who
    may change articles. Everyone else sees what readers see (and the cached page).
    A visitor who has not signed in is answered without asking the auth backends."""
    return user.is_authenticated and user.has_perm("learn.change_article")


# What an article card shows (ArticleQuerySet.cards()).
CARD_FIELDS = (
    "slug",
    "question",
    "seo_description",
    "published_on",
    "date_format",
    "posted_on_text",
    "subject__slug",
    "subject__name",
)


@functools.cache
def card_columns(prefix="") -> list[str]:
    """``values_list()`` names of an article card (CARD_FIELDS) reached through
    ``prefix`` ("target__"): the article's own in the model's field order, as
    ``Model.from_db`` takes them, then its subject's id, slug and name; see card()."""
    own = {"id", "subject_id", *(name for name in CARD_FIELDS if "__" not in name)}
    names = [f.attname for f in Article._meta.concrete_fields if f.attname in own]
    return [prefix + name for name in [*names, "subject__slug", "subject__name"]]


def card(row, db) -> "Article":
    """The article card of a row of card_columns(), its subject attached, as
    ``.cards()`` reads it: the fields it does not hold are deferred."""
    *own, subject_slug, subject_name = row
    article = Article.from_db(db, card_columns()[:-2], own)
    subject = {"id": article.subject_id, "slug": subject_slug, "name": subject_name}
    names = [f.attname for f in Subject._meta.concrete_fields if f.attname in subject]
    article.subject = Subject.from_db(db, names, [subject[name] for name in names])
    return article


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, and not dated in the future."""
        return self.filter(published_q())

    def cards(self):
        """Only what an article card in a list shows: the answer is not loaded."""
        return self.select_related("subject").only(*CARD_FIELDS)

    def search(self, query):
        """Published articles matching ``query`` (web-search syntax), best first, a page
        at a time, each with a ``snippet`` of its answer (``learn.search``)."""
        return search.search(self.published(), query)

    def matching(self, query):
        """Every article of the queryset matching ``query`` through the search index,
        unranked, drafts included: for the admin's search."""
        return search.matching(self, query)

    def first_matching(self, query, limit):
        """Ids of up to ``limit`` of the queryset's articles matching ``query``, the first
        the search index yields, unranked, drafts included: for the admin's search."""
        return search.first_matching(self, query, limit)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Article(models.Model):
    Status = ArticleStatus

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="articles")
    slug = models.SlugField(max_length=MAX_SLUG_LENGTH, validators=[validate_url_slug])
    source_id = models.BigIntegerField(
        "front-matter id",
        null=True,
        blank=True,
        db_index=True,
        help_text="The id in the source file; not unique (one question, two subjects).",
    )
    question = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    answer = models.TextField(help_text="Markdown, with $…$ / $$…$$ / \\(…\\) / \\[…\\] math.")
    answer_html = models.TextField(editable=False)
    answer_text = models.TextField(
        editable=False, default="", help_text="The answer as plain text: search reads it."
    )
    has_code = models.BooleanField(
        default=False, editable=False, help_text="The answer has a highlighted code block."
    )
    answer_links = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="The site paths (/learn/…) the answer links to, one a line, for the "
        "broken-links report.",
    )
    toc = models.JSONField(
        "table of contents",
        default=list,
        blank=True,
        editable=False,
        help_text="The answer's headings (id, title, level) when it has three or more.",
    )
    word_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Words in the answer, for the reading time."
    )
    has_math = models.BooleanField(
        default=False, editable=False, help_text="The answer has math (MathML)."
    )
    seo_title = models.CharField("SEO title", max_length=300, blank=True)
    seo_description = models.TextField("meta description", blank=True)
    tags = TaggableManager("topics", blank=True)
    keywords = models.TextField(
        blank=True,
        editable=False,
        help_text="The topics as text, for search: format_keywords of the tags' names.",
    )
    author = models.CharField(max_length=100, default="QuickTakes")
    published_on = models.DateField("publication date", default=timezone.localdate)
    # With the date, the moment readers see the article from, in the site's time zone
    # (settings.TIME_ZONE); the source files carry a date only, published at its start.
    published_time = models.TimeField(
        "publication time",
        default=datetime.time(),
        help_text="In the site's time zone. Readers see the article from this moment.",
    )
    date_format = models.CharField(
        max_length=40, default="MMM DD, YYYY", help_text="A moment.js pattern, as in the source."
    )
    posted_on_text = models.CharField(max_length=60, default="Posted on")
    score = models.FloatField(null=True, blank=True)
    no_index = models.BooleanField("keep out of search engines", default=False)
    # The source's file_name, "<slug>.md".
    source_file = models.CharField(max_length=MAX_SLUG_LENGTH + len(".md"), blank=True)
    content_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    extra = models.JSONField(
        "other front matter",
        default=dict,
        blank=True,
        help_text="Front-matter keys this site does not use, kept as they were.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = models.GeneratedField(
        expression=ArticleSearchVector(terms=TERMS, answer="answer_text"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "slug"], name="learn_article_unique_url"),
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values), name="learn_article_status_valid"
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="learn_article_slug_not_empty"),
        ]
        indexes = [
            # A subject's list, newest first, and an article's neighbours in it: the id
            # breaks ties between articles of one day, and the time, last, is there for
            # the rule of what readers see (published_q), so a deep page's ids and the
            # previous and next article are read from the index alone (without it, page
            # 38 of a subject at 10k read 759 rows from the table: 24 ms against 0.3).
            models.Index(
                fields=["subject", "status", "-published_on", "-id", "published_time"],
                name="learn_article_by_subject",
            ),
            # A subject's sitemap, paged by id through its indexable articles, each page's
            # rows (slug, lastmod, the rule's date and time) read from the index alone:
            # from the table, a page's 1,000 rows lay scattered over as many pages of it.
            # Not a partial index: SQLite cannot tell that a query's status and no_index,
            # bound as parameters, are the condition's, and read none through it.
            models.Index(
                fields=[
                    "subject",
                    "status",
                    "no_index",
                    "id",
                    "published_on",
                    "published_time",
                    "updated_at",
                    "slug",
                ],
                name="learn_article_sitemap_rows",
            ),
            # The admin's article list, newest first, over the whole table.
            models.Index(fields=["-published_on", "-id"], name="learn_article_newest_first"),
            # The broken-links report reads only the few answers that link into the site.
            models.Index(
                fields=["id"], condition=~Q(answer_links=""), name="learn_article_answer_links"
            ),
        ]

    # The subject this article was read with, whose counts a move changes too.
    loaded_subject_id = None

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.render_answer()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "answer" in update_fields:
            kwargs["update_fields"] = {*update_fields, *RENDERED_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return article_path(self.subject.slug, self.slug)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        article = super().from_db(db, field_names, values, **kwargs)
        article.loaded_subject_id = article.__dict__.get("subject_id")
        return article

    @property
    def is_live(self):
        """Whether readers see it: the rule of ArticleQuerySet.published(), for one article."""
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        """Published, and coming out at a moment still ahead (``scheduled_q``)."""
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    def render_answer(self):
        """Derive the rendered fields from the answer, as every save does (and the
        admin's preview, which shows what a save would store)."""
        self.set_answer_html(render(self.answer))

    def set_answer_html(self, rendered):
        """The fields derived from the answer (RENDERED_FIELDS), from its rendering."""
        self.answer_html = rendered.html
        self.has_code = rendered.has_code
        self.answer_text = rendered.text
        self.answer_links = "\n".join(site_links(rendered.html))
        self.toc = rendered.toc
        self.word_count = rendered.word_count
        self.has_math = rendered.has_math

    def refresh_keywords(self):
        """Store ``keywords`` again from the article's tags, as the search index reads it."""
        self.keywords = format_keywords(self.tags.values_list("name", flat=True))
        Article.objects.filter(pk=self.pk).update(keywords=self.keywords)

    @property
    def published_at(self) -> datetime.datetime:
        """The moment readers see it from: its date and time in the site's time zone."""
        return publication_moment(self.published_on, self.published_time)

    @property
    def modified_at(self) -> datetime.datetime:
        """When the article last changed, for the sitemap, the feeds and JSON-LD."""
        return modified_at(self.updated_at, self.published_on, self.published_time)

    @property
    def updated_on(self) -> datetime.date | None:
        """The day of the last change, for readers, when the article changed after it was
        posted: saved again since it was first stored (an import stores an article as
        created, not changed) and on a later day than its publication date."""
        if self.created_at is None or self.updated_at - self.created_at <= SAME_SAVE:
            # Never stored (the admin's preview of a new article), or stored once.
            return None
        day = timezone.localdate(self.modified_at)
        return day if day > self.published_on else None

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)


# What SubjectQuerySet.recount() stores.
COUNT_FIELDS = ("live_articles", "indexable_articles", "indexable_modified_at", "counts_due_at")

# What Article.set_answer_html derives from the answer.
RENDERED_FIELDS = (
    "answer_html",
    "has_code",
    "has_math",
    "answer_text",
    "answer_links",
    "toc",
    "word_count",
)

# How far apart an article's created_at and updated_at may be and still come from the
# save that created it (auto_now_add and auto_now each read the clock).
SAME_SAVE = datetime.timedelta(seconds=1)


def publication_moment(day: datetime.date, time: datetime.time | None = None) -> datetime.datetime:
    """When an article dated ``day`` at ``time`` (the day's start by default) is
    published: that wall-clock moment in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time()))


def modified_at(updated_at, published_on, published_time=None) -> datetime.datetime | None:
    """The later of the last change and the publication: an article imported before
    its moment was not modified before it was published."""
    if updated_at is None or published_on is None:
        return updated_at
    return max(updated_at, publication_moment(published_on, published_time))


class TopicNameKey(Func):
    """The SQL of topic_name_key(). Its separators are written into the statement, not
    bound as parameters: an index on an expression serves only that expression, and
    SQLite does not match a bound "-" to the literal of the tags' index on their key
    (learn_tag_topic_key, migration 0015), so every lookup by key read every tag."""

    arity = 1
    template = "REPLACE(REPLACE(LOWER(%(expressions)s), '-', ' '), '_', ' ')"
    output_field = CharField()


def topic_name_key(name_field: str):
    """SQL for the spelling-insensitive key of a tag name: the tags whose names differ
    only in case, hyphens or underscores ("Big-O", "big O", "big_o") are one topic."""
    return TopicNameKey(F(name_field))


# Tags per query when topics are recounted (a parameter each, under SQLite's limit).
TOPIC_CHUNK = 500
OTHER_INITIAL = "#"


def topic_initial(name: str) -> str:
    """The letter of the topics index's A to Z a topic is filed under; OTHER_INITIAL for a
    name that does not start with one of A to Z (a digit, an accented or Greek letter)."""
    first = name[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_INITIAL


class TopicQuerySet(models.QuerySet):
    def recount_tags(self, tag_ids, *, keys=(), articles=None, count=True) -> list[int]:
        """Store again the entries and counts of the topics of ``tag_ids`` (and of the
        topic ``keys`` given, such as a renamed tag's old one), from their articles
        only: every writer calls it, in its transaction, for the tags its change
        touched. A topic left without tags is deleted.

        ``articles``: the ids of the only articles whose tags, status, date or no_index
        changed, when the writer knows them: the entries of those alone are compared,
        so that an edit costs the same in the largest topic. None: any may have.
        ``count=False``: the entries alone, for a writer of many chunks (the importer)
        that counts every topic it touched once, at its end (recount() of the ids
        returned): a large topic's count read again for every chunk would cost the
        run its size a chunk. Returns the ids of the topics stored."""
        if articles is not None:
            articles = sorted(set(articles))
            if len(articles) > TOPIC_CHUNK:
                articles = None
        tag_ids = sorted(set(tag_ids))
        keys = set(keys)
        for start in range(0, len(tag_ids), TOPIC_CHUNK):
            keys.update(
                Tag.objects.filter(pk__in=tag_ids[start : start + TOPIC_CHUNK])
                .annotate(key=topic_name_key("name"))
                .values_list("key", flat=True)
            )
        keys = sorted(keys)
        # The entries of a few articles are read once for all their topics; otherwise
        # each batch of topics reads its own, so that memory is the same at any size.
        gathered, stored = {}, []
        for start in range(0, len(keys), TOPIC_CHUNK):
            topics = _store_topic_names(keys[start : start + TOPIC_CHUNK])
            stored.extend(pk for pk, _, _ in topics.values())
            if articles:
                gathered.update(topics)
                continue
            if articles is None:
                _store_topic_entries(topics, None)
            if count:
                _store_topic_counts(topics)
        if gathered:
            _store_topic_entries(gathered, articles)
            if count:
                for part in batched(gathered.items(), TOPIC_CHUNK):
                    _store_topic_counts(dict(part))
        return stored

    def recount_articles(self, article_ids):
        """Store again the counts of the topics of ``article_ids`` (a change of their
        status, date or ``no_index``). A delete takes the tags with it: read them
        before, and recount_tags() them after."""
        article_ids = list(article_ids)
        tag_ids = set()
        for start in range(0, len(article_ids), TOPIC_CHUNK):
            tag_ids.update(
                TaggedItem.objects.filter(
                    content_type__app_label="learn",
                    content_type__model="article",
                    object_id__in=article_ids[start : start + TOPIC_CHUNK],
                ).values_list("tag_id", flat=True)
            )
        self.recount_tags(tag_ids, articles=article_ids)

    def recount(self):
        """Store again the counts of the topics selected from their entries, as time
        has passed (a scheduled article come out) or after the entries were filed
        (``recount_tags(count=False)``): no article changed, nor any entry, nor any
        topic's tags. The selection is read whole: select a few hundred at a time."""
        rows = self.order_by().values_list("pk", "key", "slug", "name", "initial")
        for part in batched(rows, TOPIC_CHUNK):
            _store_topic_counts({key: (pk, (), (key, *names)) for pk, key, *names in part})

    def with_live_articles(self):
        """Topics readers see, with ``live_articles``: the stored counts, after
        recounting any topic whose scheduled article has come out since."""
        self.filter(counts_due_at__lte=timezone.now()).recount()
        return self.filter(live_articles__gt=0)


def _store_topic_names(keys: list[str]) -> dict[str, tuple]:
    """The topics of ``keys`` that have tags, stored with their names (a topic left
    without tags is deleted); by key, each one's id, its tags' ids and its row of names
    (key, slug, name, initial)."""
    tags = {}
    for key, pk, slug, name in (
        Tag.objects.annotate(key=topic_name_key("name"))
        .filter(key__in=keys)
        .order_by("slug")
        .values_list("key", "pk", "slug", "name")
    ):
        tags.setdefault(key, []).append((pk, slug, name))
    Topic.objects.filter(key__in=keys).exclude(key__in=tags.keys()).delete()
    if not tags:
        return {}
    # The topics' names first (a new topic's row, which its entries refer to), then
    # their entries, then the counts of those. One executemany each (learn.bulk): a
    # run's topics are thousands, and bulk_create's instances and statement cost the
    # import more than the counting.
    names = {
        key: (key, slug, name, topic_initial(name)) for key, [(_, slug, name), *_] in tags.items()
    }
    insert_rows(
        Topic,
        _TOPIC_ROW,
        [(*row, 0, 0, None) for row in names.values()],
        conflict=["key"],
        update=_TOPIC_ROW[1:4],
    )
    ids = dict(Topic.objects.filter(key__in=tags.keys()).values_list("key", "pk"))
    return {
        key: (ids[key], [pk for pk, _, _ in members], names[key]) for key, members in tags.items()
    }


def _store_topic_counts(topics: dict[str, tuple]) -> None:
    """Count the entries of ``topics`` (as _store_topic_names() gives them) and store
    their counts and the moment the next of them comes out."""
    ids = {key: pk for key, (pk, _, _) in topics.items()}
    come = moment_come_q()
    rows_by_topic = {
        row["topic_id"]: row
        for row in TopicEntry.objects.filter(topic_id__in=ids.values())
        .values("topic_id")
        .annotate(
            live=Count("pk", filter=come),
            indexable=Count("pk", filter=come & Q(no_index=False)),
            upcoming=Min("published_on", filter=~come),
        )
        .order_by()
    }
    due = _first_topic_publications(
        {pk: row["upcoming"] for pk, row in rows_by_topic.items() if row["upcoming"]}, ~come
    )
    due_field = Topic._meta.get_field("counts_due_at")
    rows = []
    for pk, _, names in topics.values():
        row = rows_by_topic.get(pk, {})
        rows.append(
            (
                *names,
                row.get("live", 0),
                row.get("indexable", 0),
                due_field.get_db_prep_save(due.get(pk), connection),
            )
        )
    insert_rows(Topic, _TOPIC_ROW, rows, conflict=["key"], update=TOPIC_COUNT_FIELDS)


def _store_topic_entries(topics: dict[str, tuple], articles) -> None:
    """Make the entries of ``topics`` (as _store_topic_names() gives them) the published
    articles filed under their tags, with those articles' dates, or only the entries
    of the ``articles`` given: the rows there and the rows wanted are read (one query
    each) and only what differs is deleted, updated or added."""
    topic_ids = {key: pk for key, (pk, _, _) in topics.items()}
    entries = TopicEntry.objects.all()
    filed = Article.objects.filter(status=Article.Status.PUBLISHED)
    if articles is None:
        entries = entries.filter(topic_id__in=topic_ids.values())
        filed = filed.filter(tags__in=[pk for _, tags, _ in topics.values() for pk in tags])
    else:
        # Every entry and tag of these articles (a few each), the topics' kept below:
        # filtered by both, SQLite probed every tag against every article (an import's
        # chunk of 500 articles, 55 ms a batch of 500 topics; 3 ms this way).
        entries = entries.filter(article_id__in=articles)
        filed = filed.filter(pk__in=articles)
    wanted = {
        (topic_ids[key], pk): (day, time, no_index)
        for pk, key, day, time, no_index in filed.annotate(key=topic_name_key("tags__name"))
        .values_list("pk", "key", "published_on", "published_time", "no_index")
        .order_by()
        .distinct()
        if key in topic_ids
    }
    kept = set(topic_ids.values())
    gone, moved = [], []
    for pk, topic_id, article_id, *stored in entries.values_list(
        "pk", "topic_id", "article_id", "published_on", "published_time", "no_index"
    ):
        if topic_id not in kept:
            continue
        row = wanted.pop((topic_id, article_id), None)
        if row is None:
            gone.append(pk)
        elif tuple(stored) != row:
            day, time, no_index = row
            moved.append(
                TopicEntry(pk=pk, published_on=day, published_time=time, no_index=no_index)
            )
    for start in range(0, len(gone), TOPIC_CHUNK):
        TopicEntry.objects.filter(pk__in=gone[start : start + TOPIC_CHUNK]).delete()
    TopicEntry.objects.bulk_update(
        moved, ["published_on", "published_time", "no_index"], batch_size=TOPIC_CHUNK
    )
    day_field = TopicEntry._meta.get_field("published_on")
    time_field = TopicEntry._meta.get_field("published_time")
    insert_rows(
        TopicEntry,
        ["topic", "article", "published_on", "published_time", "no_index"],
        [
            (
                topic_id,
                article_id,
                day_field.get_db_prep_save(day, connection),
                time_field.get_db_prep_save(time, connection),
                no_index,
            )
            for (topic_id, article_id), (day, time, no_index) in wanted.items()
        ],
    )


def _first_topic_publications(days, not_live) -> dict:
    """Each topic's first scheduled moment, given its first scheduled day (``days`` by
    topic id): the earliest time on that day of its entries not yet live."""
    if not days:
        return {}
    on_day = Q()
    for pk, day in days.items():
        on_day |= Q(topic_id=pk, published_on=day)
    return {
        pk: publication_moment(days[pk], time)
        for pk, time in TopicEntry.objects.filter(on_day, not_live)
        .values("topic_id")
        .annotate(time=Min("published_time"))
        .order_by()
        .values_list("topic_id", "time")
    }


class Topic(models.Model):
    """A topic as readers see it: the tags of one ``topic_key``, known by the smallest
    of their slugs, with its article counts stored (see TopicQuerySet.recount_tags()),
    so that no reader's page counts a topic's articles."""

    key = models.CharField(max_length=100, unique=True)
    slug = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    initial = models.CharField(max_length=1)
    live_articles = models.PositiveIntegerField(default=0)
    indexable_articles = models.PositiveIntegerField(default=0)
    counts_due_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        indexes = [
            # The largest topics (home, the topics index), and one letter of the A to Z.
            models.Index(
                fields=["-live_articles", "key"],
                condition=Q(live_articles__gt=0),
                name="learn_topic_largest",
            ),
            models.Index(
                fields=["initial", "key"],
                condition=Q(live_articles__gt=0),
                name="learn_topic_by_initial",
            ),
            # The topics' sitemap.
            models.Index(
                fields=["slug"],
                condition=Q(indexable_articles__gte=2),
                name="learn_topic_indexable",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return topic_path(self.slug)


# What TopicQuerySet.recount_tags() stores besides the names.
TOPIC_COUNT_FIELDS = ("live_articles", "indexable_articles", "counts_due_at")
# A topic's row as recount_tags() writes it: its names, then its counts.
_TOPIC_ROW = ["key", "slug", "name", "initial", *TOPIC_COUNT_FIELDS]


class TopicEntry(models.Model):
    """A published article's place in a topic's list, with the article's date, time
    and ``no_index`` copied: a page of the largest topic is read from the index on
    (topic, date, article) alone, and its counts are counted from these rows without a
    join. Kept by TopicQuerySet.recount_tags(), which every writer calls, in its
    transaction, for the topics its change touched."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+", db_index=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    published_on = models.DateField()
    published_time = models.TimeField()
    no_index = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "article"], name="learn_topicentry_unique")
        ]
        indexes = [
            # A topic's page, newest first (as a subject's list); the columns the
            # counts read besides come last, so that they are counted from the index.
            models.Index(
                fields=["topic", "-published_on", "-article", "published_time", "no_index"],
                name="learn_topicentry_newest",
            ),
        ]

    def __str__(self):
        return f"{self.topic_id} → {self.article_id}"


class RelatedLink(models.Model):
    """A curated "related article" as written in the source, resolved once its target exists."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField()
    target_source_id = models.BigIntegerField(null=True, blank=True)
    target_title = models.CharField(max_length=500)
    target_subject = models.CharField(max_length=100, blank=True)
    target_url = models.CharField(max_length=MAX_URL_LENGTH, db_index=True)
    target = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="learn_relatedlink_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=5),
                name="learn_relatedlink_position_1_to_5",
            ),
        ]
        indexes = [
            # The admin's "has dangling links" filter reads only the few unresolved links.
            models.Index(
                fields=["article"],
                condition=Q(target__isnull=True),
                name="learn_relatedlink_dangling",
            ),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.target_url}"


class ArticleSource(models.Model):
    """The bytes of the file an article was last imported from or exported to.

    ``manage.py export_quicktakes`` writes them back as they are while the article's
    content still equals what they say. A table of its own, so that no query of the
    article's loads them.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="source_file_data"
    )
    data = models.BinaryField()

    def __str__(self):
        return f"source of {self.article_id}"


class RelatedArticle(models.Model):
    """One of an article's computed related articles, stored when content changes
    (``learn.related.refresh_related``) so that a page reads them in one indexed query.

    ``score`` is two points per shared topic plus one for the same subject; ``rank`` 0 is
    the best. Each article keeps its STORED best, so that curated links can take up to
    five of them and the page still has five."""

    # Indexed by the unique (article, rank), which the page reads in order.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    target = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_as")
    score = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="learn_related_unique_rank"),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.target_id} ({self.score})"


class Redirect(models.Model):
    """An old reader URL that now answers with a permanent redirect.

    The target is the article (or, for a subject's list, the subject) itself rather
    than a path: when it moves again every old URL follows it, so chains never form.
    """

    old_path = models.CharField(
        max_length=MAX_URL_LENGTH,
        unique=True,
        help_text="e.g. /learn/old-subject/questions/old-slug",
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="redirects"
    )
    subject = models.ForeignKey(
        Subject,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="For a subject's old list URL; its old article URLs follow too.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=True, subject__isnull=False)
                | Q(article__isnull=False, subject__isnull=True),
                name="learn_redirect_one_target",
                violation_error_message="Choose an article or a subject, not both.",
            ),
            models.CheckConstraint(
                condition=Q(old_path__startswith=LEARN),
                name="learn_redirect_under_learn",
                violation_error_message=f"An old path starts with {LEARN}.",
            ),
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        """Store the old path as requests are looked up, and refuse one that would loop."""
        self.old_path = normalise_path(self.old_path)
        target = self.article or self.subject
        if target is not None and self.old_path == target.get_absolute_url():
            raise ValidationError(
                {
                    "old_path": ValidationError(
                        "This is the current URL of the redirect's own target: "
                        "readers would be sent back here for ever.",
                        code="redirect_to_itself",
                    )
                }
            )

    @property
    def new_path(self):
        target = self.article or self.subject
        return target.get_absolute_url()


class ImportRunStatus(models.TextChoices):
    PENDING = "pending", "Dry run, awaiting confirmation"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class ImportRun(models.Model):
    """One import of article files, by the command or from the admin, and its outcome.

    An upload from the admin is first a pending dry run that keeps the uploaded bytes
    (a zip of the files) until an editor applies it; applying clears them.
    """

    class Origin(models.TextChoices):
        COMMAND = "command", "Command"
        ADMIN = "admin", "Admin upload"

    Status = ImportRunStatus

    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    origin = models.CharField(max_length=10, choices=Origin.choices)
    source = models.CharField(max_length=500, help_text="The paths or the uploaded file names.")
    status = models.CharField(max_length=10, choices=Status.choices)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    links_resolved = models.PositiveIntegerField(default=0)
    links_dangling = models.PositiveIntegerField(default=0)
    outcomes = models.JSONField(
        default=dict, blank=True, help_text="File names by outcome: created, updated, unchanged."
    )
    failures = models.JSONField(
        default=list, blank=True, help_text="Each failed or skipped file: name, line, message."
    )
    upload = models.BinaryField(null=True, blank=True, editable=False)
    article_ids = models.JSONField(
        default=dict,
        blank=True,
        help_text="The article of each file name kept in outcomes (not for a dry run's new ones).",
    )
    diffs = models.JSONField(
        default=dict,
        blank=True,
        help_text="What an import changed in each updated file (the first ones, each bounded).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportRunStatus.values), name="learn_importrun_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(upload__isnull=True),
                name="learn_importrun_upload_only_while_pending",
            ),
        ]

    def __str__(self):
        return f"Import {self.pk} ({self.get_origin_display()}, {self.created_at:%Y-%m-%d %H:%M})"


class RevisionOrigin(models.Model):
    """Through what an article's revision (django-reversion's ``Revision``) was made:
    learn.history writes one beside every revision."""

    class Via(models.TextChoices):
        ADMIN = "admin", "Admin"
        IMPORT = "import", "Import"
        ACTION = "action", "Editorial action"
        RESTORE = "restore", "Restore"

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="origin"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_from = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        if self.import_run_id:
            return f"import run {self.import_run_id}"
        if self.restored_from_id:
            return f"restore of revision {self.restored_from_id}"
        return self.get_via_display()
