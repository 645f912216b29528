"""Per-question cost of each serving path against the raw model + FAISS work, side by side.

    .venv/bin/python benchmarks/overhead.py [N]      # JSON on stdout

Over the dev index (a copy at .eval-index), the same N dev questions go through:

* raw: ``Embedder.encode_query`` plus the FAISS search of 50 candidates (the floor);
* chat: ``Engine.ask``, the call each chat turn makes;
* batch: one ``search --batch`` line (JSON in, ``Engine.ask``, JSON out);
* API: ``POST /ask`` through FastAPI's in-process TestClient (routing, validation, JSON).

The paths take turns question by question, so load on the machine weighs on all alike;
each figure is the median milliseconds a question, and the ratio is to raw.
"""
from __future__ import annotations

import json
import statistics
import sys
import time

from common import DEV_CORPUS, EVAL_INDEX, dev_questions

from retrieval import cli
from retrieval.engine import Engine
from retrieval.serve.api import create_app
from retrieval.serve.roles import Access
from retrieval.settings import Settings


def main(n: int) -> None:
    from fastapi.testclient import TestClient

    engine = Engine(Settings(corpus=DEV_CORPUS, index=EVAL_INDEX))
    engine.warm()
    searcher = engine.searcher()
    api = TestClient(create_app(engine, Access("", "127.0.0.1")))
    paths = {
        "raw": lambda q: searcher.snap.vectors.search(engine.embedder.encode_query(q), 50),
        "chat": lambda q: engine.ask(q),
        "batch": lambda q: json.dumps(cli._search_one(engine, json.dumps({"id": 1, "question": q}).encode(), 1, 5)),
        "api": lambda q: api.post("/ask", json={"question": q}).json(),
    }
    questions = [q["question"] for q in dev_questions(n)]
    for q in questions[:10]:  # warm every path
        for run in paths.values():
            run(q)
    times: dict[str, list[float]] = {name: [] for name in paths}
    for q in questions:
        for name, run in paths.items():
            t0 = time.perf_counter()
            run(q)
            times[name].append(time.perf_counter() - t0)
    medians = {name: 1000 * statistics.median(ts) for name, ts in times.items()}
    print(json.dumps({name: {"ms": round(m, 2), "x_raw": round(m / medians["raw"], 2)} for name, m in medians.items()}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
