"""Results after the first few show other articles: ``searcher._mmr`` with ``Diversity``."""
from __future__ import annotations

import numpy as np

from retrieval.records import ChunkMeta
from retrieval.store.ranking_table import RankingTable
from retrieval.search.searcher import Diversity, Scored, _mmr


def scored(docs: list[str]) -> Scored:
    """Candidates in score order; every passage its own section, orthogonal vectors."""
    n = len(docs)
    ids = np.arange(n)
    table = RankingTable.build((i, ChunkMeta(d, d, f"s{i}", 0)) for i, d in enumerate(docs))
    fused = np.linspace(1.0, 0.5, n)
    return Scored(ids, fused, np.zeros(n), fused, np.eye(n, dtype=np.float32), table, table.rows(ids))


DOCS = ["a", "a", "a", "b", "b", "a", "a", "b", "c", "c", "d", "e", "f", "g"]


def picked_docs(diversity: Diversity, top_k: int = 10, docs=DOCS) -> list[str]:
    s = scored(docs)
    return [docs[i] for i in _mmr(np.arange(len(docs)), s, top_k, 1.0, 1.01, diversity)]


def test_without_a_limit_the_best_passages_come_in_order():
    assert picked_docs(Diversity(), 6) == ["a", "a", "a", "b", "b", "a"]


def test_after_the_free_top_only_new_articles_are_added():
    got = picked_docs(Diversity(per_article=1, free_top=5))
    assert got[:5] == ["a", "a", "a", "b", "b"]  # the first five as ranked
    assert got[5:] == ["c", "d", "e", "f", "g"]  # then one passage per article not shown yet


def test_the_limit_is_relaxed_when_the_pool_runs_out_of_articles():
    got = picked_docs(Diversity(per_article=1, free_top=2), 6, ["a", "a", "a", "b", "a", "a"])
    assert got == ["a", "a", "b", "a", "a", "a"]


def test_the_free_top_comes_only_from_the_head_of_the_pool():
    got = picked_docs(Diversity(per_article=1, free_top=3, head=4), 5, ["a", "a", "a", "a", "b", "c"])
    assert got[:3] == ["a", "a", "a"] and got[3:] == ["b", "c"]
