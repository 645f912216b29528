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
from retrieval.errors import BadArticle, BadQuestion
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
