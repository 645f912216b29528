"""Query analysis: a message -> what it asks.

People do not type one tidy question. A long message has a greeting, a story, the
question somewhere in the middle and a thank-you at the end; the subject line often
names the topic in two words ("Ankle injury.").  A message longer than
``QueryParams.long_words`` is searched by its *focus*:

1. courtesy is cut out wherever it stands ("hi", "dear doctor", "thanks in advance",
   "kind regards"), and a sentence left with no content word is dropped;
2. the sentences that ask (a question mark, an opening question word or auxiliary,
   or a request such as "i would like to know", "tell me") are kept, with the opening
   line when it is short and names a topic (a subject line) or when the asking sentences
   name none ("how can i lower it?"), and any sentence naming a topic the
   kept ones do not name yet (the condition the story is about). A topic is a word of
   an article title that is specific to part of the corpus;
3. when no sentence asks anything, every sentence left after step 1 is kept.

A short message is searched as typed. Nothing here is keyed to a
site, a template or a heading: the word lists are English function words and
courtesy formulas. Spelling and abbreviations are corrected later (``spelling.py``,
``abbreviations.py``) on the focus.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Callable, Iterable

from .abbreviations import Abbreviations, Expansion
from .spelling import Correction, Speller
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class QueryParams:
    # A message of more words than this is searched by its focus. Chosen on consumer-dev
    # (long messages: subject + story + question), confirmed on medquad-dev, where no
    # question is that long, so nothing changes there (EVALUATION.md).
    long_words: int = 25
    subject_words: int = 8  # an opening sentence this short is a subject line: always kept
    # Each step can be switched off, to measure what it adds (benchmarks/consumer_eval.py).
    focus: bool = True
    spelling: bool = True
    abbreviations: bool = True


@dataclass(frozen=True)
class Focus:
    """What a message asks: the text to search, and the sentences kept and dropped."""

    text: str
    kept: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.dropped)


_COURTESY = re.compile(
    r"\b(?:(?:hi|hello|hey|greetings|dear)(?:\s+(?:there|all|sir|madam|mam|doctor|doc|dr|team|nih|friends?))?"
    r"|good\s+(?:morning|afternoon|evening|day)"
    r"|(?:many\s+|and\s+)?thanks?(?:\s+you)?(?:\s+(?:so|very)\s+much)?(?:\s+(?:in\s+advance|a\s+lot|again))?"
    r"|thank\s+you(?:\s+(?:so|very)\s+much)?(?:\s+(?:in\s+advance|for\s+your\s+(?:time|help|reply|answer)))?"
    r"|(?:kind\s+|best\s+|warm\s+)?regards|sincerely|god\s+bless(?:\s+you)?|best\s+wishes"
    r"|please\s+(?:reply|respond|answer)(?:\s+(?:soon|urgently|asap))?"
    r"|my\s+name\s+is(?:\s+name)?|i\s+appreciate\s+(?:it|your\s+help)|appreciated)\b[\s,.!:;]*",
    re.IGNORECASE)
_ASKS = re.compile(
    r"^\s*(?:so\s+|and\s+|but\s+|also\s+|please\s+|now\s+|my\s+question\s+is\W*)?"
    r"(?:what|how|why|when|where|which|who|whom|whose|is|are|was|were|am|can|could|do|does|did|should|"
    r"would|will|shall|may|might|must|has|have|had|any|if)\b"
    r"|\b(?:want(?:ed)?\s+to\s+know|like\s+to\s+know|need\s+to\s+know|wondering|wonder\s+(?:if|whether)|"
    r"tell\s+(?:me|us)|let\s+(?:me|us)\s+know|looking\s+for|information\s+(?:on|about|regarding)|"
    r"info\s+(?:on|about)|any\s+(?:advice|suggestions?|help)|advise|suggest|recommend|explain)\b",
    re.IGNORECASE)


_BREAK = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*|(?<=\.\.)(?=\w)")


def strip_courtesy(text: str) -> str:
    """The text without greetings, thanks, sign-offs and pleas."""
    return " ".join(_COURTESY.sub(" ", text).split())


def asks(sentence: str) -> bool:
    """Whether a sentence asks something: a question mark, a question opening or a request."""
    return sentence.rstrip().endswith("?") or bool(_ASKS.search(sentence))


def focus(message: str, vocabulary: Vocabulary, params: QueryParams = QueryParams(),
          topics: frozenset[str] = frozenset()) -> Focus:
    """What ``message`` asks (see the module docstring); ``topics``: the stemmed words of the
    corpus's article titles, the words that name what a sentence is about."""
    if len(message.split()) <= params.long_words:
        return Focus(message, (message,))
    plain = strip_courtesy(message) or message
    sentences = [s for s in (strip_courtesy(x) for x in _sentences(message)) if vocabulary.terms(s)]
    if not sentences:
        return Focus(plain, (plain,))
    keep = [k for k, s in enumerate(sentences) if asks(s)]
    if not keep:
        return Focus(" ".join(sentences), tuple(sentences), ())
    keep = _with_subject_and_topics(sentences, set(keep), vocabulary, params, topics)
    kept = tuple(sentences[k] for k in sorted(keep))
    dropped = tuple(s for k, s in enumerate(sentences) if k not in keep)
    return Focus(" ".join(kept), kept, dropped)


def _sentences(message: str) -> list[str]:
    """Sentences as people type them: a stop, "?" or "!" then space, whatever the case
    after it, also where a question mark runs into the next word ("hereditary2) Does")."""
    spaced = re.sub(r"([?!])(?=\S)", r"\1 ", message)
    return [s.strip() for s in _BREAK.split(spaced) if s.strip()]


def _with_subject_and_topics(sentences: list[str], keep: set[int], vocabulary: Vocabulary,
                             params: QueryParams, topics: frozenset[str]) -> set[int]:
    """Add a short opening line and sentences naming a topic (a title word) the kept ones lack."""
    names = lambda s: {t for t in vocabulary.terms(s) if t in topics and vocabulary.is_specific(t)}
    asked_topic = any(t in topics for k in keep for t in vocabulary.terms(sentences[k]))
    if not asked_topic or (len(sentences[0].split()) <= params.subject_words and names(sentences[0])):
        keep.add(0)  # "how can i lower it?" needs the opening line that says what "it" is
    named = {t for k in keep for t in vocabulary.terms(sentences[k])}
    for k, s in enumerate(sentences):
        if k not in keep and names(s) - named:
            keep.add(k)
            named |= names(s)
    return keep


@dataclass(frozen=True)
class Analysis:
    """A message read for search: its focus, with spelling fixed and short forms spelled out."""

    message: str
    text: str  # what is searched
    focus: Focus
    corrections: tuple[Correction, ...] = ()
    expansions: tuple[Expansion, ...] = ()


class QueryAnalyzer:
    """Reads messages for one corpus; its word lists are built on first use from ``texts()``."""

    def __init__(self, vocabulary: Vocabulary, texts: Callable[[], Iterable[str]],
                 params: QueryParams = QueryParams()):
        self.vocabulary = vocabulary
        self.params = params
        self._texts = texts
        self._lists: tuple[Speller, Abbreviations, frozenset[str]] | None = None
        self._lock = threading.Lock()

    def lists(self) -> tuple[Speller, Abbreviations, frozenset[str]]:
        """The corpus's words, short forms and title words, read in one pass on first use
        (each text is a passage as BM25 indexes it: title, section, body, a line each)."""
        with self._lock:
            if self._lists is None:
                texts = list(self._texts())
                titles = {t.split("\n", 1)[0] for t in texts}
                topics = frozenset(w for title in titles for w in self.vocabulary.terms(title))
                self._lists = Speller.from_texts(texts), Abbreviations.from_texts(texts, titles), topics
            return self._lists

    def analyze(self, message: str) -> Analysis:
        p = self.params
        speller, abbreviations, topics = self.lists()
        found = focus(message, self.vocabulary, p, topics) if p.focus else Focus(message, (message,))
        text, fixes = speller.correct(found.text) if p.spelling else (found.text, [])
        text, expansions = abbreviations.expand(text) if p.abbreviations else (text, [])
        return Analysis(message, text, found, tuple(fixes), tuple(expansions))
