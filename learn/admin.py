"""The editors' admin: articles, subjects, redirects and imports.

Bulk changes go through learn.editorial's actions, redirects through learn.redirects
and imports through learn.import_runs, as every other caller's do; those services
record the history.
"""

import json

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.text import slugify, smart_split, unescape_string_literal
from django.utils.timezone import localtime
from taggit.models import Tag, TaggedItem

from learn import editorial, history, import_runs, redirects
from learn.forms import (
    ArticleAdminForm,
    ImportUploadForm,
    MergeSubjectsForm,
    MoveToSubjectForm,
    RelatedLinkForm,
    SubjectAdminForm,
)
from learn.models import (
    Article,
    ImportRun,
    Redirect,
    RelatedLink,
    RevisionOrigin,
    Subject,
    published_q,
    scheduled_q,
)
from learn.search import sqlite as sqlite_search
from learn.search.postgres import first_rows
from learn.uploads import UploadError, pack
from learn.views import article_page_context


def _link_count(**filters):
    """A per-row count of an article's related links as a subquery, not a GROUP BY."""
    counted = (
        RelatedLink.objects.filter(article=OuterRef("pk"), **filters)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def search_words(term):
    """The words of an admin search, as ModelAdmin.get_search_results splits them:
    quoted phrases stay one word."""
    return [
        unescape_string_literal(word) if word[0] in "\"'" and word[0] == word[-1] else word
        for word in smart_split(term)
    ]


class EstimatedCountPaginator(Paginator):
    """A paginator whose count never reads every row of a big table.

    The whole table is counted from PostgreSQL's statistics (``reltuples``, kept by
    autovacuum; a real count on SQLite, which reads its smallest index quickly), and said
    to be about that many (``estimated``). A filtered or searched list is counted up to
    COUNT_LIMIT, ten pages, and said to hold more than that when it does (``bounded``):
    its pages past that are reached by narrowing the filter, not by paging, and counting
    further would cost more the more articles match.
    """

    COUNT_LIMIT = 1_000

    bounded = False
    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if queryset.query.where:
            # One more than the limit tells "exactly the limit" from "more than it".
            found = queryset.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()
            self.bounded = found > self.COUNT_LIMIT
            return min(found, self.COUNT_LIMIT)
        connection = connections[queryset.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                estimate = int(cursor.fetchone()[0])
            # -1 means never analysed; a small table is counted exactly.
            if estimate > self.COUNT_LIMIT:
                self.estimated = True
                return estimate
        return queryset.count()


class DanglingLinksFilter(admin.SimpleListFilter):
    title = "related links"
    parameter_name = "dangling"

    def lookups(self, request, model_admin):
        return [("yes", "Has dangling links"), ("no", "All links resolve")]

    @staticmethod
    def dangling():
        # Not correlated, for the counts: the database builds the set once instead of
        # probing it per article.
        return Q(pk__in=RelatedLink.objects.filter(target__isnull=True).values("article"))

    def queryset(self, request, queryset):
        # Correlated, for the list: its first page walks the list's index and probes the
        # dangling links' index per article until it has a page (PostgreSQL plans either
        # form as a semi-join; SQLite built and sorted the whole set, 0.5 s at 100k).
        dangling = Exists(RelatedLink.objects.filter(article=OuterRef("pk"), target__isnull=True))
        if self.value() == "yes":
            return queryset.filter(dangling)
        if self.value() == "no":
            return queryset.filter(~dangling)
        return queryset

    def get_facet_counts(self, pk_attname, filtered_qs):
        # The default counts "pk IN (the filtered list)" per choice, slow on a big table.
        return {
            "0__c": Count(pk_attname, filter=self.dangling()),
            "1__c": Count(pk_attname, filter=~self.dangling()),
        }


class ArticleChangeList(ChangeList):
    """The article list reads only what its columns show: never the answer, its HTML,
    plain text, links or contents, or the search vector, the bulk of each row."""

    def get_queryset(self, request, exclude_parameters=None):
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer(
                "answer",
                "answer_html",
                "answer_text",
                "answer_links",
                "toc",
                "search_vector",
                "extra",
                "keywords",
            )
        )


class PublicationStateFilter(admin.SimpleListFilter):
    """Draft, published (readers see it) or scheduled (published, its moment ahead)."""

    title = "state"
    parameter_name = "state"
    STATES = {
        "published": ("Published", published_q),
        "scheduled": ("Scheduled", scheduled_q),
        "draft": ("Draft", lambda: Q(status=Article.Status.DRAFT)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.STATES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.STATES:
            return queryset.filter(self.STATES[self.value()][1]())
        return queryset

    def get_facet_counts(self, pk_attname, filtered_qs):
        return {
            f"{index}__c": Count(pk_attname, filter=rule())
            for index, (_, rule) in enumerate(self.STATES.values())
        }


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    form = RelatedLinkForm
    fk_name = "article"
    extra = 0
    max_num = 5
    autocomplete_fields = ["target"]
    ordering = ["position"]
    verbose_name = "related article"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["question", "subject", "state", "published_on", "updated_at", "link_health"]
    list_filter = [
        "subject",
        PublicationStateFilter,
        "published_on",
        "no_index",
        DanglingLinksFilter,
    ]
    # Counts per filter choice and a date drill-down each aggregate the whole table on
    # every page; counts are one click away ("Show counts") instead.
    show_facets = admin.ShowFacets.ALLOW
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_select_related = ["subject"]
    search_fields = ["question", "slug"]
    # The ids each kind of match (text, topic, full text, front-matter id) may add: three
    # pages of the list each. The list counts and sorts them all to show its first page;
    # at 1,000 a kind, a common word's list read 3,000 rows at 1M articles (37 ms).
    SEARCH_MATCHES = 300
    search_help_text = "Question, slug, front-matter id or topic, and words of the answer."
    autocomplete_fields = ["subject"]
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    inlines = [RelatedLinkInline]
    actions = ["publish", "unpublish", "move_to_subject"]
    fieldsets = [
        (
            "Content",
            {"fields": ["question", "title", "subject", "slug", "answer", "seen_revision"]},
        ),
        ("SEO", {"fields": ["seo_title", "seo_description", "tags", "no_index"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    ("published_on", "published_time"),
                    "author",
                    "date_format",
                    "posted_on_text",
                ],
                "description": (
                    "A published article dated in the future is scheduled: readers see it "
                    f"from that date and time ({settings.TIME_ZONE}), not before."
                ),
            },
        ),
        (
            "Source",
            {
                "fields": [
                    "source_id",
                    "source_file",
                    "score",
                    "extra",
                    "content_hash",
                    "created_at",
                    "updated_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(link_count=_link_count(), dangling_count=_link_count(target__isnull=True))
        )

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_search_results(self, request, queryset, search_term):
        """Question and slug (search_fields), a front-matter id exactly, topics, and the
        full-text index (question, topics and answer, as the readers' search reads them).

        Each kind of match is its own indexed query (trigram indexes and the GIN index on
        PostgreSQL; on SQLite the questions' trigram table, the slug index and FTS5) and
        the list keeps the union of their ids: an OR of them, or of an EXISTS per row,
        would scan every article. Each yields
        SEARCH_MATCHES ids at most (the first its index gives), so that a common word
        costs what a rare one does; the editor is told when the list is of those only.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        ids, bounded, limit = set(), False, self.SEARCH_MATCHES
        connection = connections[queryset.db]
        # The topics named like the term first: walking the tagged items and testing each
        # one's topic reads them all.
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            tag__in=Tag.objects.filter(name__icontains=term).values("pk"),
        )
        # The full-text index's first matches (of the questions first, as the readers'
        # search takes them: a common word's every match is a bitmap of 89,000 at 1M).
        in_full_text = Article.objects.first_matching(term, limit + 1)
        bounded |= len(in_full_text) > limit
        ids.update(in_full_text[:limit])
        # (queryset, the field of it holding article ids)
        matches = [(tagged, "object_id")]
        if term.isdigit():
            matches.append((Article.objects.filter(source_id=int(term)), "pk"))
        in_text = None
        if connection.vendor == "sqlite":
            # Question and slug through indexes: the search_fields' LIKE reads every row.
            in_text = sqlite_search.first_containing(search_words(term), limit + 1, queryset.db)
        if in_text is None:
            by_text, _ = super().get_search_results(request, Article.objects.all(), term)
            matches.insert(0, (by_text, "pk"))
        else:
            bounded |= len(in_text) > limit
            ids.update(in_text[:limit])
        for match, field in matches:
            column = match.values_list(field, flat=True).order_by()
            if connection.vendor == "postgresql":
                # The first the index yields (an ordered LIMIT may scan the table).
                first = first_rows(column, limit + 1)
                with connection.cursor() as cursor:
                    cursor.execute(first.sql, first.params)
                    found = [row[0] for row in cursor.fetchall()]
            else:
                # The first the index yields, as on PostgreSQL: an order would read them all.
                found = list(column[: limit + 1])
            bounded |= len(found) > limit
            ids.update(found[:limit])
        if bounded and getattr(request.resolver_match, "url_name", "").endswith("_changelist"):
            self.message_user(
                request,
                f"More than {limit:,} articles match “{term}”: the list holds "
                f"{limit:,} of each kind of match. Add a word or a filter to narrow it.",
                messages.WARNING,
            )
        return queryset.filter(pk__in=sorted(ids)), False

    @admin.display(description="state", ordering="status")
    def state(self, article):
        if article.is_scheduled:
            return f"Scheduled for {timezone.localtime(article.published_at):%Y-%m-%d %H:%M}"
        return article.get_status_display()

    @admin.display(description="related links", ordering="dangling_count")
    def link_health(self, article):
        if not article.link_count:
            return "—"
        if article.dangling_count:
            return f"{article.link_count}, {article.dangling_count} dangling"
        return f"{article.link_count}, all resolve"

    def save_model(self, request, obj, form, change):
        """Write the fields the editor changed, and only those (and ``updated_at``)."""
        moved = not change or {"slug", "subject"} & set(form.changed_data)
        old_path = None
        if change and moved:
            old_path = Article.objects.select_related("subject").get(pk=obj.pk).get_absolute_url()
        if not change:
            obj.save()
        else:
            # Topics too are a change of the article: its updated_at moves.
            if form.has_changed():
                concrete = {f.name for f in Article._meta.concrete_fields}
                obj.save(update_fields=[*(concrete & set(form.changed_data)), "updated_at"])
        if moved:
            redirects.redirect_moved_article(obj, old_path)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.record_revision(request, obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if message:
            self.record_revision(request, obj, message)
        return entry

    def record_revision(self, request, obj, message):
        """After the form, its topics and its links are saved: the revision of the save,
        whose comment is the admin's change message (Revision.get_comment() reads it)."""
        history.record(
            [obj.pk],
            via=RevisionOrigin.Via.ADMIN,
            user=request.user,
            comment=message if isinstance(message, str) else json.dumps(message),
        )

    def change_status(self, request, queryset, service, done):
        """Run a status service on the selection and say what was done."""
        count = service(queryset, user=request.user)
        self.message_user(request, f"{done} {count} articles.", messages.SUCCESS)

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        self.change_status(request, queryset, editorial.articles_publish, "Published")

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish(self, request, queryset):
        self.change_status(request, queryset, editorial.articles_unpublish, "Unpublished")

    @admin.action(description="Move selected articles to another subject", permissions=["change"])
    def move_to_subject(self, request, queryset):
        form = MoveToSubjectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            subject = form.cleaned_data["subject"]
            result = editorial.articles_move(queryset, subject=subject, user=request.user)
            self.message_user(
                request,
                f"Moved {result.moved} articles to {subject}; their old URLs redirect.",
                messages.SUCCESS,
            )
            if result.clashes:
                self.message_user(
                    request,
                    "Not moved, the subject already has these slugs: " + ", ".join(result.clashes),
                    messages.ERROR,
                )
            return None
        return TemplateResponse(
            request,
            "admin/learn/article/move_to_subject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Move articles to another subject",
                "opts": self.opts,
                "form": form,
                "articles": queryset.select_related("subject")[:100],
                "count": queryset.count(),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action": "move_to_subject",
            },
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="learn_article_preview_new"),
            path("<path:object_id>/preview/", preview, name="learn_article_preview"),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="learn_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="learn_article_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        """The article's revisions (learn.history), newest first: who, when, through
        what; two chosen to compare, and a button to restore each."""
        article = self._history_article(request, object_id)
        page = Paginator(history.versions_of(article.pk), 100).get_page(request.GET.get("p"))
        rows = list(page)
        older = (
            history.versions_of(article.pk).filter(pk__lt=rows[-1].pk).first() if rows else None
        )
        return TemplateResponse(
            request,
            "admin/learn/article/object_history.html",
            {
                **self.admin_site.each_context(request),
                "title": f"History: {article}",
                "subtitle": None,
                "opts": self.opts,
                "object": article,
                "page": page,
                "rows": [
                    (version, previous)
                    for version, previous in zip(rows, [*rows[1:], older], strict=True)
                ],
                "can_restore": self.has_change_permission(request, article),
                **(extra_context or {}),
            },
        )

    def _history_article(self, request, object_id, *, change=False):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article has this id.")
        allowed = (
            self.has_change_permission(request, article)
            if change
            else self.has_view_or_change_permission(request, article)
        )
        if not allowed:
            raise PermissionDenied
        return article

    def compare_view(self, request, object_id):
        """Two revisions of the article: each field side by side, the answer line by line."""
        article = self._history_article(request, object_id)
        versions = history.versions_of(article.pk)
        try:
            chosen = [int(request.GET[name]) for name in ("old", "new")]
        except (KeyError, ValueError):
            return HttpResponseRedirect(reverse("admin:learn_article_history", args=[article.pk]))
        old, new = sorted(
            (get_object_or_404(versions, pk=pk) for pk in chosen), key=lambda v: v.pk
        )
        return TemplateResponse(
            request,
            "admin/learn/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Compare revisions: {article}",
                "subtitle": None,
                "opts": self.opts,
                "object": article,
                "comparison": history.compare(history.snapshot(old), history.snapshot(new)),
                "can_restore": self.has_change_permission(request, article),
            },
        )

    def restore_view(self, request, object_id, version_id):
        """Restore a revision (learn.editorial.article_restore), itself a new revision."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._history_article(request, object_id, change=True)
        version = get_object_or_404(history.versions_of(article.pk), pk=version_id)
        try:
            editorial.article_restore(version, user=request.user)
        except editorial.RestoreError as error:
            self.message_user(request, f"Not restored: {error}", messages.ERROR)
        else:
            self.message_user(
                request,
                "Restored the revision of "
                f"{localtime(version.revision.date_created):%Y-%m-%d %H:%M:%S}; "
                "the restore is the newest revision.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:learn_article_history", args=[article.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        conflict = context["adminform"].form.conflict
        if conflict is not None:
            context["conflict"] = self.conflict_comparison(obj, *conflict)
        context["preview_url"] = (
            reverse("admin:learn_article_preview", args=[obj.pk])
            if obj is not None
            else reverse("admin:learn_article_preview_new")
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def conflict_comparison(article, seen, latest):
        """What changed since the editor opened the form: from the revision they saw
        (none: the article had no history yet) to the newest."""
        versions = history.versions_of(article.pk)
        old = versions.filter(pk=seen).first() if seen else None
        return history.compare(
            history.snapshot(old) if old is not None else history.EMPTY,
            history.snapshot(versions.get(pk=latest)),
        )

    def preview_view(self, request, object_id=None):
        """The unsaved form as readers would see it: the readers' article template, the
        answer rendered as a save renders it, the form's topics and related questions.

        POST only (the change form's data and CSRF token), for those who may add or
        change the article; nothing is saved, and the page is never cached or indexed.
        A field the form refuses is previewed as it was saved (or empty), and listed.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = None if object_id is None else get_object_or_404(Article, pk=object_id)
        allowed = (
            self.has_add_permission(request)
            if obj is None
            else self.has_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(
            request.POST, instance=obj or Article()
        )
        # A preview saves nothing, so it does not check for a newer save by someone else
        # (that check locks the row); saving does.
        form.checks_conflicts = False
        form.is_valid()
        article = form.instance
        if form.errors:
            saved = Article() if obj is None else Article.objects.get(pk=obj.pk)
            for name in form.errors.keys() & form.fields.keys() - {"tags"}:
                attname = Article._meta.get_field(name).attname
                setattr(article, attname, getattr(saved, attname))
        if "answer" in form.errors:
            # Over the limit or empty: an answer that would not save is not rendered.
            article.answer = ""
        if article.subject_id is None:
            article.subject = Subject(name="No subject chosen", slug="no-subject")
        if not article.slug:
            article.slug = "new-article"
        article.updated_at = article.updated_at or timezone.now()
        article.render_answer()
        names = form.cleaned_data.get("tags", []) if "tags" not in form.errors else []
        known = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        tags = [known.get(name) or Tag(name=name, slug=slugify(name)) for name in names]
        curated = list(
            Article.objects.published()
            .cards()
            .filter(pk__in=_posted_targets(request.POST))
            .exclude(pk=article.pk)
        )
        context = article_page_context(request, article, curated=curated, tags=tags, preview=True)
        response = TemplateResponse(
            request,
            "admin/learn/article/preview.html",
            {**context, "errors": form.errors},
        )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
        return response


def _posted_targets(data) -> list[int]:
    """The related articles chosen in the change form's inline, in order, as ids."""
    try:
        total = min(int(data.get("related_links-TOTAL_FORMS", 0)), RelatedLinkInline.max_num)
    except ValueError:
        return []
    targets = []
    for index in range(total):
        prefix = f"related_links-{index}-"
        target = data.get(prefix + "target", "")
        if target.isdigit() and not data.get(prefix + "DELETE"):
            targets.append(int(target))
    return targets


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    form = SubjectAdminForm
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    actions = ["merge"]
    # Explicit: Meta.ordering does not survive the GROUP BY of the article count.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, subject):
        return subject.article_count

    def save_model(self, request, obj, form, change):
        old_slug = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if old_slug != obj.slug:
            redirects.redirect_renamed_subject(obj, old_slug)

    @admin.action(
        description="Merge selected subjects into another", permissions=["change", "delete"]
    )
    def merge(self, request, queryset):
        sources = list(queryset)
        form = MergeSubjectsForm(
            request.POST if "apply" in request.POST else None, sources=sources
        )
        if form.is_valid():
            target = form.cleaned_data["target"]
            for source in sources:
                clashes = editorial.subjects_merge(source=source, target=target, user=request.user)
                if clashes:
                    self.message_user(
                        request,
                        f"{source} was not merged: {target} already has these slugs: "
                        + ", ".join(clashes),
                        messages.ERROR,
                    )
                else:
                    self.message_user(
                        request,
                        f"Merged {source} into {target}; its old URLs redirect.",
                        messages.SUCCESS,
                    )
            return None
        return TemplateResponse(
            request,
            "admin/learn/subject/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge subjects",
                "opts": self.opts,
                "form": form,
                "subjects": Subject.objects.filter(pk__in=[s.pk for s in sources]).annotate(
                    article_count=Count("articles")
                ),
                "selected": [s.pk for s in sources],
                "action": "merge",
            },
        )


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path"]
    autocomplete_fields = ["article", "subject"]
    list_select_related = ["article__subject", "subject"]

    @admin.display(description="redirects to")
    def new_path(self, redirect):
        return redirect.new_path


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only records of imports; "add" is the upload with its dry run."""

    list_display = [
        "created_at",
        "user",
        "origin",
        "source",
        "status",
        "created",
        "updated",
        "unchanged",
        "failed",
    ]
    list_filter = ["origin", "status"]
    list_select_related = ["user"]
    search_fields = ["source"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "finished_at",
        "user",
        "origin",
        "source",
        "status",
        ("created", "updated", "unchanged", "failed"),
        ("links_resolved", "links_dangling"),
        "files",
    ]
    readonly_fields = [
        name for item in fields for name in (item if isinstance(item, tuple) else [item])
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="files")
    def files(self, run):
        """The run's files as a table per outcome, linked to their articles; an updated
        file's changes under it."""
        return render_to_string(
            "admin/learn/importrun/files.html", {"tables": import_runs.file_tables(run)}
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="learn_importrun_confirm",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Upload files; a dry run shows what would change before anything is written."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            names = ", ".join(upload.name for upload in uploads)
            try:
                data = pack([(upload.name, upload.read()) for upload in uploads])
                run = import_runs.upload_dry_run(files=data, source=names, user=request.user)
            except UploadError as error:
                form.add_error("files", str(error))
            else:
                return HttpResponseRedirect(reverse("admin:learn_importrun_change", args=[run.pk]))
        return TemplateResponse(
            request,
            "admin/learn/importrun/upload.html",
            {
                **self.admin_site.each_context(request),
                "title": "Import article files",
                "opts": self.opts,
                "form": form,
            },
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_confirm"] = (
            obj is not None
            and obj.status == ImportRun.Status.PENDING
            and self.has_add_permission(request)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def confirm_view(self, request, object_id):
        """Apply or discard a pending upload."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=object_id, status=ImportRun.Status.PENDING)
        if "discard" in request.POST:
            import_runs.upload_discard(run)
            self.message_user(request, "Discarded the upload; nothing was imported.")
        else:
            run = import_runs.upload_apply(run)
            level = messages.WARNING if run.failed else messages.SUCCESS
            self.message_user(
                request,
                f"Imported: {run.created} created, {run.updated} updated, "
                f"{run.unchanged} unchanged, {run.failed} failed.",
                level,
            )
        return HttpResponseRedirect(reverse("admin:learn_importrun_change", args=[run.pk]))


admin.site.site_header = "QuickTakes editorial"
admin.site.site_title = "QuickTakes admin"
