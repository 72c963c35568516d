"""Search text rules: term rewriting, FTS5 query building and snippet formatting."""

import sqlite3

from learn.search_terms import START, STOP, format_snippet, fts5_query, rewrite, sql_rewrite


def test_rewrite_turns_symbol_terms_into_words():
    """C++, C# and .NET become words that no tokenizer splits or drops."""
    assert rewrite("C++ and c#, not C").split() == ["cplusplus", "and", "csharp", ",", "not", "C"]
    assert "dotnet" in rewrite("ASP.NET").split()


def test_sql_rewrite_matches_python_rewrite():
    """The SQL the indexes run rewrites text exactly as the query side does."""
    text = "Learn C++ (or c++), C#, F# and .NET; not TCP/IP or Go."
    database = sqlite3.connect(":memory:")
    (indexed,) = database.execute(f"SELECT {sql_rewrite('?')}", [text]).fetchone()
    assert indexed == rewrite(text)


def test_fts5_query_quotes_every_word():
    """Words become quoted FTS5 strings, so nothing typed is read as FTS5 syntax."""
    assert fts5_query("big O") == '"big" "O"'
    assert fts5_query("TCP/IP") == '"TCP IP"'
    assert fts5_query("C++") == '"cplusplus"'
    assert fts5_query('NEAR(a b) AND "x" *') == '"NEAR a" "b" "AND" "x"'


def test_fts5_query_understands_phrases_or_and_exclusions():
    """Quoted phrases stay phrases, ``or`` offers alternatives and ``-word`` excludes."""
    assert fts5_query('"binary search" tree') == '"binary search" "tree"'
    assert fts5_query("stack or queue") == '"stack" OR "queue"'
    assert fts5_query("sorting -bubble") == '("sorting") NOT "bubble"'


def test_fts5_query_is_empty_without_words():
    """Nothing to search for gives an empty query, even with exclusions or symbols."""
    assert fts5_query("") == ""
    assert fts5_query("  +++ ") == ""
    assert fts5_query("-only") == ""
    assert fts5_query('"') == ""


def test_format_snippet_escapes_then_marks():
    """Snippet text is HTML-escaped; only the match markers become <mark>."""
    snippet = format_snippet(f"a **{START}loop{STOP}** <script>alert(1)</script>\n\n## x")
    assert snippet == "a <mark>loop</mark> &lt;script&gt;alert(1)&lt;/script&gt; x"


def test_format_snippet_drops_single_emphasis_but_keeps_identifiers():
    """*word* and _word_ lose their markers; customer_id and 2 * 3 keep theirs."""
    snippet = format_snippet("the *nabla* symbol, _see_ customer_id and 2 * 3")
    assert snippet == "the nabla symbol, see customer_id and 2 * 3"
