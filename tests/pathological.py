"""Answers of hostile shape, shared by the tests (which refuse or finish them) and `bench/`."""

import contextlib
import signal

# Each shape as a function of its length in characters: runs that Markdown's link, emphasis,
# code-span and math rules scan ahead from, and nesting that its block rules recurse into.
SHAPES = {
    "[": lambda n: "[" * n,
    "![": lambda n: "![" * (n // 2),
    "[]( ": lambda n: "[a](" * (n // 4),
    "*": lambda n: "*" * n,
    "*a_": lambda n: "*a_" * (n // 3),
    "`": lambda n: "`" * n,
    "$": lambda n: "$" * n,
    "$ ": lambda n: "$ " * (n // 2),
    "\\(": lambda n: "\\(" * (n // 2),
    "\\[": lambda n: "\\[" * (n // 2),
    "<": lambda n: "<" * n,
    ">": lambda n: ">" * n,
    "> lines": lambda n: "> \n" * (n // 3),
    "- ": lambda n: "- " * (n // 2),
    "1. ": lambda n: "1. " * (n // 3),
    "indented lists": lambda n: "".join(" " * (2 * depth) + "- a\n" for depth in range(200))[:n],
    "table": lambda n: ("|a" * 40 + "\n") * (n // 81),
}

# A real answer's shape: headings, emphasis, math, a link, a list and code.
NORMAL = (
    "### A heading\n\nSome *text* with $x^2$ and a [link](/learn/a/questions/b).\n\n"
    "- one\n- two\n\n```python\nprint(1)\n```\n"
) * 40


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail with TimeoutError if the block runs longer than ``seconds`` (a generous bound)."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
