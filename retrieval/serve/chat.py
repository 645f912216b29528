"""``python -m retrieval serve``: the chat as ``make run`` serves it, with the corpus watcher.

Streamlit runs ``app.py`` in a child process, configured by ``.streamlit/config.toml``
in the project root (host and port given here override the file's). The corpus
watcher runs in this process and re-indexes ``corpus/`` changes. Ctrl-C (SIGINT to
the terminal's process group) or SIGTERM stops both and leaves no process behind.

The launch helpers at the bottom (``launch``, ``wait_healthy``, ``stop``) start and
stop such a server from a test or a benchmark, exactly as a person would.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Callable

from ..engine import Engine
from ..errors import RetrievalError
from .watch import watch

ROOT = Path(__file__).resolve().parents[2]  # the project: app.py and .streamlit/ live here
APP = ROOT / "app.py"
STOP_WAIT_S = 10  # how long a child may take to exit before it is killed


def streamlit_command(host: str | None = None, port: int | None = None) -> list[str]:
    """The one command line that serves the chat; everything else is in .streamlit/config.toml."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP)]
    if host:
        cmd += ["--server.address", host]
    if port:
        cmd += ["--server.port", str(port)]
    return cmd


def child_env(engine: Engine) -> dict[str, str]:
    """The app reads its settings from the environment: pass on the ones this command resolved."""
    s = engine.settings
    return {**os.environ, "RETRIEVAL_CORPUS": str(s.corpus), "RETRIEVAL_INDEX": str(s.index),
            "RETRIEVAL_MODEL": s.model, "RETRIEVAL_BACKEND": s.backend,
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def serve(engine: Engine, host: str | None = None, port: int | None = None,
          log: Callable[[str], None] = print) -> int:
    """Run the chat and the watcher until the chat exits or this process is interrupted."""
    stop_watching = threading.Event()
    watcher = threading.Thread(target=_watch, args=(engine, stop_watching, log), name="corpus-watcher",
                               daemon=True)
    child = subprocess.Popen(streamlit_command(host, port), cwd=ROOT, env=child_env(engine))
    previous = signal.signal(signal.SIGTERM, _interrupt)
    watcher.start()
    try:
        return child.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        stop_watching.set()
        _end(child, signal.SIGTERM)
        watcher.join(timeout=STOP_WAIT_S)
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _watch(engine: Engine, stop: threading.Event, log: Callable[[str], None]) -> None:
    try:
        watch(engine, log=lambda line: log(f"[watch] {line}"), stop=stop)
    except RetrievalError as err:  # e.g. no corpus folder: the chat still serves the index
        log(f"[watch] error: {err}")


def _end(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- starting and stopping a server from a test or a benchmark ----------------------

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, installed by `make system-deps`
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def make_run(port: int) -> list[str]:
    """``make run`` on ``port``: what a person types (corpus and index from RETRIEVAL_* in the env)."""
    return ["make", "-s", "-C", str(ROOT), "run", f"PORT={port}"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NotHealthy(RuntimeError):
    """The server exited or did not answer its health check in time."""


def launch(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    """Start ``command`` (e.g. ``make run``) in a process group of its own, output to ``log``."""
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float, poll_s: float = 0.05,
                 path: str = "/_stcore/health") -> float:
    """Seconds until ``path`` answers (Streamlit's health check by default; the API's is /healthz);
    ``NotHealthy`` if ``proc`` dies first."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        if proc.poll() is not None:
            raise NotHealthy(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=2) as resp:
                if resp.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(poll_s)
    raise NotHealthy(f"the server was not healthy within {timeout_s:.0f}s")


def stop(proc: subprocess.Popen, timeout_s: float = 30) -> bool:
    """Ctrl-C as a terminal sends it (SIGINT to the whole group); True if no process is left."""
    group = proc.pid
    _signal_group(group, signal.SIGINT)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _group_alive(group):
        time.sleep(0.1)
    left = _group_alive(group)
    if left:
        _signal_group(group, signal.SIGKILL)
    proc.wait()
    return not left


def _signal_group(group: int, sig: int) -> None:
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _has_live_member(group)


def _has_live_member(group: int) -> bool:
    """A group whose members are all zombies (exited, not yet reaped) is gone for our purpose."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
