"""Snippets of an answer's plain text around the matched words, as safe HTML (pure: no
ORM)."""

import html

# Marks around matched words, which both databases put in a snippet and which become
# <mark> only after HTML-escaping.
START, STOP = "\x02", "\x03"
# About how many words of the answer a snippet shows.
SNIPPET_WORDS = 30


def format_snippet(text: str) -> str:
    """Plain text with marked matches as safe HTML: escaped, matches in <mark>, its
    whitespace made single spaces."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")
