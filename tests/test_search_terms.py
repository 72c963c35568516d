"""The term rules: one definition, applied in order, to text or to anything replaceable."""

import pytest

from learn.search.terms import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    TERMS,
    apply,
    limit,
    prefix_word,
    rewrite,
)


def test_rewrite_turns_symbol_terms_into_words():
    """C++, C# and .NET become words that no tokenizer splits or drops."""
    assert rewrite("C++ and c#, not C").split() == ["cplusplus", "and", "csharp", ",", "not", "C"]
    assert "dotnet" in rewrite("ASP.NET").split()


def test_apply_replaces_each_term_in_order_with_its_word_between_spaces():
    """Whatever does the replacing is called once per rule, in the order of TERMS."""
    calls = []

    def replace(value, term, replacement):
        calls.append((term, replacement))
        return f"{value}|{replacement}"

    assert apply(replace, "x", terms=(("A+", "aplus"), ("B#", "bsharp"))) == "x| aplus | bsharp "
    assert calls == [("A+", " aplus "), ("B#", " bsharp ")]
    assert apply(lambda value, term, replacement: value + 1, 0) == len(TERMS)


def test_limit_keeps_a_normal_query_as_it_is():
    """A query within the bounds is only stripped, and not reported as cut."""
    assert limit('  "binary search" or heap -bubble ') == (
        '"binary search" or heap -bubble',
        False,
    )


def test_limit_cuts_to_the_first_words():
    """Past MAX_TERMS words, the rest of the query is dropped, and that is reported."""
    assert limit("a " * 1000) == (" ".join(["a"] * MAX_TERMS), True)
    assert limit("C++ " * 20) == (" ".join(["C++"] * (MAX_TERMS - 1) + ["C"]), True)


def test_limit_cuts_to_the_length_between_words():
    """Past MAX_QUERY_LENGTH characters the query ends before the word that crosses the
    bound; a single word longer than that is cut inside it."""
    assert limit("x" * 150 + " " + "y" * 100) == ("x" * 150, True)
    assert limit("x" * 150 + " " + "-" * 100) == ("x" * 150 + " " + "-" * 49, True)
    assert limit("x" * 4000) == ("x" * MAX_QUERY_LENGTH, True)


def test_limit_drops_control_characters():
    """NUL (which PostgreSQL refuses in text) and the snippet marks are spaces."""
    assert limit("heap\x00sort\x02\x03") == ("heap sort", False)


@pytest.mark.parametrize(
    "query, prefix",
    [
        ("photosynth", "photosynth"),
        ("stages of photosynth", "photosynth"),
        ("heap", "heap"),
        ("Go", ""),
        ("big o", ""),
        ('"binary search"', ""),
        ('"binary search', ""),
        ("sort -heap", ""),
        ("sort or heap", ""),
        ("sort heap*", ""),
        ("learn C++", ""),
        ("", ""),
    ],
)
def test_prefix_word_is_a_plain_last_word(query, prefix):
    """Only a plain last word of four letters or more may be a word still being typed."""
    assert prefix_word(query) == prefix
