"""Property-based fuzzing of every place bad input comes in (issue 19), with Hypothesis.

Targets: the loaders (arbitrary bytes, arbitrary text, structured front matter, HTML,
Markdown, damaged PDFs, and small patterns repeated into large files), the question path
(``Engine.ask`` on a tiny fake-embedder index) and the batch reader (``search --batch``
in this process), the HTTP API's ``/ask`` and ``/search`` bodies, and re-indexing with a
bad file next to a good one. Properties:

* no exception escapes but the project's typed errors (``RetrievalError``);
* a typed error's message is one line;
* time stays bounded by input size (a per-example deadline; the repeated patterns
  make a quadratic path take seconds);
* what was indexed before is still served after a bad file comes in.

Profiles: "ci" (the default: a few hundred examples in all, well under a minute) and
"fuzz" (the long campaign: ``make fuzz``, or ``HYPOTHESIS_PROFILE=fuzz pytest
tests/test_fuzz.py``). FUZZING.md reports a long run.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from fakes import FakeEmbedder, fake_settings, topic_article
from retrieval import cli
from retrieval.engine import Engine
from retrieval.errors import RetrievalError
from retrieval.ingest.chunking import chunk_article
from retrieval.ingest.loaders import SUFFIXES, parse, read_article

# Examples per target: ci keeps the whole file well under a minute on a shared machine.
settings.register_profile("ci", max_examples=200, deadline=timedelta(seconds=3), database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=3000, deadline=timedelta(seconds=5),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
SLOW = max(10, settings.default.max_examples // 8)  # the slow targets (indexing, large files): fewer

COUNTER = FakeEmbedder()


def one_line(err: RetrievalError) -> None:
    message = str(err)
    assert message and "\n" not in message and "\r" not in message, repr(message)


def load(data: bytes, suffix: str):
    """read_article + chunk as the indexer does (PDFs included); only typed errors may escape."""
    name = "fuzz" + suffix
    try:
        article = read_article(data, name, suffix)
    except RetrievalError as err:
        one_line(err)
        return None
    check_article(article)
    return article


def parse_text(text: str, suffix: str):
    try:
        article = parse(text, "fuzz" + suffix, suffix)
    except RetrievalError as err:
        one_line(err)
        return None
    check_article(article)
    return article


def check_article(article) -> None:
    assert isinstance(article.title, str) and isinstance(article.source, str)
    for s in article.sections:
        assert 0 <= s.start <= s.end <= len(article.text) and isinstance(s.heading, str)
    for w in article.warnings:
        assert "\n" not in w
    for c in chunk_article(article, COUNTER, target=32):
        assert article.text[c.start:c.end] == c.text and c.text.strip()
        assert len(c.text) <= 4_000


# --- strategies ---------------------------------------------------------------------

ODD = ["\x00", "\ufeff", "\u2028", "\u2029", "\x85", "\r", "\t", "\u00a0", "\u200b", "\ud800", "\udcff"]
chars = st.one_of(st.characters(), st.sampled_from(ODD))
texts = st.text(chars, max_size=300)
decoded = st.text(st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(ODD[:-2])), max_size=300)  # decode() never yields surrogates
suffixes = st.sampled_from(SUFFIXES)
words = st.sampled_from(["knee", "pain", "IT", "band", "run", "#", "##", "-", "*", "---", "...", ".", ":", "!",
                         "<p>", "</p>", "<div>", "[", "]", "{", "}", "&a", "*a", "!!binary", "\t", " ", "é", "\\"])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(chars, max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)

yaml_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.dates()
yaml_values = st.recursive(yaml_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=10)
raw_yaml = st.lists(st.sampled_from([
    "title: Knee pain", "title: [a, b]", "title: {a: 1}", "title:", "title: &x [1]", "source: *x", "<<: *x",
    "title: !!python/object:os.system ls", "title: !!binary aGVsbG8=", "title: 1" + "0" * 5000, "- a", "  - b",
    "title: |", "  two lines", "title: 'unclosed", "? complex key", ": value", "%YAML 1.1", "---", "...",
    "title: " + "[" * 300, "title: 2020-01-01", "source: https://example.org/a", "\t"]), max_size=8).map("\n".join)


@st.composite
def front_matter_docs(draw) -> str:
    if draw(st.booleans()):
        meta = draw(st.dictionaries(st.sampled_from(["title", "source", "other"]), yaml_values, max_size=3))
        fm = yaml.safe_dump(meta, allow_unicode=True)
    else:
        fm = draw(raw_yaml)
    body = draw(st.lists(st.sampled_from(["# Knee pain", "## Care", "Runners get sore knees.", "", "text"]), max_size=6))
    return "---\n" + fm + "\n---\n" + "\n".join(body)


TAGS = ["div", "p", "span", "article", "main", "nav", "script", "style", "title", "h1", "h2", "table", "tr", "td",
        "ul", "li", "a", "br", "img", "head", "body", "html", "pre", "code", "!--", "meta"]
html_trees = st.recursive(
    st.text(chars, max_size=40),
    lambda inner: st.tuples(st.sampled_from(TAGS), st.lists(inner, max_size=4), st.booleans()), max_leaves=25)


def render(tree) -> str:
    if isinstance(tree, str):
        return tree
    tag, children, closed = tree
    inner = "".join(render(c) for c in children)
    return f"<{tag}>{inner}" + (f"</{tag}>" if closed else "")


@st.composite
def html_docs(draw) -> str:
    depth = draw(st.sampled_from([0, 0, 0, 10, 300]))  # sometimes deeper than libxml2 reads
    core = render(draw(html_trees))
    return "<html><head><title>T</title></head><body>" + "<div>" * depth + core + "</div>" * depth + "</body></html>"


md_lines = st.lists(st.one_of(
    st.tuples(st.integers(0, 8), st.text(chars, max_size=30)).map(lambda t: "#" * t[0] + " " + t[1]),
    st.sampled_from(["", "```", "- item", "* item", "1. one", "> quote", "| a | b |", "|---|---|", "---", "***",
                     "Runners get sore knees after long runs.", "    code", "#", "# ", "#\t#", " " * 50]),
    st.text(chars, max_size=60)), max_size=25).map("\n".join)


# --- loaders ------------------------------------------------------------------------

@given(st.binary(max_size=2000), suffixes)
def test_loaders_take_arbitrary_bytes(data, suffix):
    load(data, suffix)


@given(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1"]), st.text(max_size=300), suffixes)
def test_loaders_take_arbitrary_text_in_any_encoding(encoding, text, suffix):
    load(text.encode(encoding, "replace"), suffix)


@given(decoded, suffixes)
def test_parsers_take_arbitrary_decoded_text(text, suffix):
    parse_text(text, suffix)


@given(front_matter_docs())
def test_front_matter_never_escapes_and_titles_are_text(doc):
    article = load(doc.encode("utf-8", "surrogatepass"), ".md")
    if article is not None:
        assert not article.title.startswith(("[", "{")) or article.title in doc


@given(html_docs())
def test_html_never_escapes(doc):
    load(doc.encode("utf-8", "surrogatepass"), ".html")


@given(md_lines)
def test_markdown_never_escapes(doc):
    load(doc.encode("utf-8", "surrogatepass"), ".md")


@st.composite
def damaged_pdfs(draw) -> bytes:
    """A real PDF (tests/pdfs.py) with bytes flipped, cut out or spliced in."""
    from pdfs import handout

    data = bytearray(handout())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif at > 0:
            del data[at:]
        if not data:
            break
    return bytes(data)


@given(damaged_pdfs())
def test_damaged_pdfs_never_escape(data):
    load(data, ".pdf")


@settings(max_examples=SLOW)
@given(st.lists(st.one_of(words, chars), min_size=1, max_size=12).map("".join), st.integers(2_000, 30_000), suffixes)
def test_time_is_linear_in_a_repeated_pattern(pattern, times, suffix):
    """A short pattern repeated into a file of up to ~400 KB: a quadratic path (blank lines,
    runs of spaces, unclosed tags) takes many seconds here, and misses the deadline."""
    load((pattern * times).encode("utf-8", "surrogatepass")[:400_000], suffix)


# --- questions and the batch reader ---------------------------------------------------

@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory) -> Engine:
    base = tmp_path_factory.mktemp("fuzz")
    (base / "corpus").mkdir()
    for topic in ("hamstrings", "knees"):
        (base / "corpus" / f"{topic}.txt").write_text(topic_article(topic), encoding="utf-8")
    engine = Engine(fake_settings(base / "corpus", base / "index"), embedder=FakeEmbedder())
    engine.index()
    return engine


questions = st.one_of(texts, st.lists(st.one_of(words, chars), max_size=20).map(lambda t: "what about " + "".join(t)))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(question=st.one_of(questions, json_values), history=st.lists(st.one_of(questions, json_values), max_size=3),
       top_k=st.integers(1, 50))
def test_ask_takes_any_question(tiny_engine, question, history, top_k):
    try:
        reply = tiny_engine.ask(question, history=history, top_k=top_k)
    except RetrievalError as err:
        one_line(err)
        return
    assert len(reply.hits) <= top_k and isinstance(reply.answer, str)
    json.dumps(reply.to_json())


batch_lines = st.one_of(
    st.builds(lambda v: json.dumps(v).encode(), json_values),
    st.builds(lambda q, h, i: json.dumps({"id": i, "question": q, "history": h}).encode(),
              st.one_of(questions, json_values), st.one_of(st.lists(questions, max_size=2), json_values), json_values),
    st.binary(max_size=80),
    st.text(chars, max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=st.lists(batch_lines, max_size=6), bom=st.booleans())
def test_batch_reader_answers_every_line(tiny_engine, lines, bom):
    content = (b"\xef\xbb\xbf" if bom else b"") + b"\n".join(line.replace(b"\n", b" ") for line in lines)
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        batch.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["search", "--batch", str(batch), "--top-k", "2"], engine_factory=lambda s: tiny_engine)
    assert code == 0, err.getvalue()
    rows = [json.loads(row) for row in out.getvalue().splitlines()]
    lines = content.removeprefix(b"\xef\xbb\xbf").split(b"\n")  # a byte-order mark opens the file only
    assert len(rows) == sum(1 for line in lines if line.decode("utf-8", "replace").strip())
    for row in rows:
        assert "id" in row and ("error" in row or "hits" in row)
        assert "\n" not in row.get("error", "")


# --- re-indexing: what was indexed before is still served ------------------------------

bad_files = st.one_of(st.binary(max_size=3000), texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      front_matter_docs().map(lambda d: d.encode("utf-8", "surrogatepass")),
                      html_docs().map(lambda d: d.encode("utf-8", "surrogatepass")), md_lines.map(lambda d: d.encode("utf-8", "surrogatepass")))


@settings(max_examples=SLOW, deadline=timedelta(seconds=10))
@given(data=bad_files, suffix=suffixes, replace_good=st.booleans())
def test_indexed_articles_survive_a_bad_file(data, suffix, replace_good):
    """Index a good article, add a fuzzed file (or overwrite the good one with it), re-index:
    the good article is still found, unless its new content was itself indexed."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        (corpus / "good.txt").write_text(topic_article("hamstrings"), encoding="utf-8")
        engine = Engine(fake_settings(corpus, index), embedder=FakeEmbedder())
        engine.index()
        target = corpus / ("good.txt" if replace_good else "fuzzed" + suffix)
        target.write_bytes(data)
        try:
            report = engine.index()
        except RetrievalError as err:  # the index itself must never be the casualty
            pytest.fail(f"indexing raised {err!r}")
        for line in report.warning_lines():
            assert "\n" not in line
        if not (replace_good and "good.txt" in report.updated):
            assert [h.doc for h in engine.ask("hamstrings1 details", top_k=3).hits][:1] == ["good.txt"]



# --- the HTTP API: any body to /ask and /search ----------------------------------------

@pytest.fixture(scope="module")
def api(tiny_engine):
    from fastapi.testclient import TestClient

    from retrieval.serve.api import create_app
    from retrieval.serve.roles import Access

    return TestClient(create_app(tiny_engine, Access("", "127.0.0.1")))


question_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"question": st.one_of(questions, json_values)},
                          optional={"history": st.one_of(st.lists(questions, max_size=2), json_values),
                                    "top_k": st.one_of(st.integers(-5, 10**6), json_values)}))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(["/ask", "/search"]), body=st.one_of(
    question_bodies.map(lambda v: json.dumps(v).encode()), st.lists(question_bodies, max_size=3).map(
        lambda v: json.dumps(v).encode()), st.binary(max_size=200)))
def test_api_answers_any_body_without_a_server_error(api, path, body):
    """No body makes a 500 or an unhandled exception (TestClient re-raises those); an error is one JSON line."""
    reply = api.post(path, content=body, headers={"content-type": "application/json"})
    assert reply.status_code < 500, reply.text
    if reply.status_code >= 400:
        message = reply.json()["error"]
        assert message and "\n" not in message
