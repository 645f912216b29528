"""Several API worker processes on one listening socket (``python -m retrieval api --workers N``).

One process answers with at most about one core of Python (the GIL) plus the model's
encode; a second process uses the second core. The parent binds the socket and forks
the workers before anything heavy is loaded (no model, no torch, no thread pools: a
fork copies none of them half-made); each worker loads the model and opens the index
itself, then serves. The socket starts listening when the first worker is ready, so a
connection is never accepted by a process still loading.

The parent supervises: SIGINT or SIGTERM stops every worker (SIGTERM to each, then
SIGKILL after ``STOP_WAIT_S``); a worker that dies after serving for a while is
replaced; one that dies at once (it cannot load the model or the index) stops them all,
and the parent exits with its code. Every worker reads the index on its own, and
each moves to a new generation on its next question, as separate processes on one
index do (README, "Scaling out").
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import time
from typing import Callable

STOP_WAIT_S = 10  # how long a worker may take to finish its requests before it is killed
STARTUP_S = 30  # a worker dying sooner than this after its start is not replaced


def serve_forked(bind: Callable[[], socket.socket], run: Callable[[socket.socket], None], workers: int,
                 log: Callable[[str], None] = print) -> int:
    """Fork ``workers`` processes that each call ``run(sock)`` on the one socket ``bind()`` gives;
    the exit code: 0 after a stop signal, else that of the worker that failed."""
    sock = bind()
    started: dict[int, float] = {}
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                run(sock)
                code = 0
            except KeyboardInterrupt:
                code = 0
            finally:
                for stream in (sys.stdout, sys.stderr):
                    stream.flush()
                os._exit(code)
        started[pid] = time.monotonic()

    def on_signal(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in started:
            _kill(pid, signal.SIGTERM)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for _ in range(workers):
            spawn()
        log(f"Serving with {workers} worker processes {sorted(started)} (parent {os.getpid()})")
        while started:
            pid, status = _wait_any()
            if pid not in started:
                continue
            lived = time.monotonic() - started.pop(pid)
            code = os.waitstatus_to_exitcode(status)
            if stopping:
                continue
            if lived < STARTUP_S:
                log(f"Worker {pid} exited with {code} after {lived:.1f}s; stopping the others.")
                on_signal(signal.SIGTERM, None)
                _reap(started)
                return code or 1
            log(f"Worker {pid} exited with {code}; starting another.")
            spawn()
        return 0
    finally:
        _reap(started)
        for s, handler in previous.items():
            signal.signal(s, handler)
        sock.close()


def _wait_any() -> tuple[int, int]:
    while True:
        try:
            return os.wait()
        except InterruptedError:  # a signal arrived: its handler ran; wait on
            continue


def _reap(started: dict[int, float]) -> None:
    """Wait for the workers left (SIGKILL past ``STOP_WAIT_S``)."""
    deadline = time.monotonic() + STOP_WAIT_S
    while started and time.monotonic() < deadline:
        for pid in list(started):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                started.pop(pid)
        time.sleep(0.05)
    for pid in list(started):
        _kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        started.pop(pid)


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
