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
from learn.paths import topic_path, topics_path
from learn.topics import indexable_topics


def indexable_articles():
    return Article.objects.published().filter(no_index=False)


class IdPagedPaginator(Paginator):
    """Pages of ``object_list`` (ordered by id through an index) whose count is stored:
    a page finds its first id from the index alone, then reads its rows from that id on,
    so no page reads the rows of the pages before it."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count

    def page(self, number):
        number = self.validate_number(number)
        rows = self.object_list
        if number > 1:
            skip = (number - 1) * self.per_page
            first = list(rows.values_list("pk", flat=True)[skip : skip + 1])
            rows = rows.filter(pk__gte=first[0]) if first else rows.none()
        return self._get_page(list(rows[: self.per_page]), number, self)


class SubjectArticlesSitemap(Sitemap):
    """A subject's indexable articles, split into pages of ``limit`` URLs.

    The index needs only the number of pages and the latest lastmod: both come from
    the subject's stored counts, so listing a section costs nothing until it is read.
    A section's page reads its rows through the ``learn_article_sitemap`` index from
    its first id (``IdPagedPaginator``).
    """

    # Sitemaps may hold 50,000 URLs, but a page's cost is its URLs: a page this size
    # costs the same however large the subject grows (the index lists more pages).
    limit = 1000

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
        return IdPagedPaginator(self._items(), self.limit, count=self.subject.indexable_articles)

    def get_latest_lastmod(self):
        return self.subject.indexable_modified_at


class PagesSitemap(Sitemap):
    """The home page, the subject list, the topics index and every subject's list."""

    def __init__(self, subjects):
        self.subjects = subjects

    def items(self):
        lastmods = {subject: subject.indexable_modified_at for subject in self.subjects}
        latest = max(lastmods.values(), default=None)
        return [
            (reverse("learn:home"), latest),
            (reverse("learn:subject_list"), latest),
            (topics_path(), latest),
            *((subject.get_absolute_url(), lastmod) for subject, lastmod in lastmods.items()),
        ]

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]


class TopicsSitemap(Sitemap):
    """Topics with at least THIN_TOPIC published articles."""

    def items(self):
        return indexable_topics()

    def location(self, item):
        return topic_path(item)


def sitemaps():
    """The sections, by name: built per request from the subjects' stored counts, as
    subjects come and go."""
    subjects = list(Subject.objects.with_indexable_articles().order_by("slug"))
    sections = {"pages": PagesSitemap(subjects), "topics": TopicsSitemap()}
    for subject in subjects:
        sections[f"subject-{subject.slug}"] = SubjectArticlesSitemap(subject)
    return sections
