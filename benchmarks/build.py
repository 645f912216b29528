"""Index build throughput: ``Engine.index(full=True)`` next to raw ``SentenceTransformer.encode``.

Both run in the same process on the same warm model. The raw side embeds exactly
the passage texts the library embeds (chunker over loader), with the library's
batch size; the build also parses, chunks, embeds titles and headings, writes
SQLite, BM25 and FAISS, and publishes the generation.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from common import BENCH, Timer, dev_articles, fresh_dir, passages, subset_corpus

from retrieval.engine import Engine
from retrieval.settings import Settings


@dataclass
class BuildPoint:
    articles: int
    passages: int
    labels: int
    build_s: float
    raw_s: float

    @property
    def build_rate(self) -> float:
        return self.passages / self.build_s

    @property
    def raw_rate(self) -> float:
        return self.passages / self.raw_s

    @property
    def ratio(self) -> float:
        return self.build_rate / self.raw_rate

    def to_json(self) -> dict:
        return {**asdict(self), "build_rate": round(self.build_rate, 1), "raw_rate": round(self.raw_rate, 1),
                "ratio": round(self.ratio, 3)}


def measure(n_articles: int, embedder, keep_index: Path | None = None) -> BuildPoint:
    corpus = subset_corpus(n_articles, BENCH / "build" / f"corpus-{n_articles}")
    index = keep_index or BENCH / "build" / f"index-{n_articles}"
    fresh_dir(index)
    settings = Settings(corpus=corpus, index=index)
    texts = passages(corpus, embedder, settings.chunk_tokens)
    st = embedder.model
    with Timer() as raw:
        st.encode(texts, batch_size=settings.batch_size, normalize_embeddings=True,
                  convert_to_numpy=True, show_progress_bar=False)
    with Timer() as build:
        report = Engine(settings, embedder=embedder).index(full=True)
    assert report.chunks == len(texts), (report.chunks, len(texts))
    return BuildPoint(report.articles, report.chunks, report.labels_embedded, build.seconds, raw.seconds)


def run(embedder, sizes: list[int]) -> dict:
    """Build points for corpora of the first ``sizes`` dev articles (all of them for the largest, in a full run)."""
    total = len(dev_articles())
    points = []
    for n in sizes:
        point = measure(n, embedder)
        points.append(point.to_json())
        print(f"  build {n} articles: {point.passages} passages, {point.build_rate:.0f}/s "
              f"(raw encode {point.raw_rate:.0f}/s, ratio {point.ratio:.2f})", flush=True)
    return {"points": points, "full_corpus": max(sizes) >= total, "corpus_articles": total}
