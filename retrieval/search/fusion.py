"""Score fusion of dense and lexical retrieval, chosen by measurement.

Dev set, 6,158 questions, same passages (benchmarks/tune_fusion.py; EVALUATION.md):

    passage ranking                         ans@1   doc@1
    dense only                              0.636   0.963
    BM25 only                               0.406   0.945
    reciprocal-rank fusion                  0.615   0.966   worse than dense at rank 1
    convex, BM25 weight 0.1 / 0.2 / 0.3     0.690 / 0.713 / 0.697
    + section-heading similarity 0.3        0.828   0.968
    + article-title similarity 0.3          0.831   0.976
    + title words named in question 0.4     0.838   0.988
    BM25 scaled by the query's IDF sum      0.842   0.989   (weight 0.2; 0.836 at 0.3)
    same, sections split evenly (chunker v2) 0.858  0.989   (14,832 passages, was 15,318)

Reciprocal-rank fusion throws away how *sure* each retriever is. A convex
combination of the cosine and the BM25 score keeps those magnitudes. BM25 is
scaled by the most the query could score (the sum of its terms' IDF), not by the
best candidate, so a weak lexical match (only words common to every passage)
stays weak instead of being stretched to 1: BM25 adds exact-term evidence (gene
symbols, drug names) without overriding a clearly better semantic match. Most
misses left after that were the right article but the wrong section, so the
question is also compared with each candidate's section heading and article
title as signals of their own (``search.py``). ``rrf`` stays for comparison.

The weights hold on articles they were not tuned on: chosen on a random half of the
dev articles and scored on the other half (three splits, both ways;
``benchmarks/crossval_fusion.py``), they score doc@1 0.9890 / ans@1 0.8584 against
0.9890 / 0.8582 for the shipped weights.
"""
from __future__ import annotations

import numpy as np


def scale_bound(scores: np.ndarray, bound: float) -> np.ndarray:
    """BM25 as a share of the most the query could score: weak matches stay weak."""
    return scores / bound if bound > 0 else np.zeros_like(scores)


def weighted(signals: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Sum of each signal times its weight (the hybrid score; ``SearchParams.weights``)."""
    return sum(w * signals[name] for name, w in weights.items())


def rrf(*scores: np.ndarray, k: int = 60) -> np.ndarray:
    """Reciprocal-rank fusion of several score arrays over the same candidates."""
    total = np.zeros(len(scores[0]), dtype=np.float64)
    for s in scores:
        ranks = np.empty(len(s), dtype=np.int64)
        ranks[np.argsort(-s, kind="stable")] = np.arange(len(s))
        total += 1.0 / (k + 1 + ranks)
    return total
