"""The whole path in a real browser: Debian's Chromium, `streamlit run app.py`, the real model.

Skipped when /usr/bin/chromium is missing, unless CI is set (then it fails).
Install it with `make system-deps` (root) or `apt-get install chromium`.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from retrieval.engine import Engine
from retrieval.settings import Settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 90
REPLY_TIMEOUT_MS = 120_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit was not healthy within {START_TIMEOUT_S}s:\n{log.read_text()}")


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
    port, log = free_port(), folder / "streamlit.log"
    env = {**os.environ, "RETRIEVAL_CORPUS": str(settings.corpus), "RETRIEVAL_INDEX": str(settings.index),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
