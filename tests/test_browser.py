"""The whole path as a person meets it: `make run` from cold, Debian's Chromium, the real model.

The server is started with exactly the command a person types (`make run`, over a
copy of corpus/ in a temporary folder through RETRIEVAL_CORPUS/RETRIEVAL_INDEX), so
the test serves the configuration `make run` serves. The page is opened while the
model is still loading, questions are typed at human pace (one while the first answer
is still on its way, pauses between turns), the page is reloaded and a second tab is
opened. axe-core checks WCAG 2.1 AA on the page. Ctrl-C must leave no process behind.

Skipped when /usr/bin/chromium or axe-core is missing, unless CI is set (then it fails).
`make test` installs both (`make system-deps browser-deps`).
"""
from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest

from retrieval.serve.chat import CHROMIUM, CHROMIUM_ARGS, NotHealthy, free_port, launch, make_run, stop, wait_healthy

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
START_TIMEOUT_S = 240  # `make run` indexes the copy with the real model first
REPLY_TIMEOUT_MS = 120_000
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MESSAGES = '[data-testid="stChatMessage"]'
HAMSTRINGS_TITLE = "Can Tight Hamstrings Cause IT Band Pain"


def need(path: Path, how: str) -> None:
    if not path.exists():
        message = f"{path} is missing; {how}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def make_run_server(tmp_path_factory, **extra_env: str):
    """`make run` on a free port over a fresh copy of corpus/; returns (url, process, log)."""
    need(CHROMIUM, "install it with `make system-deps` or `apt-get install chromium`")
    need(AXE, "install it with `make browser-deps` (npm ci)")
    folder = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "corpus", folder / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RETRIEVAL_", "MAKE", "MFLAGS"))}
    env.update(RETRIEVAL_CORPUS=str(folder / "corpus"), RETRIEVAL_INDEX=str(folder / "index"),
               RETRIEVAL_QUESTION_LOG=str(folder / "questions.sqlite"), **extra_env)
    port = free_port()
    log = folder / "make-run.log"
    proc = launch(make_run(port), env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, START_TIMEOUT_S, poll_s=0.5)
    except NotHealthy as err:
        stop(proc)
        pytest.fail(f"{err}:\n{log.read_text()}")
    return url, proc, log


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The chat as `make run` serves it; yields (url, process, log, state)."""
    url, proc, log = make_run_server(tmp_path_factory)
    state = {"stopped_clean": None}
    yield url, proc, log, state
    if state["stopped_clean"] is None:
        stop(proc)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def send(page, question: str) -> None:
    """Type a question and press Enter, without waiting for anything."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def reply(page, n: int):
    """The n-th assistant message (1-based), once its answer or notice is on the page."""
    message = page.locator(MESSAGES).nth(2 * n - 1)
    message.locator(".answer, [data-testid='stAlert']").first.wait_for(timeout=REPLY_TIMEOUT_MS)
    return message


def user_texts(page) -> list[str]:
    return [m.get_by_test_id("stChatMessageContent").inner_text().strip() for m in page.locator(MESSAGES).all()][::2]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
            for v in result["violations"]]


def test_a_conversation_at_human_pace_from_a_cold_server(served, browser, tmp_path):
    from playwright.sync_api import expect

    url, proc, log, state = served
    context = browser.new_context(viewport={"width": 1280, "height": 1800})
    page = context.new_page()
    turns = ["can tight hamstrings cause IT band pain",
             "what stretches help",  # elliptical, typed while the first answer is still on its way
             "whats the capital of france",  # off-topic
             "how often should i do them"]  # a pronoun, after the off-topic turn
    try:
        page.goto(url, timeout=60_000)
        expect(page.get_by_text("not a diagnosis or medical advice")).to_be_visible(timeout=60_000)
        send(page, turns[0])
        time.sleep(2)  # the model is still loading: people type the next question anyway
        send(page, turns[1])
        first, second = reply(page, 1), reply(page, 2)
        expect(first.locator(".card").first).to_contain_text(HAMSTRINGS_TITLE)
        expect(first.locator("mark")).not_to_have_count(0)  # its sources fold away once a later answer comes
        expect(second).to_contain_text("Follow-up")
        expect(second.locator("mark").first).to_be_visible()
        expect(second.locator(".card").filter(has_text=re.compile(r"hamstring stretch", re.I))).not_to_have_count(0)
        time.sleep(6)
        send(page, turns[2])
        expect(reply(page, 3)).to_contain_text("do not cover")
        time.sleep(5)
        send(page, turns[3])
        fourth = reply(page, 4)
        expect(fourth).to_contain_text("Follow-up")
        expect(fourth.locator(".card").first).to_contain_text(HAMSTRINGS_TITLE)
        assert user_texts(page) == turns  # every turn is still there, in order
        assert axe_violations(page) == []

        other = context.new_page()  # a second tab: a conversation of its own
        other.goto(url, timeout=60_000)
        expect(other.get_by_text("not a diagnosis or medical advice")).to_be_visible(timeout=60_000)
        expect(other.locator(MESSAGES)).to_have_count(0)
        assert user_texts(page) == turns

        page.reload()  # a reload starts a clean conversation
        expect(page.get_by_text("not a diagnosis or medical advice")).to_be_visible(timeout=60_000)
        expect(page.locator(MESSAGES)).to_have_count(0)
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
    finally:
        context.close()


def test_questions_sent_in_quick_succession_are_all_answered(served, browser):
    from playwright.sync_api import expect

    url = served[0]
    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    page.goto(url, timeout=60_000)
    expect(page.get_by_text("not a diagnosis or medical advice")).to_be_visible(timeout=60_000)
    questions = ["why do my hamstrings get tight", "does foam rolling help the it band", "and for the foot pain?"]
    for q in questions:
        send(page, q)
        time.sleep(0.3)
    for n in (1, 2, 3):
        reply(page, n)
    assert user_texts(page) == questions


def test_a_citation_opens_the_article_with_the_cited_sentence_in_view(served, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served[0], timeout=60_000)
    expect(page.get_by_text("not a diagnosis or medical advice")).to_be_visible(timeout=60_000)
    send(page, "can tight hamstrings cause IT band pain")
    first = reply(page, 1)
    cite = first.locator("a.cite").first
    cited = cite.evaluate("a => a.parentElement.textContent")
    with context.expect_page() as opened:
        cite.focus()  # a link: reachable from the keyboard, opened with Enter
        page.keyboard.press("Enter")
    article = opened.value
    article.wait_for_load_state()
    mark = article.locator("mark#cited")
    expect(mark).to_be_visible(timeout=60_000)
    expect(mark).to_be_in_viewport(timeout=10_000)
    assert mark.inner_text().strip() and mark.inner_text().strip() in cited
    assert "article=" in article.url
    assert axe_violations(article) == []
    context.close()


def test_a_visitor_without_the_admin_token_sees_no_controls_to_change_articles(tmp_path_factory, browser):
    from playwright.sync_api import expect

    url, proc, log = make_run_server(tmp_path_factory, RETRIEVAL_ADMIN_TOKEN="clinic-secret")
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(url, timeout=60_000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text("articles")).not_to_have_count(0, timeout=60_000)
        for label in ("Re-index", "Rebuild from scratch", "Add and index"):
            expect(sidebar.get_by_role("button", name=label)).to_have_count(0)
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
        sidebar.get_by_text("Admin", exact=True).click()
        box = sidebar.get_by_label("Admin token")
        box.fill("clinic-secret")
        box.press("Enter")
        expect(sidebar.get_by_role("button", name="Re-index")).to_be_visible(timeout=30_000)
    finally:
        stop(proc)


def test_an_emergency_gets_the_notice_above_the_reply(served, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1800})
    page.goto(served[0], timeout=60_000)
    expect(page.get_by_text("not a diagnosis or medical advice")).to_be_visible(timeout=60_000)
    send(page, "crushing chest pain and my left arm is numb")
    first = reply(page, 1)
    notice = first.locator('.urgent[role="alert"]')
    expect(notice).to_contain_text("emergency")
    assert notice.bounding_box()["y"] < first.locator("[data-testid='stAlert'], .answer").first.bounding_box()["y"]
    send(page, "how often should i stretch my hamstrings")
    expect(reply(page, 2).locator(".urgent")).to_have_count(0)
    send(page, "my husband has chest pain")
    reply(page, 3)
    send(page, "it started 20 minutes ago and hes sweating")
    expect(reply(page, 4).locator('.urgent[role="alert"]')).to_have_count(1)
    assert axe_violations(page) == []


def test_ctrl_c_stops_the_app_and_the_watcher(served):
    url, proc, log, state = served
    text = log.read_text()
    assert "Inotify" not in text and "[watch] watching" in text, text
    state["stopped_clean"] = stop(proc)
    assert state["stopped_clean"], f"processes were left behind:\n{log.read_text()}"
