"""Cold start: from `make run` (index already built) to the first answer in a real browser.

Chromium (playwright, headless) is launched first and is not counted. Two cold
servers are started with `make run`, exactly as a person types it, over the corpus
and a copy of its built index:

1. **Ask at once.** The clock starts when `make run` is spawned; the page is opened as
   soon as `/_stcore/health` answers and the question is typed as soon as the chat box
   is ready. Marks: health, chat box ready, question sent, first answer on the page.
   Then a second question: the first answer's latency next to a later one's.
2. **Open, wait, ask.** The page is opened, left alone for ``WAIT_S`` seconds (the app
   loads the model and the index in the background when a page opens), then a
   question is typed: seconds from Enter to the answer on the page.

    .venv/bin/python benchmarks/coldstart.py CORPUS INDEX
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from common import BENCH, ROOT  # noqa: F401  (puts the project on sys.path)

from retrieval.serve.chat import CHROMIUM, CHROMIUM_ARGS, free_port, launch, make_run, stop, wait_healthy

QUESTIONS = ("What are the symptoms of diabetes?", "How is high blood pressure treated?")
WAIT_S = 15
TIMEOUT_S = 240
MESSAGES = '[data-testid="stChatMessage"]'


def _serve(corpus: Path, index: Path, tag: str):
    """`make run` over ``corpus`` and a fresh copy of ``index``; returns (process, url, seconds to health)."""
    copy = BENCH / f"coldstart-index-{tag}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(index, copy)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RETRIEVAL_", "MAKE", "MFLAGS"))}
    env.update(RETRIEVAL_CORPUS=str(corpus), RETRIEVAL_INDEX=str(copy))
    port = free_port()
    start = time.perf_counter()
    proc = launch(make_run(port), env, BENCH / f"coldstart-{tag}.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, TIMEOUT_S)
    except Exception:
        stop(proc)
        raise
    return proc, url, time.perf_counter() - start, start


def _ask(page, question: str, n: int) -> float:
    """Type ``question``; seconds until the n-th answer (or notice) is on the page."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    t0 = time.perf_counter()
    box.press("Enter")
    reply = page.locator(MESSAGES).nth(2 * n - 1)
    reply.locator(".answer, [data-testid='stAlert']").first.wait_for(timeout=TIMEOUT_S * 1000)
    return time.perf_counter() - t0


def _chat_ready(page) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=TIMEOUT_S * 1000)
    page.wait_for_function("el => !el.disabled", arg=box.element_handle(), timeout=TIMEOUT_S * 1000)


@contextmanager
def _cold_page(browser, corpus: Path, index: Path, tag: str):
    """A page on a cold `make run` server, opened as soon as it is healthy: (page, health s, start)."""
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    proc, url, health, start = _serve(corpus, index, tag)
    try:
        page.goto(url, timeout=TIMEOUT_S * 1000)
        _chat_ready(page)
        yield page, health, start
    finally:
        stop(proc)
        page.close()


def ask_at_once(browser, corpus: Path, index: Path) -> dict:
    with _cold_page(browser, corpus, index, "at-once") as (page, health, start):
        ready = time.perf_counter() - start
        first = _ask(page, QUESTIONS[0], 1)
        answered = time.perf_counter() - start
        later = _ask(page, QUESTIONS[1], 2)
    return {"health_s": round(health, 2), "page_ready_s": round(ready, 2), "first_answer_s": round(answered, 2),
            "first_latency_s": round(first, 2), "later_latency_s": round(later, 2)}


def open_wait_ask(browser, corpus: Path, index: Path) -> dict:
    with _cold_page(browser, corpus, index, "wait") as (page, _, _):
        time.sleep(WAIT_S)
        latency = _ask(page, QUESTIONS[0], 1)
    return {"wait_s": WAIT_S, "latency_after_wait_s": round(latency, 2)}


def run(corpus: Path, index: Path) -> dict:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} is missing"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            out = {"method": "browser", **ask_at_once(browser, corpus, index), **open_wait_ask(browser, corpus, index)}
        finally:
            browser.close()
    print(f"  cold start: first answer {out['first_answer_s']} s after `make run`; first question "
          f"{out['first_latency_s']} s, a later one {out['later_latency_s']} s; after {WAIT_S} s on the page "
          f"{out['latency_after_wait_s']} s", flush=True)
    return out


if __name__ == "__main__":
    BENCH.mkdir(exist_ok=True)
    print(json.dumps(run(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())))
