"""Search text rules shared by both database backends (pure: no ORM).

Full-text tokenizers split "C++" into "c" and drop the "+", so "C++", "C#" and "C" would
be one word. Before indexing and before querying, such terms are rewritten to a plain
word ("C++" → " cplusplus ") by the same case-sensitive replacements, which SQLite
triggers and the PostgreSQL generated column apply with SQL ``replace()``. Terms that
tokenizers keep already ("TCP/IP", "Big O", "Go") need no rule. Changing TERMS needs a
migration that rebuilds both indexes.
"""

import html
import re

TERMS = (
    ("C++", "cplusplus"),
    ("c++", "cplusplus"),
    ("C#", "csharp"),
    ("c#", "csharp"),
    ("F#", "fsharp"),
    ("f#", "fsharp"),
    (".NET", "dotnet"),
)

# Marks around matched words in a snippet, replaced by <mark> after HTML-escaping.
START, STOP = "\x02", "\x03"


def rewrite(text: str) -> str:
    """Apply the term rules in order, exactly as SQL ``replace()`` does."""
    for term, word in TERMS:
        text = text.replace(term, f" {word} ")
    return text


def sql_rewrite(column: str) -> str:
    """The SQL that rewrites ``column`` as :func:`rewrite` does."""
    sql = column
    for term, word in TERMS:
        sql = f"replace({sql}, '{term}', ' {word} ')"
    return sql


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts5_query(query: str) -> str:
    """A web-search-style query as an FTS5 expression: words and "quoted phrases" must
    all match, ``or`` between them offers alternatives, ``-word`` excludes. Every word is
    quoted, so nothing a reader types is read as FTS5 syntax. "" when nothing is left."""
    groups, current, excluded = [], [], []
    for match in _TOKEN.finditer(query):
        negated, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            if current:
                groups.append(current)
                current = []
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negated, word = "-", word[1:]
        text = rewrite(phrase if word is None else word)
        if not re.search(r"\w", text):
            continue
        quoted = '"' + " ".join(re.findall(r"\w+", text)) + '"'
        (excluded if negated else current).append(quoted)
    if current:
        groups.append(current)
    if not groups:
        return ""
    expression = " OR ".join(" ".join(group) for group in groups)
    for quoted in excluded:
        expression = f"({expression}) NOT {quoted}"
    return expression


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
