"""Reader-facing pages: home, subjects, a subject's questions, one article."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView, TemplateView

from learn.models import Article, RelatedLink, Subject


def subjects_with_counts():
    published = Q(articles__in=Article.objects.published())
    return (
        Subject.objects.annotate(article_count=Count("articles", filter=published))
        .filter(article_count__gt=0)
        .order_by("name")
    )


class HomeView(TemplateView):
    template_name = "learn/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subjects=subjects_with_counts(),
            latest=Article.objects.published().select_related("subject")[:10],
            **kwargs,
        )


class SubjectListView(ListView):
    """Every subject that has published articles, with how many."""

    template_name = "learn/subject_list.html"
    context_object_name = "subjects"

    def get_queryset(self):
        return subjects_with_counts()


class ArticleListView(ListView):
    """A subject's published articles, newest first, paginated."""

    paginate_by = 20
    template_name = "learn/article_list.html"

    def get_queryset(self):
        self.subject = get_object_or_404(Subject, slug=self.kwargs["subject"])
        return (
            Article.objects.published()
            .filter(subject=self.subject)
            .only(
                "slug",
                "question",
                "seo_description",
                "published_on",
                "date_format",
                "posted_on_text",
                "subject__slug",
            )
            .select_related("subject")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class ArticleDetailView(DetailView):
    """One published article at its source URL ``/learn/<subject>/questions/<slug>``.

    Related links are shown once per target, and only when the target is a
    published article: an unresolved link never becomes a dead link.

    Users who may change articles also see drafts and articles dated in the future,
    marked as a preview, kept out of search engines and never cached.
    """

    template_name = "learn/article_detail.html"

    def get_queryset(self):
        links = RelatedLink.objects.filter(target__in=Article.objects.published()).select_related(
            "target__subject"
        )
        can_preview = self.request.user.has_perm("learn.change_article")
        return (
            (Article.objects.all() if can_preview else Article.objects.published())
            .select_related("subject")
            .prefetch_related("tags", Prefetch("related_links", queryset=links))
        )

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(
            queryset, subject__slug=self.kwargs["subject"], slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        related, seen = [], set()
        for link in self.object.related_links.all():
            if link.target_id not in seen and link.target_id != self.object.pk:
                seen.add(link.target_id)
                related.append(link.target)
        return super().get_context_data(
            related_articles=related, draft_preview=not self.object.is_live, **kwargs
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["draft_preview"]:
            add_never_cache_headers(response)
        return response
