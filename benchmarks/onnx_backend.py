"""ONNX Runtime against PyTorch for the embedding model: speed and answer quality.

sentence-transformers' own ONNX path (``SentenceTransformer(path, backend="onnx")``
and ``export_dynamic_quantized_onnx_model``) needs ``optimum-onnx``, whose only
release requires transformers < 4.58, while sentence-transformers 6 requires
transformers >= 5: it cannot be installed next to this project's stack. So the
model is exported here with ``torch.onnx.export`` (dynamo) from the packaged
model, quantized with ONNX Runtime's ``quantize_dynamic`` using the settings of
sentence-transformers' "avx2" preset (uint8 weights, symmetric, per channel), and
run by a small encoder: tokenizer, ONNX Runtime session, mean pooling, normalize,
which is what the model's sentence-transformers pipeline does. Everything lives
in ``.bench/onnx/``; nothing is written inside site-packages.

Compared: throughput on dev passages (batch 32, as the indexer), and ans@1 of
``Engine.ask`` on dev questions over an index built entirely by each backend.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from common import BENCH, Timer, dev_questions, fresh_dir

from retrieval.embedder import Embedder, resolve_model_path
from retrieval.engine import Engine
from retrieval.evaluation import Scores
from retrieval.settings import Settings

OUT = BENCH / "onnx"
FP32 = "model.onnx"
INT8 = "model_quint8_avx2.onnx"  # the name sentence-transformers gives its avx2 export
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export(model_path: str, folder: Path = OUT) -> dict[str, Path]:
    """fp32 and int8 ONNX files of the model in ``folder`` (made once, then reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    fp32, int8 = folder / FP32, folder / INT8
    if not fp32.exists():
        _export_fp32(model_path, fp32)
    if not int8.exists():
        _quantize(fp32, int8)
    return {"fp32": fp32, "int8": int8}


def _export_fp32(model_path: str, target: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(model_path).eval()
    tok = AutoTokenizer.from_pretrained(model_path)

    class Encoder(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = tok(["a short one", "a somewhat longer example sentence"], padding=True, return_tensors="pt")
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("sequence", max=512)
    with torch.no_grad():
        torch.onnx.export(Encoder(model), tuple(sample[k] for k in INPUTS), str(target), input_names=list(INPUTS),
                          output_names=["last_hidden_state"], dynamic_shapes=({0: batch, 1: seq},) * 3,
                          dynamo=True, verbose=False)


def _quantize(fp32: Path, int8: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(fp32, int8, per_channel=True, reduce_range=False, weight_type=QuantType.QUInt8,
                     extra_options={"WeightSymmetric": True, "ActivationSymmetric": False})


class OrtEmbedder(Embedder):
    """``Embedder`` whose vectors come from an ONNX Runtime session (tokenizer and limits as before)."""

    def __init__(self, onnx_file: Path, model: str = "all-MiniLM-L6-v2", batch_size: int = 32):
        super().__init__(model, "torch", batch_size)
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"])
        self.onnx_file = onnx_file

    def _vectors(self, texts: list[str]) -> np.ndarray:
        enc = self.model.tokenizer(texts, padding=True, truncation=True, max_length=self.limit, return_tensors="np")
        hidden = self.session.run(None, {k: enc[k].astype(np.int64) for k in INPUTS})[0]
        mask = enc["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def encode(self, texts, progress=None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), self.batch_size):
            idx = order[i:i + self.batch_size]
            out[idx] = self._vectors([texts[j] for j in idx])
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self._vectors([text])[0]


def _mib_with_data(path: Path) -> float:
    """Size of an ONNX file with its external weights file, if any."""
    data = path.with_name(path.name + ".data")
    return round((path.stat().st_size + (data.stat().st_size if data.exists() else 0)) / 2**20, 1)


def throughput(embedders: dict[str, Embedder], texts: list[str]) -> dict[str, float]:
    """Passages per second of each embedder on the same texts (after one warm-up batch)."""
    out = {}
    for name, emb in embedders.items():
        emb.encode(texts[:32])
        with Timer() as t:
            emb.encode(texts)
        out[name] = round(len(texts) / t.seconds, 1)
    return out


def agreement(a: Embedder, b: Embedder, texts: list[str]) -> float:
    """Mean cosine between the two backends' vectors of the same texts."""
    return round(float(np.mean(np.sum(a.encode(texts) * b.encode(texts), axis=1))), 4)


def answer_quality(engine: Engine, questions: list[dict]) -> dict:
    scores = Scores()
    for q in questions:
        reply = engine.ask(q["question"], history=q.get("history") or [], top_k=10)
        scores.add(q, [(h.doc, h.text) for h in reply.hits], reply.abstained)
    s = scores.summary()
    return {"n": int(s["n"]), **{k: s[k] for k in ("doc@1", "ans@1", "ans@5")}}


def run(torch_embedder: Embedder, corpus: Path, torch_index: Path, texts: list[str], n_questions: int,
        docs: set[str] | None) -> dict:
    """``docs``: only questions about these articles (when ``corpus`` is a subset of the dev corpus)."""
    """Export, time, and compare answers over ``corpus`` (``torch_index`` is its torch-built index)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return {"skipped": "onnxruntime is not installed (pip install onnxruntime onnx onnxscript)"}
    model_path = resolve_model_path(torch_embedder.name)
    cached = (OUT / FP32).exists() and (OUT / INT8).exists()
    with Timer() as t_export:
        files = export(model_path)
    onnx = {name: OrtEmbedder(path) for name, path in files.items()}
    speed = throughput({"torch": torch_embedder, **onnx}, texts)
    out = {"export_s": None if cached else round(t_export.seconds, 1), "passages": len(texts), "per_s": speed,
           "speedup": {k: round(v / speed["torch"], 2) for k, v in speed.items() if k != "torch"},
           "cosine_to_torch": {k: agreement(torch_embedder, e, texts[:200]) for k, e in onnx.items()},
           "files_mib": {k: _mib_with_data(p) for k, p in files.items()}}
    print(f"  ONNX: passages/s {speed}", flush=True)
    questions = dev_questions(n_questions, docs)
    out["articles"] = sum(1 for p in corpus.rglob("*") if p.is_file())
    out["quality"] = {"torch": answer_quality(Engine(Settings(corpus=corpus, index=torch_index),
                                                     embedder=torch_embedder), questions)}
    index = fresh_dir(OUT / "index-int8")
    with Timer() as t_build:
        Engine(Settings(corpus=corpus, index=index), embedder=onnx["int8"]).index(full=True)
    out["int8_build_s"] = round(t_build.seconds, 1)
    out["quality"]["int8"] = answer_quality(Engine(Settings(corpus=corpus, index=index), embedder=onnx["int8"]),
                                            questions)
    shutil.rmtree(index)
    delta = out["quality"]["int8"]["ans@1"] - out["quality"]["torch"]["ans@1"]
    out["ans1_delta_int8"] = round(delta, 4)
    out["adopt_int8_by_default"] = delta >= -0.01 and out["speedup"]["int8"] >= 1.8
    print(f"  ONNX int8: {out['speedup']['int8']}x torch, ans@1 {delta:+.4f} over "
          f"{out['quality']['torch']['n']} questions -> default: {out['adopt_int8_by_default']}", flush=True)
    return out


if __name__ == "__main__":
    print(json.dumps(export(resolve_model_path("all-MiniLM-L6-v2")), default=str))
