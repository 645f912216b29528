"""The eval command's metrics match the reference scorer's definitions (score.py of the shared eval sets)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from retrieval.evaluation import Scores, doc_ceiling, is_answer, run_eval, trigrams
from retrieval.settings import Settings

SEED_QUESTIONS = Path(__file__).resolve().parent / "data" / "seed_questions.jsonl"  # a copy of the shared seed set


def test_answer_rule_is_half_of_the_hit_trigrams():
    gold = trigrams("the quick brown fox jumps over the lazy dog")
    assert is_answer("quick brown fox jumps", gold)
    assert not is_answer("quick brown fox eats a sandwich slowly today", gold)
    assert not is_answer("fox", gold)  # no trigram at all


def test_doc_ceiling_counts_one_question_text_with_several_gold_articles():
    qs = [{"question": "What is X ?", "doc": "a.md", "answer": "x"},
          {"question": "What is  X ?", "doc": "b.md", "answer": "x"},  # same text, another article
          {"question": "What is X ?", "doc": "a.md", "answer": "x"},
          {"question": "What is x ?", "doc": "c.md", "answer": "x"},  # letter case tells it apart
          {"question": "What is Y ?", "doc": "d.md", "answer": "y"}]
    assert doc_ceiling(qs) == (0.8, 3)
    assert doc_ceiling(qs[3:]) == (1.0, 0)
    assert doc_ceiling(qs, fold_case=True) == (0.6, 4)  # "What is x ?" joins the "X" group


def test_scores_follow_the_reference_definitions():
    s = Scores()
    q = {"doc": "a.md", "answer": "alpha beta gamma delta epsilon"}
    s.add(q, [("b.md", "zeta eta theta iota"), ("a.md", "alpha beta gamma delta")])
    s.add(q, [("a.md", "alpha beta gamma"), ("a.md", "x y z w")])
    out = s.summary()
    assert out["doc@1"] == 0.5 and out["doc@5"] == 1.0 and out["mrr@10"] == 0.75
    assert out["ans@1"] == 0.5 and out["ans@5"] == 1.0


def test_eval_on_the_seed_questions(tmp_path, real_embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", corpus)
    questions = tmp_path / "q.jsonl"
    questions.write_text(SEED_QUESTIONS.read_text(encoding="utf-8"), encoding="utf-8")
    from retrieval import Engine
    engine = Engine(Settings(corpus=corpus, index=tmp_path / "index"), embedder=real_embedder)
    result = run_eval(engine.settings, questions, baselines=True, engine=engine)
    ours = result["systems"]["hybrid (this product)"]
    assert ours["gold@3"] == 1.0  # every answerable seed question, follow-up included
    assert ours["abstain_precision"] == 1.0 and ours["abstain_recall"] == 1.0
    assert set(result["systems"]) >= {"BM25 only, same passages", "naive: 180-word windows, dense"}
    assert "| hybrid (this product) |" in result["table"]
    json.dumps(result)
