import re
from html import unescape
from html.parser import HTMLParser

import pytest

from learn import rendering, temml
from learn.decoding import decode_answer
from learn.parsing import MAX_ANSWER_CHARS
from learn.rendering import render, render_answer
from tests.folders import REPO
from tests.pathological import SHAPES, time_limit

MATH_CSS = (REPO / "static" / "css" / "math.css").read_text()
# Everything in rendered HTML that is neither code nor math: what a reader sees as text.
CODE_AND_MATH = re.compile(r"<pre.*?</pre>|<code.*?</code>|<math.*?</math>", re.DOTALL)


def text_of(html):
    """The text a reader sees in an HTML fragment."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def maths(html):
    return re.findall(r"<math.*?</math>", html, re.DOTALL)


class Elements(HTMLParser):
    """Every start tag of an HTML fragment with its attributes."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html):
    for tag, attrs in Elements(html).found:
        assert tag not in {"script", "style", "iframe", "object", "embed", "form", "svg"}
        assert tag not in {"maction", "annotation-xml", "input", "button", "base", "meta"}
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"style", "xlink:href", "action", "formaction", "srcdoc"}
            if name in {"href", "src"}:
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I)
            assert name != "href" or tag == "a", (tag, name)


# The example files of DATA.md, decoded (tests/test_decoding.py)


def test_quadratic_equations_render_neq_as_not_equal(corpus_answer):
    """The kept "\\neq" renders as ≠, and no "neq" is left in the text."""
    html = render_answer(
        decode_answer(
            corpus_answer("mathematics/explain-the-process-of-solving-quadratic-equations.md")
        )
    )

    assert "<mi>a</mi><mo>≠</mo><mn>0</mn>" in html
    assert "neq" not in CODE_AND_MATH.sub("", html)


def test_pid_controller_display_math_renders_u_not_nu(corpus_answer):
    """The display math set on its own lines renders as a block starting with u, not with nu."""
    html = render_answer(
        decode_answer(corpus_answer("engineering/what-is-the-structure-of-a-pid-controller.md"))
    )

    first = maths(html)[0]
    assert first.startswith('<math display="block" class="tml-display"')
    assert "><mrow><mi>u</mi>" in first
    assert "\N{GREEK SMALL LETTER NU}" not in html


def test_while_loop_highlights_the_c_escape_inside_its_code(corpus_answer):
    """printf("%d\\n", i) is highlighted as a string with an escape, on its own line."""
    html = render_answer(
        decode_answer(
            corpus_answer("computer-science/how-do-while-loops-function-in-c-programming.md")
        )
    )

    code = re.findall(r'<code class="language-c">(.*?)</code>', html, re.DOTALL)
    assert len(code) == 2
    assert (
        '<span class="s">"%d</span><span class="se">\\n</span><span class="s">"</span>' in code[1]
    )
    assert text_of(code[1]) == (
        "#include <stdio.h>\n\nint main() {\n    int i = 0;\n    \n    while (i < 5) {\n"
        '        printf("%d\\n", i);\n'
        "        i++; // Incrementing i to avoid an infinite loop\n    }\n    \n"
        "    return 0;\n}\n"
    )


def test_linear_system_renders_two_aligned_rows(corpus_answer):
    """The row break before a new line renders as a second row of the aligned equations."""
    html = render_answer(
        decode_answer(
            corpus_answer("mathematics/how-do-you-solve-a-system-of-linear-equations.md")
        )
    )

    aligned = [math for math in maths(html) if "tml-right" in math]
    assert len(aligned) == 2
    for math in aligned:
        assert math.count("<mtr>") == 2
        # Right-aligned left sides, then "=" starting each left-aligned right side.
        assert math.count('<mtd class="tml-right tml-pl0 tml-pr0">') == 2
        assert math.count('<mtd class="tml-left tml-pl0 tml-pr0"><mrow><mo>=</mo>') == 2


# Rendering


def test_currency_stays_text():
    """Dollar amounts are text, and math written after an amount is still math."""
    html = render_answer("It costs $1,000 and $5,000, or $20 per month, or $5-$10.")

    assert html == "<p>It costs $1,000 and $5,000, or $20 per month, or $5-$10.</p>\n"
    html = render_answer(
        "If gas costs $3 per gallon, the expression $ \\frac{d}{25} \\times 3 $ gives the cost."
    )
    assert "If gas costs $3 per gallon, the expression <math" in html
    assert len(maths(html)) == 1


@pytest.mark.parametrize(
    ("markdown", "display"),
    [
        ("The square $x^2$ grows.", "inline"),
        ("The square $ x^2 $ grows.", "inline"),
        ("The square \\(x^2\\) grows.", "inline"),
        ("The square:\n\n$$x^2$$", "block"),
        ("The square:\n$$\nx^2\n$$\nends.", "block"),
        ("The square \\[x^2\\] grows.", "block"),
        ("The square:\n\n\\[\nx^2\n\\]", "block"),
    ],
)
def test_each_math_delimiter_renders_mathml(markdown, display):
    """$…$, \\(…\\), $$…$$ and \\[…\\] all become MathML, displayed for the double forms."""
    html = render_answer(markdown)
    (math,) = maths(html)

    assert ('display="block"' in math) == (display == "block")
    assert '<msup><mi>x</mi><mn class="tml-sml-pad">2</mn></msup>' in math
    # Display math is a block of its own, never inside a paragraph.
    assert ('<div class="math" tabindex="0"><math' in html) == (display == "block")
    assert not re.search(r"<p>(?:(?!</p>).)*<math display", html, re.DOTALL)


def test_display_math_interrupts_the_paragraph_before_it():
    """Display math right under a sentence is a block, and a "=" line inside it is no heading."""
    html = render_answer("Expressed as:\n   $$\n   x\n   =\n   y\n   $$\n   where $x$ is it.")

    assert "<h1>" not in html
    assert html.startswith('<p>Expressed as:</p>\n<div class="math" tabindex="0"><math')
    assert "<p>where <math" in html


def test_unconvertible_latex_shows_its_source():
    """TeX that Temml rejects is shown escaped as code instead of raising."""
    html = render_answer("Broken $x^$ and $ \\left( <b> $ here.")

    assert '<code class="math-error">x^</code>' in html
    assert '<code class="math-error">\\left( &lt;b&gt;</code>' in html


def test_text_inside_math_is_escaped():
    """Angle brackets in \\text{} are shown, not parsed as markup."""
    html = render_answer("$\\text{if a<b> c}$")

    assert "<mtext>if&nbsp;a&lt;b&gt;&nbsp;c</mtext>" in html


def test_tables_render():
    """A GFM table becomes a table with a header row and body cells, math included.

    It sits in a keyboard-focusable wrapper that scrolls it on narrow screens.
    """
    html = render_answer("| P | not P |\n|---|:---:|\n| T | $ \\neg T $ |\n")

    assert html.startswith('<div class="table-scroll" tabindex="0"><table>\n<thead>')
    assert "<table>\n<thead>\n<tr>\n<th>P</th>\n<th>not P</th>" in html
    assert html.endswith("</table>\n</div>\n")
    assert "<td>T</td>\n<td><math" in html
    assert "¬" in html
    assert "style=" not in html


def test_code_fences_are_highlighted_and_escaped():
    """Code is highlighted with CSS classes and its angle brackets are text."""
    html = render_answer("```cpp\n#include <iostream>\nstd::vector<Integer> v;\n```")

    assert html.startswith(
        '<div class="code-block"><div class="code-language">C++</div>'
        '<pre class="highlight" tabindex="0"><code class="language-cpp"><span class="cp">'
    )
    assert "&lt;iostream&gt;" in html
    code = re.search(r"<pre.*</pre>", html, re.DOTALL)[0]
    assert text_of(code).startswith("#include <iostream>\nstd::vector<Integer> v;\n")
    assert "style=" not in html


def test_code_fences_in_unknown_languages_are_plain_escaped_text():
    """A language Pygments does not know gives the code escaped, without highlighting,
    under the language's name as written."""
    html = render_answer("```nosuchlanguage\nif a < b: <Integer>\n```")

    assert html == (
        '<div class="code-block"><div class="code-language">nosuchlanguage</div>'
        '<pre class="highlight" tabindex="0"><code class="language-nosuchlanguage">'
        "if a &lt; b: &lt;Integer&gt;\n</code></pre>\n</div>\n"
    )


@pytest.mark.parametrize(
    "markdown, levels",
    [
        ("### A\n\n### B", ["h2", "h2"]),
        ("### A\n\n##### B\n\n### C", ["h2", "h3", "h2"]),
        ("# A\n\n## B\n\n### C", ["h2", "h3", "h4"]),
        ("## A\n\n#### B\n\n###### C", ["h2", "h3", "h4"]),
    ],
)
def test_heading_levels_rank_under_the_page_title(markdown, levels):
    """The answer's headings start at h2 under the page's h1 and never skip a level."""
    html = render_answer(markdown)

    assert re.findall(r"<(h[1-6])[ >]", html) == levels


def test_markdown_basics_render():
    """Headings, lists, emphasis, strikethrough and quotes render."""
    html = render_answer("### Steps\n1. **Bold** and *it*\n2. ~~old~~\n\n> quoted\n")

    assert html == (
        '<h2 id="answer-steps">Steps</h2>\n<ol>\n<li><strong>Bold</strong> and <em>it</em></li>\n'
        "<li><s>old</s></li>\n</ol>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n"
    )


def test_whitespace_lines_and_trailing_source_tags_leave_no_empty_elements():
    """Whitespace-only lines and a trailing "\\nWIKIPEDIA\\n\\n\\n" add no empty markup."""
    html = render_answer(decode_answer(r"1. One.\n  \n2. Two. \nWIKIPEDIA\n\n\n"))

    assert html == "<ol>\n<li>\n<p>One.</p>\n</li>\n<li>\n<p>Two.\nWIKIPEDIA</p>\n</li>\n</ol>\n"


def test_links_keep_safe_urls():
    """Web, mail and relative links survive with rel set; a javascript: URL is no link."""
    html = render_answer(
        "[a](https://example.org/x) [b](/learn/x) [c](mailto:a@example.org) "
        "[d](javascript:alert(1))"
    )

    assert '<a href="https://example.org/x" rel="noopener nofollow">a</a>' in html
    assert '<a href="/learn/x" rel="noopener nofollow">b</a>' in html
    assert '<a href="mailto:a@example.org" rel="noopener nofollow">c</a>' in html
    assert "[d](javascript:alert(1))" in html
    assert html.count("<a ") == 3


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "Text <script>alert(1)</script> more",
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)><circle r=1></svg>",
        "<style>body { display: none }</style>",
        '<form action="https://evil.example"><input></form>',
        '<object data="x.swf"></object>',
        '<a href="javascript:alert(1)">x</a>',
        '<math><maction actiontype="statusline"><mtext>x</mtext><mtext>y</mtext></maction></math>',
        '<math href="javascript:alert(1)"><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,AAAA)",
        "<javascript:alert(1)>",
        "$\\href{javascript:alert(1)}{x}$",
        "$\\style{background:url(x)}{x}\\class{evil}{y}\\color{red}{z}$",
        "$\\text{<img src=x onerror=alert(1)>}$",
        '```"><script>alert(1)</script>\nx\n```',
    ],
)
def test_hostile_input_renders_inert(markdown):
    """Scripts, event handlers, dangerous URLs, frames, forms and MathML tricks never survive."""
    html = render_answer(markdown)

    assert_inert(html)
    assert "<script" not in html


def test_raw_html_is_shown_as_text():
    """HTML written in the Markdown appears as text rather than as markup."""
    assert render_answer("Use <b>bold</b> & <br> tags.") == (
        "<p>Use &lt;b&gt;bold&lt;/b&gt; &amp; &lt;br&gt; tags.</p>\n"
    )


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script><img src=x onerror=alert(1)></p>",
        '<p style="color:red"><a href="javascript:alert(1)">x</a></p>',
        '<math><maction actiontype="statusline"><mtext>x</mtext></maction></math>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>",
        '<math><annotation-xml encoding="text/html"><iframe src=x></iframe></annotation-xml>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<mrow href="javascript:alert(1)">x</mrow>',
    ],
)
def test_sanitiser_removes_hostile_html_that_reaches_it(html):
    """The final sanitiser would neutralise hostile markup even if the renderer let it through."""
    assert_inert(rendering._SANITISER.clean(html))


# The whole corpus


@pytest.fixture(scope="module")
def corpus_answers(corpus, corpus_answer):
    """Every corpus answer by file name: raw, decoded and rendered."""
    answers = {}
    for path in sorted(corpus.glob("*/*.md")):
        raw = corpus_answer(path.relative_to(corpus))
        decoded = decode_answer(raw)
        answers[str(path.relative_to(corpus))] = (raw, decoded, render_answer(decoded))
    return answers


@pytest.mark.slow
def test_every_corpus_answer_renders_without_escapes_left_in_its_text(corpus_answers):
    """All 3,000 answers render; outside code and math no "\\n", TeX command or error is left."""
    assert len(corpus_answers) == 3000
    leftovers = {}
    for name, (_raw, _decoded, html) in corpus_answers.items():
        text = CODE_AND_MATH.sub("", html)
        found = re.findall(r"\\[A-Za-z]+", text) + re.findall("math-error", html)
        if found:
            leftovers[name] = found
    assert leftovers == {}


@pytest.mark.slow
def test_corpus_headings_have_unique_ids_that_their_contents_link(corpus_answers):
    """In every corpus answer heading ids are unique, and each contents entry names one;
    434 answers have three headings or more, and so a table of contents."""
    with_toc = 0
    for name, (_raw, decoded, html) in corpus_answers.items():
        ids = re.findall(r'<h[2-6] id="([^"]+)"', html)
        assert len(ids) == len(set(ids)) == len(re.findall(r"<h[2-6]", html)), name
        toc = rendering.render(decoded).toc
        linked = [entry["id"] for entry in toc] + [
            child["id"] for entry in toc for child in entry["children"]
        ]
        assert set(linked) <= set(ids), name
        with_toc += bool(toc)
    assert with_toc == 434


@pytest.mark.slow
def test_corpus_dollars_left_as_text_are_currency(corpus_answers):
    """Every "$" a reader sees in the corpus precedes an amount: no math was left unrendered."""
    stray = {
        name: re.findall(r".{20}\$(?!\d).{20}", CODE_AND_MATH.sub("", html))
        for name, (_raw, _decoded, html) in corpus_answers.items()
    }

    assert {name: found for name, found in stray.items() if found} == {}
    assert sum("$" in CODE_AND_MATH.sub("", html) for _r, _d, html in corpus_answers.values()) > 40


@pytest.mark.parametrize("shape", SHAPES)
def test_pathological_answers_render_in_bounded_time(shape):
    """An answer of hostile shape as long as the parser allows renders, well within a timeout."""
    with time_limit(20):
        html = render_answer(SHAPES[shape](MAX_ANSWER_CHARS))
    assert_inert(html)


def test_bracket_math_runs_to_each_first_closer():
    """Each \\( or \\[ runs to the first closer after it, including after an earlier formula."""
    found = maths(render_answer("\\(a\\) and \\(b\\) and \\[c\\] but \\(d"))
    assert ['display="block"' in math for math in found] == [False, False, True]
    assert [text_of(math) for math in found] == ["a", "b", "c"]


def test_plain_text_drops_the_markup_and_keeps_the_words():
    """The plain text has no Markdown: list numbers, emphasis, heading marks and link
    syntax go; words, inline code, math's TeX and code blocks stay, a block a line."""
    rendered = render(
        "### Stages\n\n1. **Light Absorption**: *chlorophyll* [absorbs](https://x.org) "
        "`photons`\n2. Sugar $C_6H_{12}O_6$\n\n```python\nprint(1)\n```\n\n<b>raw</b>"
    )
    assert rendered.text == (
        "Stages\nLight Absorption: chlorophyll absorbs photons\nSugar C_6H_{12}O_6\n"
        "print(1)\n<b>raw</b>"
    )


# Headings' ids and the table of contents


def test_headings_get_prefixed_ids_from_their_text():
    """Each heading's id is the prefix and a slug of its text, numbered when repeated."""
    html = render_answer(
        "### 1. INNER JOIN\n\n### Why **joins** use `ON`\n\n### 1. INNER JOIN\n\n"
        "### 1. INNER JOIN 1\n\n### Ökonomie, β-Zerfall\n\n### 日本語\n\n### 日本語"
    )

    assert re.findall(r'<h2 id="([^"]+)">', html) == [
        "answer-1-inner-join",
        "answer-why-joins-use-on",
        "answer-1-inner-join-1",
        "answer-1-inner-join-1-1",
        "answer-okonomie-zerfall",
        "answer-section",
        "answer-section-1",
    ]


def test_heading_ids_are_stable_across_renders():
    """Rendering the same answer again gives the same ids, and a table of contents to match."""
    answer = "### Intro\n\nText.\n\n### Steps\n\n### Intro"
    first, second = rendering.render(answer), rendering.render(answer)

    assert first == second
    assert [entry["id"] for entry in first.toc] == re.findall(r'id="([^"]+)"', first.html)
    assert first.toc[0]["id"] == "answer-intro" and first.toc[2]["id"] == "answer-intro-1"


@pytest.mark.parametrize(
    "heading, expected",
    [
        ("### main", "answer-main"),
        ('### <h2 id="main">x</h2>', "answer-h2-idmainxh2"),
        ("### topics-heading", "answer-topics-heading"),
        ('### " onmouseover="alert(1)', "answer-onmouseoveralert1"),
    ],
)
def test_hostile_headings_stay_inert_and_cannot_take_a_page_id(heading, expected):
    """A heading's id never equals one of the page's own, and its text stays text."""
    html = render_answer(heading)

    assert_inert(html)
    assert [attrs["id"] for _tag, attrs in Elements(html).found if "id" in attrs] == [expected]


def test_sanitiser_prefixes_any_id_the_renderer_did_not_make():
    """An id that reached the sanitiser without the prefix gets it; other tags keep none."""
    html = rendering._SANITISER.clean('<h2 id="main">a</h2><p id="main">b</p>')

    assert html == '<h2 id="answer-main">a</h2><p>b</p>'


def test_answers_with_three_headings_get_a_table_of_contents():
    """Three or more headings: the h2 ones are listed with the h3 ones under each, by
    their plain text (math as its TeX source)."""
    rendered = rendering.render(
        "Intro.\n\n### Solving $x^2 = 4$\n\n#### By **factoring**\n\n##### A detail\n\n"
        "### Checking <the> answer"
    )

    assert rendered.toc == [
        {
            "id": "answer-solving-x2-4",
            "title": "Solving x^2 = 4",
            "children": [{"id": "answer-by-factoring", "title": "By factoring"}],
        },
        {"id": "answer-checking-the-answer", "title": "Checking <the> answer", "children": []},
    ]


def test_a_subheading_before_the_first_heading_opens_the_table_of_contents():
    """An h3 with no h2 before it is listed at the top level, not dropped."""
    rendered = rendering.render("#### First\n\n### Second\n\n#### Third")

    assert [entry["title"] for entry in rendered.toc] == ["First", "Second"]
    assert rendered.toc[1]["children"] == [{"id": "answer-third", "title": "Third"}]


def test_answers_with_fewer_headings_get_none():
    """Two headings are not worth a map."""
    assert rendering.render("### One\n\nText\n\n### Two").toc == []
    assert rendering.render("No headings at all.").toc == []


def test_word_count_counts_text_code_and_each_formula_once():
    """Words of prose, headings, lists and code count; a formula is one word."""
    rendered = rendering.render(
        "### Two words\n\nThree more **words** and $x^2 + y^2$.\n\n- a list item\n\n"
        "```python\nprint(1)  # two\n```\n\n$$\\frac{a}{b}$$\n"
    )

    assert rendered.word_count == 2 + 5 + 3 + len(["print(1)", "two"]) + 1


@pytest.mark.parametrize("words, minutes", [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5)])
def test_reading_minutes(words, minutes):
    """Reading time at 200 words a minute, rounded up, at least a minute."""
    assert rendering.reading_minutes(words) == minutes


# Code blocks' language labels and the SQL lexer


@pytest.mark.parametrize(
    "info, label",
    [
        ("python", "Python"),
        ("cpp", "C++"),
        ("bash", "Bash"),
        ("sql", "SQL"),
        ("SQL", "SQL"),
        ("python title=x.py", "Python"),
        ("console-output", "console-output"),
    ],
)
def test_code_blocks_name_their_language(info, label):
    """The fence's language shows above the block, by the name readers know it."""
    html = render_answer(f"```{info}\nx\n```")

    assert re.findall(r'<div class="code-language">([^<]*)</div>', html) == [label]


@pytest.mark.parametrize("info", ["", "plaintext", "text", "<img", "x" * 40, "&lt;b&gt;"])
def test_plain_or_odd_fences_get_no_label(info):
    """No language, plain text, or a word that names no language: no label, code as text."""
    html = render_answer(f"```{info}\n<b>x</b>\n```")

    assert "code-language" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert_inert(html)


SQL = (
    "SELECT c.name, COUNT(*) AS count, SUM(o.total) AS total, o.placed_on AS date\n"
    "FROM customers AS c\nLEFT JOIN orders AS o ON o.customer_id = c.customer_id\n"
    "GROUP BY c.name ORDER BY total DESC;\n"
)


def token_classes(html, word):
    return set(re.findall(rf'<span class="([^"]+)">{word}</span>', html))


@pytest.mark.parametrize("alias", ["c", "o", "name", "count", "total", "customers"])
def test_sql_aliases_and_columns_are_names_not_keywords(alias):
    """In ```sql, column and table aliases (AS c, AS count, AS total) are names."""
    html = render_answer(f"```sql\n{SQL}```")

    assert token_classes(html, alias) <= {"n", "nf"}
    assert token_classes(html, alias)
    assert token_classes(html, "SELECT") == {"k"}
    assert token_classes(html, "AS") == {"k"}


def test_pygments_generic_sql_lexer_makes_aliases_keywords():
    """Why ```sql is not Pygments' SqlLexer: it colours the aliases c and count as keywords."""
    from pygments.lexers import SqlLexer
    from pygments.token import Keyword

    tokens = [(kind, text) for kind, text in SqlLexer().get_tokens(SQL) if text in {"c", "count"}]

    assert tokens and all(kind in Keyword for kind, _text in tokens)


# Temml: the constructs the issue lists


def test_math_at_the_start_of_a_text_before_a_digit_is_math():
    """ "$x$ is 2": mdit-py-plugins reads src[-1] (the last "2") as the character before the
    first "$" and took it for currency; worked around (docs/upstream-dollarmath-bug.md)."""
    assert maths(render_answer("$x$ is 2")) == ["<math><mi>x</mi></math>"]
    assert maths(render_answer("$x$ ends in \\")) == ["<math><mi>x</mi></math>"]
    # Currency still stays text there.
    assert render_answer("$5 and 2") == "<p>$5 and 2</p>\n"


def test_display_math_inside_a_paragraph_becomes_its_own_block():
    """\\[…\\] and $$…$$ in running text split the paragraph round a scrolling math block."""
    html = render_answer("So \\[x\\] holds, and $$y$$ too.")

    assert html == (
        "<p>So</p>\n"
        '<div class="math" tabindex="0"><math display="block" class="tml-display">'
        "<mi>x</mi></math></div>\n"
        "<p>holds, and</p>\n"
        '<div class="math" tabindex="0"><math display="block" class="tml-display">'
        "<mi>y</mi></math></div>\n"
        "<p>too.</p>\n"
    )


def test_aligned_rows_are_table_rows_without_a_literal_ampersand():
    """\\begin{aligned} gives one table row per line, "&" a column, never text."""
    (math,) = maths(render_answer("$$\\begin{aligned} x &= 1 \\\\ y &= 2 \\end{aligned}$$"))

    assert math.count("<mtr>") == 2
    assert "&amp;" not in math and "&" not in text_of(math)


def test_row_breaks_outside_an_environment_give_rows():
    """ "a \\\\ b" alone in display math sets each side on a line of its own."""
    (math,) = maths(render_answer("$$F_x = F \\cos\\theta \\\\ F_y = F \\sin\\theta$$"))

    assert math.count("<mtr>") == 2


def test_chemistry_renders_through_mhchem():
    """\\ce{…} is chemistry: subscripts and a reaction arrow, no "\\ce" text."""
    (math,) = maths(render_answer("$\\ce{2H2 + O2 -> 2H2O}$"))

    assert "ce" not in text_of(math)
    assert "→" in math
    assert "<msub>" in math


def test_text_percent_and_arg_render():
    """\\% inside \\text and \\arg are typeset, not shown as TeX."""
    (math,) = maths(render_answer("$\\text{rate 5\\%} + \\arg z$"))

    assert "<mtext>rate&nbsp;5%</mtext>" in math
    assert "<mi>arg</mi>" in math
    assert "\\" not in text_of(math)


def test_array_column_lines_are_drawn():
    """{cc|c} draws a rule after the second column (Temml's border, as a class)."""
    (math,) = maths(render_answer("$$\\begin{array}{cc|c} 1 & 2 & 3 \\end{array}$$"))

    cells = re.findall(r"<mtd[^>]*>", math)
    assert ["tml-br" in cell for cell in cells] == [False, True, False]


def test_stretchy_fences_are_marked_stretchy():
    """\\left[ … \\right] fences stretch; cases gets a stretchy brace."""
    html = render_answer("$$\\left[ \\frac{a}{b} \\right] \\begin{cases} 1 & x \\end{cases}$$")

    # The empty closer of cases (\\right.) counts too.
    assert html.count('stretchy="true"') == 4


def test_temml_styles_become_classes_and_no_style_attribute_is_left():
    """The CSP allows no style attribute: Temml's layout is classes of math.css; a
    declaration with no class (display:block math) is dropped."""
    html = render_answer("$$\\begin{array}{c|c} 1 & 2 \\end{array}$$ $\\frac{1}{2}$")

    assert "style=" not in html
    assert '<math display="block" class="tml-display">' in html
    assert '<mtd class="tml-pl0 tml-prc tml-br">' in html
    for name in re.findall(r'class="([^"]*)"', "".join(maths(html))):
        for class_name in name.split():
            assert f".{class_name}" in MATH_CSS, class_name


def test_rendered_answers_say_whether_they_have_math():
    """has_math is true exactly when the HTML holds MathML (not for currency or bad TeX)."""
    assert rendering.render("Area $x^2$.").has_math
    assert rendering.render("$$x$$").has_math
    assert not rendering.render("It costs $5 or $6.").has_math
    assert not rendering.render("Broken $x^$.").has_math


def test_tex_that_runs_too_long_is_shown_as_its_source(monkeypatch):
    """A conversion past the time limit (a macro bomb) is an error, shown as code."""
    monkeypatch.setattr(temml, "TIMEOUT_SECONDS", 0.000001)
    rendering._tex_to_mathml.cache_clear()
    try:
        html = render_answer("$" + "\\frac{a}{b}" * 200 + "$")
    finally:
        rendering._tex_to_mathml.cache_clear()

    assert '<code class="math-error">' in html


# TeX in the corpus that is wrong at its source, so shown as code: file → (TeX, reason).
WRONG_CORPUS_TEX = {}


@pytest.mark.slow
def test_every_corpus_formula_converts_to_mathml_that_reads_as_typeset(corpus_answers):
    """Over all 3,000 answers: every formula converts (but for TeX wrong in its source), no
    <mi>/<mtext> shows a backslash command, and no "&" shows in MathML."""
    failures, commands, ampersands = {}, {}, {}
    formulas = 0
    for name, (_raw, decoded, html) in corpus_answers.items():
        errors = [
            unescape(tex) for tex in re.findall(r'<code class="math-error">(.*?)</code>', html)
        ]
        if errors:
            failures[name] = errors
        for math in maths(html):
            formulas += 1
            if found := re.findall(r"<(?:mi|mtext)\b[^>]*>[^<]*\\[A-Za-z]+", math):
                commands.setdefault(name, []).extend(found)
            if "&" in text_of(math) and "\\&" not in decoded:
                ampersands.setdefault(name, []).append(text_of(math))

    assert formulas > 2500
    assert failures == {name: [tex] for name, (tex, _reason) in WRONG_CORPUS_TEX.items()}
    assert commands == {}
    assert ampersands == {}


@pytest.mark.slow
def test_every_corpus_currency_dollar_stays_visible(corpus_answers):
    """Each "$" before an amount in the source ("$5", "$1,000") that opens no formula is still
    in the text, and no formula swallowed prose (two words in a row outside \\text)."""
    lost, swallowed = {}, {}
    for name, (_raw, decoded, html) in corpus_answers.items():
        formulas = [
            child
            for token in rendering._MARKDOWN.parse(decoded, {})
            for child in token.children or []
            if child.type in {"math_inline", "math_inline_double"}
        ]
        opening_digit = sum(
            child.markup.startswith("$") and child.content[:1].isdigit() for child in formulas
        )
        amounts = len(re.findall(r"\$(?=\d)", decoded)) - opening_digit
        shown = len(re.findall(r"\$(?=\d)", text_of(re.sub(r"<math.*?</math>", "", html))))
        if shown != amounts:
            lost[name] = (amounts, shown)
        for child in formulas:
            tex = re.sub(r"\\(?:text|mathrm|operatorname|mbox)\w*\s*\{[^{}]*\}", "", child.content)
            if re.search(r"(?<![\\A-Za-z])[A-Za-z]{3,}\s+[A-Za-z]{2,}", tex):
                swallowed.setdefault(name, []).append(child.content)

    assert lost == {}
    assert swallowed == {}
