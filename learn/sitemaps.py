"""The sitemap index: one section per subject, plus the list and topic pages.

Only what may be indexed is listed: published articles without ``no_index``, subjects
with such articles, and topics that are not thin. ``lastmod`` is ``Article.modified_at``,
from ``updated_at``, which changes only when an article's content does: the importer
skips files whose bytes were imported before, and keeps ``updated_at`` when new bytes
carry the same content.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, Q
from django.urls import reverse

from learn.models import Article, Subject, modified_at
from learn.topics import indexable_topics


def indexable_articles():
    return Article.objects.published().filter(no_index=False)


class SubjectArticlesSitemap(Sitemap):
    """A subject's indexable articles; Sitemap.limit splits it at 50,000 URLs."""

    def __init__(self, subject):
        self.subject = subject

    def items(self):
        return (
            indexable_articles()
            .filter(subject=self.subject)
            .only("slug", "updated_at", "published_on", "subject__slug")
            .select_related("subject")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, not every item of the section.
        latest = self.items().aggregate(updated=Max("updated_at"), published=Max("published_on"))
        return modified_at(latest["updated"], latest["published"])


class PagesSitemap(Sitemap):
    """The home page, the subject list and every subject's question list."""

    def items(self):
        indexable = Q(articles__in=indexable_articles())
        subjects = (
            Subject.objects.annotate(
                count=Count("articles", filter=indexable),
                updated=Max("articles__updated_at", filter=indexable),
                published=Max("articles__published_on", filter=indexable),
            )
            .filter(count__gt=0)
            .order_by("slug")
        )
        lastmods = {
            subject: modified_at(subject.updated, subject.published) for subject in subjects
        }
        latest = max(lastmods.values(), default=None)
        return [
            (reverse("learn:home"), latest),
            (reverse("learn:subject_list"), latest),
            *((subject.get_absolute_url(), lastmod) for subject, lastmod in lastmods.items()),
        ]

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]


class TopicsSitemap(Sitemap):
    """Topics with at least THIN_TOPIC published articles."""

    def items(self):
        return [slug for slug, _ in indexable_topics()]

    def location(self, item):
        return reverse("learn:topic", kwargs={"slug": item})


def sitemaps():
    """The sections, by name: built per request, as subjects come and go."""
    sections = {"pages": PagesSitemap(), "topics": TopicsSitemap()}
    subjects = Subject.objects.filter(articles__in=indexable_articles()).distinct()
    for subject in subjects.order_by("slug"):
        sections[f"subject-{subject.slug}"] = SubjectArticlesSitemap(subject)
    return sections
