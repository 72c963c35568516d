"""Corrections of a search that finds nothing, from the words of the questions (pure: no
ORM): a misspelt word ("photosynthsis" → "photosynthesis") and a last word still being
typed ("photosynth" → "photosynthesis").

Each of the query's longest words is looked up by its two halves (a single slip of the
keyboard leaves one of them whole), and the last word (``terms.prefix_word``) as it is,
in the questions' trigram index; the questions found are the vocabulary that the
corrections come from: the commonest word that starts with the last word, and the closest
word (``difflib``) to each misspelt one. Each database does the lookup (:func:`lookups`
says what it looks for, at most ``QUESTIONS`` questions a lookup), so that a correction
costs one bounded query. Completing a word this way, rather than with the indexes' own
prefix queries, keeps its cost bounded: FTS5 merges every posting of every word with the
prefix before it yields one match ("with" took seconds at 100,000 articles).
"""

import difflib
import re
from collections import Counter

from learn.search import terms

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


def word_to_complete(query: str) -> str:
    """The last word of ``query``, lowercase, when it may be the start of a word: as
    ``terms.prefix_word`` says, and letters only, at most ``MAX_LETTERS``; else ""."""
    word = terms.prefix_word(query).lower()
    return word if _WORD.fullmatch(word) and len(word) <= MAX_LETTERS else ""


def lookups(query: str) -> list[tuple[str, ...]]:
    """What the questions are looked up by, for ``query``: the halves of each word to
    correct, and the word to complete; each a tuple of pieces any of which a question may
    hold. At most ``MAX_WORDS + 1`` lookups."""
    found = [pieces(word) for word in words_to_correct(query)]
    if word := word_to_complete(query):
        found.append((word,))
    return found


def correct(query: str, questions) -> str:
    """``query`` with its last word completed to the commonest word of ``questions``
    that starts with it, and each of its words to correct replaced by the closest word
    of ``questions`` (case kept as typed where unchanged), or "" when none is replaced:
    the words are right, or nothing is close enough."""
    counts = Counter(word.lower() for question in questions for word in _WORD.findall(question))
    corrections = {}
    start = word_to_complete(query)
    if start and start not in counts:
        completions = [word for word in counts if word.startswith(start)]
        if completions:
            corrections[start] = max(completions, key=lambda word: (counts[word], -len(word)))
    for word in words_to_correct(query):
        if word in counts or word in corrections:
            continue
        close = difflib.get_close_matches(word, counts, n=1, cutoff=CUTOFF)
        if close:
            corrections[word] = close[0]
    if not corrections:
        return ""
    return _WORD.sub(lambda match: corrections.get(match[0].lower(), match[0]), query)
