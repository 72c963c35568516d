"""The term rules that both databases index and query by (pure: no ORM).

Full-text tokenizers split "C++" into "c" and drop the "+", so "C++", "C#" and "C" would
be one word. Before indexing and before querying, such terms are rewritten to a plain
word ("C++" → " cplusplus ") by the same case-sensitive replacements, in order. Terms that
tokenizers keep already ("TCP/IP", "Big O", "Go") need no rule.

:func:`apply` is the one definition of the rules; the query side applies it to text
(:func:`rewrite`), the SQLite triggers as SQL ``replace()`` (``learn.search.sqlite``) and
the PostgreSQL column as ``Replace()`` expressions (``learn.search.postgres``).

Changing TERMS needs a migration that rebuilds both indexes, which the tests insist on:
on PostgreSQL, remove ``Article.search_vector`` and add it again (Django cannot alter a
generated column) with the new rules written out, and its GIN index; on SQLite, drop the
three triggers and run ``learn.search.sqlite.rebuild_statements()`` written out as
``SQLITE_INDEX`` in the migration.
"""

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
