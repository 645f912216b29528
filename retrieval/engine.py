"""The library API: one ``Engine`` that the CLI and the app both call.

    engine = Engine(Settings(corpus=Path("corpus"), index=Path("index")))
    engine.index()                                   # build or update
    reply = engine.ask("can tight hamstrings cause IT band pain")
    reply = engine.ask("what stretches help?", history=["can tight hamstrings cause IT band pain"])

The model is built on first use. The index is re-opened automatically when a new
generation is published on disk (by this process or another).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .store import generations as gen
from .search.abstention import AbstainParams, confidence
from .search.answer import AnswerParams, build_answer, render
from .search.conversation import Context, contextualize
from .embedder import Embedder
from .errors import BadQuestion
from .indexer import IndexReport, Progress, update_index
from .records import Answer
from .search.searcher import SearchParams, Searcher
from .settings import Settings
from .store.snapshot import Snapshot
from .ingest.uploads import save_upload

FOLLOWUP_BOOST = 0.05  # added to passages of the articles the topic-setting turn retrieved
# An elliptical question keeps its context only if the passages found in context are
# nearly as close to the question alone as its own best match (not dragged elsewhere).
ELLIPSIS_KEEP = 0.9


@dataclass
class Stats:
    articles: int
    passages: int
    model: str
    backend: str
    built_at: str
    generation: str
    faiss: str
    index_dir: str


class Engine:
    def __init__(self, settings: Settings = Settings(), embedder: Embedder | None = None,
                 params: SearchParams = SearchParams(), answer_params: AnswerParams = AnswerParams(),
                 abstain: AbstainParams = AbstainParams()):
        self.settings = settings
        self.embedder = embedder or Embedder(settings.model, settings.backend, settings.batch_size)
        self.params = params
        self.answer_params = answer_params
        self.abstain = abstain
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._searcher: Searcher | None = None
        self._token: str | None = None

    # --- index ---------------------------------------------------------------------
    def index(self, full: bool = False, progress: Progress | None = None, wait: float = -1) -> IndexReport:
        return update_index(self.settings, self.embedder, full=full, progress=progress, wait=wait)

    def add_article(self, name: str, data: bytes, overwrite: bool = False,
                    progress: Progress | None = None, wait: float = -1) -> tuple[str, IndexReport]:
        """Save an uploaded article into the corpus and index it at once; returns (article id, report)."""
        path = save_upload(self.settings.corpus, name, data, overwrite=overwrite,
                           max_bytes=self.settings.max_article_bytes)
        return path.name, self.index(progress=progress, wait=wait)

    def has_index(self) -> bool:
        return gen.read_pointer(self.settings.index) is not None

    def searcher(self) -> Searcher:
        """The searcher over the live generation, re-opened if a newer one was published."""
        with self._lock:
            token = gen.generation_token(self.settings.index)
            if self._searcher is None or token != self._token:
                # The previous snapshot is not closed here: other threads may still be
                # searching it; it is released when the last reference goes.
                snap = Snapshot.open(self.settings.index, self.settings)
                self._snap, self._token = snap, token
                self._searcher = Searcher(snap, self.params)
            return self._searcher

    def stats(self) -> Stats:
        snap = self.searcher().snap
        m = snap.manifest
        articles, passages = snap.store.counts()
        return Stats(articles, passages, m.get("model", ""), m.get("backend", ""), m.get("built_at", ""),
                     m.get("generation", ""), m.get("faiss", ""), str(self.settings.index))

    # --- questions -----------------------------------------------------------------
    def ask(self, question: str, history: list[str] | tuple[str, ...] = (), top_k: int = 5) -> Answer:
        question, note = self._clean(question)
        searcher = self.searcher()
        lex = searcher.snap.lexical
        history = [self._clean(h)[0] for h in history if isinstance(h, str) and h.strip()]
        ctx = contextualize(question, history, *_terms(lex, question), topic_of=lambda q: _terms(lex, q))
        ctx, hits = self._search(searcher, question, ctx, top_k)
        weights = {t: lex.idf(t) for t in lex.terms(ctx.query)}
        conf = confidence(hits, weights, lex)
        abstained = not hits or conf < self.abstain.threshold
        sentences = [] if abstained else build_answer(hits, weights, lex.terms, self.answer_params)
        return Answer(question, ctx.query, abstained, render(sentences), hits, sentences,
                      ctx.followup, note, conf)

    def _search(self, searcher: Searcher, question: str, ctx: Context, top_k: int):
        """Search in context; an only-elliptical question keeps the context only if it matches better.

        In context the query vector is the sum of the question's and the joined text's
        vectors, so the question's own intent ("what exercises…") is not outweighed
        by the earlier turn's topic.
        """
        qvec = self.embedder.encode_query(question)
        if not ctx.followup:
            return ctx, searcher.search(qvec, question, top_k)
        both = qvec + self.embedder.encode_query(ctx.query)
        hits = searcher.search(both / np.linalg.norm(both), ctx.query, top_k, self._topic_boost(searcher, ctx))
        if not ctx.explicit and hits:
            alone = searcher.search(qvec, question, top_k)
            kept = searcher.snap.vectors.reconstruct([h.chunk_id for h in hits[:3]]) @ qvec
            if alone and float(kept.max()) < ELLIPSIS_KEEP * alone[0].dense:
                return Context(question, False), alone
        return ctx, hits

    def _clean(self, question: str) -> tuple[str, str]:
        if not isinstance(question, str) or not question.strip():
            raise BadQuestion("The question is empty; type a question about the articles.")
        q = " ".join(question.split())
        limit = self.settings.max_question_chars
        if len(q) > limit:
            return q[:limit], f"The question was {len(q):,} characters; only the first {limit:,} were used."
        return q, ""

    def _topic_boost(self, searcher: Searcher, ctx: Context) -> dict[str, float]:
        qvec = self.embedder.encode_query(ctx.topic)
        hits = searcher.search(qvec, ctx.topic, 3)
        return {h.doc: FOLLOWUP_BOOST for h in hits}


def _terms(lex, text: str) -> tuple[list[str], set[str]]:
    """The content terms of ``text`` and those specific enough to set a topic."""
    terms = lex.terms(text)
    return terms, {t for t in terms if lex.is_specific(t)}
