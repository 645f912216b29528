"""Shared pieces of the benchmarks: paths, the machine, timing, memory, dev data."""
from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".bench"  # all temporary data (gitignored)
DEV = ROOT.parent / "shared" / "eval" / "medquad-dev"
DEV_CORPUS = DEV / "corpus"
DEV_QUESTIONS = DEV / "questions.jsonl"
EVAL_INDEX = ROOT / ".eval-index"  # the lead's built dev index: copied, never touched

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@dataclass
class Machine:
    cpu: str
    cores: int
    ram_gib: float
    python: str
    load: str

    @classmethod
    def here(cls) -> "Machine":
        cpu = "unknown"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        return cls(cpu, os.cpu_count() or 0, round(psutil.virtual_memory().total / 2**30, 1),
                   platform.python_version(), load)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def ms(seconds: float) -> float:
    return round(1000 * seconds, 2)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> "Timer":
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start


def rss() -> int:
    """Resident memory of this process, bytes."""
    return psutil.Process().memory_info().rss


def mib(n: float) -> float:
    return round(n / 2**20, 1)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def dev_articles() -> list[Path]:
    """The dev corpus files in a fixed order."""
    from retrieval.ingest.loaders import list_article_files

    return sorted(list_article_files(DEV_CORPUS))


def spread(files: list, n: int) -> list:
    """``n`` items taken evenly across ``files`` (all sources, not just the first one)."""
    return [files[i * len(files) // n] for i in range(n)] if n < len(files) else list(files)


def subset_corpus(n: int, folder: Path) -> Path:
    """A corpus folder with ``n`` dev articles spread over the corpus (the whole corpus for n >= all)."""
    files = dev_articles()
    if n >= len(files):
        return DEV_CORPUS
    fresh_dir(folder)
    for path in spread(files, n):
        dst = folder / path.relative_to(DEV_CORPUS)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dst)
    return folder


def passages(corpus: Path, embedder, chunk_tokens: int) -> list[str]:
    """The texts the model embeds for every passage of ``corpus`` (chunker over loader)."""
    from retrieval.ingest.chunking import chunk_article
    from retrieval.ingest.loaders import list_article_files, load_article

    texts = []
    for path in sorted(list_article_files(corpus)):
        texts += [c.embed_text for c in chunk_article(load_article(path, corpus), embedder, chunk_tokens)]
    return texts


def dev_questions(n: int, docs: set[str] | None = None) -> list[dict]:
    """``n`` dev questions spread evenly over the file (optionally only about ``docs``)."""
    from retrieval.evaluation import load_questions

    items = [q for q in load_questions(DEV_QUESTIONS) if q.get("doc") and q.get("answer")]
    if docs is not None:
        items = [q for q in items if q["doc"] in docs]
    step = max(1, len(items) // n) if n else 1
    return items[::step][:n] if n else items


def dev_index(settings, embedder) -> None:
    """A private, up-to-date copy of the dev index at ``settings.index``.

    Copies ``.eval-index`` (never touching it) and brings the copy up to date;
    when it cannot be used, builds one from scratch.
    """
    from retrieval.engine import Engine
    from retrieval.errors import RetrievalError

    if not settings.index.exists() and EVAL_INDEX.exists():
        shutil.copytree(EVAL_INDEX, settings.index, ignore=shutil.ignore_patterns("writer.lock"))
    engine = Engine(settings, embedder=embedder)
    try:
        engine.index()
    except RetrievalError:
        engine.index(full=True)


def run_python(args: list[str], timeout: float = 1800, env: dict | None = None) -> str:
    """Run ``python args...`` from the repository root; its stdout (raises on failure).

    ``env`` adds variables to this process's environment; a value of None removes one.
    """
    merged = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={k: v for k, v in merged.items() if v is not None})
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout


def warm_embedder(model: str = "all-MiniLM-L6-v2"):
    from retrieval.embedder import Embedder

    emb = Embedder(model)
    emb.encode(["warm up the model"])
    return emb
