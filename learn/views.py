"""Reader-facing pages: home, subjects, a subject's questions, one article, topics, search."""

import logging
import sys
from dataclasses import replace
from functools import wraps

from django.contrib.sitemaps import views as sitemap_views
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView, TemplateView

from learn import seo
from learn.caching import SUBJECTS_KEY, article_key, subject_key, topic_key
from learn.models import Article, RelatedLink, Subject, can_preview
from learn.related import related_articles
from learn.sitemaps import sitemaps
from learn.topics import THIN_TOPIC, topic_articles, topic_tags

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


class HomeView(TemplateView):
    template_name = "learn/home.html"

    def get_context_data(self, **kwargs):
        meta = seo.PageMeta(
            title=f"{seo.SITE_NAME}: short answers to real questions",
            description=seo.SITE_DESCRIPTION,
            canonical=self.request.build_absolute_uri(reverse("learn:home")),
            feeds=[seo.site_feed(self.request)],
        )
        latest = list(Article.objects.published().cards()[:10])
        return super().get_context_data(
            subjects=subjects_with_counts(),
            latest=latest,
            meta=meta,
            cache_keys=[SUBJECTS_KEY, *cards_keys(latest)],
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
    """A subject's published articles, newest first, paginated."""

    paginate_by = 20
    template_name = "learn/article_list.html"

    def get_queryset(self):
        self.subject = get_object_or_404(Subject, slug=self.kwargs["subject"])
        return Article.objects.published().filter(subject=self.subject).cards()

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
        links = RelatedLink.objects.filter(target__in=Article.objects.published()).select_related(
            "target__subject"
        )
        return (
            (
                Article.objects.all()
                if can_preview(self.request.user)
                else Article.objects.published()
            )
            .select_related("subject")
            .prefetch_related("tags", Prefetch("related_links", queryset=links))
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(
            queryset, subject__slug=self.kwargs["subject"], slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        curated, seen = [], set()
        for link in self.object.related_links.all():
            if link.target_id not in seen and link.target_id != self.object.pk:
                seen.add(link.target_id)
                curated.append(link.target)
        context = article_page_context(
            self.request, self.object, curated=curated, tags=list(self.object.tags.all())
        )
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["draft_preview"]:
            add_never_cache_headers(response)
        return response


def article_page_context(request, article, *, curated, tags, preview=False) -> dict:
    """What templates/learn/article_detail.html shows of ``article`` besides itself:
    its topics, its related questions (``curated``, topped up to five), its head and
    whether it is a preview (a draft, scheduled, or an editor's unsaved form), which is
    kept out of search engines."""
    draft_preview = preview or not article.is_live
    meta = seo.article_meta(request, article, tags)
    related = related_articles(article, curated, [t.pk for t in tags if t.pk])
    return {
        "article": article,
        "related_articles": related,
        "tags": tags,
        "meta": replace(meta, noindex=True) if draft_preview else meta,
        "draft_preview": draft_preview,
        "cache_keys": cards_keys([article, *related]),
    }


class TopicView(ListView):
    """The published articles filed under a topic, newest first, paginated.

    A topic is reached by any of its tags' slugs and lives at its smallest one.
    """

    paginate_by = 20
    template_name = "learn/topic_detail.html"

    def get(self, request, *args, **kwargs):
        self.tags = topic_tags(kwargs["slug"])
        if not self.tags:
            raise Http404("No such topic.")
        if self.tags[0].slug != kwargs["slug"]:
            return redirect("learn:topic", slug=self.tags[0].slug, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return topic_articles(self.tags)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.tags[0].name
        number = context["page_obj"].number
        page = f" (page {number})" if number > 1 else ""
        context["topic"] = self.tags[0]
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


class SearchView(ListView):
    """Published articles matching ``?q=``, best first, with highlighted snippets.

    Search results are never indexed by search engines.
    """

    paginate_by = 20
    template_name = "learn/search.html"

    def get_queryset(self):
        return Article.objects.search(self.request.GET.get("q", ""))

    def paginate_queryset(self, queryset, page_size):
        """A page past the last, or no number at all, is the last or the first page: the
        ranked matches end at a bound that readers cannot see, so no page is a 404."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        self.query = self.object_list.query
        context = super().get_context_data(query=self.query, results=self.object_list, **kwargs)
        title = f"Search: {self.query}" if self.query else "Search"
        context["meta"] = seo.PageMeta(
            title=f"{title} | {seo.SITE_NAME}",
            description="Search QuickTakes questions and answers.",
            canonical=seo.page_url(self.request, context["page_obj"].number, q=self.query),
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
    return sitemap_views.index(request, sitemaps(), sitemap_url_name="learn:sitemap_section")


def sitemap_section(request, section):
    """One section of the sitemap; ``?p=`` pages it past 50,000 URLs."""
    return sitemap_views.sitemap(request, sitemaps(), section=section)


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
