"""Answer Markdown (real newlines) to safe HTML with MathML and highlighted code."""

import copy
import functools
import math
import re
from typing import NamedTuple

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.token import Token
from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from learn import temml

# Every id in an answer starts with this, so that no heading can take an id the page
# around it uses ("main", "topics-heading"): the sanitiser prefixes any other id.
ID_PREFIX = "answer-"
# Answers with at least this many headings get a table of contents.
TOC_MIN_HEADINGS = 3
# Silent reading of expository text, in words a minute.
WORDS_PER_MINUTE = 200


class RenderedAnswer(NamedTuple):
    """An answer as HTML, and what the page that shows it needs to know about it."""

    html: str
    # A highlighted code block: the page loads the code colours.
    has_code: bool
    # The answer as plain text, one line a block: what search indexes and cuts snippets
    # from, so that neither ever shows Markdown.
    text: str
    # The table of contents of an answer with TOC_MIN_HEADINGS or more headings, else
    # empty: its h2 headings as {"id", "title", "children"}, children the h3 ones under
    # each, as {"id", "title"}.
    toc: list
    # Words a reader reads: text, code and each formula as one.
    word_count: int
    # MathML: the page loads the math stylesheet and font.
    has_math: bool


def render(markdown: str) -> RenderedAnswer:
    """Render answer Markdown (real newlines) to sanitised HTML with MathML and highlighted code.

    Raw HTML in the Markdown is shown as text, math becomes MathML (or its TeX source as
    code when it cannot be converted), headings get ids (``ID_PREFIX`` and a slug of their
    text, unique in the answer), and the result passes an allowlist sanitiser.
    """
    env = {}
    tokens = _MARKDOWN.parse(markdown, env)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    html = _SANITISER.clean(html)
    headings = env.get("headings", [])
    return RenderedAnswer(
        html=html,
        has_code=any(token.type == "fence" for token in tokens),
        has_math="<math" in html,
        text=_plain_text(tokens),
        toc=_table_of_contents(headings) if len(headings) >= TOC_MIN_HEADINGS else [],
        word_count=_word_count(tokens),
    )


def _plain_text(tokens) -> str:
    """The text of the parsed answer without its markup: each block's words (inline code,
    math's TeX and code blocks' source included) on a line of their own."""
    blocks = []
    for token in tokens:
        if token.type == "inline":
            blocks.append(
                "".join(
                    " " if child.type in _BREAKS else child.content
                    for child in token.children
                    if child.type in _TEXT_TOKENS or child.type in _BREAKS
                )
            )
        elif token.type in _TEXT_BLOCKS:
            blocks.append(token.content)
    return "\n".join(line for line in (" ".join(block.split()) for block in blocks) if line)


def reading_minutes(word_count: int) -> int:
    """Minutes a reader takes over ``word_count`` words, at least one."""
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def render_answer(markdown: str) -> str:
    """The answer's HTML alone (see :func:`render`)."""
    return render(markdown).html


# Answers repeat expressions ($x$, $ P $), and converting them is the dearest step.
@functools.lru_cache(maxsize=4096)
def _tex_to_mathml(tex, display):
    if display and _ROW_BREAK.search(tex) and not _ENVIRONMENT.search(tex):
        # "a = b \\ c = d" on its own: each row on a line of its own, centred, as
        # LaTeX's gather* sets it (Temml would run the rows together).
        tex = f"\\begin{{gathered}}{tex}\\end{{gathered}}"
    try:
        return temml.to_mathml(tex, display)
    except temml.TexError:
        return f'<code class="math-error">{escapeHtml(tex)}</code>'


def _render_math(self, tokens, idx, options, env):
    token = tokens[idx]
    html = _tex_to_mathml(token.content.strip(), display=token.type != "math_inline")
    if not token.block:
        return html
    # A wrapper lets the stylesheet scroll equations wider than the screen; tabindex lets
    # a keyboard scroll it too.
    return f'<div class="math" tabindex="0">{html}</div>\n'


def _math_dollar(state, silent):
    start = state.pos
    if not _dollar_inline(state, True):
        return False
    content = state.src[start + 1 : state.pos - 1]
    state.pos = start
    # Math is spaced alike at both ends ($x$, $ x $); "$3 per gallon … the expression $"
    # is currency followed by math, not math.
    if content[:1].isspace() != content[-1:].isspace():
        return False
    return _dollar_inline(state, silent)


def _dollar_inline(state, silent):
    if state.pos:
        return _DOLLAR_INLINE(state, silent)
    # mdit-py-plugins reads the character before a "$" as src[pos - 1], which at the start
    # of the text is the last character: "$x$ is 2" would be refused as currency ("2$"), and
    # "$x$ ends in \\" as escaped. A line break appended for the call is a neutral "last
    # character" (docs/upstream-dollarmath-bug.md).
    src = state.src
    state.src = src + "\n"
    try:
        return _DOLLAR_INLINE(state, silent)
    finally:
        state.src = src


def _math_block(state, start_line, end_line, silent):
    token_count, line = len(state.tokens), state.line
    found = _DOLLAR_BLOCK(state, start_line, end_line, False)
    if silent:
        # dollarmath's rule ignores silent mode, with which the paragraph rule asks
        # whether a line interrupts it, so undo what it did.
        del state.tokens[token_count:]
        state.line = line
    return found


def _math_brackets(state, silent):
    src, start = state.src, state.pos
    opener = src[start : start + 2]
    if opener not in _BRACKET_CLOSERS:
        return False
    closer = _BRACKET_CLOSERS[opener]
    end = _next_closer(state, closer, start + 3)
    if end == -1:
        return False
    if not silent:
        kind = "math_inline" if opener == "\\(" else "math_inline_double"
        token = state.push(kind, "math", 0)
        token.content = src[start + 2 : end]
    state.pos = end + 2
    return True


def _next_closer(state, closer, start):
    """Where ``closer`` next occurs at or after ``start`` in the inline source, or -1.

    Remembered per source: a run of ``\\(`` with no ``\\)`` would otherwise rescan the
    rest of the text at each opener, which is quadratic.
    """
    memo = state.env.setdefault("math_closers", {})
    src, first, found = memo.get(closer, (None, 0, -1))
    if src is not state.src or start < first or (found != -1 and start > found):
        first, found = start, state.src.find(closer, start)
        memo[closer] = (state.src, first, found)
    return found


@functools.lru_cache(maxsize=64)
def _lexer(language):
    try:
        return get_lexer_by_name(_LEXERS.get(language.lower(), language))
    except ClassNotFound:
        return None


@functools.lru_cache(maxsize=64)
def _language_label(language):
    """The language's name as readers know it: Pygments' name for the fence's word (the
    name of the language written, not of the lexer that highlights it), else the word
    itself if it looks like a language's name; None for plain text or anything else."""
    if language.lower() in _PLAIN_TEXT:
        return None
    try:
        return get_lexer_by_name(language).name
    except ClassNotFound:
        return language if _LANGUAGE_WORD.fullmatch(language) else None


def _highlight(code, language, attrs):
    lexer = _lexer(language) if language else None
    body = highlight(code, lexer, _FORMATTER) if lexer else escapeHtml(code)
    language_class = f' class="language-{escapeHtml(language)}"' if language else ""
    return f'<pre class="highlight" tabindex="0"><code{language_class}>{body}</code></pre>'


def _render_fence(self, tokens, idx, options, env):
    # A block in a named language carries the name above it, as text.
    block = self.fence(tokens, idx, options, env)
    info = unescapeAll(tokens[idx].info).split(maxsplit=1)
    label = _language_label(info[0]) if info else None
    if label is None:
        return block
    return (
        f'<div class="code-block"><div class="code-language">{escapeHtml(label)}</div>'
        f"{block}</div>\n"
    )


def _rank_headings(state):
    # The answer sits under the page's h1: its heading levels, whatever they are in the
    # source (most answers start at "###"), become h2, h3, ... by rank, so none is skipped.
    headings = [token for token in state.tokens if token.type in {"heading_open", "heading_close"}]
    levels = sorted({token.tag for token in headings})
    rank = {level: f"h{min(index + 2, 6)}" for index, level in enumerate(levels)}
    for token in headings:
        token.tag = rank[token.tag]


def _anchor_headings(state):
    """Give each heading an id from its text (ID_PREFIX, a slug, a number when repeated)
    and note it in ``env["headings"]`` as (id, title, level) for the table of contents.

    Not mdit-py-plugins' anchors plugin: it numbers a repeated slug by trying each
    number from 1 again, quadratic in equal headings (2.3 s for the 4,096 of the longest
    answer; tests/pathological.py's "# a").
    """
    taken, next_number, headings = set(), {}, []
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        title = " ".join(_inline_text(state.tokens[index + 1]).split())
        base = ID_PREFIX + (slugify(title)[:_SLUG_LENGTH].strip("-") or "section")
        anchor, number = base, next_number.get(base, 1)
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        next_number[base] = number
        taken.add(anchor)
        token.attrSet("id", anchor)
        headings.append((anchor, title, int(token.tag[1])))
    state.env["headings"] = headings


def _table_of_contents(headings):
    toc = []
    for anchor, title, level in headings:
        if level == 2 or (level == 3 and not toc):
            toc.append({"id": anchor, "title": title, "children": []})
        elif level == 3:
            toc[-1]["children"].append({"id": anchor, "title": title})
    return toc


def _inline_text(token):
    """The text of an inline token as a reader reads it: math as its TeX source."""
    return "".join(child.content for child in token.children or () if child.type in _READ_TOKENS)


def _word_count(tokens):
    words = 0
    for token in tokens:
        if token.type == "inline":
            words += sum(
                1 if child.type.startswith("math") else _words(child.content)
                for child in token.children or ()
                if child.type in _READ_TOKENS
            )
        elif token.type in {"fence", "code_block"}:
            words += _words(token.content)
        elif token.type == "math_block":
            words += 1
    return words


def _words(text):
    # A word is a run without spaces that has a letter or digit ("—" and "." are none).
    return sum(1 for piece in text.split() if _WORD_CHARACTER.search(piece))


def _lift_display_math(state):
    """Display math written inside a paragraph ("so \\[x\\] holds") becomes a block of its
    own between the paragraph's two halves, so it scrolls in its own box."""
    tokens, out = state.tokens, []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.type != "paragraph_open"
            or inline.type != "inline"
            or not any(child.type == "math_inline_double" for child in inline.children)
        ):
            out.append(token)
            index += 1
            continue
        opener, closer = token, tokens[index + 2]
        run = []
        for child in [*inline.children, None]:
            if child is not None and child.type != "math_inline_double":
                run.append(child)
                continue
            if run := _trimmed(run):
                part = Token("inline", "", 0, level=inline.level, children=run, map=inline.map)
                out += [copy.copy(opener), part, copy.copy(closer)]
            run = []
            if child is not None:
                block = Token("math_block", "math", 0, block=True, level=opener.level)
                block.content, block.map = child.content, inline.map
                out.append(block)
        index += 3
    state.tokens = out


def _trimmed(children):
    """Inline children without the line breaks and spaces at either end; [] if nothing is left."""
    while children and children[0].type in {"softbreak", "hardbreak"}:
        children = children[1:]
    while children and children[-1].type in {"softbreak", "hardbreak"}:
        children = children[:-1]
    if children and children[0].type == "text":
        children[0] = copy.copy(children[0])
        children[0].content = children[0].content.lstrip()
    if children and children[-1].type == "text":
        children[-1] = copy.copy(children[-1])
        children[-1].content = children[-1].content.rstrip()
    if all(child.type == "text" and not child.content for child in children):
        return []
    return children


def _render_table_open(self, tokens, idx, options, env):
    # Tables scroll inside this wrapper on narrow screens, not the page.
    return '<div class="table-scroll" tabindex="0">' + self.renderToken(tokens, idx, options, env)


def _render_table_close(self, tokens, idx, options, env):
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


# What the plain text keeps: inline tokens with text, their line breaks, and blocks of
# code or math (an image's content is its alt text).
_TEXT_TOKENS = {"text", "code_inline", "image", "math_inline", "math_inline_double"}
_BREAKS = {"softbreak", "hardbreak"}
_TEXT_BLOCKS = {"fence", "code_block", "math_block"}

_FORMATTER = HtmlFormatter(nowrap=True)
# Fence languages highlighted by another lexer than Pygments' own for the name. Pygments'
# generic SQL lexer takes SQL-92's whole keyword list, so aliases (`AS c`, `AS count`)
# show as keywords; its Transact-SQL lexer keeps them names (tests/test_rendering.py).
_LEXERS = {"sql": "tsql"}
# Fence words that mean no language: the block gets no label.
_PLAIN_TEXT = {"text", "txt", "plain", "plaintext"}
_LANGUAGE_WORD = re.compile(r"[A-Za-z][\w+#.-]{0,29}")
_SLUG_LENGTH = 80
_WORD_CHARACTER = re.compile(r"\w")
# What a heading's title and the word count read: text, inline code and math's TeX.
_READ_TOKENS = {"text", "code_inline", "math_inline", "math_inline_double"}
# \( inline \) and \[ display \] math: the content runs to the first closer.
_BRACKET_CLOSERS = {"\\(": "\\)", "\\[": "\\]"}
# A row break, and a \begin{...} environment, which sets its own rows.
_ROW_BREAK = re.compile(r"\\\\")
_ENVIRONMENT = re.compile(r"\\begin\s*\{")
# A digit against a "$" marks currency: "$5-$10".
_DOLLAR_INLINE = math_inline_dollar(allow_digits=False, allow_double=True)
_DOLLAR_BLOCK = math_block_dollar(allow_labels=False)

# CommonMark with raw HTML shown as text, plus GFM tables and strikethrough.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable(
    ["table", "strikethrough"]
)
_MARKDOWN.inline.ruler.before("escape", "math_dollar", _math_dollar)
_MARKDOWN.inline.ruler.before("escape", "math_brackets", _math_brackets)
# Answers open "$$" on the line right after the sentence introducing it, so display math
# interrupts a paragraph as a code fence does (else a "=" line inside it is a heading).
_MARKDOWN.block.ruler.before(
    "fence",
    "math_block",
    _math_block,
    {"alt": ["paragraph", "reference", "blockquote", "list"]},
)
for _math_token in ("math_inline", "math_inline_double", "math_block"):
    _MARKDOWN.add_render_rule(_math_token, _render_math)
_MARKDOWN.core.ruler.push("rank_headings", _rank_headings)
_MARKDOWN.core.ruler.push("lift_display_math", _lift_display_math)
_MARKDOWN.core.ruler.push("anchor_headings", _anchor_headings)
_MARKDOWN.add_render_rule("table_open", _render_table_open)
_MARKDOWN.add_render_rule("fence", _render_fence)
_MARKDOWN.add_render_rule("table_close", _render_table_close)

_MATHML_TAGS = {
    "annotation",
    "math",
    "menclose",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
    "semantics",
}
_MATHML_ATTRIBUTES = {
    "accent",
    "accentunder",
    "columnalign",
    "columnlines",
    "columnspacing",
    "columnspan",
    "depth",
    "display",
    "displaystyle",
    "encoding",
    "fence",
    "form",
    "frame",
    "framespacing",
    "height",
    "largeop",
    "linethickness",
    "lspace",
    "mathsize",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "notation",
    "rowalign",
    "rowlines",
    "rowspacing",
    "rowspan",
    "rspace",
    "scriptlevel",
    "separator",
    "stretchy",
    "symmetric",
    "voffset",
    "width",
    "xmlns",
    # Temml's classes, which math.css styles (cell padding and alignment, array rules).
    "class",
}
# The final guard: only what the renderer itself produces survives. No style attributes
# (markdown-it's table alignment is dropped with them; Temml's become classes), no
# maction or MathML href, and links keep web and mail schemes or relative URLs.
_SANITISER = nh3.Cleaner(
    tags={
        "a",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
    | _MATHML_TAGS,
    attributes={
        "a": {"href", "title"},
        "img": {"alt", "src", "title"},
        "ol": {"start"},
        "code": {"class"},
        "div": {"class", "tabindex"},
        "pre": {"class", "tabindex"},
        "span": {"class"},
    }
    | {heading: {"id"} for heading in ("h2", "h3", "h4", "h5", "h6")}
    | dict.fromkeys(_MATHML_TAGS, _MATHML_ATTRIBUTES),
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener nofollow",
    id_prefix=ID_PREFIX,
)
