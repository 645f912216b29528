"""SQLite store for one index generation: manifest, articles and passages.

A generation's database is written once by the indexer and never changed after
it is published, so readers can open it read-only and trust what they see.
Schema changes are numbered migrations recorded in ``PRAGMA user_version``.
"""
from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ..errors import IndexCorrupt
from .manifest import Manifest
from ..records import Article, ArticleInfo, Chunk, ChunkMeta, ChunkRow, Section

SCHEMA_VERSION = 3
REREAD_BELOW = 3  # a store older than this lacks what only parsing fills in (dates, pages): re-read its articles

MIGRATIONS = {
    1: """
    CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE articles (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, hash TEXT NOT NULL,
        text TEXT NOT NULL, sections TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL
    );
    CREATE TABLE chunks (
        id INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL, section TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX chunks_article ON chunks(article_id);
    CREATE INDEX chunks_hash ON chunks(hash);
    """,
    # 2: vectors of article titles and section headings, searched as signals of their own.
    2: """
    CREATE TABLE labels (text TEXT PRIMARY KEY, vector BLOB NOT NULL);
    """,
    # 3: article dates, PDF page spans (JSON [[start, end], ...]) and when each was indexed;
    # the page each passage starts on (NULL for articles without pages).
    3: """
    ALTER TABLE articles ADD COLUMN date TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN pages TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE articles ADD COLUMN indexed_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE chunks ADD COLUMN page INTEGER;
    """,
}

_ARTICLE_COLUMNS = "id, title, source, hash, text, sections, size, mtime, date, pages, indexed_at"


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"file:{path.resolve()}?mode=ro&immutable=1"
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        db = sqlite3.connect(path, check_same_thread=False)
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


class Store:
    """Typed access to one generation's SQLite file."""

    def __init__(self, path: Path, readonly: bool = True):
        self.path = path
        self.readonly = readonly
        try:
            self.db = _connect(path, readonly)
            self._version = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise IndexCorrupt(f"The index database {path} is damaged ({err})") from None

    # --- schema --------------------------------------------------------------------
    def migrate(self) -> None:
        for version in sorted(MIGRATIONS):
            if version > self._version:
                self.db.executescript(MIGRATIONS[version])
                self.db.execute(f"PRAGMA user_version={version}")
                self._version = version
        self.db.commit()

    @property
    def version(self) -> int:
        return self._version

    def close(self) -> None:
        self.db.close()

    def copy_to(self, path: Path) -> "Store":
        """A writable copy of this store at ``path`` (SQLite's online backup)."""
        dest = Store(path, readonly=False)
        self.db.backup(dest.db)
        dest._version = dest.db.execute("PRAGMA user_version").fetchone()[0]
        return dest

    # --- manifest ------------------------------------------------------------------
    def manifest(self) -> Manifest:
        return Manifest.from_rows(dict(self.db.execute("SELECT key, value FROM manifest")))

    def set_manifest(self, manifest: Manifest) -> None:
        self.db.executemany("INSERT OR REPLACE INTO manifest VALUES (?, ?)", list(manifest.to_rows().items()))

    # --- articles ------------------------------------------------------------------
    def article_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM articles"))

    def article(self, doc_id: str) -> Article | None:
        row = self.db.execute("SELECT id, title, text, sections, source, hash, date, pages FROM articles "
                              "WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return None
        sections = tuple(Section(h, s, e) for h, s, e in json.loads(row[3]))
        pages = tuple((s, e) for s, e in json.loads(row[7]))
        return Article(row[0], row[1], row[2], sections, row[4], row[5], row[6], pages)

    def put_article(self, article: Article, size: int, mtime: float, indexed_at: str = "") -> None:
        sections = json.dumps([[s.heading, s.start, s.end] for s in article.sections])
        pages = json.dumps([list(p) for p in article.pages])
        self.db.execute(f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (article.id, article.title, article.source, article.hash, article.text,
                         sections, size, mtime, article.date, pages, indexed_at))

    def article_infos(self) -> list[ArticleInfo]:
        """Every article with its passage count, by title."""
        sql = """SELECT a.id, a.title, a.source, a.date, COUNT(c.id), a.indexed_at, a.pages
                 FROM articles a LEFT JOIN chunks c ON c.article_id = a.id
                 GROUP BY a.id ORDER BY a.title COLLATE NOCASE, a.id"""
        return [ArticleInfo(*row[:6], pages=len(json.loads(row[6]))) for row in self.db.execute(sql)]

    def rename_article(self, old: str, new: str) -> None:
        """Re-point an article and its passages (copy, move the passages, drop the old row)."""
        rest = _ARTICLE_COLUMNS.split(", ", 1)[1]
        self.db.execute(f"INSERT INTO articles ({_ARTICLE_COLUMNS}) SELECT ?, {rest} FROM articles WHERE id=?",
                        (new, old))
        self.db.execute("UPDATE chunks SET article_id=? WHERE article_id=?", (new, old))
        self.db.execute("DELETE FROM articles WHERE id=?", (old,))

    def delete_article(self, doc_id: str) -> list[int]:
        ids = [r[0] for r in self.db.execute("SELECT id FROM chunks WHERE article_id=?", (doc_id,))]
        self.db.execute("DELETE FROM chunks WHERE article_id=?", (doc_id,))
        self.db.execute("DELETE FROM articles WHERE id=?", (doc_id,))
        return ids

    # --- chunks --------------------------------------------------------------------
    def chunk_ids_by_hash(self, hashes: Iterable[str]) -> dict[str, int]:
        return {h: cid for h, cid in self._select_in("SELECT hash, id FROM chunks WHERE hash IN ({})", set(hashes))}

    def article_chunks(self, doc_id: str) -> list[tuple[int, str]]:
        return list(self.db.execute("SELECT id, hash FROM chunks WHERE article_id=? ORDER BY ord", (doc_id,)))

    def next_chunk_id(self) -> int:
        return (self.db.execute("SELECT MAX(id) FROM chunks").fetchone()[0] or 0) + 1

    def put_chunks(self, rows: list[tuple[int, Chunk]]) -> None:
        self.db.executemany("INSERT INTO chunks (id, article_id, ord, section, start, end, hash, page) "
                            "VALUES (?,?,?,?,?,?,?,?)",
                            [(cid, c.article_id, c.ord, c.section, c.start, c.end, c.hash, c.page)
                             for cid, c in rows])

    def chunk_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM chunks ORDER BY id")]

    def iter_chunk_texts(self) -> Iterator[tuple[int, str]]:
        """(chunk id, title + section + passage) for every passage, in id order."""
        yield from self.db.execute(self._TEXT_SQL + " ORDER BY c.id")

    def chunk_texts(self, ids: Iterable[int]) -> dict[int, str]:
        """chunk id -> title + section + passage (the text BM25 indexes)."""
        return dict(self._select_in(self._TEXT_SQL + " WHERE c.id IN ({})", (int(i) for i in ids)))

    _TEXT_SQL = """SELECT c.id, a.title || char(10) || c.section || char(10) || substr(a.text, c.start + 1, c.end - c.start)
                   FROM chunks c JOIN articles a ON a.id = c.article_id"""

    _CHUNK_JOIN = "FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({})"

    def chunk_rows(self, ids: Iterable[int]) -> dict[int, ChunkRow]:
        """chunk id -> its passage and citation."""
        sql = ("SELECT c.id, c.article_id, a.title, c.section, substr(a.text, c.start + 1, c.end - c.start), "
               "c.start, c.end, a.source, c.ord, c.page, a.date " + self._CHUNK_JOIN)
        return {row[0]: ChunkRow(*row[1:]) for row in self._select_in(sql, (int(i) for i in ids))}

    def chunk_meta(self) -> Iterator[tuple[int, ChunkMeta]]:
        """(chunk id, what ranking needs of it, without the text) for every passage."""
        first = self.first_sections()
        for row in self.db.execute("SELECT c.id, c.article_id, a.title, c.section, c.ord "
                                   "FROM chunks c JOIN articles a ON a.id = c.article_id"):
            yield row[0], ChunkMeta(*row[1:], first.get(row[1]) == row[3])

    def first_sections(self) -> dict[str, str]:
        """article id -> the heading of its first section."""
        return dict(self.db.execute(
            "SELECT c.article_id, c.section FROM chunks c JOIN (SELECT article_id, MIN(ord) AS ord FROM chunks "
            "GROUP BY article_id) f ON f.article_id = c.article_id AND f.ord = c.ord"))

    def _select_in(self, sql: str, keys: Iterable, batch: int = 500) -> Iterator[tuple]:
        """Rows of ``sql`` (one ``IN ({})`` placeholder) for all ``keys``, in batches under SQLite's limit.
        A search's hundred candidates are one batch, whose cursor is read directly."""
        keys = list(keys)
        parts = [keys[i:i + batch] for i in range(0, len(keys), batch)]
        run = self.db.execute
        if len(parts) == 1:
            return run(sql.format(",".join("?" * len(parts[0]))), parts[0])
        return itertools.chain.from_iterable(run(sql.format(",".join("?" * len(part))), part) for part in parts)

    def counts(self) -> tuple[int, int]:
        a = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        c = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return a, c

    def article_titles(self) -> list[tuple[str, str, str]]:
        return list(self.db.execute("SELECT id, title, source FROM articles ORDER BY title"))

    # --- labels: titles and section headings ------------------------------------------
    _LABELS_IN_USE = "SELECT section AS text FROM chunks UNION SELECT title FROM articles"

    def missing_labels(self) -> list[str]:
        sql = f"SELECT text FROM ({self._LABELS_IN_USE}) WHERE text NOT IN (SELECT text FROM labels)"
        return [r[0] for r in self.db.execute(sql)]

    def put_labels(self, texts: list[str], vectors: np.ndarray) -> None:
        self.db.executemany("INSERT OR REPLACE INTO labels VALUES (?, ?)",
                            [(t, np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)])
        self.db.execute(f"DELETE FROM labels WHERE text NOT IN ({self._LABELS_IN_USE})")

    def label_vectors(self) -> dict[str, np.ndarray]:
        return {t: np.frombuffer(v, dtype=np.float32) for t, v in self.db.execute("SELECT text, vector FROM labels")}

    def commit(self) -> None:
        self.db.commit()
