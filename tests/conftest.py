"""Shared fixtures: tiny corpora in tmp_path, engines on a fake or the real model.

Plumbing tests use ``FakeEmbedder`` (tests/fakes.py): deterministic, instant, and
it counts what it embeds. Tests where meaning matters use the real packaged model,
loaded once per session; keep their corpora to a few articles.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from fakes import FOOT, HAMSTRINGS, SEED_CORPUS, FakeEmbedder, fake_settings  # noqa: E402
from retrieval import Engine, Settings  # noqa: E402


@pytest.fixture
def fake() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


@pytest.fixture
def index_dir(tmp_path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def make_engine(corpus, index_dir, fake):
    """Build an Engine on the fake embedder; keyword arguments change the settings."""
    def make(embedder=None, **changes) -> Engine:
        settings = fake_settings(corpus, index_dir).with_(**changes)
        return Engine(settings, embedder=embedder or fake)
    return make


@pytest.fixture
def engine(make_engine) -> Engine:
    return make_engine()


@pytest.fixture
def write(corpus):
    """write(name, text or bytes) -> path, inside the corpus."""
    def put(name: str, content: str | bytes) -> Path:
        path = corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return put


@pytest.fixture(scope="session")
def real_embedder():
    """The real packaged model (all-MiniLM-L6-v2), loaded on first use."""
    from retrieval.embedder import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, real_embedder) -> Settings:
    """The two seed articles indexed once with the real model; returns their settings."""
    base = tmp_path_factory.mktemp("seed")
    corpus = base / "corpus"
    corpus.mkdir()
    for name in (HAMSTRINGS, FOOT):
        shutil.copyfile(SEED_CORPUS / name, corpus / name)
    settings = Settings(corpus=corpus, index=base / "index")
    Engine(settings, embedder=real_embedder).index()
    return settings


@pytest.fixture(scope="session")
def real_engine(seed_index, real_embedder) -> Engine:
    return Engine(seed_index, embedder=real_embedder)

