"""The library API: one ``Engine`` that the CLI and the app both call.

    engine = Engine(Settings(corpus=Path("corpus"), index=Path("index")))
    engine.index()                                   # build or update
    reply = engine.ask("can tight hamstrings cause IT band pain")
    reply = engine.ask("what stretches help?", history=["can tight hamstrings cause IT band pain"])
    engine.articles("knee")                          # the articles list, by title
    engine.article("knee-care.pdf")                  # one whole stored article
    engine.remove_article("knee-care.pdf")           # delete its file and re-index

The model is built on first use. The index is re-opened automatically when a new
generation is published on disk (by this process or another). Every reply carries
``urgent``: the urgent-care notice to show first, or None (``search/urgent.py`` decides).
"""
from __future__ import annotations

import ctypes
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .embedder import Embedder, QueryVectors
from .errors import ArticleNotFound, BadQuestion, RetrievalError
from .indexer import IndexReport, Progress, update_index
from .ingest.uploads import remove_from_corpus, save_upload
from .records import Answer, Article, ArticleInfo, Urgent
from .search.abstention import AbstainParams, confidence, scaled, term_weights
from .search.answer import AnswerParams, build_answer, render
from .search.conversation import FollowupParams, contextualize, search_in_context, weighed_text
from .search.searcher import SearchParams, Searcher
from .search.spare_core import SpareCore
from .search.urgent import UrgentCheck, build as build_urgent
from .settings import Settings
from .store import generations as gen
from .store.snapshot import Snapshot

# A lone surrogate is not text: it is what Python makes of bytes that are not UTF-8 in
# argv ("surrogateescape"), or a JSON "\ud800"; the tokenizer refuses it.
_SURROGATE = re.compile("[\ud800-\udfff]")


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
                 abstain: AbstainParams = AbstainParams(), followup: FollowupParams = FollowupParams(),
                 urgent: UrgentCheck | None = None):
        _one_blas_thread()
        self.settings = settings
        self.embedder = embedder or Embedder(settings.model, settings.backend, settings.batch_size)
        # Reads Settings.urgent_file now (a bad file fails here); logs when the check is off.
        self.urgent = urgent or build_urgent(settings.urgent_file, self.embedder.encode)
        self._vectors = QueryVectors(self.embedder.encode_query)
        self.params = params
        self.answer_params = answer_params
        self.abstain = abstain
        self.followup = followup
        self._lock = threading.Lock()  # guards the three fields below, briefly
        self._searcher: Searcher | None = None
        self._token: str | None = None
        self._opening = False  # a thread is opening a newer generation
        self._open_lock = threading.Lock()
        self._spare = SpareCore(settings.spare_core)  # side work on the idle core (search/spare_core.py)

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

    def remove_article(self, doc_id: str, progress: Progress | None = None, wait: float = -1) -> IndexReport:
        """Delete the article ``doc_id`` from the corpus folder and re-index at once.

        ``doc_id`` is the article's id (``ArticleInfo.id``, ``Hit.doc``): its path inside
        the corpus. Only an article file inside the corpus is deleted. An indexed article
        whose file is already gone is simply dropped from the index. ``progress`` and
        ``wait`` are as for ``index``. Returns the ``IndexReport`` (its ``removed`` lists
        ``doc_id``). Raises ``ArticleNotFound`` (no such article file, or an id that does
        not name one inside the corpus), ``BadUpload`` (the file cannot be deleted) and
        whatever ``index`` raises.
        """
        try:
            remove_from_corpus(self.settings.corpus, doc_id)
        except ArticleNotFound:
            if not self._indexed(doc_id):
                raise
        return self.index(progress=progress, wait=wait)

    def _indexed(self, doc_id: str) -> bool:
        return self.has_index() and self.searcher().snap.store.article(doc_id) is not None

    # --- articles ------------------------------------------------------------------
    def articles(self, query: str = "") -> list[ArticleInfo]:
        """The indexed articles, by title: id, title, source, date, passages, when indexed.

        ``query`` keeps only titles that contain it (case-insensitive, spaces loose).
        Returns [] when nothing is indexed yet. Raises ``IndexCorrupt`` and
        ``SettingsMismatch`` as ``ask`` does.
        """
        if not self.has_index():
            return []
        infos = self.searcher().snap.store.article_infos()
        words = " ".join(query.split()).casefold()
        return [a for a in infos if words in " ".join(a.title.split()).casefold()]

    def article(self, doc_id: str) -> Article:
        """The whole stored article ``doc_id`` from the live index: text, sections, date, pages.

        Offsets (``Hit.start``/``end``, ``Section``, ``Article.pages``) point into its
        ``text``. Raises ``ArticleNotFound`` (not in the index), ``IndexMissing``,
        ``IndexCorrupt`` and ``SettingsMismatch``.
        """
        found = self.searcher().snap.store.article(doc_id)
        if found is None:
            raise ArticleNotFound(f"{doc_id}: no such article in the index; it may have been removed or renamed.")
        return found

    def warm(self) -> None:
        """Load the model and open the index now, so the first question is answered at once.

        The app calls it in the background when a page first opens. A missing or damaged
        index is left for ``ask`` to report.
        """
        self.embedder.encode_query("warm up")
        if self.urgent.enabled:
            self.urgent.warm()  # the urgent-care check's example and neighbour vectors
        try:
            if self.has_index():
                self.searcher()
        except RetrievalError:
            pass

    def has_index(self) -> bool:
        return gen.read_pointer(self.settings.index) is not None

    def searcher(self) -> Searcher:
        """The searcher over the live generation, re-opened if a newer one was published.

        A new generation is opened and made ready (its query word lists built) by the one
        thread that first sees it; meanwhile other threads keep answering from the previous
        generation, whole, instead of queueing behind the opening. The previous snapshot is
        not closed: it is released when the last search using it ends.
        """
        token = gen.generation_token(self.settings.index)
        with self._lock:
            current = self._searcher
            if current is not None and (token == self._token or self._opening):
                return current
            self._opening = True
        try:
            with self._open_lock:  # the first open: everyone waits for it
                if self._searcher is not None and self._token == token:
                    return self._searcher
                fresh = Searcher(Snapshot.open(self.settings.index, self.settings), self.params)
                fresh.analyzer.lists()
                with self._lock:
                    self._searcher, self._token = fresh, token
                _trim_heap()
                return fresh
        finally:
            with self._lock:
                self._opening = False

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
        answer sentences, whether it abstained (the articles do not cover it), how
        it was searched (``query``, ``followup``), and ``urgent``: the urgent-care notice
        to show above it (emergency signs happening now, or the crisis line), or None.
        A question longer than ``Settings.max_question_chars`` is cut, and ``note`` says so.

        Raises ``BadQuestion`` (an empty question, or one that is not a string of valid
        text, in the question or the history), ``IndexMissing`` (nothing indexed yet),
        ``IndexCorrupt`` (a damaged index), ``SettingsMismatch`` (the index was built with
        another model or chunker) and ``ModelUnavailable``.
        """
        question, note = self._clean(question)
        history = [self._clean(h, "An earlier question")[0] for h in history if isinstance(h, str) and h.strip()]
        with self._spare.asking():
            return self._answer(question, note, history, top_k)

    def _answer(self, question: str, note: str, history: list[str], top_k: int) -> Answer:
        searcher = self.searcher()
        vocab = searcher.vocabulary
        asked = searcher.analyzer.analyze(question).text  # the message's focus, spelling fixed (query.py)
        earlier = [searcher.analyzer.analyze(h).text for h in history]  # read as they were searched
        ctx = contextualize(asked, earlier, vocab, self.followup, lambda turn: self._answerable(searcher, turn))
        encode = self._vectors.for_question()
        # The check reads the whole message by its rules, and by meaning through the vector the
        # search computed (the focus, spelling fixed): a long message costs no second encode.
        searched = dict(zip(history, earlier))  # each earlier turn's vector is the one it was searched by
        vector = encode(asked)
        # While FAISS searches (without the GIL), the idle core scores BM25 (in the order the search
        # will ask) and runs the check; on the asking thread only the check is left to do.
        texts = [] if searcher.params.mode == "dense" else \
            list(dict.fromkeys(t for t in (ctx.topic, ctx.query, asked) if t))
        check = lambda: self.urgent.check(question, vector, history,
                                          lambda turn: self._vectors.earlier(searched.get(turn, turn)))
        urgent = self._spare.beside(lambda: self._side_work(searcher, texts, check), check)
        ctx, hits = search_in_context(searcher, encode, asked, ctx, top_k, self.followup,
                                       self.abstain.threshold)
        urgent = urgent.result()
        weights = term_weights(weighed_text(asked, ctx, vocab, self.followup), vocab)
        conf = confidence(hits, weights, vocab)
        abstained = not hits or conf < self.abstain.threshold
        sentences = [] if abstained else build_answer(hits, weights, vocab.terms, self.answer_params)
        return Answer(question, ctx.query, abstained, render(sentences), hits, sentences,
                      ctx.followup, note, conf, urgent)

    def _side_work(self, searcher: Searcher, texts: Iterable[str], check: Callable[[], Urgent | None]) -> Urgent | None:
        """Beside the search: the BM25 scores of the texts it will search (kept by the searcher,
        for the search to find), then the urgent check."""
        for text in texts:
            searcher.lexical_scores(text)
        return check()

    def _answerable(self, searcher: Searcher, turn: str) -> bool:
        """Whether the articles cover an earlier turn, by the abstention rule on its best passage."""
        scores, _ = searcher.snap.vectors.search(self._vectors.earlier(turn), 1)
        vocab = searcher.vocabulary
        return bool(len(scores)) and scaled(float(scores[0]), term_weights(turn, vocab), vocab) >= self.abstain.threshold

    def _clean(self, question: str, what: str = "The question") -> tuple[str, str]:
        """The question with white space collapsed and cut to the length limit, and a note if cut."""
        if question is not None and not isinstance(question, str):
            raise BadQuestion(f"{what} must be a string, not {type(question).__name__}; pass the question as text.")
        if not question or not question.strip():
            raise BadQuestion("The question is empty; type a question about the articles.")
        if _SURROGATE.search(question):
            raise BadQuestion(f"{what} holds bytes that are not valid UTF-8 text; retype it, or save it as UTF-8.")
        q = " ".join(question.split())
        limit = self.settings.max_question_chars
        if len(q) > limit:
            return q[:limit], f"The question was {len(q):,} characters; only the first {limit:,} were used."
        return q, ""


def _trim_heap() -> None:
    """Hand memory freed since the last generation back to the system (glibc's ``malloc_trim``;
    nothing where there is none). A re-opened generation replaces word lists and arrays of
    tens of MiB, and with many threads glibc keeps what they freed in per-thread arenas
    (BENCHMARKS.md, "Load": memory)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@lru_cache(maxsize=1)
def _one_blas_thread() -> None:
    """numpy's BLAS on one thread, once per process. Every matrix product of a question is
    small (tens of candidates by 384), and after each one OpenBLAS's worker threads spin
    for a while: with many questions in flight they took about half of the CPU, and a
    question cost twice the CPU time (BENCHMARKS.md, "Load"). Results are unchanged: a
    product's elements are summed the same way on one thread. Only numpy's own copy is
    set; FAISS's (index training) keeps its threads."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return
    packages = Path(np.__file__).resolve().parents[1]
    for lib in ThreadpoolController().lib_controllers:
        path = Path(lib.filepath).resolve()
        if lib.user_api == "blas" and path.is_relative_to(packages) and \
                path.relative_to(packages).parts[0].startswith("numpy"):
            lib.set_num_threads(1)
