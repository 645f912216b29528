"""Multi-turn conversations: do follow-ups stay on topic, and is off-topic declined?

    .venv/bin/python benchmarks/conversation_eval.py --medquad-index .work/idx-medquad

Two hand-written sets (106 turns; README of the set in tests/data and benchmarks/data):
``tests/data/conversations_seed.jsonl`` over the two seed articles in ``corpus/``
(indexed into ``.bench/conv-seed`` on first use) and
``benchmarks/data/conversations_medquad.jsonl`` over medquad-dev (a built index,
used as is). Each turn is asked with its earlier user turns as history.

Per kind of turn (first, pronoun, elliptical, standalone, offtopic):
* ``gold@3``: an on-topic turn has one of its gold phrases in the first three passages;
* ``doc@1``: the first passage is from the turn's article;
* ``false_decline``: an on-topic turn the product declined (said the articles do not cover it);
* ``decline``: for off-topic turns, the share declined (higher is better).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import ROOT, DEV_CORPUS  # also puts the project on sys.path, offline
from retrieval.engine import Engine
from retrieval.evaluation import load_questions
from retrieval.settings import Settings

SEED = ROOT / "tests" / "data" / "conversations_seed.jsonl"
MEDQUAD = ROOT / "benchmarks" / "data" / "conversations_medquad.jsonl"


def score_turn(turn: dict, reply) -> dict:
    on_topic = turn.get("doc") is not None
    top3 = " ".join(h.text for h in reply.hits[:3]).lower()
    return {"id": turn["id"], "kind": turn["kind"], "on_topic": on_topic, "declined": reply.abstained,
            "gold3": on_topic and not reply.abstained and any(g.lower() in top3 for g in turn["gold"]),
            "doc1": on_topic and bool(reply.hits) and reply.hits[0].doc == turn["doc"],
            "followup": reply.followup, "query": reply.query}


def run(engine: Engine, turns: list[dict]) -> list[dict]:
    return [score_turn(t, engine.ask(t["question"], history=t.get("history") or [], top_k=5)) for t in turns]


def summary(rows: list[dict]) -> dict:
    on = [r for r in rows if r["on_topic"]]
    off = [r for r in rows if not r["on_topic"]]
    share = lambda xs, key: round(sum(x[key] for x in xs) / len(xs), 4) if xs else None
    out = {"turns": len(rows), "on_topic": len(on), "off_topic": len(off),
           "gold@3": share(on, "gold3"), "doc@1": share(on, "doc1"),
           "false_decline": share(on, "declined"), "offtopic_decline": share(off, "declined")}
    for kind in sorted({r["kind"] for r in on}):
        part = [r for r in on if r["kind"] == kind]
        out[kind] = {"n": len(part), "gold@3": share(part, "gold3"), "false_decline": share(part, "declined")}
    return out


def seed_engine() -> Engine:
    settings = Settings(corpus=ROOT / "corpus", index=ROOT / ".bench" / "conv-seed")
    engine = Engine(settings)
    engine.index()
    return engine


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--medquad-index", type=Path, required=True, help="a built medquad-dev index (used as is)")
    ap.add_argument("--misses", action="store_true", help="list the on-topic turns missed")
    args = ap.parse_args()
    engines = {"seed": (seed_engine(), SEED),
               "medquad": (Engine(Settings(corpus=DEV_CORPUS, index=args.medquad_index)), MEDQUAD)}
    everything = []
    report = {}
    for name, (engine, path) in engines.items():
        rows = run(engine, load_questions(path))
        everything += rows
        report[name] = summary(rows)
        if args.misses:
            for r in rows:
                if (r["on_topic"] and not r["gold3"]) or (not r["on_topic"] and not r["declined"]):
                    print(name, json.dumps(r))
    report["all"] = summary(everything)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
