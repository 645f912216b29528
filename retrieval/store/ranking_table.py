"""What ranking reads of every passage of a generation, as arrays built once when it opens.

A search scores about a hundred candidates. Reading each one's article, title, section
and place from SQLite, and looking up its title's and heading's vectors by text, cost
more than a millisecond a question in Python. A published generation never changes, so
those facts are read once into arrays indexed by a passage's row (its place among the
generation's sorted chunk ids, which are BM25's rows too: ``Snapshot.check_consistency``),
and a search takes them with one array look-up:

* ``doc``, ``title``, ``section``: small integer codes (``docs``, ``labels`` give the text);
* ``ord``: the passage's place in its article; ``lead``: whether its section is the
  article's first (the opening: what the article is about, ``aspect.py``);
* ``label_vectors``: one row per title or heading text, its stored vector (zeros where
  none is stored), so the candidates' heading vectors are ``label_vectors[section[rows]]``.

About 25 bytes a passage, and 1.5 KiB per distinct title or heading.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np

from ..records import ChunkMeta


@dataclass(frozen=True)
class RankingTable:
    ids: np.ndarray  # int64, sorted: row r is the passage with chunk id ids[r]
    doc: np.ndarray  # int32 code into ``docs``
    title: np.ndarray  # int32 code into ``labels``
    section: np.ndarray  # int32 code into ``labels``
    ord: np.ndarray  # int32
    lead: np.ndarray  # bool
    docs: tuple[str, ...]
    labels: tuple[str, ...]
    label_vectors: np.ndarray | None  # float32 (len(labels), dim); None: the index stores none

    @classmethod
    def build(cls, rows: Iterable[tuple[int, ChunkMeta]], vectors: dict[str, np.ndarray] | None = None,
              dim: int = 0) -> "RankingTable":
        """From (chunk id, ``ChunkMeta``) pairs in any order, and the label vectors by text."""
        pairs = sorted(rows, key=lambda p: p[0])
        metas = [m for _, m in pairs]
        docs: dict[str, int] = {}
        labels: dict[str, int] = {}
        n = len(metas)
        return cls(np.fromiter((cid for cid, _ in pairs), np.int64, n),
                   _codes((m.doc for m in metas), docs, n), _codes((m.title for m in metas), labels, n),
                   _codes((m.section for m in metas), labels, n), np.fromiter((m.ord for m in metas), np.int32, n),
                   np.fromiter((m.lead for m in metas), bool, n),
                   tuple(docs), tuple(labels), _label_matrix(tuple(labels), vectors, dim))

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """The rows of chunk ``ids`` (each one in the table)."""
        return np.searchsorted(self.ids, np.asarray(ids, np.int64))

    def doc_ids(self, rows: np.ndarray) -> list[str]:
        """The article id of each row."""
        return [self.docs[c] for c in self.doc[rows].tolist()]

    def meta(self, row: int) -> ChunkMeta:
        """One row as a record."""
        return ChunkMeta(self.docs[self.doc[row]], self.labels[self.title[row]], self.labels[self.section[row]],
                         int(self.ord[row]), bool(self.lead[row]))

    def label_similarity(self, codes: np.ndarray, qvec: np.ndarray) -> np.ndarray:
        """The question's cosine with each label of ``codes`` (0 where the index stores no vectors)."""
        if self.label_vectors is None or not len(codes):
            return np.zeros(len(codes), np.float32)
        return self.label_vectors[codes] @ qvec


def _codes(values: Iterable[str], codes: dict[str, int], n: int) -> np.ndarray:
    """A small integer per distinct value (added to ``codes`` as first seen)."""
    return np.fromiter((codes.setdefault(v, len(codes)) for v in values), np.int32, n)


def _label_matrix(labels: tuple[str, ...], vectors: dict[str, np.ndarray] | None, dim: int) -> np.ndarray | None:
    if not vectors:
        return None
    dim = dim or len(next(iter(vectors.values())))
    matrix = np.zeros((len(labels), dim), np.float32)
    for k, text in enumerate(labels):
        v = vectors.get(text)
        if v is not None:
            matrix[k] = v
    return matrix
