"""Messy input: the same questions typed as a long message, or with a typo, searched with
query analysis (``search/query.py``) on and off.

    .venv/bin/python benchmarks/messy_eval.py medquad --index .work/idx-medquad --limit 800
    .venv/bin/python benchmarks/messy_eval.py consumer --index .work/idx-consumer

Each short question (at most 25 words) is asked three ways:
* ``clean``: as written;
* ``long``: wrapped in a greeting, two sentences of back-story and a thank-you
  (sentences chosen by the question's position from fixed lists, the same for every set);
* ``typo``: its longest word with two neighbouring letters swapped (a word of 6+ letters);
* ``abbrev``: a phrase the corpus defines a short form for ("chronic obstructive pulmonary
  disease (COPD)") replaced by that short form, where the question has one.
Scored like ``consumer_eval.py`` (consumer: P@1, nDCG@10 with the set's scorer; medquad:
doc@1, ans@1, ans@5), with mean latency per question.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

from common import ROOT  # also puts the project on sys.path, offline
from consumer_eval import SETS, graded_scorer
from retrieval.engine import Engine
from retrieval.evaluation import Scores, load_questions
from retrieval.search.query import QueryParams
from retrieval.search.searcher import SearchParams
from retrieval.settings import Settings

GREETINGS = ["hi there, i hope you are well.", "hello doctor,", "dear sir or madam.", "hey, quick question."]
STORIES = [
    "my sister told me to write to you because i have been reading a lot online and i am confused.",
    "i am 45 and otherwise healthy, i work long hours at a desk and walk the dog every evening.",
    "last month we moved house and things have been very stressful for the whole family.",
    "my doctor is on holiday until next month and i could not get another appointment.",
    "i have looked at several websites already but they all say different things.",
]
THANKS = ["thanks so much in advance for your time.", "thank you.", "many thanks, kind regards", "thanks a lot!"]


def long_message(question: str, n: int) -> str:
    story = f"{STORIES[n % len(STORIES)]} {STORIES[(n + 2) % len(STORIES)]}"
    return f"{GREETINGS[n % len(GREETINGS)]} {story} {question} {THANKS[n % len(THANKS)]}"


def typo(question: str) -> str | None:
    words = question.split()
    longest = max(range(len(words)), key=lambda k: len(words[k].strip("?.,!")))
    w = words[longest].strip("?.,!")
    if len(w) < 6:
        return None
    mid = len(w) // 2
    words[longest] = words[longest].replace(w, w[:mid - 1] + w[mid] + w[mid - 1] + w[mid + 1:])
    return " ".join(words)


def abbreviate(question: str, forms: dict[str, str]) -> str | None:
    """The question with the longest long form the corpus defines replaced by its short form."""
    low = question.lower()
    found = [(len(long), short, long) for short, long in forms.items() if len(long.split()) >= 2 and long in low]
    if not found:
        return None
    _, short, long = max(found)
    at = low.index(long)
    return question[:at] + short.upper() + question[at + len(long):]


def variants(questions: list[dict], forms: dict[str, str]) -> dict[str, list[dict]]:
    short = [q for q in questions if len(q["question"].split()) <= 25]
    typos = [(q, typo(q["question"])) for q in short]
    abbreviated = [(q, abbreviate(q["question"], forms)) for q in short]
    return {"clean": short,
            "long": [{**q, "question": long_message(q["question"], n)} for n, q in enumerate(short)],
            "typo": [{**q, "question": t} for q, t in typos if t],
            "abbrev": [{**q, "question": a} for q, a in abbreviated if a]}


def score(which: str, engine: Engine, questions: list[dict], out: Path) -> dict:
    records, times = [], []
    for q in questions:
        t0 = time.perf_counter()
        records.append(engine.ask(q["question"], top_k=10).to_json(q["id"]))
        times.append(time.perf_counter() - t0)
    latency = round(1000 * statistics.mean(times), 2)
    if which == "consumer":
        qfile, rfile = out / "q.jsonl", out / "r.jsonl"
        qfile.write_text("".join(json.dumps(q) + "\n" for q in questions))
        rfile.write_text("".join(json.dumps(r) + "\n" for r in records))
        s = graded_scorer()(qfile, rfile)
        return {"n": s["n"], "P@1": s["P@1"], "nDCG@10": s["nDCG@10"], "latency_ms": latency}
    scores = Scores()
    for q, r in zip(questions, records):
        scores.add(q, [(h["doc"], h["text"]) for h in r["hits"]], r["abstained"], 0.0, r["answer"])
    s = scores.summary()
    return {"n": s["n"], "doc@1": s["doc@1"], "ans@1": s["ans@1"], "ans@5": s["ans@5"], "latency_ms": latency}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set", choices=sorted(SETS))
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="questions spread evenly over the set (0: all)")
    ap.add_argument("--kinds", default="clean,long,typo")
    ap.add_argument("--out", type=Path, default=ROOT / ".bench" / "messy_eval")
    args = ap.parse_args()
    folder = SETS[args.set]
    questions = [q for q in load_questions(folder / "questions.jsonl") if args.set == "consumer" or q.get("answer")]
    if args.limit:
        questions = questions[::max(1, len(questions) // args.limit)][:args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    settings = Settings(corpus=folder / "corpus", index=args.index)
    off = replace(SearchParams(), query=QueryParams(focus=False, spelling=False, abbreviations=False))
    engines = {"analysis on": Engine(settings), "analysis off": Engine(settings, params=off)}
    engines["analysis off"].embedder = engines["analysis on"].embedder  # one model
    report = {}
    forms = engines["analysis on"].searcher().analyzer.lists()[1].forms
    for kind, qs in variants(questions, forms).items():
        if kind not in args.kinds.split(","):
            continue
        for name, engine in engines.items():
            engine.ask("warm up")
            report[f"{kind} / {name}"] = score(args.set, engine, qs, args.out)
            print(kind, name, json.dumps(report[f"{kind} / {name}"]), flush=True)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
