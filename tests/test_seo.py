"""The head of every page: title, description, canonical URL, robots, Open Graph,
Twitter card, feed links and inert JSON-LD."""

import datetime
import json
import re

import pytest

from learn.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/learn/computer-science/questions/what-is-a-test"
ABSOLUTE = "http://testserver" + URL


def json_ld(html):
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(data)


def test_article_head_has_unique_title_description_canonical_and_cards(client):
    """The boilerplate SEO title gives way to the question; the rest describes the page."""
    make_article(tags=["testing", "Quality"])
    html = client.get(URL).content.decode()
    assert "<title>What is a test? | QuickTakes</title>" in html
    assert '<meta name="description" content="About What is a test?">' in html
    assert f'<link rel="canonical" href="{ABSOLUTE}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="What is a test? | QuickTakes">' in html
    assert f'<meta property="og:url" content="{ABSOLUTE}">' in html
    assert '<meta property="article:published_time" content="2024-12-11">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'name="robots"' not in html


def test_an_editors_own_seo_title_is_kept(client):
    """A title that is not the source's boilerplate is used as written."""
    make_article()
    Article.objects.update(seo_title="Tests, explained")
    assert "<title>Tests, explained</title>" in client.get(URL).content.decode()


def test_article_json_ld_follows_googles_article_and_breadcrumb_rules(client):
    """JSON-LD holds a complete Article and a Learn, subject, question BreadcrumbList."""
    make_article(tags=["testing", "Quality"])
    article, breadcrumbs = json_ld(client.get(URL).content.decode())["@graph"]
    assert article["@type"] == "Article"
    assert article["headline"] == "What is a test?"
    assert article["datePublished"] == "2024-12-11"
    assert article["dateModified"] >= "2024-12-11"
    assert article["author"] == {
        "@type": "Organization",
        "name": "QuickTakes",
        "url": "http://testserver/",
    }
    assert article["publisher"]["@type"] == "Organization"
    assert article["description"] == "About What is a test?"
    assert sorted(article["keywords"]) == ["Quality", "testing"]
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": ABSOLUTE}
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [(c["position"], c["name"], c["item"]) for c in breadcrumbs["itemListElement"]] == [
        (1, "Learn", "http://testserver/learn/"),
        (2, "Computer Science", "http://testserver/learn/computer-science/questions/"),
        (3, "What is a test?", ABSOLUTE),
    ]


def test_long_questions_give_headlines_of_at_most_110_characters(client):
    """Google's headline limit is kept by truncating."""
    make_article(question="Why " + "very " * 40 + "long?")
    (article, _) = json_ld(client.get(URL).content.decode())["@graph"]
    assert len(article["headline"]) <= 110
    assert article["headline"].endswith("…")


def test_json_ld_stays_inert_whatever_the_content(client):
    """</script>, <!-- and U+2028 in content cannot end or break the JSON-LD script."""
    hostile = "</script><script>alert(1)</script> <!-- & \u2028 end"
    make_article()
    Article.objects.update(question=hostile, seo_description=hostile)
    html = client.get(URL).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in script and ">" not in script and "\u2028" not in script
    article, breadcrumbs = json.loads(script)["@graph"]
    assert article["description"] == hostile
    assert breadcrumbs["itemListElement"][2]["name"] == hostile
    assert "<script>alert(1)" not in html


def test_no_index_articles_carry_noindex(client):
    """An article marked no_index tells robots not to index it."""
    make_article(no_index=True)
    assert '<meta name="robots" content="noindex">' in client.get(URL).content.decode()


def test_list_pages_have_their_own_titles_and_canonical_urls(client):
    """Home, subjects and a subject's pages each have a title, description and canonical."""
    for number in range(21):
        make_article(slug=f"q{number}", question=f"Question {number}?")
    home = client.get("/").content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in home
    assert "<title>QuickTakes: short answers to real questions</title>" in home
    subjects = client.get("/learn/").content.decode()
    assert "<title>Subjects | QuickTakes</title>" in subjects
    page2 = client.get("/learn/computer-science/questions/", {"page": 2}).content.decode()
    assert "<title>Computer Science questions (page 2) | QuickTakes</title>" in page2
    assert (
        '<link rel="canonical" href="http://testserver/learn/computer-science/questions/?page=2">'
        in page2
    )
    assert 'name="robots"' not in home + subjects + page2


def test_pages_link_their_atom_feeds(client):
    """Article and subject pages link the subject's feed and the site's feed."""
    make_article()
    html = client.get(URL).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="QuickTakes: Computer Science"'
        ' href="http://testserver/learn/computer-science/feed/">' in html
    )
    assert 'href="http://testserver/feed/">' in html


def test_not_found_page_is_noindex(client):
    """The 404 page is never indexed."""
    html = client.get("/learn/nothing/questions/here").content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_sitemap_feed_and_json_ld_give_one_modified_date(client):
    """An article imported before its publication date was modified when it was
    published, and the sitemap, the feed and JSON-LD all say so."""
    import feedparser

    make_article()
    Article.objects.update(updated_at=datetime.datetime(2024, 12, 1, 9, 30, tzinfo=datetime.UTC))
    expected = datetime.datetime(2024, 12, 11, tzinfo=datetime.UTC)

    graph = json_ld(client.get(URL).content.decode())["@graph"]
    feed = feedparser.parse(client.get("/feed/").content)
    sitemap = client.get("/sitemap-subject-computer-science.xml").content.decode()

    assert datetime.datetime.fromisoformat(graph[0]["dateModified"]) == expected
    assert datetime.datetime.fromisoformat(feed.entries[0].updated) == expected
    # Django's sitemaps give the day.
    assert re.findall(r"<lastmod>(.*?)</lastmod>", sitemap) == ["2024-12-11"]
