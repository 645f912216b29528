"""The naive baseline, kept for side-by-side evaluation and benchmarks: fixed
180-word windows with the section heading in the text, MiniLM, a flat FAISS index.

Its vectors are cached next to the evaluation index (``.npy``, ``.json``; no
pickle), keyed by the corpus content, so repeated evaluations embed once.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from ..embedder import Embedder
from ..ingest.loaders import list_article_files, load_article
from ..errors import BadArticle

WINDOW_WORDS = 180


@dataclass
class NaiveIndex:
    docs: list[str]
    texts: list[str]
    index: faiss.Index

    def search(self, qvec: np.ndarray, k: int) -> list[tuple[str, str, float]]:
        scores, ids = self.index.search(qvec.reshape(1, -1).astype(np.float32), k)
        return [(self.docs[i], self.texts[i], float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0]


def windows(corpus: Path) -> tuple[list[str], list[str]]:
    docs, texts = [], []
    for path in list_article_files(corpus):
        try:
            article = load_article(path, corpus)
        except BadArticle:
            continue
        for section in article.sections:
            words = article.text[section.start:section.end].split()
            for i in range(0, len(words), WINDOW_WORDS):
                docs.append(article.id)
                texts.append(f"{section.heading}\n" + " ".join(words[i:i + WINDOW_WORDS]))
    return docs, texts


def build_naive(corpus: Path, cache: Path, embedder: Embedder) -> NaiveIndex:
    docs, texts = windows(corpus)
    key = hashlib.sha256(("\x00".join(docs) + "\x01".join(texts) + embedder.name).encode()).hexdigest()[:16]
    vec_file, meta_file = cache / f"naive-{key}.npy", cache / f"naive-{key}.json"
    if vec_file.exists() and meta_file.exists():
        vectors = np.load(vec_file, allow_pickle=False)
    else:
        vectors = embedder.encode(texts)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(vec_file, vectors, allow_pickle=False)
        meta_file.write_text(json.dumps({"windows": len(texts), "model": embedder.name}))
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return NaiveIndex(docs, texts, index)
