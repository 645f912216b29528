"""Incremental indexing over an existing index: delete one article, change nothing, add one.

An added article comes from outside the indexed corpus; when the index holds the
whole dev corpus (``run.py --only incremental-dev``), the article just deleted is
added back.

Works on copies of a corpus and its built index (from the build benchmark), so
the built index stays as it was. Each step is one ``Engine.index()`` call: scan,
hash, embed what is new, rebuild BM25, write and publish a new generation.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from common import BENCH, DEV_CORPUS, Timer, dev_articles, fresh_dir, median, run_python, spread

from retrieval.ingest.chunking import chunk_article
from retrieval.engine import Engine
from retrieval.ingest.loaders import load_article
from retrieval.settings import Settings

REPEATS = 3


def run(embedder, corpus: Path, index: Path, build_s: float) -> dict:
    work = fresh_dir(BENCH / "incremental")
    settings = Settings(corpus=work / "corpus", index=work / "index")
    shutil.copytree(corpus, settings.corpus)
    shutil.copytree(index, settings.index, ignore=shutil.ignore_patterns("writer.lock"))
    engine = Engine(settings, embedder=embedder)
    present = sorted(p.relative_to(settings.corpus) for p in settings.corpus.rglob("*") if p.is_file())
    outside = spread([p for p in dev_articles() if p.relative_to(DEV_CORPUS) not in set(present)], REPEATS)
    to_delete = spread(present, REPEATS + 1)
    adds, deletes, nochange = [], [], []
    for i in range(REPEATS):
        deleted = settings.corpus / to_delete[i]
        kept = deleted.read_bytes()
        deletes.append(_delete(engine, settings, deleted))
        nochange.append(_nochange(engine))
        if len(outside) == REPEATS:
            adds.append(_add(engine, settings, outside[i]))
        else:  # the index holds the whole corpus: add back the article just deleted
            adds.append(_add(engine, settings, to_delete[i], kept))
    cli_delete = _cli(settings, lambda: (settings.corpus / to_delete[REPEATS]).unlink())
    cli_nochange = _cli(settings, lambda: None)
    add_s = median([a["seconds"] for a in adds])
    out = {"articles": len(present), "build_s": round(build_s, 2),
           "add_s": round(add_s, 3), "add_share_of_build": round(add_s / build_s, 4),
           "add_passages_ok": all(a["embedded"] + a["reused"] == a["expected"] for a in adds),
           "adds": adds, "delete_s": round(median(deletes), 3), "nochange_s": round(median(nochange), 3),
           "cli_delete": cli_delete, "cli_nochange": cli_nochange}
    print(f"  over {out['articles']} articles: add {out['add_s']} s ({out['add_share_of_build']:.1%} of a "
          f"full build), delete {out['delete_s']} s, no change {out['nochange_s']} s; passages embedded "
          f"as expected: {out['add_passages_ok']}", flush=True)
    return out


def _cli(settings: Settings, change) -> dict:
    """``python -m retrieval index`` in a fresh process after ``change()``: wall time and its own report."""
    change()
    with Timer() as t:
        out = run_python(["-m", "retrieval", "index", "--corpus", str(settings.corpus), "--index",
                          str(settings.index), "--json"])
    report = json.loads(out)
    return {"wall_s": round(t.seconds, 2), "index_s": report.get("seconds"), "removed": len(report.get("removed", []))}


def _add(engine: Engine, settings: Settings, src: Path, data: bytes | None = None) -> dict:
    """Add ``src`` (a dev article; or, with ``data``, that id with these bytes)."""
    doc = src.relative_to(DEV_CORPUS) if data is None else src
    dst = settings.corpus / doc
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(src.read_bytes() if data is None else data)
    expected = len(chunk_article(load_article(dst, settings.corpus), engine.embedder, settings.chunk_tokens))
    with Timer() as t:
        report = engine.index()
    assert report.added == [doc.as_posix()], report.summary()
    return {"article": report.added[0], "seconds": round(t.seconds, 3), "embedded": report.chunks_embedded,
            "reused": report.chunks_reused, "expected": expected, "labels": getattr(report, "labels_embedded", 0)}


def _delete(engine: Engine, settings: Settings, path: Path) -> float:
    path.unlink()
    with Timer() as t:
        report = engine.index()
    assert len(report.removed) == 1, report.summary()
    return t.seconds


def _nochange(engine: Engine) -> float:
    with Timer() as t:
        report = engine.index()
    assert not report.changed, report.summary()
    return t.seconds
