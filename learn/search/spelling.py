"""Corrections of misspelt words ("photosynthsis" → "photosynthesis"), from the words of
the questions that share a piece of them (pure: no ORM).

A search that finds nothing is corrected: each of its longest words is looked up by its
two halves (a single slip of the keyboard leaves one of them whole), in the questions'
trigram index, and the questions found are the vocabulary that its closest word comes
from (``difflib``). Each database does the lookup (:func:`pieces` says what it looks for,
at most ``QUESTIONS`` questions a word), so that a correction costs one bounded query.
"""

import difflib
import re

# The shortest word corrected: each half must be a trigram at least; and the longest,
# past which a "word" is no word (its long halves would only cost the lookup more).
MIN_LETTERS = 6
MAX_LETTERS = 30
# How many words of a query are corrected, the longest first.
MAX_WORDS = 3
# How many questions are read for each word corrected.
QUESTIONS = 50
# How alike a correction must be (difflib's ratio): a slip or two in a long word, or a
# singular for a plural ("mitochondrion", "mitochondria").
CUTOFF = 0.8

_WORD = re.compile(r"[^\W\d_]+")


def words_to_correct(query: str) -> list[str]:
    """The words of ``query`` a correction looks at, lowercase: the longest
    ``MAX_WORDS`` of those with ``MIN_LETTERS`` to ``MAX_LETTERS`` letters."""
    words = {
        word.lower() for word in _WORD.findall(query) if MIN_LETTERS <= len(word) <= MAX_LETTERS
    }
    return sorted(words, key=lambda word: (-len(word), word))[:MAX_WORDS]


def pieces(word: str) -> tuple[str, str]:
    """The two halves of ``word`` that a question holding its correction likely holds."""
    half = len(word) // 2
    return word[:half], word[half:]


def correct(query: str, questions) -> str:
    """``query`` with each of its words to correct replaced by the closest word of
    ``questions`` (case kept as typed where unchanged), or "" when none is replaced: the
    words are right, or nothing is close enough."""
    vocabulary = {word.lower() for question in questions for word in _WORD.findall(question)}
    corrections = {}
    for word in words_to_correct(query):
        if word in vocabulary:
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=CUTOFF)
        if close:
            corrections[word] = close[0]
    if not corrections:
        return ""
    return _WORD.sub(lambda match: corrections.get(match[0].lower(), match[0]), query)
