"""Every math expression of the sample through Temml (the converter) and latex2mathml
(the one it replaced), and the render cost per file with each: part of `make bench`.

Prints, per converter, the expressions that fail to convert, the MathML that shows a
backslash command as text (an <mi>/<mtext> holding "\\name") or a literal "&", and the
time per expression (no cache); the render cost per file of all the sample's answers (as
the importer renders them, with its cache of repeated expressions), for files with math
and for all; then the markup Temml emits (tags, classes). Run with
``.venv/bin/python -m bench.math``.
"""

import functools
import re
import time
from collections import Counter
from pathlib import Path

from markdown_it.common.utils import escapeHtml

from learn import rendering, temml
from learn.parsing import parse_article
from learn.sources import import_roots, skip_reason, walk_files
from tests.folders import CORPUS

MATH_TOKENS = {"math_inline", "math_inline_double", "math_block"}
SHOWN_COMMAND = re.compile(r"<(mi|mtext)\b[^>]*>[^<]*\\[A-Za-z]")
LITERAL_AMPERSAND = re.compile(r">[^<]*&(?!amp;|lt;|gt;|quot;|#)[^<]*<")


def expressions(files):
    """(file, TeX, display) of every math token the renderer sees, in file order."""
    for path in files:
        answer = parse_article(Path(path).read_bytes(), path=path).answer
        tokens = rendering._MARKDOWN.parse(answer, {})
        for token in tokens:
            for child in [token, *(token.children or [])]:
                if child.type in MATH_TOKENS:
                    yield path, child.content.strip(), child.type != "math_inline"


def survey(name, convert, items):
    failed, shown, ampersands = [], [], []
    start = time.process_time()
    outputs = []
    for path, tex, display in items:
        try:
            mathml = convert(tex, display)
        except Exception as error:
            failed.append((path, tex, str(error).splitlines()[0][:100]))
            continue
        outputs.append(mathml)
        if SHOWN_COMMAND.search(mathml):
            shown.append((path, tex))
        if LITERAL_AMPERSAND.search(mathml):
            ampersands.append((path, tex))
    seconds = time.process_time() - start
    print(
        f"{name:12} {len(items)} expressions: {len(failed)} failed, {len(shown)} show a "
        f"backslash command, {len(ampersands)} a literal &, "
        f"{seconds / len(items) * 1e6:.0f} µs CPU each (no cache)"
    )
    for path, tex, *why in failed[:40]:
        print(f"  failed {path.split('quicktakes/')[-1]}: {tex[:80]!r} {why[0] if why else ''}")
    return outputs


def markup(outputs):
    tags, classes, attributes = Counter(), Counter(), Counter()
    for mathml in outputs:
        for tag, attrs in re.findall(r"<([a-z]+)((?:\s[^>]*)?)>", mathml):
            tags[tag] += 1
            for attribute, value in re.findall(r'([a-z-]+)="([^"]*)"', attrs):
                attributes[attribute] += 1
                if attribute == "class":
                    classes.update(value.split())
    for title, counter in [("tags", tags), ("attributes", attributes), ("classes", classes)]:
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))


def latex2mathml(tex, display):
    from latex2mathml.converter import convert

    return convert(tex, display="block" if display else "inline")


@functools.lru_cache(maxsize=4096)
def latex2mathml_in_renderer(tex, display):
    """The renderer's converter before Temml (learn/rendering.py at latex2mathml)."""
    tex = re.sub(
        r"(\\(?:text[a-z]*|[hm]box)\s*\{)([^{}]*)", lambda m: m[1] + escapeHtml(m[2]), tex
    )
    try:
        return latex2mathml(tex, display)
    except Exception:
        return f'<code class="math-error">{escapeHtml(tex)}</code>'


def render_cost(name, answers):
    """Milliseconds per file rendering every answer once, cache cleared first."""
    rendering._tex_to_mathml.cache_clear()
    latex2mathml_in_renderer.cache_clear()
    times = []
    for answer in answers:
        start = time.process_time()
        rendering.render(answer)
        times.append(time.process_time() - start)
    with_math = [t for t, a in zip(times, answers, strict=True) if "$" in a or "\\(" in a]
    print(
        f"render ({name}): {sum(times) / len(times) * 1000:.2f} ms CPU per file, "
        f"{sum(with_math) / len(with_math) * 1000:.2f} ms per file with math "
        f"({len(with_math)} files)"
    )


def main():
    files = [f for f in walk_files(import_roots([CORPUS])) if not skip_reason(f)]
    items = list(expressions(files))
    print(f"{len(files)} files, {len(items)} math expressions")
    outputs = survey("temml", temml.to_mathml, items)
    answers = [parse_article(Path(path).read_bytes(), path=path).answer for path in files]
    render_cost("temml", answers)
    try:
        survey("latex2mathml", latex2mathml, items)
    except ImportError:
        print("latex2mathml is not installed: no comparison")
    else:
        converter = rendering._tex_to_mathml
        rendering._tex_to_mathml = latex2mathml_in_renderer
        try:
            render_cost("latex2mathml, before", answers)
        finally:
            rendering._tex_to_mathml = converter
    markup(outputs)


if __name__ == "__main__":
    main()
