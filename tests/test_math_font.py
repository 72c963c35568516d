"""The math font's subsets (bench/math_font.py) and the @font-face rules that name them."""

import re

import pytest
from fontTools.ttLib import TTFont

from bench import math_font
from tests.folders import REPO

MATH_CSS = (REPO / "static" / "css" / "math.css").read_text()


def codepoints(ranges: str) -> set[int]:
    found = set()
    for part in re.split(r",\s*", ranges.strip()):
        low, _, high = part.removeprefix("U+").partition("-")
        found.update(range(int(low, 16), int(high or low, 16) + 1))
    return found


@pytest.fixture(scope="module")
def whole():
    return TTFont(math_font.SOURCE)


def test_the_subsets_share_out_every_character_of_the_font_once(whole):
    """Each character of the font is in exactly one subset's range, and drawn by that
    subset (which may draw more: glyphs its own characters' substitutions reach)."""
    mapped = set(whole.getBestCmap())
    taken = [codepoints(ranges) & mapped for ranges in math_font.SUBSETS.values()]
    assert set().union(*taken) == mapped
    assert sum(map(len, taken)) == len(mapped)
    for name, wanted in zip(math_font.SUBSETS, taken, strict=True):
        assert set(TTFont(math_font.subset_path(name)).getBestCmap()) >= wanted, name


def test_each_subset_keeps_the_stretchy_variants_of_its_characters(whole):
    """The MATH table's size variants of a delimiter stay with it: "(" has its taller
    forms in the core subset, as in the whole font."""

    def variants(font, char):
        glyph = font.getBestCmap()[ord(char)]
        table = font["MATH"].table.MathVariants.VertGlyphConstruction
        coverage = font["MATH"].table.MathVariants.VertGlyphCoverage.glyphs
        construction = table[coverage.index(glyph)]
        return [record.VariantGlyph for record in construction.MathGlyphVariantRecord]

    core = TTFont(math_font.subset_path("core"))
    for char in "([{|⌊⟨":
        assert len(variants(core, char)) == len(variants(whole, char)) > 1, char


def test_the_stylesheet_names_each_subset_with_its_range():
    """math.css's @font-face rules are the subsets of bench/math_font.py, range for range."""
    rules = dict(
        re.findall(
            r'url\("\.\./fonts/noto-sans-math-([a-z]+)\.woff2"\) format\("woff2"\);\s*'
            r"unicode-range: ([^;]+);",
            MATH_CSS,
        )
    )
    assert rules.keys() == math_font.SUBSETS.keys()
    for name, ranges in math_font.SUBSETS.items():
        assert codepoints(rules[name]) == codepoints(ranges), name
