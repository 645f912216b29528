"""The learned reading of the urgent-care check: what a message looks like to a small classifier.

``urgent.py`` reads a message by meaning and by rules; this module turns that
reading into a short row of numbers (``features``) and gives the probability of
each class (emergency, self-harm, a question about a condition, ordinary) from a
multinomial logistic regression over them (``UrgentModel``). Its parameters and
its two thresholds are in ``urgent_model.json`` beside this module, written by
``benchmarks/urgent_train.py`` (which refits it; on this machine two weights differ by a float
rounding in the fourth decimal); the file is
read on first use, never at import.

The features are the message's own query vector (384 numbers, optional), its
nearest-example cosines per group of ``urgent_signs.py`` examples (the best and
the mean of the best three), the framing flags (now, hedged, mild, reassured, a
figure of speech, sudden, asked about, personal) and a few word features.
The sign rules are not among them: they were written on the same messages the
model learns from, so it would learn to trust them; they are joined afterwards
(``UrgentCheck.decide``): a rule's match stands on its own.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import BadSettingsFile

MODEL_FILE = Path(__file__).with_name("urgent_model.json")
CLASSES = ("emergency", "self-harm", "informational", "ordinary")
GROUPS = ("emergency", "self-harm", "about", "ordinary", "mild")  # the example groups, in urgent_signs order
FLAGS = ("now", "hedged", "mild", "reassured", "figurative", "sudden", "about", "personal")
WORDS = ("question", "first person", "third person")
HEAD = 2 * len(GROUPS) + 2 + len(FLAGS) + len(WORDS)  # features before the vector
FIRST_PERSON = frozenset("i im ive id me my mine myself".split())
_THIRD = frozenset("he hes him his she shes her herself himself they them their friend husband wife son "
                   "daughter dad mum mom brother sister partner baby".split())


def group_stats(sims: Sequence[np.ndarray]) -> list[float]:
    """Per group of examples, the nearest cosine and the mean of the nearest three; then how far
    the nearest emergency and self-harm examples stand above the nearest contrasting one."""
    out = []
    for g in sims:
        top = np.partition(g, len(g) - 3)[-3:] if len(g) > 3 else g
        out += [top.max(), top.mean()]
    emergency, crisis, about, ordinary, mild = out[::2]
    return out + [emergency - max(ordinary, mild, about), crisis - max(ordinary, about)]


def word_features(text: str) -> list[float]:
    """A question mark, and whether the writer speaks of themselves or of someone else. (Not the
    length: long messages were emergencies in the training writers' style, and the real question
    sets' long, formal questions then read as emergencies.)"""
    words = text.split()
    return [float("?" in text), float(not FIRST_PERSON.isdisjoint(words)), float(not _THIRD.isdisjoint(words))]


def features(vector: np.ndarray | None, sims: Sequence[np.ndarray], flags: Sequence[bool], text: str) -> np.ndarray:
    """The row the model reads: group cosines, framing flags, word features, then the vector (if given)."""
    head = np.array(group_stats(sims) + list(flags) + word_features(text), dtype=np.float64)
    return head if vector is None else np.concatenate([head, vector])


@dataclass(frozen=True)
class UrgentModel:
    """A multinomial logistic regression over standardized features, with its two thresholds."""

    mean: np.ndarray  # per feature
    scale: np.ndarray
    weights: np.ndarray  # classes x features
    bias: np.ndarray  # per class
    uses_vector: bool
    emergency: float  # the emergency notice by meaning: P(emergency) at least this
    crisis: float  # the crisis line by meaning: P(self-harm) at least this
    # And the nearest example (of any group) at least this close: the model decides only where it
    # learned. Far from every example, as a long formal question about a rare disease is, its
    # probabilities are an extrapolation. The cosine that 98% of the training messages reach.
    reach: float = 0.0
    # The nearest ordinary or mild example this much closer than the nearest emergency (self-harm)
    # example vetoes the model's emergency notice (crisis line), as it vetoes a weak rule. None: no veto.
    veto: float | None = None

    def fires(self, p_emergency: float, p_crisis: float, emergency: float, crisis: float,
              contrast: float, nearest: float) -> tuple[bool, bool]:
        """Whether meaning alone calls for the emergency notice and for the crisis line, from the
        probabilities and the cosines of the nearest emergency, self-harm and ordinary-or-mild
        examples, and of the nearest example of any group."""
        if nearest < self.reach:
            return False, False
        veto = float("inf") if self.veto is None else self.veto
        return (p_emergency >= self.emergency and contrast < emergency + veto,
                p_crisis >= self.crisis and contrast < crisis + veto)

    @property
    def vector_dim(self) -> int:
        """The length of the query vector the model was trained on (0 when it reads none)."""
        return len(self.mean) - HEAD

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = self.weights @ ((x - self.mean) / self.scale) + self.bias
        e = np.exp(z - z.max())
        return e / e.sum()

    def to_json(self) -> str:
        """The model as text, floats rounded (what ``benchmarks/urgent_train.py`` writes)."""
        def r(a, digits=4):
            return [round(float(v), digits) for v in np.ravel(a)]
        data = {"classes": list(CLASSES), "groups": list(GROUPS), "flags": list(FLAGS), "words": list(WORDS),
                "uses_vector": self.uses_vector, "thresholds": {"emergency": self.emergency, "crisis": self.crisis},
                "reach": self.reach, "veto": self.veto,
                "mean": r(self.mean), "scale": r(self.scale), "bias": r(self.bias),
                "weights": [r(row) for row in self.weights]}
        return json.dumps(data, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str, source: str = "") -> "UrgentModel":
        try:
            data = json.loads(text)
            weights = np.array(data["weights"], dtype=np.float64)
            model = cls(np.array(data["mean"]), np.array(data["scale"]), weights, np.array(data["bias"]),
                        bool(data["uses_vector"]), float(data["thresholds"]["emergency"]),
                        float(data["thresholds"]["crisis"]), float(data["reach"]),
                        None if data["veto"] is None else float(data["veto"]))
        except (ValueError, KeyError, TypeError) as err:
            raise BadSettingsFile(f"Urgent-care model {source} is not a valid model file ({err}); "
                                  "rebuild it with benchmarks/urgent_train.py.") from None
        if weights.shape != (len(CLASSES), len(model.mean)) or model.scale.shape != model.mean.shape \
                or data["classes"] != list(CLASSES):
            raise BadSettingsFile(f"Urgent-care model {source} has the wrong shape; rebuild it with "
                                  "benchmarks/urgent_train.py.")
        return model

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "UrgentModel":
        try:
            return cls.from_json(Path(path).read_text(encoding="utf-8"), str(path))
        except OSError as err:
            raise BadSettingsFile(f"Urgent-care model {path} cannot be read ({err}); "
                                  "rebuild it with benchmarks/urgent_train.py.") from None

