"""BM25: the vectorised build matches bm25s's own, and an incremental build (token ids
reused) scores exactly like a fresh build."""
from __future__ import annotations

import bm25s
import numpy as np
import pytest
from bm25s.tokenization import Tokenized

from retrieval.store.lexical import FlatTokens, LexicalIndex, lucene_scores

FIRST = [(1, "Tight hamstrings cause IT band pain"), (2, "The kinetic chain links the joints of the leg"),
         (3, "Stretching routines that work for runners"), (4, "Foam rolling the glutes and the TFL")]
SECOND = [(1, FIRST[0][1]), (3, FIRST[2][1]), (4, FIRST[3][1]),
          (7, "Plantar fasciitis causes heel pain; stretching the calf helps"), (8, "Hamstring curls strengthen")]
def build(rows, previous=None):
    return LexicalIndex.build([i for i, _ in rows], lambda ids: {i: t for i, t in rows if i in ids}, previous)


QUERIES = ["hamstring stretching", "heel pain plantar", "kinetic chain", "foam rolling glutes", "zebra"]


def test_incremental_build_matches_a_fresh_build(tmp_path):
    build(FIRST).save(tmp_path / "g1")
    previous = LexicalIndex.load(tmp_path / "g1")
    assert previous.flat_tokens()[0].tolist() == [1, 2, 3, 4]
    incremental = build(SECOND, previous)
    incremental.save(tmp_path / "g2")
    reloaded = LexicalIndex.load(tmp_path / "g2")
    fresh = build(SECOND)
    for q in QUERIES:
        got, bound = reloaded.scores(q)
        want, want_bound = fresh.scores(q)
        assert np.allclose(got, want, atol=1e-6), q
        assert abs(bound - want_bound) < 1e-6
    assert list(reloaded.chunk_ids) == [1, 3, 4, 7, 8]
    assert reloaded.scores("heel pain plantar")[0].argmax() == 3


def test_only_new_passages_are_tokenized(tmp_path):
    build(FIRST).save(tmp_path / "g1")
    previous = LexicalIndex.load(tmp_path / "g1")
    seen = []
    original = previous.tokenizer.tokenize

    def counting(texts, **kwargs):
        seen.extend(texts)
        return original(texts, **kwargs)

    previous.tokenizer.tokenize = counting
    build(SECOND, previous)
    assert seen == [SECOND[3][1], SECOND[4][1]]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_vectorised_matrix_equals_bm25s_own_build(seed):
    rng = np.random.default_rng(seed)
    n_vocab = 300
    docs = [rng.integers(0, n_vocab - 20, rng.integers(0, 40)).tolist() for _ in range(200)]  # some empty, some terms unused
    stock = bm25s.BM25()
    stock.index(Tokenized(ids=docs, vocab={str(i): i for i in range(n_vocab)}), show_progress=False)
    mine = lucene_scores(FlatTokens.from_lists(docs), n_vocab, stock.k1, stock.b)
    assert np.array_equal(mine["indptr"], stock.scores["indptr"])
    assert np.array_equal(mine["indices"], stock.scores["indices"])
    assert np.allclose(mine["data"], stock.scores["data"], rtol=1e-5, atol=1e-7)
    for query in (rng.integers(0, n_vocab, 4) for _ in range(20)):
        stock_scores = stock.get_scores_from_ids(query.tolist())
        ours = bm25s.BM25()
        ours.scores, ours.nonoccurrence_array = mine, None
        assert np.allclose(ours.get_scores_from_ids(query.tolist()), stock_scores, rtol=1e-5, atol=1e-6)


def test_merge_keeps_known_passages_and_fills_in_new_ones_in_order():
    old = FlatTokens.from_lists([[1, 2], [], [3, 4, 5]])
    fresh = FlatTokens.from_lists([[9], [8, 8]])
    known = np.array([True, False, True, False, True])
    got = FlatTokens.merge(known, old, np.array([2, -1, 0, -1, 1]), fresh)
    assert got.as_lists() == [[3, 4, 5], [9], [1, 2], [8, 8], []]
