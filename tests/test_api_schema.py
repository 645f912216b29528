"""Schemathesis against the API's own OpenAPI schema: whatever the schema allows, the API
answers without a server error, and every refusal is one line of JSON {"error": ...}."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from fakes import FakeEmbedder, fake_settings, topic_article
from retrieval.engine import Engine
from retrieval.serve.api import create_app
from retrieval.serve.roles import Access


def _app():
    """The API over a tiny fake-embedder index; an admin token is set and never sent, so
    uploads and deletes are refused and the corpus stays as it is."""
    folder = Path(tempfile.mkdtemp(prefix="api-schema-"))
    atexit.register(shutil.rmtree, folder, True)
    corpus = folder / "corpus"
    corpus.mkdir()
    for topic in ("knees", "shins"):
        (corpus / f"{topic}.txt").write_text(topic_article(topic), encoding="utf-8")
    engine = Engine(fake_settings(corpus, folder / "index"), embedder=FakeEmbedder())
    engine.index()
    return create_app(engine, Access("a-token-no-case-sends", "127.0.0.1"))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_on_what_its_schema_allows(case):
    response = case.call()
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and body["error"] and "\n" not in body["error"], body
