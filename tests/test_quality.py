"""Retrieval quality with the real model: follow-ups, abstention, de-duplication, answers.

Runs over the two seed articles (indexed once per session, see conftest.py) and a
tiny corpus with a duplicated article.
"""
from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from fakes import HAMSTRINGS, SEED_CORPUS
from retrieval import Engine, Settings
from retrieval.records import ChunkMeta
from retrieval.search.searcher import Scored, _mmr
from retrieval.store.ranking_table import RankingTable
from retrieval.ingest.sentences import split


def docs(reply) -> list[str]:
    return [h.doc for h in reply.hits]


def test_hamstrings_question_cites_the_hamstrings_article_first(real_engine):
    reply = real_engine.ask("can tight hamstrings cause IT band pain")
    assert reply.hits[0].doc == HAMSTRINGS
    assert not reply.abstained and reply.answer


def test_followup_with_pronoun_is_searched_in_context(real_engine):
    first = "which strengthening exercises help the hips?"
    reply = real_engine.ask("and how should I do them?", history=[first])
    assert reply.followup and first in reply.query
    top3 = " ".join(h.text for h in reply.hits[:3])
    assert "performed slowly and with attention to form" in top3


EXERCISE_SECTIONS = re.compile(r"stretch|strengthen|foam rolling|treatment|alleviating", re.I)


def test_followup_what_exercises_fix_that(real_engine):
    """Searched with its topic, and answered from the exercise sections, not the causes of tightness."""
    topic = "why does my IT band get tight?"
    reply = real_engine.ask("what exercises fix that?", history=[topic])
    assert reply.followup and topic in reply.query
    assert all(EXERCISE_SECTIONS.search(h.section) for h in reply.hits[:3]), [h.section for h in reply.hits[:3]]


def test_followup_how_often_after_hamstring_stretches(real_engine):
    reply = real_engine.ask("how often should I do them?",
                            history=["which stretches loosen tight hamstrings?"])
    assert reply.followup
    assert reply.hits[0].doc == HAMSTRINGS
    assert any("stretch" in h.text.lower() for h in reply.hits[:3])


def test_standalone_question_is_not_dragged_to_the_previous_topic(real_engine):
    alone = real_engine.ask("What is over-pronation?")
    after = real_engine.ask("What is over-pronation?", history=["which stretches loosen tight hamstrings?"])
    assert not after.followup
    assert [h.chunk_id for h in after.hits] == [h.chunk_id for h in alone.hits]


@pytest.mark.parametrize("question", ["what is the capital of France", "how do I treat a migraine",
                                      "Who won the 2018 World Cup?"])
def test_off_topic_questions_abstain(real_engine, question):
    reply = real_engine.ask(question)
    assert reply.abstained and reply.answer == ""
    assert reply.hits  # still listed, as "closest, not an answer"


@pytest.mark.parametrize("question", ["What is the kinetic chain?", "Where does the IT band attach?",
                                      "What will a physical therapist do?"])
def test_covered_questions_do_not_abstain(real_engine, question):
    assert not real_engine.ask(question).abstained


def test_answer_sentences_are_verbatim_and_cited(real_engine):
    reply = real_engine.ask("What causes hamstring tightness?")
    assert 1 <= len(reply.sentences) <= 3
    for s in reply.sentences:
        hit = reply.hits[s.hit - 1]
        assert s.text in hit.text and s.text in split(hit.text)
        assert f"{s.text} [{s.hit}]" in reply.answer
    article = (SEED_CORPUS / reply.hits[reply.sentences[0].hit - 1].doc).read_text(encoding="utf-8")
    first = reply.sentences[0]
    assert article[first.start:first.end] == first.text


def test_hits_are_not_duplicated(real_engine):
    reply = real_engine.ask("how do stretching and foam rolling help the IT band?", top_k=8)
    ids = [h.chunk_id for h in reply.hits]
    assert len(set(ids)) == len(ids)
    texts = [h.text for h in reply.hits]
    assert len(set(texts)) == len(texts)


def test_the_passage_after_a_shown_one_may_follow_it_unless_neighbours_are_skipped():
    """The better neighbour of the top passage is shown next (answers run on into it);
    with ``skip_neighbours`` it gives way to the next section's passage."""
    table = RankingTable.build([(1, ChunkMeta("a.txt", "A", "S", 0)), (2, ChunkMeta("a.txt", "A", "S", 1)),
                                (3, ChunkMeta("a.txt", "A", "T", 0))])
    vectors = np.eye(3, dtype=np.float32)
    ids = np.array([1, 2, 3])
    scored = Scored(ids, np.zeros(3), np.zeros(3), np.array([0.9, 0.8, 0.5]), vectors, table, table.rows(ids))
    assert [int(scored.ids[i]) for i in _mmr([0, 1, 2], scored, 2, lam=1.0)] == [1, 2]
    assert [int(scored.ids[i]) for i in _mmr([0, 1, 2], scored, 2, lam=1.0, skip_neighbours=True)] == [1, 3]


def test_an_article_copied_twice_shows_each_passage_once(tmp_path, real_embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / HAMSTRINGS, corpus / "a.txt")
    shutil.copy(SEED_CORPUS / HAMSTRINGS, corpus / "copy-of-a.txt")
    engine = Engine(Settings(corpus=corpus, index=tmp_path / "index"), embedder=real_embedder)
    report = engine.index()
    assert report.chunks_embedded == report.chunks // 2  # the copy reuses every vector
    reply = engine.ask("what stretches help tight hamstrings?", top_k=5)
    texts = [h.text for h in reply.hits]
    assert len(set(texts)) == len(texts)


def test_hybrid_score_is_the_weighted_sum_of_its_recorded_parts(real_engine):
    """benchmarks/crossval_fusion.py re-weights ``Scored.signals``; they must add up to the product's score."""
    searcher = real_engine.searcher()
    question = "can tight hamstrings cause IT band pain"
    s = searcher.candidates(real_engine.embedder.encode_query(question), question)
    p, parts = searcher.params, s.signals
    assert set(parts) == {"dense", "lexical", "heading", "title", "title_match", "lead", "heading_match"}
    assert all(v.shape == s.fused.shape for v in parts.values())
    assert all(parts[k].any() for k in ("dense", "lexical", "heading", "title", "title_match"))
    expected = ((1 - p.lexical_weight) * s.dense + p.lexical_weight * parts["lexical"]
                + p.heading_weight * parts["heading"] + p.title_weight * parts["title"]
                + p.title_match_weight * parts["title_match"] + p.lead_weight * parts["lead"]
                + p.heading_match_weight * parts["heading_match"])
    np.testing.assert_allclose(s.fused, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("question", ["is that serious", "does that ever go away on its own",
                                      "that sounds bad what should i do", "how long will that take to heal"])
def test_that_as_the_subject_leans_on_the_earlier_turn(question):
    from retrieval.search.conversation import has_reference

    assert has_reference(question)


def test_that_inside_a_clause_is_not_a_reference():
    from retrieval.search.conversation import has_reference

    assert not has_reference("what is a stretch that helps tight hamstrings")


def test_an_off_topic_opening_never_becomes_the_topic(real_engine):
    # "them" makes this a follow-up; the only earlier turn is one the articles do not cover
    reply = real_engine.ask("ok nvm my hamstrings are super tight will stretching them help my knee",
                            history=["whats the capital of france"])
    assert "france" not in reply.query and not reply.followup
    assert reply.hits[0].doc == HAMSTRINGS and not reply.abstained


def test_a_follow_up_leans_on_the_turn_the_articles_cover(real_engine):
    # the later turns lean on each other ("it", "that"); the first names the topic
    history = ["can tight hamstrings cause it band pian", "why does it get so tight in the first place",
               "what exercises fix that"]
    reply = real_engine.ask("what happens if i just ignore it", history=history)
    assert reply.followup and "hamstrings" in reply.query
    assert not reply.abstained


def test_is_that_serious_is_answered_from_the_topic(real_engine):
    # "serious" is common English the articles never use: it says how the question is put
    reply = real_engine.ask("is that serious", history=["my knee clicks and going down stairs hurts"])
    assert reply.followup and not reply.abstained


def test_a_follow_up_about_something_the_articles_never_mention_is_declined(real_engine):
    reply = real_engine.ask("can i take ibuprofen for that",
                            history=["my knee clicks and going down stairs hurts", "is that serious"])
    assert reply.abstained


@pytest.mark.parametrize("question", ["is there any reserch on that", "how long til it gets beter tho"])
def test_a_typo_of_an_everyday_word_does_not_decline_a_follow_up(real_engine, question):
    # "reserch", "tho": unknown to the articles and to English, but one edit from an everyday word
    reply = real_engine.ask(question, history=["can tight hamstrings cause it band pian"])
    assert reply.followup and not reply.abstained


def test_an_everyday_word_one_edit_away():
    from retrieval.search.spelling import everyday_word

    assert everyday_word("reserch", 1.0) == "research"
    assert everyday_word("ibuprofen", 1.0) is None  # a drug name, not a typo
