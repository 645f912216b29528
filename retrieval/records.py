"""Typed records passed between the modules: Article, Section, Chunk, ChunkRow, ChunkMeta, Hit, Urgent, Answer, ArticleInfo."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Section:
    """A titled span of an article's text; ``start``/``end`` are character offsets."""

    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One loaded article. ``text`` is what offsets point into."""

    id: str  # path relative to the corpus root, POSIX style
    title: str
    text: str
    sections: tuple[Section, ...]
    source: str = ""  # URL from front matter, when given
    hash: str = ""  # content hash of the raw file
    date: str = ""  # ISO date (YYYY-MM-DD) the article was written or updated; "" when unknown
    pages: tuple[tuple[int, int], ...] = ()  # PDF: each page's (start, end) in ``text``; () otherwise
    warnings: tuple[str, ...] = ()  # what was read with a problem (one line each); not stored

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset`` (the last page begun before it); None without pages."""
        if not self.pages:
            return None
        return max(1, bisect_right([start for start, _ in self.pages], offset))


@dataclass(frozen=True)
class Chunk:
    """A passage: a sentence-aligned span inside one section of one article."""

    article_id: str
    ord: int
    title: str
    section: str
    start: int
    end: int
    text: str
    embed_text: str  # what the model sees: title, section and passage
    hash: str  # hash of embed_text: equal hash, equal vector
    page: int | None = None  # PDF: the page where the passage starts


class ChunkMeta(NamedTuple):
    """What ranking needs of a stored passage, without its text."""

    doc: str
    title: str
    section: str
    ord: int
    lead: bool = False  # in the article's first section (its opening: what the article is about)


class ChunkRow(NamedTuple):
    """A stored passage with its citation, as the store returns it."""

    doc: str
    title: str
    section: str
    text: str
    start: int
    end: int
    source: str
    ord: int
    page: int | None = None
    date: str = ""


@dataclass
class Hit:
    """A ranked passage with its citation."""

    doc: str
    title: str
    section: str
    text: str
    start: int
    end: int
    score: float
    source: str = ""
    chunk_id: int = -1
    dense: float = 0.0
    lexical: float = 0.0
    page: int | None = None  # PDF: the page where the passage starts
    date: str = ""  # the article's ISO date, "" when unknown

    def to_json(self) -> dict:
        """The batch format; ``page`` and ``date`` only when known, so other corpora keep their bytes."""
        out = {
            "doc": self.doc, "title": self.title, "section": self.section,
            "text": self.text, "start": self.start, "end": self.end,
            "score": round(float(self.score), 4), "source": self.source,
        }
        if self.page is not None:
            out["page"] = self.page
        if self.date:
            out["date"] = self.date
        return out


@dataclass(frozen=True)
class AnswerSentence:
    """A sentence copied verbatim from a hit; ``hit`` is the 1-based citation marker."""

    text: str
    hit: int
    start: int  # character offsets into the article
    end: int


@dataclass(frozen=True)
class Urgent:
    """A notice to show before the answer (``search/urgent.py`` decides when and says what).

    ``level`` is "emergency" (warning signs happening now), "crisis" (suicide or
    self-harm: the crisis line) or "informational" (a question about a serious
    condition: the softer "if this is happening now" line).
    """

    kind: str  # e.g. "chest pain", "stroke", "self-harm"
    level: str
    message: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "level": self.level, "message": self.message}


@dataclass
class Answer:
    """What a question gets back: the extractive answer, the hits, and how it was searched."""

    question: str
    query: str  # the text actually searched (differs for follow-ups)
    abstained: bool
    answer: str
    hits: list[Hit]
    sentences: list[AnswerSentence] = field(default_factory=list)
    followup: bool = False
    note: str = ""  # e.g. "question truncated"
    confidence: float = 0.0
    urgent: Urgent | None = None  # shown first, above the answer

    def to_json(self, qid: object = ...) -> dict:
        out = {
            "abstained": self.abstained, "answer": self.answer,
            "hits": [h.to_json() for h in self.hits],
            "query": self.query, "followup": self.followup,
            "confidence": round(float(self.confidence), 4),
            "urgent": self.urgent.to_json() if self.urgent else None,
        }
        if self.note:
            out["note"] = self.note
        return out if qid is ... else {"id": qid, **out}


@dataclass(frozen=True)
class ArticleInfo:
    """One row of the articles list: what an editor sees of an indexed article."""

    id: str  # path relative to the corpus root, as in ``Hit.doc``
    title: str
    source: str  # URL, "" when not given
    date: str  # ISO date, "" when unknown
    passages: int
    indexed_at: str  # ISO 8601 UTC time the article's current version was indexed ("" if unknown)
    pages: int = 0  # PDF pages; 0 for other types
