"""``Engine.ask`` latency under thread-pool settings: why a busy machine can make one question slow.

Three thread pools share the 2 cores while a question is answered: PyTorch's
OpenMP pool (the model; ``Embedder.encode_query`` runs it on one thread),
FAISS's own OpenMP pool, and numpy's OpenBLAS pool (the searcher's small matrix
products). OpenBLAS and OpenMP threads spin for a while after each use; the
next step's threads then compete with spinning ones, and when other work keeps
the cores busy too, a short question's many small parallel steps each wait for
a preempted thread. Each setting runs in a fresh
process (these variables are read when the libraries load):

    python benchmarks/threads.py N_QUESTIONS CORPUS INDEX   # JSON on stdout
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import Timer, dev_questions, ms, percentile, run_python  # noqa: E402

HERE = Path(__file__).resolve()
CLEAR = {"OMP_WAIT_POLICY": None, "OPENBLAS_NUM_THREADS": None, "OMP_NUM_THREADS": None}
SETTINGS = {  # name: (torch threads, environment); the query itself is always encoded on one thread
    "default": (0, {}),
    "OPENBLAS_NUM_THREADS=1": (0, {"OPENBLAS_NUM_THREADS": "1"}),
    "OMP_WAIT_POLICY=PASSIVE": (0, {"OMP_WAIT_POLICY": "PASSIVE"}),
}


def probe(n: int, threads: int, corpus: Path, index: Path) -> dict:
    import torch

    from retrieval.engine import Engine
    from retrieval.settings import Settings

    if threads:
        torch.set_num_threads(threads)
    engine = Engine(Settings(corpus=corpus, index=index))
    questions = [q["question"] for q in dev_questions(n)]
    for q in questions[:5]:
        engine.ask(q)
    times = []
    for q in questions:
        with Timer() as t:
            engine.ask(q)
        times.append(t.seconds)
    return {"p50_ms": ms(percentile(times, 50)), "p95_ms": ms(percentile(times, 95)),
            "load": round(os.getloadavg()[0], 2)}


def run(n: int, corpus: Path, index: Path) -> dict:
    out = {}
    for name, (threads, env) in SETTINGS.items():
        out[name] = json.loads(run_python([str(HERE), "probe", str(n), str(threads), str(corpus), str(index)],
                                          env={**CLEAR, **env}))
        print(f"  Engine.ask, {name}: p50 {out[name]['p50_ms']} ms, p95 {out[name]['p95_ms']} ms "
              f"(load {out[name]['load']})", flush=True)
    return out


if __name__ == "__main__":
    if sys.argv[1] == "probe":
        print(json.dumps(probe(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))))
    else:
        print(json.dumps(run(int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))))
