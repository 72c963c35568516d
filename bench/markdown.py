"""Render time of answers of hostile shape, as a ratio to a normal answer's.

Each shape (tests/pathological.py) is rendered at the longest answer the parser accepts
(MAX_ANSWER_CHARS); a longer one is refused by the parser, which is timed too.
Run with ``.venv/bin/python -m bench.markdown``.
"""

import time

from learn.parsing import MAX_ANSWER_CHARS, ParseError, parse_article
from learn.rendering import render
from tests.pathological import NORMAL, SHAPES

ARTICLE = """---
id: 1
date: 2024-12-11
title: T
question: Q?
answer: '{answer}'
subject: S
url: /learn/s/questions/t
seo:
  title: T
  page_description: D
  page_keywords: k
author: A
file_name: t.md
---
&nbsp;
"""


def best_of(function, argument, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - start)
    return min(times)


def refuse(data):
    try:
        parse_article(data, max_bytes=len(data))
    except ParseError:
        return
    raise AssertionError("a hostile answer over the limit was accepted")


def main():
    normal = best_of(render, NORMAL)
    print(f"normal answer: {len(NORMAL)} characters, {normal * 1000:.1f} ms")
    print(f"{'shape':16} {'chars':>7} {'ms':>8} {'x normal':>9}")
    for name, shape in SHAPES.items():
        answer = shape(MAX_ANSWER_CHARS)
        seconds = best_of(render, answer)
        print(f"{name:16} {len(answer):7} {seconds * 1000:8.1f} {seconds / normal:9.1f}")
    for name in ("[", "$"):
        data = ARTICLE.format(answer=SHAPES[name](1_040_000)).encode()
        seconds = best_of(refuse, data)
        print(f"refused: 1,040,000 {name!r} in {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
