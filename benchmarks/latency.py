"""Warm query latency: ``Engine.ask`` end to end next to raw encode + FAISS search.

For each question the raw path (``SentenceTransformer.encode`` of the question,
then one exact FAISS search for 10 passages on one thread) and the library path
(follow-up handling, encode, dense + BM25 search, fusion, MMR, abstention,
extractive answer) run back to back, so both see the same load on the machine.
"""
from __future__ import annotations

import faiss
import numpy as np

from common import Timer, ms, percentile

from retrieval.engine import Engine

WARMUP = 5


def raw_query(st, index: faiss.Index, question: str) -> None:
    vec = st.encode([question], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    index.search(np.ascontiguousarray(vec, dtype=np.float32), 10)


def run(engine: Engine, questions: list[dict]) -> dict:
    st = engine.embedder.model
    searcher = engine.searcher()
    flat = searcher.snap.vectors.index
    for q in questions[:WARMUP]:
        engine.ask(q["question"])
        raw_query(st, flat, q["question"])
    lib, raw, search = [], [], []
    threads = faiss.omp_get_max_threads()
    for q in questions:
        faiss.omp_set_num_threads(1)
        with Timer() as t_raw:
            raw_query(st, flat, q["question"])
        faiss.omp_set_num_threads(threads)
        with Timer() as t_lib:
            engine.ask(q["question"], history=q.get("history") or [])
        qvec = engine.embedder.encode_query(q["question"])
        with Timer() as t_search:  # the hybrid search alone, for the breakdown (ask's default top_k)
            searcher.search(qvec, q["question"], 5)
        raw.append(t_raw.seconds)
        lib.append(t_lib.seconds)
        search.append(t_search.seconds)
    out = {"questions": len(questions), "passages": searcher.snap.vectors.ntotal,
           "ask_p50_ms": ms(percentile(lib, 50)), "ask_p95_ms": ms(percentile(lib, 95)),
           "raw_p50_ms": ms(percentile(raw, 50)), "raw_p95_ms": ms(percentile(raw, 95)),
           "search_p50_ms": ms(percentile(search, 50)), "search_p95_ms": ms(percentile(search, 95))}
    out["overhead_p50"] = round(out["ask_p50_ms"] / out["raw_p50_ms"] - 1, 3)
    out["overhead_p95"] = round(out["ask_p95_ms"] / out["raw_p95_ms"] - 1, 3)
    print(f"  ask p50 {out['ask_p50_ms']} ms, p95 {out['ask_p95_ms']} ms; raw p50 {out['raw_p50_ms']} ms, "
          f"p95 {out['raw_p95_ms']} ms; overhead p50 {out['overhead_p50']:+.0%}", flush=True)
    return out
