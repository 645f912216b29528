"""What ranking reads of every passage, as arrays (``store/ranking_table.py``)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, strategies as st

from retrieval.records import ChunkMeta
from retrieval.store.ranking_table import RankingTable

WORDS = st.sampled_from(["Overview", "Symptoms", "Gout", "Lupus", "What causes gout?", ""])
META = st.builds(ChunkMeta, st.sampled_from(["a.md", "b/c.txt", "d.pdf"]), WORDS, WORDS,
                 st.integers(0, 50), st.booleans())


@given(st.dictionaries(st.integers(1, 10**9), META, max_size=30))
def test_every_passage_reads_back_as_stored_whatever_the_order(rows):
    table = RankingTable.build(reversed(list(rows.items())))
    ids = np.array(list(rows), np.int64)
    assert [table.meta(r) for r in table.rows(ids)] == list(rows.values())
    assert table.doc_ids(table.rows(ids)) == [m.doc for m in rows.values()]


def test_a_label_without_a_stored_vector_scores_zero_and_no_vectors_means_zeros():
    rows = [(5, ChunkMeta("a.md", "Gout", "Symptoms", 0)), (9, ChunkMeta("a.md", "Gout", "Outlook", 1))]
    vectors = {"Gout": np.array([1, 0], np.float32), "Symptoms": np.array([0, 1], np.float32)}
    table = RankingTable.build(rows, vectors)
    q = np.array([0.6, 0.8], np.float32)
    r = table.rows(np.array([9, 5]))
    assert np.allclose(table.label_similarity(table.section[r], q), [0.0, 0.8])
    assert np.allclose(table.label_similarity(table.title[r], q), [0.6, 0.6])
    bare = RankingTable.build(rows)
    assert bare.label_similarity(bare.section[r], q).tolist() == [0.0, 0.0]
