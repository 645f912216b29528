"""Calibrate the abstention threshold: confidence of covered vs. uncovered questions.

    python benchmarks/calibrate_abstention.py

Covered: dev questions over the dev corpus, seed questions over the seed corpus.
Not covered: generic off-topic questions (benchmarks/data/offtopic.jsonl) over both
corpora, the seed set's off-topic questions, and dev questions over the two IT-band
seed articles (which do not cover leukaemia or genetic disorders). Prints the
confidence distribution and, per threshold, false abstention and false answer rates.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from retrieval.search.abstention import AbstainParams  # noqa: E402
from retrieval.engine import Engine  # noqa: E402
from retrieval.evaluation import load_questions  # noqa: E402
from retrieval.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"


def confidences(engine: Engine, questions: list[dict]) -> np.ndarray:
    return np.array([engine.ask(q["question"], history=q.get("history") or []).confidence for q in questions])


def main() -> None:
    random.seed(7)
    dev = load_questions(SHARED / "medquad-dev" / "questions.jsonl")
    dev = random.sample(dev, 600)
    off = load_questions(ROOT / "benchmarks" / "data" / "offtopic.jsonl")
    seed = load_questions(SHARED / "seed_questions.jsonl")
    dev_engine = Engine(Settings(corpus=SHARED / "medquad-dev" / "corpus", index=ROOT / ".eval-index"))
    seed_engine = Engine(Settings(corpus=ROOT / "corpus", index=ROOT / "index"), embedder=dev_engine.embedder)
    seed_engine.index()
    pos = np.concatenate([confidences(dev_engine, dev),
                          confidences(seed_engine, [q for q in seed if not q.get("abstain")])])
    neg = np.concatenate([confidences(dev_engine, off), confidences(seed_engine, off),
                          confidences(seed_engine, [q for q in seed if q.get("abstain")]),
                          confidences(seed_engine, dev[:200])])
    print(f"covered: n={len(pos)} min={pos.min():.3f} p1={np.percentile(pos, 1):.3f} p5={np.percentile(pos, 5):.3f} median={np.median(pos):.3f}")
    print(f"not covered: n={len(neg)} max={neg.max():.3f} p99={np.percentile(neg, 99):.3f} p95={np.percentile(neg, 95):.3f} median={np.median(neg):.3f}")
    print("threshold  false_abstention  false_answer")
    for t in np.arange(0.20, 0.50, 0.02):
        print(f"{t:9.2f}  {np.mean(pos < t):16.4f}  {np.mean(neg >= t):12.4f}")
    print(f"current threshold {AbstainParams().threshold}")


if __name__ == "__main__":
    main()
