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
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from common import BENCH, ROOT, Timer, run_python

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
QUESTION = "What are the symptoms of diabetes?"
TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_streamlit(corpus: Path, index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "RETRIEVAL_CORPUS": str(corpus), "RETRIEVAL_INDEX": str(index),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(url: str, proc: subprocess.Popen, start: float) -> float:
    while time.perf_counter() - start < TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("streamlit was not healthy in time")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def in_browser(corpus: Path, index: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            start = time.perf_counter()
            proc, url = start_streamlit(corpus, index, BENCH / "coldstart-streamlit.log")
            try:
                health = wait_healthy(url, proc, start)
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
    start = time.perf_counter()
    proc, url = start_streamlit(corpus, index, BENCH / "coldstart-streamlit.log")
    try:
        health = wait_healthy(url, proc, start)
    finally:
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
