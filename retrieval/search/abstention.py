"""Abstention: say "not covered" instead of showing unrelated text.

Confidence combines how close the best passage is in meaning (its cosine
similarity) with how much of the question's weighted vocabulary the corpus
knows at all. A question about a topic the articles never mention scores low on
both. The threshold is calibrated on the development set (EVALUATION.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..records import Hit
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class AbstainParams:
    threshold: float = 0.28  # calibrated: the highest with no false abstention (EVALUATION.md)


def term_weights(text: str, vocabulary: Vocabulary) -> dict[str, float]:
    """Each of the text's terms with its IDF: what confidence and coverage weigh."""
    return {t: vocabulary.idf(t) for t in vocabulary.terms(text)}


def vocabulary_coverage(weights: dict[str, float], vocabulary: Vocabulary) -> float:
    """Share of the query's IDF weight carried by terms that occur in the corpus."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in weights.items() if vocabulary.document_frequency(t) > 0) / total


def confidence(hits: list[Hit], weights: dict[str, float], vocabulary: Vocabulary) -> float:
    if not hits:
        return 0.0
    return scaled(max(h.dense for h in hits), weights, vocabulary)


def scaled(cosine: float, weights: dict[str, float], vocabulary: Vocabulary) -> float:
    """The confidence of a best cosine ``cosine`` for a query of term ``weights``."""
    return cosine * (0.5 + 0.5 * vocabulary_coverage(weights, vocabulary))
