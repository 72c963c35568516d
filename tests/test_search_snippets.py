"""Snippets: the answer's Markdown around the matches, as safe HTML."""

from learn.search.snippets import START, STOP, format_snippet


def test_format_snippet_escapes_then_marks():
    """Snippet text is HTML-escaped; only the match markers become <mark>."""
    snippet = format_snippet(f"a **{START}loop{STOP}** <script>alert(1)</script>\n\n## x")
    assert snippet == "a <mark>loop</mark> &lt;script&gt;alert(1)&lt;/script&gt; x"


def test_format_snippet_drops_single_emphasis_but_keeps_identifiers():
    """*word* and _word_ lose their markers; customer_id and 2 * 3 keep theirs."""
    snippet = format_snippet("the *nabla* symbol, _see_ customer_id and 2 * 3")
    assert snippet == "the nabla symbol, see customer_id and 2 * 3"
