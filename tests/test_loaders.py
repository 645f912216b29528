"""Loaders: .txt titles and headings, .md front matter, .html main text, bad files."""
from __future__ import annotations

import pytest

from fakes import FOOT, HAMSTRINGS, SEED_CORPUS
from retrieval.errors import BadArticle
from retrieval.ingest.loaders import decode, list_article_files, load_article, parse


def headings(article) -> list[str]:
    return [s.heading for s in article.sections]


def test_txt_title_and_headings_of_seed_articles():
    a = load_article(SEED_CORPUS / HAMSTRINGS, SEED_CORPUS)
    assert a.id == HAMSTRINGS
    assert a.title == "Can Tight Hamstrings Cause IT Band Pain? | Essential Muscle Link"
    assert headings(a)[:4] == [a.title, "The Anatomy Behind Hamstrings and the IT Band",
                               "Biomechanics: How Tight Hamstrings Affect IT Band Function",
                               "Chain Reaction: From Hamstring Tightness to Knee Pain"]
    assert headings(a)[-1] == "Frequently Asked Questions"
    assert len(a.hash) == 64

    b = load_article(SEED_CORPUS / FOOT, SEED_CORPUS)
    assert b.title == "Can the IT Band Cause Foot Pain?"
    assert "Understanding the Lower Limb Kinetic Chain" in headings(b)
    assert headings(b)[-1] == "Strategies for Alleviating the Pain"


def test_txt_sections_tile_the_text_without_their_headings():
    a = load_article(SEED_CORPUS / HAMSTRINGS, SEED_CORPUS)
    body = a.text[a.sections[1].start:a.sections[1].end]
    assert body.strip().startswith("Understanding how tight hamstrings might cause IT band pain")
    assert "The Anatomy Behind" not in body
    for prev, nxt in zip(a.sections, a.sections[1:]):
        assert prev.end <= nxt.start
    assert a.sections[-1].end == len(a.text)


def test_txt_first_line_that_is_a_paragraph_is_body_not_title():
    text = " ".join(f"Sentence number {i} says something useful." for i in range(40))
    a = parse(text, "notes/one-paragraph.txt", ".txt")
    assert a.title == "One paragraph"
    assert a.text[a.sections[0].start:a.sections[0].end] == text


def test_txt_with_a_single_short_line_is_indexable():
    a = parse("Ice helps sore knees.\n", "ice_tips.txt", ".txt")
    assert a.title == "Ice tips"
    assert a.text[a.sections[0].start:a.sections[0].end].strip() == "Ice helps sore knees."


def test_md_front_matter_title_source_and_sections():
    md = ("---\ntitle: Knee Care\nsource: https://example.org/knee\n---\n"
          "Intro before the headings. It has two sentences.\n\n"
          "# Knee Care\n\nTop text under the title.\n\n"
          "## Warm up\n\nWarm up slowly before running.\n\n"
          "## Cool down\n\nStretch after running.\n")
    a = parse(decode(md.encode(), "knee.md"), "knee.md", ".md")
    assert (a.title, a.source) == ("Knee Care", "https://example.org/knee")
    assert headings(a) == ["Knee Care", "Knee Care", "Warm up", "Cool down"]
    assert [a.text[s.start:s.end].strip() for s in a.sections] == [
        "Intro before the headings. It has two sentences.", "Top text under the title.",
        "Warm up slowly before running.", "Stretch after running."]
    assert "---" not in a.text[a.sections[0].start:]


def test_md_title_from_first_heading_without_front_matter():
    a = parse("# Shin Splints\n\nPain along the shin.\n\n## Rest\n\nRest helps.\n", "s.md", ".md")
    assert a.title == "Shin Splints"
    assert headings(a) == ["Shin Splints", "Rest"]
    assert a.source == ""


HTML = """<html><head><title>Shin Splints Guide</title>
<script>var tracking = "SECRETSCRIPT";</script></head>
<body><nav><a href="/">Home</a> <a href="/a">NAVLINKS menu</a></nav>
<article><h1>Shin Splints Guide</h1>
<p>Shin splints are pain along the inner edge of the shinbone. They are common in runners who
increase their mileage too quickly, and they usually settle with rest.</p>
<h2>Treatment</h2>
<p>Rest, ice and a gradual return to running help most people recover within a few weeks.
Supportive shoes reduce the load on the tibia during long runs.</p>
</article></body></html>"""


def test_html_main_text_without_script_or_nav():
    a = parse(decode(HTML.encode(), "shin.html"), "shin.html", ".html")
    assert a.title == "Shin Splints Guide"
    assert headings(a) == ["Shin Splints Guide", "Treatment"]
    assert "SECRETSCRIPT" not in a.text and "NAVLINKS" not in a.text
    assert "inner edge of the shinbone" in a.text[a.sections[0].start:a.sections[0].end]
    assert "gradual return" in a.text[a.sections[1].start:a.sections[1].end]


@pytest.mark.parametrize("data, message", [
    (b"", "x.txt: the file is empty; add text or remove it."),
    (b"  \n\t\n", "x.txt: the file is empty; add text or remove it."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html."),
    ("Caf\u00e9 title\n\nCaf\u00e9 text.".encode("latin-1"), "x.txt: not valid UTF-8 (byte 3); re-save the file as UTF-8."),
])
def test_bad_files_raise_bad_article(tmp_path, data, message):
    (tmp_path / "x.txt").write_bytes(data)
    with pytest.raises(BadArticle) as err:
        load_article(tmp_path / "x.txt", tmp_path)
    assert str(err.value) == message


def test_oversize_file_is_refused():
    with pytest.raises(BadArticle, match=r"big\.txt: the file is 2,001 bytes, over the 2,000-byte limit; split it\."):
        decode(b"a" * 2001, "big.txt", max_bytes=2000)


def test_utf8_bom_and_crlf_are_normalized():
    text = decode("\ufeffTitle\r\n\r\nBody text here.\r\n".encode("utf-8"), "bom.txt")
    assert text == "Title\n\nBody text here.\n"


def test_listing_skips_hidden_and_other_types(tmp_path):
    for name in ("a.txt", "b.md", "c.html", "d.docx", ".hidden.txt", ".git/e.txt", "sub/f.markdown"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    names = [p.relative_to(tmp_path).as_posix() for p in list_article_files(tmp_path)]
    assert names == ["a.txt", "b.md", "c.html", "sub/f.markdown"]
