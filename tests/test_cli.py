"""The command line over the seed corpus and the real model: exact error lines and
exit codes, output formats, and the answer to the seed question.

The commands run in this process through ``cli.main``'s public seam (an engine factory
on the session's loaded model); one smoke test runs ``python -m retrieval`` for real."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
import shutil
import subprocess
import sys

import pytest

from fakes import HAMSTRINGS, cli_env
from retrieval import cli
from retrieval.engine import Engine

QUESTION = "can tight hamstrings cause IT band pain"
HIT_KEYS = {"doc", "title", "section", "text", "start", "end", "score", "source"}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(real_embedder, capsys):
    """run(*argv) -> Result: the CLI in this process, on the real model loaded once."""
    def call(*args: str) -> Result:
        code = cli.main(list(args), engine_factory=lambda settings: Engine(settings, embedder=real_embedder))
        out = capsys.readouterr()
        return Result(code, out.out, out.err)
    return call


def smoke(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "retrieval", *args], env=cli_env(), capture_output=True,
                          text=True, timeout=timeout)


def paths(settings) -> list[str]:
    return ["--corpus", str(settings.corpus), "--index", str(settings.index)]


@pytest.mark.parametrize("question", ["", "   \t "])
def test_empty_question(seed_index, question, run):
    out = run("ask", question, *paths(seed_index))
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == "error: The question is empty; type a question about the articles.\n"


def test_missing_index(tmp_path, run):
    (tmp_path / "corpus").mkdir()
    out = run("ask", "knees", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "none"))
    assert out.returncode == 2
    assert out.stderr == f"error: No index found in {tmp_path / 'none'}/; run `python -m retrieval index` first.\n"


def test_missing_corpus(tmp_path, run):
    out = run("index", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert out.returncode == 2
    assert out.stderr == (f"error: Corpus folder {tmp_path / 'nope'}/ not found; "
                          "create it and add .txt, .md or .html articles.\n")


def test_damaged_index(seed_index, tmp_path, run):
    index = tmp_path / "index"
    shutil.copytree(seed_index.index, index)
    vectors = index / "g000001" / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:100])
    out = run("ask", "knees", "--corpus", str(seed_index.corpus), "--index", str(index))
    assert out.returncode == 3
    assert out.stderr == f"error: Index file {vectors} is damaged or truncated; run `python -m retrieval index --full`.\n"


def test_other_model_than_the_index_was_built_with(seed_index, run):
    out = run("stats", "--model", "other-model", *paths(seed_index))
    assert out.returncode == 5
    assert out.stderr == ("error: The index was built with model 'all-MiniLM-L6-v2' but 'other-model' is configured; "
                          "run `python -m retrieval index --full` to rebuild it.\n")


def test_unreadable_batch_file(seed_index, tmp_path, run):
    out = run("search", "--batch", str(tmp_path / "none.jsonl"), *paths(seed_index))
    assert out.returncode == 2
    assert out.stderr.startswith(f"error: Cannot read batch file {tmp_path / 'none.jsonl'} (")
    assert out.stderr.endswith("); give a UTF-8 JSONL file.\n") and out.stderr.count("\n") == 1


def test_index_json_and_summary(seed_index, run):
    out = run("index", "--json", *paths(seed_index))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"added", "updated", "removed", "renamed", "unchanged", "skipped", "warnings", "chunks_embedded",
                           "chunks_removed", "chunks_reused", "labels_embedded", "articles", "chunks", "seconds", "generation", "full"}
    assert report["articles"] == 2 and report["unchanged"] == 2 and report["chunks_embedded"] == 0
    assert report["generation"] == "g000001" and report["full"] is False
    out = run("index", *paths(seed_index))
    assert re.fullmatch(r"0 added, 0 updated, 0 removed, 0 renamed, 2 unchanged; 0 passages embedded, "
                        r"0 removed, 0 reused; 2 articles, \d+ passages in \d+\.\d\ds\n", out.stdout)


def test_stats_json(seed_index, run):
    out = run("stats", "--json", *paths(seed_index))
    assert out.returncode == 0, out.stderr
    stats = json.loads(out.stdout)
    assert stats["articles"] == 2 and stats["passages"] > 20
    assert stats["model"] == "all-MiniLM-L6-v2" and stats["generation"] == "g000001"


def test_seed_question_cites_the_hamstrings_article_first(seed_index):
    """The smoke test: `python -m retrieval` in a process of its own."""
    out = smoke("ask", QUESTION, *paths(seed_index))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Answer: ") and "[1]" in lines[0]
    first = lines.index(next(line for line in lines if line.startswith("[1] ")))
    assert re.fullmatch(rf"    {re.escape(HAMSTRINGS)}, characters \d+-\d+", lines[first + 1])


def test_search_batch_format(seed_index, tmp_path, run):
    batch = tmp_path / "questions.jsonl"
    items = [
        {"id": 1, "question": QUESTION},
        {"id": "two", "question": "how does the IT band cause foot pain?"},
        {"id": 3, "question": "   "},
        "not json",
        {"id": 5, "question": "tight hamstrings " * 6000},  # 102 KB
        {"question": "what is the iliotibial band"},
        {"id": 7, "question": "what about treatment?", "history": [QUESTION]},
        {"id": 8, "question": "knees", "history": "not a list"},
    ]
    batch.write_text("\n".join(i if isinstance(i, str) else json.dumps(i) for i in items) + "\n\n")
    out = run("search", "--batch", str(batch), "--top-k", "3", *paths(seed_index))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, "two", 3, None, 5, None, 7, 8]
    for r in rows:
        assert {"id", "abstained", "answer", "hits"} <= set(r)
        for h in r["hits"]:
            assert set(h) == HIT_KEYS
            assert isinstance(h["start"], int) and h["end"] > h["start"] and isinstance(h["score"], float)
    assert rows[0]["hits"][0]["doc"] == HAMSTRINGS and not rows[0]["abstained"] and len(rows[0]["hits"]) == 3
    assert rows[1]["hits"][0]["doc"] == "it-band-foot-pain.txt"
    assert rows[2]["error"] == "The question is empty; type a question about the articles." and rows[2]["abstained"]
    assert rows[3]["error"] == "line 4 is not a JSON object"
    assert rows[4]["note"] == "The question was 101,999 characters; only the first 2,000 were used."
    assert rows[4]["hits"] and len(rows[4]["query"]) == 2000
    assert rows[5]["hits"]
    assert rows[6]["followup"] is True and QUESTION in rows[6]["query"]
    assert rows[7]["error"] == "line 8: history must be a list of earlier questions"


@pytest.fixture
def in_process(real_engine):
    """The CLI in this process, on the session's real engine (the model is loaded once)."""
    return lambda argv: cli.main(argv, engine_factory=lambda settings: real_engine)


def test_ask_a_100_kb_question(in_process, capsys):
    assert in_process(["ask", "hamstrings " * 10_000]) == 0
    out = capsys.readouterr().out
    assert out.startswith("note: The question was 109,999 characters; only the first 2,000 were used.\n")
    assert "[1] " in out


def test_ask_json(in_process, capsys):
    assert in_process(["ask", QUESTION, "--json", "--top-k", "2"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert {"abstained", "answer", "hits", "query", "followup", "confidence"} <= set(reply)
    assert reply["hits"][0]["doc"] == HAMSTRINGS and len(reply["hits"]) == 2
    assert reply["answer"] and not reply["abstained"]
