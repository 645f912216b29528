"""What a question asks of its topic: the whole topic, or one aspect of it.

A question names a topic (an article's title) and often an aspect of it: "what are
the *symptoms* of lupus", "what *causes* gout", "is it *inherited*". Its **aspect
terms** are its content terms less the candidate article's title terms and less the
words of asking ("tell", "know", "information", "explain", "disease"). Two signals of
the hybrid score come from them (``searcher.py`` weighs them, ``SearchParams``):

- ``lead``: a question that names an article's topic and no aspect ("what is lupus",
  "tell me about lupus", "lupus?") asks about the topic as a whole, which an article
  answers in its opening section. The signal is 1 for passages of the article's
  first section when the question names some of that article's title and nothing
  beyond it, else 0 (a question naming nothing, "what is it", gets none). A page
  without headings that carries its aspect in its title ("Gout (Diagnosis)") so gets
  the questions that ask for that aspect ("how is gout diagnosed").
- ``heading_match``: the share of a section heading's own words (those not in the
  article's title) that the question names: "what is the *outlook* for ..." and a
  section "Outlook", "what *causes* gout" and "What causes gout?" (the word "gout"
  is the title's, so a heading "What is gout?" names nothing), "how is gout
  *diagnosed*" and "Diagnosis" (stems that begin alike count as one word). A heading
  that repeats the title, or a page with no headings, scores 0.

The heading's meaning is compared with the question too (``RankingTable.label_similarity``),
but the model rates a one-word heading by its topic more than by its word ("Treatment"
sits closer to any question about a cancer than "Outlook" does), so the words named
count on their own. Nothing here is keyed to a site, template or heading: the only
list is English words of asking. Both weights were chosen on one development set and
confirmed on the other (EVALUATION.md).
"""
from __future__ import annotations

from typing import Callable, Iterable

# Words that ask for information without saying about what ("tell me about", "i want to
# know", "information on", "what does ... mean", "the condition called ..."). Plain words;
# they are stemmed with the corpus vocabulary (``Aspects``).
REQUEST_WORDS = ("tell", "know", "want", "information", "info", "explain", "mean", "meaning", "define",
                 "definition", "learn", "describe", "overview", "general", "what", "whats", "please", "would",
                 "like", "disease", "disorder", "condition", "syndrome", "called", "question", "thanks", "hi",
                 "hello")

Terms = Callable[[str], list[str]]  # a text's stemmed content terms (``Vocabulary.terms``)


class Aspects:
    """Aspect terms of questions against titles and headings, for one corpus vocabulary."""

    def __init__(self, terms: Terms, request_words: Iterable[str] = REQUEST_WORDS):
        self._terms = terms
        self.request = frozenset(t for w in request_words for t in terms(w))
        self._labels: dict[str, frozenset[str]] = {}  # title or heading -> its terms (bounded by the corpus)
        self._own: dict[tuple[str, str], tuple[str, ...]] = {}  # (heading, title) -> the heading's own terms

    def label_terms(self, label: str) -> frozenset[str]:
        found = self._labels.get(label)
        if found is None:
            found = self._labels[label] = frozenset(self._terms(label))
        return found

    def asked(self, question: str) -> Asked:
        """The question's content terms, less the words of asking."""
        return Asked(frozenset(self._terms(question)) - self.request)

    def whole_topic(self, asked: frozenset[str], title: str) -> bool:
        """Whether the question names the article titled ``title`` and asks nothing beyond it, stems
        that begin alike counting as one word: "how is gout diagnosed" asks all that a page titled
        "Gout (Diagnosis)" is about, and more than "Gout" is."""
        named = self.label_terms(title)
        return bool(asked) and all(any(same_word(a, t) for t in named) for a in asked)

    def heading_match(self, asked: frozenset[str], heading: str, title: str) -> float:
        """The share of the heading's own words (not the title's) that the question names."""
        return self.heading_matches(asked, [(heading, title)])[0]

    def heading_matches(self, asked: frozenset[str], labels: Iterable[tuple[str, str]]) -> list[float]:
        """``heading_match`` of each (heading, title): a search's sixty headings share a few words
        ("symptoms", "treatment"), each looked for in the question once."""
        asked = asked if isinstance(asked, Asked) else Asked(asked)
        named: dict[str, bool] = {}
        shares = []
        for heading, title in labels:
            own = self._own_terms(heading, title)
            hits = 0
            for word in own:
                found = named.get(word)
                if found is None:
                    found = named[word] = asked.names(word)
                hits += found
            shares.append(hits / len(own) if own else 0.0)
        return shares

    def _own_terms(self, heading: str, title: str) -> tuple[str, ...]:
        """The heading's terms that are not the title's (none for no heading, or the title again)."""
        own = self._own.get((heading, title))
        if own is None:
            own = () if not heading or heading == title else tuple(self.label_terms(heading) - self.label_terms(title))
            self._own[heading, title] = own
        return own


class Asked(frozenset):
    """A question's content terms, and what telling whether it names a word needs, made once:
    a search checks some sixty headings against one question."""

    def names(self, word: str) -> bool:
        """Whether ``same_word(word, a)`` holds for one of the terms ``a``."""
        if word in self:
            return True
        index = self.__dict__.get("_index")
        if index is None:
            index = self._index = (tuple(a for a in self if len(a) >= PREFIX), "\n" + "\n".join(self))
        prefixes, joined = index  # a term that begins the word; the word beginning a term
        return bool(prefixes) and word.startswith(prefixes) or len(word) >= PREFIX and "\n" + word in joined


PREFIX = 5  # letters a stem needs before another that it begins counts as the same word


def same_word(a: str, b: str, prefix: int = PREFIX) -> bool:
    """Two stems of one word: equal, or the shorter (of at least ``prefix`` letters) begins
    the longer, as the stemmer leaves "treat"/"treatment" and "diagnos"/"diagnosi" apart."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= prefix and long.startswith(short)
