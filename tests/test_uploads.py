"""Uploads: hostile names are sanitised or refused, bad content is refused, and an
existing article is replaced only when asked."""
from __future__ import annotations

import threading

import pytest

from fakes import topic_article
from retrieval.errors import BadUpload
from retrieval.ingest.uploads import safe_filename, save_upload

ARTICLE = topic_article("alpha").encode()


@pytest.mark.parametrize("name, safe", [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\evil.md", "evil.md"),
    (".hidden.md", "hidden.md"),
    ("a/b\\c.html", "c.html"),
    ("Ünïcödé náme.md", "Unicode-name.md"),
    ("ﬁrst aid (1).TXT", "first-aid-1.txt"),
    ("..／..／etc／passwd.txt", "passwd.txt"),  # full-width solidus
    ("tab\tnew\nline\x00.md", "tab-new-line.md"),
    ("-rf .htm", "rf.htm"),
    ("knee.md.", "knee.md"),
    ("x" * 300 + ".md", "x" * 120 + ".md"),
])
def test_hostile_names_are_sanitised(name, safe):
    assert safe_filename(name) == safe


@pytest.mark.parametrize("name, message", [
    ("x.exe", "'x.exe': only .txt, .md, .html or .pdf articles can be added."),
    ("notes.txt.exe", "'notes.txt.exe': only .txt, .md, .html or .pdf articles can be added."),
    ("README", "'README': the file name needs letters or digits and a .txt, .md, .html or .pdf extension."),
    ("日本語.md", "'日本語.md': the file name needs letters or digits and a .txt, .md, .html or .pdf extension."),
    ("..", "'..': the file name needs letters or digits and a .txt, .md, .html or .pdf extension."),
    ("", "'': the file name needs letters or digits and a .txt, .md, .html or .pdf extension."),
])
def test_bad_names_are_refused(name, message):
    with pytest.raises(BadUpload) as err:
        safe_filename(name)
    assert str(err.value) == message


def test_upload_lands_inside_the_corpus_only(tmp_path, corpus):
    path = save_upload(corpus, "../../escape.txt", ARTICLE)
    assert path == corpus / "escape.txt" and path.read_bytes() == ARTICLE
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in corpus.iterdir()) == ["escape.txt"]  # no temporary file left


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01\x02binary", "x.txt: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html."),
    ("caf\u00e9 text".encode("latin-1"), "x.txt: not valid UTF-8 (byte 3); re-save the file as UTF-8."),
    (b"  \n ", "x.txt: the file is empty; add text or remove it."),
    (b"<html><body><script>only()</script></body></html>", None),
])
def test_bad_content_is_refused(corpus, data, message):
    name = "x.html" if data.startswith(b"<html") else "x.txt"
    with pytest.raises(BadUpload) as err:
        save_upload(corpus, name, data)
    if message:
        assert str(err.value) == message
    assert list(corpus.iterdir()) == []


def test_oversize_is_refused(corpus):
    with pytest.raises(BadUpload, match=r"^big\.txt: .* over the .* limit"):
        save_upload(corpus, "big.txt", b"word " * 300, max_bytes=1000)
    with pytest.raises(BadUpload, match=r"^big\.txt: 6\.0 MB is over the 5 MB upload limit\.$"):
        save_upload(corpus, "big.txt", b"a" * 6_000_000)
    assert list(corpus.iterdir()) == []


def test_existing_article_is_kept_unless_replacing(corpus):
    save_upload(corpus, "knee.txt", ARTICLE)
    other = topic_article("bravo").encode()
    with pytest.raises(BadUpload) as err:
        save_upload(corpus, "knee.txt", other)
    assert str(err.value) == "knee.txt already exists in the corpus; rename the file or choose to replace it."
    assert (corpus / "knee.txt").read_bytes() == ARTICLE
    save_upload(corpus, "knee.txt", other, overwrite=True)
    assert (corpus / "knee.txt").read_bytes() == other
    assert sorted(p.name for p in corpus.iterdir()) == ["knee.txt"]


def test_concurrent_uploads_of_one_name_never_overwrite(corpus):
    bodies = [topic_article(f"topic{i}").encode() for i in range(8)]
    errors: list[BadUpload] = []

    def upload(data):
        try:
            save_upload(corpus, "same.txt", data)
        except BadUpload as err:
            errors.append(err)

    threads = [threading.Thread(target=upload, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(errors) == 7 and (corpus / "same.txt").read_bytes() in bodies
    assert sorted(p.name for p in corpus.iterdir()) == ["same.txt"]


def test_engine_add_article_saves_and_indexes(engine, corpus):
    name, report = engine.add_article("../Shin splints.txt", topic_article("shin").encode())
    assert name == "Shin-splints.txt" and report.added == ["Shin-splints.txt"]
    assert engine.ask("shin1 details").hits[0].doc == "Shin-splints.txt"
    with pytest.raises(BadUpload):
        engine.add_article("Shin splints.txt", b"new text")
