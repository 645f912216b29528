"""BM25: an incremental build (token ids reused) scores exactly like a fresh build."""
from __future__ import annotations

import numpy as np

from retrieval.lexical import LexicalIndex

FIRST = [(1, "Tight hamstrings cause IT band pain"), (2, "The kinetic chain links the joints of the leg"),
         (3, "Stretching routines that work for runners"), (4, "Foam rolling the glutes and the TFL")]
SECOND = [(1, FIRST[0][1]), (3, FIRST[2][1]), (4, FIRST[3][1]),
          (7, "Plantar fasciitis causes heel pain; stretching the calf helps"), (8, "Hamstring curls strengthen")]
QUERIES = ["hamstring stretching", "heel pain plantar", "kinetic chain", "foam rolling glutes", "zebra"]


def test_incremental_build_matches_a_fresh_build(tmp_path):
    LexicalIndex.build(FIRST).save(tmp_path / "g1")
    previous = LexicalIndex.load(tmp_path / "g1")
    assert set(previous.token_map()) == {1, 2, 3, 4}
    incremental = LexicalIndex.build(SECOND, previous)
    incremental.save(tmp_path / "g2")
    reloaded = LexicalIndex.load(tmp_path / "g2")
    fresh = LexicalIndex.build(SECOND)
    for q in QUERIES:
        got, bound = reloaded.scores(q)
        want, want_bound = fresh.scores(q)
        assert np.allclose(got, want, atol=1e-6), q
        assert abs(bound - want_bound) < 1e-6
    assert list(reloaded.chunk_ids) == [1, 3, 4, 7, 8]
    assert reloaded.scores("heel pain plantar")[0].argmax() == 3


def test_only_new_passages_are_tokenized(tmp_path):
    LexicalIndex.build(FIRST).save(tmp_path / "g1")
    previous = LexicalIndex.load(tmp_path / "g1")
    seen = []
    original = previous.tokenizer.tokenize

    def counting(texts, **kwargs):
        seen.extend(texts)
        return original(texts, **kwargs)

    previous.tokenizer.tokenize = counting
    LexicalIndex.build(SECOND, previous)
    assert seen == [SECOND[3][1], SECOND[4][1]]
