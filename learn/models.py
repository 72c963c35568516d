"""Subjects, the question-and-answer articles filed under them, and their related links."""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from taggit.managers import TaggableManager

from learn import search
from learn.keywords import format_keywords
from learn.paths import (
    LEARN,
    MAX_SLUG_LENGTH,
    MAX_URL_LENGTH,
    article_path,
    check_slug,
    normalise_path,
    subject_path,
)
from learn.rendering import render
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
        today = timezone.localdate()
        live = Q(published_on__lte=today)
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
        for subject in subjects:
            row = rows.get(subject.pk, {})
            subject.live_articles = row.get("live", 0)
            subject.indexable_articles = row.get("indexable", 0)
            subject.indexable_modified_at = modified_at(row.get("updated"), row.get("published"))
            subject.counts_due_on = row.get("upcoming")
        Subject.objects.bulk_update(subjects, COUNT_FIELDS)

    def with_live_articles(self):
        """Subjects readers see, with ``live_articles``: the stored counts, after
        recounting any subject whose scheduled article has come out since."""
        self.filter(counts_due_on__lte=timezone.localdate()).recount()
        return self.filter(live_articles__gt=0)

    def with_indexable_articles(self):
        """Subjects with articles for search engines (``indexable_articles``), likewise."""
        self.filter(counts_due_on__lte=timezone.localdate()).recount()
        return self.filter(indexable_articles__gt=0)


class Subject(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, validators=[validate_url_slug])
    # Stored so that no reader's page counts articles; see SubjectQuerySet.recount().
    live_articles = models.PositiveIntegerField(default=0, editable=False)
    indexable_articles = models.PositiveIntegerField(default=0, editable=False)
    indexable_modified_at = models.DateTimeField(null=True, blank=True, editable=False)
    counts_due_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="When a published article dated in the future comes out: recount then.",
    )

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return subject_path(self.slug)


def published_q(prefix=""):
    """The rule for what readers see, as a Q: published, and not dated in the future.

    ``prefix`` reaches articles through a relation ("articles__"), so that a count or
    filter over subjects joins once instead of testing membership in a subquery.
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_on__lte": timezone.localdate(),
        }
    )


def can_preview(user) -> bool:
    """Whether ``user`` sees drafts and scheduled articles at their real URLs: those who
    may change articles. Everyone else sees what readers see (and the cached page)."""
    return user.has_perm("learn.change_article")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles a reader may see: published, and not dated in the future."""
        return self.filter(published_q())

    def cards(self):
        """Only what an article card in a list shows: the answer is not loaded."""
        return self.select_related("subject").only(
            "slug",
            "question",
            "seo_description",
            "published_on",
            "date_format",
            "posted_on_text",
            "subject__slug",
            "subject__name",
        )

    def search(self, query):
        """Published articles matching ``query`` (web-search syntax), best first, a page
        at a time, each with a ``snippet`` of its answer (``learn.search``)."""
        return search.search(self.published(), query)


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
    has_code = models.BooleanField(
        default=False, editable=False, help_text="The answer has a highlighted code block."
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
        expression=ArticleSearchVector(terms=TERMS),
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
            models.Index(fields=["subject", "status", "-published_on"]),
            # The admin's article list, newest first, over the whole table.
            models.Index(fields=["-published_on", "-id"], name="learn_article_newest_first"),
        ]

    # The subject this article was read with, whose counts a move changes too.
    loaded_subject_id = None

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.set_answer_html(render(self.answer))
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
        return self.status == self.Status.PUBLISHED and self.published_on <= timezone.localdate()

    def set_answer_html(self, rendered):
        """The fields derived from the answer (RENDERED_FIELDS), from its rendering."""
        self.answer_html = rendered.html
        self.has_code = rendered.has_code

    def refresh_keywords(self):
        """Store ``keywords`` again from the article's tags, as the search index reads it."""
        self.keywords = format_keywords(self.tags.values_list("name", flat=True))
        Article.objects.filter(pk=self.pk).update(keywords=self.keywords)

    @property
    def published_at(self) -> datetime.datetime:
        return start_of_day(self.published_on)

    @property
    def modified_at(self) -> datetime.datetime:
        """When the article last changed, for the sitemap, the feeds and JSON-LD."""
        return modified_at(self.updated_at, self.published_on)


# What SubjectQuerySet.recount() stores.
COUNT_FIELDS = ("live_articles", "indexable_articles", "indexable_modified_at", "counts_due_on")

# What Article.set_answer_html derives from the answer.
RENDERED_FIELDS = ("answer_html", "has_code")


def start_of_day(day: datetime.date) -> datetime.datetime:
    """When an article dated ``day`` is published: the day's start in the site's time zone."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def modified_at(updated_at, published_on) -> datetime.datetime | None:
    """The later of the last change and the publication: an article imported before
    its date was not modified before it was published."""
    if updated_at is None or published_on is None:
        return updated_at
    return max(updated_at, start_of_day(published_on))


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
