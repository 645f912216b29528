"""Bring the index up to date with the corpus, incrementally and atomically.

Change detection is by content: a SHA-256 per article file and per passage
(title + section + text). Unchanged articles cost a file hash; a renamed article
is re-pointed; a changed article re-embeds only passages whose text is new, and
any passage text already in the index (moved, or unchanged in an edit) reuses
its stored vector. The result is written as a new generation and published
atomically (see ``generations``).

One bad file never stops a run: whatever goes wrong with a file (unreadable, too
big, not text, too deeply nested, out of memory, a parser's own exception) becomes
one warning naming it, and an article indexed before keeps its indexed version
(``--full`` drops it, and says so). A file that disappears while the run reads it
is treated as deleted. Sizes are checked before anything is read.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from .store import generations as gen
from .ingest.chunking import chunk_article
from .embedder import Embedder
from .errors import BadArticle, CorpusMissing, RetrievalError
from .store.lexical import SIGNATURE as LEXICAL_SIGNATURE, LexicalIndex
from .ingest.loaders import article_id, content_hash, list_article_files, read_article, read_article_file
from .records import Article, Chunk
from .settings import Settings
from .store.snapshot import Snapshot, model_identity
from .store.manifest import Manifest
from .store.passages import Store
from .store.vectors import VectorIndex

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # one warning line per file not (re)indexed
    warnings: list[str] = field(default_factory=list)  # one line per article indexed with a problem
    chunks_embedded: int = 0
    chunks_removed: int = 0
    chunks_reused: int = 0
    labels_embedded: int = 0  # distinct titles and section headings
    articles: int = 0
    chunks: int = 0
    seconds: float = 0.0
    generation: str = ""
    full: bool = False

    def warning_lines(self) -> list[str]:
        """Everything a user should read: files skipped, then articles read with a problem."""
        return self.skipped + self.warnings

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.renamed)

    def to_json(self) -> dict:
        out = asdict(self)
        out["renamed"] = [{"from": a, "to": b} for a, b in self.renamed]
        out["seconds"] = round(self.seconds, 3)
        return out

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{len(self.renamed)} renamed, {self.unchanged} unchanged; "
                f"{self.chunks_embedded} passages embedded, {self.chunks_removed} removed, "
                f"{self.chunks_reused} reused; {self.articles} articles, {self.chunks} passages "
                f"in {self.seconds:.2f}s")


@dataclass
class _Scan:
    """What is on disk now: id -> (hash, path)."""

    files: dict[str, tuple[str, Path]]
    unreadable: dict[str, str]  # id -> warning
    indexed: set[str]  # what the live generation holds (also read for a full rebuild)


def update_index(settings: Settings, embedder: Embedder, full: bool = False,
                 progress: Progress | None = None, wait: float = -1) -> IndexReport:
    if settings.corpus.exists() and not settings.corpus.is_dir():
        raise CorpusMissing(f"The corpus path {settings.corpus} is a file, not a folder; give the corpus folder "
                            "(--corpus or RETRIEVAL_CORPUS).")
    if not settings.corpus.is_dir():
        raise CorpusMissing(f"Corpus folder {settings.corpus}/ not found; create it and add .txt, .md or .html articles.")
    if not os.access(settings.corpus, os.R_OK | os.X_OK):
        raise CorpusMissing(f"Corpus folder {settings.corpus}/ cannot be read; check its permissions.")
    t0 = time.perf_counter()
    with gen.writer_lock(settings.index, wait):
        report = _update_locked(settings, embedder, full, progress)
    report.seconds = time.perf_counter() - t0
    return report


def _update_locked(settings, embedder, full, progress) -> IndexReport:
    report = IndexReport(full=full)
    old = None if full else _open_previous(settings)
    try:
        scan = _scan(settings, set(old.store.article_hashes()) if old else _indexed_before(settings))
        plan = _plan(scan, old, report)
        if old is not None and old.needs_reread:
            _reread_unchanged(scan, old, plan, report)
        parsed = _parse_all(settings, scan, plan, embedder, report)
        if full:  # what the rebuild leaves out of what was indexed counts as removed
            plan.removed = sorted(scan.indexed - set(parsed))
        if old is not None and not (parsed or plan.removed or plan.renamed or old.outdated):
            report.articles, report.chunks = old.store.counts()
            report.generation = old.folder.name
        else:
            _build(settings, embedder, old, parsed, plan, report, progress)
    finally:
        if old is not None:
            old.close()
    gen.sweep(settings.index)  # also when nothing changed: a crashed run may have left folders
    return report


def _open_previous(settings: Settings) -> Snapshot | None:
    """The live generation to update, or None for a first build."""
    if gen.read_pointer(settings.index) is None:
        return None
    return Snapshot.open(settings.index, settings, upgrade=True)


def _indexed_before(settings: Settings) -> set[str]:
    """The articles of the live generation, read leniently: ``--full`` is also the way out
    of a damaged index or a model change, and must not fail on either."""
    try:
        pointer = gen.read_pointer(settings.index)
        if pointer is None:
            return set()
        store = Store(settings.index / pointer["generation"] / gen.STORE, readonly=True)
        try:
            return set(store.article_hashes())
        finally:
            store.close()
    except (RetrievalError, sqlite3.Error, OSError):
        return set()


def _scan(settings: Settings, indexed: set[str]) -> _Scan:
    folders: dict[str, str] = {}
    paths = list_article_files(settings.corpus, folders)
    files, unreadable = {}, _unlisted(folders, indexed)
    for path in paths:
        doc_id = article_id(path, settings.corpus)
        problem = _name_problem(doc_id)
        if problem:  # the store, the citations and one-line warnings need a plain text name
            unreadable[doc_id] = problem
            continue
        try:
            data = read_article_file(path, doc_id, settings.max_article_bytes).data
            files[doc_id] = (content_hash(data), path)
        except FileNotFoundError:
            continue  # deleted since it was listed
        except BadArticle as err:
            unreadable[doc_id] = str(err)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the run
            unreadable[doc_id] = _failure(doc_id, err)
    return _Scan(files, unreadable, indexed)


def _unlisted(folders: dict[str, str], indexed: set[str]) -> dict[str, str]:
    """Warnings for folders that cannot be listed; the articles indexed from them are kept
    (a permission slip must not empty the index)."""
    out = {}
    for folder, why in sorted(folders.items()):
        inside = sorted(d for d in indexed if d.startswith(folder.rstrip("/") + "/"))
        problem = f"the folder {folder}/ cannot be read ({why}); check its permissions."
        out.update({d: f"{d}: {problem}" for d in inside} or {f"{folder}/": problem[0].upper() + problem[1:]})
    return out


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _name_problem(doc_id: str) -> str:
    """A warning if the file name cannot name an article: not UTF-8, or a control character
    in it (a line break would split every message that names it)."""
    try:
        doc_id.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(doc_id).decode("utf-8", "backslashreplace")
        return f"{shown}: the file name is not valid UTF-8; rename the file."
    if _CONTROL.search(doc_id):
        shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", doc_id)
        return f"{shown}: the file name has a control character (a line break or tab); rename the file."
    return ""


@dataclass
class _Plan:
    to_parse: list[str]  # new or changed ids
    removed: list[str]
    renamed: list[tuple[str, str]]


def _plan(scan: _Scan, old: Snapshot | None, report: IndexReport) -> _Plan:
    before = old.store.article_hashes() if old else {}
    now = {doc: h for doc, (h, _) in scan.files.items()}
    gone = [d for d in before if d not in now and d not in scan.unreadable]
    fresh = [d for d in now if d not in before]
    by_hash = {}  # a rename keeps the bytes and the file type (another type parses differently)
    for d in gone:
        by_hash.setdefault((before[d], _suffix(d)), []).append(d)
    renamed = []
    for d in list(fresh):
        candidates = by_hash.get((now[d], _suffix(d)))
        if candidates:
            renamed.append((candidates.pop(), d))
            fresh.remove(d)
    renamed_from = {a for a, _ in renamed}
    removed = [d for d in gone if d not in renamed_from]
    changed = [d for d in now if d in before and before[d] != now[d]]
    report.unchanged = sum(1 for d in now if before.get(d) == now[d])
    for doc_id, message in scan.unreadable.items():
        _skip(report, message, doc_id, scan.indexed)
    return _Plan(sorted(fresh) + sorted(changed), sorted(removed), renamed)


def _skip(report: IndexReport, message: str, doc_id: str, indexed: set[str]) -> None:
    """Warn about a file that is not indexed now, saying what becomes of its indexed version."""
    if doc_id in indexed and report.full:
        message += " `index --full` drops its indexed version."
    elif doc_id in indexed:
        message += " The indexed version is kept."
        report.unchanged += 1
    report.skipped.append(message)


def _reread_unchanged(scan: _Scan, old: Snapshot, plan: _Plan, report: IndexReport) -> None:
    """Parse unchanged articles again too (their vectors are reused), so an older index gains dates and pages."""
    before = old.store.article_hashes()
    again = sorted(d for d, (h, _) in scan.files.items() if before.get(d) == h)
    plan.to_parse.extend(again)
    report.unchanged -= len(again)


def _suffix(doc_id: str) -> str:
    return Path(doc_id).suffix.lower()


def _parse_all(settings, scan, plan, embedder, report) -> dict[str, tuple[Article, list[Chunk], int, float]]:
    parsed = {}
    for doc_id in plan.to_parse:
        try:
            parsed[doc_id] = _parse_one(settings, embedder, doc_id, scan.files[doc_id][1])
        except FileNotFoundError:  # deleted while this run read it: treated as deleted
            if doc_id in scan.indexed and not report.full:
                plan.removed = sorted(plan.removed + [doc_id])
            continue
        except BadArticle as err:
            _skip(report, str(err), doc_id, scan.indexed)
            continue
        except Exception as err:  # noqa: BLE001 - one bad file never stops the run
            _skip(report, _failure(doc_id, err), doc_id, scan.indexed)
            continue
        report.warnings.extend(parsed[doc_id][0].warnings)
    return parsed


def _parse_one(settings, embedder, doc_id: str, path: Path) -> tuple[Article, list[Chunk], int, float]:
    """Read, parse and chunk one file; size and time are those of the bytes that were read."""
    file = read_article_file(path, doc_id, settings.max_article_bytes)
    article = read_article(file.data, doc_id, path.suffix, settings.max_article_bytes)
    chunks = chunk_article(article, embedder, settings.chunk_tokens, settings.max_passage_chars)
    return article, chunks, file.size, file.mtime


def _failure(doc_id: str, err: Exception) -> str:
    """One warning line for an unexpected failure on one file."""
    if isinstance(err, RecursionError):
        return f"{doc_id}: the article is nested too deeply to read; simplify its structure."
    if isinstance(err, MemoryError):
        return f"{doc_id}: the article needs more memory to read than there is; split it."
    detail = " ".join(str(err).split())[:200]
    return f"{doc_id}: could not be read ({type(err).__name__}{': ' + detail if detail else ''}); skipped."


def _build(settings, embedder, old, parsed, plan, report, progress) -> None:
    settings.index.mkdir(parents=True, exist_ok=True)
    gen.sweep(settings.index)
    folder = gen.new_generation(settings.index)
    store = old.store.copy_to(folder / gen.STORE) if old else _new_store(folder)
    vectors = old.vectors if old else VectorIndex.create(embedder.dim)
    try:
        store.migrate()
        _apply(store, vectors, old, parsed, plan, report, embedder, progress)
        _embed_labels(store, embedder, report)
        vectors = _fit_vectors(store, vectors)
        if progress:
            progress("lexical", 0, 1)
        previous = old.lexical if old is not None and not old.outdated else None
        LexicalIndex.build(store.chunk_ids(), store.chunk_texts, previous).save(folder / gen.LEXICAL)
        vectors.save(folder / gen.VECTORS)
        report.articles, report.chunks = store.counts()
        store.set_manifest(Manifest(**model_identity(settings), dim=vectors.dim, schema=store.version,
                                    lexical=LEXICAL_SIGNATURE, generation=folder.name, faiss=vectors.kind,
                                    built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                    articles=report.articles, chunks=report.chunks))
        store.commit()
    finally:
        store.close()
    gen.publish(settings.index, folder)
    report.generation = folder.name


def _embed_labels(store: Store, embedder: Embedder, report: IndexReport) -> None:
    """Embed titles and section headings not seen before (each distinct text once)."""
    missing = store.missing_labels()
    vectors = embedder.encode(missing) if missing else np.zeros((0, 0), np.float32)  # no model load
    store.put_labels(missing, vectors)
    report.labels_embedded = len(missing)


def _fit_vectors(store: Store, vectors: VectorIndex) -> VectorIndex:
    """Exact search below a measured size, IVF above it (see vectors.py). The embedded
    titles and headings calibrate IVF's nprobe: they behave like real questions."""
    if not vectors.needs_refit():
        return vectors
    labels = store.label_vectors()
    queries = np.array(list(labels.values()), np.float32) if labels else None
    return vectors.fit_to_size(queries=queries)


def _new_store(folder: Path) -> Store:
    store = Store(folder / gen.STORE, readonly=False)
    store.migrate()
    return store


def _apply(store, vectors, old, parsed, plan, report, embedder, progress) -> None:
    before = old.store.article_hashes() if old else {}
    # 1. Vectors that can be reused, read before anything is removed.
    wanted = {c.hash for _, chunks, _, _ in parsed.values() for c in chunks}
    reuse_ids = old.store.chunk_ids_by_hash(wanted) if old else {}
    reused = dict(zip(reuse_ids, vectors.reconstruct(list(reuse_ids.values())))) if reuse_ids else {}
    # 2. Renames keep their rows and vectors.
    for src, dst in plan.renamed:
        store.rename_article(src, dst)
        report.renamed.append((src, dst))
    # 3. Removed and replaced articles drop their passages.
    for doc_id in plan.removed:
        report.chunks_removed += _drop(store, vectors, doc_id, keep=set())
        report.removed.append(doc_id)
    for doc_id, (article, chunks, _, _) in parsed.items():
        if doc_id in before:
            report.chunks_removed += _drop(store, vectors, doc_id, keep={c.hash for c in chunks})
            report.updated.append(doc_id)
        else:
            report.added.append(doc_id)
    # 4. Embed what is new, then insert every passage of the parsed articles.
    todo = list({c.hash: c for _, chunks, _, _ in parsed.values() for c in chunks if c.hash not in reused}.values())
    total = len(todo)
    done = [0]

    def tick(n):
        done[0] += n
        if progress:
            progress("embed", done[0], total)

    if progress:
        progress("embed", 0, total)
    fresh = dict(zip((c.hash for c in todo), embedder.encode([c.embed_text for c in todo], tick))) if todo else {}
    report.chunks_embedded = len(todo)
    next_id = store.next_chunk_id()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for doc_id, (article, chunks, size, mtime) in parsed.items():
        store.put_article(article, size, mtime, indexed_at=now)
        rows = [(next_id + i, c) for i, c in enumerate(chunks)]
        next_id += len(chunks)
        store.put_chunks(rows)
        vecs = np.vstack([reused.get(c.hash, fresh.get(c.hash)) for c in chunks]) if chunks else np.zeros((0, vectors.dim))
        vectors.add(np.array([cid for cid, _ in rows], dtype=np.int64), vecs)
        report.chunks_reused += sum(1 for c in chunks if c.hash in reused)


def _drop(store, vectors, doc_id, keep: set[str]) -> int:
    """Remove an article's passages; return how many had text that is now gone."""
    old_rows = store.article_chunks(doc_id)
    ids = store.delete_article(doc_id)
    vectors.remove(ids)
    return sum(1 for _, h in old_rows if h not in keep)
