"""Snippets of an answer around the matched words, as safe HTML (pure: no ORM)."""

import html
import re

# Marks around matched words, which both databases put in a snippet and which become
# <mark> only after HTML-escaping.
START, STOP = "\x02", "\x03"
# About how many words of the answer a snippet shows.
SNIPPET_WORDS = 30

# Markdown's emphasis, code, heading and math delimiters; a single * or _ only where it
# opens or closes a word, so customer_id and 2 * 3 keep theirs.
_MARKUP = re.compile(
    r"\*\*|__|`+|^#+\s*|\$+|(?<![\w*])[*_](?=\w)|(?<=\w)[*_](?![\w*])", re.MULTILINE
)


def format_snippet(text: str) -> str:
    """A snippet of Markdown as safe HTML: markup dropped, matches in <mark>."""
    text = " ".join(_MARKUP.sub("", text).split())
    escaped = html.escape(text.strip(), quote=False)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")
