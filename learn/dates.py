"""moment.js date patterns (as the source files write them) → formatted dates."""

import datetime
import functools
import re

from django.utils import dateformat
from django.utils.translation import get_language

# Longest tokens first so "MMMM" is not read as "MM" twice.
_TOKENS = {
    "YYYY": "Y",
    "YY": "y",
    "MMMM": "F",
    "MMM": "M",
    "MM": "m",
    "M": "n",
    "DD": "d",
    "Do": "jS",
    "D": "j",
    "dddd": "l",
    "ddd": "D",
}
_TOKEN_RE = re.compile("|".join(sorted(_TOKENS, key=len, reverse=True)) + r"|\[[^\]]*\]|.", re.S)


# Patterns kept translated: a site has a few, and each card of a page formats its date
# with its article's (the regular expression's pass was half a card's date, 14 µs).
PATTERNS_KEPT = 64


@functools.lru_cache(maxsize=PATTERNS_KEPT)
def moment_to_django(pattern: str) -> str:
    """Translate a moment.js pattern ("MMM DD, YYYY") to Django's date format ("M d, Y")."""
    out = []
    for token in _TOKEN_RE.findall(pattern):
        if token in _TOKENS:
            out.append(_TOKENS[token])
        elif token.startswith("[") and token.endswith("]"):
            out.append("".join("\\" + char for char in token[1:-1]))
        elif token.isalpha():
            out.append("\\" + token)
        else:
            out.append(token)
    return "".join(out)


def format_moment(value, pattern: str) -> str:
    pattern = pattern or "MMM DD, YYYY"
    if type(value) is datetime.date:
        # A day's text is the same on every page that shows it, in one language.
        return _formatted_day(value, pattern, get_language())
    return dateformat.format(value, moment_to_django(pattern))


# Days kept formatted (by day, pattern and language): a page's cards show a few, most
# of them on other pages too; formatting one cost a card 22 µs.
DAYS_KEPT = 4096


@functools.lru_cache(maxsize=DAYS_KEPT)
def _formatted_day(day: datetime.date, pattern: str, language) -> str:
    return dateformat.format(day, moment_to_django(pattern))
