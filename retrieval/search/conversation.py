"""Follow-up questions: detect when a question leans on the conversation, and
search it in context. No LLM involved.

A question depends on context when it has an anaphoric pronoun or demonstrative
("it", "them", "these", "that" at the end), opens like a continuation ("and",
"what about", "how about", "also"), or is elliptical: few content words, none of
them specific in this corpus (every term common across passages), as in "what
stretches help?". A question naming a specific topic is standalone and is
searched as is, so it is never dragged towards the previous topic.

In context, the query text joins the question with the most recent earlier
question that was itself standalone (the topic-setting turn), and passages from
the articles that turn retrieved get a small boost. An explicit reference is
always searched in context. A question that is only elliptical is searched both
ways, and the context is kept only if it matches the articles better than the
question alone (``Engine.ask``): on a small corpus every word looks common, so
"what is over-pronation?" must not be pulled towards the previous topic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_PRONOUNS = {"it", "its", "itself", "they", "them", "their", "theirs", "themselves", "this", "these",
             "those", "he", "she", "him", "her", "his", "hers", "ones"}
_OPENERS = ("and ", "but ", "also ", "so ", "then ", "what about", "how about", "what else",
            "anything else", "any other", "same ", "or ", "plus ", "besides")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Context:
    """How a question is searched: the query text and articles to favour."""

    query: str
    followup: bool
    topic: str = ""  # the earlier question it leans on
    explicit: bool = False  # a pronoun or continuation marker, not only ellipsis
    boost_docs: tuple[str, ...] = field(default_factory=tuple)


def has_reference(question: str) -> bool:
    """Explicit markers of dependence on an earlier turn."""
    q = question.strip().lower()
    if q.startswith(_OPENERS):
        return True
    words = _WORD.findall(q)
    if any(w in _PRONOUNS for w in words):
        return True
    return bool(words) and words[-1] == "that"


def is_elliptical(terms: list[str], specific: set[str], max_terms: int = 2) -> bool:
    """Few content terms and none specific to part of the corpus."""
    return len(terms) <= max_terms and not any(t in specific for t in terms)


def contextualize(question: str, history: list[str], terms: list[str], specific: set[str],
                  topic_of=None) -> Context:
    """Decide how to search ``question`` given the earlier user questions (oldest first).

    ``terms`` are the question's content terms and ``specific`` those among them
    rare enough in the corpus to set a topic. ``topic_of(q)`` returns the content
    terms and specific terms of an earlier question, to find the topic-setting turn.
    """
    earlier = [h for h in history if h and h.strip()]
    if not earlier:
        return Context(question, False)
    explicit = has_reference(question)
    if not (explicit or is_elliptical(terms, specific)):
        return Context(question, False)
    topic = _topic_turn(earlier, topic_of)
    return Context(f"{question} {topic}", True, topic, explicit)


def _topic_turn(earlier: list[str], topic_of) -> str:
    """The latest earlier question that stands on its own, else the first one."""
    for q in reversed(earlier):
        if topic_of is None:
            return q
        t_terms, t_specific = topic_of(q)
        if not has_reference(q) and not is_elliptical(t_terms, t_specific):
            return q
    return earlier[0]
