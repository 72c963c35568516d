"""The sitemap index, its sections and robots.txt, validated against the sitemaps.org
schemas (tests/data/sitemaps/*.xsd)."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from learn.importer import import_sources
from learn.models import Article, publication_moment
from learn.sitemaps import SubjectArticlesSitemap
from learn.sources import Source
from tests.conftest import article_text
from tests.factories import make_article
from tests.plans import query_plan

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "data" / "sitemaps"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def import_article(**fields):
    result = import_sources([Source("a.md", article_text(**fields).encode())])
    assert not result.failed, result.failed
    return result


def fetch(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200
    document = etree.fromstring(response.content)
    xsd = etree.XMLSchema(etree.parse(SCHEMAS / schema))
    assert xsd.validate(document), xsd.error_log
    return document


def sections(client):
    index = fetch(client, "/sitemap.xml", "siteindex.xsd")
    return {
        sitemap.findtext("s:loc", namespaces=NS): sitemap.findtext("s:lastmod", namespaces=NS)
        for sitemap in index.findall("s:sitemap", NS)
    }


def urls(client, url):
    document = fetch(client, url, "sitemap.xsd")
    return {
        item.findtext("s:loc", namespaces=NS): item.findtext("s:lastmod", namespaces=NS)
        for item in document.findall("s:url", NS)
    }


def test_index_has_a_valid_section_per_subject(client):
    """/sitemap.xml is a valid index naming pages, topics and one section per subject."""
    make_article(slug="a", subject="Computer Science")
    make_article(slug="b", subject="Mathematics")
    assert set(sections(client)) == {
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-subject-computer-science.xml",
        "http://testserver/sitemap-subject-mathematics.xml",
    }
    listed = urls(client, "/sitemap-subject-mathematics.xml")
    assert set(listed) == {"http://testserver/learn/mathematics/questions/b"}
    pages = urls(client, "/sitemap-pages.xml")
    assert "http://testserver/learn/mathematics/questions/" in pages
    assert "http://testserver/" in pages


def test_only_indexable_articles_are_listed(client):
    """Drafts, future articles and no_index articles stay out of the sitemap."""
    make_article(slug="live")
    make_article(slug="hidden", no_index=True)
    make_article(slug="future", published_on=datetime.date(2999, 1, 1))
    make_article(slug="draft")
    Article.objects.filter(slug="draft").update(status=Article.Status.DRAFT)
    listed = urls(client, "/sitemap-subject-computer-science.xml")
    assert set(listed) == {"http://testserver/learn/computer-science/questions/live"}


def test_lastmod_moves_with_content_changes_only(client):
    """Re-importing a file with the same content keeps lastmod; changed content moves it."""
    import_article()
    last_week = timezone.now() - datetime.timedelta(days=7)
    Article.objects.update(updated_at=last_week)
    url = "http://testserver/learn/computer-science/questions/what-is-a-test"
    section = "/sitemap-subject-computer-science.xml"
    index_entry = "http://testserver/sitemap-subject-computer-science.xml"
    assert urls(client, section)[url] == last_week.date().isoformat()
    assert import_article().unchanged
    assert urls(client, section)[url] == last_week.date().isoformat()
    assert import_article(id=2, extra="editor_note: new bytes, same page").updated
    assert urls(client, section)[url] == last_week.date().isoformat()
    assert sections(client)[index_entry].startswith(last_week.date().isoformat())
    assert import_article(answer="A changed answer.").updated
    assert urls(client, section)[url] == timezone.now().date().isoformat()
    assert sections(client)[index_entry].startswith(timezone.now().date().isoformat())


def test_large_sections_split_into_pages(client, monkeypatch):
    """A section past Sitemap.limit URLs is listed in the index once per page."""
    monkeypatch.setattr(SubjectArticlesSitemap, "limit", 2)
    for number in range(5):
        make_article(slug=f"q{number}")
    listed = sections(client)
    base = "http://testserver/sitemap-subject-computer-science.xml"
    assert {base, f"{base}?p=2", f"{base}?p=3"} <= set(listed)
    assert len(urls(client, "/sitemap-subject-computer-science.xml?p=3")) == 1


def test_unknown_section_is_not_found(client):
    """A section that does not exist is a 404."""
    assert client.get("/sitemap-subject-nothing.xml").status_code == 404


def test_robots_txt_names_the_sitemap(client):
    """robots.txt allows crawling, keeps out of the admin and gives the sitemap's URL."""
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_index_reads_stored_counts_whatever_the_number_of_subjects(
    client, django_assert_num_queries
):
    """The index costs the same queries for one subject as for three: the sections'
    pages and lastmod come from the subjects' stored counts, not from their articles."""
    make_article(slug="a")
    with django_assert_num_queries(3):
        client.get("/sitemap.xml")
    make_article(slug="b", subject="Biology")
    make_article(slug="c", subject="Chemistry")
    with django_assert_num_queries(3):
        assert client.get("/sitemap.xml").content.count(b"<sitemap>") == 5


def test_a_section_page_starts_from_its_first_id(client, monkeypatch, django_assert_num_queries):
    """A section's page is the subjects (two queries: those due a recount, the subjects)
    and its rows; a later page first reads its first id from the index alone, so it is
    one query more whatever its number. Every article is on one page."""
    monkeypatch.setattr(SubjectArticlesSitemap, "limit", 3)
    created = [make_article(slug=f"q{number}") for number in range(8)]
    make_article(slug="hidden", no_index=True)
    base = "/sitemap-subject-computer-science.xml"
    seen = []
    for page in (1, 2, 3):
        query = f"?p={page}" if page > 1 else ""
        with django_assert_num_queries(4 if page > 1 else 3):
            seen += urls(client, base + query)
    assert seen == [f"http://testserver{a.get_absolute_url()}" for a in created]
    assert client.get(base + "?p=4").status_code == 404


def test_the_pages_section_lists_the_topics_index(client):
    """The pages section lists home, the subjects, the topics index and each subject."""
    make_article()
    listed = urls(client, "/sitemap-pages.xml")
    assert "http://testserver/topics/" in listed


def test_sitemap_lists_a_scheduled_article_from_its_moment(client, clock):
    """The index and the subject's section leave out an article until its moment and
    list it from then, from the subject's counts recounted when due."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    make_article(published_on=day, published_time=datetime.time(6, 45))
    moment = publication_moment(day, datetime.time(6, 45))
    clock(moment - datetime.timedelta(seconds=1))
    assert b"sitemap-subject-computer-science.xml" not in client.get("/sitemap.xml").content
    clock(moment)
    assert b"sitemap-subject-computer-science.xml" in client.get("/sitemap.xml").content
    section = client.get("/sitemap-subject-computer-science.xml").content.decode()
    assert "/learn/computer-science/questions/what-is-a-test" in section


def test_the_xml_is_what_djangos_sitemap_templates_write(client, monkeypatch, settings):
    """The index and every section (each page) are written without the template engine,
    byte for byte as django.contrib.sitemaps' templates write them, lastmods in the
    site's time zone."""
    from django.template import loader

    settings.TIME_ZONE = "America/New_York"
    monkeypatch.setattr(SubjectArticlesSitemap, "limit", 2)
    for number in range(5):
        make_article(slug=f"q{number}", question=f"Question {number}?", tags=["shared"])
    make_article(slug="b", subject="Biology", tags=["shared"])
    index = client.get("/sitemap.xml")
    assert index.content.decode() == loader.render_to_string(
        "sitemap_index.xml", index.context_data
    )
    locations = etree.fromstring(index.content).findall("s:sitemap/s:loc", NS)
    assert len(locations) == 6  # pages, topics, 3 pages of one subject, 1 of the other
    for location in locations:
        section = client.get(location.text.removeprefix("http://testserver"))
        assert section.status_code == 200
        assert b"<url><loc>" in section.content
        assert section.content.decode() == loader.render_to_string(
            "sitemap.xml", section.context_data
        )


def test_a_section_page_reads_its_rows_from_the_index_alone():
    """A later page's first id and its rows (slug, lastmod and the rule's date and
    time) come from the section's index, never from the table's scattered rows."""
    subject = make_article(slug="q0").subject
    rows = SubjectArticlesSitemap(subject).items()
    first = rows.values_list("pk", flat=True)[1000:1001]
    for query in (first, rows.filter(pk__gte=1)[:1000]):
        plan = query_plan(*query.query.sql_with_params())
        assert (
            "Index Only Scan using learn_article_sitemap_rows" in plan
            or "USING COVERING INDEX learn_article_sitemap_rows" in plan
        ), plan
