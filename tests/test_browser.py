"""The whole path in a real browser: Debian's Chromium, `streamlit run app.py`, the real model.

Skipped when /usr/bin/chromium is missing, unless CI is set (then it fails).
Install it with `make system-deps` (root) or `apt-get install chromium`.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from appserver import CHROMIUM, CHROMIUM_ARGS, NotHealthy, start, stop, wait_healthy
from retrieval.engine import Engine
from retrieval.settings import Settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 90
REPLY_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing; install it with `make system-deps` or `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a free port over an indexed copy of corpus/; stopped afterwards."""
    folder = tmp_path_factory.mktemp("browser")
    settings = Settings(corpus=folder / "corpus", index=folder / "index")
    shutil.copytree(ROOT / "corpus", settings.corpus)
    Engine(settings).index()
    log = folder / "streamlit.log"
    proc, url = start(settings.corpus, settings.index, log)
    try:
        try:
            wait_healthy(url, proc, START_TIMEOUT_S, poll_s=0.5)
        except NotHealthy as err:
            pytest.fail(f"{err}:\n{log.read_text()}")
        yield url
    finally:
        stop(proc)


@pytest.fixture
def page(chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 1600})
        finally:
            browser.close()


def ask(page, question: str, replies: int):
    """Type ``question`` and return the assistant message it gets (the ``replies``-th)."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    reply = page.locator('[data-testid="stChatMessage"]').nth(2 * replies - 1)
    reply.locator(".answer, [data-testid='stAlert']").first.wait_for(timeout=REPLY_TIMEOUT_MS)
    return reply


def test_question_then_followup_in_chromium(server, page, tmp_path):
    from playwright.sync_api import expect

    try:
        page.goto(server, timeout=60_000)
        expect(page.get_by_text("not medical advice")).to_be_visible(timeout=60_000)
        first = ask(page, "can tight hamstrings cause IT band pain", replies=1)
        expect(first.locator(".card").first).to_contain_text("Can Tight Hamstrings Cause IT Band Pain")
        expect(first.locator("mark").first).to_be_visible()
        second = ask(page, "what stretches help?", replies=2)
        expect(second.locator(".card").filter(has_text=re.compile(r"hamstring stretch", re.I))).not_to_have_count(0)
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        raise
