"""The extractive answer builder on hand-made hits (no model needed: sentence choice is lexical)."""
from __future__ import annotations

import re

from retrieval.search.answer import build_answer, render
from retrieval.records import Hit

TERMS = {"iliotibial": 1.0, "band": 1.0, "knee": 1.0}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def hit(text: str, start: int = 100) -> Hit:
    return Hit("a.md", "IT band", "Overview", text, start, start + len(text), 0.5)


def test_lower_passages_add_only_sentences_that_match_the_question_better_than_the_top_one():
    hits = [hit("The iliotibial band runs along the outer thigh."),  # 2 of 3 terms
            hit("Runners often feel the iliotibial band near the knee."),  # all 3: added
            hit("Iliotibial band pain is common in runners who train on hills.")]  # 2 of 3: no better, left out
    answer = build_answer(hits, TERMS, words)
    assert [s.hit for s in answer] == [1, 2]
    assert render(answer) == ("The iliotibial band runs along the outer thigh. [1] "
                              "Runners often feel the iliotibial band near the knee. [2]")


def test_sentences_are_verbatim_with_offsets_into_the_article():
    h = hit("Tight hips load the knee. The iliotibial band then rubs on the knee.", start=40)
    answer = build_answer([h], TERMS, words)
    assert answer and all(h.text[s.start - 40:s.end - 40] == s.text for s in answer)


def test_a_top_passage_without_usable_sentences_leaves_the_answer_to_the_next():
    hits = [hit("Knee?"), hit("The iliotibial band crosses the knee joint.")]
    assert [s.hit for s in build_answer(hits, TERMS, words)] == [2]


def test_a_lower_passage_may_answer_what_the_top_passage_never_mentions():
    hits = [hit("The iliotibial band runs along the outer thigh. It is a thick band of tissue."),
            hit("The band rubs on the outside of the knee when running downhill.")]  # "knee": not in hit 1
    assert [s.hit for s in build_answer(hits, TERMS, words)] == [1, 2]


def test_a_lower_passage_may_say_in_one_sentence_what_the_top_passage_spreads_over_two():
    hits = [hit("The iliotibial band runs along the thigh. It ends below the knee."),  # every term, no sentence has all
            hit("The iliotibial band often hurts at the knee.")]
    assert [s.hit for s in build_answer(hits, TERMS, words)] == [1, 2]
