"""FAISS vector index over passage ids (inner product on normalized vectors).

Ids are the passages' SQLite ids, so passages can be removed and their vectors
reused when the same text reappears (an edit or a rename).
"""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from .errors import IndexCorrupt


class VectorIndex:
    def __init__(self, index: faiss.Index):
        self.index = index

    @classmethod
    def create(cls, dim: int) -> "VectorIndex":
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as err:
            first = str(err).strip().splitlines()[-1][:120] if str(err).strip() else "unreadable"
            raise IndexCorrupt(f"The vector file {path} is damaged ({first}); run `python -m retrieval index --full`.") from None

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @property
    def dim(self) -> int:
        return int(self.index.d)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        inner = faiss.downcast_index(self.index.index) if hasattr(self.index, "index") else self.index
        return type(inner).__name__

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids) -> int:
        if len(ids) == 0:
            return 0
        return int(self.index.remove_ids(np.asarray(list(ids), dtype=np.int64)))

    def reconstruct(self, ids) -> np.ndarray:
        return np.vstack([self.index.reconstruct(int(i)) for i in ids]) if len(ids) else np.zeros((0, self.dim), np.float32)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) for one query vector; ids are -1 past the end."""
        k = max(1, min(k, self.ntotal))
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)
