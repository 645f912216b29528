"""Score the product, dense-only and BM25-only in one run, on a graded set (consumer-dev)
or on a templated set with gold answers (medquad-dev).

    .venv/bin/python benchmarks/consumer_eval.py consumer --index .work/idx-consumer
    .venv/bin/python benchmarks/consumer_eval.py medquad --index .work/idx-medquad

``consumer``: the 278 real consumer questions of ``../shared/eval/consumer-dev``,
scored with that set's own ``score_graded.py`` (P@1, MRR@10, nDCG@10 over the
first ten distinct articles), overall and split into short questions and long
messages (more than ``--long-words`` words). ``medquad``: doc@1, ans@1, ans@5 with
``retrieval.evaluation.Scores``. The index is used as is (never rebuilt): copy a
built one first. Latency is the mean warm wall time per question of each system,
and for the product, short against long. ``--out DIR`` keeps each system's
``search --batch``-style results (JSONL) for the set's scorer. ``--latency N`` only
times the product against dense-only, in turns, on N short questions and N long messages.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
from pathlib import Path

from common import ROOT  # also puts the project on sys.path, offline
from retrieval.engine import Engine
from retrieval.evaluation import Scores, load_questions
from retrieval.search.searcher import Searcher
from retrieval.settings import Settings

EVAL = ROOT.parent / "shared" / "eval"
SETS = {"consumer": EVAL / "consumer-dev", "medquad": EVAL / "medquad-dev"}
SYSTEMS = ("product", "dense", "lexical")


def graded_scorer():
    """The consumer set's own scorer (``score_graded.score(questions, results)``)."""
    spec = importlib.util.spec_from_file_location("score_graded", EVAL / "score_graded.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def run_system(engine: Engine, name: str, questions: list[dict], top_k: int) -> list[tuple[dict, float]]:
    """Each question's result record (as ``search --batch`` writes it) and its wall time."""
    out = []
    searcher = engine.searcher()
    if name != "product":
        searcher = Searcher(searcher.snap, searcher.params.baseline(name))
    for q in questions:
        t0 = time.perf_counter()
        if name == "product":
            record = engine.ask(q["question"], history=q.get("history") or [], top_k=top_k).to_json(q["id"])
        else:
            hits = searcher.search(engine.embedder.encode_query(q["question"]), q["question"], top_k)
            record = {"id": q["id"], "abstained": False, "hits": [h.to_json() for h in hits]}
        out.append((record, time.perf_counter() - t0))
    return out


def is_long(q: dict, words: int) -> bool:
    return len(q["question"].split()) > words


def graded(questions: list[dict], results: list[tuple[dict, float]], folder: Path, name: str,
           long_words: int) -> dict:
    score = graded_scorer()
    row = {}
    for part, keep in (("all", lambda q: True), ("short", lambda q: not is_long(q, long_words)),
                       ("long", lambda q: is_long(q, long_words))):
        ids = {q["id"] for q in questions if keep(q)}
        qfile, rfile = folder / f"{name}-{part}.questions.jsonl", folder / f"{name}-{part}.jsonl"
        qfile.write_text("".join(json.dumps(q) + "\n" for q in questions if q["id"] in ids))
        rfile.write_text("".join(json.dumps(r) + "\n" for r, _ in results if r["id"] in ids))
        row[part] = score(qfile, rfile)
    row["latency_ms"] = _latency(questions, results, long_words)
    return row


def templated(questions: list[dict], results: list[tuple[dict, float]], long_words: int) -> dict:
    scores = Scores()
    for q, (r, dt) in zip(questions, results):
        scores.add(q, [(h["doc"], h["text"]) for h in r["hits"]], r.get("abstained", False), dt, r.get("answer"))
    return {"all": scores.summary(), "latency_ms": _latency(questions, results, long_words)}


def _latency(questions: list[dict], results: list[tuple[dict, float]], long_words: int) -> dict:
    mean = lambda xs: round(1000 * statistics.mean(xs), 2) if xs else None
    return {"all": mean([dt for _, dt in results]),
            "short": mean([dt for q, (_, dt) in zip(questions, results) if not is_long(q, long_words)]),
            "long": mean([dt for q, (_, dt) in zip(questions, results) if is_long(q, long_words)])}


def interleaved_latency(engine: Engine, questions: list[dict], n: int, long_words: int) -> dict:
    """Median warm latency of the product and of dense-only, timed in turns on the same
    questions (so machine load hits both alike), for short questions and long messages."""
    dense = Searcher(engine.searcher().snap, engine.params.baseline("dense"))
    out = {}
    for part, keep in (("short", False), ("long", True)):
        qs = [q for q in questions if is_long(q, long_words) == keep][:n]
        times: dict[str, list[float]] = {"product": [], "dense": []}
        for q in qs:
            t0 = time.perf_counter()
            engine.ask(q["question"], top_k=10)
            t1 = time.perf_counter()
            dense.search(engine.embedder.encode_query(q["question"]), q["question"], 10)
            times["product"].append(t1 - t0)
            times["dense"].append(time.perf_counter() - t1)
        out[part] = {k: round(1000 * statistics.median(v), 2) for k, v in times.items() if v}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", choices=sorted(SETS))
    ap.add_argument("--index", type=Path, required=True, help="a built index of the set's corpus (used as is)")
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--long-words", type=int, default=25, help="a message longer than this is a long one")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--latency", type=int, default=0, help="only time product vs dense-only on N short and N long")
    ap.add_argument("--out", type=Path, default=ROOT / ".bench" / "consumer_eval")
    args = ap.parse_args()
    folder = SETS[args.set]
    questions = load_questions(folder / "questions.jsonl", args.limit)
    if args.set == "medquad":
        questions = [q for q in questions if q.get("doc") and q.get("answer")]
    engine = Engine(Settings(corpus=folder / "corpus", index=args.index))
    engine.ask("warm up", top_k=args.top_k)
    if args.latency:
        print(json.dumps(interleaved_latency(engine, questions, args.latency, args.long_words)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    report = {}
    for name in args.systems.split(","):
        results = run_system(engine, name, questions, args.top_k)
        report[name] = (graded(questions, results, args.out, f"{args.set}-{name}", args.long_words)
                        if args.set == "consumer" else templated(questions, results, args.long_words))
        print(name, json.dumps(report[name]), flush=True)
    long_n = sum(is_long(q, args.long_words) for q in questions)
    print(json.dumps({"set": args.set, "questions": len(questions), "long": long_n, "systems": report}, indent=1))


if __name__ == "__main__":
    main()
