"""Do the fusion weights hold on articles they were not tuned on? Two-fold cross-validation.

    .venv/bin/python benchmarks/crossval_fusion.py [--splits 3] [--limit N]

The dev articles are split in two at random; the weights of ``search.SearchParams``
(BM25 share, section heading, article title, title words named) are chosen on the
questions of one half and scored on the questions of the other, and the other way
round. Every question is still searched over the whole dev index, so the other
half's articles stay in as distractors.

Each question's candidates and the parts of their hybrid score are computed once
(``Scored.signals``); a weight setting then re-scores them with one matrix product.
Only the first result is scored (doc@1, ans@1): MMR never changes the first pick,
so these equal the product's own figures for the shipped weights.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from dataclasses import replace

import numpy as np

from common import DEV_CORPUS, DEV_QUESTIONS, EVAL_INDEX  # also puts the project on sys.path, offline
from retrieval.embedder import Embedder
from retrieval.evaluation import is_answer, load_questions, trigrams
from retrieval.search.searcher import SearchParams, Searcher
from retrieval.settings import Settings
from retrieval.store.snapshot import Snapshot

PARTS = tuple(SearchParams().weights())  # the names of Scored.signals
GRID = {  # the shipped value of each weight lies inside its range
    "lexical_weight": (0.0, 0.1, 0.2, 0.3, 0.4),
    "heading_weight": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
    "title_weight": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
    "title_match_weight": (0.0, 0.2, 0.4, 0.6, 0.8),
}


def candidate_table(snap: Snapshot, questions: list[dict], qvecs: np.ndarray):
    """Per question, per candidate: the score parts, and whether it is the gold article / an answer."""
    searcher = Searcher(snap, SearchParams())
    texts = {cid: row[3] for cid, row in snap.store.chunk_rows(snap.store.chunk_ids()).items()}  # passage text
    width = 0
    rows = []
    for q, v in zip(questions, qvecs):
        s = searcher.candidates(v, q["question"])
        parts = np.vstack([s.signals[k] for k in PARTS])
        gold = trigrams(q["answer"])
        is_doc = np.array([d == q["doc"] for d in s.docs()])
        is_ans = np.array([is_answer(texts[int(i)], gold) for i in s.ids])
        rows.append((parts, is_doc, is_ans))
        width = max(width, len(s.ids))
    n = len(rows)
    parts = np.zeros((len(PARTS), n, width), np.float32)
    pad = np.ones((n, width), bool)  # padding never wins
    doc = np.zeros((n, width), bool)
    ans = np.zeros((n, width), bool)
    for k, (p, d, a) in enumerate(rows):
        c = p.shape[1]
        parts[:, k, :c], pad[k, :c], doc[k, :c], ans[k, :c] = p, False, d, a
    return parts, pad, doc, ans


def weights_vector(w: dict) -> np.ndarray:
    """``w`` (SearchParams field -> value) as the weight of each part, in PARTS order."""
    weights = replace(SearchParams(), **w).weights()
    return np.array([weights[k] for k in PARTS], np.float32)


def top1(parts, pad, doc, ans, rows: np.ndarray, w: dict) -> tuple[float, float]:
    fused = np.tensordot(weights_vector(w), parts[:, rows, :], axes=1)
    fused[pad[rows]] = -np.inf
    best = fused.argmax(axis=1)
    pick = np.arange(len(rows))
    return float(doc[rows][pick, best].mean()), float(ans[rows][pick, best].mean())


def settings_grid() -> list[dict]:
    keys = list(GRID)
    return [dict(zip(keys, values)) for values in itertools.product(*GRID.values())]


def shipped() -> dict:
    p = SearchParams()
    return {k: getattr(p, k) for k in GRID}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", type=int, default=3, help="random article splits, each scored both ways")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    settings = Settings(corpus=DEV_CORPUS, index=EVAL_INDEX)
    snap = Snapshot.open(EVAL_INDEX, settings)
    questions = [q for q in load_questions(DEV_QUESTIONS, args.limit) if q.get("doc") and q.get("answer")]
    t0 = time.perf_counter()
    qvecs = Embedder(settings.model).encode([q["question"] for q in questions])
    table = candidate_table(snap, questions, qvecs)
    print(f"{len(questions)} questions: candidates and score parts in {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)
    grid = settings_grid()
    ship = shipped()
    everything = np.arange(len(questions))
    d1, a1 = top1(*table, everything, ship)
    print(f"shipped weights {json.dumps(ship)} on all questions: doc@1 {d1:.4f} ans@1 {a1:.4f}")
    print(f"{len(grid)} weight settings; chosen on one half by doc@1 + ans@1, scored on the other\n")
    print("| split | tuned on | chosen weights (BM25, heading, title, named) | chosen: doc@1 / ans@1 on the other half "
          "| shipped: doc@1 / ans@1 on the other half | best possible on the other half (doc@1 + ans@1) |")
    print("|---|---|---|---|---|---|")
    docs = sorted({q["doc"] for q in questions})
    for split in range(args.splits):
        rng = random.Random(split)
        half = set(rng.sample(docs, len(docs) // 2))
        in_a = np.array([q["doc"] in half for q in questions])
        for name, train, test in (("A", in_a, ~in_a), ("B", ~in_a, in_a)):
            tr, te = np.flatnonzero(train), np.flatnonzero(test)
            chosen = max(grid, key=lambda w: sum(top1(*table, tr, w)))
            cd, ca = top1(*table, te, chosen)
            sd, sa = top1(*table, te, ship)
            oracle = max(sum(top1(*table, te, w)) for w in grid)
            print(f"| {split} | {name} ({len(tr)} q) | {tuple(chosen.values())} | {cd:.4f} / {ca:.4f} "
                  f"| {sd:.4f} / {sa:.4f} | {oracle:.4f} |", flush=True)


if __name__ == "__main__":
    main()
