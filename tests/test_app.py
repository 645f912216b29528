"""The Streamlit chat, driven headless with AppTest against real indexes and the real model.

Each flow gets a tiny corpus in a tmp folder: ask, follow-up, abstain, new
conversation, upload, re-index, the empty state, and an article that tries to
inject HTML.
"""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from retrieval.engine import Engine
from retrieval.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
HAMSTRINGS = "Can Tight Hamstrings Cause IT Band Pain"
HAMSTRINGS_FILE = "tight-hamstrings-it-band-pain.txt"
NOT_COVERED = "The articles do not cover this question"

PLANTAR = """---
title: Plantar Fasciitis Basics
source: https://example.org/plantar
---
# Plantar Fasciitis Basics

Plantar fasciitis is inflammation of the plantar fascia, the thick band of tissue along the sole of the foot.
It causes stabbing heel pain with the first steps in the morning.

## Treatment

Calf stretches, supportive shoes and rest usually ease plantar fasciitis within a few months.
"""

SHIN = """Shin Splints Explained

Shin splints are pain along the inner edge of the shinbone, common in runners who add mileage too quickly.

Treatment

Rest, ice and a gradual return to running let shin splints heal.
"""

INJECTION = """Foam Rolling <script>alert('title')</script> Guide

Foam rolling the IT band <script>alert('body')</script> can ease tightness in the outer thigh after running.
Roll slowly along the outer thigh <img src=x onerror="alert(1)"> for thirty seconds on each side.

Safety

Stop foam rolling if the IT band feels sharp pain <b>bold</b> and see a physiotherapist.
"""


# --- helpers -----------------------------------------------------------------------
def build(folder: Path, articles: dict[str, str]) -> Settings:
    """Write ``articles`` into folder/corpus and index them with the real model."""
    settings = Settings(corpus=folder / "corpus", index=folder / "index")
    settings.corpus.mkdir(parents=True)
    for name, text in articles.items():
        (settings.corpus / name).write_text(text, encoding="utf-8")
    Engine(settings).index()
    return settings


def open_app(settings: Settings, monkeypatch) -> AppTest:
    monkeypatch.setenv("RETRIEVAL_CORPUS", str(settings.corpus))
    monkeypatch.setenv("RETRIEVAL_INDEX", str(settings.index))
    monkeypatch.setenv("RETRIEVAL_QUESTION_LOG", str(settings.index.parent / "questions.sqlite"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def last_reply(at: AppTest):
    return at.chat_message[-1]


def cards(block) -> list[str]:
    return [m.value for m in block.markdown if m.value.startswith('<div class="card">')]


def all_markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def sidebar_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "success", "error", "warning", "info", "caption")
             for e in getattr(at.sidebar, kind)]
    return "\n".join(parts)


# --- fixtures ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def it_band(tmp_path_factory) -> Settings:
    """The two shipped articles, indexed once for the read-only flows."""
    folder = tmp_path_factory.mktemp("it-band")
    settings = Settings(corpus=folder / "corpus", index=folder / "index")
    shutil.copytree(ROOT / "corpus", settings.corpus)
    Engine(settings).index()
    return settings


@pytest.fixture(autouse=True)
def fresh_engines():
    """Each test's app gets its own cached Engine; drop them afterwards to free the models."""
    yield
    st.cache_resource.clear()


@pytest.fixture
def app(it_band, monkeypatch) -> AppTest:
    return open_app(it_band, monkeypatch)


@pytest.fixture
def small(tmp_path) -> Settings:
    """One short article, for flows that change the corpus."""
    return build(tmp_path, {"shin-splints.txt": SHIN})


# --- ask, follow-up, abstain, new conversation ----------------------------------------
def test_page_shows_notice_and_article_counts(app):
    notice = [m.value for m in app.markdown if 'class="standing-notice"' in m.value]
    assert len(notice) == 1 and "not a diagnosis or medical advice" in notice[0]
    side = sidebar_text(app)
    assert "**2** articles" in side
    assert re.search(r"\*\*\d+\*\* passages", side)
    assert "all-MiniLM-L6-v2" in side and "last updated 20" in side


def test_ask_cites_hamstrings_article_with_highlighted_answer(app):
    ask(app, "can tight hamstrings cause IT band pain")
    reply = last_reply(app)
    shown = cards(reply)
    assert len(shown) == 5
    assert HAMSTRINGS in shown[0]
    assert "relevance" not in shown[0]  # scores mislead patients: off unless an admin asks
    answer = app.session_state["conversation"].turns[-1].answer
    assert not answer.abstained and answer.sentences
    assert reply.markdown[0].value.startswith('<div class="answer">') and "[1]" in reply.markdown[0].value
    for sentence in answer.sentences:  # each answer sentence is marked in the card it cites
        assert f"<mark>{html.escape(sentence.text)}</mark>" in shown[sentence.hit - 1].replace("<br>", "\n")


def test_passage_count_and_score_settings(app):
    app.slider(key="top_k").set_value(2)
    app.toggle(key="show_scores").set_value(True)
    ask(app, "can tight hamstrings cause IT band pain")
    shown = cards(last_reply(app))
    assert len(shown) == 2
    assert all("relevance 0." in c for c in shown)


def test_followup_shows_hamstring_stretches(app):
    ask(app, "can tight hamstrings cause IT band pain")
    ask(app, "what stretches help?")
    assert len(app.chat_message) == 4
    assert any(re.search(r"hamstring stretch", c, re.I) for c in cards(last_reply(app)))


def test_followup_is_searched_with_earlier_question(app):
    ask(app, "can tight hamstrings cause IT band pain")
    ask(app, "how often should I stretch them?")
    captions = [c.value for c in last_reply(app).caption]
    assert any("Follow-up" in c and "can tight hamstrings cause IT band pain" in c for c in captions)
    assert app.session_state["conversation"].turns[-1].answer.followup


def test_off_topic_question_says_not_covered(app):
    ask(app, "Who won the 2018 World Cup?")
    reply = last_reply(app)
    assert any(NOT_COVERED in w.value for w in reply.warning)
    assert any("closest, not an answer" in m.value for m in reply.markdown)
    assert not cards(reply) and not reply.expander


def first_element(block):
    """The first thing shown inside a chat message (through the containers it is drawn in)."""
    node = next(iter(block.children.values()))
    while not hasattr(node, "value") and getattr(node, "children", None):
        node = next(iter(node.children.values()))
    return node


def test_urgent_notice_shows_above_the_reply(app):
    ask(app, "crushing chest pain and my left arm is numb")
    reply = last_reply(app)
    first = first_element(reply).value
    assert first.startswith('<div class="urgent urgent-emergency" role="alert">')
    assert "Call your local emergency number now" in first
    assert len(reply.markdown) > 1 or reply.warning  # the answer or "not covered" still follows
    ask(app, "how often should I stretch my hamstrings")
    assert not any('class="urgent' in m.value for m in last_reply(app).markdown)


def test_urgent_notice_on_the_follow_up_that_adds_the_detail(app):
    ask(app, "my husband has chest pain")
    ask(app, "it started 20 minutes ago")
    assert 'role="alert"' in first_element(last_reply(app)).value


def test_new_conversation_clears_history(app):
    ask(app, "can tight hamstrings cause IT band pain")
    assert len(app.chat_message) == 2
    app.button(key="new_conversation").click().run()
    assert not app.chat_message and app.session_state["conversation"].turns == []
    ask(app, "how often should I stretch them?")  # no earlier question, so not a follow-up
    assert len(app.chat_message) == 2
    assert not any("Follow-up" in c.value for c in last_reply(app).caption)


# --- upload and re-index --------------------------------------------------------------
def add(at: AppTest, *files: tuple[str, bytes], overwrite: bool = False) -> AppTest:
    at.sidebar.file_uploader[0].set_value([(name, data, "text/plain") for name, data in files])
    at.checkbox(key="overwrite").set_value(overwrite)
    at.run()
    at.button(key="add_uploads").click().run()
    assert not at.exception
    return at


def test_upload_adds_indexes_and_answers_from_new_article(small, monkeypatch):
    at = open_app(small, monkeypatch)
    add(at, ("plantar fasciitis.md", PLANTAR.encode()))
    side = sidebar_text(at)
    assert "Added plantar-fasciitis.md: 1 added, 0 updated" in side
    assert "**2** articles" in side
    assert (small.corpus / "plantar-fasciitis.md").is_file()
    assert not at.sidebar.file_uploader[0].value  # emptied after a successful upload
    ask(at, "what causes heel pain in the morning?")
    first = cards(last_reply(at))[0]
    assert "Plantar Fasciitis Basics" in first
    assert '<a href="https://example.org/plantar"' in first


def test_upload_refuses_overwrite_unless_asked(small, monkeypatch):
    at = open_app(small, monkeypatch)
    changed = SHIN.replace("Rest, ice", "Rest, ice, calf raises").encode()
    add(at, ("shin-splints.txt", changed))
    assert any("already exists" in e.value for e in at.sidebar.error)
    assert (small.corpus / "shin-splints.txt").read_text() == SHIN
    add(at, ("shin-splints.txt", changed), overwrite=True)
    assert "Added shin-splints.txt: 0 added, 1 updated" in sidebar_text(at)


def test_upload_refuses_bad_files(small, monkeypatch):
    at = open_app(small, monkeypatch)
    add(at, ("blob.txt", b"\x00\x01\x02\xff" * 50), ("empty.md", b""))
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 2 and all(e.startswith(("blob.txt", "empty.md")) for e in errors)
    assert at.sidebar.file_uploader[0].value  # kept, so the user can fix and retry
    assert sorted(p.name for p in small.corpus.iterdir()) == ["shin-splints.txt"]


def test_reindex_picks_up_new_files(small, monkeypatch):
    at = open_app(small, monkeypatch)
    assert "**1** articles" in sidebar_text(at)
    (small.corpus / "plantar.md").write_text(PLANTAR, encoding="utf-8")
    at.button(key="reindex").click().run()
    assert not at.exception
    side = sidebar_text(at)
    assert "Re-indexed: 1 added, 0 updated, 0 removed" in side
    assert "**2** articles" in side


# --- empty state and safety -------------------------------------------------------------
def test_empty_state_says_what_to_do(tmp_path, monkeypatch):
    at = open_app(Settings(corpus=tmp_path / "none", index=tmp_path / "index"), monkeypatch)
    assert not at.error
    assert any("python -m retrieval index" in i.value and "make run" in i.value for i in at.info)
    assert at.chat_input[0].disabled
    at.button(key="reindex").click().run()  # no corpus folder: one friendly line, no traceback
    assert not at.exception
    assert any("not found" in e.value for e in at.sidebar.error)


def test_damaged_index_is_one_friendly_line(small, monkeypatch):
    (small.index / "CURRENT").write_text("not json", encoding="utf-8")
    at = open_app(small, monkeypatch)
    assert [e.value for e in at.main.error] and "damaged" in at.main.error[0].value
    assert at.chat_input[0].disabled


def test_damaged_index_is_rebuilt_from_the_page(small, monkeypatch):
    (small.index / "CURRENT").write_text("not json", encoding="utf-8")
    at = open_app(small, monkeypatch)
    at.button(key="rebuild").click().run()
    assert not at.chat_input[0].disabled
    ask(at, "what causes shin splints?")
    assert "shin" in " ".join(cards(last_reply(at))).lower()


def test_upload_into_empty_library(tmp_path, monkeypatch):
    at = open_app(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index"), monkeypatch)
    assert at.chat_input[0].disabled
    add(at, ("plantar.md", PLANTAR.encode()))
    assert "**1** articles" in sidebar_text(at)
    assert not at.chat_input[0].disabled and not at.info
    ask(at, "what is plantar fasciitis?")
    assert "Plantar Fasciitis Basics" in cards(last_reply(at))[0]


def test_article_html_is_escaped(tmp_path, monkeypatch):
    settings = build(tmp_path, {"foam-rolling.txt": INJECTION, "shin-splints.txt": SHIN})
    at = ask(open_app(settings, monkeypatch), "does foam rolling the IT band help?")
    shown = cards(last_reply(at))
    assert any("&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in c for c in shown)
    assert any("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in c for c in shown)
    page = "\n".join(all_markdown(at))
    assert "&lt;script&gt;alert(&#x27;title&#x27;)" in page
    for tag in ("<script", "<img", "<b>bold"):
        assert tag not in page


# --- who may change the articles ---------------------------------------------------------
ADMIN_CONTROLS = ("reindex", "rebuild", "add_uploads", "show_scores")


def keys(at: AppTest) -> set[str]:
    return {w.key for kind in ("button", "toggle", "checkbox") for w in getattr(at.sidebar, kind)}


def test_a_visitor_sees_no_admin_controls_until_the_token_is_given(it_band, monkeypatch):
    monkeypatch.setenv("RETRIEVAL_ADMIN_TOKEN", "clinic-secret")
    at = open_app(it_band, monkeypatch)
    assert not keys(at) & set(ADMIN_CONTROLS) and not at.sidebar.file_uploader
    at.text_input(key="admin_token").set_value("wrong").run()
    assert not keys(at) & set(ADMIN_CONTROLS)
    at.text_input(key="admin_token").set_value("clinic-secret").run()
    assert set(ADMIN_CONTROLS) <= keys(at) and at.sidebar.file_uploader


def test_a_public_address_without_an_admin_is_read_only(it_band, monkeypatch):
    monkeypatch.delenv("RETRIEVAL_ADMIN_TOKEN", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    monkeypatch.setenv("RETRIEVAL_CORPUS", str(it_band.corpus))
    monkeypatch.setenv("RETRIEVAL_INDEX", str(it_band.index))
    monkeypatch.setenv("RETRIEVAL_QUESTION_LOG", "off")
    st.config.set_option("server.address", "0.0.0.0")
    try:
        at.run()
        assert not keys(at) & set(ADMIN_CONTROLS) and not at.sidebar.file_uploader
        assert not at.sidebar.text_input  # no token is configured, so there is nothing to enter
        ask(at, "can tight hamstrings cause IT band pain")  # reading still works
        assert cards(last_reply(at))
    finally:
        st.config.set_option("server.address", "127.0.0.1")


# --- citations open the article; feedback goes to the question log ------------------------
def test_a_citation_opens_the_whole_article_at_the_cited_sentence(app, it_band, monkeypatch):
    ask(app, "can tight hamstrings cause IT band pain")
    answer = app.session_state["conversation"].turns[-1].answer
    html_answer = last_reply(app).markdown[0].value
    link = re.search(r'<a class="cite" href="([^"]+)" target="_blank"', html_answer).group(1)
    query = dict(part.split("=", 1) for part in html.unescape(link).lstrip("?").split("&"))
    view = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        view.query_params[key] = __import__("urllib.parse").parse.unquote_plus(value)
    view.run()
    assert not view.exception and view.title[0].value.startswith(HAMSTRINGS)
    body = "".join(m.value for m in view.markdown)
    first = answer.sentences[0]
    assert f'<mark id="cited">{html.escape(first.text)}</mark>' in body.replace("<br>", "\n")
    assert body.count('id="cited"') == 1


def test_a_thumbs_down_lands_in_the_log_export(app, it_band, tmp_path):
    from retrieval.serve.questionlog import QuestionLog

    ask(app, "can tight hamstrings cause IT band pain")
    turn = app.session_state["conversation"].turns[-1]
    assert turn.log_id is not None
    app.session_state[f"feedback-{turn.log_id}"] = 0  # the thumbs-down of st.feedback
    app.run()
    app.text_input(key=f"comment-{turn.log_id}").set_value("nothing about stretching").run()
    log = QuestionLog(it_band.index.parent / "questions.sqlite")
    down = log.thumbs_down()
    assert [r.question for r in down][-1] == "can tight hamstrings cause IT band pain"
    assert down[-1].comment == "nothing about stretching" and down[-1].hits[0].startswith(HAMSTRINGS_FILE)
    out = tmp_path / "log.csv"
    log.export_csv(out)
    assert "nothing about stretching" in out.read_text()
