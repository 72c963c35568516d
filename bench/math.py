"""Every math expression of the sample through Temml (the converter) and latex2mathml.

Prints, per converter, the expressions that fail to convert, the MathML that shows a
backslash command as text (an <mi>/<mtext> holding "\\name") or a literal "&", and the
time per expression; then the markup Temml emits (tags, classes, style properties),
which the sanitiser's allow-list must keep. Run with ``.venv/bin/python -m bench.math``.
"""

import re
import time
from collections import Counter
from pathlib import Path

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
    start = time.perf_counter()
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
    seconds = time.perf_counter() - start
    print(
        f"{name:12} {len(items)} expressions: {len(failed)} failed, {len(shown)} show a "
        f"backslash command, {len(ampersands)} a literal &, "
        f"{seconds / len(items) * 1e6:.0f} µs each (no cache)"
    )
    for path, tex, *why in failed[:40]:
        print(f"  failed {path.split('quicktakes/')[-1]}: {tex[:80]!r} {why[0] if why else ''}")
    return outputs


def markup(outputs):
    tags, classes, styles, attributes = Counter(), Counter(), Counter(), Counter()
    for mathml in outputs:
        for tag, attrs in re.findall(r"<([a-z]+)((?:\s[^>]*)?)>", mathml):
            tags[tag] += 1
            for attribute, value in re.findall(r'([a-z-]+)="([^"]*)"', attrs):
                attributes[attribute] += 1
                if attribute == "class":
                    classes.update(value.split())
                if attribute == "style":
                    styles.update(p.split(":")[0].strip() for p in value.split(";") if p.strip())
    for title, counter in [
        ("tags", tags),
        ("attributes", attributes),
        ("classes", classes),
        ("style properties", styles),
    ]:
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))


def latex2mathml(tex, display):
    from latex2mathml.converter import convert

    return convert(tex, display="block" if display else "inline")


def main():
    files = [f for f in walk_files(import_roots([CORPUS])) if not skip_reason(f)]
    items = list(expressions(files))
    print(f"{len(files)} files, {len(items)} math expressions")
    outputs = survey("temml", temml.to_mathml, items)
    try:
        survey("latex2mathml", latex2mathml, items)
    except ImportError:
        print("latex2mathml is not installed: no comparison")
    markup(outputs)


if __name__ == "__main__":
    main()
