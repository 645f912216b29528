"""The articles view's library half: list and search the indexed articles, open one whole,
remove one safely; dates from front matter, HTML and PDF; the staleness rule; schema 3."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from fakes import topic_article
from pdfs import handout
from retrieval.errors import ArticleNotFound
from retrieval.ingest.dates import is_stale, iso_date, pdf_date
from retrieval.ingest.loaders import parse_html, parse_markdown
from retrieval.records import Article, Section
from retrieval.store.passages import MIGRATIONS, SCHEMA_VERSION, Store


def test_articles_list_with_dates_counts_and_title_search(engine, write):
    write("shin.md", "---\ntitle: Shin splints\ndate: 2019-03-02\nupdated: 2023-11-20\n---\n"
                     "Shin splints hurt along the shin bone. Rest helps.\n")
    write("knee.pdf", handout(moddate="D:20240105"))
    write("hip.txt", topic_article("hip"))
    engine.index()
    infos = engine.articles()
    assert [(a.id, a.title, a.date, a.pages) for a in infos] == [
        ("hip.txt", "All about hip", "", 0),
        ("knee.pdf", "Knee care after running", "2024-01-05", 3),
        ("shin.md", "Shin splints", "2023-11-20", 0)]
    assert [a.passages for a in infos] == [3, 3, 1]
    assert all(dt.datetime.fromisoformat(a.indexed_at).tzinfo for a in infos)
    assert [a.id for a in engine.articles("KNEE  care")] == ["knee.pdf"]
    assert [a.id for a in engine.articles("splint")] == ["shin.md"]
    assert engine.articles("elbow") == []


def test_no_index_no_articles(engine):
    assert engine.articles() == []


def test_article_returns_the_stored_text_and_sections(engine, write, corpus):
    write("hip.txt", topic_article("hip"))
    engine.index()
    stored = engine.article("hip.txt")
    assert stored.text == (corpus / "hip.txt").read_text()
    assert [s.heading for s in stored.sections] == ["All about hip", "Hip part 1", "Hip part 2"]
    hit = engine.ask("hip1 details").hits[0]
    assert stored.text[hit.start:hit.end] == hit.text
    with pytest.raises(ArticleNotFound, match="nope.txt: no such article in the index"):
        engine.article("nope.txt")


def test_remove_article_deletes_the_file_and_reindexes(engine, write, corpus):
    write("hip.txt", topic_article("hip"))
    write("sub/knee.txt", topic_article("knee"))
    engine.index()
    r = engine.remove_article("sub/knee.txt")
    assert r.removed == ["sub/knee.txt"] and not (corpus / "sub/knee.txt").exists()
    assert [a.id for a in engine.articles()] == ["hip.txt"]
    assert {h.doc for h in engine.ask("knee1 details").hits} == {"hip.txt"}


def test_remove_article_of_a_file_already_gone_drops_it_from_the_index(engine, write, corpus):
    write("hip.txt", topic_article("hip"))
    engine.index()
    (corpus / "hip.txt").unlink()
    assert engine.remove_article("hip.txt").removed == ["hip.txt"]


@pytest.mark.parametrize("doc_id", ["../outside.txt", "/etc/passwd", "sub/../../outside.txt", ".hidden.txt",
                                    "notes.exe", "", "./hip.txt", "link/outside.txt", "missing.txt"])
def test_remove_article_touches_nothing_outside_the_corpus(engine, write, corpus, tmp_path, doc_id):
    write("hip.txt", topic_article("hip"))
    write(".hidden.txt", "hidden")
    write("notes.exe", "not an article")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (corpus / "link").symlink_to(tmp_path, target_is_directory=True)
    engine.index()
    with pytest.raises(ArticleNotFound):
        engine.remove_article(doc_id)
    assert outside.read_text() == "keep me" and (corpus / "hip.txt").exists()
    assert (corpus / ".hidden.txt").exists() and (corpus / "notes.exe").exists()


# --- dates ----------------------------------------------------------------------------

def test_markdown_date_prefers_updated_and_reads_yaml_dates_and_strings():
    md = parse_markdown("---\ntitle: A\ndate: 2020-02-03\n---\nBody text here.\n", "a.md")
    assert md.date == "2020-02-03"
    md = parse_markdown("---\ndate: 2020-02-03\nupdated: '2022/7/9'\n---\nBody text here.\n", "a.md")
    assert md.date == "2022-07-09"
    md = parse_markdown("---\ndate: sometime last spring\n---\nBody text here.\n", "a.md")
    assert md.date == ""


def test_html_date_from_its_metadata():
    html = ("<html><head><title>Shin splints</title><meta property='article:modified_time' "
            "content='2021-06-15T10:00:00Z'></head><body><article><h1>Shin splints</h1><p>"
            + "Shin splints hurt along the inner edge of the shin bone after running. " * 3
            + "</p></article></body></html>")
    assert parse_html(html, "shin.html").date == "2021-06-15"
    undated = html.replace("<meta property='article:modified_time' content='2021-06-15T10:00:00Z'>", "")
    assert parse_html(undated, "shin.html").date == ""  # no date is made up


@pytest.mark.parametrize("raw, iso", [("D:20240105093000+01'00'", "2024-01-05"), ("D:202403", "2024-03-01"),
                                      ("20191231", "2019-12-31"), ("D:20241340", ""), ("yesterday", ""), (None, "")])
def test_pdf_date_strings(raw, iso):
    assert pdf_date(raw) == iso


def test_iso_date_from_yaml_values():
    assert iso_date(dt.date(2020, 1, 2)) == "2020-01-02"
    assert iso_date(dt.datetime(2020, 1, 2, 23, 59)) == "2020-01-02"
    assert iso_date("2020-13-01") == "" and iso_date(2020) == ""


def test_staleness_rule():
    today = dt.date(2026, 12, 1)
    assert is_stale("2022-01-01", today, 3 * 365)
    assert not is_stale("2025-06-01", today, 3 * 365)
    assert not is_stale("", today, 3 * 365) and not is_stale("not a date", today, 3 * 365)
    assert is_stale("2026-11-01", today, 7)


# --- schema 3 -----------------------------------------------------------------------

def test_a_schema_2_store_migrates_to_3_keeping_its_rows(tmp_path):
    db = sqlite3.connect(tmp_path / "old.sqlite")
    for version in (1, 2):
        db.executescript(MIGRATIONS[version])
    db.execute("PRAGMA user_version=2")
    db.execute("INSERT INTO articles VALUES ('a.txt', 'A', '', 'h', 'Body.', ?, 5, 0)",
               (json.dumps([["A", 0, 5]]),))
    db.execute("INSERT INTO chunks VALUES (1, 'a.txt', 0, 'A', 0, 5, 'c')")
    db.commit()
    db.close()
    store = Store(tmp_path / "old.sqlite", readonly=False)
    store.migrate()
    assert store.version == SCHEMA_VERSION == 3
    assert store.article("a.txt") == Article("a.txt", "A", "Body.", (Section("A", 0, 5),), "", "h")
    assert store.chunk_rows([1])[1].page is None
    assert [(a.id, a.passages, a.date, a.indexed_at) for a in store.article_infos()] == [("a.txt", 1, "", "")]
