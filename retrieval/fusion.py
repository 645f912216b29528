"""Score fusion of dense and lexical retrieval.

Measured on the development set (``python -m retrieval eval``, see EVALUATION.md):
plain reciprocal-rank fusion throws away how *sure* each retriever is, and lost
to dense alone at rank 1. A convex combination of the cosine similarity and the
BM25 score scaled by the best BM25 score among the candidates keeps those
magnitudes: BM25 adds exact-term evidence (drug names, gene symbols) without
overriding a clearly better semantic match. ``rrf`` stays for comparison.
"""
from __future__ import annotations

import numpy as np


def scale_max(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def convex(dense: np.ndarray, lexical: np.ndarray, lexical_weight: float) -> np.ndarray:
    """(1 - w) * cosine + w * BM25 / max BM25 over the candidates."""
    return (1.0 - lexical_weight) * dense + lexical_weight * scale_max(lexical)


def rrf(*scores: np.ndarray, k: int = 60) -> np.ndarray:
    """Reciprocal-rank fusion of several score arrays over the same candidates."""
    total = np.zeros(len(scores[0]), dtype=np.float64)
    for s in scores:
        ranks = np.empty(len(s), dtype=np.int64)
        ranks[np.argsort(-s, kind="stable")] = np.arange(len(s))
        total += 1.0 / (k + 1 + ranks)
    return total
