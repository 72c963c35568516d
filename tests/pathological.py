"""Input of hostile shape, shared by the tests (which refuse or finish it) and `bench/`:
answers, and the values of query parameters."""

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
    # Equal headings, each numbered apart from the ones before it.
    "# a": lambda n: "# a\n" * (n // 4),
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


# Query-string values no reader sends, already percent-encoded: NUL, invalid UTF-8, 4,000
# characters, numbers no page has, search syntax and a lone operator.
HOSTILE_VALUES = [
    "%00",
    "a%00b",
    "%C3%28",
    "%FF%FE",
    "x" * 4000,
    "-1",
    "99999999999999999999999",
    "1e9",
    "%22NEAR(a%20b)%20*%20%5E%20:%20AND%20OR%20NOT",
    "-",
]
# The parameters reader pages read (page, the sitemap's p, search's q) and one they do not.
HOSTILE_PARAMETERS = ["page", "p", "q", "anything"]
