"""Crash safety and concurrency: kill -9 during indexing, readers during writes,
two indexing runs at once. The index must always open and answer from exactly
one complete generation."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from fakes import FAKE_CLI, FakeEmbedder, article, cli_env, fake_settings
from retrieval import Engine
from retrieval.store import generations as gen
from retrieval.store.snapshot import Snapshot

N_ARTICLES = 24  # x 3 passages
DELAY = 0.01  # seconds per passage in the subprocess: about 0.7 s of embedding per run
_STEP = re.compile(r"\bstep(\d+)\b")


def write_step(corpus, step: int) -> None:
    """Rewrite every article so that each passage names the corpus version ``step``."""
    for i in range(N_ARTICLES):
        sections = {"": f"Article {i} marker step{step}. It opens the piece.",
                    "Details": f"Detail text {i} with marker step{step}. Runners read it.",
                    "Advice": f"Advice text {i} with marker step{step}. Rest helps."}
        (corpus / f"a{i:02d}.txt").write_text(article(f"Article {i}", sections), encoding="utf-8")


def steps_of(snap: Snapshot) -> set[int]:
    """The corpus versions found in every passage of a generation."""
    rows = snap.store.chunk_rows(snap.store.chunk_ids())
    return {int(m) for row in rows.values() for m in _STEP.findall(row[3])}


def steps_of_live(index_dir, settings) -> set[int]:
    snap = Snapshot.open(index_dir, settings)
    try:
        return steps_of(snap)
    finally:
        snap.close()


def start_index(corpus, index_dir, *options: str, delay: float = DELAY) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, str(FAKE_CLI), "index", "--corpus", str(corpus), "--index", str(index_dir), *options],
        env=cli_env(FAKE_EMBED_DELAY=str(delay)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr.readline().strip() == "ready"  # imports done: the run starts now
    return proc


@pytest.fixture
def settings(corpus, index_dir):
    return fake_settings(corpus, index_dir)


def wait_for(condition, timeout: float = 30) -> float:
    t0 = time.monotonic()
    while not condition():
        assert time.monotonic() - t0 < timeout, "timed out"
        time.sleep(0.002)
    return time.monotonic()


def test_kill_9_while_indexing_keeps_the_last_complete_generation(settings, corpus, index_dir):
    write_step(corpus, 0)
    Engine(settings, embedder=FakeEmbedder()).index()
    # One full run, to time it from its start to CURRENT changing.
    write_step(corpus, 1)
    pointer = (index_dir / gen.POINTER).read_text()
    proc = start_index(corpus, index_dir)
    started = time.monotonic()
    run = wait_for(lambda: (index_dir / gen.POINTER).read_text() != pointer) - started
    assert proc.wait(30) == 0, proc.stderr.read()
    proc.stdout.close(), proc.stderr.close()
    step, interrupted = 1, 0
    for fraction in (0.1, 0.5, 0.9, 0.95, 1.0, 1.05):  # embedding, then building and publishing
        step += 1
        before, before_steps = gen.read_pointer(index_dir)["generation"], steps_of_live(index_dir, settings)
        write_step(corpus, step)
        proc = start_index(corpus, index_dir)
        time.sleep(fraction * run)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        proc.stdout.close(), proc.stderr.close()
        snap = Snapshot.open(index_dir, settings)  # never damaged
        try:
            assert snap.folder.name >= before
            assert steps_of(snap) == (before_steps if snap.folder.name == before else {step})
            assert snap.store.counts() == (N_ARTICLES, 3 * N_ARTICLES)
        finally:
            snap.close()
        interrupted += snap.folder.name == before
        reply = Engine(settings, embedder=FakeEmbedder()).ask("marker details")
        assert len({int(m) for h in reply.hits for m in _STEP.findall(h.text)}) == 1
    assert interrupted >= 2  # the early kills landed before the new generation was published
    report = Engine(settings, embedder=FakeEmbedder()).index()  # the next run completes
    assert report.articles == N_ARTICLES and report.chunks == 3 * N_ARTICLES
    assert steps_of_live(index_dir, settings) == {step}
    assert len([p for p in index_dir.iterdir() if p.name.startswith("g")]) <= 2  # unfinished folders swept


def test_readers_see_one_consistent_generation_while_a_writer_reindexes(settings, corpus):
    write_step(corpus, 0)
    writer = Engine(settings, embedder=FakeEmbedder())
    writer.index()
    reader = Engine(settings, embedder=FakeEmbedder())
    seen: list[set[int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                hits = reader.ask("marker details", top_k=5).hits
                seen.append({int(m) for h in hits for m in _STEP.findall(h.text)})
            except BaseException as err:  # noqa: BLE001 - any error fails the test
                errors.append(err)
                return

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for step in range(1, 7):
            write_step(corpus, step)
            assert writer.index().updated
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(30)
    assert not errors, repr(errors[0])
    assert seen and all(len(s) == 1 for s in seen), "an answer mixed two generations"
    order = [next(iter(s)) for s in seen]
    assert order == sorted(order) and len(set(order)) >= 2


SHARED_ENGINE = """
import sys, threading
from pathlib import Path
sys.path.insert(0, {tests!r})
from fakes import FakeEmbedder, fake_settings
from test_crash import write_step
from retrieval import Engine
settings = fake_settings(Path({corpus!r}), Path({index!r}))
writer, shared = Engine(settings, embedder=FakeEmbedder()), Engine(settings, embedder=FakeEmbedder())
errors, stop = [], threading.Event()
def read():
    while not stop.is_set():
        try:
            shared.ask("marker details")
        except Exception as err:
            errors.append(repr(err))
            return
threads = [threading.Thread(target=read) for _ in range(3)]
for t in threads:
    t.start()
for step in range(1, 8):
    write_step(Path({corpus!r}), step)
    writer.index()
stop.set()
for t in threads:
    t.join()
print(errors)
"""


def test_threads_sharing_one_engine_while_a_writer_reindexes(settings, corpus, index_dir):
    """As the app does: one cached Engine, several sessions asking at once (in a subprocess: it may crash)."""
    write_step(corpus, 0)
    Engine(settings, embedder=FakeEmbedder()).index()
    script = SHARED_ENGINE.format(tests=str(FAKE_CLI.parent), corpus=str(corpus), index=str(index_dir))
    out = subprocess.run([sys.executable, "-c", script], env=cli_env(), capture_output=True, text=True, timeout=120)
    assert (out.returncode, out.stdout.strip()) == (0, "[]"), out.stderr[-2000:]


def test_reader_opening_a_generation_that_writers_sweep_meanwhile(settings, corpus, index_dir, monkeypatch):
    write_step(corpus, 0)
    writer = Engine(settings, embedder=FakeEmbedder())
    writer.index()
    real_open = Snapshot.open_folder.__func__
    calls, writing = [], threading.Event()

    def slow_open(cls, folder, settings=None, upgrade=False):
        if writing.is_set():
            return real_open(cls, folder, settings, upgrade)
        calls.append(folder.name)
        if len(calls) == 1:  # two newer generations are published while this reader opens
            writing.set()
            for step in (1, 2):
                write_step(corpus, step)
                writer.index()
            writing.clear()
            assert not folder.exists()
        return real_open(cls, folder, settings)

    monkeypatch.setattr(Snapshot, "open_folder", classmethod(slow_open))
    snap = Snapshot.open(index_dir, settings)
    assert calls == ["g000001", "g000003"] and steps_of(snap) == {2}
    snap.close()


def test_two_indexing_runs_at_once(settings, corpus, index_dir):
    write_step(corpus, 0)
    Engine(settings, embedder=FakeEmbedder()).index()
    write_step(corpus, 1)
    first = start_index(corpus, index_dir, "--json", delay=0.05)  # about 4 s of embedding
    time.sleep(0.3)  # the first run holds the writer lock now
    busy = start_index(corpus, index_dir, "--no-wait")
    waiting = start_index(corpus, index_dir, "--json")
    assert busy.wait(30) == 4
    err = busy.stderr.read()  # (after readline: communicate() would skip what is buffered)
    busy.stdout.close(), busy.stderr.close()
    assert err.strip() == (f"error: Another indexing run holds {index_dir / gen.LOCK}; "
                           "wait for it to finish and try again.")
    assert first.wait(30) == 0 and waiting.wait(30) == 0
    outputs = [first.stdout.read(), waiting.stdout.read()]
    for proc in (first, waiting):
        proc.stdout.close(), proc.stderr.close()
    assert '"updated": []' in outputs[1] and '"chunks_embedded": 0' in outputs[1]  # ran after, nothing left
    assert f'"chunks_embedded": {3 * N_ARTICLES}' in outputs[0]
    snap = Snapshot.open(index_dir, settings)
    assert steps_of(snap) == {1} and snap.folder.name == "g000002"
    snap.close()
