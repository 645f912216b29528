"""The watcher: one re-index per burst of changes, deletions followed, clean stop."""
from __future__ import annotations

import threading
import time

import pytest

from fakes import topic_article
from retrieval.errors import CorpusMissing
from retrieval.serve.watch import _Debouncer, watch
from watchdog.events import DirModifiedEvent, FileCreatedEvent, FileMovedEvent

DEBOUNCE = 0.8


def wait_until(condition, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


class Watching(list):
    """The watcher's log lines, and its ``idle`` event."""

    idle: threading.Event


@pytest.fixture
def watching(engine, write):
    """Start watch() in a thread; yields its log lines; stops it afterwards."""
    write("first.txt", topic_article("first"))
    log = Watching()
    log.idle = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(engine,),
                              kwargs={"debounce": DEBOUNCE, "log": log.append, "stop": stop, "idle": log.idle})
    thread.start()
    wait_until(lambda: any(line.startswith("watching ") for line in log))
    yield log
    stop.set()
    thread.join(5)
    assert not thread.is_alive(), "watch() did not stop"


def reindexes(log) -> list[str]:
    return [line for line in log if line.startswith("index: ")]


def test_a_burst_of_writes_is_indexed_once(watching, write, corpus, engine):
    log = watching
    assert reindexes(log)[0].startswith("index: 1 added, 0 updated")
    for i in range(5):
        write(f"burst{i}.txt", topic_article(f"burst{i}"))
        time.sleep(0.05)
    wait_until(lambda: len(reindexes(log)) == 2)
    assert log.idle.wait(15)  # nothing left to do: no second re-index is coming
    assert len(reindexes(log)) == 2, log
    assert reindexes(log)[1].startswith("index: 5 added, 0 updated, 0 removed")
    assert engine.ask("burst3 details").hits[0].doc == "burst3.txt"

    for i in range(3):
        (corpus / f"burst{i}.txt").unlink()
    wait_until(lambda: len(reindexes(log)) == 3)
    assert reindexes(log)[2].startswith("index: 0 added, 0 updated, 3 removed")
    assert "burst1.txt" not in {h.doc for h in engine.ask("burst1 details").hits}


def test_files_that_are_not_articles_do_not_trigger_a_reindex(tmp_path):
    handler = _Debouncer()
    handler.on_any_event(FileCreatedEvent(str(tmp_path / "notes.docx")))
    handler.on_any_event(DirModifiedEvent(str(tmp_path / "sub")))  # a folder's own "modified"
    assert not handler.dirty.is_set()
    handler.on_any_event(FileMovedEvent(str(tmp_path / "a.tmp"), str(tmp_path / "a.md")))  # an editor's save
    assert handler.dirty.is_set() and not handler.idle.is_set()


def test_unreadable_files_are_logged_and_other_files_ignored(watching, write):
    log = watching
    write("broken.md", b"\x00\x01\x02")
    wait_until(lambda: len(reindexes(log)) == 2)
    assert "warning: broken.md: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html." in log


def test_waiting_out_a_burst_does_not_spin(watching, write):
    write("slow.txt", topic_article("slow"))
    time.sleep(0.1)
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(DEBOUNCE * 0.7)  # the watcher is waiting for the burst to end
    assert time.process_time() - cpu < 0.5 * (time.monotonic() - wall)
    wait_until(lambda: len(reindexes(watching)) == 2)


def test_missing_corpus_is_one_clear_error(make_engine, tmp_path):
    with pytest.raises(CorpusMissing, match=r"not found; create it and add \.txt, \.md or \.html articles\.$"):
        watch(make_engine(corpus=tmp_path / "nope"), stop=threading.Event())
