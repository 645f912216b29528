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
counted: errors and empty replies; reported: answers a second, p50/p95 latency, and
the server's memory at the start and the end.

    .venv/bin/python benchmarks/load.py [--seconds 60] [--clients 20]   # JSON on stdout
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import threading
import time
import urllib.request

import psutil

from common import BENCH, DEV_CORPUS, EVAL_INDEX, dev_questions, ms, percentile, run_python  # noqa: F401

from retrieval.engine import Engine
from retrieval.serve.chat import free_port, launch, stop, wait_healthy
from retrieval.settings import Settings

EDITED = "zz-load-test/edition.txt"
EDITION = re.compile(r"edition (\d+)")
PROBE = "what does the load test edition article say about knee braces"


def edition_text(n: int) -> str:
    body = " ".join(f"Knee braces in edition {n} support the joint during sport, part {k}." for k in range(6))
    return f"Load test edition article\n\nKnee braces\n\n{body}\n"


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


def writer(settings: Settings, edits: int, seconds: float, stop_at: float, log: list) -> None:
    """The single writer: edit the article and re-index in a separate process, ``edits`` times."""
    gap = seconds / (edits + 1)
    for n in range(1, edits + 1):
        time.sleep(max(0.0, min(gap, stop_at - time.monotonic())))
        (settings.corpus / EDITED).write_text(edition_text(n + 1), encoding="utf-8")
        t0 = time.perf_counter()
        out = run_python(["-m", "retrieval", "index", "--json", "--corpus", str(settings.corpus),
                          "--index", str(settings.index)])
        log.append({"edition": n + 1, "seconds": round(time.perf_counter() - t0, 2),
                    "updated": json.loads(out.strip().splitlines()[-1])["updated"]})


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


def run_clients(clients: int, seconds: float, ask, qs: list[str]) -> tuple[Tally, float]:
    tally, stop_at = Tally(), time.monotonic() + seconds

    def session(k: int) -> None:
        i = k
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


def chat_case(clients: int, seconds: float, edits: int) -> dict:
    settings = prepare("chat")
    engine = Engine(settings)
    engine.warm()
    me = psutil.Process()
    rss0 = me.memory_info().rss
    log: list = []
    w = threading.Thread(target=writer, args=(settings, edits, seconds, time.monotonic() + seconds, log))
    w.start()
    tally, took = run_clients(clients, seconds, lambda q: engine.ask(q).to_json(), questions(2000))
    w.join()
    batches = engine.embedder._queries.batches
    return {**tally.summary(took), "rss_start_mib": round(rss0 / 2**20, 1),
            "rss_end_mib": round(me.memory_info().rss / 2**20, 1), "reindexes": log,
            "encode_batches": batches, "questions_per_encode": round(len(tally.latencies) / max(1, batches), 2)}


def api_case(clients: int, seconds: float, edits: int) -> dict:
    settings = prepare("api")
    port = free_port()
    env = {"RETRIEVAL_CORPUS": str(settings.corpus), "RETRIEVAL_INDEX": str(settings.index),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    proc = launch([sys.executable, "-m", "retrieval", "api", "--port", str(port)], env, BENCH / "load-api.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, 180, poll_s=0.2, path="/healthz")
        server = psutil.Process(proc.pid)
        rss0 = server.memory_info().rss

        def ask(q: str) -> dict:
            req = urllib.request.Request(f"{url}/ask", data=json.dumps({"question": q}).encode(),
                                         headers={"content-type": "application/json"})
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read())

        log: list = []
        w = threading.Thread(target=writer, args=(settings, edits, seconds, time.monotonic() + seconds, log))
        w.start()
        tally, took = run_clients(clients, seconds, ask, questions(2000))
        w.join()
        rss1 = server.memory_info().rss
    finally:
        stop(proc)
    return {**tally.summary(took), "rss_start_mib": round(rss0 / 2**20, 1), "rss_end_mib": round(rss1 / 2**20, 1),
            "reindexes": log}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--edits", type=int, default=4)
    args = ap.parse_args()
    BENCH.mkdir(exist_ok=True)
    out = {"chat": chat_case(args.clients, args.seconds, args.edits),
           "api": api_case(args.clients, args.seconds, args.edits)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
