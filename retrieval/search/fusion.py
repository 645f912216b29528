"""Score fusion of dense and lexical retrieval, chosen by measurement.

The first 1,500 dev questions, the 14,832 v2 passages, every row from one command
(2026-12-01; each row gives all its weights, MMR off):

    .venv/bin/python benchmarks/tune_fusion.py ../shared/eval/medquad-dev/questions.jsonl \
        --index .eval-index --corpus ../shared/eval/medquad-dev/corpus --limit 1500

    passage ranking                              ans@1   doc@1
    dense only                                   0.684   0.930
    BM25 only                                    0.427   0.898
    reciprocal-rank fusion                       0.626   0.945   worse than dense at rank 1
    convex, BM25 weight 0.1 / 0.2 / 0.3          0.709 / 0.717 / 0.722
    + section-heading similarity 0.3             0.848   0.943   (BM25 0.2)
    + article-title similarity 0.3               0.852   0.950
    + title words named in question 0.2/0.4/0.6  0.857 / 0.860 / 0.860   0.962 / 0.965 / 0.965
    shipped weights with BM25 0.3 / 0.4          0.855 / 0.841   0.963 / 0.962
    shipped (SearchParams())                     0.860   0.965

BM25 is scaled by the query's IDF sum in every row. (Earlier tables here were measured on
all 6,158 questions with older defaults and chunker; the full set's figures for the shipped
weights are in EVALUATION.md.)

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
