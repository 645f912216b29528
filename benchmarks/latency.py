"""Warm query latency: ``Engine.ask`` end to end next to raw encode + FAISS search.

The raw path (``SentenceTransformer.encode`` of the question, then one exact
FAISS search for 10 passages; both on one thread, as the library runs a query) and the library path (follow-up
handling, encode, dense + BM25 search, fusion, MMR, abstention, extractive
answer) each run over all the questions in turn, then the hybrid search alone
(``Searcher.search`` with ready query vectors). Separate loops, not interleaved:
a step's thread pools (numpy's BLAS spins after use) slow whatever runs next, so
each loop is measured in its own steady state.
"""
from __future__ import annotations

import faiss
import numpy as np
import torch

from common import Timer, ms, percentile

from retrieval.engine import Engine

WARMUP = 5


def raw_query(st, index: faiss.Index, question: str) -> None:
    vec = st.encode([question], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    index.search(np.ascontiguousarray(vec, dtype=np.float32), 10)


def _raw_loop(st, flat: faiss.Index, questions: list[dict]) -> list[float]:
    """The raw path on one thread for the model and for FAISS, as the library runs a query."""
    faiss_threads, torch_threads = faiss.omp_get_max_threads(), torch.get_num_threads()
    faiss.omp_set_num_threads(1)
    torch.set_num_threads(1)
    try:
        return [_timed(lambda: raw_query(st, flat, q["question"])) for q in questions]
    finally:
        faiss.omp_set_num_threads(faiss_threads)
        torch.set_num_threads(torch_threads)


def _timed(fn) -> float:
    with Timer() as t:
        fn()
    return t.seconds


def run(engine: Engine, questions: list[dict]) -> dict:
    st = engine.embedder.model
    searcher = engine.searcher()
    flat = searcher.snap.vectors.index
    for q in questions[:WARMUP]:
        engine.ask(q["question"])
        raw_query(st, flat, q["question"])
    raw = _raw_loop(st, flat, questions)
    lib = [_timed(lambda: engine.ask(q["question"], history=q.get("history") or [])) for q in questions]
    qvecs = [engine.embedder.encode_query(q["question"]) for q in questions]
    search = [_timed(lambda: searcher.search(v, q["question"], 5)) for v, q in zip(qvecs, questions)]
    out = {"questions": len(questions), "passages": searcher.snap.vectors.ntotal,
           "ask_p50_ms": ms(percentile(lib, 50)), "ask_p95_ms": ms(percentile(lib, 95)),
           "raw_p50_ms": ms(percentile(raw, 50)), "raw_p95_ms": ms(percentile(raw, 95)),
           "search_p50_ms": ms(percentile(search, 50)), "search_p95_ms": ms(percentile(search, 95))}
    out["overhead_p50"] = round(out["ask_p50_ms"] / out["raw_p50_ms"] - 1, 3)
    out["overhead_p95"] = round(out["ask_p95_ms"] / out["raw_p95_ms"] - 1, 3)
    print(f"  ask p50 {out['ask_p50_ms']} ms, p95 {out['ask_p95_ms']} ms; raw p50 {out['raw_p50_ms']} ms, "
          f"p95 {out['raw_p95_ms']} ms; overhead p50 {out['overhead_p50']:+.0%}", flush=True)
    return out
