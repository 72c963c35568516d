"""Admin forms apply the importer's rules to what editors type."""

import pytest

from learn.forms import ArticleAdminForm, RelatedLinkForm, SubjectAdminForm
from learn.models import Subject
from learn.parsing import MAX_ANSWER_CHARS

pytestmark = pytest.mark.django_db


def article_form(**changes):
    subject = Subject.objects.get_or_create(slug="biology", name="Biology")[0]
    data = {
        "question": "What is a cell?",
        "title": "What is a cell?",
        "subject": subject.pk,
        "slug": "what-is-a-cell",
        "answer": "A unit of life.",
        "tags": "",
        "status": "published",
        "published_on": "2024-12-11",
        "author": "QuickTakes",
        "date_format": "MMM DD, YYYY",
        "posted_on_text": "Posted on",
        "extra": "{}",
    }
    data.update(changes)
    return ArticleAdminForm(data)


def test_valid_article_form():
    """A complete article is valid."""
    form = article_form()
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Upper", "This has an invalid slug 'Upper': use lowercase letters, digits and hyphens."),
        ("under_score", "This has an invalid slug 'under_score'"),
        ("a" * 1001, "at most 1000 characters"),
    ],
)
def test_slug_rules_are_the_parsers(slug, message):
    """A slug the URL rules refuse is refused with the parser's words."""
    form = article_form(slug=slug)
    assert not form.is_valid()
    assert message in " ".join(form.errors["slug"])


def test_whitespace_only_text_is_refused():
    """Title and answer made of spaces count as empty."""
    form = article_form(title="   ", answer="\n \n")
    assert not form.is_valid()
    assert set(form.errors) == {"title", "answer"}


def test_tags_are_parsed_like_page_keywords():
    """Topics split on commas as page_keywords do, keeping commas between digits."""
    form = article_form(tags="β-1,4-glycosidic,bonds, , Bonds,  big   O")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tags"] == ["β-1,4-glycosidic", "bonds", "big O"]


def test_subject_form_normalises_name_and_checks_slug():
    """A subject's name is one line and its slug follows the URL rules."""
    form = SubjectAdminForm({"name": "  Earth \n Science ", "slug": "Earth_Science"})
    assert not form.is_valid()
    assert form.cleaned_data["name"] == "Earth Science"
    assert "invalid slug" in form.errors["slug"][0]


def test_related_link_needs_a_target_or_a_url_and_title():
    """A link row without a chosen target must say where and what it links to."""
    form = RelatedLinkForm({"position": 1})
    assert not form.is_valid()
    assert "Choose a target article." in form.errors["__all__"]


def test_answer_over_the_limit_is_refused():
    """An editor's answer longer than an imported file may have is refused, with the limit."""
    form = article_form(answer="[" * (MAX_ANSWER_CHARS + 1))
    assert not form.is_valid()
    assert form.errors["answer"] == [
        f"The answer is {MAX_ANSWER_CHARS + 1} characters long, over the limit of "
        f"{MAX_ANSWER_CHARS}."
    ]
