"""Search at 10k to 1M passages: dense (exact vs IVF) and lexical (BM25), latency and memory.

The passages are synthetic, built from the dev set so that they look like it:

* dense: random unit vectors scattered around the real dev passage vectors
  (a random dev vector plus Gaussian noise of length ``SPREAD``, normalized);
  queries are the real dev questions' vectors. The real dev vectors themselves
  (15k) are measured too, and uniformly random vectors, the worst case for IVF,
  once at 100k. IVF is calibrated with the dev titles and headings, as the
  indexer does.
* lexical: passages of words drawn at random with the dev corpus's word
  frequencies and passage lengths, indexed by ``LexicalIndex.build``.

Every index is saved, then loaded by a fresh process that measures its resident
memory (RSS after load minus before) and query latency, so one size does not
inflate the next. Run by ``run.py``; by hand: ``python benchmarks/scale.py --help``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import BENCH, Timer, fresh_dir, mib, ms, percentile, rss, run_python  # noqa: E402

from retrieval.store.lexical import LexicalIndex  # noqa: E402
from retrieval.store.vectors import VectorIndex, recall_at  # noqa: E402

SPREAD = 0.7  # noise length around a real vector: cosine about 0.82 to it
CANDIDATES = 50  # what the searcher asks of each side (SearchParams.candidates)
HERE = Path(__file__).resolve()
WORK = BENCH / "scale"


# --- inputs, written by the parent (run.py) ------------------------------------------
def save_inputs(snap, questions: list[str], qvecs: np.ndarray) -> None:
    """Dev passage vectors, question vectors and texts, word statistics, for the children."""
    WORK.mkdir(parents=True, exist_ok=True)
    ids = snap.vectors.ids()
    np.save(WORK / "base.npy", snap.vectors.reconstruct(ids))
    np.save(WORK / "queries.npy", qvecs.astype(np.float32))
    labels = snap.label_vectors()  # titles and headings: what the indexer calibrates IVF with
    np.save(WORK / "labels.npy", np.array(list(labels.values()), np.float32).reshape(-1, snap.vectors.dim))
    words, lengths = _word_stats(text for _, text in snap.store.iter_chunk_texts())
    (WORK / "lexical.json").write_text(json.dumps({"questions": questions, "words": words[0],
                                                   "counts": words[1], "lengths": lengths}))


def _word_stats(texts) -> tuple[tuple[list[str], list[int]], list[int]]:
    import re
    from collections import Counter

    counts, lengths = Counter(), []
    for text in texts:
        w = re.findall(r"[A-Za-z]{2,}", text.lower())
        counts.update(w)
        lengths.append(len(w))
    pairs = counts.most_common()
    return ([w for w, _ in pairs], [c for _, c in pairs]), lengths


# --- synthetic data ------------------------------------------------------------------
def synthetic_vectors(n: int, base: np.ndarray | None, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    dim = 384 if base is None else base.shape[1]
    out = np.empty((n, dim), np.float32)
    step = 100_000
    for i in range(0, n, step):
        m = min(step, n - i)
        noise = rng.standard_normal((m, dim), dtype=np.float32)
        if base is None:  # uniformly random directions
            x = noise
        else:
            noise *= SPREAD / np.linalg.norm(noise, axis=1, keepdims=True)
            x = base[rng.integers(0, len(base), m)] + noise
        out[i:i + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def synthetic_texts(n: int, stats: dict, seed: int = 0):
    rng = np.random.default_rng(seed)
    words = np.array(stats["words"], dtype=object)
    p = np.asarray(stats["counts"], np.float64)
    p /= p.sum()
    lengths = np.asarray(stats["lengths"])
    step = 20_000
    for i in range(0, n, step):
        m = min(step, n - i)
        lens = np.maximum(1, rng.choice(lengths, m))
        draws = words[rng.choice(len(words), int(lens.sum()), p=p)]
        ends = np.cumsum(lens)
        for j, (a, b) in enumerate(zip(ends - lens, ends)):
            yield i + j, " ".join(draws[a:b])


# --- dense ---------------------------------------------------------------------------
DATA = {"synthetic": "around dev vectors", "uniform": "uniform random", "real": "real dev vectors"}


def dense_size(n: int, kinds: tuple[str, ...], data: str = "synthetic") -> list[dict]:
    """Build each kind over ``n`` vectors (``data``: a key of DATA; "real" takes the dev vectors, all
    of them if ``n`` is 0), save, probe in a fresh process."""
    base = np.load(WORK / "base.npy")
    queries = np.load(WORK / "queries.npy")
    labels = np.load(WORK / "labels.npy")
    x = base[:n or len(base)] if data == "real" else synthetic_vectors(n, None if data == "uniform" else base)
    n = len(x)
    ids = np.arange(n, dtype=np.int64)
    folder = fresh_dir(WORK / f"dense-{n}-{data}")
    import faiss

    _, truth = faiss.knn(queries, x, 10, metric=faiss.METRIC_INNER_PRODUCT)
    np.save(folder / "truth.npy", truth)
    rows = []
    for kind in kinds:
        with Timer() as t:
            index = VectorIndex.build(ids, x, exact_limit=n + 1 if kind == "exact" else 1, queries=labels)
        index.save(folder / f"{kind}.faiss")
        nprobe, label = index.nprobe, index.kind
        del index
        probe = json.loads(run_python([str(HERE), "probe-dense", str(folder / f"{kind}.faiss"),
                                       str(WORK / "queries.npy"), str(folder / "truth.npy")]))
        rows.append({"n": n, "data": DATA[data], "kind": kind,
                     "index": label, "nprobe": nprobe, "build_s": round(t.seconds, 2), **probe})
        print(f"  dense {n:>9,} {kind:5} {rows[-1]['data']}: p50 {probe['p50_ms']} ms, "
              f"recall@10 {probe['recall10']}, {probe['mib']} MiB (build {t.seconds:.1f}s)", flush=True)
    return rows


def probe_dense(path: Path, queries: Path, truth: Path) -> dict:
    qs, expected = np.load(queries), np.load(truth)
    before = rss()
    index = VectorIndex.load(path)
    after = rss()
    times, got = [], []
    for q in qs[:5]:
        index.search(q, CANDIDATES)
    for q in qs:
        with Timer() as t:
            _, found = index.search(q, CANDIDATES)
        times.append(t.seconds)
        got.append(np.pad(found[:10], (0, 10 - len(found[:10])), constant_values=-1))
    return {"p50_ms": ms(percentile(times, 50)), "p95_ms": ms(percentile(times, 95)),
            "recall10": round(recall_at(np.array(got), expected), 4), "mib": mib(after - before),
            "bytes_per_vector": round((after - before) / max(1, index.ntotal), 1)}


# --- lexical -------------------------------------------------------------------------
def lexical_size(n: int) -> dict:
    folder = fresh_dir(WORK / f"lexical-{n}")
    built = json.loads(run_python([str(HERE), "build-lexical", str(n), str(folder)], timeout=5400))
    probe = json.loads(run_python([str(HERE), "probe-lexical", str(folder)]))
    row = {"n": n, **built, **probe}
    print(f"  lexical {n:>9,}: p50 {probe['p50_ms']} ms, {probe['mib']} MiB loaded; build "
          f"{built['build_s']}s, peak {built['peak_mib']} MiB", flush=True)
    return row


def build_lexical(n: int, folder: Path) -> dict:
    stats = json.loads((WORK / "lexical.json").read_text())
    start = rss()
    texts = dict(synthetic_texts(n, stats))
    with Timer() as t:
        index = LexicalIndex.build(list(texts), lambda ids: texts)
    index.save(folder)
    peak = peak_rss()
    return {"build_s": round(t.seconds, 1), "peak_mib": mib(peak), "peak_over_start_mib": mib(peak - start)}


def peak_rss() -> int:
    """This process's peak resident memory, bytes (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def probe_lexical(folder: Path) -> dict:
    questions = json.loads((WORK / "lexical.json").read_text())["questions"]
    before = rss()
    index = LexicalIndex.load(folder)
    after = rss()
    times = []
    for q in questions[:5] + questions:
        with Timer() as t:
            scores = index.scores(q)
            scores = scores[0] if isinstance(scores, tuple) else scores  # (scores, max possible) in newer versions
            top = np.argpartition(-scores, min(CANDIDATES, len(scores) - 1))[:CANDIDATES]
            _ = top[scores[top] > 0]
        times.append(t.seconds)
    times = times[5:]
    return {"p50_ms": ms(percentile(times, 50)), "p95_ms": ms(percentile(times, 95)), "mib": mib(after - before),
            "bytes_per_passage": round((after - before) / max(1, len(index.chunk_ids)), 1)}


def lexical_feasible(n: int, measured: dict | None) -> tuple[bool, str]:
    """Whether building ``n`` passages fits in the memory free now (from a smaller run's peak)."""
    import psutil

    if measured is None:
        return True, ""
    need = measured["peak_over_start_mib"] * n / measured["n"] * 1.3
    free = psutil.virtual_memory().available / 2**20
    if need < 0.6 * free:
        return True, ""
    return False, f"needs about {need / 1024:.1f} GiB by extrapolation, {free / 1024:.1f} GiB available"


def extrapolate(row: dict, n: int, why: str) -> dict:
    f = n / row["n"]
    return {"n": n, "extrapolated": why, "p50_ms": round(row["p50_ms"] * f, 1), "p95_ms": round(row["p95_ms"] * f, 1),
            "mib": round(row["mib"] * f, 1), "build_s": round(row["build_s"] * f, 1),
            "peak_mib": round(row["peak_mib"] * f, 1), "bytes_per_passage": row["bytes_per_passage"]}


# --- the whole section ---------------------------------------------------------------
def run(dense_sizes: list[int], lexical_sizes: list[int], uniform_at: int | None) -> dict:
    dense = dense_size(0, ("exact", "ivf"), data="real")
    for n in dense_sizes:
        dense += dense_size(n, ("exact", "ivf"))
    if uniform_at:
        dense += dense_size(uniform_at, ("exact", "ivf"), data="uniform")
    lexical, last = [], None
    for n in lexical_sizes:
        ok, why = lexical_feasible(n, last)
        if ok:
            try:
                last = lexical_size(n)
                lexical.append(last)
                continue
            except RuntimeError as err:  # e.g. killed for memory
                why = f"the build failed: {str(err).splitlines()[0]}"
        if last is None:
            lexical.append({"n": n, "failed": why})
            print(f"  lexical {n:>9,}: failed ({why})", flush=True)
            continue
        lexical.append(extrapolate(last, n, why))
        print(f"  lexical {n:>9,}: not built ({why}); extrapolated linearly", flush=True)
    return {"dense": dense, "lexical": lexical, "spread": SPREAD, "candidates": CANDIDATES}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("probe-dense")
    p.add_argument("index", type=Path)
    p.add_argument("queries", type=Path)
    p.add_argument("truth", type=Path)
    p = sub.add_parser("build-lexical")
    p.add_argument("n", type=int)
    p.add_argument("folder", type=Path)
    p = sub.add_parser("probe-lexical")
    p.add_argument("folder", type=Path)
    p = sub.add_parser("run", help="the whole section (inputs from run.py must exist)")
    p.add_argument("--dense", type=int, nargs="+", default=[10_000, 100_000])
    p.add_argument("--lexical", type=int, nargs="*", default=[10_000, 100_000])
    p.add_argument("--uniform", type=int, default=0)
    p.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "probe-dense":
        print(json.dumps(probe_dense(a.index, a.queries, a.truth)))
    elif a.cmd == "build-lexical":
        print(json.dumps(build_lexical(a.n, a.folder)))
    elif a.cmd == "probe-lexical":
        print(json.dumps(probe_lexical(a.folder)))
    else:
        a.out.write_text(json.dumps(run(a.dense, a.lexical, a.uniform or None)))


if __name__ == "__main__":
    main()
