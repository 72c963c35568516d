"""Answer Markdown (real newlines) to safe HTML with MathML and highlighted code."""

import copy
import functools
import re
from typing import NamedTuple

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from learn import temml


class RenderedAnswer(NamedTuple):
    """An answer as HTML, and what the page that shows it needs to know about it."""

    html: str
    # A highlighted code block: the page loads the code colours.
    has_code: bool
    # MathML: the page loads the math stylesheet and font.
    has_math: bool


def render(markdown: str) -> RenderedAnswer:
    """Render answer Markdown (real newlines) to sanitised HTML with MathML and highlighted code.

    Raw HTML in the Markdown is shown as text, math becomes MathML (or its TeX source as
    code when it cannot be converted), and the result passes an allowlist sanitiser.
    """
    env = {}
    tokens = _MARKDOWN.parse(markdown, env)
    html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    html = _SANITISER.clean(html)
    return RenderedAnswer(
        html=html,
        has_code=any(token.type == "fence" for token in tokens),
        has_math="<math" in html,
    )


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
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None


def _highlight(code, language, attrs):
    lexer = _lexer(language) if language else None
    body = highlight(code, lexer, _FORMATTER) if lexer else escapeHtml(code)
    language_class = f' class="language-{escapeHtml(language)}"' if language else ""
    return f'<pre class="highlight" tabindex="0"><code{language_class}>{body}</code></pre>'


def _rank_headings(state):
    # The answer sits under the page's h1: its heading levels, whatever they are in the
    # source (most answers start at "###"), become h2, h3, ... by rank, so none is skipped.
    headings = [token for token in state.tokens if token.type in {"heading_open", "heading_close"}]
    levels = sorted({token.tag for token in headings})
    rank = {level: f"h{min(index + 2, 6)}" for index, level in enumerate(levels)}
    for token in headings:
        token.tag = rank[token.tag]


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


_FORMATTER = HtmlFormatter(nowrap=True)
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
_MARKDOWN.add_render_rule("table_open", _render_table_open)
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
    | dict.fromkeys(_MATHML_TAGS, _MATHML_ATTRIBUTES),
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener nofollow",
)
