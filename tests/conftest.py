import io
import shutil
import tempfile
import zipfile

import pytest
import yaml
from django.core.cache import cache

from learn.paths import article_path
from tests.folders import CORPUS, REPO

BROWSER_TESTS = REPO / "tests" / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark what a test needs, before ``-m`` selects: Chromium, or the corpus; and refuse a
    transactional test that would leave the database without what migrations made."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if "corpus" in item.fixturenames:
            item.add_marker(pytest.mark.corpus)
        check_restores_migrated_data(item)


def check_restores_migrated_data(item):
    """A transactional test ends by emptying every table, the Editors group that a data
    migration made included. With ``serialized_rollback`` the next test gets that data back;
    without it, it is lost, and a serialized test after it fails loading it again (the
    flush re-creates content types under new ids). So every transactional test has it."""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    transactional = kwargs.get("transaction") or "live_server" in item.fixturenames
    if transactional and not kwargs.get("serialized_rollback"):
        raise pytest.UsageError(
            f"{item.nodeid}: mark transactional tests "
            "pytest.mark.django_db(transaction=True, serialized_rollback=True)"
        )


@pytest.fixture(scope="session")
def corpus():
    """The folder of 3,000 real files; without it the tests that read it fail, never skip."""
    if not CORPUS.is_dir():
        pytest.fail(f"The test corpus is missing: {CORPUS}", pytrace=False)
    return CORPUS


@pytest.fixture(scope="session")
def corpus_answer(corpus):
    """The raw (still escaped) answer of a corpus file, by its name in the corpus."""

    def read(name):
        text = (corpus / name).read_text(encoding="utf-8")
        front_matter = text.split("\n---\n", 1)[0].removeprefix("---\n")
        return yaml.load(front_matter, Loader=yaml.CSafeLoader)["answer"]

    return read


def article_text(
    *,
    slug="what-is-a-test",
    subject="Computer Science",
    question="What is a test?",
    answer=r"A test **checks** behaviour.\n\n1. Arrange\n2. Act",
    id=1,
    date="2024-12-11",
    keywords="testing, quality",
    related=(),
    extra="",
):
    """The text of an article file in the source format, with the given fields."""
    subject_slug = subject.lower().replace(" ", "-")
    lines = [
        "---",
        "_schema: default",
        f"id: {id}",
        f"date: {date}",
        f"title: >-\n    {question}",
        f"article_title: >-\n    {question}",
        "date_format: MMM DD, YYYY",
        "post_on_text: Posted on",
        "seo:",
        f"  title: QuickTakes | {subject}",
        "  page_description: >-",
        f"    About {question}",
        "  page_keywords: >-",
        f"    {keywords}",
        "author: QuickTakes",
        f"question: >-\n    {question}",
        f"answer: >-\n    {answer}",
        f"subject: {subject}",
        f"file_name: {slug}.md",
        f"url: {article_path(subject_slug, slug)}",
        "score: -1.0",
    ]
    for position, (target_id, target_subject, target_slug) in enumerate(related, start=1):
        target_subject_slug = target_subject.lower().replace(" ", "-")
        lines += [
            f"related_article{position}:",
            f"    id: {target_id}",
            f"    title: >-\n        Title of {target_slug}",
            f"    subject: {target_subject}",
            f"    url: {article_path(target_subject_slug, target_slug)}",
        ]
    if extra:
        lines.append(extra)
    lines += ["---", "", "&nbsp;"]
    return "\n".join(lines)


def zip_bytes(members, compression=zipfile.ZIP_STORED):
    """A zip archive of ``{name: text or bytes}``, as an editor would upload it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def write_article(tmp_path):
    """Write an article file under tmp_path and return its path."""

    def write(name=None, **fields):
        text = article_text(**fields)
        path = tmp_path / (name or f"{fields.get('slug', 'what-is-a-test')}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def pytest_sessionfinish(session):
    """The suite's file-based cache (tests/settings.py) goes with it."""
    from django.conf import settings

    location = settings.CACHES["default"].get("LOCATION", "")
    if location.startswith(tempfile.gettempdir()):
        shutil.rmtree(location, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so no test sees another's header navigation."""
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    """A staff user whose only permissions come from the Editors group (data migration)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="editor-pass", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def clock(monkeypatch):
    """Set what ``timezone.now()`` says (and so the site's date and time), for tests of
    what readers see once a scheduled moment comes."""
    from django.utils import timezone

    def set_now(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_now
