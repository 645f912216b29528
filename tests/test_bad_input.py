"""Bad input never crashes, hangs or loses data: one regression test per defect of the
bad-input campaign (issue 19), numbered as there. Indexing runs on the fake embedder.

Time limits are generous (several times what the fixed code takes on a busy machine)
and far below what the defect took: each input is sized so the old code needed many
seconds or more.
"""
from __future__ import annotations

import json
import os
import time

import pytest

from fakes import FakeEmbedder, topic_article
from retrieval import cli, indexer
from retrieval.errors import BadArticle
from retrieval.ingest.chunking import chunk_article
from retrieval.ingest.loaders import decode, md_headings, parse
from retrieval.search.conversation import has_reference
from retrieval.settings import Settings


def docs(engine, question: str) -> list[str]:
    return [h.doc for h in engine.ask(question, top_k=5).hits]


class timed:
    """``with timed(2.0): ...`` fails if the block takes longer than that many seconds."""

    def __init__(self, limit: float):
        self.limit = limit

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        took = time.perf_counter() - self.t0
        assert exc[0] is not None or took < self.limit, f"took {took:.1f}s, over {self.limit}s"


MD = "# Knee pain\n\nRunners get sore knees after long runs.\n"


# --- 1. a file deleted while the index runs -----------------------------------------

def test_1_file_deleted_while_it_is_chunked_does_not_stop_the_run(engine, write, corpus, monkeypatch):
    write("alpha.txt", topic_article("alpha"))
    write("bravo.txt", topic_article("bravo"))
    real = indexer.chunk_article

    def chunk_then_delete(article, *args):
        if article.id == "alpha.txt":
            (corpus / "alpha.txt").unlink()  # an editor or rsync replaces the file meanwhile
        return real(article, *args)

    monkeypatch.setattr(indexer, "chunk_article", chunk_then_delete)
    r = engine.index()
    assert "bravo.txt" in r.added and r.skipped == []
    assert docs(engine, "bravo1 details")[0] == "bravo.txt"


def test_1_file_deleted_before_it_is_read_counts_as_deleted(engine, write, corpus, monkeypatch):
    write("alpha.txt", topic_article("alpha"))
    write("bravo.txt", topic_article("bravo"))
    engine.index()
    write("alpha.txt", topic_article("alpha").replace("alpha1", "changed"))
    write("charlie.txt", topic_article("charlie"))
    real = indexer._plan

    def plan_then_delete(*args):
        plan = real(*args)
        (corpus / "alpha.txt").unlink()  # gone between the scan and the parse
        return plan

    monkeypatch.setattr(indexer, "_plan", plan_then_delete)
    r = engine.index()
    assert (r.removed, r.added, r.skipped) == (["alpha.txt"], ["charlie.txt"], [])
    assert "alpha.txt" not in docs(engine, "alpha article alpha1 details")


# --- 2. a long run of blank lines ---------------------------------------------------

def test_2_parsing_is_linear_in_blank_lines():
    text = "Title line\n\nOne paragraph about knees.\n" + "\n" * 200_000 + "A last line.\n"
    with timed(3.0):  # was quadratic: 29 s for 40,000 blank lines
        a = parse(text, "blank.txt", ".txt")
    assert a.title == "Title line" and "A last line." in a.text[a.sections[-1].start:]


# --- 3, 4. front matter nested deep, or an alias bomb --------------------------------

def test_3_front_matter_nested_10000_deep_is_ignored_with_a_warning(engine, write):
    write("deep.md", "---\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n---\n" + MD)
    write("good.txt", topic_article("gamma"))
    r = engine.index()
    assert r.added == ["deep.md", "good.txt"] and r.skipped == []
    assert r.warnings == ["deep.md: the front matter is 20,007 characters, over the 16,384-character limit; "
                          "it was ignored."]
    assert engine.ask("sore knees long runs").hits[0].title == "Knee pain"


def test_3_front_matter_nested_deep_within_the_size_limit():
    a = parse("---\ntitle: " + "[" * 6_000 + "]" * 6_000 + "\n---\n" + MD, "deep.md", ".md")
    assert a.title == "Knee pain"
    assert a.warnings == ("deep.md: the front matter is not plain YAML; it was ignored.",)


def test_4_yaml_alias_bomb_is_refused_at_once():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    bomb = "---\n" + "\n".join(lines) + "\ntitle: *a9\n---\n" + MD
    with timed(2.0):  # was 64 s and 8.8 GB
        a = parse(bomb, "bomb.md", ".md")
    assert a.title == "Knee pain"
    assert a.warnings == ("bomb.md: the front matter is not plain YAML (line 2); it was ignored.",)


# --- 5. one NUL rule for the whole file ---------------------------------------------

def test_5_nul_after_the_first_8_kb_is_binary_too(engine, write):
    body = "Title\n\n" + "Runners stretch their calves. " * 400
    write("late-nul.txt", (body + "\x00 The sentence after the NUL.\n").encode())
    write("good.txt", topic_article("gamma"))
    r = engine.index()
    assert r.added == ["good.txt"]
    assert r.skipped == ["late-nul.txt: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html."]


# --- 6. the size check comes before any read ----------------------------------------

def test_6_a_4_gb_file_and_a_link_to_it_are_never_read(engine, write, corpus, tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(4 * 1024 ** 3)  # sparse: no disk used
    os.symlink(huge, corpus / "link.txt")
    os.link(huge, corpus / "huge.txt")
    write("good.txt", topic_article("gamma"))
    with timed(5.0):  # was 4.3 GB of memory and 9-20 s
        r = engine.index()
    limit = f"4,294,967,296 bytes, over the {Settings.max_article_bytes:,}-byte limit; split it."
    assert r.skipped == [f"huge.txt: the file is {limit}", f"link.txt: the file is {limit}"]
    assert r.added == ["good.txt"]


# --- 11. HTML nested deeper than the parser reads ------------------------------------

def test_11_html_nested_too_deep_says_so():
    html = ("<html><head><title>Deep</title></head><body>" + "<div>" * 300
            + "<p>Stretching helps runners with sore knees and tight hamstrings after long runs.</p>"
            + "</div>" * 300 + "</body></html>")
    with pytest.raises(BadArticle) as err:
        parse(html, "deep.html", ".html")
    assert str(err.value) == ("deep.html: the HTML is nested too deeply for the parser (over 255 levels); "
                              "flatten the markup or save the text as .txt or .md.")


def test_11_html_with_text_above_the_depth_limit_is_read_with_a_warning():
    html = ("<html><head><title>Deep</title></head><body><article><p>Runners with sore knees should rest "
            "and stretch their hamstrings after every long run, physios say.</p></article>" + "<div>" * 300
            + "<p>Deep text the parser never reaches.</p>" + "</div>" * 300 + "</body></html>")
    a = parse(html, "deep.html", ".html")
    assert "sore knees" in a.text and "Deep text" not in a.text
    assert a.warnings == ("deep.html: the HTML is nested too deeply for the parser (over 255 levels); "
                          "text nested below that depth was not read.",)


# --- 12. UTF-16 and UTF-32 with a byte-order mark are text ----------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_12_utf16_with_a_bom_is_decoded(engine, write, encoding):
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    write("wide.txt", bom + "Knee care\n\nRunners ice their knees after a long run.\n".encode(encoding))
    r = engine.index()
    assert r.added == ["wide.txt"] and r.skipped == []
    assert engine.ask("ice knees after run").hits[0].title == "Knee care"


def test_12_broken_utf16_says_which_encoding():
    with pytest.raises(BadArticle, match=r"^w\.txt: not valid UTF-16 \(byte \d+\); re-save the file as UTF-8\.$"):
        decode(b"\xff\xfe" + "Knee".encode("utf-16-le") + b"\x00\xd8\x41\x00", "w.txt")


# --- 13. a title or source that is a list or a mapping -------------------------------

def test_13_list_title_and_mapping_source_fall_back_with_a_warning(engine, write):
    write("parts.md", "---\ntitle: [First Part, Second Part]\nsource: {url: x}\n---\n" + MD)
    r = engine.index()
    assert r.warnings == ["parts.md: the front matter title is a list, not text; it was ignored.",
                          "parts.md: the front matter source is a mapping, not text; it was ignored."]
    hit = engine.ask("sore knees long runs").hits[0]
    assert (hit.title, hit.source) == ("Knee pain", "")


# --- 14. passages are bounded in characters too --------------------------------------

def test_14_a_2_mb_line_without_spaces_is_cut_into_bounded_passages():
    blob = "x" * (2 * 1024 * 1024)
    article = parse(f"Blob\n\nIntro text here.\n\nData\n\n{blob}.\n", "b.txt", ".txt")
    chunks = chunk_article(article, OneTokenPerWord(), target=128)
    assert max(len(c.text) for c in chunks) <= Settings.max_passage_chars
    assert "".join(c.text for c in chunks if c.section == "Data") == blob + "."
    for c in chunks:
        assert article.text[c.start:c.end] == c.text


def test_14_a_long_title_without_spaces_is_bounded_in_the_prefix():
    title = "y" * 50_000
    article = parse(f"# {title}\n\nSome text about knees.\n", "t.md", ".md")
    (chunk,) = chunk_article(article, OneTokenPerWord(), target=128)
    assert len(chunk.embed_text) - len(chunk.text) <= Settings.max_passage_chars // 4


class OneTokenPerWord:
    """Like the real tokenizer on a word it does not know: one [UNK] for any length."""

    limit = 256

    def count(self, texts):
        return [len(t.split()) for t in texts]


# --- 15. symlink loops and dangling symlinks -----------------------------------------

def test_15_dangling_and_looping_links_get_a_warning(engine, write, corpus):
    write("good.txt", topic_article("gamma"))
    os.symlink(corpus / "nowhere.txt", corpus / "dangling.txt")
    os.symlink(corpus / "loop-b.md", corpus / "loop-a.md")
    os.symlink(corpus / "loop-a.md", corpus / "loop-b.md")
    r = engine.index()
    assert r.added == ["good.txt"]
    assert r.skipped == [
        "dangling.txt: a symbolic link to a file that does not exist; fix or remove the link.",
        "loop-a.md: a symbolic link that loops back on itself; fix or remove the link.",
        "loop-b.md: a symbolic link that loops back on itself; fix or remove the link.",
    ]


# --- 16. `index --full` after kept-bad articles ---------------------------------------

def test_16_full_rebuild_says_what_it_drops_and_counts_it(engine, write, corpus):
    write("good.txt", topic_article("gamma"))
    write("other.txt", topic_article("delta"))
    write("gone.txt", topic_article("echo"))
    engine.index()
    write("good.txt", b"\x00\x01binary now\x00")
    kept = engine.index()
    assert kept.removed == [] and "The indexed version is kept." in kept.skipped[0]
    (corpus / "gone.txt").unlink()
    r = engine.index(full=True)
    assert r.removed == ["gone.txt", "good.txt"] and r.added == ["other.txt"]
    assert r.skipped == ["good.txt: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html. "
                         "`index --full` drops its indexed version."]
    assert "2 removed" in r.summary()


def test_16_full_rebuild_of_a_damaged_index_still_works(engine, write, index_dir):
    write("good.txt", topic_article("gamma"))
    engine.index()
    for db in index_dir.glob("g*/store.sqlite"):
        db.write_bytes(b"garbage")
    r = engine.index(full=True)
    assert r.added == ["good.txt"] and r.removed == []


# --- found along the way: more inputs that took quadratic time or worse ---------------

def test_markdown_heading_with_a_long_run_of_spaces_is_linear():
    with timed(2.0):  # a backtracking pattern took 96 s for 4,000 spaces
        found = md_headings("# a" + " " * 200_000 + "b\n\nText.\n")
    assert [(h.level, h.text[0], h.text[-1]) for h in found] == [(1, "a", "b")]


@pytest.mark.parametrize("text, expected", [
    ("# Title #\n", [(1, "Title")]), ("## Warm up ##  \n", [(2, "Warm up")]), ("#no space\n", []),
    ("####### seven\n", []), ("#   \nnot a heading\n", []), ("# ###\n", [(1, "#")]), ("#\tTabbed\n", [(1, "Tabbed")]),
    ("# a # b #\n", [(1, "a # b")]), ("text\n### Deep ###x\n", [(3, "Deep ###x")]),
])
def test_markdown_headings_are_read_line_by_line(text, expected):
    assert [(h.level, h.text) for h in md_headings(text)] == expected


def test_html_page_of_unclosed_title_tags_is_linear():
    with timed(3.0):  # a pattern retried from every <title took 7.5 s for 40,000
        with pytest.raises(BadArticle):
            parse("<title" * 400_000, "titles.html", ".html")


def test_trailing_white_space_in_a_section_is_linear():
    article = parse("Title\n\nKnees hurt after runs." + " " * 300_000 + "\n", "ws.txt", ".txt")
    with timed(2.0):  # the sentence splitter retried the run from every space: 7.8 s for 20,000
        chunks = chunk_article(article, FakeEmbedder(), target=128)
    assert [c.text for c in chunks] == ["Knees hurt after runs."]


# --- the command line, in this process on the fake embedder ---------------------------

@pytest.fixture
def run_cli(corpus, index_dir, capsys):
    """cli.main on the fake embedder over the test corpus: returns (exit code, stdout, stderr)."""
    from fakes import FAKE_MODEL
    from retrieval.engine import Engine

    def run(*argv: str, index: str | None = None, corpus_dir: str | None = None):
        paths = ["--corpus", corpus_dir or str(corpus), "--index", index or str(index_dir)]
        code = cli.main([*argv, *paths], engine_factory=lambda s: Engine(s.with_(model=FAKE_MODEL), embedder=FakeEmbedder()))
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


@pytest.fixture
def indexed(run_cli, write):
    write("hamstrings.txt", topic_article("hamstrings"))
    write("knees.txt", topic_article("knees"))
    assert run_cli("index")[0] == 0
    return run_cli


def batch_rows(run_cli, tmp_path, content: bytes, *extra: str) -> list[dict]:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(content)
    code, out, err = run_cli("search", "--batch", str(path), *extra)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_7_index_path_that_is_a_regular_file_is_one_line(run_cli, write, tmp_path):
    write("knees.txt", topic_article("knees"))
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    expected = (f"error: The index path {taken} is not a folder (a file is in the way); "
                "give the index a folder of its own (--index or RETRIEVAL_INDEX).\n")
    for argv in (["ask", "sore knees"], ["index"], ["stats"]):
        assert run_cli(*argv, index=str(taken)) == (2, "", expected)
    assert run_cli("index", index=str(taken / "sub"))[2] == expected.replace(str(taken), str(taken / "sub"))
    code, _, err = run_cli("index", corpus_dir=str(taken))
    assert (code, err) == (2, f"error: The corpus path {taken} is a file, not a folder; give the corpus folder "
                              "(--corpus or RETRIEVAL_CORPUS).\n")


BAD_UTF8 = b"hamstrings \xff\xfe pain".decode("utf-8", "surrogateescape")  # what Python makes of argv


def test_8_question_with_invalid_utf8_is_a_clear_error(indexed):
    code, out, err = indexed("ask", BAD_UTF8)
    assert (code, out) == (2, "")
    assert err == "error: The question holds bytes that are not valid UTF-8 text; retype it, or save it as UTF-8.\n"
    code, out, err = indexed("ask", "what about stretches", "--history", BAD_UTF8)
    assert code == 2 and err.startswith("error: An earlier question holds bytes that are not valid UTF-8")


def test_9_batch_line_with_a_lone_surrogate_fails_alone(indexed, tmp_path):
    lines = [b'{"id": 1, "question": "bad \\ud800 one"}', b'{"id": 2, "question": "knees details"}',
             b'{"id": 3, "question": "fine", "history": ["\\udfff"]}', b'{"id": 4, "question": "hamstrings"}']
    rows = batch_rows(indexed, tmp_path, b"\n".join(lines) + b"\n")
    assert [r["id"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["error"].startswith("The question holds bytes that are not valid UTF-8 text")
    assert rows[2]["error"].startswith("An earlier question holds bytes")
    assert "error" not in rows[1] and rows[1]["hits"] and rows[3]["hits"]


@pytest.mark.parametrize("k", ["0", "-1", "two"])
@pytest.mark.parametrize("command", [["ask", "knees"], ["search", "--batch", "b.jsonl"]])
def test_10_top_k_below_one_is_an_argument_error(run_cli, command, k, capsys):
    with pytest.raises(SystemExit) as exit_:
        run_cli(*command, "--top-k", k)
    assert exit_.value.code == 2
    assert "argument --top-k:" in capsys.readouterr().err


def test_17_batch_question_that_is_not_a_string(indexed, tmp_path):
    items = [{"id": 1, "question": 42}, {"id": 2, "question": ["knees"]}, {"id": 3, "question": {"q": "x"}},
             {"id": 4, "question": True}, {"id": 5, "question": None}, {"id": 6, "question": "knees details"}]
    rows = batch_rows(indexed, tmp_path, "\n".join(json.dumps(i) for i in items).encode())
    assert [r.get("error") for r in rows[:5]] == [f"line {n}: the question must be a string" for n in range(1, 5)] + [
        "The question is empty; type a question about the articles."]
    assert rows[5]["hits"] and "error" not in rows[5]


def test_18_batch_file_with_a_utf8_bom_keeps_line_1(indexed, tmp_path):
    content = "\ufeff" + json.dumps({"id": 1, "question": "knees details"}) + "\n"
    rows = batch_rows(indexed, tmp_path, content.encode("utf-8"))
    assert rows[0]["id"] == 1 and rows[0]["hits"] and "error" not in rows[0]


def test_batch_lines_that_are_not_utf8_or_nest_too_deep_fail_alone(indexed, tmp_path):
    lines = [b'{"id": 1, "question": "caf\xe9"}', b"[" * 100_000 + b"]" * 100_000,
             '{"id": 3, "question": "knees\u2028details"}'.encode(), b'{"id": 4, "question": "knees"}\r']
    rows = batch_rows(indexed, tmp_path, b"\n".join(lines))
    assert [r.get("error") for r in rows] == ["line 1 is not valid UTF-8", "line 2 is not a JSON object", None, None]
    assert [r["id"] for r in rows] == [None, None, 3, 4]


def test_bad_numbers_for_other_options_are_argument_errors(run_cli, tmp_path):
    for argv in (["watch", "--debounce", "nan"], ["watch", "--debounce", "-1"], ["eval", "q.jsonl", "--limit", "-2"]):
        with pytest.raises(SystemExit):
            run_cli(*argv)


# --- "IT" in "IT band" is not the pronoun "it" ----------------------------------------

@pytest.mark.parametrize("question, refers", [
    ("can tight hamstrings cause IT band pain", False), ("IT band pain after running", False),
    ("what stretches help it", True), ("It hurts when I run", True), ("does IT band pain make it worse", True),
    ("WHAT CAUSES IT", True), ("is the ITB the same as the IT band", False),
])
def test_it_band_is_not_the_pronoun_it(question, refers):
    assert has_reference(question) is refers


def test_an_it_band_question_sets_the_topic_of_a_follow_up():
    from retrieval.search.conversation import contextualize

    class Vocab:  # every word is in the corpus and specific: only explicit references count
        def terms(self, text):
            return text.lower().split()

        def is_specific(self, term):
            return True

        def idf(self, term):
            return 1.0

        def document_frequency(self, term):
            return 1

    ctx = contextualize("what stretches help it", ["knee pain in runners", "can tight hamstrings cause IT band pain"],
                        Vocab())
    assert ctx.followup and ctx.topic == "can tight hamstrings cause IT band pain"


def test_a_folder_that_cannot_be_listed_keeps_its_indexed_articles(engine, write, corpus, monkeypatch):
    write("sub/alpha.txt", topic_article("alpha"))
    write("good.txt", topic_article("gamma"))
    engine.index()
    write("other/bravo.txt", topic_article("bravo"))
    real = os.scandir

    def refuse(path="."):
        if os.fspath(path).endswith(("sub", "other")):  # as chmod 000 does for a user that is not root
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refuse)
    r = engine.index()
    assert (r.removed, r.added) == ([], [])
    assert r.skipped == ["The folder other/ cannot be read (Permission denied); check its permissions.",
                         "sub/alpha.txt: the folder sub/ cannot be read (Permission denied); check its permissions. "
                         "The indexed version is kept."]
    assert docs(engine, "alpha1 details")[0] == "sub/alpha.txt"


def test_eval_question_file_with_a_bad_line_is_one_line(run_cli, write, tmp_path):
    write("knees.txt", topic_article("knees"))
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"question": "knees details", "doc": "knees.txt", "answer": "x"}\nnot json\n')
    code, out, err = run_cli("eval", str(questions), "--no-baselines")
    assert (code, out) == (2, "")
    assert err == f"error: {questions} line 2 is not a JSON object with a string question; fix or remove it.\n"


def test_a_file_name_with_a_line_break_is_refused_on_one_line(engine, write):
    write("two\nlines.txt", topic_article("alpha"))
    write("good.txt", topic_article("gamma"))
    r = engine.index()
    assert r.added == ["good.txt"]
    assert r.skipped == ["two\\x0alines.txt: the file name has a control character (a line break or tab); rename the file."]


def test_api_body_that_is_not_json_gets_the_one_line_error_format(engine, write):
    from fastapi.testclient import TestClient

    from retrieval.serve.api import create_app
    from retrieval.serve.roles import Access

    write("knees.txt", topic_article("knees"))
    engine.index()
    api = TestClient(create_app(engine, Access("", "127.0.0.1")))
    reply = api.post("/ask", content=b"\x80", headers={"content-type": "application/json"})
    assert (reply.status_code, reply.json()) == (400, {
        "error": "There was an error parsing the body; see /docs for the request format."})
    assert api.get("/nowhere").json() == {"error": "Not Found; see /docs for the request format."}
