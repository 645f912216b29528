"""The index manifest: what one generation holds and how it was built.

Stored as key/value rows in the generation's SQLite ``manifest`` table (see
``passages.py``), written once by the indexer and read by the snapshot, the
engine's stats and the settings check. Unknown keys from newer builds are kept.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass(frozen=True)
class Manifest:
    model: str = ""
    backend: str = ""
    chunker: str = ""  # Settings.chunker_signature()
    dim: int = 0
    schema: int = 0  # the SQLite schema version it was written with (passages.SCHEMA_VERSION)
    lexical: str = ""  # lexical.SIGNATURE
    generation: str = ""
    faiss: str = ""  # VectorIndex.kind
    built_at: str = ""  # ISO 8601, UTC
    articles: int = 0
    chunks: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    IDENTITY = ("model", "backend", "chunker")  # what must match the settings to search it

    @classmethod
    def from_rows(cls, rows: dict[str, str]) -> "Manifest":
        known = {f.name: f.type for f in fields(cls) if f.name != "extra"}
        values = {k: (int(v) if known[k] == "int" else v) for k, v in rows.items() if k in known and _ok(known[k], v)}
        return cls(**values, extra={k: v for k, v in rows.items() if k not in known})

    def to_rows(self) -> dict[str, str]:
        rows = {k: str(v) for k, v in asdict(self).items() if k != "extra"}
        return {**self.extra, **rows}

    def identity(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.IDENTITY}


def _ok(kind: str, value: str) -> bool:
    return kind != "int" or value.lstrip("-").isdigit()
