"""The sitemap index: one section per subject, plus the list and topic pages.

Only what may be indexed is listed: published articles without ``no_index``, subjects
with such articles, and topics that are not thin. ``lastmod`` is ``Article.modified_at``,
from ``updated_at``, which changes only when an article's content does: the importer
skips files whose bytes were imported before, and keeps ``updated_at`` when new bytes
carry the same content.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import cached_property

from learn.models import Article, Subject
from learn.topics import indexable_topics


def indexable_articles():
    return Article.objects.published().filter(no_index=False)


class SubjectArticlesSitemap(Sitemap):
    """A subject's indexable articles; Sitemap.limit splits it at 50,000 URLs.

    The index needs only the number of pages and the latest lastmod: both come from
    the subject's stored counts, so listing a section costs nothing until it is read.
    """

    def __init__(self, subject):
        self.subject = subject

    def items(self):
        return (
            indexable_articles()
            .filter(subject=self.subject)
            .only("slug", "updated_at", "published_on", "published_time", "subject__slug")
            .select_related("subject")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.modified_at

    @cached_property
    def paginator(self):
        paginator = Paginator(self._items(), self.limit)
        paginator.count = self.subject.indexable_articles
        return paginator

    def get_latest_lastmod(self):
        return self.subject.indexable_modified_at


class PagesSitemap(Sitemap):
    """The home page, the subject list and every subject's question list."""

    def __init__(self, subjects):
        self.subjects = subjects

    def items(self):
        lastmods = {subject: subject.indexable_modified_at for subject in self.subjects}
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
    """The sections, by name: built per request from the subjects' stored counts, as
    subjects come and go."""
    subjects = list(Subject.objects.with_indexable_articles().order_by("slug"))
    sections = {"pages": PagesSitemap(subjects), "topics": TopicsSitemap()}
    for subject in subjects:
        sections[f"subject-{subject.slug}"] = SubjectArticlesSitemap(subject)
    return sections
