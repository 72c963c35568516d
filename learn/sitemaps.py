"""The sitemap index: one section per subject, plus the list and topic pages.

Only what may be indexed is listed: published articles without ``no_index``, subjects
with such articles, and topics that are not thin. ``lastmod`` is ``Article.modified_at``,
from ``updated_at``, which changes only when an article's content does: the importer
skips files whose bytes were imported before, and keeps ``updated_at`` when new bytes
carry the same content.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.timezone import template_localtime

from learn.models import Article, Subject, modified_at
from learn.paths import article_path, topic_path, topics_path
from learn.topics import indexable_topics


def indexable_articles():
    return Article.objects.published().filter(no_index=False)


class IdPagedPaginator(Paginator):
    """Pages of the rows ``rows()`` gives (a queryset ordered by id through an index),
    whose count is stored: a page finds its first id from the index alone, then reads
    its rows from that id on, so no page reads the rows of the pages before it.

    The rows are asked for only when a page is read: the sitemap index asks each section
    for its number of pages alone, and building each subject's queryset cost the index
    more than writing its entries."""

    def __init__(self, rows, per_page, *, count):
        super().__init__((), per_page)
        self.rows = rows
        self.count = count

    def page(self, number):
        number = self.validate_number(number)
        rows = self.rows()
        if number > 1:
            skip = (number - 1) * self.per_page
            first = list(rows.values_list("pk", flat=True)[skip : skip + 1])
            rows = rows.filter(pk__gte=first[0]) if first else rows.none()
        return self._get_page(list(rows[: self.per_page]), number, self)


class SubjectArticlesSitemap(Sitemap):
    """A subject's indexable articles, split into pages of ``limit`` URLs.

    The index needs only the number of pages and the latest lastmod: both come from
    the subject's stored counts, so listing a section costs nothing until it is read.
    A section's page reads its rows from the ``learn_article_sitemap_rows`` index
    alone, from its first id (``IdPagedPaginator``).
    """

    # Sitemaps may hold 50,000 URLs, but a page's cost is its URLs: a page this size
    # costs the same however large the subject grows (the index lists more pages).
    limit = 1000

    def __init__(self, subject):
        self.subject = subject

    def items(self):
        # Rows, not models: a page builds 1,000 of them, and the subject is this one.
        return (
            indexable_articles()
            .filter(subject=self.subject)
            .order_by("pk")
            .values_list("pk", "slug", "updated_at", "published_on", "published_time", named=True)
        )

    def location(self, item):
        return article_path(self.subject.slug, item.slug)

    def lastmod(self, item):
        return modified_at(item.updated_at, item.published_on, item.published_time)

    @cached_property
    def paginator(self):
        return IdPagedPaginator(self._items, self.limit, count=self.subject.indexable_articles)

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


# django.contrib.sitemaps' views build the index's items and a section's URLs; these
# write them as its templates do (sitemap_index.xml, sitemap.xml: the same bytes) without
# the template engine, which took 60% of a section page of 1,000 URLs and grew the index,
# which lists a page per 1,000 articles, by 35 µs an entry (a 1M-article index: 1,000).


def index_xml(items) -> str:
    """The <sitemapindex> of ``items`` (the index view's SitemapIndexItem list).

    The pages of a section share its lastmod, written once a section: a section gains a
    page per 1,000 articles, and writing the time zone's moment cost each entry more
    than the rest of it together (15 ms of a 1M-article index of 1,023 entries)."""
    entries = []
    lastmods = {None: ""}
    for item in items:
        lastmod = lastmods.get(item.last_mod)
        if lastmod is None:
            moment = template_localtime(item.last_mod).isoformat()
            lastmod = lastmods[item.last_mod] = f"<lastmod>{moment}</lastmod>"
        entries.append(f"<sitemap><loc>{escape(item.location)}</loc>{lastmod}</sitemap>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{''.join(entries)}\n</sitemapindex>\n"
    )


def urlset_xml(urls) -> str:
    """The <urlset> of ``urls`` (Sitemap.get_urls()'s dicts)."""
    entries = []
    # template_localtime()'s conversion, with the time zone looked up once a page, not
    # once a URL (a page holds 1,000).
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    for url in urls:
        entry = f"<url><loc>{escape(url['location'])}</loc>"
        if lastmod := url.get("lastmod"):
            if zone is not None and isinstance(lastmod, datetime) and timezone.is_aware(lastmod):
                lastmod = lastmod.astimezone(zone)
            entry += f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>"
        if url.get("changefreq"):
            entry += f"<changefreq>{escape(url['changefreq'])}</changefreq>"
        if url.get("priority"):
            entry += f"<priority>{escape(url['priority'])}</priority>"
        for alternate in url.get("alternates", ()):
            entry += (
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        entries.append(entry + "</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        f"{''.join(entries)}\n</urlset>\n"
    )
