"""The reader-experience checks of the test suite, which `make audit` and `make screenshots`
import from here: the pages of each kind, Chromium, axe-core and the Nu HTML checker.

Chromium is Debian's package, axe-core and the Nu HTML checker come from npm
(`npm ci`); a missing tool raises an error saying how to install it.
"""

import json
import os
import shutil
import subprocess

from tests.folders import NODE_MODULES

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# One page of each kind in the demo content (fixtures/), by what it shows; the 404 last.
PAGES = {
    "home": "/",
    "learn index": "/learn/",
    "subject list": "/learn/mathematics/questions/",
    "article with math": (
        "/learn/mathematics/questions/what-is-the-gradient-of-a-function-and-what-does-it-tell-us"
    ),
    "math gallery": "/learn/mathematics/questions/what-notation-can-an-answer-typeset",
    "article with code": "/learn/computer-science/questions/how-do-you-read-a-csv-file-in-python",
    "article with a table": (
        "/learn/computer-science/questions/what-is-a-sql-join-and-how-do-the-different-types-compare"
    ),
    "topic": "/topics/inner-join/",
    "topics index": "/topics/",
    "topics by letter": "/topics/a-z/m/",
    "search": "/search/?q=gradient",
    # A slip corrected, in one subject: the correction's notice and the subject filter.
    "search with a correction": "/search/?q=gradiant&subject=mathematics",
    # A mistyped slug: the 404 page with its suggestions.
    "404": "/learn/mathematics/questions/what-is-the-gradiant-of-a-function",
}
# What Chromium's console says about a page answered with 404, as the 404 page is.
NOT_FOUND_ERROR = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def chromium_path():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Chromium is not installed: run `make test`, or apt-get install chromium"
        )
    return path


def axe_violations(page):
    """Run axe-core on a Playwright page and return its violations as text."""
    if not AXE.is_file():
        raise RuntimeError(f"axe-core is not installed ({AXE} is missing): run `make test`")
    # Evaluated through the browser's debugging protocol, as a script tag would break the
    # page's Content-Security-Policy (no inline script).
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
    ]


def vnu_errors(paths):
    """The Nu HTML checker's errors for the HTML files at paths, as "file:line: message"."""
    java = shutil.which("java")
    if not java:
        raise RuntimeError("The HTML checker needs Java 11+: apt-get install default-jre-headless")
    if not VNU.is_file():
        raise RuntimeError(f"vnu-jar is not installed ({VNU} is missing): run `make test`")
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        for message in json.loads(result.stderr)["messages"]
        if message["type"] in {"error", "non-document-error"}
    ]
