"""BM25 lexical search with bm25s: Snowball stemming, English stop words.

Each passage is indexed with its article title and section heading, so a question
naming the topic matches passages whose body never repeats it. Saved as .npy and
JSON (no pickle) next to the other generation files.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterable

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS
from bm25s.tokenization import Tokenized

IDS_FILE = "chunk_ids.npy"
TOKENS_FILE = "tokens.npy"  # every passage's token ids, flat, for the next incremental build
OFFSETS_FILE = "token_offsets.npy"
# BM25 uses bm25s's short English stop list: measured on the dev set, its 179-word list
# cost 1 point of ans@1. Question analysis (``terms``) uses the long list, so that
# "what", "how" or "can" never count as topic words.
SIGNATURE = "bm25s-v1:stop=en:stem=english"
SPECIFIC_SHARE = 0.02  # a term in at most 2% of passages names a topic
_WORDS = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default splitter


def _tokenizer() -> bm25s.tokenization.Tokenizer:
    return bm25s.tokenization.Tokenizer(stopwords="en", stemmer=Stemmer.Stemmer("english"))


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, tokenizer, chunk_ids: np.ndarray,
                 folder: Path | None = None, tokens: list[list[int]] | None = None):
        self.retriever = retriever
        self.tokenizer = tokenizer
        self.chunk_ids = chunk_ids
        self._folder = folder  # where the token ids can be read from, for the next build
        self._tokens = tokens
        self._stemmer = Stemmer.Stemmer("english")
        self._stop = set(STOPWORDS_EN_PLUS)

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str]], previous: "LexicalIndex | None" = None) -> "LexicalIndex":
        """Index every (passage id, text). Passages the ``previous`` index already holds keep
        their token ids, so only new text is tokenized (BM25 statistics are recomputed)."""
        known = previous.token_map() if previous is not None else {}
        tokenizer = previous.tokenizer if known else _tokenizer()
        ids, tokens, fresh = [], [], []
        for cid, text in rows:
            ids.append(cid)
            tokens.append(known.get(cid))
            if tokens[-1] is None:
                fresh.append((len(tokens) - 1, text))
        if fresh:
            new = tokenizer.tokenize([t for _, t in fresh], update_vocab=True, return_as="ids", show_progress=False)
            for (k, _), token_ids in zip(fresh, new):
                tokens[k] = list(token_ids)
        retriever = bm25s.BM25()
        if tokens:
            retriever.index(Tokenized(ids=tokens, vocab=tokenizer.get_vocab_dict()), show_progress=False)
        return cls(retriever, tokenizer, np.asarray(ids, dtype=np.int64), tokens=tokens)

    def token_map(self) -> dict[int, list[int]]:
        """Passage id -> its token ids (read from disk when this index was loaded)."""
        tokens = self._tokens
        if tokens is None and self._folder is not None and (self._folder / TOKENS_FILE).exists():
            flat = np.load(self._folder / TOKENS_FILE, allow_pickle=False)
            offsets = np.load(self._folder / OFFSETS_FILE, allow_pickle=False)
            tokens = [flat[offsets[i]:offsets[i + 1]].tolist() for i in range(len(offsets) - 1)]
        if tokens is None or len(tokens) != len(self.chunk_ids):
            return {}
        return dict(zip(self.chunk_ids.tolist(), tokens))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if len(self.chunk_ids):
            self.retriever.save(str(folder), show_progress=False)
            self.tokenizer.save_vocab(str(folder))
        np.save(folder / IDS_FILE, self.chunk_ids, allow_pickle=False)
        if self._tokens is not None:
            lengths = [len(t) for t in self._tokens]
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            flat = np.fromiter((i for t in self._tokens for i in t), dtype=np.int32, count=int(offsets[-1]))
            np.save(folder / TOKENS_FILE, flat, allow_pickle=False)
            np.save(folder / OFFSETS_FILE, offsets, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        ids = np.load(folder / IDS_FILE, allow_pickle=False)
        tokenizer = _tokenizer()
        if not len(ids):
            return cls(bm25s.BM25(), tokenizer, ids, folder)
        retriever = bm25s.BM25.load(str(folder), mmap=False)
        tokenizer.load_vocab(str(folder))
        return cls(retriever, tokenizer, ids, folder)

    def scores(self, query: str) -> tuple[np.ndarray, float]:
        """BM25 score of every passage (aligned with ``chunk_ids``), and the most any passage
        could score for this query: the sum of its terms' IDF, as bm25s's (Lucene) term
        frequency part saturates at 1."""
        if not len(self.chunk_ids):
            return np.zeros(0, dtype=np.float32), 0.0
        tokens = self.tokenizer.tokenize([query], update_vocab=False, return_as="ids", show_progress=False)[0]
        if not tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32), 0.0
        scores = np.asarray(self.retriever.get_scores_from_ids(tokens), dtype=np.float32)
        return scores, self._idf_sum(set(tokens))

    def _idf_sum(self, token_ids: set[int]) -> float:
        indptr, n = self.retriever.scores["indptr"], len(self.chunk_ids)
        dfs = [int(indptr[t + 1] - indptr[t]) for t in token_ids if t + 1 < len(indptr)]
        # A term no passage contains (its passages were deleted) cannot add to any score.
        return float(sum(math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for df in dfs if df > 0))

    def terms(self, text: str) -> list[str]:
        """Stemmed content words of ``text`` (stop words removed), unknown words included."""
        words = [w for w in _WORDS.findall(text.lower()) if w not in self._stop]
        return self._stemmer.stemWords(words) if words else []

    def document_frequency(self, term: str) -> int:
        """How many passages contain the stemmed ``term`` (0 if unknown)."""
        tid = self.tokenizer.stem_to_sid.get(term)
        if tid is None or not len(self.chunk_ids):
            return 0
        indptr = self.retriever.scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid]) if tid + 1 < len(indptr) else 0

    def idf(self, term: str) -> float:
        n, df = len(self.chunk_ids), self.document_frequency(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def is_specific(self, term: str) -> bool:
        """A term that marks a topic: present in few passages (or none at all)."""
        n = len(self.chunk_ids)
        return self.document_frequency(term) <= max(2, SPECIFIC_SHARE * n)
