"""Index build throughput: ``Engine.index(full=True)`` next to raw ``SentenceTransformer.encode``.

Both run in the same process on the same warm model. The raw side embeds exactly
the passage texts the library embeds (chunker over loader), with the library's
batch size; the build also parses, chunks, embeds titles and headings, writes
SQLite, BM25 and FAISS, and publishes the generation.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from common import BENCH, Timer, dev_articles, fresh_dir, passages, subset_corpus

from retrieval.engine import Engine
from retrieval.settings import Settings


@dataclass
class BuildPoint:
    articles: int
    passages: int
    labels: int
    build_s: float
    raw_s: float | None  # None: build only (no raw encode for this size)

    @property
    def build_rate(self) -> float:
        return self.passages / self.build_s

    @property
    def raw_rate(self) -> float | None:
        return self.passages / self.raw_s if self.raw_s else None

    @property
    def ratio(self) -> float | None:
        return self.build_rate / self.raw_rate if self.raw_s else None

    def to_json(self) -> dict:
        r = lambda x, d: None if x is None else round(x, d)  # noqa: E731
        return {**asdict(self), "build_rate": r(self.build_rate, 1), "raw_rate": r(self.raw_rate, 1),
                "ratio": r(self.ratio, 3)}


def measure(n_articles: int, embedder, raw: bool = True) -> BuildPoint:
    corpus = subset_corpus(n_articles, BENCH / "build" / f"corpus-{n_articles}")
    index = fresh_dir(BENCH / "build" / f"index-{n_articles}")
    settings = Settings(corpus=corpus, index=index)
    texts = passages(corpus, embedder, settings.chunk_tokens)
    # Raw encoding in two interleaved halves, one before and one after the build, so that a
    # change in the machine's load during the run weighs on both sides alike.
    raw_s = _raw_encode(embedder.model, texts[::2], settings.batch_size) if raw else None
    with Timer() as build:
        report = Engine(settings, embedder=embedder).index(full=True)
    if raw:
        raw_s += _raw_encode(embedder.model, texts[1::2], settings.batch_size)
    assert report.chunks == len(texts), (report.chunks, len(texts))
    return BuildPoint(report.articles, report.chunks, report.labels_embedded, build.seconds, raw_s)


def _raw_encode(st, texts: list[str], batch_size: int) -> float:
    with Timer() as t:
        st.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                  show_progress_bar=False)
    return t.seconds


def run(embedder, sizes: list[int], build_only: tuple[int, ...] = ()) -> dict:
    """Build points for corpora of ``sizes`` dev articles; sizes in ``build_only`` skip the raw encode."""
    total = len(dev_articles())
    points = []
    for n in sizes:
        point = measure(n, embedder, raw=n not in build_only)
        points.append(point.to_json())
        versus = f"raw encode {point.raw_rate:.0f}/s, ratio {point.ratio:.2f}" if point.raw_s else "build only"
        print(f"  build {n} articles: {point.passages} passages, {point.build_rate:.0f}/s ({versus})", flush=True)
    return {"points": points, "full_corpus": max(sizes) >= total, "corpus_articles": total}
