"""PDF articles: text page by page, passages that know their page, headings from the outline
or font sizes, metadata title and date, and clear refusals of scanned, encrypted and
damaged files. The PDFs are written in the test (tests/pdfs.py)."""
from __future__ import annotations

import json
import shutil

import pytest

from fakes import HAMSTRINGS, SEED_CORPUS, FakeEmbedder
from pdfs import BODY, HANDOUT_OUTLINE, HANDOUT_PAGES, blank_pdf, encrypted, handout, make_pdf
from retrieval import Engine, Settings
from retrieval.errors import BadArticle, BadUpload
from retrieval.ingest.chunking import chunk_article
from retrieval.ingest.loaders import list_article_files, read_article

HEADINGS = ["Why knees hurt", "Icing and rest", "When to see a doctor"]


def page_of(article, section) -> int:
    return article.page_at(section.start)


def test_outline_headings_pages_title_and_date():
    a = read_article(handout(moddate="D:20240105093000+01'00'", creationdate="D:20200101"), "knee.pdf", ".pdf")
    assert a.title == "Knee care after running" and a.date == "2024-01-05"
    assert [(s.heading, page_of(a, s)) for s in a.sections] == list(zip(HEADINGS, [1, 2, 3]))
    assert len(a.pages) == 3
    for n, (start, end) in enumerate(a.pages):  # each page's span holds that page's lines
        assert all(text in a.text[start:end] for _, text in HANDOUT_PAGES[n][1:])
    assert a.text[a.sections[1].start:a.sections[1].end].startswith("Put a cold pack")


def test_sections_and_passages_never_cross_a_page():
    a = read_article(handout(), "knee.pdf", ".pdf")
    for s in a.sections:
        assert any(start <= s.start and s.end <= end for start, end in a.pages)
    chunks = chunk_article(a, FakeEmbedder(), target=8)  # small passages: several per page
    assert len(chunks) > 3
    for c in chunks:
        start, end = a.pages[c.page - 1]
        assert start <= c.start and c.end <= end


def test_font_sizes_give_headings_without_an_outline():
    a = read_article(handout(outline=False, title=None), "knee.pdf", ".pdf")
    assert a.title == "Knee Care After Running"  # no /Title: the first line
    assert [s.heading for s in a.sections] == HEADINGS


def test_without_headings_each_page_is_a_section_under_the_title():
    pages = [[(BODY, text) for _, text in page] for page in HANDOUT_PAGES]
    a = read_article(make_pdf(pages, title="Knee handout"), "knee.pdf", ".pdf")
    assert [(s.heading, page_of(a, s)) for s in a.sections] == [("Knee handout", 1), ("Knee handout", 2),
                                                                 ("Knee handout", 3)]


def test_creation_date_when_no_modification_date_and_file_name_as_last_title():
    pages = [[(BODY, "just one sentence on a page, long enough that it reads as a paragraph and not as "
                     "a title line, because it goes on and on well past twenty five words in all.")]]
    a = read_article(make_pdf(pages, creationdate="D:2019"), "leaflets/knee-pain_2019.pdf", ".pdf")
    assert a.title == "Knee pain 2019" and a.date == "2019-01-01"


def test_scanned_pdf_is_refused_with_the_fix():
    with pytest.raises(BadArticle) as err:
        read_article(blank_pdf(2), "scan.pdf", ".pdf")
    assert str(err.value).startswith("scan.pdf: no extractable text (scanned?); run OCR on it")


def test_encrypted_pdf_is_refused_but_an_owner_only_lock_is_read():
    with pytest.raises(BadArticle) as err:
        read_article(encrypted(handout()), "locked.pdf", ".pdf")
    assert str(err.value) == ("locked.pdf: the PDF is encrypted; remove the password (save an unprotected "
                              "copy) and add it again.")
    assert read_article(encrypted(handout(), password=""), "open.pdf", ".pdf").title == "Knee care after running"


@pytest.mark.parametrize("data", [b"%PDF-1.4\nthis is not really a pdf at all\n%%EOF",
                                  handout()[:300], b"hello i am text with a pdf name"])
def test_damaged_pdf_is_refused_naming_the_file(data):
    with pytest.raises(BadArticle) as err:
        read_article(data, "broken.pdf", ".pdf")
    assert str(err.value).startswith("broken.pdf: ")


def test_size_limit_applies_to_pdfs():
    with pytest.raises(BadArticle, match="over the 100-byte limit"):
        read_article(handout(), "knee.pdf", ".pdf", max_bytes=100)


def test_pdf_files_are_listed_and_hashed(tmp_path):
    (tmp_path / "knee.pdf").write_bytes(handout())
    assert [p.name for p in list_article_files(tmp_path)] == ["knee.pdf"]
    assert len(read_article(handout(), "knee.pdf", ".pdf").hash) == 64


# --- indexed ------------------------------------------------------------------------

def test_indexed_pdf_passages_carry_their_page(engine, write):
    write("knee.pdf", handout(moddate="D:20240105"))
    write("scan.pdf", blank_pdf())
    r = engine.index()
    assert r.added == ["knee.pdf"]
    assert [line.split(";")[0] for line in r.skipped] == ["scan.pdf: no extractable text (scanned?)"]
    hit = engine.ask("cold pack wrapped in a towel icing three times").hits[0]
    assert (hit.doc, hit.page, hit.date, hit.section) == ("knee.pdf", 2, "2024-01-05", "Icing and rest")
    assert hit.to_json()["page"] == 2 and hit.to_json()["date"] == "2024-01-05"
    stored = engine.article("knee.pdf")
    assert stored.pages == read_article(handout(), "knee.pdf", ".pdf").pages and stored.date == "2024-01-05"


def test_text_articles_keep_their_batch_format(engine, write):
    write("a.txt", "Shin splints\n\nShin splints hurt along the shin bone after running.\n")
    engine.index()
    hit = engine.ask("shin bone pain").hits[0]
    assert hit.page is None and hit.date == ""
    assert list(hit.to_json()) == ["doc", "title", "section", "text", "start", "end", "score", "source"]


def test_upload_accepts_pdf_and_refuses_a_scan(engine, corpus):
    name, report = engine.add_article("Knee care.pdf", handout())
    assert name == "Knee-care.pdf" and report.added == ["Knee-care.pdf"]
    with pytest.raises(BadUpload, match=r"scan\.pdf: no extractable text \(scanned\?\)"):
        engine.add_article("scan.pdf", blank_pdf())
    assert sorted(p.name for p in corpus.iterdir()) == ["Knee-care.pdf"]


def test_answer_about_page_two_cites_page_two(tmp_path, real_embedder):
    """The real model: a question in other words than page 2's text finds page 2."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "knee-care.pdf").write_bytes(handout())
    shutil.copyfile(SEED_CORPUS / HAMSTRINGS, corpus / HAMSTRINGS)
    engine = Engine(Settings(corpus=corpus, index=tmp_path / "index"), embedder=real_embedder)
    engine.index()
    reply = engine.ask("how often should i put ice on my sore knee")
    assert not reply.abstained
    first = reply.hits[reply.sentences[0].hit - 1]
    assert (first.doc, first.page) == ("knee-care.pdf", 2)
    assert json.loads(json.dumps(reply.to_json()))["hits"][0]["page"] == 2


def test_running_headers_and_footers_are_dropped_and_numbered_headings_found():
    pages = []
    for n, page in enumerate(HANDOUT_PAGES + [[(16, "Exercises"), (BODY, "Straight leg raises keep the thigh strong.")]]):
        lines = [(8, "Physiotherapy department leaflet")] + page + [(8, f"Page {n + 1} of 4")]
        pages.append([(size, f"{n}. {text}" if size == 16 else text) for size, text in lines])
    outline = HANDOUT_OUTLINE + [("Exercises", 3)]
    a = read_article(make_pdf(pages, title="Knee care", outline=outline), "knee.pdf", ".pdf")
    assert "Page 2 of 4" not in a.text and a.text.count("Physiotherapy department leaflet") == 1
    assert [s.heading for s in a.sections] == ["Knee care"] + HEADINGS + ["Exercises"]  # page 1 keeps its top line
    assert a.text[a.sections[-1].start:a.sections[-1].end] == "Straight leg raises keep the thigh strong."
