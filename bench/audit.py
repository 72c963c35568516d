"""`make audit`: Lighthouse, axe-core and the Nu HTML checker against the demo content.

The demo content is served as in production (DEBUG off, collectstatic run, gunicorn);
Lighthouse drives Debian's Chromium. Prints every score and finding, and exits 1 when
a Lighthouse category is below 100, axe finds a violation or the checker an error.
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.demo_server import demo_server
from tests.checks import (
    CHROMIUM_ARGS,
    NODE_MODULES,
    PAGES,
    axe_violations,
    chromium_path,
    vnu_errors,
)

LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_PAGES = [
    "article with math",
    "article with code",
    "article with a table",
    "subject list",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse_scores(url, preset, workdir):
    """Lighthouse's category scores (0-100) for url, and the titles of the audits that failed."""
    if not LIGHTHOUSE.is_file():
        raise RuntimeError(
            f"Lighthouse is not installed ({LIGHTHOUSE} is missing): run `make audit`"
        )
    report = workdir / "lighthouse.json"
    args = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags=--headless {' '.join(CHROMIUM_ARGS)}",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    subprocess.run(args, check=True, env={**os.environ, "CHROME_PATH": chromium_path()})
    result = json.loads(report.read_text())
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    failed = [
        audit["title"]
        for audit in result["audits"].values()
        if audit["scoreDisplayMode"] in {"binary", "numeric", "metricSavings"}
        and audit["score"] is not None
        and audit["score"] < 1
    ]
    return scores, failed


def saved_pages(url, workdir):
    paths = []
    for name, path in PAGES.items():
        try:
            body = urllib.request.urlopen(url + path).read()
        except urllib.error.HTTPError as error:
            body = error.read()
        paths.append(workdir / f"{name.replace(' ', '-')}.html")
        paths[-1].write_bytes(body)
    return paths


def main():
    problems = 0
    workdir = Path(tempfile.mkdtemp(prefix="quicktakes-audit-"))
    with demo_server() as url:
        print("Lighthouse (performance, accessibility, best practices, SEO):")
        for name in LIGHTHOUSE_PAGES:
            for preset in ("mobile", "desktop"):
                scores, failed = lighthouse_scores(url + PAGES[name], preset, workdir)
                print(f"  {name:22} {preset:8}", "  ".join(f"{k} {v}" for k, v in scores.items()))
                for title in failed:
                    print(f"    flagged (short of full marks): {title}")
                problems += sum(score < 100 for score in scores.values())

        print("axe-core (WCAG 2.1 A/AA, best practices), light and dark, 1280px and 320px:")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            for name, path in PAGES.items():
                for scheme, width in (
                    ("light", 1280),
                    ("dark", 1280),
                    ("light", 320),
                    ("dark", 320),
                ):
                    page = browser.new_page(
                        color_scheme=scheme, viewport={"width": width, "height": 800}
                    )
                    page.goto(url + path)
                    violations = axe_violations(page)
                    page.close()
                    print(f"  {name:22} {scheme:5} {width:4}px  {len(violations)} violations")
                    for violation in violations:
                        print(f"    {violation}")
                    problems += len(violations)
            browser.close()

        errors = vnu_errors(saved_pages(url, workdir))
        print(f"Nu HTML checker: {len(PAGES)} pages, {len(errors)} errors")
        for error in errors:
            print(f"  {error}")
        problems += len(errors)

    print("audit: all clear" if not problems else f"audit: {problems} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
