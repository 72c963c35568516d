import io
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.cache import cache

REPO = Path(__file__).resolve().parent.parent
# The shared folder sits beside the checkout, or beside the folder of worktrees.
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared").is_dir()), REPO.parent)
CORPUS = SHARED / "corpus" / "quicktakes"
FIXTURES = REPO / "fixtures"


def pytest_sessionstart(session):
    """The corpus tests read ../shared/corpus/quicktakes: without it the run fails, never skips."""
    if not CORPUS.is_dir():
        raise pytest.UsageError(f"The test corpus is missing: {CORPUS}")


def corpus_answer(name):
    """The raw (still escaped) answer of a corpus file."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    front_matter = text.split("\n---\n", 1)[0].removeprefix("---\n")
    return yaml.load(front_matter, Loader=yaml.CSafeLoader)["answer"]


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
        f"url: /learn/{subject_slug}/questions/{slug}",
        "score: -1.0",
    ]
    for position, (target_id, target_subject, target_slug) in enumerate(related, start=1):
        target_subject_slug = target_subject.lower().replace(" ", "-")
        lines += [
            f"related_article{position}:",
            f"    id: {target_id}",
            f"    title: >-\n        Title of {target_slug}",
            f"    subject: {target_subject}",
            f"    url: /learn/{target_subject_slug}/questions/{target_slug}",
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
