"""The Nu HTML checker (vnu-jar from npm) finds no error in any kind of page."""

import json
import shutil
import subprocess

import pytest
from django.core.management import call_command

from tests.browser.conftest import PAGES
from tests.conftest import FIXTURES, REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.django_db


def vnu_errors(paths):
    """The checker's errors for the HTML files at paths, as "file: line: message"."""
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
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{message['url'].rsplit('/', 1)[-1]}: {message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]


def test_every_kind_of_page_is_valid_html(client, tmp_path):
    """Home, subjects, a subject, articles with math, code and a table, and the 404."""
    call_command("import_quicktakes", str(FIXTURES), verbosity=0)
    paths = []
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200)
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        paths.append(path)

    assert vnu_errors(paths) == []


def test_the_checker_reports_errors():
    """The check itself works: a page with a stray end tag fails it."""
    broken = REPO / "tests" / "data" / "invalid.html"
    assert vnu_errors([broken]) != []
