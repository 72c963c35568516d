"""Reader-facing pages: home, subjects, a subject's questions, one article, topics, search."""

import logging
import sys
from dataclasses import replace
from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import views as sitemap_views
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag, TaggedItem

from learn import seo
from learn.caching import (
    SUBJECTS_KEY,
    TOPICS_KEY,
    article_key,
    neighbours_key,
    related_key,
    subject_key,
    topic_key,
)
from learn.context_processors import nav_subjects
from learn.forms import SearchFilterForm
from learn.lists import (
    DeferredJoinPaginator,
    neighbours,
    newest_across_subjects,
    subject_articles,
)
from learn.models import (
    OTHER_INITIAL,
    Article,
    RelatedLink,
    Subject,
    Topic,
    can_preview,
    card,
    card_columns,
    moment_slots,
    published_q,
    reading_moment,
)
from learn.paths import slug_words, topic_letter_path, topic_path, topics_path
from learn.related import related_articles
from learn.sitemaps import index_xml, sitemaps, urlset_xml
from learn.statements import Statement
from learn.topics import (
    LARGEST_TOPICS,
    LETTERS,
    POPULAR_TOPICS,
    THIN_TOPIC,
    find_topic,
    initial_of_segment,
    largest_topics,
    topic_articles,
    topic_tags,
    topics_starting_with,
)

READER_METHODS = ("GET", "HEAD", "OPTIONS")


def reader_methods(view):
    """The methods of every reader URL: GET and HEAD; OPTIONS answered with an empty 200
    naming them; any other method 405, with the same ``Allow``.

    Reader views never write, so an unsafe method is refused here, never by CSRF's 403
    (which would say a token was missing, where none could ever make it succeed).
    """

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ", ".join(READER_METHODS)})
        if request.method not in READER_METHODS:
            return HttpResponseNotAllowed(READER_METHODS)
        return view(request, *args, **kwargs)

    return wrapped


def cards_keys(articles) -> list[str]:
    """The page cache's keys of the articles a page shows."""
    return [article_key(article.pk) for article in articles]


logger = logging.getLogger(__name__)
# How long a client should wait before asking again while the database is down.
RETRY_AFTER_SECONDS = 30


def subjects_with_counts():
    return Subject.objects.with_live_articles().order_by("name")


def counted(row, queryset):
    """``row`` (a Subject or Topic) with its stored counts current: recounted first
    when a scheduled article of it has come out since (a query only then)."""
    due = row.counts_due_at
    if due is not None and due <= timezone.now():
        queryset.filter(pk=row.pk).recount()
        row.refresh_from_db()
    return row


# The home page's newest articles, and its largest subjects.
HOME_LATEST = 10
HOME_SUBJECTS = 6


class HomeView(TemplateView):
    """The newest articles across subjects (each subject's newest in turn), the largest
    subjects and the most popular topics, and every subject."""

    template_name = "learn/home.html"

    def get_context_data(self, **kwargs):
        meta = seo.PageMeta(
            title=f"{seo.SITE_NAME}: short answers to real questions",
            description=seo.SITE_DESCRIPTION,
            canonical=self.request.build_absolute_uri(reverse("learn:home")),
            feeds=[seo.site_feed(self.request)],
        )
        subjects = list(subjects_with_counts())
        latest = newest_across_subjects(subjects, HOME_LATEST)
        largest = sorted(subjects, key=lambda s: (-s.live_articles, s.name))[:HOME_SUBJECTS]
        return super().get_context_data(
            subjects=subjects,
            largest_subjects=largest,
            popular_topics=list(largest_topics(POPULAR_TOPICS)),
            latest=latest,
            meta=meta,
            cache_keys=[SUBJECTS_KEY, TOPICS_KEY, *cards_keys(latest)],
            **kwargs,
        )


class SubjectListView(ListView):
    """Every subject that has published articles, with how many."""

    template_name = "learn/subject_list.html"
    context_object_name = "subjects"

    def get_queryset(self):
        return subjects_with_counts()

    def get_context_data(self, **kwargs):
        meta = seo.PageMeta(
            title=f"Subjects | {seo.SITE_NAME}",
            description="Browse QuickTakes questions and answers by subject.",
            canonical=self.request.build_absolute_uri(self.request.path),
            feeds=[seo.site_feed(self.request)],
        )
        return super().get_context_data(meta=meta, cache_keys=[SUBJECTS_KEY], **kwargs)


class ArticleListView(ListView):
    """A subject's published articles, newest first, paginated: the count is the
    subject's stored one and a page reads its ids through the subject's index, so page
    500 costs what page 1 does."""

    paginate_by = 20
    template_name = "learn/article_list.html"

    def get_queryset(self):
        self.subject = counted(
            get_object_or_404(Subject, slug=self.kwargs["subject"]), Subject.objects
        )
        return subject_articles(self.subject)

    def get_paginator(self, queryset, per_page, **kwargs):
        return DeferredJoinPaginator(
            queryset,
            per_page,
            count=self.subject.live_articles,
            rows=Article.objects.cards(),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(subject=self.subject, **kwargs)
        number = context["page_obj"].number
        page = f" (page {number})" if number > 1 else ""
        context["meta"] = seo.PageMeta(
            title=f"{self.subject.name} questions{page} | {seo.SITE_NAME}",
            description=f"Questions and answers about {self.subject.name} on QuickTakes.",
            canonical=seo.page_url(self.request, number),
            feeds=[seo.subject_feed(self.request, self.subject), seo.site_feed(self.request)],
        )
        context["cache_keys"] = [subject_key(self.subject.pk), *cards_keys(context["object_list"])]
        return context


class ArticleDetailView(DetailView):
    """One published article at its source URL ``/learn/<subject>/questions/<slug>``.

    Related links are shown once per target, and only when the target is a
    published article: an unresolved link never becomes a dead link. Fewer than
    five are topped up with the articles sharing most topics.

    Users who may change articles also see drafts and articles dated in the future,
    marked as a preview, kept out of search engines and never cached.
    """

    template_name = "learn/article_detail.html"

    def get_queryset(self):
        articles = Article.objects.all()
        if not can_preview(self.request.user):
            articles = articles.published()
        # Not the Markdown source nor the search vector: the page shows neither.
        return articles.select_related("subject").defer("answer", "search_vector")

    def get_object(self, queryset=None):
        subject, slug = self.kwargs["subject"], self.kwargs["slug"]
        if queryset is None and not can_preview(self.request.user):
            # A reader's article: the queryset's statement, compiled once.
            rows = _READERS_ARTICLE.rows(subject=subject, slug=slug, **reading_moment())
            if not rows:
                raise Http404("No article found matching the query")
            split = len(_PAGE_FIELDS)
            article = Article.from_db(DEFAULT_DB_ALIAS, _PAGE_FIELDS, rows[0][:split])
            article.subject = Subject.from_db(DEFAULT_DB_ALIAS, _SUBJECT_FIELDS, rows[0][split:])
            return article
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, subject__slug=subject, slug=slug)

    def get_context_data(self, **kwargs):
        """Three indexed queries after the article's: its topics, its curated links to
        published articles (joined, never a subquery over every article) and its stored
        related articles (learn.related)."""
        article = self.object
        moment = reading_moment()
        curated, seen = [], set()
        for row in _CURATED.rows(article=article.pk, **moment):
            target = card(row, DEFAULT_DB_ALIAS)
            if target.pk not in seen:
                seen.add(target.pk)
                curated.append(target)
        content_type = ContentType.objects.get_for_model(Article).pk
        tags = [
            Tag.from_db(DEFAULT_DB_ALIAS, _TAG_COLUMNS, row)
            for row in _TAGS.rows(content_type=content_type, article=article.pk)
        ]
        context = article_page_context(self.request, article, curated=curated, tags=tags)
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["draft_preview"]:
            add_never_cache_headers(response)
        return response


# What an article page reads of its article (not the Markdown source nor the search
# vector: the page shows neither) and of its subject.
_PAGE_FIELDS = [
    f.attname for f in Article._meta.concrete_fields if f.name not in ("answer", "search_vector")
]
_SUBJECT_FIELDS = [f.attname for f in Subject._meta.concrete_fields]


def _readers_article(*, subject, slug, today, time):
    return Article.objects.filter(
        published_q(today=today, time=time), subject__slug=subject, slug=slug
    ).values_list(*_PAGE_FIELDS, *(f"subject__{name}" for name in _SUBJECT_FIELDS))


def _curated(*, article, today, time):
    return (
        RelatedLink.objects.filter(
            published_q("target__", today=today, time=time), article_id=article
        )
        .exclude(target_id=article)
        .order_by("position")
        .values_list(*card_columns("target__"))
    )


def _tags(*, content_type, article):
    return (
        TaggedItem.objects.filter(content_type_id=content_type, object_id=article)
        .order_by("pk")
        .values_list(*(f"tag__{name}" for name in _TAG_COLUMNS))
    )


# An article page's queries after the article's, compiled once (learn.statements): its
# curated links to articles readers may see, in their order, and its tags.
_CURATED = Statement(
    _curated,
    article=RelatedLink._meta.get_field("article"),
    **moment_slots(),
)
_READERS_ARTICLE = Statement(
    _readers_article,
    subject=Subject._meta.get_field("slug"),
    slug=Article._meta.get_field("slug"),
    **moment_slots(),
)
_TAG_COLUMNS = [f.attname for f in Tag._meta.concrete_fields]
_TAGS = Statement(
    _tags,
    content_type=TaggedItem._meta.get_field("content_type"),
    article=TaggedItem._meta.get_field("object_id"),
)


def article_page_context(request, article, *, curated, tags, preview=False) -> dict:
    """What templates/learn/article_detail.html shows of ``article`` besides itself:
    its topics, its related questions (``curated``, topped up to five from the stored
    ones), its previous and next question, its head and whether it is a preview (a
    draft, scheduled, or an editor's unsaved form), which is kept out of search engines."""
    draft_preview = preview or not article.is_live
    for tag in tags:
        # Each tag's topic link, as {% url %} would give it at a tenth of the cost.
        tag.path = topic_path(tag.slug)
    meta = seo.article_meta(request, article, tags)
    related = related_articles(article, curated)
    # A draft has no place in its subject's list, so no neighbours.
    newer, older = (None, None) if draft_preview else neighbours(article)
    shown = [a for a in (newer, older) if a is not None]
    return {
        "article": article,
        "related_articles": related,
        "newer_article": newer,
        "older_article": older,
        "tags": tags,
        "meta": replace(meta, noindex=True) if draft_preview else meta,
        "draft_preview": draft_preview,
        "cache_keys": [
            related_key(article.pk),
            *cards_keys([article, *related, *shown]),
            neighbours_key(article.pk),
        ],
    }


class TopicView(ListView):
    """The published articles filed under a topic, newest first, paginated; the count
    is the topic's stored one.

    A topic is reached by any of its tags' slugs and lives at its smallest one.
    """

    paginate_by = 20
    template_name = "learn/topic_detail.html"

    def get(self, request, *args, **kwargs):
        topic = find_topic(kwargs["slug"])
        if topic is None:
            raise Http404("No such topic.")
        if topic.slug != kwargs["slug"]:
            return redirect("learn:topic", slug=topic.slug, permanent=True)
        self.topic = counted(topic, Topic.objects)
        self.tags = topic_tags(self.topic)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return topic_articles(self.topic)

    def get_paginator(self, queryset, per_page, **kwargs):
        return DeferredJoinPaginator(
            queryset,
            per_page,
            count=self.topic.live_articles,
            # The reader's rule on the rows too: an entry a write left behind never
            # shows what readers may not see.
            rows=Article.objects.published().cards(),
            id_field="article_id",
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.topic.name
        number = context["page_obj"].number
        page = f" (page {number})" if number > 1 else ""
        context["topic"] = self.topic
        context["meta"] = seo.PageMeta(
            title=f"{name}{page}: questions and answers | {seo.SITE_NAME}",
            description=f"QuickTakes questions and answers about {name}.",
            canonical=seo.page_url(self.request, number),
            noindex=context["paginator"].count < THIN_TOPIC,
            feeds=[seo.site_feed(self.request)],
        )
        context["cache_keys"] = [
            *(topic_key(tag.pk) for tag in self.tags),
            *cards_keys(context["object_list"]),
        ]
        return context


class TopicsIndexView(TemplateView):
    """/topics/: the largest topics, and the A to Z that leads to every topic."""

    template_name = "learn/topic_index.html"

    def get_context_data(self, **kwargs):
        meta = seo.PageMeta(
            title=f"Topics | {seo.SITE_NAME}",
            description="Topics of QuickTakes questions and answers, largest first and A to Z.",
            canonical=self.request.build_absolute_uri(topics_path()),
            feeds=[seo.site_feed(self.request)],
        )
        return super().get_context_data(
            topics=list(largest_topics(LARGEST_TOPICS)),
            letters=letter_links(None),
            meta=meta,
            cache_keys=[TOPICS_KEY],
            **kwargs,
        )


def letter_links(current):
    """(letter, URL, whether it is the page shown) for each letter of the topics' A to Z."""
    return [(letter, topic_letter_path(segment), letter == current) for letter, segment in LETTERS]


class TopicLetterView(ListView):
    """/topics/a-z/<letter>/: the topics under one letter of the A to Z, by name."""

    paginate_by = 100
    template_name = "learn/topic_letter.html"
    context_object_name = "topics"

    def get_queryset(self):
        self.initial = initial_of_segment(self.kwargs["letter"])
        if self.initial is None:
            raise Http404("No such letter.")
        return topics_starting_with(self.initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        number = context["page_obj"].number
        page = f" (page {number})" if number > 1 else ""
        heading = "other characters" if self.initial == OTHER_INITIAL else self.initial
        context["heading"] = heading
        context["letters"] = letter_links(self.initial)
        context["meta"] = seo.PageMeta(
            title=f"Topics: {heading}{page} | {seo.SITE_NAME}",
            description=f"QuickTakes topics starting with {heading}.",
            canonical=seo.page_url(self.request, number),
            feeds=[seo.site_feed(self.request)],
        )
        context["cache_keys"] = [TOPICS_KEY]
        return context


class SearchView(ListView):
    """Published articles matching ``?q=``, in the subject ``?subject=`` (a slug) if
    given, best first, with highlighted questions and snippets; a query that matches
    nothing is corrected where it can be (``learn.search``).

    Search results are never indexed by search engines.
    """

    paginate_by = 20
    template_name = "learn/search.html"

    def get_queryset(self):
        self.filters = SearchFilterForm(self.request.GET, subjects=nav_subjects())
        articles = Article.objects.all()
        if subject := self.filters.subject_slug():
            articles = articles.filter(subject__slug=subject)
        return articles.search(self.request.GET.get("q", ""))

    def paginate_queryset(self, queryset, page_size):
        """A page past the last, or no number at all, is the last or the first page: the
        ranked matches end at a bound that readers cannot see, so no page is a 404."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        self.query = self.object_list.query
        subject = self.filters.subject_slug()
        context = super().get_context_data(
            query=self.query,
            results=self.object_list,
            filters=self.filters,
            subject_filter=subject,
            **kwargs,
        )
        title = f"Search: {self.query}" if self.query else "Search"
        context["meta"] = seo.PageMeta(
            title=f"{title} | {seo.SITE_NAME}",
            description="Search QuickTakes questions and answers.",
            canonical=seo.page_url(
                self.request, context["page_obj"].number, q=self.query, subject=subject
            ),
            noindex=True,
            feeds=[seo.site_feed(self.request)],
        )
        return context


def robots_txt(request):
    """robots.txt: everything but the admin may be crawled; the sitemap is named."""
    sitemap = request.build_absolute_uri(reverse("learn:sitemap_index"))
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap_index(request):
    """/sitemap.xml: the index of the sitemap sections (django.contrib.sitemaps)."""
    response = sitemap_views.index(request, sitemaps(), sitemap_url_name="learn:sitemap_section")
    response.content = index_xml(response.context_data["sitemaps"])
    return response


def sitemap_section(request, section):
    """One section of the sitemap; ``?p=`` pages it past 50,000 URLs."""
    response = sitemap_views.sitemap(request, sitemaps(), section=section)
    response.content = urlset_xml(response.context_data["urlset"])
    return response


# How many articles the 404 page suggests.
NOT_FOUND_SUGGESTIONS = 5


def is_admin_path(path: str) -> bool:
    """Whether ``path`` is the admin's, whose missing pages suggest no articles."""
    return path.startswith(reverse("admin:index"))


def page_not_found(request, exception=None):
    """handler404: the site's 404 page, with the articles best matching the words of the
    missing page's slug (``learn.paths.slug_words``, searched as a reader's query is,
    corrections included), so that a mistyped or outdated URL leads on.

    The words are bounded as any query is (``learn.search.terms.limit``): a long path
    costs what a short one does. Never cached: a suggestion may be unpublished later.
    """
    words = "" if is_admin_path(request.path) else slug_words(request.path)
    suggestions = list(Article.objects.search(words)[:NOT_FOUND_SUGGESTIONS]) if words else []
    response = HttpResponseNotFound(
        loader.render_to_string("404.html", {"suggestions": suggestions}, request)
    )
    add_never_cache_headers(response)
    return response


def server_error(request):
    """handler500: Django's 500 page, or a 503 with Retry-After while the database is down.

    Django calls it for an exception raised anywhere below it (views, templates,
    middleware) while handling it, so ``sys.exc_info()`` is that exception. An outage
    is logged in one line per request, not with a traceback: it is the database's
    state, not a bug. The page itself queries nothing, so it renders during the outage.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    reason = str(error).strip().partition("\n")[0][:200]
    logger.error(
        "Database unavailable, answered 503: %s %s (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        reason,
    )
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # Django logs every error response with the exception's traceback unless it is marked
    # as logged already (django.utils.log.log_response): the line above is the log.
    response._has_been_logged = True
    return response
