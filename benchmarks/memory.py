"""Resident memory of a fresh process serving the dev index through ``Engine``.

``python benchmarks/memory.py CORPUS INDEX`` prints JSON: RSS after the imports,
after opening the index (``Engine.searcher()``), after the first answered question
(which loads the model), and the index's size on disk.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import mib, rss, run_python  # noqa: E402

HERE = Path(__file__).resolve()


def probe(corpus: Path, index: Path) -> dict:
    from retrieval.engine import Engine
    from retrieval.settings import Settings

    start = rss()
    engine = Engine(Settings(corpus=corpus, index=index))
    searcher = engine.searcher()
    opened = rss()
    engine.ask("What are the symptoms of diabetes?")
    answered = rss()
    passages = searcher.snap.vectors.ntotal
    disk = sum(p.stat().st_size for p in searcher.snap.folder.rglob("*") if p.is_file())
    return {"passages": passages, "imports_mib": mib(start), "index_mib": mib(opened - start),
            "after_ask_mib": mib(answered), "model_and_ask_mib": mib(answered - opened),
            "index_bytes_per_passage": round((opened - start) / passages, 1),
            "total_bytes_per_passage": round(answered / passages, 1),
            "disk_mib": mib(disk), "disk_bytes_per_passage": round(disk / passages, 1)}


def run(corpus: Path, index: Path) -> dict:
    out = json.loads(run_python([str(HERE), str(corpus), str(index)]))
    print(f"  RSS {out['after_ask_mib']} MiB after one answer ({out['index_mib']} MiB for the index of "
          f"{out['passages']} passages, {out['index_bytes_per_passage']:.0f} B/passage; model and first "
          f"answer {out['model_and_ask_mib']} MiB)", flush=True)
    return out


if __name__ == "__main__":
    print(json.dumps(probe(Path(sys.argv[1]), Path(sys.argv[2]))))
