"""TeX to MathML: Temml (with its mhchem extension) run in V8, inside this process.

Temml is the MathML-Core converter of the KaTeX lineage; the README says why it was
chosen. Its JavaScript is pinned by ``mathjs/package-lock.json`` and installed by
``make`` into ``mathjs/node_modules`` (Node is needed to install it, never to run it).
V8 comes from the ``mini-racer`` wheel. Each process (an importer's worker, a web
worker saving an article) starts its own V8 on its first conversion, which takes a
fifth of a second; conversions happen when an answer is saved, never on a page view.
"""

import atexit
import os
import threading
from pathlib import Path

from py_mini_racer import JSEvalException, JSTimeoutException, MiniRacer

JS_ROOT = Path(__file__).resolve().parent.parent / "mathjs" / "node_modules"
SCRIPTS = (
    JS_ROOT / "temml" / "dist" / "temml.min.js",
    JS_ROOT / "temml" / "contrib" / "mhchem" / "mhchem.min.js",
)
# A conversion longer than this is hostile input (a macro bomb), not an answer's math.
TIMEOUT_SECONDS = 2

# trust: no \href, \class, \style or \data from the answer's TeX; maxExpand caps macro
# expansion; throwOnError makes bad TeX an error the renderer shows as code.
_CONVERT = """(tex, display) => temml.renderToString(tex, {
    displayMode: display, throwOnError: true, trust: false, maxExpand: 1000, wrap: "none"
})"""


class TexError(ValueError):
    """The TeX cannot be converted (Temml's message says why)."""


class MissingScripts(RuntimeError):
    """Temml's JavaScript is not installed."""


_lock = threading.Lock()
_context = None
_context_pid = None


def to_mathml(tex: str, display: bool) -> str:
    """MathML for one TeX expression, or :class:`TexError` when the TeX is wrong."""
    with _lock:
        convert = _converter()
        try:
            return convert(tex, display, timeout_sec=TIMEOUT_SECONDS)
        except JSTimeoutException as error:
            raise TexError(f"conversion took over {TIMEOUT_SECONDS} s") from error
        except JSEvalException as error:
            raise TexError(_message(error)) from error


def _converter():
    global _context, _context_pid
    # A forked child shares no V8 with its parent: it starts its own.
    if _context is None or _context_pid != os.getpid():
        missing = [str(path) for path in SCRIPTS if not path.is_file()]
        if missing:
            raise MissingScripts(
                f"Temml is not installed ({', '.join(missing)} missing): run `make mathjs`"
            )
        context = MiniRacer()
        for path in SCRIPTS:
            context.eval(path.read_text(encoding="utf-8"))
        _context, _context_pid = (context, context.eval(_CONVERT)), os.getpid()
        atexit.register(_close)
    return _context[1]


def _close():
    # mini-racer's V8 thread keeps the interpreter from exiting until the context closes.
    global _context
    if _context is not None and _context_pid == os.getpid():
        context, _ = _context
        _context = None
        context.close()


def _message(error):
    # V8's text is "<anonymous>:1: ParseError: ... <source line> ... stack": keep the first line.
    first = str(error).strip().splitlines()[0]
    return first.split(": ", 1)[-1].strip()
