"""Streamlit chat over the health articles: a thin skin over ``retrieval.Engine``.

    make run                        # index corpus/ and serve this page
    RETRIEVAL_CORPUS=... RETRIEVAL_INDEX=... streamlit run app.py

Every piece of article text is HTML-escaped before it is shown; the only tags on
the page are the ones built here (<div>, <mark>, <a>, <br>, <b>, <span>).
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from retrieval.engine import Engine
from retrieval.errors import RetrievalError
from retrieval.indexer import IndexReport, Progress
from retrieval.records import Answer, Hit, Urgent
from retrieval.settings import Settings

NOT_COVERED = "The articles do not cover this question, so there is no answer to show."
UPLOAD_TYPES = ["txt", "md", "html"]
STAGES = {"embed": "Embedding passages", "lexical": "Building the keyword index"}
REINDEX_WAIT_S = 30  # how long Re-index waits for another indexing run (e.g. the watcher)


@dataclass
class Turn:
    question: str
    answer: Answer


@st.cache_resource(show_spinner=False)
def get_engine(settings: Settings) -> Engine:
    """One Engine per process and settings; it re-opens the index when a new one is published."""
    return Engine(settings)


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
            render_answer(turn.answer, show_scores, latest=i == len(turns) - 1)


def ask(engine: Engine, question: str, top_k: int, show_scores: bool) -> None:
    turns: list[Turn] = st.session_state.turns
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        try:
            with st.spinner("Searching the articles…"):
                answer = engine.ask(question, history=[t.question for t in turns], top_k=top_k)
        except RetrievalError as err:
            st.error(str(err))
            return
        render_answer(answer, show_scores, latest=True)
    turns.append(Turn(question, answer))


def empty_state(settings: Settings) -> None:
    st.info(f"No articles are indexed yet. Put .txt, .md or .html articles in `{settings.corpus}/` and run "
            f"`make run` (or `python -m retrieval index --corpus {settings.corpus} --index {settings.index}`), "
            "or upload articles in the sidebar.")


def new_conversation() -> None:
    st.session_state.turns = []


def chat(engine: Engine, ready: bool, top_k: int, show_scores: bool) -> None:
    st.button("New conversation", key="new_conversation", on_click=new_conversation)
    replay(st.session_state.turns, show_scores)
    if not ready:
        empty_state(engine.settings)
    question = st.chat_input("Ask about the articles, e.g. can tight hamstrings cause IT band pain?",
                             disabled=not ready)
    if question:
        ask(engine, question, top_k, show_scores)


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
        upload_panel(engine)
        if st.button("Re-index", key="reindex"):
            finish(reindex(engine))
        if st.button("Rebuild from scratch", key="rebuild",
                     help="Re-embed every article: after a model change or a damaged index."):
            finish(reindex(engine, full=True))
        st.header("Settings")
        top_k = st.slider("Passages per answer", 1, 10, 5, key="top_k")
        show_scores = st.toggle("Show scores", value=True, key="show_scores")
    return top_k, show_scores


STYLE = """<style>
.card .section { opacity: 0.75; }
.card .score { opacity: 0.65; font-size: 0.9em; }
.card .passage { margin-top: 0.4em; }
.card mark { background: #fff3a3; color: #111; padding: 0 0.1em; }
""" + NOTICE_STYLE + """</style>"""


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
    st.session_state.setdefault("turns", [])
    st.session_state.setdefault("upload_round", 0)
    engine = get_engine(Settings.from_env())
    render_standing_notice(engine)
    ready = index_ready(engine)
    top_k, show_scores = sidebar(engine, ready)
    chat(engine, ready, top_k, show_scores)


main()
