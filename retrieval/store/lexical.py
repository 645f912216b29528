"""BM25 lexical search with bm25s: Snowball stemming, English stop words.

Each passage is indexed with its article title and section heading, so a question
naming the topic matches passages whose body never repeats it. Saved as .npy and
JSON (no pickle) next to the other generation files.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

import bm25s
import numpy as np
import Stemmer
from bm25s.tokenization import Tokenized

IDS_FILE = "chunk_ids.npy"
TOKENS_FILE = "tokens.npy"  # every passage's token ids, flat, for the next incremental build
OFFSETS_FILE = "token_offsets.npy"
# BM25 uses bm25s's short English stop list: measured on the dev set, its 179-word list
# cost 1 point of ans@1 (question analysis uses the long one: search/vocabulary.py).
SIGNATURE = "bm25s-v1:stop=en:stem=english"
_WORDS = re.compile(r"(?u)\b\w\w+\b")  # bm25s's default splitter


def _rows_in(known: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """For each of ``ids``, its row in ``known`` (-1 where absent)."""
    if not len(known):
        return np.full(len(ids), -1, np.int64)
    order = np.argsort(known, kind="stable")
    pos = np.minimum(np.searchsorted(known, ids, sorter=order), len(known) - 1)
    rows = order[pos]
    return np.where(known[rows] == ids, rows, -1)


def _tokenizer() -> bm25s.tokenization.Tokenizer:
    return bm25s.tokenization.Tokenizer(stopwords="en", stemmer=Stemmer.Stemmer("english"))


class _FlatBM25(bm25s.BM25):
    """bm25s's BM25, with its documented extension point ``build_index_from_ids``
    vectorised for token ids held flat (``FlatTokens``): one numpy pass instead of a
    Python loop per passage, so re-indexing after a small change costs milliseconds.
    Scores are bm25s's own (the tests compare with the stock build); scoring, saving and
    loading are untouched."""

    def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=True, leave_progress=False):
        if not isinstance(corpus_token_ids, FlatTokens) or self.method != "lucene" or self.idf_method not in (None, "lucene"):
            lists = corpus_token_ids.as_lists() if isinstance(corpus_token_ids, FlatTokens) else corpus_token_ids
            return super().build_index_from_ids(unique_token_ids, lists, show_progress, leave_progress)
        self.nonoccurrence_array = None  # Lucene BM25 has no non-occurrence term
        return lucene_scores(corpus_token_ids, len(unique_token_ids), self.k1, self.b, self.dtype, self.int_dtype)


@dataclass(frozen=True)
class FlatTokens:
    """Every passage's token ids end to end; passage i is ``flat[offsets[i]:offsets[i+1]]``."""

    flat: np.ndarray  # int32
    offsets: np.ndarray  # int64, one more than passages

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def as_lists(self) -> list[list[int]]:
        return [self.flat[a:b].tolist() for a, b in zip(self.offsets[:-1], self.offsets[1:])]

    @classmethod
    def merge(cls, known: np.ndarray, old: "FlatTokens", rows: np.ndarray, fresh: "FlatTokens") -> "FlatTokens":
        """Passage k is ``old``'s passage ``rows[k]`` where ``known[k]``, else the next of ``fresh``."""
        lengths = np.empty(len(known), np.int64)
        lengths[known] = old.lengths[rows[known]]
        lengths[~known] = fresh.lengths
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        flat = np.empty(int(offsets[-1]), np.int32)
        flat[_ranges(offsets[:-1][known], lengths[known])] = old.flat[_ranges(old.offsets[rows[known]], lengths[known])]
        flat[_ranges(offsets[:-1][~known], lengths[~known])] = fresh.flat
        return cls(flat, offsets)

    @classmethod
    def from_lists(cls, tokens: list[list[int]]) -> "FlatTokens":
        lengths = np.fromiter((len(t) for t in tokens), np.int64, len(tokens))
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        flat = np.fromiter((i for t in tokens for i in t), np.int32, int(offsets[-1]))
        return cls(flat, offsets)


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + n)`` for each start and length, without a loop."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, np.int64)
    before = np.cumsum(lengths) - lengths
    return np.arange(total, dtype=np.int64) + np.repeat(starts.astype(np.int64) - before, lengths)


def lucene_scores(tokens: FlatTokens, n_vocab: int, k1: float, b: float, dtype="float32", int_dtype="int32") -> dict:
    """bm25s's Lucene BM25 matrix (CSC: a column per term, a row per passage)."""
    n_docs, lengths = len(tokens), tokens.lengths
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    pairs, tf = np.unique(tokens.flat.astype(np.int64) * max(n_docs, 1) + doc, return_counts=True)
    term, row = np.divmod(pairs, max(n_docs, 1))
    df = np.bincount(term, minlength=n_vocab)
    with np.errstate(divide="ignore", invalid="ignore"):
        idf = np.where(df > 0, np.log1p((n_docs - df + 0.5) / (df + 0.5)), 0.0).astype(dtype)
    avg = float(lengths.mean()) if n_docs else 0.0
    tf = tf.astype(dtype)
    norm = k1 * ((1 - b) + b * lengths[row] / avg) if avg else np.full(len(row), k1 * (1 - b))
    data = (idf[term] * (tf / (norm + tf))).astype(dtype)
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(int_dtype)
    return {"data": data, "indices": row.astype(int_dtype), "indptr": indptr, "num_docs": n_docs}


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, tokenizer, chunk_ids: np.ndarray,
                 folder: Path | None = None, tokens: FlatTokens | None = None):
        self.retriever = retriever
        self.tokenizer = tokenizer
        self.chunk_ids = chunk_ids  # sorted
        self._folder = folder  # where the token ids can be read from, for the next build
        self._tokens = tokens

    @classmethod
    def build(cls, ids: Iterable[int], texts: Callable[[list[int]], Mapping[int, str]],
              previous: "LexicalIndex | None" = None) -> "LexicalIndex":
        """Index the passages ``ids`` (sorted); ``texts(ids)`` gives the text of those asked
        for. Passages the ``previous`` index holds keep their token ids, so only new text is
        read and tokenized; BM25 statistics are recomputed over all of them."""
        ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        held = previous.flat_tokens() if previous is not None else None
        tokenizer = previous.tokenizer if held is not None else _tokenizer()
        old_ids, old = held if held is not None else (np.zeros(0, np.int64), FlatTokens.from_lists([]))
        rows = _rows_in(old_ids, ids)
        known = rows >= 0
        fresh_ids = ids[~known].tolist()
        fresh = FlatTokens.from_lists([])
        if fresh_ids:
            by_id = texts(fresh_ids)
            new = tokenizer.tokenize([by_id[i] for i in fresh_ids], update_vocab=True, return_as="ids", show_progress=False)
            fresh = FlatTokens.from_lists([list(t) for t in new])
        tokens = FlatTokens.merge(known, old, rows, fresh)
        retriever = _FlatBM25()
        if len(ids):
            retriever.index(Tokenized(ids=tokens, vocab=tokenizer.get_vocab_dict()), show_progress=False)
        return cls(retriever, tokenizer, ids, tokens=tokens)

    def flat_tokens(self) -> tuple[np.ndarray, FlatTokens] | None:
        """(passage ids, their token ids), read from disk when this index was loaded."""
        tokens = self._tokens
        if tokens is None and self._folder is not None and (self._folder / TOKENS_FILE).exists():
            tokens = FlatTokens(np.load(self._folder / TOKENS_FILE, allow_pickle=False),
                                np.load(self._folder / OFFSETS_FILE, allow_pickle=False))
        if tokens is None or len(tokens) != len(self.chunk_ids):
            return None
        return self.chunk_ids, tokens

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if len(self.chunk_ids):
            self.retriever.save(str(folder), show_progress=False)
            self.tokenizer.save_vocab(str(folder))
        np.save(folder / IDS_FILE, self.chunk_ids, allow_pickle=False)
        if self._tokens is not None:
            np.save(folder / TOKENS_FILE, self._tokens.flat, allow_pickle=False)
            np.save(folder / OFFSETS_FILE, self._tokens.offsets, allow_pickle=False)

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
        # "stream": the same ids, without the progress bar that "ids" builds, and locks, on every call
        tokens = next(self.tokenizer.tokenize([query], update_vocab=False, return_as="stream", show_progress=False))
        if not tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32), 0.0
        scores = np.asarray(self.retriever.get_scores_from_ids(tokens), dtype=np.float32)
        return scores, self._idf_sum(set(tokens))

    def _idf_sum(self, token_ids: set[int]) -> float:
        indptr, n = self.retriever.scores["indptr"], len(self.chunk_ids)
        dfs = [int(indptr[t + 1] - indptr[t]) for t in token_ids if t + 1 < len(indptr)]
        # A term no passage contains (its passages were deleted) cannot add to any score.
        return float(sum(math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for df in dfs if df > 0))

    def document_frequency(self, term: str) -> int:
        """How many passages contain the stemmed ``term`` (0 if unknown)."""
        tid = self.tokenizer.stem_to_sid.get(term)
        if tid is None or not len(self.chunk_ids):
            return 0
        indptr = self.retriever.scores["indptr"]
        return int(indptr[tid + 1] - indptr[tid]) if tid + 1 < len(indptr) else 0
