"""Compare fusion settings on a question set with one batch of query vectors.

    python benchmarks/tune_fusion.py ../shared/eval/medquad-dev/questions.jsonl \
        --index .eval-index --corpus ../shared/eval/medquad-dev/corpus

Query vectors are encoded once; each configuration re-ranks the same candidates.
The numbers decide the defaults in retrieval/search.py and retrieval/fusion.py.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from retrieval.embedder import Embedder  # noqa: E402
from retrieval.evaluation import Scores, load_questions  # noqa: E402
from retrieval.search.searcher import SearchParams, Searcher  # noqa: E402
from retrieval.settings import Settings  # noqa: E402
from retrieval.store.snapshot import Snapshot  # noqa: E402

CONFIGS = {
    "dense": SearchParams(mode="dense", mmr_lambda=1.0),
    "lexical": SearchParams(mode="lexical", mmr_lambda=1.0),
    "rrf": SearchParams(mode="rrf", mmr_lambda=1.0),
    **{f"convex w={w}": SearchParams(lexical_weight=w, mmr_lambda=1.0) for w in (0.1, 0.2, 0.3)},
    "w=0.2 h=0.3": SearchParams(lexical_weight=0.2, heading_weight=0.3, mmr_lambda=1.0),
    "w=0.2 h=0.3 t=0.3": SearchParams(lexical_weight=0.2, heading_weight=0.3, title_weight=0.3, mmr_lambda=1.0),
    **{f"w=0.2 h=0.3 t=0.3 m={m}": SearchParams(lexical_weight=0.2, heading_weight=0.3, title_weight=0.3,
                                               title_match_weight=m, mmr_lambda=1.0) for m in (0.1, 0.2, 0.4, 0.6, 0.8)},
    **{f"bound w={w} h=0.3 t=0.3 m=0.4": SearchParams(lexical_weight=w, lexical_scale="bound", heading_weight=0.3,
                                                      title_weight=0.3, title_match_weight=0.4, mmr_lambda=1.0)
       for w in (0.2, 0.3, 0.4, 0.5)},
    **{f"w=0.2 h=0.3 t=0.3 m=0.2 mmr={x}": SearchParams(lexical_weight=0.2, heading_weight=0.3, title_weight=0.3,
                                                       title_match_weight=0.2, mmr_lambda=x) for x in (0.9, 0.8)},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--index", type=Path, default=Path(".eval-index"))
    ap.add_argument("--corpus", type=Path, default=Path("corpus"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    settings = Settings(corpus=args.corpus, index=args.index)
    snap = Snapshot.open(args.index, settings)
    questions = [q for q in load_questions(args.questions, args.limit) if q.get("doc")]
    embedder = Embedder(settings.model)
    t0 = time.perf_counter()
    qvecs = embedder.encode([q["question"] for q in questions])
    print(f"encoded {len(questions)} questions in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    results = {}
    for name, params in CONFIGS.items():
        if args.only and name not in args.only:
            continue
        searcher = Searcher(snap, params)
        scores = Scores()
        t0 = time.perf_counter()
        for q, v in zip(questions, qvecs):
            hits = searcher.search(v, q["question"], 10)
            scores.add(q, [(h.doc, h.text) for h in hits])
        results[name] = {**scores.summary(), "search_ms": round(1000 * (time.perf_counter() - t0) / len(questions), 2)}
        print(name, json.dumps(results[name]), flush=True)


if __name__ == "__main__":
    main()
