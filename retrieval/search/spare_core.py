"""Work beside a question, on the machine's other core while it is free.

A question spends most of its time in calls that run without the GIL: the model's
encode and the FAISS search. While one person asks, the other core sits idle. Work of
the same question that does not wait on the search (the urgent check, the passages'
BM25 scores) can run there while the search runs, and the question is answered sooner
(BENCHMARKS.md, "Per-question cost"). When other questions are in flight, every core
already has work; then the side work runs on the asking thread, as before, and no
thread waits for another. On a one-core machine, or with ``Settings.spare_core`` off
(``RETRIEVAL_SPARE_CORE=0``), it always does.
"""
from __future__ import annotations

import os
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


class Later(Generic[T]):
    """Side work run on the asking thread when its result is asked for."""

    def __init__(self, work: Callable[[], T]):
        self._work = work

    def result(self) -> T:
        return self._work()


class SpareCore:
    """One worker thread for side work, used only while a single question is in flight.

    ``asking()`` brackets a question; ``beside(work)`` starts its side work on the worker
    when this is the only question in flight and the worker is idle, else leaves it to
    run on the asking thread (``Later``). Either way ``.result()`` gives its value, or
    raises what it raised. The thread is started on first use, never at import or
    construction; a forked child (an API worker) starts its own afresh.
    """

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and cores() > 1
        self._lock = threading.Lock()
        self._asking = 0
        self._idle = True
        self._pool: ThreadPoolExecutor | None = None
        _LIVE.add(self)

    @contextmanager
    def asking(self) -> Iterator[None]:
        with self._lock:
            self._asking += 1
        try:
            yield
        finally:
            with self._lock:
                self._asking -= 1

    def beside(self, work: Callable[[], T], inline: Callable[[], T] | None = None) -> Future[T] | Later[T]:
        """``work`` on the spare core if it is free, else ``inline`` (default: ``work``) on the asking
        thread when its result is asked for: what is worth doing only beside may be left out there."""
        with self._lock:
            free = self.enabled and self._idle and self._asking <= 1
            if free:
                self._idle = False
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spare-core")
        if free:
            try:
                return self._pool.submit(self._run, work)
            except RuntimeError:  # the interpreter is shutting down: no new work on threads
                with self._lock:
                    self._idle = True
        return Later(inline or work)

    def _after_fork(self) -> None:
        """In a forked child the worker thread is gone: start afresh (a new one on first use)."""
        self._lock = threading.Lock()
        self._asking, self._idle, self._pool = 0, True, None

    def _run(self, work: Callable[[], T]) -> T:
        try:
            return work()
        finally:
            with self._lock:
                self._idle = True


_LIVE: weakref.WeakSet[SpareCore] = weakref.WeakSet()  # every spare core of this process


def _after_fork_in_child() -> None:
    for spare in list(_LIVE):
        spare._after_fork()


if hasattr(os, "register_at_fork"):  # one hook for the process, not one per engine
    os.register_at_fork(after_in_child=_after_fork_in_child)
