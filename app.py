"""Streamlit chat over the health articles: a thin skin over ``retrieval.Engine``.

    make run                        # index corpus/ and serve this page
    RETRIEVAL_CORPUS=... RETRIEVAL_INDEX=... streamlit run app.py

Every piece of article text is HTML-escaped before it is shown; the only tags on
the page are the ones built here (<div>, <mark>, <a>, <br>, <b>, <span>).
"""
from __future__ import annotations

import html
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as Pending
from typing import Callable

import streamlit as st

from retrieval.engine import Engine
from retrieval.errors import RetrievalError
from retrieval.indexer import IndexReport, Progress
from retrieval.ingest.dates import is_stale
from retrieval.ingest.loaders import SUFFIXES
from retrieval.records import Answer, Article, Urgent
from retrieval.serve.questionlog import QuestionLog
from retrieval.serve.roles import Access, Decision
from retrieval.settings import Settings

NOT_COVERED = "The articles do not cover this question, so there is no answer to show."
UPLOAD_TYPES = sorted({s.lstrip(".") for s in SUFFIXES})
STAGES = {"embed": "Embedding passages", "lexical": "Building the keyword index"}
POLL_S = 0.1  # how often a page run waiting for an answer lets a new question through
REINDEX_WAIT_S = 30  # how long Re-index waits for another indexing run (e.g. the watcher)


@dataclass
class Turn:
    question: str
    answer: Answer | None
    error: str = ""  # a problem the user can fix, shown instead of an answer
    log_id: int | None = None  # its row in the question log (None: logging is off)


@dataclass(frozen=True)
class Queued:
    number: int  # identity: the same words may be asked twice
    question: str


@dataclass
class Conversation:
    """One browser tab's conversation: answered turns and questions still to answer.

    Questions are answered one at a time, in the order sent, by this conversation's own
    worker thread, so the page run that shows them stays free to react: a question sent
    while an answer is on its way starts a new page run at once, and Streamlit keeps only
    the latest of several chat submissions that wait for a busy run. A page run never
    answers; it asks for the future of a queued question (the same one on every run) and
    waits for it in short steps.
    """

    turns: list[Turn] = field(default_factory=list)
    pending: list[Queued] = field(default_factory=list)
    futures: dict[int, Future] = field(default_factory=dict)
    sent: int = 0
    changing: threading.Lock = field(default_factory=threading.Lock)
    worker: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, "answer"))

    def queue(self, question: str) -> None:
        with self.changing:
            self.sent += 1
            self.pending.append(Queued(self.sent, question))

    def snapshot(self) -> tuple[list[Turn], list[Queued]]:
        with self.changing:
            return list(self.turns), list(self.pending)

    def answer(self, item: Queued, ask: Callable[[str, list[str]], Turn]) -> Future:
        """The future answer to ``item``, answered after every question queued before it."""
        with self.changing:
            if item.number not in self.futures:
                self.futures[item.number] = self.worker.submit(self._answer, item, ask)
            return self.futures[item.number]

    def _answer(self, item: Queued, ask: Callable[[str, list[str]], Turn]) -> Turn:
        with self.changing:
            history = [t.question for t in self.turns]
        try:
            turn = ask(item.question, history)
        except Exception as err:  # never leave the conversation stuck on one question
            turn = Turn(item.question, None, f"This question could not be answered ({type(err).__name__}).")
        with self.changing:
            self.turns.append(turn)
            self.pending.remove(item)
        return turn


@st.cache_resource(show_spinner=False)
def get_engine(settings: Settings) -> Engine:
    """One Engine per process and settings; it re-opens the index when a new one is published.

    The model and the index load in the background as soon as the first page opens,
    so the first question does not wait for them.
    """
    engine = Engine(settings)
    threading.Thread(target=warm, args=(engine,), name="warm-up", daemon=True).start()
    return engine


@st.cache_resource(show_spinner=False)
def get_log(settings: Settings) -> QuestionLog:
    return QuestionLog.from_settings(settings)


def warm(engine: Engine) -> None:
    try:
        engine.warm()
    except RetrievalError:
        pass  # the first question reports it


# --- HTML, always from escaped text ------------------------------------------------
def esc(text: str) -> str:
    """Escaped text on one line: newlines become <br> so markdown never parses article text."""
    return html.escape(text).replace("\r", "").replace("\n", "<br>")


def highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, with the character spans wrapped in <mark>."""
    out, pos = [], 0
    for start, end in sorted(spans):
        start, end = max(start, pos, 0), min(end, len(text))
        if start < end:
            out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
            pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def spans_in(answer: Answer, n: int) -> list[tuple[int, int]]:
    """Offsets, within hit ``n``'s passage, of the answer sentences citing it."""
    hit = answer.hits[n - 1]
    return [(s.start - hit.start, s.end - hit.start) for s in answer.sentences if s.hit == n]


def source_link(source: str) -> str:
    if not source.startswith(("https://", "http://")):
        return ""
    url = html.escape(source, quote=True)
    return f' · <a href="{url}" target="_blank" rel="noopener noreferrer">source</a>'


def article_url(doc: str, spans: list[tuple[int, int]]) -> str:
    """A stable, shareable link to the article with ``spans`` (article offsets) highlighted."""
    query = {"article": doc, "hl": ",".join(f"{s}-{e}" for s, e in spans)}
    return html.escape("?" + urllib.parse.urlencode(query), quote=True)


def cited_spans(answer: Answer, n: int) -> list[tuple[int, int]]:
    """What [n] points at, in article offsets: its answer sentences, else the whole passage."""
    hit = answer.hits[n - 1]
    return [(s.start, s.end) for s in answer.sentences if s.hit == n] or [(hit.start, hit.end)]


def open_link(answer: Answer, n: int, label: str, css: str = "") -> str:
    url = article_url(answer.hits[n - 1].doc, cited_spans(answer, n))
    return f'<a class="{css}" href="{url}" target="_blank" rel="noopener">{label}</a>'


def dated(date_iso: str) -> str:
    """The article's date, marked when it is older than the configured age."""
    if not date_iso:
        return ""
    stale = is_stale(date_iso, date.today(), Settings.stale_after_days)  # not read from the environment
    mark = ' <span class="stale">· may be out of date</span>' if stale else ""
    return f" · {esc(date_iso)}{mark}"


def card_html(answer: Answer, n: int, show_scores: bool) -> str:
    hit = answer.hits[n - 1]
    section = hit.section if hit.section and hit.section != hit.title else "Introduction"
    page = f" · p. {hit.page}" if hit.page else ""
    score = f' · <span class="score">relevance {hit.score:.2f}</span>' if show_scores else ""
    title = open_link(answer, n, f"[{n}] {esc(hit.title)}", "title")
    return (f'<div class="card"><b>{title}</b><br>'
            f'<span class="section">{esc(section)}{page}{dated(hit.date)}</span>{source_link(hit.source)}{score}'
            f'<div class="passage">{highlight(hit.text, spans_in(answer, n))}</div></div>')


def answer_html(answer: Answer) -> str:
    """The answer's sentences, each with its citation [n] linking to the article at that sentence."""
    parts = [f"{esc(s.text)} {open_link(answer, s.hit, f'[{s.hit}]', 'cite')}" for s in answer.sentences]
    return f'<div class="answer">{" ".join(parts) or esc(answer.answer)}</div>'


def closest_html(answer: Answer) -> str:
    titles = list(dict.fromkeys(h.title for h in answer.hits))[:3]
    items = "".join(f"<li>{esc(t)}</li>" for t in titles)
    return f'<div class="closest">Closest articles (closest, not an answer):<ul>{items}</ul></div>'


# --- notices: urgent care above the answer, and the standing one -----------------------
# The engine decides (retrieval/search/urgent.py); the words come from its settings file.
# Emergency and crisis notices are alerts for screen readers (class "urgent"); the softer
# "if this is happening now" line is a note (class "urgent-soft"). Colours meet WCAG AA.
NOTICE_STYLE = """
.urgent, .urgent-soft { padding: 0.75em 1em; margin-bottom: 0.75em; border-radius: 0.4em; }
.urgent { border-left: 0.4em solid #b00020; background: #fdecea; color: #3b0008; font-weight: 600; }
.urgent.urgent-crisis { border-left-color: #1a4fa3; background: #e8f0fe; color: #0b2447; }
.urgent-soft { border-left: 0.3em solid #8a5a00; background: #fff8e1; color: #3d2a00; }
.standing-notice { font-size: 0.875em; color: #31333f; background: #f0f2f6; padding: 0.4em 0.75em;
  border-radius: 0.4em; margin-bottom: 1em; }
"""


def urgent_html(urgent: Urgent) -> str:
    if urgent.level == "informational":
        return f'<div class="urgent-soft" role="note">{esc(urgent.message)}</div>'
    return f'<div class="urgent urgent-{esc(urgent.level)}" role="alert">{esc(urgent.message)}</div>'


def render_urgent(answer: Answer) -> None:
    """The urgent-care notice, first, above the answer and its passages (which still follow)."""
    if answer.urgent:
        st.markdown(urgent_html(answer.urgent), unsafe_allow_html=True)


def render_standing_notice(engine: Engine) -> None:
    text = engine.urgent.config.standing
    st.markdown(f'<div class="standing-notice" role="note">{esc(text)}</div>', unsafe_allow_html=True)


# --- the conversation ----------------------------------------------------------------
def render_answer(answer: Answer, show_scores: bool, latest: bool) -> None:
    render_urgent(answer)
    if answer.note:
        st.info(answer.note)
    if answer.abstained:
        st.warning(NOT_COVERED)
        if answer.hits:
            st.markdown(closest_html(answer), unsafe_allow_html=True)
        return
    st.markdown(answer_html(answer), unsafe_allow_html=True)
    if answer.followup:
        st.caption(f"Follow-up: searched as “{answer.query}”")
    with st.expander(f"Sources ({len(answer.hits)})", expanded=latest):
        for n in range(1, len(answer.hits) + 1):
            with st.container(border=True):
                st.markdown(card_html(answer, n, show_scores), unsafe_allow_html=True)


def replay(turns: list[Turn], log: QuestionLog, show_scores: bool) -> None:
    for i, turn in enumerate(turns):
        with st.chat_message("user"):
            st.text(turn.question)
        with st.chat_message("assistant"):
            show_turn(turn, log, show_scores, latest=i == len(turns) - 1)


def show_turn(turn: Turn, log: QuestionLog, show_scores: bool, latest: bool) -> None:
    if turn.error:
        st.error(turn.error)
        return
    render_answer(turn.answer, show_scores, latest)
    feedback(turn, log)


def feedback(turn: Turn, log: QuestionLog) -> None:
    """Thumbs up or down, and an optional comment once a thumb is given: into the question log."""
    if turn.log_id is None:
        return
    key = f"feedback-{turn.log_id}"
    st.feedback("thumbs", key=key, on_change=save_feedback, args=(log, turn.log_id))
    if st.session_state.get(key) is not None:
        st.text_input("What was wrong or missing? (optional)", key=f"comment-{turn.log_id}",
                      on_change=save_feedback, args=(log, turn.log_id))


def save_feedback(log: QuestionLog, row: int) -> None:
    thumb = st.session_state.get(f"feedback-{row}")
    if thumb is None:
        return
    try:
        log.feedback(row, 1 if thumb == 1 else -1, st.session_state.get(f"comment-{row}", ""))
    except RetrievalError as err:
        st.session_state.messages = [("error", str(err))]


def queue_question() -> None:
    """The chat box's callback: it runs before the next page run, so no question is lost."""
    question = st.session_state.get("question")
    if isinstance(question, str) and question.strip():
        st.session_state.conversation.queue(question)


def answer_pending(engine: Engine, log: QuestionLog, conversation: Conversation, queued: list[Queued],
                   top_k: int, show_scores: bool) -> None:
    """Answer the queued questions in order; each is shown at once, waiting for its turn."""
    slots = []
    for item in queued:
        with st.chat_message("user"):
            st.text(item.question)
        slot = st.chat_message("assistant").empty()
        slot.caption("Waiting for the answer above…")
        slots.append(slot)
    for k, (item, slot) in enumerate(zip(queued, slots)):
        turn = wait(conversation.answer(item, lambda q, history: ask(engine, log, q, history, top_k)), slot)
        with slot.container():
            show_turn(turn, log, show_scores, latest=k == len(queued) - 1)


def wait(future: Future, slot) -> Turn:
    """The answer, waited for in short steps. Each step redraws the "Searching" line: a
    Streamlit call, where a newly sent question can stop this page run and start the next."""
    while True:
        slot.caption("Searching the articles…")
        try:
            return future.result(timeout=POLL_S)
        except Pending:
            pass


def ask(engine: Engine, log: QuestionLog, question: str, history: list[str], top_k: int) -> Turn:
    try:
        answer = engine.ask(question, history=history, top_k=top_k)
    except RetrievalError as err:
        return Turn(question, None, str(err))
    try:
        row = log.record(question, history, [f"{h.doc}#{h.start}" for h in answer.hits], answer.abstained)
    except RetrievalError:  # a log that cannot be written never costs the reader an answer
        row = None
    return Turn(question, answer, log_id=row)


def empty_state(settings: Settings) -> None:
    st.info(f"No articles are indexed yet. Put .txt, .md or .html articles in `{settings.corpus}/` and run "
            f"`make run` (or `python -m retrieval index --corpus {settings.corpus} --index {settings.index}`), "
            "or upload articles in the sidebar.")


def new_conversation() -> None:
    st.session_state.conversation = Conversation()


def chat(engine: Engine, log: QuestionLog, ready: bool, top_k: int, show_scores: bool) -> None:
    st.button("New conversation", key="new_conversation", on_click=new_conversation)
    conversation: Conversation = st.session_state.conversation
    turns, queued = conversation.snapshot()
    replay(turns, log, show_scores)
    if not ready:
        empty_state(engine.settings)
    st.chat_input("Ask about the articles, e.g. can tight hamstrings cause IT band pain?",
                  key="question", on_submit=queue_question, disabled=not ready)
    if ready:
        answer_pending(engine, log, conversation, queued, top_k, show_scores)


# --- the sidebar: articles, uploads, re-index, settings ------------------------------
def progress_bar() -> Progress:
    bar = st.progress(0.0, text="Checking the articles…")

    def update(stage: str, done: int, total: int) -> None:
        label = STAGES.get(stage, stage)
        bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{label}: {done}/{total}")
    return update


def add_uploads(engine: Engine, files: list[tuple[str, bytes]], overwrite: bool) -> list[tuple[str, str]]:
    """Save and index each uploaded (name, bytes); returns (kind, message) lines for the user."""
    messages: list[tuple[str, str]] = []
    with st.status(f"Adding {len(files)} article(s)…", expanded=True) as status:
        progress = progress_bar()
        for name, data in files:
            try:
                saved, report = engine.add_article(name, data, overwrite=overwrite, progress=progress)
            except RetrievalError as err:
                messages.append(("error", str(err)))
                continue
            messages.append(("success", f"Added {saved}: {report.summary()}"))
            messages += [("warning", line) for line in report.warning_lines()]
        failed = any(kind == "error" for kind, _ in messages)
        status.update(label="Some files were not added" if failed else "Articles added",
                      state="error" if failed else "complete", expanded=failed)
    return messages


def reindex(engine: Engine, full: bool = False) -> list[tuple[str, str]]:
    with st.status("Rebuilding the index…" if full else "Re-indexing the articles…", expanded=True) as status:
        try:
            report: IndexReport = engine.index(full=full, progress=progress_bar(), wait=REINDEX_WAIT_S)
        except RetrievalError as err:
            status.update(label="Re-index failed", state="error")
            return [("error", str(err))]
        status.update(label="Index up to date", state="complete", expanded=False)
    return [("success", f"Re-indexed: {report.summary()}")] + [("warning", line) for line in report.warning_lines()]


def show_messages() -> None:
    for kind, text in st.session_state.pop("messages", []):
        getattr(st, kind)(text)


def show_stats(engine: Engine, ready: bool) -> None:
    if not ready:
        st.info("No index yet.")
        return
    try:
        stats = engine.stats()
    except RetrievalError as err:
        st.error(str(err))
        return
    st.markdown(f"**{stats.articles}** articles · **{stats.passages}** passages")
    st.caption(f"Model: {stats.model} · last updated {when(stats.built_at)}")


def when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return iso or "unknown"


def upload_panel(engine: Engine) -> None:
    key = f"uploads-{st.session_state.upload_round}"  # a new key empties the uploader after a success
    files = st.file_uploader("Add articles (.txt, .md, .html, .pdf)", type=UPLOAD_TYPES,
                             accept_multiple_files=True, key=key,
                             max_upload_size=max(1, engine.settings.max_article_bytes // 2**20))
    overwrite = st.checkbox("Overwrite existing articles", key="overwrite")
    if st.button("Add and index", key="add_uploads", disabled=not files):
        messages = add_uploads(engine, [(f.name, f.getvalue()) for f in files], overwrite)
        if not any(kind == "error" for kind, _ in messages):
            st.session_state.upload_round += 1
        finish(messages)


def finish(messages: list[tuple[str, str]]) -> None:
    """Keep the outcome for the next run and re-run so the counts above are fresh."""
    st.session_state.messages = messages
    st.rerun()


def sidebar(engine: Engine, ready: bool) -> tuple[int, bool]:
    with st.sidebar:
        st.header("Articles")
        show_messages()
        show_stats(engine, ready)
        admin = admin_decision()
        if admin.allowed:
            admin_panel(engine)
        st.header("Settings")
        top_k = st.slider("Passages per answer", 1, 10, 5, key="top_k")
        # Relevance numbers mislead patients: shown to admins, on request.
        show_scores = admin.allowed and st.toggle("Show scores", value=False, key="show_scores")
        sign_in(admin)
    return top_k, show_scores


def admin_panel(engine: Engine) -> None:
    upload_panel(engine)
    if st.button("Re-index", key="reindex"):
        finish(reindex(engine))
    if st.button("Rebuild from scratch", key="rebuild",
                 help="Re-embed every article: after a model change or a damaged index."):
        finish(reindex(engine, full=True))


# --- who may change the articles (the policy is retrieval/serve/roles.py) -------------
def secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml: nothing configured
        return {}


def access() -> Access:
    return Access.configure(st.get_option("server.address") or "", secrets=secrets())


def signed_in_email() -> str | None:
    if "auth" not in secrets():
        return None
    return st.user.get("email") if st.user.is_logged_in else None


def admin_decision() -> Decision:
    return access().may_change(st.session_state.get("admin_token"), signed_in_email())


def sign_in(admin: Decision) -> None:
    """Ways to become an admin, shown only where one is configured."""
    if "auth" in secrets():
        if st.user.is_logged_in:
            st.button("Log out", key="logout", on_click=st.logout)
        else:
            st.button("Log in", key="login", on_click=st.login)
    if access().token and not admin.allowed:
        with st.expander("Admin"):
            st.text_input("Admin token", type="password", key="admin_token")


# Secondary text is a solid dark grey, not a faded one: at least 4.5:1 on white (WCAG 2.1 AA),
# which Streamlit's default caption grey is not.
STYLE = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a4d57; opacity: 1; }
.card .section, .card .score { color: #4a4d57; }
.card .score { font-size: 0.9em; }
.card .passage { margin-top: 0.4em; }
.card mark, .article-body mark { background: #fff3a3; color: #111; padding: 0 0.1em; }
.card a.title { color: inherit; }
.stale, .meta { color: #4a4d57; }
.article-body { line-height: 1.6; }
""" + NOTICE_STYLE + """</style>"""


def index_ready(engine: Engine) -> bool:
    """Whether there is an index to ask; a damaged one is reported, not raised."""
    try:
        return engine.has_index()
    except RetrievalError as err:
        st.error(str(err))
        return False


# --- one article, opened from a citation: ?article=<id>&hl=<start>-<end>,... ---------------
SCROLL_TO_CITED = """<script>
(function find(tries) {
  const mark = window.parent.document.getElementById("cited") || document.getElementById("cited");
  if (mark) { mark.scrollIntoView({block: "center"}); } else if (tries > 0) { setTimeout(() => find(tries - 1), 100); }
})(50);
</script>"""


def parse_spans(value: str) -> list[tuple[int, int]]:
    spans = []
    for part in value.split(",")[:20]:
        start, _, end = part.partition("-")
        if start.isdigit() and end.isdigit() and int(start) < int(end):
            spans.append((int(start), int(end)))
    return spans


def section_html(article: Article, start: int, end: int, spans: list[tuple[int, int]], first: int | None) -> str:
    """The text between ``start`` and ``end``, escaped, with the spans inside it marked."""
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    body = highlight(article.text[start:end], inside)
    if first is not None and start <= first < end:
        body = body.replace("<mark>", '<mark id="cited">', 1)
    return f'<div class="article-body">{body}</div>'


def article_view(engine: Engine, doc: str, hl: str) -> None:
    try:
        article = engine.article(doc)
    except RetrievalError as err:
        st.error(str(err))
        return
    spans = parse_spans(hl)
    first = min((s for s, _ in spans), default=None)
    st.title(article.title)
    pages = f" · {len(article.pages)} pages" if article.pages else ""
    st.markdown(f'<div class="meta">{esc(doc)}{pages}{dated(article.date)}{source_link(article.source)}</div>',
                unsafe_allow_html=True)
    render_standing_notice(engine)
    for section in article.sections:
        if section.heading and section.heading != article.title:
            st.subheader(section.heading)
        page = article.page_at(section.start)
        if page:
            st.caption(f"p. {page}")
        st.markdown(section_html(article, section.start, section.end, spans, first), unsafe_allow_html=True)
    if first is not None:
        st.html(SCROLL_TO_CITED, unsafe_allow_javascript=True)


# --- the articles page: what the assistant knows, and the editors' backlog ----------------
def articles_page(engine: Engine, log: QuestionLog) -> None:
    st.title("Articles")
    st.caption("Every article the assistant answers from. Open one to read it whole.")
    query = st.text_input("Search titles", key="article_search")
    try:
        infos = engine.articles(query)
    except RetrievalError as err:
        st.error(str(err))
        return
    show_messages()
    st.markdown(f"**{len(infos)}** article(s)")
    for info in infos:
        link = f'<a href="{article_url(info.id, [])}" target="_blank" rel="noopener">{esc(info.title)}</a>'
        indexed = f" · indexed {when(info.indexed_at)}" if info.indexed_at else ""
        st.markdown(f'<div class="listing">{link}<br><span class="section">{esc(info.id)} · {info.passages} '
                    f'passages{dated(info.date)}{indexed}</span>{source_link(info.source)}</div>',
                    unsafe_allow_html=True)
    if admin_decision().allowed:
        manage_articles(engine, [i.id for i in infos])
        backlog(log)


def manage_articles(engine: Engine, ids: list[str]) -> None:
    st.header("Remove or replace an article")
    doc = st.selectbox("Article", ids, key="manage_article")
    if not doc:
        return
    if st.button("Remove", key="remove_article"):
        finish(remove(engine, doc))
    new = st.file_uploader("Replace it with", type=UPLOAD_TYPES, key="replacement")
    if new is not None and st.button("Replace", key="replace_article"):
        finish(replace(engine, doc, new.getvalue()))


def remove(engine: Engine, doc: str) -> list[tuple[str, str]]:
    with st.status(f"Removing {doc}…", expanded=True):
        try:
            report = engine.remove_article(doc, progress=progress_bar(), wait=REINDEX_WAIT_S)
        except RetrievalError as err:
            return [("error", str(err))]
    return [("success", f"Removed {doc}: {report.summary()}")]


def replace(engine: Engine, doc: str, data: bytes) -> list[tuple[str, str]]:
    if "/" in doc:
        return [("error", f"{doc} is in a sub-folder; replace it in the corpus folder itself.")]
    return add_uploads(engine, [(doc, data)], overwrite=True)


def backlog(log: QuestionLog) -> None:
    """The editors' backlog: what readers asked that the articles did not answer, and what they rated down."""
    st.header("Questions to write for")
    if not log.enabled:
        st.info("The question log is off (RETRIEVAL_QUESTION_LOG=off): nothing is collected.")
        return
    try:
        declined, down = log.declined_top(20), log.thumbs_down()
    except RetrievalError as err:
        st.error(str(err))
        return
    st.subheader("Declined most often")
    st.dataframe([{"question": q, "times": n} for q, n in declined], hide_index=True)
    st.subheader("Rated down")
    st.dataframe([{"question": r.question, "comment": r.comment, "shown": ", ".join(r.hits[:3])} for r in down],
                 hide_index=True)
    st.download_button("Export as CSV", data=csv_export(log), file_name="question-log.csv", mime="text/csv",
                       key="export_log")


def csv_export(log: QuestionLog) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        log.export_csv(path)
        return path.read_bytes()


def chat_page(engine: Engine, log: QuestionLog) -> None:
    st.title("Ask the health articles")
    render_standing_notice(engine)
    ready = index_ready(engine)
    top_k, show_scores = sidebar(engine, ready)
    chat(engine, log, ready, top_k, show_scores)


def main() -> None:
    st.set_page_config(page_title="Health articles: questions and answers", page_icon="📚")
    st.markdown(STYLE, unsafe_allow_html=True)
    st.session_state.setdefault("conversation", Conversation())
    st.session_state.setdefault("upload_round", 0)
    settings = Settings.from_env()
    engine, log = get_engine(settings), get_log(settings)
    if "article" in st.query_params:
        article_view(engine, st.query_params["article"], st.query_params.get("hl", ""))
        return
    st.navigation([st.Page(lambda: chat_page(engine, log), title="Chat", url_path="chat", default=True),
                   st.Page(lambda: articles_page(engine, log), title="Articles", url_path="articles")]).run()


main()
