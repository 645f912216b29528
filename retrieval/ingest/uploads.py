"""Saving uploaded articles into the corpus safely.

File names are reduced to a plain base name (no folders, no ``..``, no hidden
files, no odd characters), the type must be an article type, the content must
parse as that type (UTF-8 text, or a PDF with a text layer) under the size limit,
and an existing article is never overwritten unless the caller says so. Removal
deletes only an article file inside the corpus, named by its id.
"""
from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path, PurePosixPath

from ..errors import ArticleNotFound, BadArticle, BadUpload
from ..settings import Settings
from .loaders import KINDS, SUFFIXES, read_article

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """A safe base name for ``name``, or BadUpload."""
    base = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()  # "é" -> "e"
    base = _SAFE.sub("-", base.replace("\\", "/").split("/")[-1]).strip("-._ ")
    stem, dot, suffix = base.rpartition(".")
    stem = stem.strip("-._ ")
    if not dot or not stem:
        raise BadUpload(f"{name!r}: the file name needs letters or digits and a {KINDS} extension.")
    suffix = "." + suffix.lower()
    if suffix not in SUFFIXES:
        raise BadUpload(f"{name!r}: only {KINDS} articles can be added.")
    return f"{stem[:120]}{suffix}"


def save_upload(corpus: Path, name: str, data: bytes, overwrite: bool = False,
                max_bytes: int = Settings.max_article_bytes) -> Path:
    """Check and write an uploaded article into ``corpus``; return its path."""
    filename = safe_filename(name)
    if len(data) > max_bytes:
        raise BadUpload(f"{filename}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB upload limit.")
    try:
        read_article(data, filename, Path(filename).suffix, max_bytes)
    except BadArticle as err:
        raise BadUpload(str(err)) from None
    corpus.mkdir(parents=True, exist_ok=True)
    target = corpus / filename
    if target.resolve().parent != corpus.resolve():
        raise BadUpload(f"{name!r}: not a plain file name.")
    exists = BadUpload(f"{filename} already exists in the corpus; rename the file or choose to replace it.")
    if target.exists() and not overwrite:
        raise exists
    tmp = corpus / f".{filename}.{secrets.token_hex(4)}.part"  # hidden: never indexed
    try:
        with open(tmp, "xb") as f:
            f.write(data)
        if overwrite:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # atomic: fails if another upload took the name meanwhile
    except FileExistsError:
        raise exists from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def remove_from_corpus(corpus: Path, doc_id: str) -> Path:
    """Delete the article file ``doc_id`` (its path relative to ``corpus``, as in ``Article.id``).

    Only an article file inside the corpus is deleted: an id that is absolute, climbs
    out (``..``), names a hidden file, another type, or leads outside through a
    linked folder raises ``ArticleNotFound``, as does a file that is not there.
    Returns the deleted path.
    """
    missing = ArticleNotFound(f"{doc_id}: no such article in the corpus; refresh the list of articles.")
    rel = PurePosixPath(str(doc_id))
    if (not doc_id or rel.as_posix() != doc_id or rel.is_absolute() or rel.suffix.lower() not in SUFFIXES
            or any(part == ".." or part.startswith(".") for part in rel.parts)):
        raise missing
    path = corpus.joinpath(*rel.parts)
    try:
        if not (path.parent.resolve().is_relative_to(corpus.resolve()) and path.is_file()):
            raise missing
        path.unlink()  # a linked file: the link goes, its target stays
    except FileNotFoundError:
        raise missing from None
    except OSError as err:
        raise BadUpload(f"{doc_id}: cannot be removed ({err.strerror}); check the corpus folder's permissions.") from None
    return path
