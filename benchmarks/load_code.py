"""Throughput of one checkout's code: 20 threads asking ``Engine.ask`` non-stop, nothing else running.

To compare two versions of the product side by side on one machine (e.g. the code when
issue 13 was filed against today's), give each its own checkout and its own index, built
by that checkout, and run them in turns (from the project folder):

    git worktree add /tmp/then 1b26539
    (cd /tmp/then && /path/to/project/.venv/bin/python -m retrieval index \
        --corpus /path/to/shared/eval/medquad-dev/corpus --index /tmp/idx-then)
    .venv/bin/python benchmarks/load_code.py --code /tmp/then --index /tmp/idx-then
    .venv/bin/python benchmarks/load_code.py --code . --index .eval-index
    # one JSON line each: answers, answers a second, p50/p95 ms, CPU ms an answer, cores used

Only ``Engine(Settings(corpus, index)).ask(question)`` is called, which every version has;
the corpus's questions are taken in a fixed order, each at most once, so no cache of the
newer code is hit by a repeat. ``load.py`` is the full benchmark (a writer re-indexing,
the API, memory); this one isolates the code.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

from common import DEV_CORPUS, DEV_QUESTIONS, ROOT, percentile  # offline; imports no retrieval code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout to import")
    ap.add_argument("--index", type=Path, required=True, help="an index built by that checkout")
    ap.add_argument("--corpus", type=Path, default=DEV_CORPUS)
    ap.add_argument("--questions", type=Path, default=DEV_QUESTIONS)
    ap.add_argument("--seconds", type=float, default=40)
    ap.add_argument("--threads", type=int, default=20)
    args = ap.parse_args()
    sys.path.insert(0, str(args.code.resolve()))  # before common's ROOT: that checkout's retrieval
    from retrieval.engine import Engine
    from retrieval.settings import Settings

    lines = args.questions.read_text(encoding="utf-8").splitlines()
    qs = list(dict.fromkeys(json.loads(line)["question"] for line in lines if line.strip()))
    engine = Engine(Settings(corpus=args.corpus, index=args.index))
    for q in ("what is gout", "what causes flu"):  # warm: model, index, first-use lists
        engine.ask(q)
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def session(k: int) -> None:
        while time.monotonic() < stop:
            q = qs[(k * 7919) % len(qs)]  # a fixed stride: every question at most once in a run
            k += args.threads
            t = time.perf_counter()
            engine.ask(q)
            with lock:
                latencies.append(time.perf_counter() - t)

    cpu0, t0 = time.process_time(), time.monotonic()
    threads = [threading.Thread(target=session, args=(k,)) for k in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
    n = len(latencies)
    print(json.dumps({"code": str(args.code), "answers": n, "per_s": round(n / wall, 1),
                      "p50_ms": round(percentile(latencies, 50) * 1000),
                      "p95_ms": round(percentile(latencies, 95) * 1000),
                      "cpu_ms_an_answer": round(cpu / n * 1000, 1), "cores": round(cpu / wall, 2)}))


if __name__ == "__main__":
    main()
