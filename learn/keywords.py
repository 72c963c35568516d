"""Topics as the source files write them: ``page_keywords``, a comma-separated string
(pure: no ORM).

The importer, the admin's topic field (django-taggit's TAGGIT_TAGS_FROM_STRING and
TAGGIT_STRING_FROM_TAGS name these functions) and ``Article.keywords`` all read and
write keywords here, so every path stores the same keywords in the same order.
"""

import re
from collections.abc import Iterable

# A comma separates keywords unless it has a digit on both sides (β-1,4-glycosidic, 6,21,940).
_KEYWORD_SEPARATOR = re.compile(r"(?<!\d),|,(?!\d)")

# django-taggit's Tag.name holds at most 100 characters.
MAX_KEYWORD_LENGTH = 100


def parse_keywords(text: str) -> list[str]:
    """Split a ``page_keywords`` string into keywords, in order and without duplicates.

    Keywords are separated by commas, with or without a space; a comma between two digits
    belongs to its keyword (``6,21,940 crore``), so ``2023,2024`` stays one keyword. Runs
    of whitespace become one space, empty items are dropped, and of keywords that differ
    only in case the first spelling is kept. An item longer than a topic name may be
    (MAX_KEYWORD_LENGTH) is a list whose commas were left out: its words are the keywords.
    """
    keywords = []
    seen = set()
    for item in _KEYWORD_SEPARATOR.split(text):
        words = item.split()
        joined = " ".join(words)
        for keyword in [joined] if len(joined) <= MAX_KEYWORD_LENGTH else words:
            folded = keyword.casefold()
            if keyword and folded not in seen:
                seen.add(folded)
                keywords.append(keyword[:MAX_KEYWORD_LENGTH])
    return keywords


def format_keywords(names: Iterable[str]) -> str:
    """Keywords as one string in the one order every writer uses (case-insensitive
    alphabetical), which :func:`parse_keywords` reads back into the same keywords."""
    return ", ".join(sorted(names, key=lambda name: (name.casefold(), name)))


def string_from_tags(tags) -> str:
    """django-taggit's TAGGIT_STRING_FROM_TAGS: how a tag field shows an article's topics."""
    return format_keywords(tag.name for tag in tags)
