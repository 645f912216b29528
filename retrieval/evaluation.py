"""``python -m retrieval eval``: score a question set, side by side with baselines.

Metrics follow ``../shared/eval/score.py``: doc@1, doc@5, mrr@10 at article level;
ans@1 and ans@5 count a hit as the answer when at least half of its word
trigrams lie in the gold answer. Where a set has them, abstention precision and
recall (``abstain: true``) and the top-3 gold-phrase hit rate (``gold``) too.
Latency is the mean wall time of one question, warm, through the full pipeline.
``answer_in_gold``: share of answered questions whose extractive answer has at
least half of its word trigrams in the gold answer.
"""
from __future__ import annotations

import json
import re
import statistics
import time
from pathlib import Path

from .search.baseline import build_naive
from .engine import Engine
from .errors import BadQuestion
from .search.searcher import Searcher
from .settings import Settings


def trigrams(text: str) -> set[tuple[str, ...]]:
    w = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}


def is_answer(hit_text: str, gold: set) -> bool:
    t = trigrams(hit_text)
    return bool(t) and len(t & gold) / len(t) >= 0.5


def doc_ceiling(questions: list[dict], fold_case: bool = False) -> tuple[float | None, int]:
    """The best doc@1 any system can reach on this set, and how many questions limit it.

    When one question text has several gold articles (the same question asked of two
    articles), a system returns one ranking for it, so at most the most frequent of
    those articles can be first. With ``fold_case``, texts that differ only in letter
    case count as one: the ceiling of a system that cannot see case, such as one built
    on an uncased model (the default MiniLM lower-cases its input, and so does BM25).
    """
    groups: dict[str, list[str]] = {}
    for q in questions:
        if q.get("doc") and q.get("answer"):
            text = _normalise(q["question"])
            groups.setdefault(text.lower() if fold_case else text, []).append(q["doc"])
    n = sum(len(g) for g in groups.values())
    if not n:
        return None, 0
    best = sum(max(g.count(d) for d in set(g)) for g in groups.values())
    shared = sum(len(g) for g in groups.values() if len(set(g)) > 1)
    return round(best / n, 4), shared


def _normalise(question: str) -> str:
    return " ".join(question.split())


def load_questions(path: Path, limit: int = 0) -> list[dict]:
    """The question set's JSON objects; ``BadQuestion`` names the first line that is not one."""
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError) as err:
        raise BadQuestion(f"Cannot read question file {path} ({err}); give a UTF-8 JSONL file.") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            items.append(_question_item(line, number, path))
    return items[:limit] if limit else items


def _question_item(line: str, number: int, path: Path) -> dict:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError):
        item = None
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise BadQuestion(f"{path} line {number} is not a JSON object with a string question; fix or remove it.")
    return item


class Scores:
    """Accumulates one system's metrics over the questions."""

    def __init__(self):
        self.n = self.d1 = self.d5 = self.mrr = self.a1 = self.a5 = 0.0
        self.n_gold = self.gold3 = 0
        self.abstain_tp = self.abstain_fp = self.abstain_fn = 0
        self.latencies: list[float] = []
        self.n_answers = self.answer_in_gold = 0

    def add(self, q: dict, hits: list[tuple[str, str]], abstained: bool = False, seconds: float = 0.0,
            answer: str | None = None) -> None:
        self.latencies.append(seconds)
        if answer is not None and q.get("answer") and not abstained:
            self.n_answers += 1
            self.answer_in_gold += is_answer(re.sub(r"\[\d+\]", " ", answer), trigrams(q["answer"]))
        if "abstain" in q or "gold" in q:
            self._add_seed(q, hits, abstained)
        if q.get("doc") and q.get("answer"):
            self._add_ranked(q, hits)

    def _add_ranked(self, q, hits) -> None:
        self.n += 1
        docs = list(dict.fromkeys(d for d, _ in hits))
        g = q["doc"]
        self.d1 += docs[:1] == [g]
        self.d5 += g in docs[:5]
        self.mrr += 1 / (docs.index(g) + 1) if g in docs[:10] else 0
        gold = trigrams(q["answer"])
        ok = [is_answer(t, gold) for _, t in hits[:5]]
        self.a1 += ok[:1] == [True]
        self.a5 += any(ok)

    def _add_seed(self, q, hits, abstained) -> None:
        should = bool(q.get("abstain"))
        self.abstain_tp += should and abstained
        self.abstain_fp += (not should) and abstained
        self.abstain_fn += should and not abstained
        if q.get("gold"):
            self.n_gold += 1
            top3 = " ".join(t for _, t in hits[:3]).lower()
            self.gold3 += any(g.lower() in top3 for g in q["gold"]) and not abstained

    def summary(self) -> dict:
        f = lambda x: round(x / self.n, 4) if self.n else None
        out = {"n": self.n, "doc@1": f(self.d1), "doc@5": f(self.d5), "mrr@10": f(self.mrr),
               "ans@1": f(self.a1), "ans@5": f(self.a5),
               "latency_ms": round(1000 * statistics.mean(self.latencies), 2) if self.latencies else None}
        if self.abstain_tp + self.abstain_fp + self.abstain_fn:
            out["abstain_precision"] = round(self.abstain_tp / max(1, self.abstain_tp + self.abstain_fp), 4)
            out["abstain_recall"] = round(self.abstain_tp / max(1, self.abstain_tp + self.abstain_fn), 4)
        if self.n_gold:
            out["gold@3"] = round(self.gold3 / self.n_gold, 4)
        if self.n_answers:
            out["answer_in_gold"] = round(self.answer_in_gold / self.n_answers, 4)
        return out


def run_eval(settings: Settings, questions_path: Path, top_k: int = 10, baselines: bool = True,
             limit: int = 0, engine: Engine | None = None) -> dict:
    engine = engine or Engine(settings)
    report = engine.index()
    questions = load_questions(questions_path, limit)
    systems = {"hybrid (this product)": _run_product(engine, questions, top_k)}
    searcher = engine.searcher()
    systems["dense only, same index"] = _run_mode(engine, searcher, questions, top_k, "dense")
    if baselines:
        systems["BM25 only, same passages"] = _run_mode(engine, searcher, questions, top_k, "lexical")
        systems["naive: 180-word windows, dense"] = _run_naive(engine, questions, top_k)
    table = _table(systems, report.articles, report.chunks, len(questions))
    ceiling, shared = doc_ceiling(questions)
    folded, shared_folded = doc_ceiling(questions, fold_case=True)
    if shared:
        table += (f"\n\ndoc@1 ceiling: {ceiling} ({shared} questions share their exact text with a question "
                  "whose gold is another article; one ranking cannot put both first)")
    if shared_folded > shared:
        table += (f"\ndoc@1 ceiling without letter case: {folded} ({shared_folded} questions share their text "
                  "up to letter case, which an uncased model and BM25 cannot see)")
    return {"systems": {k: v.summary() for k, v in systems.items()}, "table": table,
            "articles": report.articles, "passages": report.chunks, "doc@1_ceiling": ceiling,
            "doc@1_ceiling_case_folded": folded}


def _run_product(engine: Engine, questions: list[dict], top_k: int) -> Scores:
    scores = Scores()
    engine.ask("warm up", top_k=top_k)
    for q in questions:
        t0 = time.perf_counter()
        reply = engine.ask(q["question"], history=q.get("history") or [], top_k=top_k)
        dt = time.perf_counter() - t0
        scores.add(q, [(h.doc, h.text) for h in reply.hits], reply.abstained, dt, reply.answer)
    return scores


def _run_mode(engine: Engine, base: Searcher, questions: list[dict], top_k: int, mode: str) -> Scores:
    searcher = Searcher(base.snap, base.params.baseline(mode))
    scores = Scores()
    for q in questions:
        t0 = time.perf_counter()
        qvec = engine.embedder.encode_query(q["question"])
        hits = searcher.search(qvec, q["question"], top_k)
        scores.add(q, [(h.doc, h.text) for h in hits], False, time.perf_counter() - t0)
    return scores


def _run_naive(engine: Engine, questions: list[dict], top_k: int) -> Scores:
    naive = build_naive(engine.settings.corpus, engine.settings.index / "baseline", engine.embedder)
    scores = Scores()
    for q in questions:
        t0 = time.perf_counter()
        hits = naive.search(engine.embedder.encode_query(q["question"]), top_k)
        scores.add(q, [(d, t) for d, t, _ in hits], False, time.perf_counter() - t0)
    return scores


def _table(systems: dict[str, Scores], articles: int, passages: int, n: int) -> str:
    cols = ["doc@1", "doc@5", "mrr@10", "ans@1", "ans@5", "answer_in_gold", "abstain_precision", "abstain_recall",
            "gold@3", "latency_ms"]
    rows = {name: s.summary() for name, s in systems.items()}
    cols = [c for c in cols if any(r.get(c) is not None for r in rows.values())]
    lines = [f"{n} questions, {articles} articles, {passages} passages", "",
             "| system | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, r in rows.items():
        lines.append(f"| {name} | " + " | ".join("" if r.get(c) is None else str(r.get(c)) for c in cols) + " |")
    return "\n".join(lines)
