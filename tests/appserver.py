"""`streamlit run app.py` on a free port, and headless Debian Chromium to open it.

Shared by the browser test (tests/test_browser.py) and the cold-start benchmark
(benchmarks/coldstart.py), so both run the app the same way.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class NotHealthy(RuntimeError):
    """The server exited or did not answer its health check in time."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(corpus: Path, index: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Spawn the app over ``corpus`` and ``index`` (output to ``log``); returns (process, url)."""
    port = free_port()
    env = {**os.environ, "RETRIEVAL_CORPUS": str(corpus), "RETRIEVAL_INDEX": str(index),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float, poll_s: float = 0.05) -> float:
    """Seconds until ``/_stcore/health`` answers; ``NotHealthy`` if the process dies or time runs out."""
    start_t = time.perf_counter()
    while time.perf_counter() - start_t < timeout_s:
        if proc.poll() is not None:
            raise NotHealthy(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return time.perf_counter() - start_t
        except OSError:
            time.sleep(poll_s)
    raise NotHealthy(f"streamlit was not healthy within {timeout_s:.0f}s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
