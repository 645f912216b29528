"""The urgent-care check's labelled neighbours: messages people wrote, each with its label.

The classifier of ``urgent_model.py`` may call a message an emergency by meaning alone, with
no sign rule behind it. Its nearest neighbours among labelled messages then get a vote: when
most of the ``k`` nearest were written as ordinary, the call by meaning alone stands down
(``UrgentCheck``). A question about a serious condition is no vote for calm: it says the topic
is serious ("what are the warning signs someone is suicidal", then "my son has all of those").
A sign rule's match is never put to the vote.

The messages are the tune halves of the labelled sets in tests/data, copied into
``urgent_neighbours.jsonl`` beside this module by ``benchmarks/urgent_neighbours.py`` (which
also checks that the copy is current). Each row: ``source`` (the set it came from, so that an
evaluation can leave a writer's own messages out), ``label`` (emergency, self-harm,
informational or ordinary), ``message`` and ``history`` (the user's earlier turns). A
follow-up is placed where its turns put it: its vector and its last turns' vectors, summed
and normalised, as the check reads a follow-up. The file is read and embedded on first use,
never at import.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..errors import BadSettingsFile

NEIGHBOURS_FILE = Path(__file__).with_name("urgent_neighbours.jsonl")
LABELS = ("emergency", "self-harm", "informational", "ordinary")
CALM = "ordinary"  # the label that votes for no notice
EncodeMany = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Row:
    source: str
    label: str
    message: str
    history: tuple[str, ...]


def read_rows(path: Path = NEIGHBOURS_FILE) -> list[Row]:
    """The labelled messages of a neighbours file; a malformed line fails with its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadSettingsFile(f"{path}: cannot read the urgent-care neighbours ({exc.strerror}); "
                              f"run python benchmarks/urgent_neighbours.py to write it") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            row = Row(str(d["source"]), str(d["label"]), str(d["message"]), tuple(map(str, d.get("history") or ())))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadSettingsFile(f"{path}, line {n}: not a neighbour row ({exc}); "
                                  f"run python benchmarks/urgent_neighbours.py to rewrite it") from None
        if row.label not in LABELS:
            raise BadSettingsFile(f"{path}, line {n}: unknown label {row.label!r}; use one of {', '.join(LABELS)}")
        rows.append(row)
    return rows


def placed(vector: np.ndarray, turns: Sequence[np.ndarray]) -> np.ndarray:
    """Where a message stands with its last turns: the vectors summed, normalised."""
    total = vector + sum(turns) if len(turns) else vector
    return total / max(float(np.linalg.norm(total)), 1e-12)


@dataclass(frozen=True)
class Neighbours:
    """The labelled messages' vectors, with their labels and where each came from."""

    matrix: np.ndarray  # one row per message, placed with its turns
    labels: np.ndarray  # each message's label, as its index in LABELS
    sources: tuple[str, ...]

    @classmethod
    def embed(cls, rows: Sequence[Row], encode_many: EncodeMany, turns: int) -> "Neighbours":
        recent = [r.history[-turns:] if turns > 0 else () for r in rows]
        texts = list(dict.fromkeys(t for r, before in zip(rows, recent) for t in (r.message, *before)))
        table = dict(zip(texts, np.asarray(encode_many(texts), dtype=np.float32))) if texts else {}
        dim = next(iter(table.values())).shape[0] if table else 0
        matrix = np.array([placed(table[r.message], [table[h] for h in before]) for r, before in zip(rows, recent)],
                          dtype=np.float32).reshape(len(rows), dim)
        return cls(matrix, np.array([LABELS.index(r.label) for r in rows], dtype=np.int64),
                   tuple(r.source for r in rows))

    def without(self, source: str) -> "Neighbours":
        """The same neighbours less those of one source (an evaluation leaves a writer's own out)."""
        keep = np.array([s != source for s in self.sources], dtype=bool)
        return Neighbours(self.matrix[keep], self.labels[keep], tuple(s for s, k in zip(self.sources, keep) if k))

    def calm_share(self, vector: np.ndarray, k: int) -> float:
        """Of the ``k`` messages nearest to ``vector`` (placed), the share written as ordinary."""
        if len(self.labels) == 0 or k <= 0:
            return 0.0
        sims = self.matrix @ vector
        k = min(k, len(sims))
        nearest = np.argpartition(-sims, k - 1)[:k]
        return float(np.mean(self.labels[nearest] == LABELS.index(CALM)))
