"""The extractive answer: 1-3 sentences copied verbatim from the top passages.

Sentences of the best passages are scored by how much of the question's
weighted content (BM25 IDF of its stemmed terms) they contain, plus a prior for
the passage's rank, so the answer comes from the passages the ranking trusts.
Scoring is lexical on purpose: it costs microseconds, so the answer adds nothing
noticeable to query latency. Each sentence ends with the marker [n] of its hit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .records import AnswerSentence, Hit
from .sentences import split_spans


@dataclass(frozen=True)
class AnswerParams:
    passages: int = 3
    max_sentences: int = 3
    min_words: int = 4
    keep_ratio: float = 0.6  # later sentences must score this fraction of the best
    rank_prior: float = 0.15


def build_answer(hits: list[Hit], query_terms: dict[str, float], stem: Callable[[str], list[str]],
                 params: AnswerParams = AnswerParams()) -> list[AnswerSentence]:
    """Pick sentences; ``query_terms`` maps stemmed term -> weight, ``stem`` stems a sentence."""
    candidates = []
    total = sum(query_terms.values()) or 1.0
    for n, hit in enumerate(hits[: params.passages], start=1):
        for k, (s, e) in enumerate(split_spans(hit.text)):
            text = hit.text[s:e]
            if len(text.split()) < params.min_words or text.rstrip("\"'”’) ").endswith("?"):
                continue  # fragments and questions (FAQ headings) do not answer anything
            terms = set(stem(text))
            cover = sum(w for t, w in query_terms.items() if t in terms) / total
            score = cover + params.rank_prior * (1.0 / n) + (0.05 if k == 0 else 0.0)
            candidates.append((score, n, s, e, hit))
    if not candidates:
        return []
    candidates.sort(key=lambda c: -c[0])
    best = candidates[0][0]
    chosen = [c for c in candidates[: params.max_sentences] if c[0] >= params.keep_ratio * best]
    chosen.sort(key=lambda c: (c[1], c[2]))  # read in passage order
    return [AnswerSentence(hit.text[s:e], n, hit.start + s, hit.start + e) for _, n, s, e, hit in chosen]


def render(sentences: list[AnswerSentence]) -> str:
    return " ".join(f"{s.text} [{s.hit}]" for s in sentences)
