"""The term rules that both databases index and query by (pure: no ORM).

Full-text tokenizers split "C++" into "c" and drop the "+", so "C++", "C#" and "C" would
be one word. Before indexing and before querying, such terms are rewritten to a plain
word ("C++" → " cplusplus ") by the same case-sensitive replacements, in order. Terms that
tokenizers keep already ("TCP/IP", "Big O", "Go") need no rule.

:func:`apply` is the one definition of the rules; the query side applies it to text
(:func:`rewrite`), the SQLite triggers as SQL ``replace()`` (``learn.search.sqlite``) and
the PostgreSQL column as ``Replace()`` expressions (``learn.search.postgres``).

A query is bounded before either database sees it (:func:`limit`): its cost grows with its
words, and a reader's question needs few.

Changing TERMS needs a migration that rebuilds both indexes, which the tests insist on:
on PostgreSQL, remove ``Article.search_vector`` and add it again (Django cannot alter a
generated column) with the new rules written out, and its GIN index, and the questions'
index (learn_article_question_search, migration 0020); on SQLite, drop the
three triggers and run ``learn.search.sqlite.rebuild_statements()`` written out as
``SQLITE_INDEX`` in the migration.
"""

import re
from collections.abc import Callable

TERMS = (
    ("C++", "cplusplus"),
    ("c++", "cplusplus"),
    ("C#", "csharp"),
    ("c#", "csharp"),
    ("F#", "fsharp"),
    ("f#", "fsharp"),
    (".NET", "dotnet"),
)


def apply(replace: Callable, value, terms=TERMS):
    """``value`` with each term replaced by its word between spaces, in order, where
    ``replace(value, term, replacement)`` replaces in whatever ``value`` is."""
    for term, word in terms:
        value = replace(value, term, f" {word} ")
    return value


def rewrite(text: str) -> str:
    """Text after the term rules, exactly as the indexes see theirs."""
    return apply(str.replace, text)


# A query's bounds: cost grows with the words searched for, and none of the site's
# questions needs more than a few of them.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10

_WORD = re.compile(r"\w+")
# Control characters: PostgreSQL refuses NUL in text, and \x02 and \x03 mark matches.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def limit(query: str) -> tuple[str, bool]:
    """``query`` without control characters, stripped and cut to at most
    ``MAX_QUERY_LENGTH`` characters and ``MAX_TERMS`` words (inside a word only when it is
    the first), and whether it was cut."""
    query = " ".join(_CONTROL.sub(" ", query).split())
    words = list(_WORD.finditer(query, 0, MAX_QUERY_LENGTH))
    end = len(query)
    if len(words) > MAX_TERMS:
        end = words[MAX_TERMS - 1].end()
    elif end > MAX_QUERY_LENGTH:
        end = MAX_QUERY_LENGTH
        if words and words[-1].end() == end and _WORD.match(query, end) and words[-1].start():
            end = words[-1].start()
    return query[:end].rstrip(), end < len(query)


# The shortest last word completed as the start of a word (learn.search.spelling): a
# shorter one ("C", "Go") is a word of its own more often than the start of one.
PREFIX_LETTERS = 4
_LAST_WORD = re.compile(r"(?:^|\s)(\w+)$")


def prefix_word(query: str) -> str:
    """The last word of ``query`` (cut by :func:`limit`) when it may be a word still being
    typed: a plain word of ``PREFIX_LETTERS`` or more, not in quotes, not excluded with
    "-" and not an alternative after "or"; else ""."""
    match = _LAST_WORD.search(query)
    if not match or len(match[1]) < PREFIX_LETTERS or query.count('"') % 2:
        return ""
    before = query[: match.start(1)].split()
    if before and before[-1].lower() == "or":
        return ""
    return match[1]
