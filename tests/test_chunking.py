"""Chunking with the real model's tokenizer: passages fit the model, stay in their
section, and their offsets slice the article text exactly."""
from __future__ import annotations

import math

import pytest

from fakes import FOOT, HAMSTRINGS, SEED_CORPUS
from retrieval.ingest.chunking import chunk_article
from retrieval.ingest.loaders import load_article, parse
from retrieval.ingest.sentences import split


@pytest.fixture(scope="module")
def tokens(real_embedder):
    """Tokens the model reads for a text, special tokens included."""
    tokenizer = real_embedder.model.tokenizer
    return lambda text: len(tokenizer(text, truncation=False, verbose=False)["input_ids"])


def assert_well_formed(article, chunks, tokens, limit):
    assert chunks, "no passages"
    for c in chunks:
        assert article.text[c.start:c.end] == c.text
        assert c.text == c.text.strip() and c.text
        assert any(s.start <= c.start and c.end <= s.end and s.heading == c.section for s in article.sections), \
            f"passage {c.ord} crosses a section boundary"
        assert c.embed_text.endswith(c.text)
        assert tokens(c.embed_text) <= limit, f"passage {c.ord} has {tokens(c.embed_text)} tokens"
    assert [c.ord for c in chunks] == list(range(len(chunks)))
    assert len({c.hash for c in chunks}) == len(chunks)


@pytest.mark.parametrize("name", [HAMSTRINGS, FOOT])
def test_seed_articles_fit_the_model(real_embedder, tokens, name):
    article = load_article(SEED_CORPUS / name, SEED_CORPUS)
    chunks = chunk_article(article, real_embedder, target=128)
    assert_well_formed(article, chunks, tokens, real_embedder.limit)
    # Every sentence of every section is in exactly one passage.
    covered = "".join(c.text for c in chunks)
    for s in article.sections:
        for sentence in split(article.text[s.start:s.end]):
            assert sentence in covered
    assert len(chunks) >= len(article.sections)


def test_chunk_size_follows_the_target(real_embedder, tokens):
    article = load_article(SEED_CORPUS / HAMSTRINGS, SEED_CORPUS)
    small = chunk_article(article, real_embedder, target=48)
    large = chunk_article(article, real_embedder, target=200)
    assert len(small) > len(large)
    assert_well_formed(article, small, tokens, real_embedder.limit)
    assert_well_formed(article, large, tokens, real_embedder.limit)


def test_giant_single_sentence_is_cut(real_embedder, tokens):
    sentence = " ".join(f"hamstring{i} tension and" for i in range(800)) + "."
    article = parse(f"Giant sentence\n\nA short intro line here.\n\nThe Long Part\n\n{sentence}\n", "g.txt", ".txt")
    chunks = chunk_article(article, real_embedder, target=128)
    assert_well_formed(article, chunks, tokens, real_embedder.limit)
    long_part = [c for c in chunks if c.section == "The Long Part"]
    assert len(long_part) >= math.ceil(tokens(sentence) / real_embedder.limit)
    assert " ".join(c.text for c in long_part) == sentence


def test_long_title_and_heading_are_shortened_for_the_model(real_embedder, tokens):
    title = " ".join(f"word{i}" for i in range(300))
    md = f"# {title}\n\nBody text sentence. Another one.\n\n## {title} again\n\nMore text here.\n"
    article = parse(md, "t.md", ".md")
    chunks = chunk_article(article, real_embedder)
    assert_well_formed(article, chunks, tokens, real_embedder.limit)
    assert chunks[0].title == title  # the record keeps the full title for display


class ByteCounter:
    """A tokenizer contract where long words cost many tokens (as byte-level BPE does)."""

    limit = 64

    def count(self, texts):
        return [math.ceil(len(t.replace(" ", "")) / 3) for t in texts]


def test_giant_word_is_cut_by_characters():
    blob = "x" * 2000
    article = parse(f"Blob\n\nIntro text here.\n\nData\n\nSee {blob} now.\n", "b.txt", ".txt")
    counter = ByteCounter()
    chunks = chunk_article(article, counter, target=32)
    for c in chunks:
        assert article.text[c.start:c.end] == c.text
        assert counter.count([c.embed_text])[0] + 2 <= counter.limit
    assert "".join(c.text for c in chunks if c.section == "Data").replace(" ", "") == f"See{blob}now."


class WordCounter:
    limit = 256

    def count(self, texts):
        return [len(t.split()) for t in texts]


def test_a_section_splits_evenly_without_a_scrap_at_the_end():
    # Three sentences of 50 words and a last one of 10, about 64 words a passage: a greedy
    # fill leaves the 10-word sentence alone, a passage that embeds as little but its title.
    sentences = ["Some " + " ".join(["word"] * 49) + "." for _ in range(3)] + ["It ends with ten words, so it is brief here."]
    article = parse("Title\n\nBody\n\n" + " ".join(sentences) + "\n", "t.txt", ".txt")
    chunks = [c for c in chunk_article(article, WordCounter(), target=64) if c.section == "Body"]
    sizes = [len(c.text.split()) for c in chunks]
    assert sum(sizes) == 3 * 50 + 10
    assert min(sizes) >= 50, sizes
    assert max(sizes) <= 64, sizes
