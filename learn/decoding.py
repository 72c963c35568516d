"""The answer's source format: escaped newlines, decoded where they are not LaTeX or code.

The front matter writes an answer's line breaks as the two characters backslash and "n"
inside one folded line; the same two characters also begin LaTeX commands (``\\neq``)
and C escapes (``"\\n"``), which are kept. Pure: no ORM, no Markdown.
"""

import re

# Control words that begin with "n": after a backslash inside math these are commands,
# not an escaped newline followed by text. The complete set of LaTeX's kernel (with the
# plain TeX it builds on), amsmath and amssymb; an unknown one is kept too (_decode_tex).
_N_COMMANDS = frozenset(
    {
        # LaTeX and plain TeX
        "nabla",
        "napprox",
        "narrower",
        "natural",
        "ne",
        "nearrow",
        "neg",
        "neq",
        "newbox",
        "newcommand",
        "newcount",
        "newcounter",
        "newdimen",
        "newenvironment",
        "newfam",
        "newfont",
        "newhelp",
        "newif",
        "newinsert",
        "newlabel",
        "newlanguage",
        "newlength",
        "newline",
        "newlinechar",
        "newmuskip",
        "newpage",
        "newread",
        "newsavebox",
        "newskip",
        "newtheorem",
        "newtoks",
        "newwrite",
        "ni",
        "noalign",
        "nobreak",
        "nobreakspace",
        "nocite",
        "noexpand",
        "nofiles",
        "noindent",
        "nointerlineskip",
        "nolimits",
        "nolinebreak",
        "nonfrenchspacing",
        "nonscript",
        "nonstopmode",
        "nopagebreak",
        "normalbaselines",
        "normalbaselineskip",
        "normalcolor",
        "normalfont",
        "normallineskip",
        "normallineskiplimit",
        "normalmarginpar",
        "normalsize",
        "not",
        "notin",
        "nu",
        "null",
        "nulldelimiterspace",
        "nullfont",
        "number",
        "numberline",
        "nwarrow",
        # amsmath
        "negmedspace",
        "negthickspace",
        "negthinspace",
        "nobreakdash",
        "nonumber",
        "notag",
        "numberwithin",
        # amssymb
        "ncong",
        "nexists",
        "ngeq",
        "ngeqq",
        "ngeqslant",
        "ngtr",
        "nLeftarrow",
        "nleftarrow",
        "nLeftrightarrow",
        "nleftrightarrow",
        "nleq",
        "nleqq",
        "nleqslant",
        "nless",
        "nmid",
        "nparallel",
        "nprec",
        "npreceq",
        "nRightarrow",
        "nrightarrow",
        "nshortmid",
        "nshortparallel",
        "nsim",
        "nsubseteq",
        "nsubseteqq",
        "nsucc",
        "nsucceq",
        "nsupseteq",
        "nsupseteqq",
        "ntriangleleft",
        "ntrianglelefteq",
        "ntriangleright",
        "ntrianglerighteq",
        "nVDash",
        "nVdash",
        "nvDash",
        "nvdash",
    }
)
# What a line of display math may end in before its next line starts with letters: a
# "\\begin{…}" or "\\end{…}" (rows and environments each start a line of their own).
_LINE_END = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}[ \t]*\Z")

# Regions whose backslashes mean something of their own, in priority order, and escaped
# "$" or "`", which open none. The answer is one line, so a fence starts after an
# escaped (or, once edited, a real) newline.
_REGION = re.compile(
    r"""
    (?P<fence>(?:^|(?<=\\n)|(?<=\n))[ \t]*(?P<ticks>`{3,}|~{3,}).*?
        (?:(?:\\n|\n)[ \t]*(?P=ticks)|\Z))
    | (?P<code>(?P<bt>`+)(?:(?!\\n\\n|\n\n)[^`])+(?P=bt)(?!`))
    | (?P<display>\$\$.+?\$\$|\\\[.+?\\\])
    | (?P<inline>\\\(.+?\\\)|\$(?:(?!\\n\\n|\n\n)(?:[^$\\]|\\.))+\$)
    | \\[$`]
    """,
    re.VERBOSE | re.DOTALL,
)
_REGION_OPENER = re.compile(r"[`~$]|\\[(\[]")
_ESCAPED_NEWLINE = re.compile(r"\\n")
_TEX_NEWLINE = re.compile(r"(?<!\\)(\\\\)?\\n([A-Za-z]*)")
# A one-line string literal in code, where "\n" is the C-style escape (printf("%d\n", i)).
# Triple quotes open docstrings, whose lines are real; an apostrophe after a letter is
# English ("don't"); and "\n" followed by indentation starts the next line of code.
_STRING_LITERAL = re.compile(
    r"""
    "{3}|'{3}
    | "(?:\\(?!n[ \t])[^\n]|[^"\\\n])*"
    | (?<![A-Za-z0-9])'(?:\\(?!n[ \t])[^\n]|[^'\\\n])*'
    """,
    re.VERBOSE,
)


def decode_answer(raw: str) -> str:
    """Turn the escaped newlines of a front-matter answer into real ones.

    An escaped newline is the two characters backslash and "n", which also begin LaTeX
    commands (``\\neq``) and C escapes (``"\\n"``); those are kept where they occur in
    math or in a code string literal. Real newlines pass through, so decoding text that
    is already decoded leaves ordinary Markdown unchanged.
    """
    # Most answers hold neither code nor math, so every escape in them is a newline.
    if not _REGION_OPENER.search(raw):
        return raw.replace("\\n", "\n")
    parts = []
    pos = 0
    for match in _REGION.finditer(raw):
        parts.append(_ESCAPED_NEWLINE.sub("\n", raw[pos : match.start()]))
        region = match.group()
        if match["fence"]:
            region = _decode_code(region)
        elif match["display"]:
            region = _decode_display_math(region)
        elif match["inline"]:
            region = _decode_tex(region)
        parts.append(region)
        pos = match.end()
    parts.append(_ESCAPED_NEWLINE.sub("\n", raw[pos:]))
    return "".join(parts)


def encode_answer(markdown: str) -> str:
    """An answer's Markdown in the source format: each line break as backslash and "n",
    so that the answer is one line. :func:`decode_answer` reads it back unless the
    Markdown holds a backslash and "n" of its own outside math and code (it then
    becomes a line break) or a line break inside math before letters that make a LaTeX
    command of "\\n" (it then stays one): the export checks each answer it writes."""
    return markdown.replace("\r\n", "\n").replace("\n", "\\n")


def _decode_tex(tex):
    def replace(match):
        row_break, word = match.groups()
        # A row break "\\" is always followed by a new line in the corpus, never by "\nu";
        # "\n" before no letter is no command; and after "\begin{aligned}" a word that
        # is no command starts the next line.
        if (
            row_break
            or not word
            or ("n" + word not in _N_COMMANDS and _LINE_END.search(tex, 0, match.start()))
        ):
            return (row_break or "") + "\n" + word
        # Any other "\n<letters>" is kept, known or not: splitting an unknown command into
        # a line break and text would garble it, whereas TeX that fails to convert is
        # shown as its source.
        return match.group()

    return _TEX_NEWLINE.sub(replace, tex)


def _decode_display_math(tex):
    opening, body, closing = tex[:2], tex[2:-2], tex[-2:]
    # "$$\nu(t) = …\n$$" is display math set on its own lines, not "$$\nu(t) = …$$":
    # a body that ends on a line break also starts on one.
    if body.startswith("\\n") and body.rstrip(" \t").endswith("\\n"):
        return opening + "\n" + _decode_tex(body[2:]) + closing
    return opening + _decode_tex(body) + closing


def _decode_code(code):
    parts = []
    pos = 0
    for match in _STRING_LITERAL.finditer(code):
        parts.append(_ESCAPED_NEWLINE.sub("\n", code[pos : match.start()]))
        parts.append(match.group())
        pos = match.end()
    parts.append(_ESCAPED_NEWLINE.sub("\n", code[pos:]))
    return "".join(parts)
