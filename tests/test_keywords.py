"""page_keywords: parsed, and written back in one order."""

import pytest

from learn.keywords import format_keywords, parse_keywords


@pytest.mark.parametrize(
    ("text", "keywords"),
    [
        ("open source, AI engineering", ["open source", "AI engineering"]),
        (
            "CAC,junior high school, curriculum planning",
            ["CAC", "junior high school", "curriculum planning"],
        ),
        ("cellulose, β-1,4-glycosidic bonds", ["cellulose", "β-1,4-glycosidic bonds"]),
        (
            "Union Budget 2024, 6,21,940 crore, 2024-25",
            ["Union Budget 2024", "6,21,940 crore", "2024-25"],
        ),
        ("death rate per 100,000, South", ["death rate per 100,000", "South"]),
        ("significance, , e", ["significance", "e"]),
        (" a ,b,, c, ", ["a", "b", "c"]),
        ("law lawyer confidentiality breach", ["law lawyer confidentiality breach"]),
        ("P(A  B), P(B)", ["P(A B)", "P(B)"]),
        ("Java, OOP, java, Oop, class", ["Java", "OOP", "class"]),
        ("", []),
        (
            "law lawyer " + "confidentiality " * 6 + "malpractice damages",
            ["law", "lawyer", "confidentiality", "malpractice", "damages"],
        ),
        ("x" * 150, ["x" * 100]),
    ],
)
def test_parse_keywords(text, keywords):
    """Keywords split on commas not between digits, trimmed, without empties or case duplicates."""
    assert parse_keywords(text) == keywords


def test_format_keywords_has_one_order_that_parses_back():
    """Any order of the same keywords gives one string, which parses back to them."""
    names = ["zeta", "Alpha", "β-1,4-glycosidic bonds", "6,21,940 crore"]
    text = format_keywords(names)
    assert text == "6,21,940 crore, Alpha, zeta, β-1,4-glycosidic bonds"
    assert format_keywords(reversed(names)) == text
    assert sorted(parse_keywords(text)) == sorted(names)
