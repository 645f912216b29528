"""Cold start: from ``streamlit run app.py`` to the first answered question in a real browser.

Chromium (playwright, headless) is launched first and is not counted. The clock
starts when the streamlit process is spawned; the page is opened as soon as
``/_stcore/health`` answers, a question is typed into the chat box, and the clock
stops when the answer (or the "not covered" notice) is on the page. Marks in
between: health, chat box ready, question sent. If the browser cannot run, the
fallback is stated: health time plus a fresh process's first ``Engine.ask``.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from common import BENCH, ROOT, Timer, run_python

sys.path.insert(0, str(ROOT / "tests"))
from appserver import CHROMIUM, CHROMIUM_ARGS, start, stop, wait_healthy  # noqa: E402  (shared with the browser test)

QUESTION = "What are the symptoms of diabetes?"
TIMEOUT_S = 180


def _serve(corpus: Path, index: Path, start_t: float):
    """Spawn the app; returns (process, url, seconds from ``start_t`` until it answers its health check)."""
    proc, url = start(corpus, index, BENCH / "coldstart-streamlit.log")
    try:
        wait_healthy(url, proc, TIMEOUT_S)
    except Exception:
        stop(proc)
        raise
    return proc, url, time.perf_counter() - start_t


def in_browser(corpus: Path, index: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            start = time.perf_counter()
            proc, url, health = _serve(corpus, index, start)
            try:
                page.goto(url, timeout=TIMEOUT_S * 1000)
                box = page.get_by_test_id("stChatInputTextArea")
                box.wait_for(timeout=TIMEOUT_S * 1000)
                page.wait_for_function("el => !el.disabled", arg=box.element_handle(), timeout=TIMEOUT_S * 1000)
                ready = time.perf_counter() - start
                box.fill(QUESTION)
                box.press("Enter")
                sent = time.perf_counter() - start
                reply = page.locator('[data-testid="stChatMessage"]').nth(1)
                reply.locator(".answer, [data-testid='stAlert']").first.wait_for(timeout=TIMEOUT_S * 1000)
                answered = time.perf_counter() - start
            finally:
                stop(proc)
        finally:
            browser.close()
    return {"method": "browser", "health_s": round(health, 2), "page_ready_s": round(ready, 2),
            "question_sent_s": round(sent, 2), "first_answer_s": round(answered, 2),
            "answer_after_question_s": round(answered - sent, 2)}


def without_browser(corpus: Path, index: Path) -> dict:
    proc, _, health = _serve(corpus, index, time.perf_counter())
    stop(proc)
    code = ("import sys,time; t=time.perf_counter(); from pathlib import Path; "
            "from retrieval import Engine, Settings; "
            f"Engine(Settings(corpus=Path({str(corpus)!r}), index=Path({str(index)!r}))).ask({QUESTION!r}); "
            "print(time.perf_counter()-t)")
    with Timer() as t:
        inner = float(run_python(["-c", code]).strip())
    return {"method": "process", "health_s": round(health, 2), "first_ask_process_s": round(t.seconds, 2),
            "first_ask_in_process_s": round(inner, 2), "first_answer_s": round(health + t.seconds, 2)}


def run(corpus: Path, index: Path) -> dict:
    try:
        if not CHROMIUM.exists():
            raise RuntimeError(f"{CHROMIUM} is missing")
        out = in_browser(corpus, index)
    except Exception as err:  # report and fall back, never fail the whole benchmark
        out = {**without_browser(corpus, index), "browser_error": str(err).splitlines()[0][:200]}
    print(f"  cold start ({out['method']}): first answer after {out['first_answer_s']} s "
          f"(health {out['health_s']} s)", flush=True)
    return out


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), Path(sys.argv[2]))))
