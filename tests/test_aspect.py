"""What a question asks of its topic (search/aspect.py): the whole topic or one aspect.

Unit tests on a plain stemmer, then the real model on a small article with sections,
where the old ranking gave the overview question a list of resources that repeats the
topic's name, and the outlook question the treatment section (the outlook section speaks
of treatment options too).
"""
from __future__ import annotations

import re

import pytest
import Stemmer
from hypothesis import given
from hypothesis import strategies as st

from retrieval import Engine, Settings
from retrieval.search.aspect import Asked, Aspects, same_word

_STOP = {"what", "how", "is", "the", "of", "for", "me", "about", "a", "it", "are", "my", "to", "can", "with", "i", "s", "and"}
_STEM = Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    return _STEM.stemWords([w for w in re.findall(r"\w\w+", text.lower()) if w not in _STOP])


def test_a_question_naming_only_its_topic_asks_about_the_whole_topic():
    aspects = Aspects(terms)
    for question in ("what is gout", "tell me about gout", "gout?", "i want to know about gout please",
                     "whats the disease gout"):
        assert aspects.whole_topic(aspects.asked(question), "Gout"), question
    assert not aspects.whole_topic(aspects.asked("what causes gout"), "Gout")
    assert not aspects.whole_topic(aspects.asked("what is it"), "Gout")  # names nothing
    assert not aspects.whole_topic(aspects.asked("what is lupus"), "Gout")  # another topic


def test_a_page_whose_title_carries_the_aspect_is_the_whole_topic_of_a_question_asking_it():
    """Pages without headings often name their aspect in the title: stems count as one word there too."""
    aspects = Aspects(terms)
    asked = aspects.asked("how is gout diagnosed")
    assert aspects.whole_topic(asked, "Gout (Diagnosis)")
    assert aspects.whole_topic(asked, "How to diagnose gout?")
    assert not aspects.whole_topic(asked, "Gout")
    assert not aspects.whole_topic(asked, "Gout (Treatment)")


def test_heading_words_named_in_the_question_beyond_the_title():
    aspects = Aspects(terms)
    asked = aspects.asked("whats the outlook for someone with gout")
    assert aspects.heading_match(asked, "Outlook", "Gout") == 1.0
    assert aspects.heading_match(asked, "Treatment", "Gout") == 0.0
    assert aspects.heading_match(asked, "What is gout?", "Gout") == 0.0  # only the title's word
    assert aspects.heading_match(asked, "Gout", "Gout") == 0.0  # a page with no headings
    assert aspects.heading_match(aspects.asked("what causes gout flares"), "Symptoms and causes", "Gout") == 0.5
    assert aspects.heading_match(aspects.asked("how is gout diagnosed"), "Diagnosis", "Gout") == 1.0
    assert aspects.heading_match(aspects.asked("how is gout treated"), "Treatment options", "Gout") == 0.5
    assert aspects.heading_match(aspects.asked("can gout cause cardiac problems"), "Car travel", "Gout") == 0.0


GOUT = """---
title: Gout
---
# Gout

## Overview

Gout is a common and painful form of arthritis. It happens when uric acid builds up in the
blood and forms sharp crystals in a joint, most often the big toe, which becomes hot,
swollen and very tender during an attack.

## Outlook

Certain factors affect the chance of recovery and the treatment options: how early gout
is found and treated, how high the uric acid level is, and whether the kidneys work well.

## Treatment

These resources address the diagnosis or management of gout and the outlook for people
with gout: Gout treatment options, Gout medicines, Gout diet and gout, Living with gout,
Gout support for people with gout, Gout clinics and gout specialists, Gout research.
"""


@pytest.fixture(scope="module")
def gout_engine(tmp_path_factory, real_embedder) -> Engine:
    base = tmp_path_factory.mktemp("gout")
    (base / "corpus").mkdir()
    (base / "corpus" / "gout.md").write_text(GOUT, encoding="utf-8")
    engine = Engine(Settings(corpus=base / "corpus", index=base / "index"), embedder=real_embedder)
    engine.index()
    return engine


@pytest.mark.parametrize("question", ["what is gout", "tell me about gout"])
def test_the_overview_answers_a_question_about_the_whole_topic(gout_engine, question):
    assert gout_engine.ask(question).hits[0].section == "Overview"


def test_the_section_named_by_the_question_comes_first(gout_engine):
    assert gout_engine.ask("whats the outlook for gout").hits[0].section == "Outlook"


_STEMS = st.text(alphabet="abcde", min_size=1, max_size=8)


@given(asked=st.frozensets(_STEMS, max_size=5), word=_STEMS)
def test_a_question_names_a_word_exactly_when_one_of_its_terms_is_the_same_word(asked, word):
    assert Asked(asked).names(word) == any(same_word(word, a) for a in asked)
