"""A deterministic stand-in for the embedding model, and tiny articles, for plumbing tests.

``FakeEmbedder`` has the interface of ``retrieval.embedder.Embedder`` (name,
backend, dim, limit, count, encode, encode_query) without loading a model: a
text's vector is its hashed bag of words, normalized, so equal text gives an
equal vector and texts sharing words are close. It counts what it encodes, so
tests can assert exactly how many passages were embedded.

Run as a script it is the CLI with this embedder (for subprocess tests):

    python tests/fakes.py index --corpus C --index I

``FAKE_EMBED_DELAY`` (seconds per passage) slows embedding down, so a test can
kill an indexing run part-way.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

FAKE_MODEL = "fake-bow"
ROOT = Path(__file__).resolve().parents[1]  # the repository root
SEED_CORPUS = ROOT / "corpus"
HAMSTRINGS = "tight-hamstrings-it-band-pain.txt"
FOOT = "it-band-foot-pain.txt"
FAKE_CLI = Path(__file__).resolve()
_TOKEN = re.compile(r"\w+|[^\w\s]")


class FakeEmbedder:
    """Hashed bag of words; ``encoded`` and ``encode_calls`` count the work done."""

    def __init__(self, dim: int = 64, limit: int = 256, delay: float = 0.0):
        self.name = FAKE_MODEL
        self.backend = "fake"
        self.dim = dim
        self.limit = limit
        self.delay = delay
        self.encode_calls = 0
        self.encoded = 0  # passages embedded, over all calls
        self.labels = 0  # titles and section headings embedded
        self.texts: list[str] = []
        self.queries = 0

    def count(self, texts) -> list[int]:
        """Word-piece-ish count: words and punctuation marks, no special tokens."""
        return [len(_TOKEN.findall(t)) for t in texts]

    def encode(self, texts, progress=None) -> np.ndarray:
        """Passage texts (title and section on a first line, then the passage) are counted in
        ``encoded``; one-line labels (titles, headings) in ``labels``."""
        passages = [t for t in texts if "\n" in t]
        self.encode_calls += bool(passages)
        self.encoded += len(passages)
        self.labels += len(texts) - len(passages)
        self.texts.extend(passages)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), 8):
            for i in range(start, min(start + 8, len(texts))):
                out[i] = self.vector(texts[i])
            if self.delay:
                time.sleep(self.delay * (min(start + 8, len(texts)) - start))
            if progress:
                progress(min(8, len(texts) - start))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        self.queries += 1
        return self.vector(text)

    def vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in _TOKEN.findall(text.lower()):
            h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 40) & 1 else -1.0
        if not v.any():  # no words: a fixed vector seeded by the text itself
            seed = int.from_bytes(hashlib.blake2b(text.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)


# --- tiny corpora -------------------------------------------------------------------

def article(title: str, sections: dict[str, str]) -> str:
    """A .txt article: title line, then ``heading`` / paragraph pairs ("" = the intro)."""
    parts = [title, ""]
    for heading, body in sections.items():
        if heading:
            parts += [heading, ""]
        parts += [body, ""]
    return "\n".join(parts)


def topic_article(topic: str, n_sections: int = 3) -> str:
    """An article about ``topic`` with one short section (one passage) per part."""
    sections = {"": f"This article is about {topic} and how {topic} affects runners. It is short."}
    for i in range(1, n_sections):
        sections[f"{topic.title()} part {i}"] = (
            f"Part {i} of the {topic} article covers {topic}{i} details. "
            f"Readers learn about {topic} in step {i}, with plain advice.")
    return article(f"All about {topic}", sections)


# --- engines and the command line ------------------------------------------------

def fake_settings(corpus: Path, index: Path, **changes):
    from retrieval import Settings

    return Settings(corpus=Path(corpus), index=Path(index), model=FAKE_MODEL, **changes)


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for ``python -m retrieval`` or this script in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RETRIEVAL_", "FAKE_"))}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(ROOT), **extra)
    return env


def main(argv: list[str]) -> int:
    """The real CLI, with engines built on the fake embedder."""
    from retrieval import cli
    from retrieval.engine import Engine

    delay = float(os.environ.get("FAKE_EMBED_DELAY", "0"))

    def engine(settings):
        return Engine(settings.with_(model=FAKE_MODEL), embedder=FakeEmbedder(delay=delay))

    print("ready", file=sys.stderr, flush=True)
    return cli.main(argv, engine_factory=engine)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))

