"""The question log: rows and feedback, the editors' backlog (declined most often, rated
down, CSV export), nothing written when it is off, many threads at once, and the CLI."""
from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from fakes import FakeEmbedder, cli_env, fake_settings, topic_article
from retrieval import Engine, Settings, cli
from retrieval.errors import QuestionLogError
from retrieval.serve.questionlog import QuestionLog


@pytest.fixture
def log(tmp_path) -> QuestionLog:
    return QuestionLog(tmp_path / "questions.sqlite")


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_record_and_feedback(log):
    first = log.record("can tight hamstrings cause it band pain", [], ["tight.txt#0"], declined=False)
    second = log.record("and what stretches help", ["can tight hamstrings cause it band pain"],
                        ["tight.txt#900", "foot.txt#10"], declined=False)
    assert (first, second) == (1, 2)
    log.feedback(second, -1, "  she wanted the stretches not the causes ")
    log.feedback(first, 1)
    rows = {r.id: r for r in log.rows()}
    assert rows[2].history == ["can tight hamstrings cause it band pain"]
    assert rows[2].hits == ["tight.txt#900", "foot.txt#10"]
    assert (rows[2].score, rows[2].comment) == (-1, "she wanted the stretches not the causes")
    assert (rows[1].score, rows[1].declined, rows[1].comment) == (1, False, "")
    log.feedback(first, -1)  # a changed mind replaces the rating
    assert [r.id for r in log.thumbs_down()] == [2, 1]
    with pytest.raises(ValueError):
        log.feedback(first, 0)


def test_declined_most_often_ignores_case_spaces_and_end_punctuation(log):
    for q in ["is pizza healthy", "Is pizza  healthy?", "how tall is everest", "is pizza healthy",
              "can i run with a cold", "how tall is everest"]:
        log.record(q, [], [], declined=True)
    log.record("is pizza healthy", [], ["a.txt#0"], declined=False)  # answered: not in the backlog
    assert log.declined_top(2) == [("is pizza healthy", 3), ("how tall is everest", 2)]
    assert log.declined_top(10)[-1] == ("can i run with a cold", 1)


def test_thumbs_down_appears_in_the_csv_export(log, tmp_path):
    good = log.record("what is the it band", [], ["foot.txt#0"], declined=False)
    bad = log.record("how do i foam roll my it band", [], ["foot.txt#500"], declined=False)
    log.record("where is the it band", [], ["foot.txt#0"], declined=False)  # no feedback, answered
    declined = log.record("=HYPERLINK(\"http://x\") is pizza healthy", [], [], declined=True)
    log.feedback(good, 1)
    log.feedback(bad, -1, "the answer never says how long to roll")
    out = tmp_path / "backlog.csv"
    assert log.export_csv(out) == 3
    rows = read_csv(out)
    assert [int(r["id"]) for r in rows] == [good, bad, declined]
    assert rows[1]["question"] == "how do i foam roll my it band"
    assert (rows[1]["score"], rows[1]["comment"], rows[1]["hits"]) == ("-1", "the answer never says how long to roll",
                                                                      '["foot.txt#500"]')
    assert rows[2]["declined"] == "1" and rows[2]["score"] == ""
    assert rows[2]["question"].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it


def test_nothing_is_written_when_the_log_is_off(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for value in ("off", "", "OFF "):
        monkeypatch.setenv("RETRIEVAL_QUESTION_LOG", value)
        off = QuestionLog.from_settings(Settings.from_env())
        assert not off.enabled
        assert off.record("is pizza healthy", [], [], declined=True) is None
        off.feedback(None, -1, "bad")
        assert off.declined_top() == [] and off.thumbs_down() == []
        with pytest.raises(QuestionLogError, match="The question log is off"):
            off.export_csv(tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


def test_settings_turn_the_log_on_at_a_path(tmp_path, monkeypatch):
    monkeypatch.setenv("RETRIEVAL_QUESTION_LOG", str(tmp_path / "logs" / "q.sqlite"))
    log = QuestionLog.from_settings(Settings.from_env())
    assert not (tmp_path / "logs").exists()  # opening creates nothing
    log.record("what is the it band", [], [], declined=False)
    assert (tmp_path / "logs" / "q.sqlite").is_file()
    monkeypatch.delenv("RETRIEVAL_QUESTION_LOG")
    assert Settings.from_env().question_log == Path("questions.sqlite")
    assert Settings.from_env(question_log=Path("off")).question_log is None


def test_many_threads_log_at_once(log):
    def ask(n):
        for k in range(20):
            row = log.record(f"question {n} {k}", [], [f"doc{n}.txt#{k}"], declined=k % 2 == 0)
            log.feedback(row, -1 if k % 3 == 0 else 1)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = log.rows()
    assert len(rows) == 160 and len({r.id for r in rows}) == 160
    assert len(log.thumbs_down()) == 8 * 7 and all(r.score is not None for r in rows)


def test_schema_version_is_recorded(log):
    log.record("what is the it band", [], [], declined=False)
    with sqlite3.connect(log.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


# --- the command line ------------------------------------------------------------------

def test_cli_exports_the_log(tmp_path, capsys):
    path = tmp_path / "q.sqlite"
    log = QuestionLog(path)
    log.feedback(log.record("how do i foam roll my it band", [], ["foot.txt#500"], declined=False), -1, "too vague")
    out = tmp_path / "out.csv"
    assert cli.main(["log", "--log", str(path), "--export", str(out)]) == 0
    assert capsys.readouterr().out == f"1 questions written to {out}\n"
    assert read_csv(out)[0]["comment"] == "too vague"
    assert cli.main(["log", "--log", str(path)]) == 0
    assert "how do i foam roll my it band  (too vague)" in capsys.readouterr().out


@pytest.mark.parametrize("env, message", [
    ("off", "error: The question log is off; set RETRIEVAL_QUESTION_LOG to a file to collect questions.\n"),
    ("missing.sqlite", "error: No question log at missing.sqlite; it is written once readers ask in the chat "
                       "(or give --log FILE).\n"),
])
def test_cli_log_off_or_missing_is_one_line(tmp_path, env, message):
    run = subprocess.run([sys.executable, "-m", "retrieval", "log", "--export", str(tmp_path / "x.csv")],
                         cwd=tmp_path, env=cli_env(RETRIEVAL_QUESTION_LOG=env), capture_output=True, text=True)
    assert (run.returncode, run.stderr, run.stdout) == (2, message, "")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_to_an_unwritable_place(tmp_path, capsys):
    log = QuestionLog(tmp_path / "q.sqlite")
    log.record("is pizza healthy", [], [], declined=True)
    code = cli.main(["log", "--log", str(log.path), "--export", str(tmp_path / "no" / "such" / "dir.csv")])
    assert code == 2 and capsys.readouterr().err.startswith("error: Cannot write ")


def test_the_engine_answer_fills_a_row(tmp_path, log):
    """How the app logs: the question, the hits' ids, whether it declined."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hip.txt").write_text(topic_article("hip"))
    engine = Engine(fake_settings(corpus, tmp_path / "index"), embedder=FakeEmbedder())
    engine.index()
    reply = engine.ask("hip1 details")
    row = log.record(reply.question, [], [f"{h.doc}#{h.start}" for h in reply.hits], reply.abstained)
    assert log.rows()[0].hits[0].startswith("hip.txt#") and log.rows()[0].id == row


def test_a_log_that_cannot_be_written_is_one_typed_error(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the log's folder should be")
    log = QuestionLog(tmp_path / "not-a-folder" / "q.sqlite")
    with pytest.raises(QuestionLogError, match="Cannot write the question log .*RETRIEVAL_QUESTION_LOG=off"):
        log.record("is pizza healthy", [], [], declined=True)
    damaged = QuestionLog(tmp_path / "damaged.sqlite")
    damaged.path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(QuestionLogError):
        damaged.feedback(1, -1)
    with pytest.raises(QuestionLogError, match="Cannot read the question log"):
        damaged.thumbs_down()
