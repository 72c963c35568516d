"""moment.js date patterns (as the source files write them) → formatted dates."""

import re

from django.utils import dateformat

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
    return dateformat.format(value, moment_to_django(pattern or "MMM DD, YYYY"))
