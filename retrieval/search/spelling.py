"""Spelling correction against the corpus's own words ("tabkets" -> "tablets").

A word of the question is corrected only when neither the corpus nor an English
dictionary (pyspellchecker's word list, shipped in its package) knows it, and a word the
corpus uses often lies one edit away (two for long words); among those the closest,
then the most frequent, wins. Words the corpus knows are never touched, nor short
ones, numbers or words with capitals inside (gene symbols, brand names). A word two
edits from the nearest corpus word but one edit from a common English word was meant
as that English word ("intoduce" is "introduce", not the corpus's "induce"), and gets
it. The edit distance is rapidfuzz's Levenshtein over the corpus word list, so a
question costs well under a millisecond per unknown word.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class SpellingParams:
    # Chosen on consumer-dev (real typos: "tabkets", "dianosed"), confirmed on
    # medquad-dev, whose questions are spelled right: nothing there may change for the worse.
    min_length: int = 5  # shorter words are left as typed ("dose" vs "does")
    long_length: int = 8  # from this length, two edits are allowed
    min_count: int = 3  # a correction must be a word the corpus uses at least this often
    # An English word one edit away beats a corpus word two edits away when English uses
    # it at least this often (per million words): a typo of an everyday word.
    english_per_million: float = 1.0


@dataclass(frozen=True)
class Correction:
    typed: str
    corrected: str


class Speller:
    """Corrects words against the word counts of one corpus (lower case)."""

    def __init__(self, counts: Counter, params: SpellingParams = SpellingParams(),
                 english: Callable[[str], bool] | None = None, frequency: Callable[[str], float] | None = None):
        self.counts = counts
        self.params = params
        self.english = english or is_english
        self.frequency = frequency or per_million
        self._choices = [w for w, c in counts.most_common() if c >= params.min_count and len(w) >= 3]

    @classmethod
    def from_texts(cls, texts: Iterable[str], params: SpellingParams = SpellingParams(),
                   english: Callable[[str], bool] | None = None) -> "Speller":
        counts: Counter = Counter()
        for text in texts:
            counts.update(_WORD.findall(text.lower()))
        return cls(counts, params, english)

    def knows(self, word: str) -> bool:
        return word.lower() in self.counts

    def suggest(self, word: str) -> str | None:
        """The corpus word ``word`` was meant to be, or None (known, too short, or nothing close)."""
        p = self.params
        w = word.lower()
        if len(w) < p.min_length or not w.isalpha() or w in self.counts or _inner_capital(word) or self.english(w):
            return None
        edits = 2 if len(w) >= p.long_length else 1
        close = process.extract(w, self._choices, scorer=Levenshtein.distance, score_cutoff=edits, limit=20)
        if not close:
            return None
        best = min(close, key=lambda c: (c[1], -self.counts[c[0]]))
        if best[1] >= 2:
            return self._everyday(w) or best[0]
        return best[0]

    def _everyday(self, w: str) -> str | None:
        return everyday_word(w, self.params.english_per_million, self.english, self.frequency)

    def correct(self, text: str) -> tuple[str, list[Correction]]:
        """``text`` with its misspelled words replaced, and what was replaced."""
        fixes: list[Correction] = []

        def fix(m: re.Match) -> str:
            better = self.suggest(m.group(0))
            if better is None:
                return m.group(0)
            fixes.append(Correction(m.group(0), better))
            return better

        return _WORD.sub(fix, text), fixes


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    return frozenset(_frequencies()[0])


@lru_cache(maxsize=1)
def _frequencies() -> tuple[dict[str, int], int]:
    """pyspellchecker's English word counts and their total, loaded once, on first use."""
    from spellchecker import SpellChecker

    counts = SpellChecker(language="en").word_frequency
    return dict(counts.dictionary), counts.total_words


def per_million(word: str) -> float:
    """How often ``word`` occurs in general English text, per million words (pyspellchecker's counts)."""
    counts, total = _frequencies()
    return 1e6 * counts.get(word.lower(), 0) / total if total else 0.0


def everyday_word(word: str, min_per_million: float, english: Callable[[str], bool] | None = None,
                  frequency: Callable[[str], float] | None = None) -> str | None:
    """The most frequent English word one edit from ``word`` that English uses at least
    ``min_per_million`` times per million words, if any: what a typo of an everyday word
    ("reserch", "tho") was meant to be."""
    english, frequency = english or is_english, frequency or per_million
    near = [(frequency(e), e) for e in _edits1(word.lower()) if english(e)]
    near = [(f, e) for f, e in near if f >= min_per_million]
    return max(near)[1] if near else None


def is_english(word: str) -> bool:
    """A word of English (pyspellchecker's list, loaded on first use): never "corrected"."""
    return word.lower() in _english()


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(w: str) -> set[str]:
    """Every string one deletion, swap, replacement or insertion from ``w`` (Norvig's edits1)."""
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | swaps | replaces | inserts


def _inner_capital(word: str) -> bool:
    """Capitals after the first letter: an acronym, a gene symbol or a brand ("VDRL", "BRCA")."""
    return any(c.isupper() for c in word[1:])
