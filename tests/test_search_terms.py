"""The term rules: one definition, applied in order, to text or to anything replaceable."""

from learn.search.terms import TERMS, apply, rewrite


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
