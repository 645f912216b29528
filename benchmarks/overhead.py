"""Per-question cost of each serving path against the raw model + FAISS work, side by side.

    .venv/bin/python benchmarks/overhead.py [N] [--server NAME:VAR=VALUE] [--block B]   # a table, then JSON

Over the dev index (a copy at .eval-index), the same N dev questions (300 by default) go through:

* raw: ``Embedder.encode_query`` plus the FAISS search of 50 candidates (the floor: the
  product's own encoder, traced to TorchScript);
* raw:st: sentence-transformers' own ``encode`` of the question plus the same search (the
  raw figure as the issue measured it; a second ratio, ``x raw:st``);
* chat: ``Engine.ask``, the call each chat turn makes;
* chat:after: the same with ``Settings.spare_core`` off: a question's side work (the urgent
  check, BM25 scores) on the asking thread after the search, not on the idle core beside it
  (``search/spare_core.py``); ``--server after:RETRIEVAL_SPARE_CORE=0`` is its ``http`` row;
* batch: one ``search --batch`` line (JSON in, ``Engine.ask``, JSON out);
* api: ``POST /ask`` through FastAPI's in-process TestClient, one client kept open (its
  event loop runs in a thread of its own, as it does under uvicorn): routing, validation,
  the endpoint's thread, JSON, plus the TestClient's own hops between this thread and
  that loop;
* http: ``POST /ask`` to ``python -m retrieval api`` (uvicorn, what ``make api`` runs) in
  its own process over loopback, on one keep-alive connection: all that a client sees,
  HTTP on both sides included; ``--server NAME:VAR=VALUE`` adds a row ``http:NAME`` for a
  second such server started with more environment (a variant, measured side by side).

The paths take turns question by question, each question starting with the next path,
so load on the machine weighs on all alike. Then every server answers each question after
the other paths' processes have run, with caches they emptied: the worst case for a server.
``--block B`` makes each turn B questions long, so that a server answers a stream, as one
on its own machine does (its caches stay its own); the turns still interleave the paths.
Keep a round of turns under uvicorn's 5 s keep-alive (B = 10 is about 2 s; B = 25 was not:
the servers closed their connections). Each figure is the median wall-clock
milliseconds a question and its ratio to raw, and the CPU milliseconds a question
(this process's, plus the server's for http): on a busy machine, CPU time shows the
work a path adds without the waiting.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import time
from typing import Callable

import psutil

from common import BENCH, DEV_CORPUS, EVAL_INDEX, dev_questions

from retrieval import cli
from retrieval.embedder import _one_torch_thread
from retrieval.engine import Engine
from retrieval.serve.api import create_app
from retrieval.serve.chat import free_port, launch, stop, wait_healthy
from retrieval.serve.roles import Access
from retrieval.settings import Settings


class Server:
    """``python -m retrieval api`` over the dev index, and one keep-alive connection to it;
    ``env``: more environment for the server (a variant to compare); ``command``: another
    server to start instead, given the port (``http_layers.py``'s stripped-down rows)."""

    def __init__(self, name: str = "http", env: dict[str, str] | None = None,
                 command: Callable[[int], list[str]] | None = None):
        self.name, self.env = name, env or {}
        self.command = command or (lambda port: [sys.executable, "-m", "retrieval", "api", "--port", str(port)])

    def __enter__(self) -> "Server":
        port = free_port()
        env = {**os.environ, "RETRIEVAL_CORPUS": str(DEV_CORPUS), "RETRIEVAL_INDEX": str(EVAL_INDEX),
               "RETRIEVAL_QUESTION_LOG": "", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **self.env}
        BENCH.mkdir(exist_ok=True)
        self.proc = launch(self.command(port), env, BENCH / f"server-{self.name.replace(':', '-').replace('+', '-')}.log")
        wait_healthy(f"http://127.0.0.1:{port}", self.proc, 300, poll_s=0.2, path="/healthz")
        self.ps = psutil.Process(self.proc.pid)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return self

    def ask(self, question: str) -> dict:
        self.conn.request("POST", "/ask", json.dumps({"question": question}),
                          {"content-type": "application/json"})
        reply = self.conn.getresponse()
        body = reply.read()
        if reply.status != 200:
            raise RuntimeError(f"{self.name} POST /ask: {reply.status} {body[:200]!r}")
        return json.loads(body)

    def cpu(self) -> float:
        t = self.ps.cpu_times()
        return t.user + t.system

    def __exit__(self, *exc) -> None:
        self.conn.close()
        stop(self.proc)


def raw(engine: Engine) -> Callable[[str], object]:
    """The floor: the product's query encoder plus the FAISS search of 50 candidates."""
    searcher = engine.searcher()
    return lambda q: searcher.snap.vectors.search(engine.embedder.encode_query(q), 50)


def paths(engine: Engine, api, servers: list[Server]) -> dict[str, Callable[[str], object]]:
    searcher = engine.searcher()
    after = Engine(engine.settings.with_(spare_core=False), embedder=engine.embedder)  # side work after the search
    after.warm()
    return {
        "raw": raw(engine),
        "raw:st": lambda q: searcher.snap.vectors.search(_st_encode(engine, q), 50),
        "chat": lambda q: engine.ask(q),
        "chat:after": lambda q: after.ask(q),
        "batch": lambda q: json.dumps(cli._search_one(engine, json.dumps({"id": 1, "question": q}).encode(), 1, 5)),
        "api": lambda q: api.post("/ask", json={"question": q}).json(),
        **{server.name: server.ask for server in servers},
    }


def _st_encode(engine: Engine, question: str):
    """sentence-transformers' own ``encode`` of one question, on one torch thread as the product
    encodes: the raw encode as the issue measured it, before the product traced its encoder."""
    with _one_torch_thread():
        return engine.embedder.model.encode([question], normalize_embeddings=True, convert_to_numpy=True,
                                            show_progress_bar=False)[0]


def take_turns(runs: dict[str, Callable[[str], object]], questions: list[str], servers: list[Server],
               block: int = 1) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Each path's wall-clock seconds for each question, and its CPU seconds in all (this process's,
    plus the server's). The paths take turns, each turn ``block`` questions long (1: question by
    question), each turn starting with the next path."""
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu = dict.fromkeys(runs, 0.0)
    names = list(runs)
    by_name = {server.name: server for server in servers}
    for turn, start in enumerate(range(0, len(questions), block)):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            server = by_name.get(name)
            for q in questions[start:start + block]:
                c0, s0 = time.process_time(), server.cpu() if server else 0.0
                t0 = time.perf_counter()
                runs[name](q)
                wall[name].append(time.perf_counter() - t0)
                cpu[name] += time.process_time() - c0 + (server.cpu() - s0 if server else 0.0)
    return wall, cpu


def measure(runs: dict[str, Callable[[str], object]], questions: list[str], servers: list[Server],
            block: int = 1) -> dict:
    """Each path's median ms a question, its ratios to ``raw`` and ``raw:st``, and its CPU ms a question."""
    wall, cpu = take_turns(runs, questions, servers, block)
    floor, st_floor = statistics.median(wall["raw"]), statistics.median(wall["raw:st"])
    return {name: {"ms": round(1000 * statistics.median(ts), 2), "x_raw": round(statistics.median(ts) / floor, 2),
                   "x_raw_st": round(statistics.median(ts) / st_floor, 2),
                   "cpu_ms": round(1000 * cpu[name] / len(questions), 2)} for name, ts in wall.items()}


def main(n: int, variants: list[str], block: int = 1) -> None:
    from contextlib import ExitStack

    from fastapi.testclient import TestClient

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    engine = Engine(Settings(corpus=DEV_CORPUS, index=EVAL_INDEX, question_log=None))
    engine.warm()
    questions = [q["question"] for q in dev_questions(n)]
    with TestClient(create_app(engine, Access("", "127.0.0.1"))) as api, ExitStack() as stack:
        servers = [stack.enter_context(Server())]
        for spec in variants:  # NAME:VAR=VALUE[,VAR=VALUE]
            name, _, assignments = spec.partition(":")
            env = dict(a.split("=", 1) for a in assignments.split(",") if a)
            servers.append(stack.enter_context(Server(f"http:{name}", env)))
        runs = paths(engine, api, servers)
        for q in questions[:10]:  # warm every path
            for run in runs.values():
                run(q)
        out = measure(runs, questions, servers, block)
    print(f"{'path':12} {'ms':>7} {'x raw':>6} {'x raw:st':>8} {'cpu ms':>7}   (turns of {block}; load before {load})")
    for name, row in out.items():
        print(f"{name:12} {row['ms']:7.2f} {row['x_raw']:6.2f} {row['x_raw_st']:8.2f} {row['cpu_ms']:7.2f}")
    print(json.dumps({**out, "block": block, "load_before": load}))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=300, help="dev questions (300)")
    ap.add_argument("--server", action="append", default=[], metavar="NAME:VAR=VALUE[,VAR=VALUE]",
                    help="one more http row: the server started with this environment added "
                         "(e.g. fast:PYTHONPATH=DIR, DIR holding httptools and uvloop)")
    ap.add_argument("--block", type=int, default=1, metavar="B",
                    help="questions each path answers in a row before the next takes its turn (1)")
    args = ap.parse_args()
    main(args.n, args.server, max(1, args.block))
