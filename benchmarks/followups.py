"""Measure follow-up handling on conversations built from the development set.

    python benchmarks/followups.py [--n 400]

For an article with two questions q1, q2 whose text names the article's title,
a *follow-up* replaces the title in q2 with "it" and asks it after q1. It is scored
three ways: with the conversation (the product), without it (what a system
without follow-up handling does), and the original q2 alone (the ceiling).
A *standalone* check asks the original q2 after a question about another article:
its results must match asking q2 alone (not dragged to the previous topic).
The title substitution builds test data only; the product has no such rule.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from retrieval.engine import Engine  # noqa: E402
from retrieval.evaluation import Scores, load_questions  # noqa: E402
from retrieval.settings import Settings  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "medquad-dev"


def conversations(questions: list[dict], titles: dict[str, str], n: int, rng: random.Random):
    by_doc: dict[str, list[dict]] = {}
    for q in questions:
        by_doc.setdefault(q["doc"], []).append(q)
    docs = [d for d, qs in by_doc.items() if len(qs) >= 2]
    out = []
    for doc in rng.sample(docs, min(n, len(docs))):
        q1, q2 = rng.sample(by_doc[doc], 2)
        pattern = re.compile(re.escape(titles[doc]), re.I)
        if not pattern.search(q2["question"]):
            continue
        other = by_doc[rng.choice([d for d in docs if d != doc])][0]
        out.append({"q1": q1, "q2": q2, "pronoun": pattern.sub("it", q2["question"]), "other": other})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--index", type=Path, default=ROOT / ".eval-index")
    args = ap.parse_args()
    engine = Engine(Settings(corpus=DEV / "corpus", index=args.index))
    engine.index()
    titles = {doc: title for doc, title, _ in engine.searcher().snap.store.article_titles()}
    convs = conversations(load_questions(DEV / "questions.jsonl"), titles, args.n, random.Random(3))
    runs = {name: Scores() for name in ("follow-up, in conversation", "follow-up, no history",
                                        "original question alone", "standalone after another topic")}
    detected = same = 0
    abstained = {"follow-up, in conversation": 0, "original question alone": 0}
    confidences = []
    for c in convs:
        q2 = c["q2"]
        with_ctx = engine.ask(c["pronoun"], history=[c["q1"]["question"]])
        detected += with_ctx.followup
        abstained["follow-up, in conversation"] += with_ctx.abstained
        confidences.append(with_ctx.confidence)
        runs["follow-up, in conversation"].add(q2, _hits(with_ctx))
        runs["follow-up, no history"].add(q2, _hits(engine.ask(c["pronoun"])))
        alone = engine.ask(q2["question"])
        abstained["original question alone"] += alone.abstained
        runs["original question alone"].add(q2, _hits(alone))
        after = engine.ask(q2["question"], history=[c["other"]["question"]])
        runs["standalone after another topic"].add(q2, _hits(after))
        same += [h.chunk_id for h in after.hits] == [h.chunk_id for h in alone.hits]
    print(f"{len(convs)} conversations; follow-ups detected: {detected / len(convs):.3f}; "
          f"standalone results unchanged by unrelated history: {same / len(convs):.3f}")
    for name, s in runs.items():
        print(name, json.dumps({k: v for k, v in s.summary().items() if k != "latency_ms"}))
    for name, n in abstained.items():  # every one of these is covered: an abstention is a false one
        print(f"false abstention, {name}: {n / len(convs):.4f}")
    confidences.sort()
    print("follow-up confidence: min {:.3f} p1 {:.3f} p5 {:.3f} median {:.3f}".format(
        confidences[0], confidences[len(confidences) // 100], confidences[len(confidences) // 20],
        confidences[len(confidences) // 2]))


def _hits(reply):
    return [(h.doc, h.text) for h in reply.hits]


if __name__ == "__main__":
    main()
