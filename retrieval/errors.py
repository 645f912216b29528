"""What can go wrong, as typed errors.

The core raises these; the edges (CLI, app) turn them into one friendly line.
Every message says what is wrong and what to do about it.
"""
from __future__ import annotations


class RetrievalError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is the one-line message."""

    exit_code = 1


class BadQuestion(RetrievalError):
    exit_code = 2


class CorpusMissing(RetrievalError):
    exit_code = 2


class IndexMissing(RetrievalError):
    exit_code = 2


class IndexUnusable(RetrievalError):
    """The index path cannot hold an index: a file is in the way, or it cannot be read or written."""

    exit_code = 2


class IndexCorrupt(RetrievalError):
    """The index on disk is damaged or unreadable. Give the problem; the remedy is added."""

    exit_code = 3
    remedy = "run `python -m retrieval index --full`"

    def __init__(self, problem: str):
        super().__init__(f"{problem.rstrip('.; ')}; {self.remedy}.")


class IndexOutdated(IndexCorrupt):
    """Written by an older version of this program: an incremental ``index`` upgrades it."""

    remedy = "run `python -m retrieval index` to upgrade it (nothing is re-embedded)"


class SettingsMismatch(RetrievalError):
    """The index was built with another model or chunker than the one asked for."""

    exit_code = 5  # its own code: `make index` rebuilds from scratch on it
    remedy = "run `python -m retrieval index --full` to rebuild it"

    def __init__(self, problem: str):
        super().__init__(f"{problem.rstrip('.; ')}; {self.remedy}.")


class BadArticle(RetrievalError):
    """An article that cannot be read as text (binary, not UTF-8, empty, too big)."""

    exit_code = 2


class BadUpload(RetrievalError):
    exit_code = 2


class ArticleNotFound(RetrievalError):
    """No article of that id in the index or the corpus (removed, renamed, or a mistyped link)."""

    exit_code = 2


class QuestionLogError(RetrievalError):
    """The question log is turned off, not written yet, or its export cannot be written."""

    exit_code = 2


class IndexBusy(RetrievalError):
    """Another process holds the index writer lock."""

    exit_code = 4


class ModelUnavailable(RetrievalError):
    exit_code = 2


class NotAllowed(RetrievalError):
    """A change to the articles by someone who is not an admin (see serve/roles.py)."""

    exit_code = 2


class RequestTooLarge(RetrievalError):
    """An HTTP request body over its limit (``Settings.max_request_bytes``)."""

    exit_code = 2


class BadSettingsFile(RetrievalError):
    """A settings file (e.g. the urgent-care wording) that cannot be read or lacks a value."""

    exit_code = 2
