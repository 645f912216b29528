"""The question log: what readers asked, what they were shown, and what they thought of it.

One local SQLite file (``Settings.question_log``; ``None`` turns it off, and then
nothing is written and no file is created). Each row is one answered question:
the question, the earlier questions it was read with, the ids of the hits shown,
whether the assistant declined, and the reader's thumbs up or down with an
optional comment. Editors read it as their backlog: the questions declined most
often, and the answers rated down (``declined_top``, ``thumbs_down``,
``export_csv``; ``python -m retrieval log --export FILE``).

Every call opens its own connection, and writes take a lock, so the chat's many
sessions in one process can log at once; SQLite's file locking covers other
processes. The schema is versioned with ``PRAGMA user_version``.
"""
from __future__ import annotations

import csv
import json
import sqlite3
import threading
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..errors import QuestionLogError
from ..settings import Settings

SCHEMA_VERSION = 1
MIGRATIONS = {
    1: """
    CREATE TABLE IF NOT EXISTS questions (
        id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, question TEXT NOT NULL, norm TEXT NOT NULL,
        history TEXT NOT NULL, hits TEXT NOT NULL, declined INTEGER NOT NULL,
        score INTEGER, comment TEXT NOT NULL DEFAULT '', feedback_at TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS questions_declined ON questions(declined, norm);
    CREATE INDEX IF NOT EXISTS questions_score ON questions(score);
    """,
}
MAX_COMMENT_CHARS = 2_000  # a comment is a sentence or two; longer input is cut, not refused
BUSY_SECONDS = 10.0  # how long a write waits for another process holding the file
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs cells starting with these


@dataclass(frozen=True)
class LoggedQuestion:
    """One row of the log."""

    id: int
    asked_at: str  # ISO 8601, UTC
    question: str
    history: list[str]  # earlier questions of the conversation, oldest first
    hits: list[str]  # ids of the hits shown, best first
    declined: bool
    score: int | None  # +1 thumbs up, -1 thumbs down, None no feedback
    comment: str
    feedback_at: str


_COLUMNS = ", ".join(f.name for f in fields(LoggedQuestion))


class QuestionLog:
    """The log at ``path``; with ``path`` None it is off and every call does nothing."""

    def __init__(self, path: Path | None):
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "QuestionLog":
        return cls(settings.question_log)

    @property
    def enabled(self) -> bool:
        return self.path is not None

    # --- writing ---------------------------------------------------------------------
    def record(self, question: str, history: list[str], hit_ids: list[str], declined: bool) -> int | None:
        """Log one answered question; return its row id for ``feedback`` (None when the log is off).

        Raises ``QuestionLogError`` when the log cannot be written.
        """
        if not self.enabled:
            return None
        row = (_now(), question, _norm(question), json.dumps(list(history)), json.dumps(list(hit_ids)), int(declined))
        with self._write() as db:
            cur = db.execute("INSERT INTO questions (asked_at, question, norm, history, hits, declined) "
                             "VALUES (?,?,?,?,?,?)", row)
            return cur.lastrowid

    def feedback(self, row_id: int | None, score: int, comment: str = "") -> None:
        """Record the reader's thumbs up (+1) or down (-1) on row ``row_id``; a later call replaces it.

        Does nothing when the log is off or ``row_id`` is None. Raises ValueError for another score.
        """
        if score not in (1, -1):
            raise ValueError(f"feedback score must be +1 or -1, not {score!r}")
        if not self.enabled or row_id is None:
            return
        with self._write() as db:
            db.execute("UPDATE questions SET score=?, comment=?, feedback_at=? WHERE id=?",
                       (score, (comment or "").strip()[:MAX_COMMENT_CHARS], _now(), int(row_id)))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A connection for one write, under the lock, schema ensured, committed if no error.

        Raises ``QuestionLogError`` when the file cannot be written (a read-only folder, a
        damaged file, another process holding it past ``BUSY_SECONDS``).
        """
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with closing(sqlite3.connect(self.path, timeout=BUSY_SECONDS)) as db:
                    _migrate(db)
                    with db:  # commits, or rolls back on an error
                        yield db
            except (sqlite3.Error, OSError) as err:
                raise QuestionLogError(f"Cannot write the question log {self.path} ({err}); make its folder "
                                       "writable or set RETRIEVAL_QUESTION_LOG=off.") from None

    # --- reading ---------------------------------------------------------------------
    def declined_top(self, n: int = 20) -> list[tuple[str, int]]:
        """The ``n`` questions declined most often (told apart ignoring case, spaces and end
        punctuation), each in its latest wording with its count; the most frequent first."""
        sql = """SELECT question, COUNT(*) AS times, MAX(id) FROM questions WHERE declined = 1
                 GROUP BY norm ORDER BY times DESC, MAX(id) DESC LIMIT ?"""
        return [(q, count) for q, count, _ in self._read(sql, (int(n),))]

    def thumbs_down(self) -> list[LoggedQuestion]:
        """Every answer rated down, the latest first."""
        return self._rows("WHERE score = -1 ORDER BY id DESC")

    def rows(self) -> list[LoggedQuestion]:
        """Every logged question, oldest first."""
        return self._rows("ORDER BY id")

    def export_csv(self, path: Path) -> int:
        """Write the editors' backlog, every row with feedback or declined, as CSV to ``path``;
        return how many rows. Raises ``QuestionLogError`` when the log is off or missing, or
        ``path`` cannot be written."""
        self.require()
        rows = self._rows("WHERE score IS NOT NULL OR declined = 1 ORDER BY id")
        try:
            with open(path, "w", newline="", encoding="utf-8") as f:
                out = csv.writer(f)
                out.writerow([f.name for f in fields(LoggedQuestion)])
                out.writerows(_csv_row(r) for r in rows)
        except OSError as err:
            raise QuestionLogError(f"Cannot write {path} ({err.strerror}); choose another file.") from None
        return len(rows)

    def require(self) -> None:
        """Raise ``QuestionLogError`` when the log is off or nothing has been logged yet."""
        if not self.enabled:
            raise QuestionLogError("The question log is off; set RETRIEVAL_QUESTION_LOG to a file to collect "
                                   "questions.")
        if not self.path.exists():
            raise QuestionLogError(f"No question log at {self.path}; it is written once readers ask in the chat "
                                   "(or give --log FILE).")

    def _rows(self, where: str) -> list[LoggedQuestion]:
        return [_logged(row) for row in self._read(f"SELECT {_COLUMNS} FROM questions {where}")]

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of ``sql``; [] when the log is off or not written yet (nothing is created)."""
        if not self.enabled or not self.path.exists():
            return []
        uri = f"file:{self.path.resolve()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)) as db:
                if db.execute("PRAGMA user_version").fetchone()[0] < 1:
                    return []
                return db.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise QuestionLogError(f"Cannot read the question log {self.path} ({err}); move the damaged file "
                                   "away and a new log starts.") from None


def _migrate(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number in sorted(MIGRATIONS):
        if number > version:
            db.executescript(MIGRATIONS[number])  # idempotent: another process may have run it
            db.execute(f"PRAGMA user_version={number}")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _norm(question: str) -> str:
    return " ".join(question.casefold().split()).strip("?!.… ")


def _logged(row: tuple) -> LoggedQuestion:
    id_, asked, question, history, hits, declined, score, comment, feedback_at = row
    return LoggedQuestion(id_, asked, question, json.loads(history), json.loads(hits), bool(declined),
                          score, comment, feedback_at)


def _csv_row(row: LoggedQuestion) -> list:
    values = asdict(row)
    values.update(history=json.dumps(row.history), hits=json.dumps(row.hits), declined=int(row.declined),
                  score="" if row.score is None else row.score)
    return [_safe_cell(v) if isinstance(v, str) else v for v in values.values()]


def _safe_cell(text: str) -> str:
    """Free text as a spreadsheet shows it, never as a formula it runs."""
    return "'" + text if text.startswith(_FORMULA) else text
