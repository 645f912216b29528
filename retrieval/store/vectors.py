"""FAISS vector index over passage ids (inner product on normalized vectors).

Ids are the passages' SQLite ids, so passages can be removed and their vectors
reused when the same text reappears (an edit or a rename).

Two kinds, chosen by size (``fit_to_size``):

* exact: ``IndexIDMap2`` over ``IndexFlatIP``, below ``EXACT_LIMIT`` vectors;
* approximate: ``IndexIVFFlat`` (inner product, ``nlist`` about 4·√N, trained on
  the vectors themselves) with a hashtable direct map, so removing and
  reconstructing by passage id keep working. ``nprobe`` is calibrated at build
  time for recall@10 >= ``CALIBRATION_TARGET`` against exact search on query
  vectors given by the caller (embedded titles and headings, which behave like
  questions), so that real questions get at least ``RECALL_TARGET``; it is saved
  with the index.

The limit and the recall come from ``benchmarks/run.py`` (BENCHMARKS.md, "Scale").
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

from ..errors import IndexCorrupt

EXACT_LIMIT = 200_000  # exact search up to here: about 15 ms a query on one core (BENCHMARKS.md)
RECALL_TARGET = 0.95  # recall@10 of the approximate index against exact search
CALIBRATION_TARGET = 0.97  # nprobe is chosen for this, a margin for questions unlike the calibration queries
CALIBRATION_QUERIES = 200
TRAIN_PER_LIST = 40  # k-means sample: this many vectors per inverted list (faiss wants >= 39)
PARALLEL_SCAN = 200_000  # a query scanning fewer vectors runs on one thread: sharing so little work
# costs more than it saves, and on a busy CPU the second OpenMP thread mostly waits


class VectorIndex:
    def __init__(self, index: faiss.Index):
        self.index = index

    # --- construction --------------------------------------------------------------
    @classmethod
    def create(cls, dim: int) -> "VectorIndex":
        """An empty exact index."""
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, exact_limit: int = EXACT_LIMIT,
              queries: np.ndarray | None = None) -> "VectorIndex":
        """An index of the kind that suits ``len(ids)`` vectors, holding them.

        ``queries``: vectors like the questions to expect, for calibrating an IVF
        index (the indexer passes the embedded titles and section headings).
        """
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(ids) < exact_limit:
            out = cls.create(vectors.shape[1])
            out.add(ids, vectors)
            return out
        return cls(_train_ivf(np.asarray(ids, dtype=np.int64), vectors, queries))

    def needs_refit(self, exact_limit: int = EXACT_LIMIT) -> bool:
        """Whether ``fit_to_size`` would rebuild: exact at ``exact_limit`` vectors, approximate
        below half of it (so a corpus near the limit does not flip back and forth), or
        approximate holding 4x the vectors it was trained for."""
        n = self.ntotal
        if self.exact:
            return n >= exact_limit
        return n < exact_limit // 2 or n > 4 * _trained_for(self._ivf.nlist)

    def fit_to_size(self, exact_limit: int = EXACT_LIMIT, queries: np.ndarray | None = None) -> "VectorIndex":
        """This index, or a rebuilt one of the kind its size calls for (see ``needs_refit``)."""
        if not self.needs_refit(exact_limit):
            return self
        ids = self.ids()
        limit = exact_limit if self.exact else exact_limit // 2
        return VectorIndex.build(ids, self.reconstruct(ids), exact_limit=limit, queries=queries)

    # --- persistence ---------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> "VectorIndex":
        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as err:
            first = str(err).strip().splitlines()[-1][:120] if str(err).strip() else "unreadable"
            raise IndexCorrupt(f"The vector file {path} is damaged ({first})") from None

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    # --- description ---------------------------------------------------------------
    @property
    def dim(self) -> int:
        return int(self.index.d)

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    @property
    def exact(self) -> bool:
        return not isinstance(self.index, faiss.IndexIVF)

    @property
    def kind(self) -> str:
        """``IndexFlatIP`` or ``IndexIVFFlat``, with nlist/nprobe (stored in the manifest)."""
        if self.exact:
            inner = faiss.downcast_index(self.index.index) if hasattr(self.index, "index") else self.index
            return type(inner).__name__
        return f"{type(self.index).__name__}:nlist={self._ivf.nlist}:nprobe={self._ivf.nprobe}"

    @property
    def nprobe(self) -> int:
        return 0 if self.exact else int(self._ivf.nprobe)

    @property
    def scanned(self) -> int:
        """About how many vectors one search compares the query with."""
        if self.exact:
            return self.ntotal
        ivf = self._ivf
        return ivf.nlist + self.ntotal * min(ivf.nprobe, ivf.nlist) // max(1, ivf.nlist)

    @property
    def _ivf(self) -> faiss.IndexIVF:
        return faiss.extract_index_ivf(self.index)

    # --- contents ------------------------------------------------------------------
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids) -> int:
        if len(ids) == 0:
            return 0
        return int(self.index.remove_ids(np.asarray(list(ids), dtype=np.int64)))

    def reconstruct(self, ids) -> np.ndarray:
        if len(ids) == 0:
            return np.zeros((0, self.dim), np.float32)
        return self.index.reconstruct_batch(np.asarray(list(ids), dtype=np.int64))

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) for one query vector, best first."""
        k = max(1, min(k, self.ntotal))
        with _omp_threads(1 if self.scanned < PARALLEL_SCAN else 0):
            scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def ids(self) -> np.ndarray:
        """Every stored passage id (in storage order)."""
        if self.exact:
            return faiss.vector_to_array(self.index.id_map).astype(np.int64)
        lists = self._ivf.invlists
        parts = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy()
                 for i in range(lists.nlist) if lists.list_size(i)]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def nlist_for(n: int) -> int:
    """Inverted lists for ``n`` vectors: about 4·√n."""
    return max(1, int(round(4 * math.sqrt(n))))


def _trained_for(nlist: int) -> int:
    return int((nlist / 4) ** 2)


def _train_ivf(ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray | None, seed: int = 0) -> faiss.Index:
    n, dim = vectors.shape
    nlist = nlist_for(n)
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.spherical = True  # centroids on the unit sphere, like the vectors
    index.cp.niter = 10
    index.cp.seed = seed
    rng = np.random.default_rng(seed)
    sample = vectors if n <= TRAIN_PER_LIST * nlist else vectors[np.sort(rng.choice(n, TRAIN_PER_LIST * nlist, replace=False))]
    index.train(sample)
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    index.add_with_ids(vectors, ids)
    index.nprobe = calibrate_nprobe(index, ids, vectors, calibration_queries(vectors, queries, rng))
    return index


def calibration_queries(vectors: np.ndarray, given: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """Up to ``CALIBRATION_QUERIES`` query vectors: a sample of ``given``, topped up with
    midpoints of two random stored vectors (a question between two topics)."""
    given = np.zeros((0, vectors.shape[1]), np.float32) if given is None else np.asarray(given, np.float32)
    if len(given) > CALIBRATION_QUERIES:
        given = given[rng.choice(len(given), CALIBRATION_QUERIES, replace=False)]
    m = CALIBRATION_QUERIES - len(given)
    pairs = vectors[rng.choice(len(vectors), m)] + vectors[rng.choice(len(vectors), m)]
    pairs /= np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-6)
    return np.ascontiguousarray(np.vstack([given, pairs]), dtype=np.float32)


def calibrate_nprobe(index: faiss.IndexIVF, ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray,
                     target: float = CALIBRATION_TARGET) -> int:
    """Smallest power-of-two nprobe with recall@10 >= ``target`` against exact search.

    Real questions are the hard case: on the dev set, embedded titles and headings
    need as many lists as real questions do, while synthetic queries (midpoints,
    or stored vectors plus noise, which in 384 dimensions keeps the same
    neighbours) need far fewer (BENCHMARKS.md, "Scale").
    """
    _, exact = faiss.knn(queries, vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    expected = ids[exact]
    nprobe = 1
    while nprobe < index.nlist:
        index.nprobe = nprobe
        _, got = index.search(queries, 10)
        if recall_at(got, expected) >= target:
            return nprobe
        nprobe *= 2
    return index.nlist


def recall_at(got: np.ndarray, expected: np.ndarray) -> float:
    """Mean share of each row of ``expected`` found in the same row of ``got``."""
    hits = [len(set(g[g >= 0]) & set(e[e >= 0])) / max(1, (e >= 0).sum()) for g, e in zip(got, expected)]
    return float(np.mean(hits)) if hits else 1.0


@contextmanager
def _omp_threads(n: int):
    """Run the block with ``n`` OpenMP threads (0: leave as is); per calling thread."""
    if not n:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
