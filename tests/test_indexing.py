"""Incremental indexing on a fake embedder: exact change reports, exact embed counts,
search that follows every step, skipped files, settings changes and damaged indexes."""
from __future__ import annotations

import json

import numpy as np
import pytest

from fakes import FakeEmbedder, article, topic_article
from retrieval.store import generations as gen
from retrieval.errors import CorpusMissing, IndexBusy, IndexCorrupt, IndexMissing, SettingsMismatch
from retrieval.store.snapshot import Snapshot

FULL = "run `python -m retrieval index --full`"


def docs(engine, question: str) -> list[str]:
    return [h.doc for h in engine.ask(question, top_k=5).hits]


def generations(index_dir) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("g"))


def live(index_dir) -> str:
    return gen.read_pointer(index_dir)["generation"]


def check_report(report, **expected):
    for key, value in expected.items():
        assert getattr(report, key) == value, f"{key}: {getattr(report, key)!r} != {value!r}"


def test_add_edit_delete_rename_readd_cycle(engine, fake, write, corpus, index_dir):
    write("alpha.txt", topic_article("alpha"))
    write("bravo.txt", topic_article("bravo"))
    r = engine.index()
    check_report(r, added=["alpha.txt", "bravo.txt"], updated=[], removed=[], renamed=[], unchanged=0,
                 chunks_embedded=6, chunks_removed=0, chunks_reused=0, articles=2, chunks=6,
                 generation="g000001", skipped=[])
    assert fake.encoded == 6 and fake.encode_calls == 1
    assert docs(engine, "alpha2 details")[0] == "alpha.txt"
    assert docs(engine, "bravo1 details")[0] == "bravo.txt"

    # Nothing changed: nothing embedded, no new generation.
    r = engine.index()
    check_report(r, added=[], updated=[], removed=[], renamed=[], unchanged=2, chunks_embedded=0,
                 articles=2, chunks=6, generation="g000001")
    assert not r.changed and fake.encoded == 6
    assert generations(index_dir) == ["g000001"]

    # One paragraph edited: only that passage is embedded again.
    text = (corpus / "alpha.txt").read_text()
    write("alpha.txt", text.replace("covers alpha1 details", "covers zulu details"))
    r = engine.index()
    check_report(r, added=[], updated=["alpha.txt"], removed=[], unchanged=1, chunks_embedded=1,
                 chunks_removed=1, chunks_reused=2, articles=2, chunks=6, generation="g000002")
    assert fake.encoded == 7 and "zulu" in fake.texts[-1]
    top = engine.ask("zulu details").hits[0]
    assert top.doc == "alpha.txt" and "covers zulu details" in top.text
    assert all("alpha1" not in h.text for h in engine.ask("alpha1 details").hits)

    # Deleted.
    (corpus / "bravo.txt").unlink()
    r = engine.index()
    check_report(r, removed=["bravo.txt"], added=[], updated=[], unchanged=1, chunks_embedded=0,
                 chunks_removed=3, articles=1, chunks=3, generation="g000003")
    assert "bravo.txt" not in docs(engine, "bravo1 details")

    # Renamed: rows and vectors move, nothing is embedded or removed.
    (corpus / "alpha.txt").rename(corpus / "renamed-alpha.txt")
    r = engine.index()
    check_report(r, renamed=[("alpha.txt", "renamed-alpha.txt")], added=[], removed=[], updated=[],
                 chunks_embedded=0, chunks_removed=0, articles=1, chunks=3)
    assert set(docs(engine, "zulu details")) == {"renamed-alpha.txt"}
    assert fake.encoded == 7

    # Re-added: its passages left the index with it, so they are embedded again.
    write("bravo.txt", topic_article("bravo"))
    r = engine.index()
    check_report(r, added=["bravo.txt"], chunks_embedded=3, chunks_removed=0, unchanged=1, articles=2, chunks=6)
    assert docs(engine, "bravo1 details")[0] == "bravo.txt"

    # A copy of an indexed article reuses its vectors.
    write("sub/copy.txt", topic_article("bravo"))
    r = engine.index()
    check_report(r, added=["sub/copy.txt"], chunks_embedded=0, chunks_reused=3, articles=3, chunks=9)
    # Both are indexed; search shows the identical passage once (near-duplicate filter).
    assert engine.searcher().snap.store.article("sub/copy.txt") is not None
    found = docs(engine, "bravo1 details")
    assert found[0] in {"bravo.txt", "sub/copy.txt"}
    assert len(engine.ask("bravo1 details").hits) == len({h.text for h in engine.ask("bravo1 details").hits})
    assert fake.encoded == 10

    # Old generations are swept: the live one and the one before it stay.
    assert len(generations(index_dir)) == 2 and live(index_dir) == generations(index_dir)[-1]
    assert engine.stats().passages == 9 and engine.stats().articles == 3


def test_moved_and_duplicated_passages_are_not_embedded_again(engine, fake, write):
    sections = {"": "Intro about knees. It is short.", "Part one": "Knee text one here.",
                "Part two": "Knee text two here."}
    write("knee.txt", article("Knees", sections))
    engine.index()
    swapped = {"": sections[""], "Part two": sections["Part two"], "Part one": sections["Part one"]}
    write("knee.txt", article("Knees", swapped))
    r = engine.index()
    check_report(r, updated=["knee.txt"], chunks_embedded=0, chunks_removed=0, chunks_reused=3, chunks=3)
    assert fake.encoded == 3


def test_rename_to_another_type_is_parsed_again(engine, write, corpus):
    write("note.txt", "# Heading\n\nSome text about shins.\n")
    engine.index()
    (corpus / "note.txt").rename(corpus / "note.md")
    r = engine.index()
    check_report(r, renamed=[], removed=["note.txt"], added=["note.md"])
    assert engine.ask("shins").hits[0].title == "Heading"


def test_new_binary_and_non_utf8_files_are_skipped_with_a_warning(engine, write):
    write("good.txt", topic_article("gamma"))
    write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write("latin.md", "# Caf\u00e9\n\nCaf\u00e9 au lait.\n".encode("latin-1"))
    write("empty.txt", b"")
    r = engine.index()
    check_report(r, added=["good.txt"], articles=1, chunks=3)
    assert r.skipped == [
        "empty.txt: the file is empty; add text or remove it.",
        "image.txt: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html.",
        "latin.md: not valid UTF-8 (byte 5); re-save the file as UTF-8.",
    ]
    assert docs(engine, "gamma1 details")[0] == "good.txt"


def test_indexed_article_that_turns_binary_keeps_its_indexed_version(engine, fake, write, index_dir):
    write("good.txt", topic_article("gamma"))
    write("other.txt", topic_article("delta"))
    engine.index()
    write("good.txt", b"\x00\x01binary now\x00")
    r = engine.index()
    check_report(r, added=[], updated=[], removed=[], unchanged=2, articles=2, chunks=6, generation="g000001")
    assert r.skipped == ["good.txt: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html. "
                         "The indexed version is kept."]
    assert docs(engine, "gamma1 details")[0] == "good.txt"
    # Other changes still go through, and the kept version stays.
    write("other.txt", topic_article("delta").replace("delta1", "echo"))
    r = engine.index()
    check_report(r, updated=["other.txt"], chunks_embedded=1, articles=2, chunks=6)
    assert len(r.skipped) == 1 and docs(engine, "gamma1 details")[0] == "good.txt"


def test_empty_and_missing_corpus(make_engine, corpus, tmp_path):
    engine = make_engine()
    r = engine.index()
    check_report(r, articles=0, chunks=0, generation="g000001")
    reply = engine.ask("anything at all")
    assert reply.abstained and reply.hits == []

    missing = make_engine(corpus=tmp_path / "nope")
    with pytest.raises(CorpusMissing) as err:
        missing.index()
    assert str(err.value) == (f"Corpus folder {tmp_path / 'nope'}/ not found; "
                              "create it and add .txt, .md or .html articles.")


def test_asking_without_an_index(engine, index_dir):
    with pytest.raises(IndexMissing) as err:
        engine.ask("knees")
    assert str(err.value) == f"No index found in {index_dir}/; run `python -m retrieval index` first."


def test_a_reader_engine_follows_new_generations(make_engine, write):
    write("a.txt", topic_article("alpha"))
    writer, reader = make_engine(), make_engine(embedder=FakeEmbedder())
    writer.index()
    assert reader.ask("alpha1 details").hits[0].doc == "a.txt"
    write("b.txt", topic_article("bravo"))
    writer.index()
    assert reader.ask("bravo1 details").hits[0].doc == "b.txt"


@pytest.mark.parametrize("change", [{"chunk_tokens": 64}, {"model": "other-model"}, {"backend": "onnx"}])
def test_changed_model_or_chunker_needs_a_full_rebuild(make_engine, write, change):
    write("a.txt", topic_article("alpha"))
    make_engine().index()
    engine = make_engine(**change)
    for call in (engine.index, lambda: engine.ask("alpha")):
        with pytest.raises(SettingsMismatch) as err:
            call()
        assert str(err.value).endswith(f"is configured; {FULL} to rebuild it.")
    r = engine.index(full=True)
    check_report(r, full=True, added=["a.txt"], chunks_embedded=3, articles=1, chunks=3)
    assert engine.ask("alpha1 details").hits[0].doc == "a.txt"


def damage_truncate(index_dir, name):
    path = index_dir / live(index_dir) / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return f"Index file {path} is damaged or truncated; {FULL}."


def damage_garble(index_dir, name):
    (index_dir / name).write_bytes(b"\x8b\x00garbage{{")
    return f"{index_dir / gen.POINTER} is damaged; {FULL}."


def damage_pointer(index_dir, generation):
    (index_dir / gen.POINTER).write_text(json.dumps({"generation": generation, "files": {}}))
    return None


@pytest.mark.parametrize("damage, arg", [
    (damage_truncate, gen.VECTORS),
    (damage_truncate, gen.STORE),
    (damage_truncate, "lexical/chunk_ids.npy"),
    (damage_garble, gen.POINTER),
    (damage_pointer, "g000099"),
    (damage_pointer, "../../etc"),
    (damage_pointer, ["g000001"]),
])
def test_damaged_index_is_reported_and_full_rebuild_recovers(make_engine, write, index_dir, damage, arg):
    write("a.txt", topic_article("alpha"))
    make_engine().index()
    message = damage(index_dir, arg)
    engine = make_engine()
    for call in (lambda: engine.ask("alpha"), engine.index, engine.stats):
        with pytest.raises(IndexCorrupt) as err:
            call()
        text = str(err.value)
        assert text.endswith(f"; {FULL}.") and "\n" not in text
        if message:
            assert text == message
    r = engine.index(full=True)
    check_report(r, full=True, added=["a.txt"], articles=1, chunks=3)
    assert engine.ask("alpha1 details").hits[0].doc == "a.txt"
    assert make_engine().index().changed is False  # and incremental runs work again


def test_inconsistent_generation_is_reported(make_engine, write, index_dir):
    """Files that match their checksums but disagree with each other (a bad writer)."""
    write("a.txt", topic_article("alpha"))
    make_engine().index()
    write("b.txt", topic_article("bravo"))
    make_engine().index()
    old, new = generations(index_dir)
    (index_dir / new / gen.VECTORS).write_bytes((index_dir / old / gen.VECTORS).read_bytes())
    gen.publish(index_dir, index_dir / new)  # re-sign the mixed folder
    with pytest.raises(IndexCorrupt, match=r"disagrees with itself \(6 passages in the store, 3 vectors, 6 in BM25\)"):
        Snapshot.open(index_dir)


def test_a_bm25_index_over_other_passages_is_reported(make_engine, write, index_dir):
    """As many BM25 rows as passages, but not the same ones: ranking reads BM25's rows as the
    passages in id order (``store/ranking_table.py``), so that is refused, not misread."""
    write("a.txt", topic_article("alpha"))
    make_engine().index()
    folder = index_dir / generations(index_dir)[-1]
    ids_file = folder / gen.LEXICAL / "chunk_ids.npy"
    np.save(ids_file, np.load(ids_file) + 1000, allow_pickle=False)
    gen.publish(index_dir, folder)  # re-sign it
    with pytest.raises(IndexCorrupt, match="The BM25 index in .* does not match its passages"):
        Snapshot.open(index_dir)


def test_file_name_that_is_not_utf8_is_skipped(engine, write, corpus):
    write("ok.txt", topic_article("alpha"))
    (corpus / b"caf\xe9.txt".decode("utf-8", "surrogateescape")).write_text(topic_article("bravo"))
    r = engine.index()
    check_report(r, added=["ok.txt"], articles=1)
    assert r.skipped == ["caf\\xe9.txt: the file name is not valid UTF-8; rename the file."]


def test_a_run_without_changes_sweeps_what_a_crashed_run_left(engine, write, index_dir):
    write("a.txt", topic_article("alpha"))
    engine.index()
    (index_dir / "g000002").mkdir()  # a run killed before publishing
    (index_dir / "g000002" / gen.STORE).write_bytes(b"half")
    assert not engine.index().changed
    assert generations(index_dir) == ["g000001"]
    write("b.txt", topic_article("bravo"))
    assert engine.index().generation == "g000002"


def test_index_busy_when_not_waiting(engine, write, index_dir):
    write("a.txt", topic_article("alpha"))
    with gen.writer_lock(index_dir):
        with pytest.raises(IndexBusy) as err:
            engine.index(wait=0)
    assert str(err.value) == (f"Another indexing run holds {index_dir / gen.LOCK}; "
                              "wait for it to finish and try again.")
    assert engine.index(wait=0).added == ["a.txt"]


def test_progress_reports_embedding(engine, write):
    write("a.txt", topic_article("alpha"))
    write("b.txt", topic_article("bravo"))
    seen = []
    engine.index(progress=lambda stage, done, total: seen.append((stage, done, total)))
    embed = [s for s in seen if s[0] == "embed"]
    assert embed[0] == ("embed", 0, 6) and embed[-1] == ("embed", 6, 6)
    assert ("lexical", 0, 1) in seen


def test_old_generations_are_let_go_after_a_reader_moves_on(make_engine, write, index_dir):
    """A long-running server re-opens each new generation; the ones before it are freed."""
    import gc

    writer, reader = make_engine(), make_engine(embedder=FakeEmbedder())
    for n in range(5):
        write("knees.txt", topic_article(f"knees{n}"))
        writer.index()
        assert reader.ask(f"knees{n} details").hits
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, Snapshot) and o.folder.parent == index_dir]
    assert len(alive) <= 2, f"{len(alive)} snapshots of this index still alive"


def test_other_readers_keep_answering_while_one_opens_a_new_generation(make_engine, write, monkeypatch):
    """Opening a generation (reading its word lists for spelling) is done by one thread;
    the others answer from the previous generation meanwhile, instead of waiting."""
    import threading
    import time

    from retrieval.search.query import QueryAnalyzer

    write("knees.txt", topic_article("knees"))
    reader = make_engine()
    reader.index()
    old = reader.searcher()
    write("shins.txt", topic_article("shins"))
    make_engine(embedder=FakeEmbedder()).index()
    started, release = threading.Event(), threading.Event()
    lists = QueryAnalyzer.lists

    def slow_lists(self):
        started.set()
        release.wait(10)
        return lists(self)

    monkeypatch.setattr(QueryAnalyzer, "lists", slow_lists)
    opener = threading.Thread(target=reader.searcher)
    opener.start()
    assert started.wait(10)
    t0 = time.monotonic()
    assert reader.searcher() is old and time.monotonic() - t0 < 1  # not queued behind the opening
    release.set()
    opener.join(10)
    monkeypatch.setattr(QueryAnalyzer, "lists", lists)
    assert reader.searcher() is not old and reader.ask("shins part 1 details").hits[0].doc == "shins.txt"
