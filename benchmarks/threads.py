"""Query encoding under CPU threads settings: why a busy machine can make one question slow.

PyTorch runs each layer of the model on an OpenMP thread pool (2 threads on 2
cores). By default OpenMP threads spin while they wait for each other; when
another process keeps the cores busy, a short query's many small parallel steps
each wait for a preempted thread. Each setting runs in a fresh process (the
OpenMP wait policy is read when the runtime starts):

    python benchmarks/threads.py N_QUESTIONS   # JSON on stdout
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import Timer, dev_questions, ms, percentile, run_python  # noqa: E402

HERE = Path(__file__).resolve()
SETTINGS = {  # name: (torch threads, extra environment)
    "default (2 threads)": (0, {}),
    "1 thread": (1, {}),
    "2 threads, OMP_WAIT_POLICY=PASSIVE": (0, {"OMP_WAIT_POLICY": "PASSIVE"}),
}


def probe(n: int, threads: int) -> dict:
    import torch

    from common import warm_embedder

    if threads:
        torch.set_num_threads(threads)
    emb = warm_embedder()
    questions = [q["question"] for q in dev_questions(n)]
    for q in questions[:5]:
        emb.encode_query(q)
    times = []
    for q in questions:
        with Timer() as t:
            emb.encode_query(q)
        times.append(t.seconds)
    return {"torch_threads": torch.get_num_threads(), "p50_ms": ms(percentile(times, 50)),
            "p95_ms": ms(percentile(times, 95)), "load": round(os.getloadavg()[0], 2)}


def run(n: int) -> dict:
    out = {}
    for name, (threads, env) in SETTINGS.items():
        out[name] = json.loads(run_python([str(HERE), "probe", str(n), str(threads)],
                                          env={"OMP_WAIT_POLICY": None, **env}))
        print(f"  encode one question, {name}: p50 {out[name]['p50_ms']} ms, p95 {out[name]['p95_ms']} ms "
              f"(load {out[name]['load']})", flush=True)
    return out


if __name__ == "__main__":
    if sys.argv[1] == "probe":
        print(json.dumps(probe(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        print(json.dumps(run(int(sys.argv[1]))))
