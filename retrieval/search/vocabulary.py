"""Question analysis over the corpus vocabulary: content terms, their weight, topic words.

``Vocabulary`` is what abstention, the answer and the conversation policy need of
the corpus; ``CorpusVocabulary`` answers it from the BM25 index's statistics. Terms
are Snowball stems with the long English stop list removed, so "what", "how" or
"can" never count as topic words (BM25 itself keeps the short list: lexical.py).
"""
from __future__ import annotations

import math
import re
from typing import Protocol

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from ..store.lexical import LexicalIndex

SPECIFIC_SHARE = 0.02  # a term in at most 2% of passages names a topic
_WORDS = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default splitter


class Vocabulary(Protocol):
    def terms(self, text: str) -> list[str]: ...

    def idf(self, term: str) -> float: ...

    def is_specific(self, term: str) -> bool: ...

    def document_frequency(self, term: str) -> int: ...


class CorpusVocabulary:
    """The ``Vocabulary`` of one index generation."""

    def __init__(self, lexical: LexicalIndex):
        self.lexical = lexical
        self._stemmer = Stemmer.Stemmer("english")
        self._stop = set(STOPWORDS_EN_PLUS)

    def terms(self, text: str) -> list[str]:
        """Stemmed content words of ``text`` (stop words removed), unknown words included."""
        words = [w for w in _WORDS.findall(text.lower()) if w not in self._stop]
        return self._stemmer.stemWords(words) if words else []

    def document_frequency(self, term: str) -> int:
        """How many passages contain the stemmed ``term`` (0 if unknown)."""
        return self.lexical.document_frequency(term)

    def idf(self, term: str) -> float:
        n, df = len(self.lexical.chunk_ids), self.document_frequency(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def is_specific(self, term: str) -> bool:
        """A term that marks a topic: present in few passages (or none at all)."""
        return self.document_frequency(term) <= max(2, SPECIFIC_SHARE * len(self.lexical.chunk_ids))

    def topic_terms(self, text: str) -> tuple[list[str], set[str]]:
        """The content terms of ``text`` and those specific enough to set a topic."""
        terms = self.terms(text)
        return terms, {t for t in terms if self.is_specific(t)}
