"""``python -m retrieval watch``: re-index when articles are created, modified,
deleted or moved in the corpus folder.

Events are debounced: a burst of writes (an editor saving, a folder copied in)
triggers one re-index once the folder has been quiet for ``debounce`` seconds.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..engine import Engine
from ..errors import CorpusMissing, RetrievalError
from ..ingest.loaders import SUFFIXES


class _Debouncer(FileSystemEventHandler):
    def __init__(self, idle: threading.Event | None = None):
        self.dirty = threading.Event()
        self.idle = idle or threading.Event()
        self.last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":  # any file written inside: see its own event
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if event.is_directory or any(str(p).lower().endswith(SUFFIXES) for p in paths):
            self.last = time.monotonic()
            self.idle.clear()
            self.dirty.set()


def watch(engine: Engine, debounce: float = 1.0, log: Callable[[str], None] = print,
          stop: threading.Event | None = None, idle: threading.Event | None = None) -> None:
    """Index once, then after every quiet burst of changes, until ``stop`` is set.

    ``idle``, if given, is set while no change is waiting and no re-index is running
    (tests wait on it instead of sleeping).
    """
    stop = stop or threading.Event()
    idle = idle or threading.Event()
    corpus = engine.settings.corpus
    if not corpus.is_dir():
        raise CorpusMissing(f"Corpus folder {corpus}/ not found; create it and add .txt, .md or .html articles.")
    handler = _Debouncer(idle)
    observer = Observer()
    observer.schedule(handler, str(corpus), recursive=True)
    observer.start()  # before the first index, so no change slips in between
    try:
        _reindex(engine, log)
        log(f"watching {corpus}/ for changes")
        while not stop.is_set():
            if not handler.dirty.is_set():
                idle.set()
            if not handler.dirty.wait(0.2):
                continue
            quiet = time.monotonic() - handler.last
            if quiet < debounce:
                stop.wait(debounce - quiet)  # sleep until the burst may be over, not spin
                continue
            handler.dirty.clear()
            _reindex(engine, log)
            if not handler.dirty.is_set():
                idle.set()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join()


def _reindex(engine: Engine, log: Callable[[str], None]) -> None:
    try:
        report = engine.index()
    except (RetrievalError, OSError) as err:  # keep watching: the next change may fix it
        log(f"error: {err}")
        return
    for line in report.warning_lines():
        log(f"warning: {line}")
    log(f"index: {report.summary()}")
