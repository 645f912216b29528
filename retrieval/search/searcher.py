"""Hybrid passage search over one snapshot: dense + BM25, fused, de-duplicated.

1. Dense: the query vector against FAISS, ``candidates`` nearest passages.
2. Lexical: BM25 scores for every passage, the best ``candidates`` kept.
3. The union is scored by ``fusion.weighted``: a convex mix of the dense cosine
   (computed from stored vectors for lexical-only candidates) and scaled BM25,
   plus the question's similarity to each candidate's section heading and
   article title (vectors embedded once per distinct text at index time), how
   fully the article's title is named in the question, and what the question asks
   of its topic (``aspect.py``): the article's opening section for a question with
   no aspect ("what is lupus"), the section whose heading words it names ("what is
   the outlook for ..."). The parts are ``Scored.signals``, their weights
   ``SearchParams.weights``, measured (see ``fusion.py`` and EVALUATION.md).
4. Near-duplicates are collapsed (cosine ``duplicate_cosine``), and maximal marginal
   relevance (MMR) over the
   passage vectors keeps the top results covering different content. After the
   first ``free_top`` results only articles not shown yet are added (``Diversity``).

The question text searched is the engine's: ``analyzer`` (``query.py``) reads a
message for what it asks first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace, field
from functools import lru_cache, partial
from typing import Callable

import numpy as np

from . import fusion
from ..records import ChunkRow, Hit
from ..store.ranking_table import RankingTable
from ..store.snapshot import Snapshot
from .aspect import Aspects
from .query import QueryAnalyzer, QueryParams
from .vocabulary import CorpusVocabulary


@dataclass(frozen=True)
class SearchParams:
    candidates: int = 50
    lexical_weight: float = 0.2  # BM25 is scaled by the query's IDF sum (``fusion.scale_bound``)
    mmr_lambda: float = 0.85  # 1.0 = pure relevance
    duplicate_cosine: float = 0.95  # a passage this close to one already shown is a near-duplicate
    heading_weight: float = 0.3  # weight of the question's similarity to the section heading
    title_weight: float = 0.3  # weight of the question's similarity to the article title
    title_match_weight: float = 0.4  # weight of the article title's words appearing in the question
    # What the question asks of its topic (aspect.py). ``lead_weight``: chosen on consumer-dev
    # (P@1 0.809 -> 0.817), confirmed on both medquad-dev collections (ans@1 GHR 0.857 ->
    # 0.946, CancerGov 0.866 -> 0.877). ``heading_match_weight``: chosen on medquad-dev's GHR
    # articles, confirmed on its CancerGov ones, another site with other headings and question
    # kinds (ans@1 0.877 -> 0.947); consumer-dev's pages have no headings. EVALUATION.md.
    lead_weight: float = 0.1
    heading_match_weight: float = 0.2
    mode: str = "hybrid"  # "hybrid"; "dense", "lexical", "rrf" for comparisons
    # The first ``free_top`` results are the best passages, whatever their article (the
    # answer's evidence: medquad-dev's ans@5 needs several passages of one article); after
    # them, at most ``per_article`` passages of an article already shown, so the list also
    # offers other articles. Chosen on consumer-dev (nDCG@10 over distinct articles 0.727 ->
    # 0.790 with the first five free; 0.794 -> 0.806 with three, once the aspect signals put
    # the answering section first), confirmed on medquad-dev (ans@5 1.000 on 1,500 questions
    # with five or three free, 0.997 with two, 0.981 with one). EVALUATION.md.
    per_article: int = 1
    free_top: int = 3
    # Whether a passage next to one already shown (same section) is held back. Shown: the
    # answer often runs on into the next passage. Chosen on the seed conversations (gold@3
    # 0.548 -> 0.595), confirmed on the medquad-dev ones (0.571 -> 0.612) and medquad-dev's
    # answer sentences (in gold 0.774 -> 0.815, ans@1/ans@5 equal); consumer-dev nDCG@10
    # 0.806 -> 0.803. EVALUATION.md.
    skip_neighbours: bool = False
    query: QueryParams = QueryParams()  # how a message is read before it is searched (query.py)

    def baseline(self, mode: str) -> "SearchParams":
        """A one-signal system to compare with (``mode`` "dense" or "lexical"): that signal's
        ranking alone, no diversity, neighbours held back as when the baselines were measured."""
        return replace(self, mode=mode, mmr_lambda=1.0, per_article=0, skip_neighbours=True)

    def weights(self) -> dict[str, float]:
        """The weight of each part of the hybrid score (``Scored.signals``)."""
        return {"dense": 1.0 - self.lexical_weight, "lexical": self.lexical_weight,
                "heading": self.heading_weight, "title": self.title_weight, "title_match": self.title_match_weight,
                "lead": self.lead_weight, "heading_match": self.heading_match_weight}


@dataclass
class Scored:
    """Candidates of one query: chunk ids with their scores and vectors, and their rows of
    the generation's ``RankingTable`` (article, title, section, place)."""

    ids: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    fused: np.ndarray
    vectors: np.ndarray
    table: RankingTable
    rows: np.ndarray
    signals: dict[str, np.ndarray] = field(default_factory=dict)  # hybrid: the parts ``fused`` weighs

    def docs(self) -> list[str]:
        """Each candidate's article id."""
        return self.table.doc_ids(self.rows)


class Searcher:
    def __init__(self, snapshot: Snapshot, params: SearchParams = SearchParams()):
        self.snap = snapshot
        self.params = params
        self.table = snapshot.ranking_table()
        self.vocabulary = CorpusVocabulary(snapshot.lexical)
        self.aspects = Aspects(self.vocabulary.terms)
        # The latest queries' BM25 scores, so that one scored beside the search, on the idle
        # core (``Engine.ask``), is not scored again.
        # (A function of the snapshot's BM25 index alone: no cycle keeps this searcher alive.)
        self.lexical_scores = lru_cache(maxsize=_KEEP_LEXICAL)(partial(_read_only_scores, snapshot.lexical))
        self._label_words: dict[int, frozenset[str]] = {}  # label code -> its words (bounded by the labels)
        self.analyzer = QueryAnalyzer(self.vocabulary, lambda: (t for _, t in snapshot.store.iter_chunk_texts()),
                                      params.query)

    def candidates(self, qvec: np.ndarray, query: str, boost: dict[str, float] | None = None,
                   aspect_of: str | None = None) -> Scored:
        """The scored candidates of ``query``. ``aspect_of``: the text whose aspect counts
        (``aspect.py``), when it is not the query: a follow-up's own words, not its topic's."""
        p = self.params
        d_scores, d_ids = self.snap.vectors.search(qvec, p.candidates)
        lex_all, bound = self.lexical_scores(query) if p.mode != "dense" else (np.zeros(0, np.float32), 0.0)
        ids = d_ids
        if p.mode != "dense" and len(lex_all):
            top = np.argpartition(-lex_all, min(p.candidates, len(lex_all) - 1))[: p.candidates]
            top = top[lex_all[top] > 0]
            ids = np.unique(np.concatenate([d_ids, self.table.ids[top]]))  # BM25's rows are the table's
        vectors = self.snap.vectors.reconstruct(ids)
        dense = vectors @ qvec if len(ids) else np.zeros(0, np.float32)
        rows = self.table.rows(ids)
        lexical = lex_all[rows] if len(lex_all) else np.zeros(len(ids), np.float32)
        signals = self._signals(rows, dense, lexical, bound, qvec, query, aspect_of or query) \
            if p.mode == "hybrid" else {}
        scored = Scored(ids, dense, lexical, self._fuse(dense, lexical, signals), vectors, self.table, rows, signals)
        if boost:
            self._apply_boost(scored, boost)
        return scored

    def _signals(self, rows: np.ndarray, dense: np.ndarray, lexical: np.ndarray, bound: float,
                 qvec: np.ndarray, query: str, aspect_of: str) -> dict[str, np.ndarray]:
        """The parts of the hybrid score, each in about 0..1, by the names of ``SearchParams.weights``."""
        t = self.table
        scaled = fusion.scale_bound(lexical, bound)
        heading = t.label_similarity(t.section[rows], qvec)
        title = t.label_similarity(t.title[rows], qvec)
        lead, heading_match = self._aspect_signals(rows, aspect_of)
        return {"dense": dense, "lexical": scaled, "heading": heading, "title": title,
                "title_match": _title_match(t, rows, query, self._words_of), "lead": lead, "heading_match": heading_match}

    def _words_of(self, code: int) -> frozenset[str]:
        """A label's lower-case words, read once per generation (its labels never change)."""
        found = self._label_words.get(code)
        if found is None:
            found = self._label_words[code] = frozenset(_TOKEN.findall(self.table.labels[code].lower()))
        return found

    def _aspect_signals(self, rows: np.ndarray, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Per candidate: opening section of an article the question asks about as a whole; its
        heading's words named in the question (``aspect.py``). Each distinct title, and each
        distinct (heading, title), is read once."""
        t, asked, n = self.table, self.aspects.asked(query), len(self.table.labels)
        titles = t.title[rows]
        pairs, at = np.unique(t.section[rows].astype(np.int64) * n + titles, return_inverse=True)
        labels = t.labels
        match = np.array(self.aspects.heading_matches(asked, [(labels[k // n], labels[k % n]) for k in pairs.tolist()]),
                         np.float32)
        lead = np.zeros(len(rows), np.float32)
        leads = np.flatnonzero(t.lead[rows])
        codes, where = np.unique(titles[leads], return_inverse=True)
        whole = np.array([self.aspects.whole_topic(asked, t.labels[c]) for c in codes.tolist()], np.float32)
        lead[leads] = whole[where.reshape(-1)]
        return lead, match[at.reshape(-1)]

    def _fuse(self, dense: np.ndarray, lexical: np.ndarray, signals: dict[str, np.ndarray]) -> np.ndarray:
        mode = self.params.mode
        if mode == "hybrid":
            return fusion.weighted(signals, self.params.weights())
        if mode == "rrf":
            return fusion.rrf(dense, lexical)
        return (lexical if mode == "lexical" else dense).copy()

    def _apply_boost(self, scored: Scored, boost: dict[str, float]) -> None:
        t = self.table
        codes, at = np.unique(t.doc[scored.rows], return_inverse=True)
        per_doc = np.array([boost.get(t.docs[c], 0.0) for c in codes.tolist()], dtype=scored.fused.dtype)
        scored.fused = scored.fused + per_doc[at].reshape(-1)

    def rank(self, scored: Scored, top_k: int) -> list[Hit]:
        p = self.params
        order = np.argsort(-scored.fused, kind="stable")
        head = max(top_k * 4, 20)  # the pool; a limit per article may go past it to find other articles
        picked = _mmr(order if p.per_article else order[:head], scored, top_k, p.mmr_lambda, p.duplicate_cosine,
                      Diversity(p.per_article, p.free_top, head), p.skip_neighbours)
        rows = self.snap.store.chunk_rows([int(scored.ids[i]) for i in picked])
        top = self._max_score()
        return [_hit(rows, scored, i, top) for i in picked]

    def _max_score(self) -> float:
        """The most a passage can score, so that shown relevance lies in 0..1."""
        return sum(self.params.weights().values()) if self.params.mode == "hybrid" else 1.0

    def search(self, qvec: np.ndarray, query: str, top_k: int = 5, boost: dict[str, float] | None = None,
               aspect_of: str | None = None) -> list[Hit]:
        return self.rank(self.candidates(qvec, query, boost, aspect_of), top_k)


def _read_only_scores(lexical, query: str) -> tuple[np.ndarray, float]:
    """``LexicalIndex.scores`` of ``query``, read-only: searches that keep it share it."""
    scores, bound = lexical.scores(query)
    scores.setflags(write=False)
    return scores, bound


_TOKEN = re.compile(r"[a-z0-9]+")
_KEEP_LEXICAL = 4  # questions' BM25 scores kept (each a float per passage)


def _title_match(table: RankingTable, rows: np.ndarray, query: str,
                 words: Callable[[int], frozenset[str]]) -> np.ndarray:
    """How fully an article's title is named in the question (every word kept, "I" vs "III").

    coverage of the title's words times the square root of the share of the
    question's words they account for, so the longest fully named title wins.
    ``words(code)``: the words of the label ``code`` (``Searcher._words_of``).
    """
    q = set(_TOKEN.findall(query.lower()))
    codes, at = np.unique(table.title[rows], return_inverse=True)
    out = np.zeros(len(codes), dtype=np.float32)
    for k, code in enumerate(codes.tolist()):
        t = words(code)
        hit = len(t & q)
        out[k] = (hit / len(t)) * (hit / len(q)) ** 0.5 if t and q else 0.0
    return out[at].reshape(-1)


@dataclass(frozen=True)
class Diversity:
    """The first ``free_top`` picks are the best passages whatever their article, from the
    first ``head`` of the pool; after them, at most ``per_article`` passages of one article
    (0: no limit), from anywhere in the pool."""

    per_article: int = 0
    free_top: int = 0
    head: int = 10**9

    def allows(self, shown, rank, picked: int, relaxed: bool):
        """Whether a candidate may be picked next, with ``shown`` passages of its article picked
        and at ``rank`` in the pool; ``shown`` and ``rank`` may be arrays over the pool."""
        if not self.per_article or picked < self.free_top:
            return rank < self.head
        return relaxed or shown < self.per_article


def _mmr(order, scored: Scored, top_k: int, lam: float, duplicate: float = 1.01,
         diversity: Diversity = Diversity(), skip_neighbours: bool = False) -> list[int]:
    """Greedy MMR over the best-ranked pool, skipping near-duplicates, neighbours of picked
    passages if ``skip_neighbours``, and what ``diversity`` does not allow (relaxed when the
    pool runs out).

    Each pick is one pass of array operations over the pool: the value of every candidate
    (``lam`` * relevance - (1 - ``lam``) * its closest picked passage), the first best among
    those allowed."""
    pool = list(order)
    vectors = scored.vectors[pool]
    sims = vectors @ vectors.T
    rel = scored.fused[pool]
    table, rows = scored.table, scored.rows[pool]
    docs = np.unique(table.doc[rows], return_inverse=True)[1].reshape(-1)  # 0 .. articles in the pool - 1
    sections = table.doc[rows].astype(np.int64) * len(table.labels) + table.section[rows]
    ords = table.ord[rows].astype(np.int64)
    ranks = np.arange(len(pool))
    shown = np.zeros(len(pool), dtype=np.int64)  # passages picked, by article code
    open_ = np.ones(len(pool), dtype=bool)  # not picked, not next to a picked passage
    picked: list[int] = []  # positions in pool
    max_sim = np.zeros(len(pool))
    relaxed = False
    while len(picked) < top_k:
        allowed = open_ & (max_sim < duplicate) & diversity.allows(shown[docs], ranks, len(picked), relaxed)
        val = lam * rel - (1 - lam) * max_sim
        allowed &= val > -np.inf  # a NaN is never picked
        if not allowed.any():
            if diversity.per_article and not relaxed:
                relaxed = True  # too few other articles: fill from those shown
                continue
            break
        best = int(np.argmax(np.where(allowed, val, -np.inf)))
        picked.append(best)
        open_[best] = False
        if skip_neighbours:
            open_ &= ~((sections == sections[best]) & (np.abs(ords - ords[best]) == 1))
        shown[docs[best]] += 1
        max_sim = np.maximum(max_sim, sims[best])
    return [pool[k] for k in picked]


def _hit(rows: dict[int, ChunkRow], scored: Scored, i: int, top: float = 1.0) -> Hit:
    cid = int(scored.ids[i])
    row = rows[cid]
    score = min(1.0, max(0.0, float(scored.fused[i]) / top))
    return Hit(row.doc, row.title, row.section, row.text, row.start, row.end, score, row.source, cid,
               float(scored.dense[i]), float(scored.lexical[i]), page=row.page, date=row.date)
