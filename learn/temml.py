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
import queue
import re
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


# V8 lives in one thread of its own, which starts it, makes every call and closes it: a
# thread with no asyncio loop, where mini-racer runs V8 on a loop it owns, so a caller
# inside a running loop (an ASGI server, Playwright's sync API) still gets timeouts.
_thread = None
_thread_pid = None
_state = {}
_calls = queue.Queue()
_lock = threading.Lock()


def to_mathml(tex: str, display: bool) -> str:
    """MathML for one TeX expression, or :class:`TexError` when the TeX is wrong.

    Temml's inline styles become classes of static/css/math.css: the site's
    Content-Security-Policy allows no style attribute, and the sanitiser keeps none.
    """
    return _TAG.sub(_style_to_classes, _in_v8_thread(_convert, tex, display))


def _style_to_classes(match):
    tag, attributes = match[1], dict(_ATTRIBUTE.findall(match[2]))
    style = attributes.pop("style", None)
    if style is None:
        return match[0]
    classes = attributes.get("class", "").split()
    for declaration in style.split(";"):
        name = _STYLE_CLASSES.get(declaration.replace(" ", "").replace(":", ": ", 1))
        if name and name not in classes:
            classes.append(name)
    # Chromium makes display="block" math a block itself; other declarations have no class.
    if classes:
        attributes["class"] = " ".join(classes)
    return f"<{tag}" + "".join(f' {key}="{value}"' for key, value in attributes.items()) + ">"


_TAG = re.compile(r"<(m[a-z]+)((?:\s[a-z-]+=\"[^\"]*\")*)>")
_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
# Every declaration Temml writes for the constructs answers use, as a class of math.css.
_STYLE_CLASSES = {
    "padding-left: 0em": "tml-pl0",
    "padding-left: 0pt": "tml-pl0",
    "padding-right: 0em": "tml-pr0",
    "padding-right: 0pt": "tml-pr0",
    "padding: 0": "tml-p0",
    "padding-top: 0": "tml-pt0",
    "padding-bottom: 0": "tml-pb0",
    # An array's column gap (\arraycolsep, 5pt at 1.2 scale).
    "padding-left: 5.9776pt": "tml-plc",
    "padding-right: 5.9776pt": "tml-prc",
    "padding-left: 1em": "tml-pl1",
    "padding-right: 0.4em": "tml-pr4",
    "border-right: 0.06emsolid": "tml-br",
    "border-left: 0.06emsolid": "tml-bl",
    "border-right: 0.06emdashed": "tml-brd",
    "border-left: 0.06emdashed": "tml-bld",
    "border-top: 0.06emsolid": "tml-bt",
    "border-bottom: 0.06emsolid": "tml-bb",
    "border-top: 0.06emdashed": "tml-btd",
    "border-bottom: 0.06emdashed": "tml-bbd",
    "border-top: 0.15emdouble": "tml-btt",
    "border-bottom: 0.15emdouble": "tml-bbt",
    "text-align: left": "tml-left",
    "width: 100%": "tml-w100",
    "math-depth: 0": "tml-md0",
    "math-depth: 2": "tml-md2",
}


def _in_v8_thread(function, *args):
    global _thread, _thread_pid
    with _lock:
        # A forked child shares no V8 with its parent: it starts its own.
        if _thread is None or _thread_pid != os.getpid():
            _state.clear()
            _thread = threading.Thread(target=_serve, name="temml", daemon=True)
            _thread_pid = os.getpid()
            _thread.start()
            atexit.register(_close)
        done, outcome = threading.Event(), {}
        _calls.put((function, args, done, outcome))
        done.wait()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _serve():
    while True:
        function, args, done, outcome = _calls.get()
        try:
            outcome["value"] = function(*args)
        except BaseException as error:
            outcome["error"] = error
        done.set()


def _convert(tex, display):
    if "convert" not in _state:
        missing = [str(path) for path in SCRIPTS if not path.is_file()]
        if missing:
            raise MissingScripts(
                f"Temml is not installed ({', '.join(missing)} missing): run `make mathjs`"
            )
        context = MiniRacer()
        for path in SCRIPTS:
            context.eval(path.read_text(encoding="utf-8"))
        _state.update(context=context, convert=context.eval(_CONVERT))
    try:
        return _state["convert"](tex, display, timeout_sec=TIMEOUT_SECONDS)
    except JSTimeoutException as error:
        raise TexError(f"conversion took over {TIMEOUT_SECONDS} s") from error
    except JSEvalException as error:
        raise TexError(_message(error)) from error


def _close():
    # mini-racer's V8 thread keeps the interpreter from exiting until the context closes;
    # the function's handle is freed first, in V8's thread, else the exit crashes.
    if _thread_pid == os.getpid() and "context" in _state:
        _in_v8_thread(_close_context)


def _close_context():
    _state.pop("convert", None)
    if context := _state.pop("context", None):
        context.close()


def _message(error):
    # V8's text is "<anonymous>:1: ParseError: ... <source line> ... stack": keep the first line.
    first = str(error).strip().splitlines()[0]
    return first.split(": ", 1)[-1].strip()
