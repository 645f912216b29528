"""Urgent-care notices, measured: recall, false alarms, the soft line, real question sets, and cost.

    python benchmarks/urgent_eval.py                 # every number of EVALUATION.md "Urgent-care notices"
    python benchmarks/urgent_eval.py --show tune9    # each wrong call on one tuning split (TUNED)
    python benchmarks/urgent_eval.py --json out.json
    python benchmarks/urgent_eval.py --tune-only     # the tune splits, real sets and cost (no unseen half scored)
    python benchmarks/urgent_eval.py --model FILE    # another classifier file (urgent_train.py --out FILE), side by side
    python benchmarks/urgent_eval.py --served INDEX  # each message read as Engine.ask reads it (its focus's vector)

The labelled messages are the sets of ``LABELLED`` in tests/data, each written by another
writer and split in two: the first half tuned on (its misses read, ``--show``), the second
only scored; tests/data/urgent_holdout.jsonl is never tuned on. EVALUATION.md tells each
set's story. Only the tune splits (``TUNED``) may be read message by message;
the others are only scored. The real question sets are read from
../shared/eval/{consumer-dev,medquad-dev}/questions.jsonl when present (the first
1000 medquad questions); the report says so when they are missing.

Messages are encoded in one batch and the check is given those vectors, as the
engine gives it the vector its search computed: the cost measured is what the
check adds to a question.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.embedder import Embedder  # noqa: E402
from retrieval.search.urgent import CRISIS, EMERGENCY, INFO, UrgentCheck, UrgentParams, load_config  # noqa: E402
from retrieval.search.urgent_model import UrgentModel  # noqa: E402

DATA = ROOT / "tests" / "data"
MESSAGES, HOLDOUT = DATA / "urgent_messages.jsonl", DATA / "urgent_holdout.jsonl"
FRESH, THIRD = DATA / "urgent_fresh.jsonl", DATA / "urgent_third.jsonl"
SIXTH, SEVENTH = DATA / "urgent_sixth.jsonl", DATA / "urgent_seventh.jsonl"
EIGHTH, NINTH = DATA / "urgent_eighth.jsonl", DATA / "urgent_ninth.jsonl"
TENTH, ELEVENTH = DATA / "urgent_tenth.jsonl", DATA / "urgent_eleventh.jsonl"
TWELFTH, THIRTEENTH = DATA / "urgent_twelfth.jsonl", DATA / "urgent_thirteenth.jsonl"
FOURTEENTH, FIFTEENTH = DATA / "urgent_fourteenth.jsonl", DATA / "urgent_fifteenth.jsonl"
SIXTEENTH, SEVENTEENTH = DATA / "urgent_sixteenth.jsonl", DATA / "urgent_seventeenth.jsonl"
EIGHTEENTH, NINETEENTH = DATA / "urgent_eighteenth.jsonl", DATA / "urgent_nineteenth.jsonl"
TWENTIETH, TWENTYFIRST = DATA / "urgent_twentieth.jsonl", DATA / "urgent_twentyfirst.jsonl"
TWENTYSECOND, TWENTYTHIRD = DATA / "urgent_twentysecond.jsonl", DATA / "urgent_twentythird.jsonl"
TWENTYFOURTH, TWENTYFIFTH = DATA / "urgent_twentyfourth.jsonl", DATA / "urgent_twentyfifth.jsonl"
# Each labelled set with its two halves: the first tuned on (read), the second only scored.
LABELLED = ((MESSAGES, ("tune", "test")), (FRESH, ("tune2", "test2")), (THIRD, ("tune3", "test3")),
            (SIXTH, ("tune6", "test6")), (SEVENTH, ("tune7", "test7")), (EIGHTH, ("tune8", "test8")),
            (NINTH, ("tune9", "test9")), (TENTH, ("tune10", "test10")), (ELEVENTH, ("tune11", "test11")),
            (TWELFTH, ("tune12", "test12")), (THIRTEENTH, ("tune13", "test13")),
            (FOURTEENTH, ("tune14", "test14")),
            (FIFTEENTH, ("tune15", "test15")), (SIXTEENTH, ("tune16", "test16")),
            (SEVENTEENTH, ("tune17", "test17")), (EIGHTEENTH, ("tune18", "test18")),
            (NINETEENTH, ("tune19", "test19")), (TWENTIETH, ("tune20", "test20")),
            (TWENTYFIRST, ("tune21", "test21")),
            (TWENTYSECOND, ("tune22", "test22")), (TWENTYTHIRD, ("tune23", "test23")),
            (TWENTYFOURTH, ("tune24", "test24")), (TWENTYFIFTH, ("tune25", "test25")))
TUNED = tuple(names[0] for _, names in LABELLED)  # the only splits whose messages may be read (--show)
SHARED = ROOT.parent / "shared" / "eval"
REAL_SETS = {"consumer-dev": (SHARED / "consumer-dev" / "questions.jsonl", None),
             "medquad-dev (first 1000)": (SHARED / "medquad-dev" / "questions.jsonl", 1000)}
TARGET_RECALL, TARGET_FALSE = 0.95, 0.05


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


class Vectors:
    """Every text's vector, encoded in one batch up front; ``focus(text)``: the text encoded for it
    (``--served``: the message's focus, as ``Engine.ask`` gives the check the vector it searched by)."""

    def __init__(self, embedder: Embedder, texts: list[str], focus: Callable[[str], str] | None = None):
        unique = list(dict.fromkeys(texts))
        focused = [focus(t) for t in unique] if focus else unique
        self.table = dict(zip(unique, embedder.encode(focused)))

    def __call__(self, text: str):
        return self.table[text]


def own_left_out(check: UrgentCheck, path: Path) -> UrgentCheck:
    """The check whose neighbours' vote leaves out the messages of the set at ``path``: each
    writer is scored as a new writer would be, its own tune half no neighbour of its test half."""
    neighbours = check.neighbours()
    return check if neighbours is None else check.with_neighbours(neighbours.without(path.name))


def calls(check: UrgentCheck, rows: list[dict], vectors: Vectors) -> list:
    return [check.check(r["message"], vectors(r["message"]), r.get("history") or [], vectors) for r in rows]


def hit(label: str, urgent) -> bool:
    """The right notice: emergencies get the emergency (or crisis) notice, self-harm the crisis line."""
    level = urgent.level if urgent else None
    return level == CRISIS if label == "self-harm" else level in (EMERGENCY, CRISIS)


def score(rows: list[dict], results: list) -> dict:
    by = {lab: [(r, u) for r, u in zip(rows, results) if r["label"] == lab]
          for lab in ("emergency", "self-harm", "informational", "ordinary")}
    out = {}
    for lab in ("emergency", "self-harm"):
        out[f"{lab} recall"] = _rate([hit(lab, u) for _, u in by[lab]])
    ordinary = [u for _, u in by["ordinary"]]
    out["ordinary: any notice"] = _rate([u is not None for u in ordinary])
    out["ordinary: urgent notice"] = _rate([u is not None and u.level != INFO for u in ordinary])
    info = [u for _, u in by["informational"]]
    out["informational: soft line"] = _rate([u is not None and u.level == INFO for u in info])
    out["informational: urgent notice"] = _rate([u is not None and u.level != INFO for u in info])
    return out


def _rate(flags: list[bool]) -> dict:
    return {"n": len(flags), "k": sum(flags), "rate": round(sum(flags) / len(flags), 3) if flags else None}


def wrong(rows: list[dict], results: list) -> list[str]:
    lines = []
    for r, u in zip(rows, results):
        label, got = r["label"], (u.level, u.kind) if u else None
        ok = hit(label, u) if label in ("emergency", "self-harm") else (u is None or u.level == INFO)
        if not ok or (label == "informational" and u is None):
            lines.append(f"{r['id']} {label}/{r.get('kind')} -> {got} | {r.get('history') or ''} {r['message']}")
    return lines


def real_rates(check: UrgentCheck, embedder: Embedder, focus: Callable[[str], str] | None = None) -> dict:
    out = {}
    for name, (path, limit) in REAL_SETS.items():
        if not path.exists():
            out[name] = {"missing": str(path)}
            continue
        questions = [q["question"] for q in read_jsonl(path, limit)]
        vectors = Vectors(embedder, questions, focus)
        results = [check.check(q, vectors(q)) for q in questions]
        out[name] = {"n": len(questions),
                     "urgent": _rate([u is not None and u.level != INFO for u in results]),
                     "soft line": _rate([u is not None and u.level == INFO for u in results]),
                     "examples": [f"{u.level}/{u.kind}: {q}" for q, u in zip(questions, results)
                                  if u is not None and u.level != INFO][:8]}
    return out


def cost(check: UrgentCheck, rows: list[dict], vectors: Vectors, rounds: int = 5) -> dict:
    """Milliseconds the check adds per message (vector given, examples embedded, caches warm)."""
    calls(check, rows, vectors)  # warm: examples embedded, typo corrections cached
    times, cpu = [], []
    for _ in range(rounds):
        for r in rows:
            vector, history = vectors(r["message"]), r.get("history") or []
            t, c = time.perf_counter(), time.thread_time()
            check.check(r["message"], vector, history, vectors)
            cpu.append((time.thread_time() - c) * 1000)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    cpu.sort()
    # Wall clock counts the time other processes on the shared cores took; CPU time of this thread does not.
    return {"median_ms": round(statistics.median(times), 3), "p95_ms": round(times[int(0.95 * len(times))], 3),
            "max_ms": round(times[-1], 3), "cpu_median_ms": round(statistics.median(cpu), 3),
            "cpu_p95_ms": round(cpu[int(0.95 * len(cpu))], 3), "cpu_max_ms": round(cpu[-1], 3), "n": len(times)}


def first_use(embedder: Embedder) -> float:
    """Seconds to embed the examples and the neighbours, once per process (at server start)."""
    fresh = UrgentCheck(load_config(), embedder.encode)
    t = time.perf_counter()
    fresh.warm()
    return round(time.perf_counter() - t, 2)


def table(result: dict) -> str:
    rows = ["| set | emergency recall | self-harm recall | ordinary: false alarms (urgent) | "
            "ordinary: any notice incl. soft line | informational: soft line | informational: urgent notice |",
            "|---|---|---|---|---|---|---|"]
    for split, s in result["splits"].items():
        cells = [s["emergency recall"], s["self-harm recall"], s["ordinary: urgent notice"],
                 s["ordinary: any notice"], s["informational: soft line"], s["informational: urgent notice"]]
        name = f"{split} (tuned on)" if split in TUNED else f"**{split}**"
        rows.append(f"| {name} | " + " | ".join(f"{c['rate']:.3f} ({c['k']}/{c['n']})" if c["n"] else "–"
                                               for c in cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", choices=TUNED, help="print each wrong call on this tuning split")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--tune-only", action="store_true",
                    help="score only the tune splits (while developing: the unseen halves are scored once)")
    ap.add_argument("--model", type=Path, help="score this classifier file instead of the shipped one")
    ap.add_argument("--neighbours", type=int, metavar="K",
                    help="how many labelled neighbours vote on a call by meaning alone (0: none; side by side)")
    ap.add_argument("--served", type=Path, metavar="INDEX",
                    help="read each message by the vector of its focus, as Engine.ask does (query.py over INDEX)")
    args = ap.parse_args(argv)
    embedder, focus = Embedder(), None
    if args.served:
        from retrieval.engine import Engine
        from retrieval.settings import Settings
        analyzer = Engine(Settings(index=args.served, question_log=None), embedder=embedder).searcher().analyzer

        def focus(text: str) -> str:
            return analyzer.analyze(text).text
    params = UrgentParams() if args.neighbours is None else UrgentParams(neighbours=args.neighbours)
    check = UrgentCheck(load_config(), embedder.encode, params,
                        model=UrgentModel.load(args.model) if args.model else None)
    check.warm()
    splits, checks = {}, {}
    for path, names in LABELLED:
        rows = read_jsonl(path)
        splits.update({name: [r for r in rows if r["split"] == name] for name in names})
        checks.update(dict.fromkeys(names, own_left_out(check, path)))
    splits["holdout"] = read_jsonl(HOLDOUT)
    everything = [r for rows in splits.values() for r in rows]
    if args.tune_only:
        splits = {name: rows for name, rows in splits.items() if name in TUNED}
    vectors = Vectors(embedder, [t for r in everything for t in [r["message"], *(r.get("history") or [])]], focus)
    results = {name: calls(checks.get(name, check), rows, vectors) for name, rows in splits.items()}
    if args.show:
        print("\n".join(wrong(splits[args.show], results[args.show])))
        return 0
    result = {"splits": {n: score(splits[n], results[n]) for n in splits},
              "real": real_rates(check, embedder, focus),
              "cost": cost(check, everything, vectors), "first_use_s": first_use(embedder)}
    print(table(result))
    print(json.dumps({k: v for k, v in result.items() if k != "splits"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
