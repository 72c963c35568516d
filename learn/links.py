"""The links of a rendered answer into the site's reader pages: pure, no database.

Read from the sanitised HTML, where Markdown's link syntax is already resolved (an
escaped bracket or a link in a code span is no link), with the standard library's
HTML parser. The broken-links report checks them against articles and redirects.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from learn.paths import LEARN, normalise_path


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def site_links(html: str) -> list[str]:
    """The ``/learn/…`` paths ``html`` links to, normalised as requests are looked up,
    each once, in order. A link with a host or a scheme is another site's."""
    if LEARN not in html:
        return []
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    paths = {}
    for href in parser.hrefs:
        parts = urlsplit(href.strip())
        if parts.scheme or parts.netloc or not parts.path.startswith(LEARN):
            continue
        paths.setdefault(normalise_path(parts.path), None)
    return list(paths)
