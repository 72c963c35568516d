"""What a page tells search engines and social sites: title, description, canonical URL,
robots directive, Open Graph type and JSON-LD, built in Python and rendered by one include."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.text import Truncator

from learn.paths import named_path, subject_feed_path

SITE_NAME = "QuickTakes"
SITE_DESCRIPTION = "Short, clear answers to questions across many subjects."
# Google shows at most 110 characters of an Article headline.
HEADLINE_MAX = 110


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str = ""
    noindex: bool = False
    og_type: str = "website"
    json_ld: dict | None = None
    feeds: list[tuple[str, str]] = field(default_factory=list)
    article: dict = field(default_factory=dict)


def article_title(article) -> str:
    """The article's <title>: its own SEO title, unless that is the source's boilerplate
    "QuickTakes | <Subject>" (the same on every article of a subject), else the question."""
    seo_title = article.seo_title.strip()
    if not seo_title or seo_title.casefold().startswith(f"{SITE_NAME} |".casefold()):
        return f"{article.question} | {SITE_NAME}"
    return seo_title


def site_feed(request) -> tuple[str, str]:
    return f"{SITE_NAME}: latest questions", request.build_absolute_uri(named_path("learn:feed"))


def subject_feed(request, subject) -> tuple[str, str]:
    url = subject_feed_path(subject.slug)
    return f"{SITE_NAME}: {subject.name}", request.build_absolute_uri(url)


def article_meta(request, article, tags) -> PageMeta:
    canonical = request.build_absolute_uri(article.get_absolute_url())
    description = article.seo_description or article.question
    names = [tag.name for tag in tags]
    return PageMeta(
        title=article_title(article),
        description=description,
        canonical=canonical,
        noindex=article.no_index,
        og_type="article",
        json_ld=article_json_ld(request, article, names, canonical, description),
        feeds=[site_feed(request), subject_feed(request, article.subject)],
        article={
            "published_time": article.published_on.isoformat(),
            "modified_time": article.modified_at.isoformat(),
            "section": article.subject.name,
            "tags": names,
        },
    )


def article_json_ld(request, article, keywords, canonical, description) -> dict:
    """Schema.org ``Article`` and ``BreadcrumbList`` as Google documents them."""
    home = request.build_absolute_uri(named_path("learn:home"))
    publisher = {"@type": "Organization", "name": SITE_NAME, "url": home}
    if article.author == SITE_NAME:
        author = publisher
    else:
        author = {"@type": "Person", "name": article.author}
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Article",
                "headline": Truncator(article.question).chars(HEADLINE_MAX),
                "description": description,
                "datePublished": article.published_on.isoformat(),
                "dateModified": article.modified_at.isoformat(),
                "author": author,
                "publisher": publisher,
                "keywords": keywords,
                "articleSection": article.subject.name,
                "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
                "url": canonical,
            },
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    _crumb(
                        1, "Learn", request.build_absolute_uri(named_path("learn:subject_list"))
                    ),
                    _crumb(
                        2,
                        article.subject.name,
                        request.build_absolute_uri(article.subject.get_absolute_url()),
                    ),
                    _crumb(3, article.question, canonical),
                ],
            },
        ],
    }


def _crumb(position, name, url):
    return {"@type": "ListItem", "position": position, "name": name, "item": url}


def page_url(request, page_number=1, **query) -> str:
    """The absolute URL of this list page: its path, plus ?page=N beyond the first page."""
    params = {key: value for key, value in query.items() if value}
    if page_number and page_number > 1:
        params["page"] = page_number
    url = request.build_absolute_uri(request.path)
    if params:
        url += "?" + urlencode(params)
    return url
