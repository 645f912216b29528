"""Serving many people: throughput and latency under load while the corpus is re-indexed.

Two cases, one after the other, over a copy of the dev corpus and its index:

* **chat**: 20 chat sessions as threads in one process (the way Streamlit serves
  them), each asking non-stop for ``SECONDS``, over one shared ``Engine``;
* **api**: 20 concurrent HTTP clients against the API server (`python -m retrieval
  api`, what `make api` runs) in its own process.

Meanwhile a writer edits one article and re-indexes (`python -m retrieval index`, a
separate process, the single writer) ``EDITS`` times. The edited article names its
edit number in every passage ("edition N"), and a question about it checks that all
its hits come from one edition: a reply mixing two generations is counted. Also
counted: errors and empty replies; reported: answers a second, p50/p95 latency, the
server's memory at the start and the end (and every 10 s between), and the CPU seconds
the server and, for the API, the load clients used.

Each HTTP client keeps one connection open (HTTP/1.1 keep-alive, as browsers, proxies
and load balancers do) and uses the standard library's ``http.client``, so the load
generator, which shares the machine, takes as little of it as it can.

    .venv/bin/python benchmarks/load.py [--seconds 60] [--clients 20] [--edits 4] [--cases chat1,chat,api]
    # a table, then the figures as JSON
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

import psutil

from common import BENCH, DEV_CORPUS, EVAL_INDEX, dev_questions, ms, percentile, run_python  # noqa: F401

from retrieval.engine import Engine
from retrieval.errors import RetrievalError
from retrieval.store import generations as gen
from retrieval.store.passages import Store
from retrieval.serve.chat import free_port, launch, stop, wait_healthy
from retrieval.settings import Settings

EDITED = "zz-load-test/edition.txt"
EDITION = re.compile(r"edition (\d+)")
PROBE = "what does the load test edition article say about knee braces"


def edition_text(n: int) -> str:
    body = " ".join(f"Knee braces in edition {n} support the joint during sport, part {k}." for k in range(6))
    return f"Load test edition article\n\nKnee braces\n\n{body}\n"


class Memory:
    """The resident memory of a process, sampled every ``every`` seconds in a thread."""

    def __init__(self, process: psutil.Process, every: float = 10):
        self.process, self.every, self.samples = process, every, [process.memory_info().rss]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.samples.append(self.process.memory_info().rss)

    def end(self) -> dict:
        self._stop.set()
        self._thread.join()
        self.samples.append(self.process.memory_info().rss)
        mib = [round(b / 2**20, 1) for b in self.samples]
        return {"rss_start_mib": mib[0], "rss_end_mib": mib[-1], "rss_peak_mib": max(mib), "rss_every_10s_mib": mib}


def trimmed_rss(me: psutil.Process) -> float | None:
    """This process's RSS in MiB after a full collection and glibc's ``malloc_trim(0)``: what
    is left once freed memory kept by the allocator goes back to the system (a diagnostic;
    None where there is no glibc)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return None
    return round(me.memory_info().rss / 2**20, 1)


def cpu_seconds(process: psutil.Process) -> float:
    t = process.cpu_times()
    return t.user + t.system


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors = self.empty = self.mixed = 0

    def add(self, seconds: float, reply: dict | None, error: bool = False) -> None:
        with self.lock:
            if error or reply is None:
                self.errors += 1
                return
            self.latencies.append(seconds)
            if not reply.get("hits"):
                self.empty += 1
            editions = {m.group(1) for h in reply["hits"] if h["doc"] == EDITED for m in EDITION.finditer(h["text"])}
            self.mixed += len(editions) > 1

    def summary(self, seconds: float) -> dict:
        return {"answers": len(self.latencies), "per_s": round(len(self.latencies) / seconds, 1),
                "p50_ms": ms(percentile(self.latencies, 50)), "p95_ms": ms(percentile(self.latencies, 95)),
                "errors": self.errors, "empty": self.empty, "mixed_generation": self.mixed}


class IndexWriter:
    """The single writer as a new ``python -m retrieval index`` process per re-index: each one
    imports torch and loads the model again (the writer of the earlier runs)."""

    name = "index"

    def __init__(self, settings: Settings):
        self.settings, self.cpu_s = settings, 0.0

    def start(self) -> None:
        pass

    def publish(self, n: int) -> dict:
        (self.settings.corpus / EDITED).write_text(edition_text(n), encoding="utf-8")
        c0, t0 = _children_cpu(), time.perf_counter()
        out = run_python(["-m", "retrieval", "index", "--json", "--corpus", str(self.settings.corpus),
                          "--index", str(self.settings.index)])
        self.cpu_s += _children_cpu() - c0
        return {"edition": n, "seconds": round(time.perf_counter() - t0, 2),
                "updated": json.loads(out.strip().splitlines()[-1])["updated"]}

    def stop(self) -> None:
        pass


class WatchWriter:
    """The single writer as ``make run`` has it: one long-running ``python -m retrieval watch``
    with its model loaded, re-indexing each edit once the folder has been quiet for 1 s."""

    name = "watch"

    def __init__(self, settings: Settings):
        self.settings, self.cpu_s, self.log = settings, 0.0, BENCH / f"load-watch-{settings.index.parent.name}.log"

    def start(self) -> None:
        env = {**os.environ, "RETRIEVAL_CORPUS": str(self.settings.corpus),
               "RETRIEVAL_INDEX": str(self.settings.index), "RETRIEVAL_QUESTION_LOG": "off"}
        self.proc = launch([sys.executable, "-m", "retrieval", "watch"], env, self.log)
        self._wait_for("watching ", 0)
        # One edit before the run, as a watcher serving for a while has made: its model is loaded.
        (self.settings.corpus / EDITED).write_text(edition_text(1) + "\n", encoding="utf-8")
        self._wait_for("index: ", 1)
        self._settle()
        self.ps = psutil.Process(self.proc.pid)
        self._cpu0 = cpu_seconds(self.ps)

    def publish(self, n: int) -> dict:
        (self.settings.corpus / EDITED).write_text(edition_text(n), encoding="utf-8")
        t0 = time.perf_counter()
        deadline = time.monotonic() + 300
        while published_edition(self.settings.index) != n:  # the watcher may re-index more than once
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"edition {n} was not published: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)
        return {"edition": n, "seconds": round(time.perf_counter() - t0, 2), "report": self._last("index: ")}

    def stop(self) -> None:
        self.cpu_s = cpu_seconds(self.ps) - self._cpu0
        stop(self.proc)

    def _settle(self, quiet: float = 3, timeout: float = 120) -> None:
        """Until the watcher has written nothing for ``quiet`` seconds (it may re-index again
        after its first, model-loading run)."""
        size, since, deadline = -1, time.monotonic(), time.monotonic() + timeout
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            now = self.log.stat().st_size
            if now != size:
                size, since = now, time.monotonic()
            time.sleep(0.1)

    def _last(self, prefix: str) -> str:
        return [ln for ln in self.log.read_text().splitlines() if ln.startswith(prefix)][-1]

    def _wait_for(self, prefix: str, seen: int, timeout: float = 300) -> str:
        """The ``seen``-th line (0: the first) starting with ``prefix`` once the watcher has written it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = [ln for ln in self.log.read_text().splitlines() if ln.startswith(prefix)]
            if len(lines) > seen:
                return lines[seen]
            if self.proc.poll() is not None:
                raise RuntimeError(f"the watcher exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.05)
        raise RuntimeError(f"the watcher did not re-index within {timeout:.0f}s")


WRITERS = {"watch": WatchWriter, "index": IndexWriter}


def published_edition(index: Path) -> int | None:
    """The edition of the edited article in the live generation."""
    try:
        store = Store(gen.current_dir(index) / gen.STORE)
    except RetrievalError:
        return None
    try:
        article = store.article(EDITED)
    finally:
        store.close()
    found = EDITION.search(article.text) if article else None
    return int(found.group(1)) if found else None


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def write_during(writer, edits: int, seconds: float, log: list) -> threading.Thread:
    """A thread publishing ``edits`` editions, evenly spread over ``seconds``."""
    def run() -> None:
        gap, stop_at = seconds / (edits + 1), time.monotonic() + seconds
        for n in range(1, edits + 1):
            time.sleep(max(0.0, min(gap, stop_at - time.monotonic())))
            log.append(writer.publish(n + 1))
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def prepare(tag: str) -> Settings:
    """A copy of the dev corpus plus the edited article, and of the dev index brought up to date."""
    folder = BENCH / f"load-{tag}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(DEV_CORPUS, folder / "corpus")
    (folder / "corpus" / EDITED).parent.mkdir()
    (folder / "corpus" / EDITED).write_text(edition_text(1), encoding="utf-8")
    shutil.copytree(EVAL_INDEX, folder / "index")
    settings = Settings(corpus=folder / "corpus", index=folder / "index")
    run_python(["-m", "retrieval", "index", "--corpus", str(settings.corpus), "--index", str(settings.index)])
    return settings


def questions(n: int) -> list[str]:
    qs = [q["question"] for q in dev_questions(n)]
    return [PROBE if i % 10 == 0 else q for i, q in enumerate(qs)]


def run_clients(clients: int, seconds: float, connect, qs: list[str]) -> tuple[Tally, float]:
    """``clients`` sessions asking non-stop; ``connect()`` gives each its own ``ask(question) -> reply``."""
    tally, stop_at = Tally(), time.monotonic() + seconds

    def session(k: int) -> None:
        i, ask = k, connect()
        while time.monotonic() < stop_at:
            q = qs[i % len(qs)]
            i += clients
            t0 = time.perf_counter()
            try:
                reply = ask(q)
            except Exception:
                tally.add(time.perf_counter() - t0, None, error=True)
                continue
            tally.add(time.perf_counter() - t0, reply)

    threads = [threading.Thread(target=session, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally, time.perf_counter() - t0


def chat_case(clients: int, seconds: float, edits: int, writer: str, max_batch: int | None = None) -> dict:
    settings = prepare("chat")
    engine = Engine(settings)
    if max_batch is not None:  # the baseline: each question encoded on its own, as before micro-batching
        engine.embedder._queries.max_batch = max_batch
    engine.warm()
    w = WRITERS[writer](settings)
    w.start()
    try:
        me = psutil.Process()
        memory, cpu0 = Memory(me), cpu_seconds(me)
        log: list = []
        thread = write_during(w, edits, seconds, log)
        tally, took = run_clients(clients, seconds, lambda: lambda q: engine.ask(q).to_json(), questions(2000))
        cpu = cpu_seconds(me) - cpu0
        thread.join()
    finally:
        w.stop()
    batches = engine.embedder._queries.batches
    rss = memory.end()
    return {**tally.summary(took), **rss, "rss_after_trim_mib": trimmed_rss(me), "server_cpu_s": round(cpu, 1),
            "writer": writer, "writer_cpu_s": round(w.cpu_s, 1), "reindexes": log,
            "encode_batches": batches, "questions_per_encode": round(len(tally.latencies) / max(1, batches), 2)}


def api_case(clients: int, seconds: float, edits: int, writer: str, workers: int = 1) -> dict:
    settings = prepare("api")
    port = free_port()
    env = {"RETRIEVAL_CORPUS": str(settings.corpus), "RETRIEVAL_INDEX": str(settings.index),
           "RETRIEVAL_QUESTION_LOG": "off", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PATH": "/usr/bin:/bin", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    proc = launch([sys.executable, "-m", "retrieval", "api", "--port", str(port), "--workers", str(workers)], env,
                  BENCH / "load-api.log")
    w = WRITERS[writer](settings)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, 180, poll_s=0.2, path="/healthz")
        wait_workers(proc, workers)
        w.start()
        server, me = Tree(psutil.Process(proc.pid)), psutil.Process()
        memory, cpu0, client0 = Memory(server), cpu_seconds(server), cpu_seconds(me)
        log: list = []
        thread = write_during(w, edits, seconds, log)
        tally, took = run_clients(clients, seconds, lambda: http_client(port), questions(2000))
        cpu, client_cpu = cpu_seconds(server) - cpu0, cpu_seconds(me) - client0
        thread.join()
        rss = memory.end()
    finally:
        w.stop()
        stop(proc)
    return {**tally.summary(took), **rss, "server_cpu_s": round(cpu, 1), "client_cpu_s": round(client_cpu, 1),
            "workers": workers, "writer": writer, "writer_cpu_s": round(w.cpu_s, 1), "reindexes": log}


class Tree:
    """A server process and its workers, measured together (``memory_info`` and
    ``cpu_times`` summed; the workers' RSS counts pages they share with each other once each)."""

    def __init__(self, root: psutil.Process):
        self.root = root

    def _all(self) -> list[psutil.Process]:
        return [self.root, *self.root.children(recursive=True)]

    def memory_info(self):
        return _Sum(rss=sum(p.memory_info().rss for p in self._all()))

    def cpu_times(self):
        times = [p.cpu_times() for p in self._all()]
        return _Sum(user=sum(t.user for t in times), system=sum(t.system for t in times))


class _Sum:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def wait_workers(proc, workers: int, timeout: float = 180) -> None:
    """Until every worker process has loaded its model (each has a few hundred MiB resident)."""
    if workers <= 1:
        return
    deadline, root = time.monotonic() + timeout, psutil.Process(proc.pid)
    while time.monotonic() < deadline:
        kids = root.children()
        if len(kids) >= workers and all(k.memory_info().rss > 400 * 2**20 for k in kids):
            time.sleep(2)  # the index and the urgent-care examples after the model
            return
        time.sleep(0.2)
    raise RuntimeError(f"{workers} API workers were not ready within {timeout:.0f}s")


def http_client(port: int):
    """One client: a keep-alive connection to the API and ``ask(question) -> reply``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def ask(q: str) -> dict:
        conn.request("POST", "/ask", json.dumps({"question": q}), {"content-type": "application/json"})
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{resp.status}: {body[:200]!r}")
        return json.loads(body)
    return ask


def table(out: dict) -> str:
    base = out.get("chat1", {}).get("per_s")
    rows = ["case    answers  per s  x chat1  p50 ms  p95 ms  errors  empty  mixed  server CPU s  writer CPU s  "
            "RSS MiB start -> end (peak)  load before"]
    for case, r in out.items():
        ratio = f"{r['per_s'] / base:.2f}" if base else "-"
        rows.append(f"{case:6} {r['answers']:8} {r['per_s']:6} {ratio:>8} {r['p50_ms']:7} {r['p95_ms']:7} "
                    f"{r['errors']:7} {r['empty']:6} {r['mixed_generation']:6} {r['server_cpu_s']:13} "
                    f"{r['writer_cpu_s']:13}  {r['rss_start_mib']} -> {r['rss_end_mib']} ({r['rss_peak_mib']})  "
                    f"{r['load_before']}")
    return "\n".join(rows)


def run_case(name: str, args) -> dict:
    """``chat``; ``chat1`` (one question per model call: the baseline without micro-batching);
    ``api`` (``--workers`` processes) or ``apiN`` (N worker processes)."""
    a = (args.clients, args.seconds, args.edits, args.writer)
    if name == "chat":
        return chat_case(*a)
    if name == "chat1":
        return chat_case(*a, max_batch=1)
    m = re.fullmatch(r"api(\d*)", name)
    if m:
        return api_case(*a, workers=int(m.group(1) or args.workers))
    raise SystemExit(f"unknown case {name!r}: chat, chat1, api or apiN")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--edits", type=int, default=4)
    ap.add_argument("--cases", default="chat,api,chat1", help="which cases, in this order (chat, api; chat1: "
                    "the chat case with one question per model call, the baseline without micro-batching; "
                    "apiN: the API with N worker processes)")
    ap.add_argument("--workers", type=int, default=1, help="API worker processes for the api case")
    ap.add_argument("--writer", choices=sorted(WRITERS), default="watch",
                    help="watch: one long-running `retrieval watch` (as `make run`); index: a new "
                         "`retrieval index` process per re-index")
    args = ap.parse_args()
    BENCH.mkdir(exist_ok=True)
    out = {}
    for name in args.cases.split(","):
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        out[name] = {**run_case(name, args), "load_before": load}
    print(table(out))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
