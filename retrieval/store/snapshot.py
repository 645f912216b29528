"""A published index generation, opened read-only and checked for consistency.

Opening checks that the files match the pointer's checksums, that the store, the
FAISS file and the BM25 index hold the same passages, and that the index was
built with the model and chunker now asked for.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import generations as gen
from ..errors import IndexCorrupt, IndexOutdated, SettingsMismatch
from .lexical import SIGNATURE as LEXICAL_SIGNATURE, LexicalIndex
from ..settings import Settings
from .manifest import Manifest
from .passages import REREAD_BELOW, SCHEMA_VERSION, Store
from .ranking_table import RankingTable
from .vectors import VectorIndex

OPEN_ATTEMPTS = 5  # a reader racing writers that publish and sweep generations re-reads the pointer


def model_identity(settings: Settings) -> dict[str, str]:
    """What a manifest must say (``Manifest.identity``) for an index to be searched with ``settings``."""
    return {"model": settings.model, "backend": settings.backend, "chunker": settings.chunker_signature()}


def check_settings(manifest: Manifest, settings: Settings) -> None:
    """Raise SettingsMismatch if the index was built another way than ``settings`` asks."""
    built = manifest.identity()
    for key, value in model_identity(settings).items():
        if built[key] != value:
            raise SettingsMismatch(f"The index was built with {key} {built[key] or None!r} but {value!r} is configured")


@dataclass
class Snapshot:
    folder: Path
    store: Store
    vectors: VectorIndex
    lexical: LexicalIndex
    manifest: Manifest

    @classmethod
    def open(cls, index_dir: Path, settings: Settings | None = None, upgrade: bool = False) -> "Snapshot":
        """The live generation; if writers replace and sweep it while it opens, the newer one."""
        pointer = gen.read_pointer(index_dir)
        for _ in range(OPEN_ATTEMPTS - 1):
            try:
                return cls.open_folder(gen.current_dir(index_dir, pointer), settings, upgrade)
            except IndexCorrupt:
                newer = gen.read_pointer(index_dir)
                if newer == pointer:
                    raise
                pointer = newer
        return cls.open_folder(gen.current_dir(index_dir, pointer), settings, upgrade)

    @classmethod
    def open_folder(cls, folder: Path, settings: Settings | None = None, upgrade: bool = False) -> "Snapshot":
        """``upgrade``: accept an older schema (the indexer migrates its copy)."""
        store = Store(folder / gen.STORE, readonly=True)
        try:
            if store.version > SCHEMA_VERSION:
                raise IndexCorrupt(f"The index schema is version {store.version}, newer than this program's "
                                   f"{SCHEMA_VERSION}")
            if store.version < SCHEMA_VERSION and not upgrade:
                raise IndexOutdated(f"The index was written by an older version (schema {store.version}, "
                                    f"this program reads {SCHEMA_VERSION})")
            manifest = store.manifest()
            if settings is not None:
                check_settings(manifest, settings)
            snap = cls(folder, store, VectorIndex.load(folder / gen.VECTORS),
                       LexicalIndex.load(folder / gen.LEXICAL), manifest)
            snap.check_consistency()
            return snap
        except sqlite3.DatabaseError as err:
            store.close()
            raise IndexCorrupt(f"The index database in {folder} is damaged ({err})") from None
        except (OSError, ValueError) as err:
            store.close()
            raise IndexCorrupt(f"The index in {folder} cannot be read ({err})") from None
        except Exception:
            store.close()
            raise

    def check_consistency(self) -> None:
        _, n_chunks = self.store.counts()
        if not (self.vectors.ntotal == n_chunks == len(self.lexical.chunk_ids)):
            raise IndexCorrupt(
                f"The index in {self.folder} disagrees with itself ({n_chunks} passages in the store, "
                f"{self.vectors.ntotal} vectors, {len(self.lexical.chunk_ids)} in BM25)")
        if self.manifest.dim and self.manifest.dim != self.vectors.dim:
            raise IndexCorrupt(f"The vector file in {self.folder} has the wrong dimension")
        if not n_chunks:
            return
        passages = np.asarray(self.store.chunk_ids(), dtype=np.int64)
        if not np.array_equal(np.sort(self.vectors.ids()), passages):
            raise IndexCorrupt(f"The vectors in {self.folder} do not match its passages")
        if not np.array_equal(self.lexical.chunk_ids, passages):  # BM25's rows are the passages in id order
            raise IndexCorrupt(f"The BM25 index in {self.folder} does not match its passages")

    @property
    def outdated(self) -> bool:
        """Built by an older schema or BM25 configuration: the indexer refreshes it."""
        return self.store.version < SCHEMA_VERSION or self.manifest.lexical != LEXICAL_SIGNATURE

    @property
    def needs_reread(self) -> bool:
        """Built before the store kept what only parsing gives (dates, pages): the indexer re-reads every article."""
        return self.store.version < REREAD_BELOW

    def label_vectors(self) -> dict[str, np.ndarray]:
        """Vectors of article titles and section headings, by text (schema 2 on), read now."""
        return self.store.label_vectors() if self.store.version >= 2 else {}

    def ranking_table(self) -> RankingTable:
        """What ranking reads of every passage (``ranking_table.py``), the titles' and
        headings' vectors included, read from the store now."""
        return RankingTable.build(self.store.chunk_meta(), self.label_vectors(), self.vectors.dim)

    def close(self) -> None:
        self.store.close()
