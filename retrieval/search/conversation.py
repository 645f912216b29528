"""Follow-up questions: detect when a question leans on the conversation, and
search it in context. No LLM involved.

A question depends on context when it has an anaphoric pronoun or demonstrative
("it", "them", "these", "that" at the end; a word in capitals among lower-case
ones is an abbreviation, as "IT" in "IT band"), opens like a continuation ("and",
"what about", "how about", "also"), or is elliptical: few content words, none of
them specific in this corpus (every term common across passages), as in "what
stretches help?". A question naming a specific topic is standalone and is
searched as is, so it is never dragged towards the previous topic.

In context, the query text joins the question with the most recent earlier
question that was itself standalone (the topic-setting turn), and passages from
the articles that turn retrieved get a small boost. An explicit reference is
always searched in context. A question that is only elliptical is searched both
ways, and the context is kept only if it matches the articles better than the
question alone (``search_in_context``): on a small corpus every word looks common,
so "what is over-pronation?" must not be pulled towards the previous topic.

Only an earlier turn the articles cover (the engine's abstention rule, ``answerable``)
sets the topic. An elliptical question that alone would be declined keeps its context.
What a follow-up's confidence weighs is ``weighed_text``: common English words the
corpus never uses ("serious", "ignore") are left out, unless the follow-up also names
something the corpus never mentions ("ibuprofen"), when it is judged on its own words.

This module owns the whole follow-up policy; ``FollowupParams`` holds its numbers.
The engine asks ``contextualize`` how to search and ``search_in_context`` to do it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..records import Hit
from .abstention import confidence, term_weights, vocabulary_coverage
from .searcher import Searcher
from .spelling import everyday_word, per_million
from .vocabulary import Vocabulary

_PRONOUNS = {"it", "its", "itself", "they", "them", "their", "theirs", "themselves", "this", "these",
             "those", "he", "she", "him", "her", "his", "hers", "ones"}
_OPENERS = ("and ", "but ", "also ", "so ", "then ", "what about", "how about", "what else",
            "anything else", "any other", "same ", "or ", "plus ", "besides")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@dataclass(frozen=True)
class FollowupParams:
    boost: float = 0.05  # added to passages of the articles the topic-setting turn retrieved
    topic_hits: int = 3  # how many of the topic turn's passages name those articles
    # An elliptical question keeps its context only if the passages found in context are
    # nearly as close to the question alone as its own best match (not dragged elsewhere).
    ellipsis_keep: float = 0.9
    max_elliptical_terms: int = 2  # more content terms than this and a question stands alone
    # A turn sets the topic only if the corpus knows this share of its IDF-weighted terms
    # (abstention.vocabulary_coverage). 0.5 helped the seed conversations but lost two
    # medquad ones (a typo'd topic turn fell under it); 0.3 keeps both
    # (benchmarks/conversation_eval.py, EVALUATION.md).
    topic_coverage: float = 0.3
    # In a follow-up, a word the corpus never uses but English uses this often (per million
    # words) says how the question is put ("is that serious", "what if i ignore it"), not
    # what it is about, so the abstention rule does not weigh it; a rare one ("ibuprofen")
    # still counts. Chosen on the seed conversations, confirmed on the medquad ones.
    chatter_per_million: float = 1.0


@dataclass(frozen=True)
class Context:
    """How a question is searched: the query text, and the earlier turn it leans on."""

    query: str
    followup: bool
    topic: str = ""  # the earlier question it leans on
    explicit: bool = False  # a pronoun or continuation marker, not only ellipsis


def has_reference(question: str) -> bool:
    """Explicit markers of dependence on an earlier turn."""
    q = question.strip()
    if q.lower().startswith(_OPENERS):
        return True
    words = _WORD.findall(q)
    shouted = not any(c.islower() for c in q)  # all in capitals: "IT" may well be "it"
    if any(w.lower() in _PRONOUNS and (shouted or not _abbreviation(w)) for w in words):
        return True
    lower = [w.lower() for w in words]
    return bool(lower) and (lower[-1] == "that" or lower[0] == "that" or _that_as_subject(lower))


# "that" as the subject of a question leans on what came before: "is that serious", "how
# long will that take", "that sounds bad" (not the relative "a stretch that helps").
_AUXILIARIES = {"is", "was", "does", "did", "will", "would", "can", "could", "should", "might", "has", "may"}


def _that_as_subject(words: list[str]) -> bool:
    return any(w == "that" and words[i - 1] in _AUXILIARIES for i, w in enumerate(words) if i)


def _abbreviation(word: str) -> bool:
    """"IT" (band), "HIS": capitals only, more than one letter."""
    return len(word) > 1 and word.isupper()


def is_elliptical(terms: list[str], specific: set[str], max_terms: int = 2) -> bool:
    """Few content terms and none specific to part of the corpus."""
    return len(terms) <= max_terms and not any(t in specific for t in terms)


Answerable = Callable[[str], bool]


def contextualize(question: str, history: list[str], vocabulary: Vocabulary,
                  params: FollowupParams = FollowupParams(), answerable: Answerable | None = None) -> Context:
    """Decide how to search ``question`` given the earlier user questions (oldest first).

    ``answerable(turn)``: whether the articles cover an earlier turn (the engine asks the
    abstention rule); only such a turn can set the topic. Without it, a turn sets the topic
    when the corpus knows ``params.topic_coverage`` of its weighted words."""
    earlier = [h for h in history if h and h.strip()]
    if not earlier:
        return Context(question, False)
    explicit = has_reference(question)
    if not (explicit or _elliptical(question, vocabulary, params)):
        return Context(question, False)
    known = answerable or (lambda q: _coverage(q, vocabulary) >= params.topic_coverage)
    topic = _topic_turn(earlier, vocabulary, params, known)
    if topic is None:
        return Context(question, False)
    return Context(f"{question} {topic}", True, topic, explicit)


def _elliptical(question: str, vocabulary: Vocabulary, params: FollowupParams) -> bool:
    """Few content terms, none naming a topic of this corpus. A word the corpus never uses
    names no topic here ("is that serious", "how long till it heals"): such a question
    leans on the conversation, and an off-topic one is still declined on its own merits."""
    terms = vocabulary.terms(question)
    named = {t for t in terms if vocabulary.is_specific(t) and vocabulary.document_frequency(t) > 0}
    return is_elliptical(terms, named, params.max_elliptical_terms)


def _topic_turn(earlier: list[str], vocabulary: Vocabulary, params: FollowupParams,
                known: Answerable) -> str | None:
    """The latest earlier question that stands on its own and that the articles cover,
    else the first they cover, else none. An off-topic aside ("whats the capital of
    france") never becomes the topic, whether it comes between two health questions or
    opens the conversation."""
    covered = [q for q in earlier if known(q)]
    for q in reversed(covered):
        if not has_reference(q) and not _elliptical(q, vocabulary, params):
            return q
    return covered[0] if covered else None


def _coverage(question: str, vocabulary: Vocabulary) -> float:
    """The share of the question's weighted content words that occur in the corpus."""
    weights = term_weights(question, vocabulary)
    return vocabulary_coverage(weights, vocabulary)


def weighed_text(question: str, ctx: Context, vocabulary: Vocabulary,
                 params: FollowupParams = FollowupParams()) -> str:
    """The words the abstention rule weighs for ``question`` searched as ``ctx`` says.

    In a follow-up, the common English words the corpus never uses are left out
    (``FollowupParams.chatter_per_million``): "is that serious" is judged by its topic. A
    follow-up naming something else the corpus never mentions ("can i take ibuprofen for
    that") asks about what the articles do not cover: it is judged on its own words. A typo of
    an everyday word (one edit from one: "any reserch on that", "how often tho") is chatter too."""
    if not ctx.followup:
        return ctx.query
    known = lambda w: any(vocabulary.document_frequency(t) for t in vocabulary.terms(w))
    everyday = lambda w: per_million(w) >= params.chatter_per_million or \
        everyday_word(w, params.chatter_per_million) is not None  # or a typo of one ("reserch", "tho")
    chatter = lambda w: not known(w) and everyday(w)
    own = [t for w in question.split() if not chatter(w) for t in vocabulary.terms(w)]
    if not all(vocabulary.document_frequency(t) for t in own):
        return question
    return " ".join(w for w in ctx.query.split() if not chatter(w))


Encode = Callable[[str], np.ndarray]


def search_in_context(searcher: Searcher, encode: Encode, question: str, ctx: Context, top_k: int,
                      params: FollowupParams = FollowupParams(), decline_below: float = 0.0) -> tuple[Context, list[Hit]]:
    """Search ``question`` as ``ctx`` says; an only-elliptical one keeps the context only if it matches better.

    In context the query vector is the sum of the question's and the joined text's
    vectors, so the question's own intent ("what exercises…") is not outweighed
    by the earlier turn's topic, and what it asks of the topic (``aspect.py``) is read
    from the question alone. An elliptical question that alone would be declined
    (confidence under ``decline_below``, the abstention threshold) keeps its context:
    "does the moms age matter" after "what causes down syndrome".
    """
    qvec = encode(question)
    if not ctx.followup:
        return ctx, searcher.search(qvec, question, top_k)
    both = qvec + encode(ctx.query)
    boost = topic_boost(searcher, encode, ctx, params)
    hits = searcher.search(both / np.linalg.norm(both), ctx.query, top_k, boost, aspect_of=question)
    if not ctx.explicit and hits:
        alone = searcher.search(qvec, question, top_k)
        kept = searcher.snap.vectors.reconstruct([h.chunk_id for h in hits[:3]]) @ qvec
        if alone and float(kept.max()) < params.ellipsis_keep * alone[0].dense \
                and _confidence(alone, question, searcher.vocabulary) >= decline_below:
            return Context(question, False), alone
    return ctx, hits


def _confidence(hits: list[Hit], question: str, vocabulary: Vocabulary) -> float:
    return confidence(hits, term_weights(question, vocabulary), vocabulary)


def topic_boost(searcher: Searcher, encode: Encode, ctx: Context, params: FollowupParams) -> dict[str, float]:
    """The articles the topic-setting turn retrieves, each with the follow-up boost."""
    hits = searcher.search(encode(ctx.topic), ctx.topic, params.topic_hits)
    return {h.doc: params.boost for h in hits}
