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

from .embedder import Embedder
from .errors import BadQuestion
from .indexer import IndexReport, Progress, update_index
from .ingest.uploads import save_upload
from .records import Answer
from .search.abstention import AbstainParams, confidence
from .search.answer import AnswerParams, build_answer, render
from .search.conversation import FollowupParams, contextualize, search_in_context
from .search.searcher import SearchParams, Searcher
from .settings import Settings
from .store import generations as gen
from .store.snapshot import Snapshot


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
                 abstain: AbstainParams = AbstainParams(), followup: FollowupParams = FollowupParams()):
        self.settings = settings
        self.embedder = embedder or Embedder(settings.model, settings.backend, settings.batch_size)
        self.params = params
        self.answer_params = answer_params
        self.abstain = abstain
        self.followup = followup
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._token: str | None = None

    # --- index ---------------------------------------------------------------------
    def index(self, full: bool = False, progress: Progress | None = None, wait: float = -1) -> IndexReport:
        """Bring the index up to date with the corpus folder and publish it atomically.

        ``full`` rebuilds from scratch (after a model or chunker change, or damage).
        ``progress(stage, done, total)`` is called while embedding. ``wait`` is how many
        seconds to wait for another indexing run (-1: as long as it takes, 0: not at all).
        Returns an ``IndexReport`` of what changed; files that could not be read are
        listed in its ``skipped`` and do not stop the others.

        Raises ``CorpusMissing``, ``IndexBusy`` (another run holds the lock past
        ``wait``), ``IndexCorrupt``, ``SettingsMismatch`` and ``ModelUnavailable``.
        """
        return update_index(self.settings, self.embedder, full=full, progress=progress, wait=wait)

    def add_article(self, name: str, data: bytes, overwrite: bool = False,
                    progress: Progress | None = None, wait: float = -1) -> tuple[str, IndexReport]:
        """Save an uploaded article into the corpus and index it at once.

        ``name`` is reduced to a safe base name; ``overwrite`` replaces an article of
        that name. Returns (the saved file name, the ``IndexReport``). Raises
        ``BadUpload`` (bad name, type, size or content; nothing is saved) and whatever
        ``index`` raises.
        """
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
                self._searcher = Searcher(Snapshot.open(self.settings.index, self.settings), self.params)
                self._token = token
            return self._searcher

    def stats(self) -> Stats:
        snap = self.searcher().snap
        m = snap.manifest
        articles, passages = snap.store.counts()
        return Stats(articles, passages, m.model, m.backend, m.built_at, m.generation, m.faiss,
                     str(self.settings.index))

    # --- questions -----------------------------------------------------------------
    def ask(self, question: str, history: list[str] | tuple[str, ...] = (), top_k: int = 5) -> Answer:
        """Answer ``question``, read in the context of the earlier user ``history`` (oldest first).

        Returns an ``Answer``: up to ``top_k`` cited passages (``hits``), the stitched
        answer sentences, whether it abstained (the articles do not cover it), and how
        it was searched (``query``, ``followup``). A question longer than
        ``Settings.max_question_chars`` is cut, and ``note`` says so.

        Raises ``BadQuestion`` (empty question), ``IndexMissing`` (nothing indexed yet),
        ``IndexCorrupt`` (a damaged index), ``SettingsMismatch`` (the index was built with
        another model or chunker) and ``ModelUnavailable``.
        """
        question, note = self._clean(question)
        searcher = self.searcher()
        vocab = searcher.vocabulary
        history = [self._clean(h)[0] for h in history if isinstance(h, str) and h.strip()]
        asked = searcher.analyzer.analyze(question).text  # the message's focus, spelling fixed (query.py)
        ctx = contextualize(asked, history, vocab, self.followup)
        ctx, hits = search_in_context(searcher, self.embedder.encode_query, asked, ctx, top_k, self.followup)
        weights = {t: vocab.idf(t) for t in vocab.terms(ctx.query)}
        conf = confidence(hits, weights, vocab)
        abstained = not hits or conf < self.abstain.threshold
        sentences = [] if abstained else build_answer(hits, weights, vocab.terms, self.answer_params)
        return Answer(question, ctx.query, abstained, render(sentences), hits, sentences,
                      ctx.followup, note, conf)

    def _clean(self, question: str) -> tuple[str, str]:
        if not isinstance(question, str) or not question.strip():
            raise BadQuestion("The question is empty; type a question about the articles.")
        q = " ".join(question.split())
        limit = self.settings.max_question_chars
        if len(q) > limit:
            return q[:limit], f"The question was {len(q):,} characters; only the first {limit:,} were used."
        return q, ""
