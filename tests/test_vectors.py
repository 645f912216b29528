"""The FAISS wrapper, both kinds: exact (flat) and approximate (IVF), and the switch between them."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.errors import IndexCorrupt
from retrieval.store.vectors import VectorIndex, nlist_for, recall_at

DIM = 32
LIMIT = 1_000  # exact below this many vectors in these tests


def clustered(n: int, seed: int = 0, topics: int = 40) -> np.ndarray:
    """Unit vectors around ``topics`` random centres, like passage embeddings."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, DIM))
    x = centres[rng.integers(0, topics, n)] + 0.5 * rng.standard_normal((n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def ids_for(n: int, start: int = 100) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.int64)


@pytest.fixture(params=["exact", "ivf"])
def kind_and_data(request):
    n = 400 if request.param == "exact" else 3_000
    x, ids = clustered(n), ids_for(n)
    return request.param, VectorIndex.build(ids, x, exact_limit=LIMIT), ids, x


def test_build_picks_the_kind_by_size(kind_and_data):
    kind, index, ids, _ = kind_and_data
    assert index.exact == (kind == "exact")
    assert index.kind == "IndexFlatIP" if kind == "exact" else index.kind.startswith("IndexIVFFlat:nlist=")
    assert index.ntotal == len(ids) and index.dim == DIM
    if kind == "ivf":
        assert index.nprobe >= 1 and f"nlist={nlist_for(len(ids))}" in index.kind


def test_ids_and_reconstruct_by_passage_id(kind_and_data):
    _, index, ids, x = kind_and_data
    assert np.array_equal(np.sort(index.ids()), ids)
    picked = [ids[0], ids[17], ids[-1]]
    assert np.allclose(index.reconstruct(picked), x[[0, 17, len(ids) - 1]])
    assert index.reconstruct([]).shape == (0, DIM)


def test_search_finds_a_stored_vector_first(kind_and_data):
    _, index, ids, x = kind_and_data
    scores, found = index.search(x[42], 5)
    assert found[0] == ids[42] and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert list(scores) == sorted(scores, reverse=True)


def test_remove_and_add(kind_and_data):
    _, index, ids, x = kind_and_data
    gone = [int(ids[42]), int(ids[43])]
    assert index.remove(gone) == 2 and index.remove([]) == 0
    assert index.ntotal == len(ids) - 2
    assert not set(gone) & set(index.ids().tolist())
    assert ids[42] not in index.search(x[42], 10)[1]
    index.add(np.array([9_999_999], dtype=np.int64), x[42:43])
    assert index.search(x[42], 1)[1][0] == 9_999_999
    assert np.allclose(index.reconstruct([9_999_999]), x[42])


def test_save_and_load_round_trip(kind_and_data, tmp_path):
    kind, index, ids, x = kind_and_data
    index.remove([int(ids[5])])
    index.save(tmp_path / "v.faiss")
    back = VectorIndex.load(tmp_path / "v.faiss")
    assert back.kind == index.kind and back.nprobe == index.nprobe and back.exact == (kind == "exact")
    assert np.array_equal(np.sort(back.ids()), np.sort(index.ids()))
    assert np.allclose(back.reconstruct([ids[6]]), x[6])
    for q in (x[1], x[200]):
        assert np.array_equal(back.search(q, 10)[1], index.search(q, 10)[1])


def test_ivf_recall_against_exact():
    n = 3_000
    x, ids = clustered(n), ids_for(n)
    ivf, flat = VectorIndex.build(ids, x, exact_limit=LIMIT), VectorIndex.build(ids, x, exact_limit=n + 1)
    rng = np.random.default_rng(7)
    noise = rng.standard_normal((100, DIM)).astype(np.float32)
    noise *= 1.5 / np.linalg.norm(noise, axis=1, keepdims=True)  # a question near, not on, a passage
    queries = x[rng.choice(n, 100, replace=False)] + noise
    got = np.array([ivf.search(q, 10)[1] for q in queries])
    expected = np.array([flat.search(q, 10)[1] for q in queries])
    assert recall_at(got, expected) >= 0.95


def test_ivf_calibrates_on_the_queries_it_is_given():
    n = 3_000
    x, ids = clustered(n), ids_for(n)
    rng = np.random.default_rng(3)
    queries = clustered(150, seed=9) + 0.4 * rng.standard_normal((150, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    ivf = VectorIndex.build(ids, x, exact_limit=LIMIT, queries=queries)
    flat = VectorIndex.build(ids, x, exact_limit=n + 1)
    got = np.array([ivf.search(q, 10)[1] for q in queries])
    expected = np.array([flat.search(q, 10)[1] for q in queries])
    assert recall_at(got, expected) >= 0.95


def test_needs_refit_follows_the_limit_with_hysteresis():
    x, ids = clustered(1_500), ids_for(1_500)
    exact = VectorIndex.build(ids, x, exact_limit=2_000)
    assert not exact.needs_refit(2_000) and exact.needs_refit(1_500)
    ivf = VectorIndex.build(ids, x, exact_limit=LIMIT)
    assert not ivf.needs_refit(LIMIT) and not ivf.needs_refit(2_000)  # 1,500 >= half of 2,000
    assert ivf.needs_refit(3_100)  # below half of the limit: back to exact


def test_fit_to_size_converts_both_ways():
    n = 1_500
    x, ids = clustered(n), ids_for(n)
    index = VectorIndex.build(ids, x, exact_limit=n + 1)
    assert index.exact and index.fit_to_size(exact_limit=n + 1) is index  # below the limit: unchanged
    ivf = index.fit_to_size(exact_limit=LIMIT)
    assert not ivf.exact
    assert np.array_equal(np.sort(ivf.ids()), ids)
    assert np.allclose(ivf.reconstruct(ids[::97]), x[::97])
    assert ivf.fit_to_size(exact_limit=LIMIT) is ivf
    ivf.remove(ids[: n - 600].tolist())  # 600 left: above half the limit, stays approximate
    assert ivf.fit_to_size(exact_limit=LIMIT) is ivf
    ivf.remove(ids[n - 600: n - 400].tolist())  # 400 left: below half, back to exact
    flat = ivf.fit_to_size(exact_limit=LIMIT)
    assert flat.exact and np.array_equal(np.sort(flat.ids()), ids[n - 400:])
    assert np.allclose(flat.reconstruct(ids[n - 400:]), x[n - 400:])


def test_fit_to_size_retrains_a_grown_ivf():
    small = VectorIndex.build(ids_for(1_200), clustered(1_200), exact_limit=LIMIT)
    more = clustered(4_000, seed=1)
    small.add(ids_for(4_000, start=10_000), more)  # 5,200 > 4 x the 1,200 it was trained for
    grown = small.fit_to_size(exact_limit=LIMIT)
    assert grown is not small and f"nlist={nlist_for(5_200)}" in grown.kind
    assert grown.ntotal == 5_200


def test_empty_exact_index():
    index = VectorIndex.create(DIM)
    assert index.ntotal == 0 and len(index.ids()) == 0
    assert index.fit_to_size() is index


def test_a_damaged_file_is_a_typed_error(tmp_path):
    path = tmp_path / "v.faiss"
    path.write_bytes(b"not a faiss index")
    with pytest.raises(IndexCorrupt, match="index --full"):
        VectorIndex.load(path)
