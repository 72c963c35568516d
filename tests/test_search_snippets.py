"""Snippets: the answer's plain text around the matches, as safe HTML."""

from learn.search.snippets import START, STOP, format_snippet


def test_format_snippet_escapes_then_marks():
    """Snippet text is HTML-escaped; only the match markers become <mark>."""
    snippet = format_snippet(f"a {START}loop{STOP} <script>alert(1)</script>\n\nx")
    assert snippet == "a <mark>loop</mark> &lt;script&gt;alert(1)&lt;/script&gt; x"


def test_format_snippet_keeps_the_text_as_it_is():
    """The text is plain already: asterisks, underscores and hashes are the answer's own."""
    snippet = format_snippet("2 * 3, customer_id, __init__ and C# stay")
    assert snippet == "2 * 3, customer_id, __init__ and C# stay"
