"""moment.js date patterns from the source files, formatted as the original site shows them."""

import datetime

import pytest
from django.utils import translation

from learn.dates import format_moment, moment_to_django


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("MMM DD, YYYY", "Dec 01, 2024"),
        ("MMMM D, YYYY", "December 1, 2024"),
        ("YYYY-MM-DD", "2024-12-01"),
        ("dddd, Do MMMM", "Sunday, 1st December"),
        ("[on] D MMM", "on 1 Dec"),
    ],
)
def test_format_moment(pattern, expected):
    """Each moment.js token maps to the same rendering as moment.js gives."""
    assert format_moment(datetime.date(2024, 12, 1), pattern) == expected


def test_source_pattern_renders_like_the_original_site():
    """The files' own pattern gives 'Dec 11, 2024'."""
    assert format_moment(datetime.date(2024, 12, 11), "MMM DD, YYYY") == "Dec 11, 2024"


def test_letters_outside_tokens_are_literal():
    """Letters that are not moment tokens are escaped, not read as Django format codes."""
    assert moment_to_django("YYYY r") == "Y \\r"


def test_a_days_text_is_kept_by_language():
    """Days are kept formatted, each in the language it was formatted in: the same day
    then reads in whichever language is active."""
    day = datetime.date(2024, 12, 1)
    assert format_moment(day, "MMMM D") == "December 1"
    with translation.override("de"):
        assert format_moment(day, "MMMM D") == "Dezember 1"
    assert format_moment(day, "MMMM D") == "December 1"
