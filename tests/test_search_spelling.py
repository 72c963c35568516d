"""Corrections of misspelt words from the words of questions (pure)."""

from learn.search.spelling import (
    MAX_LETTERS,
    MAX_WORDS,
    correct,
    lookups,
    pieces,
    words_to_correct,
)

QUESTIONS = [
    "What are the two main stages of photosynthesis, and where do they occur?",
    "What is the primary function of mitochondria in cellular respiration?",
]


def test_a_slip_is_corrected_to_the_closest_word_of_the_questions():
    """A missing letter, a swapped pair and a singular for a plural are corrected."""
    assert correct("photosynthsis", QUESTIONS) == "photosynthesis"
    assert correct("stages of phtoosynthesis", QUESTIONS) == "stages of photosynthesis"
    assert correct("mitochondrion", QUESTIONS) == "mitochondria"


def test_right_or_distant_words_are_not_corrected():
    """A word the questions hold, a short word and a word unlike any give no correction."""
    assert correct("photosynthesis", QUESTIONS) == ""
    assert correct("stags", QUESTIONS) == ""
    assert correct("xylophone", QUESTIONS) == ""
    assert correct("", QUESTIONS) == ""


def test_only_the_longest_words_are_corrected():
    """A bounded number of words is looked at, the longest first, and the syntax and
    other words of the query stay as typed."""
    query = '"Photosynthsis" -mitochondrion cellular respiraton'
    assert words_to_correct(query) == ["mitochondrion", "photosynthsis", "respiraton"]
    assert len(words_to_correct("abcdefg " * 20 + "hijklmn opqrstu vwxyzab")) == MAX_WORDS
    assert words_to_correct("x" * (MAX_LETTERS + 1)) == []
    assert correct(query, QUESTIONS) == '"photosynthesis" -mitochondria cellular respiration'


def test_pieces_are_the_halves():
    """A word is looked up by its halves, each long enough for a trigram index."""
    assert pieces("photosynthsis") == ("photos", "ynthsis")
    assert pieces("sorted") == ("sor", "ted")


def test_the_last_word_is_completed_to_the_commonest_word_it_starts():
    """A last word still being typed becomes the commonest word of the questions that
    starts with it; a whole word, a short one or one that starts none stays."""
    questions = [*QUESTIONS, "Why does photosynthesis need light?", "Photosynthetic cells?"]
    assert correct("photosynth", questions) == "photosynthesis"
    assert correct("stages of photosynth", questions) == "stages of photosynthesis"
    assert correct("mitochond", questions) == "mitochondria"
    assert correct("function of mitocondria", questions) == "function of mitochondria"
    assert correct("photosynthesis", questions) == ""
    assert correct("pho", questions) == ""
    assert correct('"mitoc', questions) == ""
    assert correct("xylop", questions) == ""


def test_lookups_are_bounded():
    """The halves of at most MAX_WORDS words, and the word to complete."""
    assert lookups("stages of photosynth") == [("photo", "synth"), ("sta", "ges"), ("photosynth",)]
    assert len(lookups("abcdefg " * 20 + "hijklmn opqrstu vwxyzab")) == MAX_WORDS + 1
    assert lookups("of") == []
