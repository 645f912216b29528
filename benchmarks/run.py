"""Speed, memory and scale of the library, measured against its targets; writes BENCHMARKS.md.

    .venv/bin/python benchmarks/run.py            # everything (see BENCHMARKS.md for the duration)
    .venv/bin/python benchmarks/run.py --quick    # small subsets, a few minutes
    .venv/bin/python benchmarks/run.py --only scale onnx   # re-measure some sections, keep the others

Temporary data goes to .bench/ (gitignored); the raw results to .bench/results.json;
the plots to benchmarks/*.png.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, DEV_CORPUS, ROOT, Machine, Timer, dev_articles, dev_questions, dev_index, passages, run_python, warm_embedder  # noqa: E402,E501

import build  # noqa: E402
import coldstart  # noqa: E402
import incremental  # noqa: E402
import latency  # noqa: E402
import memory  # noqa: E402
import onnx_backend  # noqa: E402
import report  # noqa: E402
import scale  # noqa: E402
import threads  # noqa: E402

from retrieval.engine import Engine  # noqa: E402
from retrieval.settings import Settings  # noqa: E402

SECTIONS = ["build", "latency", "incremental", "incremental-dev", "scale", "memory", "coldstart", "onnx"]
RESULTS = BENCH / "results.json"


class Plan:
    """Sizes for a quick or a full run."""

    def __init__(self, quick: bool, medium: bool = False):
        self.quick = quick
        total = len(dev_articles())
        self.build_sizes = [20, 50] if quick else [100, 300] if medium else [100, 300, 1000, total]
        self.build_only = () if quick or medium else (1000,)  # the incremental benchmark's index: no raw encode
        self.incremental_over = 50 if quick else 300 if medium else 1000
        self.questions = 100 if quick else 300
        self.thread_questions = 40 if quick else 100
        self.dense_sizes = [10_000, 100_000] if quick else [10_000, 30_000, 100_000, 300_000, 1_000_000]
        self.lexical_sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
        self.uniform_at = 0 if quick else 100_000
        self.onnx_passages = 200 if quick else 500
        self.onnx_questions = 100 if quick else 500


def dev_settings() -> Settings:
    return Settings(corpus=DEV_CORPUS, index=BENCH / "dev-index")


def section_build(plan: Plan, ctx: dict) -> dict:
    return build.run(ctx["embedder"], plan.build_sizes, plan.build_only)


def section_latency(plan: Plan, ctx: dict) -> dict:
    engine = Engine(dev_settings(), embedder=ctx["embedder"])
    out = latency.run(engine, dev_questions(plan.questions))
    s = dev_settings()
    out["threads"] = threads.run(plan.thread_questions, s.corpus, s.index)
    return out


def section_incremental(plan: Plan, ctx: dict) -> dict:
    n = plan.incremental_over
    point = next((p for p in ctx["results"].get("build", {}).get("points", []) if p["articles"] == n), None)
    folder = BENCH / "build"
    if point is None or not (folder / f"index-{n}").exists():
        point = build.measure(n, ctx["embedder"], raw=False).to_json()
    return incremental.run(ctx["embedder"], folder / f"corpus-{n}", folder / f"index-{n}", point["build_s"])


FULL_DEV_BUILD_S = 647.0  # the first full build of the dev corpus (BENCHMARKS.md), when this run built none


def section_incremental_dev(plan: Plan, ctx: dict) -> dict:
    """The same steps over the whole dev corpus (a copy of its built index)."""
    s = dev_settings()
    point = next((p for p in ctx["results"].get("build", {}).get("points", []) if p["articles"] == len(dev_articles())), None)
    return incremental.run(ctx["embedder"], s.corpus, s.index, point["build_s"] if point else FULL_DEV_BUILD_S)


def section_scale(plan: Plan, ctx: dict) -> dict:
    engine = Engine(dev_settings(), embedder=ctx["embedder"])
    questions = [q["question"] for q in dev_questions(plan.questions)]
    scale.save_inputs(engine.searcher().snap, questions, ctx["embedder"].encode(questions))
    out = BENCH / "scale" / "results.json"
    args = [str(Path(scale.__file__)), "run", "--out", str(out), "--dense", *map(str, plan.dense_sizes),
            "--lexical", *map(str, plan.lexical_sizes), "--uniform", str(plan.uniform_at)]
    print(run_python(args, timeout=3 * 3600), end="", flush=True)
    return json.loads(out.read_text())


def section_memory(plan: Plan, ctx: dict) -> dict:
    s = dev_settings()
    return memory.run(s.corpus, s.index)


def section_coldstart(plan: Plan, ctx: dict) -> dict:
    s = dev_settings()
    return coldstart.run(s.corpus, s.index)


def section_onnx(plan: Plan, ctx: dict) -> dict:
    emb = ctx["embedder"]
    if plan.quick:  # a small corpus, so the int8 index builds quickly
        n = plan.build_sizes[-1]
        corpus, index = BENCH / "build" / f"corpus-{n}", BENCH / "build" / f"index-{n}"
        if not index.exists():
            build.measure(n, emb, raw=False)
        docs = {str(p.relative_to(corpus)) for p in corpus.rglob("*") if p.is_file()}
    else:
        s = dev_settings()
        corpus, index, docs = s.corpus, s.index, None
    texts = passages(corpus, emb, Settings().chunk_tokens)
    step = max(1, len(texts) // plan.onnx_passages)
    return onnx_backend.run(emb, corpus, index, texts[::step][:plan.onnx_passages], plan.onnx_questions, docs)


RUNNERS = {"build": section_build, "latency": section_latency, "incremental": section_incremental,
           "incremental-dev": section_incremental_dev,
           "scale": section_scale, "memory": section_memory, "coldstart": section_coldstart, "onnx": section_onnx}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small subsets: a few minutes")
    ap.add_argument("--medium", action="store_true",
                    help="builds of 100 and 300 articles, incremental over 300, full scale points: ~25 minutes")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="measure only these; keep earlier results of the rest")
    ap.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args()
    BENCH.mkdir(exist_ok=True)
    plan = Plan(args.quick, args.medium)
    previous = json.loads(RESULTS.read_text()) if args.only and RESULTS.exists() else {}
    results = {k: v for k, v in previous.items() if k != "meta"}
    command = ".venv/bin/python benchmarks/run.py" + (" --quick" if args.quick else "") + \
        (" --medium" if args.medium else "") + \
        (f" --only {' '.join(args.only)}" if args.only else "")
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = {"machine": Machine.here().__dict__, "command": command, "quick": args.quick,
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"), "date": date}
    if args.only and "meta" in previous:  # the header keeps the main run and lists the re-runs
        meta = {**previous["meta"], "reruns": [*previous["meta"].get("reruns", []),
                                               {"command": command, "date": date, "sections": args.only}]}
    t0 = time.perf_counter()
    print("loading the model and the dev index...", flush=True)
    ctx = {"embedder": warm_embedder(), "results": results}
    dev_index(dev_settings(), ctx["embedder"])
    for name in args.only or SECTIONS:
        print(f"[{name}]", flush=True)
        with Timer() as t:
            results[name] = RUNNERS[name](plan, ctx)
        results[name]["section_s"] = round(t.seconds, 1)
        _save(results, meta, t0, args.out)
    print(f"wrote {args.out} in {(time.perf_counter() - t0) / 60:.1f} min", flush=True)


def _save(results: dict, meta: dict, t0: float, out: Path) -> None:
    if meta.get("reruns"):
        meta["reruns"][-1]["minutes"] = round((time.perf_counter() - t0) / 60, 1)
    else:
        meta["minutes"] = round((time.perf_counter() - t0) / 60, 1)
    full = {"meta": meta, **results}
    RESULTS.write_text(json.dumps(full, indent=1))
    report.write(full, out)


if __name__ == "__main__":
    main()
