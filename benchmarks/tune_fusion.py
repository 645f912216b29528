"""Compare fusion settings on a question set with one batch of query vectors.

    python benchmarks/tune_fusion.py ../shared/eval/medquad-dev/questions.jsonl \
        --index .eval-index --corpus ../shared/eval/medquad-dev/corpus

Query vectors are encoded once; each configuration re-ranks the same candidates.
Every row of the table in retrieval/search/fusion.py comes from this one command.
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

OFF = dict(heading_weight=0.0, title_weight=0.0, title_match_weight=0.0, mmr_lambda=1.0, skip_neighbours=True)


def params(**changes) -> SearchParams:
    """Every weight given: a row measures what it names, whatever the defaults become."""
    return SearchParams(**{**OFF, **changes})


# The rows of the table in retrieval/search/fusion.py, in its order.
CONFIGS = {
    "dense only": params(mode="dense"),
    "BM25 only": params(mode="lexical"),
    "reciprocal-rank fusion": params(mode="rrf"),
    **{f"convex, BM25 weight {w}": params(lexical_weight=w) for w in (0.1, 0.2, 0.3)},
    "+ section-heading similarity 0.3": params(lexical_weight=0.2, heading_weight=0.3),
    "+ article-title similarity 0.3": params(lexical_weight=0.2, heading_weight=0.3, title_weight=0.3),
    **{f"+ title words named in question {m}": params(lexical_weight=0.2, heading_weight=0.3, title_weight=0.3,
                                                      title_match_weight=m) for m in (0.2, 0.4, 0.6)},
    **{f"shipped weights, BM25 weight {w}": params(lexical_weight=w, heading_weight=0.3, title_weight=0.3,
                                                   title_match_weight=0.4) for w in (0.3, 0.4)},
    "shipped (SearchParams())": SearchParams(mmr_lambda=1.0),
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
