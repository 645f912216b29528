"""Abbreviations the articles define themselves: "congenital diaphragmatic hernia (CDH)".

Definitions are found with the Schwartz-Hearst rule (A. Schwartz, M. Hearst, "A simple
algorithm for identifying abbreviation definitions in biomedical text", 2003): a
parenthesised short form after a phrase whose words hold its letters in order, the
first letter starting a word. A question naming a short form gets the long form added
beside it, so both the model and BM25 see the words the articles use. A short form
typed in lower case ("cdh") is expanded only when the corpus never writes it in lower
case and English does not use it as a word (so "all", "aids" or a typo such as "ca" for
"can" are left alone). A short form that is a word of an article title ("LCAT
deficiency", "COPD") already names that article and is left as typed: spelling it out
there only dilutes the question. Nor is one the message spells out itself, under any
of its long forms or as words whose initials are its letters ("congenital
diaphragmatic hernia ... can CDH be passed down"). When the articles define a short
form more than one way, the long form sharing most words with the message is used,
then the most frequent.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from .spelling import per_million

_SHORT = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,9})\)")
_ROMAN = re.compile(r"^[IVXLCDM]+$", re.IGNORECASE)
_BEFORE = 120  # characters before "(" searched for the long form
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_WORDS = re.compile(r"[a-z0-9]+")
# A short form typed in lower case that English uses this often (per million words) is a
# word or a typo of one ("ca" for "can"), not a short form.
PLAIN_WORD_PER_MILLION = 1.0


@dataclass(frozen=True)
class Expansion:
    short: str
    long: str


class Abbreviations:
    """Short form (lower case) -> its long forms in the corpus, most used first."""

    def __init__(self, forms: dict[str, str] | dict[str, tuple[str, ...]], lower_words: Counter,
                 titled: frozenset[str] = frozenset(), frequency: Callable[[str], float] = per_million):
        self.alternatives = {s: (f,) if isinstance(f, str) else tuple(f) for s, f in forms.items()}
        self.forms = {s: f[0] for s, f in self.alternatives.items()}  # the most used long form of each
        self.lower_words = lower_words
        self.titled = titled  # words of article titles (lower case): a short form there names an article
        self.frequency = frequency  # how often English uses a word, per million (``spelling.per_million``)

    @classmethod
    def from_texts(cls, texts: Iterable[str], titles: Iterable[str] = ()) -> "Abbreviations":
        found: dict[str, Counter] = defaultdict(Counter)
        lower: Counter = Counter()
        titled = frozenset(w.lower() for title in titles for w in _TOKEN.findall(title))
        for text in texts:
            lower.update(w for w in _TOKEN.findall(text) if w.islower())
            for m in _SHORT.finditer(text):
                short = m.group(1)
                if sum(c.isupper() for c in short) < 2:
                    continue
                long = long_form(short, _phrase_before(text, m.start()))
                if long:
                    found[short.lower()][long.lower()] += 1
        return cls({s: tuple(f for f, _ in c.most_common()) for s, c in found.items()}, lower, titled)

    def expand(self, text: str) -> tuple[str, list[Expansion]]:
        """``text`` with each known short form followed by its long form in brackets."""
        done: list[Expansion] = []
        shouting = _mostly_upper(text)

        lowered = text.lower()
        words = _WORDS.findall(lowered)

        def add(m: re.Match) -> str:
            word = m.group(0)
            short = word.lower()
            longs = self.alternatives.get(short)
            if (not longs or any(e.short == short for e in done) or _ROMAN.match(word) or short in self.titled
                    or any(long in lowered for long in longs) or _initials_in(short, words)):
                return word  # unknown, spelled out, a numeral ("stage IV"), or an article's name ("LCAT deficiency")
            typed_as_short = sum(c.isupper() for c in word) >= 2 and not shouting
            if not typed_as_short and (not word.islower() and not shouting or self.lower_words[short] > 0
                                       or self.frequency(short) >= PLAIN_WORD_PER_MILLION):
                return word  # "All the ...", "aids" as a plain word, "ca" for "can"
            long = _closest(longs, set(words) - {short})
            done.append(Expansion(short, long))
            return f"{word} ({long})"

        return _TOKEN.sub(add, text), done


def _initials_in(short: str, words: list[str]) -> bool:
    """Whether consecutive words of the message start with the short form's letters (three or more)."""
    letters = [c for c in short if c.isalpha()]
    n = len(letters)
    if n < 3 or len(letters) != len(short):  # two letters match common pairs of words by chance
        return False
    return any(all(words[i + k][0] == letters[k] for k in range(n)) for i in range(len(words) - n + 1))


def _closest(longs: tuple[str, ...], words: set[str]) -> str:
    """The long form sharing most words with the message; the most used one on a tie."""
    return max(longs, key=lambda long: len(set(_WORDS.findall(long)) & words))


def _phrase_before(text: str, at: int) -> str:
    """The words just before ``at``, back to the last break of sentence, line or bracket."""
    before = text[max(0, at - _BEFORE):at]
    cut = max(before.rfind(c) for c in "\n.;:()[]")
    return before[cut + 1:].strip(" ,")


def _mostly_upper(text: str) -> bool:
    """A message typed in capitals: its capitals do not mark short forms."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > len(letters) / 2


def long_form(short: str, before: str) -> str | None:
    """The shortest ending of ``before`` that holds ``short``'s letters in order (Schwartz-Hearst)."""
    s, at = len(short) - 1, len(before) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while at >= 0 and (before[at].lower() != c or (s == 0 and at > 0 and before[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
        s -= 1
    start = before.rfind(" ", 0, at + 1) + 1
    words = before[start:].split()
    return before[start:] if len(words) <= min(len(short) + 5, 2 * len(short)) else None
