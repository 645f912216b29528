"""Questions across threads: micro-batching of their encodes (embedder.QueryBatcher), and their
side work on the idle core (search/spare_core.py)."""
from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from retrieval.embedder import QueryBatcher
from retrieval.engine import Engine
from retrieval.search.spare_core import SpareCore


class SlowEncoder:
    """Encodes each text as its length; the first call waits, so others queue behind it."""

    def __init__(self):
        self.calls: list[list[str]] = []
        self.release = threading.Event()

    def __call__(self, texts):
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.release.wait(10)
        return np.array([[len(t)] for t in texts], dtype=np.float32)


def ask_in_threads(batcher, texts):
    out = {}
    threads = [threading.Thread(target=lambda t=t: out.__setitem__(t, batcher.encode(t))) for t in texts]
    for th in threads:
        th.start()
    return out, threads


def test_a_lone_question_is_encoded_at_once():
    enc = SlowEncoder()
    enc.release.set()
    batcher = QueryBatcher(enc)
    assert batcher.encode("knee")[0] == 4 and enc.calls == [["knee"]]


def test_questions_arriving_during_an_encode_share_the_next_one():
    enc = SlowEncoder()
    batcher = QueryBatcher(enc)
    first, t1 = ask_in_threads(batcher, ["a"])
    while not enc.calls:
        time.sleep(0.01)
    rest, t2 = ask_in_threads(batcher, ["bb", "ccc", "dddd", "eeeee"])
    while len(batcher._queue) < 4:
        time.sleep(0.01)
    enc.release.set()
    for th in t1 + t2:
        th.join(10)
    assert enc.calls[0] == ["a"] and sorted(enc.calls[1]) == ["bb", "ccc", "dddd", "eeeee"] and len(enc.calls) == 2
    assert {t: int(v[0]) for t, v in {**first, **rest}.items()} == {"a": 1, "bb": 2, "ccc": 3, "dddd": 4, "eeeee": 5}


def test_with_two_lanes_a_second_batch_encodes_while_the_first_is_still_running():
    enc = SlowEncoder()
    batcher = QueryBatcher(enc, lanes=2)
    first, t1 = ask_in_threads(batcher, ["a"])
    while not enc.calls:
        time.sleep(0.01)
    second, t2 = ask_in_threads(batcher, ["bb"])
    for th in t2:
        th.join(10)
    assert second["bb"][0] == 2 and "a" not in first  # answered while the first lane still waits
    third, t3 = ask_in_threads(batcher, ["ccc"])
    for th in t3:
        th.join(10)
    assert third["ccc"][0] == 3
    enc.release.set()
    for th in t1:
        th.join(10)
    assert first["a"][0] == 1 and enc.calls == [["a"], ["bb"], ["ccc"]] and batcher._running == 0


def test_the_traced_encoder_gives_the_batcher_a_lane_per_core(real_embedder):
    from retrieval.embedder import QUERY_LANES

    real_embedder.encode_query("knee pain")
    assert real_embedder._compiled  # the packaged model is traced
    assert real_embedder._queries.lanes == QUERY_LANES


def test_an_encode_error_reaches_every_caller_of_that_batch_and_the_next_works():
    calls = []

    def failing(texts):
        calls.append(texts)
        if len(calls) == 1:
            raise RuntimeError("model broke")
        return np.zeros((len(texts), 1), np.float32)

    batcher = QueryBatcher(failing)
    with pytest.raises(RuntimeError, match="model broke"):
        batcher.encode("x")
    assert batcher.encode("y").shape == (1,)


def test_the_real_model_gives_the_same_vector_alone_and_in_a_batch(real_embedder):
    alone = real_embedder.encode_query("can tight hamstrings cause IT band pain")
    batch = real_embedder._encode_queries(["what stretches help", "can tight hamstrings cause IT band pain"])
    assert np.allclose(alone, batch[1], atol=1e-5)


PEOPLES_MESSAGES = [
    "chest pian and my left arm feels numb",
    "hi there, my mum (72) was dianosed with gout last week and the tabkets make her sick, "
    "what else can she take for it? thanks so much " * 12,  # past the model's 256 tokens
    "what stretches help",
    "",
    "IT band",
    "is that serious??",
]


@pytest.mark.parametrize("size", [1, 2, 3, 6])
def test_the_compiled_query_encoder_gives_sentence_transformers_vectors_bit_for_bit(real_embedder, size):
    compiled = real_embedder._compiled_queries()
    assert compiled is not None  # the packaged model is traced
    texts = PEOPLES_MESSAGES[:size]
    eager = real_embedder.model.encode(texts, batch_size=len(texts), normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
    assert np.array_equal(compiled.encode(texts), eager)


def test_a_model_that_is_not_a_plain_text_transformer_is_encoded_eagerly():
    from retrieval.embedder import _CompiledQueries

    assert _CompiledQueries.build([]) is False
    assert _CompiledQueries.build([object()]) is False


def test_sessions_asking_at_once_on_both_lanes_each_get_their_own_vector(real_embedder):
    """Twelve sessions at once through the traced encoder's two lanes: no vector goes to
    the wrong caller, and torch's thread setting is put back once every lane is out."""
    import torch

    texts = [m for m in PEOPLES_MESSAGES if m] + ["my dad cant lift his arm", "what shoes help flat feet",
                                                  "how often shoud i strech my hamstrings"]
    alone = {t: real_embedder.encode_query(t) for t in texts}
    threads_before = torch.get_num_threads()
    got: dict[int, list] = {}

    def session(k: int) -> None:
        got[k] = [(t, real_embedder.encode_query(t)) for t in texts[k % len(texts):] + texts[:k % len(texts)]]

    workers = [threading.Thread(target=session, args=(k,)) for k in range(12)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert len(got) == 12
    for answers in got.values():
        for text, vector in answers:
            assert np.allclose(vector, alone[text], atol=1e-6), text
    assert torch.get_num_threads() == threads_before and real_embedder._queries._running == 0


def test_counting_tokens_leaves_the_tokenizer_questions_use_as_it_was(real_embedder):
    """The chunker counts tokens (no padding, no truncation) while questions may be encoding
    (an admin's re-index in the app): a fast tokenizer keeps those settings as state, so the
    count must not switch them off on the tokenizer that questions and passages use."""
    real_embedder.encode_query("my knee hurts going down stairs")
    shared = real_embedder.model.tokenizer.backend_tokenizer
    padding, truncation = shared.padding, shared.truncation
    long_text = "my it band is so tight it hurts all the way down to my knee " * 40
    assert real_embedder.count(["what stretches help", long_text])[1] > real_embedder.limit
    assert (shared.padding, shared.truncation) == (padding, truncation)


def test_questions_encode_while_another_thread_counts_tokens(real_embedder):
    """People keep asking while an article is re-indexed in the same process (before the fix, an
    encode here raised a ValueError for unpadded features)."""
    texts = [m for m in PEOPLES_MESSAGES if m]
    alone = {t: real_embedder.encode_query(t) for t in texts}
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            real_embedder.count(["a passage about the it band and the knee", PEOPLES_MESSAGES[1]])

    counter = threading.Thread(target=count)
    counter.start()
    try:
        for _ in range(5):
            for vector, text in zip(real_embedder._encode_queries(texts), texts):
                assert np.allclose(vector, alone[text], atol=1e-5), text
    finally:
        stop.set()
        counter.join(30)


def _where() -> str:
    return threading.current_thread().name


def test_a_lone_questions_side_work_runs_on_the_spare_core_and_gives_its_value():
    spare = SpareCore()
    if not spare.enabled:
        pytest.skip("one core: side work always stays on the asking thread")
    with spare.asking():
        job = spare.beside(_where)
        assert job.result().startswith("spare-core")
    with spare.asking():  # idle again once a job is done
        assert spare.beside(_where).result().startswith("spare-core")


def test_with_another_question_in_flight_side_work_stays_on_the_asking_thread():
    spare = SpareCore()
    with spare.asking(), spare.asking():
        assert spare.beside(_where).result() == _where()


def test_side_work_waits_for_no_other_questions_work():
    """While the spare core runs one question's side work, the next question's runs on its own thread."""
    spare, release = SpareCore(), threading.Event()
    if not spare.enabled:
        pytest.skip("one core")
    with spare.asking():
        slow = spare.beside(lambda: release.wait(10) and _where())
        assert spare.beside(_where).result() == _where()
        release.set()
        assert slow.result().startswith("spare-core")


def test_switched_off_side_work_runs_where_it_is_asked_for():
    spare = SpareCore(enabled=False)
    with spare.asking():
        assert spare.beside(_where).result() == _where()


@pytest.mark.parametrize("enabled", [True, False])
def test_an_error_in_side_work_reaches_the_asker_and_the_next_question_is_served(enabled):
    spare = SpareCore(enabled)

    def broken():
        raise RuntimeError("side work broke")

    with spare.asking():
        with pytest.raises(RuntimeError, match="side work broke"):
            spare.beside(broken).result()
        assert spare.beside(lambda: 7).result() == 7
        if spare.enabled:  # the spare core is free again after the error
            assert spare.beside(_where).result().startswith("spare-core")


def test_work_worth_doing_only_beside_is_left_out_on_the_asking_thread():
    spare, done = SpareCore(), []
    with spare.asking(), spare.asking():
        assert spare.beside(lambda: done.append("prefetch") or 1, lambda: 2).result() == 2
    assert done == []


def test_a_forked_child_starts_its_spare_core_afresh():
    import os

    spare = SpareCore()
    if not spare.enabled or not hasattr(os, "fork"):
        pytest.skip("one core, or no fork")
    with spare.asking():
        spare.beside(_where).result()  # the worker thread is running
    pid = os.fork()
    if pid == 0:  # the child: its copy of the worker thread is gone; a new one serves
        ok = False
        try:
            with spare.asking():
                ok = spare.beside(_where).result(timeout=10).startswith("spare-core")
        except BaseException:
            pass
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0


def test_side_work_on_the_spare_core_changes_no_reply(seed_index, real_embedder, real_engine):
    """The same replies, notices included, with the side work beside the search or after it."""
    if not real_engine._spare.enabled:
        pytest.skip("one core: the side work always stays on the asking thread")
    after = Engine(seed_index.with_(spare_core=False), embedder=real_embedder)
    turns = [("can tight hamstrings cause my it band to hurt", []),
             ("what stretches help", ["can tight hamstrings cause my it band to hurt"]),
             ("my dad cant lift his arm and hes slurring", []),
             ("it started 20 min ago", ["my husband has chest pain"]),
             ("i dont want to be here anymore", [])]
    for question, history in turns:
        assert real_engine.ask(question, history).to_json() == after.ask(question, history).to_json(), question


class BrokenCheck:
    enabled = True

    def check(self, *args, **kwargs):
        raise RuntimeError("urgent check broke")

    def examples(self):
        return None


def test_an_urgent_check_that_fails_beside_the_search_fails_the_question_and_the_next_is_asked(make_engine, write):
    write("knee.txt", "Knee pain\n\nKnee pain often comes from overuse of the joint.")
    engine = make_engine()
    engine.index()
    broken = Engine(engine.settings, embedder=engine.embedder, urgent=BrokenCheck())
    for _ in range(2):
        with pytest.raises(RuntimeError, match="urgent check broke"):
            broken.ask("why does my knee hurt")
    assert engine.ask("why does my knee hurt").hits


@pytest.mark.parametrize("value, on", [("0", False), ("off", False), ("1", True), ("on", True)])
def test_the_spare_core_is_switched_by_the_environment(monkeypatch, value, on):
    from retrieval.settings import Settings

    monkeypatch.setenv("RETRIEVAL_SPARE_CORE", value)
    assert Settings.from_env().spare_core is on
    monkeypatch.delenv("RETRIEVAL_SPARE_CORE")
    assert Settings.from_env().spare_core is True
