"""On-disk layout of the index: immutable generations and an atomic pointer.

    index/
      CURRENT        JSON: which generation is live, with file sizes and checksums
      writer.lock    held by the one process that is indexing
      g000007/       store.sqlite, vectors.faiss, lexical/

A writer builds a complete new generation folder, flushes it to disk, then
replaces CURRENT with ``os.replace`` (atomic). Readers read CURRENT once and open
that folder, so they see the old generation or the new one, never a mix. A crash
at any moment leaves CURRENT pointing at the last complete generation; unfinished
folders are swept by the next writer. The previous generation is kept, so a
reader that just read CURRENT can still open it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import IndexBusy, IndexCorrupt, IndexMissing, IndexUnusable

POINTER = "CURRENT"
LOCK = "writer.lock"
STORE = "store.sqlite"
VECTORS = "vectors.faiss"
LEXICAL = "lexical"
_GEN = re.compile(r"^g(\d{6})$")
CHECKSUM_LIMIT = 256 * 1024 * 1024  # larger files are checked by size only


def unusable(index_dir: Path, err: OSError) -> IndexUnusable:
    """The one-line error for an index path the system refuses."""
    if isinstance(err, (NotADirectoryError, FileExistsError)):
        return IndexUnusable(f"The index path {index_dir} is not a folder (a file is in the way); "
                             "give the index a folder of its own (--index or RETRIEVAL_INDEX).")
    return IndexUnusable(f"The index folder {index_dir} cannot be used ({err.strerror or err}); "
                         "give the index a folder you can read and write (--index or RETRIEVAL_INDEX).")


def read_pointer(index_dir: Path) -> dict | None:
    try:
        raw = (index_dir / POINTER).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise unusable(index_dir, err) from None
    try:
        pointer = json.loads(raw.decode("utf-8"))
        if not _GEN.match(pointer["generation"]) or not isinstance(pointer.get("files", {}), dict):
            raise ValueError("not a generation pointer")
        return pointer
    except (ValueError, KeyError, TypeError, AttributeError):
        raise IndexCorrupt(f"{index_dir / POINTER} is damaged") from None


def current_dir(index_dir: Path, pointer: dict | None = None) -> Path:
    """The live generation folder, checked against the pointer's sizes and checksums."""
    pointer = pointer or read_pointer(index_dir)
    if pointer is None:
        raise IndexMissing(f"No index found in {index_dir}/; run `python -m retrieval index` first.")
    folder = index_dir / pointer["generation"]
    if not folder.is_dir():
        raise IndexCorrupt(f"The live index folder {folder} is missing")
    verify(folder, pointer.get("files", {}))
    return folder


def verify(folder: Path, files: dict) -> None:
    for name, expected in files.items():
        path = folder / name
        if not path.exists():
            raise IndexCorrupt(f"Index file {path} is missing")
        size = path.stat().st_size
        if not _matches(path, size, expected):
            raise IndexCorrupt(f"Index file {path} is damaged or truncated")


def _matches(path: Path, size: int, expected) -> bool:
    try:
        return size == expected["size"] and (size > CHECKSUM_LIMIT or file_sha256(path) == expected["sha256"])
    except (KeyError, TypeError):
        return False


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def generation_token(index_dir: Path) -> str | None:
    """A cheap token that changes whenever a new generation is published."""
    try:
        stat = (index_dir / POINTER).stat()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise unusable(index_dir, err) from None
    return f"{stat.st_mtime_ns}:{stat.st_size}:{stat.st_ino}"


@contextmanager
def writer_lock(index_dir: Path, wait: float = -1):
    """Hold the single-writer lock; ``wait`` seconds (-1: forever, 0: fail at once)."""
    lock = FileLock(str(index_dir / LOCK))
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=wait)
    except Timeout:
        raise IndexBusy(f"Another indexing run holds {index_dir / LOCK}; wait for it to finish and try again.") from None
    except OSError as err:
        raise unusable(index_dir, err) from None
    try:
        yield
    finally:
        lock.release()


def new_generation(index_dir: Path) -> Path:
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name))]
    folder = index_dir / f"g{max(numbers, default=0) + 1:06d}"
    folder.mkdir()
    return folder


def publish(index_dir: Path, folder: Path) -> None:
    """Make ``folder`` the live generation, atomically and durably."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        _fsync(path)
        rel = path.relative_to(folder).as_posix()
        files[rel] = {"size": path.stat().st_size, "sha256": file_sha256(path) if path.stat().st_size <= CHECKSUM_LIMIT else ""}
    for d in {p.parent for p in folder.rglob("*")} | {folder}:
        _fsync_dir(d)
    tmp = index_dir / (POINTER + ".tmp")
    tmp.write_text(json.dumps({"generation": folder.name, "files": files}, indent=1), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, index_dir / POINTER)
    _fsync_dir(index_dir)


def sweep(index_dir: Path, keep: int = 2) -> None:
    """Remove unfinished folders and all but the newest ``keep`` published generations.

    Call only while holding the writer lock.
    """
    try:
        pointer = read_pointer(index_dir)
    except IndexCorrupt:  # only a full rebuild gets here with a damaged pointer: it replaces everything
        pointer = None
    live = pointer["generation"] if pointer else None
    gens = sorted(p for p in index_dir.iterdir() if _GEN.match(p.name))
    if live is None:
        doomed = gens
    else:
        older = [p for p in gens if p.name < live]
        doomed = [p for p in gens if p.name > live] + older[: max(0, len(older) - (keep - 1))]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync(path)
    except OSError:
        pass
