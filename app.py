"""Streamlit chat over the health articles: a thin skin over ``retrieval.Engine``.

    make run                        # index corpus/ and serve this page
    RETRIEVAL_CORPUS=... RETRIEVAL_INDEX=... streamlit run app.py

Every piece of article text is HTML-escaped before it is shown; the only tags on
the page are the ones built here (<div>, <mark>, <a>, <br>, <b>, <span>).
"""
from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from datetime import datetime
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as Pending
from typing import Callable

import streamlit as st

from retrieval.engine import Engine
from retrieval.errors import RetrievalError
from retrieval.indexer import IndexReport, Progress
from retrieval.records import Answer, Hit
from retrieval.serve.roles import Access, Decision
from retrieval.settings import Settings

NOTICE = ("Answers are passages copied from the articles, shown for education only. "
          "They are not medical advice; ask a health professional about your own situation.")
NOT_COVERED = "The articles do not cover this question, so there is no answer to show."
UPLOAD_TYPES = ["txt", "md", "html"]
STAGES = {"embed": "Embedding passages", "lexical": "Building the keyword index"}
POLL_S = 0.1  # how often a page run waiting for an answer lets a new question through
REINDEX_WAIT_S = 30  # how long Re-index waits for another indexing run (e.g. the watcher)


@dataclass
class Turn:
    question: str
    answer: Answer | None
    error: str = ""  # a problem the user can fix, shown instead of an answer


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


def source_link(hit: Hit) -> str:
    if not hit.source.startswith(("https://", "http://")):
        return ""
    url = html.escape(hit.source, quote=True)
    return f' · <a href="{url}" target="_blank" rel="noopener noreferrer">source</a>'


def card_html(answer: Answer, n: int, show_scores: bool) -> str:
    hit = answer.hits[n - 1]
    section = hit.section if hit.section and hit.section != hit.title else "Introduction"
    score = f' · <span class="score">relevance {hit.score:.2f}</span>' if show_scores else ""
    return (f'<div class="card"><b>[{n}] {esc(hit.title)}</b><br>'
            f'<span class="section">{esc(section)}</span>{source_link(hit)}{score}'
            f'<div class="passage">{highlight(hit.text, spans_in(answer, n))}</div></div>')


def closest_html(answer: Answer) -> str:
    titles = list(dict.fromkeys(h.title for h in answer.hits))[:3]
    items = "".join(f"<li>{esc(t)}</li>" for t in titles)
    return f'<div class="closest">Closest articles (closest, not an answer):<ul>{items}</ul></div>'


# --- the conversation ----------------------------------------------------------------
def render_answer(answer: Answer, show_scores: bool, latest: bool) -> None:
    if answer.note:
        st.info(answer.note)
    if answer.abstained:
        st.warning(NOT_COVERED)
        if answer.hits:
            st.markdown(closest_html(answer), unsafe_allow_html=True)
        return
    st.markdown(f'<div class="answer">{esc(answer.answer)}</div>', unsafe_allow_html=True)
    if answer.followup:
        st.caption(f"Follow-up: searched as “{answer.query}”")
    with st.expander(f"Sources ({len(answer.hits)})", expanded=latest):
        for n in range(1, len(answer.hits) + 1):
            with st.container(border=True):
                st.markdown(card_html(answer, n, show_scores), unsafe_allow_html=True)


def replay(turns: list[Turn], show_scores: bool) -> None:
    for i, turn in enumerate(turns):
        with st.chat_message("user"):
            st.text(turn.question)
        with st.chat_message("assistant"):
            show_turn(turn, show_scores, latest=i == len(turns) - 1)


def show_turn(turn: Turn, show_scores: bool, latest: bool) -> None:
    if turn.error:
        st.error(turn.error)
    else:
        render_answer(turn.answer, show_scores, latest)


def queue_question() -> None:
    """The chat box's callback: it runs before the next page run, so no question is lost."""
    question = st.session_state.get("question")
    if isinstance(question, str) and question.strip():
        st.session_state.conversation.queue(question)


def answer_pending(engine: Engine, conversation: Conversation, queued: list[Queued], top_k: int,
                   show_scores: bool) -> None:
    """Answer the queued questions in order; each is shown at once, waiting for its turn."""
    slots = []
    for item in queued:
        with st.chat_message("user"):
            st.text(item.question)
        slot = st.chat_message("assistant").empty()
        slot.caption("Waiting for the answer above…")
        slots.append(slot)
    for k, (item, slot) in enumerate(zip(queued, slots)):
        with slot.container():
            turn = wait(conversation.answer(item, lambda q, history: ask(engine, q, history, top_k)))
            show_turn(turn, show_scores, latest=k == len(queued) - 1)


def wait(future: Future) -> Turn:
    """The answer, waited for in short steps: each step is a Streamlit call, where a newly
    sent question can stop this page run and start the next one at once."""
    tick = st.empty()
    with st.spinner("Searching the articles…"):
        while True:
            try:
                return future.result(timeout=POLL_S)
            except Pending:
                tick.empty()


def ask(engine: Engine, question: str, history: list[str], top_k: int) -> Turn:
    try:
        return Turn(question, engine.ask(question, history=history, top_k=top_k))
    except RetrievalError as err:
        return Turn(question, None, str(err))


def empty_state(settings: Settings) -> None:
    st.info(f"No articles are indexed yet. Put .txt, .md or .html articles in `{settings.corpus}/` and run "
            f"`make run` (or `python -m retrieval index --corpus {settings.corpus} --index {settings.index}`), "
            "or upload articles in the sidebar.")


def new_conversation() -> None:
    st.session_state.conversation = Conversation()


def chat(engine: Engine, ready: bool, top_k: int, show_scores: bool) -> None:
    st.button("New conversation", key="new_conversation", on_click=new_conversation)
    conversation: Conversation = st.session_state.conversation
    turns, queued = conversation.snapshot()
    replay(turns, show_scores)
    if not ready:
        empty_state(engine.settings)
    st.chat_input("Ask about the articles, e.g. can tight hamstrings cause IT band pain?",
                  key="question", on_submit=queue_question, disabled=not ready)
    if ready:
        answer_pending(engine, conversation, queued, top_k, show_scores)


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
            messages += [("warning", line) for line in report.skipped]
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
    return [("success", f"Re-indexed: {report.summary()}")] + [("warning", line) for line in report.skipped]


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
    files = st.file_uploader("Add articles (.txt, .md, .html)", type=UPLOAD_TYPES,
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
.card mark { background: #fff3a3; color: #111; padding: 0 0.1em; }
</style>"""


def index_ready(engine: Engine) -> bool:
    """Whether there is an index to ask; a damaged one is reported, not raised."""
    try:
        return engine.has_index()
    except RetrievalError as err:
        st.error(str(err))
        return False


def main() -> None:
    st.set_page_config(page_title="Health articles: questions and answers", page_icon="📚")
    st.markdown(STYLE, unsafe_allow_html=True)
    st.title("Ask the health articles")
    st.caption(NOTICE)
    st.session_state.setdefault("conversation", Conversation())
    st.session_state.setdefault("upload_round", 0)
    engine = get_engine(Settings.from_env())
    ready = index_ready(engine)
    top_k, show_scores = sidebar(engine, ready)
    chat(engine, ready, top_k, show_scores)


main()
