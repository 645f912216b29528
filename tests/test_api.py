"""The HTTP API: in-process with FastAPI's TestClient on the fake embedder, one real server on the real model."""
from __future__ import annotations

import http.client
import json
import re
import shutil
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient

from fakes import FAKE_CLI, HAMSTRINGS, SEED_CORPUS, cli_env, topic_article
from retrieval.serve.api import create_app
from retrieval.serve.chat import free_port, launch, stop, wait_healthy
from retrieval.serve.roles import Access

TOKEN = "s3cret-token"
REPLY_KEYS = {"abstained", "answer", "hits", "query", "followup", "confidence"}


@pytest.fixture
def indexed(engine, write):
    write("knees.txt", topic_article("knees"))
    write("shins.txt", topic_article("shins"))
    engine.index()
    return engine


def client(engine, token: str = "", host: str = "127.0.0.1") -> TestClient:
    return TestClient(create_app(engine, Access(token, host)))


def test_ask_returns_the_batch_reply_object(indexed):
    api = client(indexed)
    out = api.post("/ask", json={"question": "knees part 1 details", "top_k": 2})
    assert out.status_code == 200
    reply = out.json()
    assert REPLY_KEYS <= set(reply) and reply["hits"][0]["doc"] == "knees.txt" and len(reply["hits"]) == 2
    follow = api.post("/ask", json={"question": "and the next part?", "history": ["knees part 1 details"]}).json()
    assert follow["followup"] is True


def test_search_answers_a_list_in_order(indexed):
    out = client(indexed).post("/search", json=[{"question": "shins part 2"}, {"question": "knees part 1"}])
    assert [r["hits"][0]["doc"] for r in out.json()] == ["shins.txt", "knees.txt"]


def test_errors_are_one_line_json_with_the_cli_messages(indexed, make_engine, tmp_path):
    api = client(indexed)
    empty = api.post("/ask", json={"question": "  "})
    assert (empty.status_code, empty.json()) == (400, {"error": "The question is empty; type a question about the articles."})
    missing = api.post("/ask", json={"history": []})
    assert missing.status_code == 422 and missing.json()["error"].startswith("question: ")
    assert api.post("/ask", json={"question": "knees", "top_k": 0}).status_code == 422
    assert "at most 50" in api.post("/ask", json={"question": "knees", "top_k": 51}).json()["error"]
    assert api.post("/search", json=[{"question": "knees"}] * 101).status_code == 400
    nothing = client(make_engine(index=tmp_path / "none")).post("/ask", json={"question": "knees"})
    assert nothing.status_code == 503 and "\n" not in nothing.json()["error"]
    assert "run `python -m retrieval index` first" in nothing.json()["error"]


def test_bodies_over_the_limit_are_refused_before_they_are_read(indexed):
    api = client(indexed)
    big = json.dumps({"question": "knees " * 20_000})
    out = api.post("/ask", content=big, headers={"content-type": "application/json"})
    assert out.status_code == 413 and "65,536-byte limit" in out.json()["error"]

    def chunks():  # no Content-Length: counted while read
        for _ in range(100):
            yield b" " * 1024
    streamed = api.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_a_streamed_body_within_the_limit_is_answered_whole(indexed):
    """A body without Content-Length is read and counted by the limit, then handed on unchanged."""
    api = client(indexed)
    body = json.dumps({"question": "knees part 1 details", "top_k": 2}).encode()

    def chunks():
        for i in range(0, len(body), 7):
            yield body[i:i + 7]
    out = api.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert out.status_code == 200 and out.json()["hits"][0]["doc"] == "knees.txt"


def test_uploads_have_their_own_larger_limit_streamed_or_not(indexed, corpus):
    api = client(indexed, token=TOKEN)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    text = topic_article("ankles") + "\n\n" + "Ankles need rest and care. " * 4000  # ~100 KiB: over /ask's limit
    files = {"file": ("ankles.md", text.encode(), "text/markdown")}
    assert api.post("/articles", files=files, headers=admin).status_code == 200
    huge = b"x" * (indexed.settings.max_article_bytes + 65 * 1024)

    def chunks():
        for i in range(0, len(huge), 64 * 1024):
            yield huge[i:i + 64 * 1024]
    refused = api.post("/articles", content=chunks(), headers={**admin, "content-type": "multipart/form-data; boundary=b"})
    assert refused.status_code == 413 and "byte limit" in refused.json()["error"]


def test_the_body_limit_is_plain_asgi_not_a_per_request_wrapper(indexed):
    """``BaseHTTPMiddleware`` (``@app.middleware("http")``) wraps every request in a task group
    and a request/response pair of its own: about as much time again as the rest of the
    framework's work on a question (BENCHMARKS.md, "Per-question cost")."""
    from starlette.middleware.base import BaseHTTPMiddleware

    app = create_app(indexed, Access("", "127.0.0.1"))
    assert not [m for m in app.user_middleware if issubclass(m.cls, BaseHTTPMiddleware)]


def test_stats_healthz_and_the_openapi_page(indexed):
    api = client(indexed)
    assert api.get("/healthz").json() == {"ok": True, "index": True}
    assert api.get("/stats").json()["articles"] == 2
    assert api.get("/docs").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    assert {"/ask", "/search", "/stats", "/healthz", "/articles", "/articles/{doc_id}"} <= set(paths)


def test_uploads_need_the_admin_token(indexed, corpus):
    api = client(indexed, token=TOKEN)
    files = {"file": ("ankles.md", topic_article("ankles").encode(), "text/markdown")}
    refused = api.post("/articles", files=files)
    assert refused.status_code == 403 and "admin token" in refused.json()["error"]
    wrong = api.post("/articles", files=files, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and not (corpus / "ankles.md").exists()
    ok = api.post("/articles", files=files, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["report"]["added"] == ["ankles.md"]
    assert api.post("/ask", json={"question": "ankles part 1"}).json()["hits"][0]["doc"] == "ankles.md"
    again = api.post("/articles", files=files, headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.status_code == 400 and "already exists" in again.json()["error"]


def test_deleting_an_article_needs_the_admin_token_and_an_article_inside_the_corpus(indexed, corpus):
    api = client(indexed, token=TOKEN)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    assert api.delete("/articles/knees.txt").status_code == 403 and (corpus / "knees.txt").exists()
    gone = api.delete("/articles/knees.txt", headers=admin)
    assert gone.status_code == 200 and gone.json()["report"]["removed"] == ["knees.txt"]
    assert not (corpus / "knees.txt").exists()
    assert {h["doc"] for h in api.post("/ask", json={"question": "knees part 1"}).json()["hits"]} == {"shins.txt"}
    for doc in ("knees.txt", "..%2Fcorpus%2Fshins.txt", "nothing.md"):
        missing = api.delete(f"/articles/{doc}", headers=admin)
        assert missing.status_code == 404 and "no such article" in missing.json()["error"]
    assert (corpus / "shins.txt").exists()


def test_without_an_admin_changes_need_a_loopback_server(indexed):
    files = {"file": ("ankles.md", topic_article("ankles").encode(), "text/markdown")}
    public = client(indexed, host="0.0.0.0").post("/articles", files=files)
    assert public.status_code == 403
    assert public.json()["error"] == ("The articles are read-only: the server listens on 0.0.0.0, not a loopback "
                                      "address, and no admin is configured; set RETRIEVAL_ADMIN_TOKEN to allow changes.")
    assert client(indexed, host="0.0.0.0").post("/ask", json={"question": "knees"}).status_code == 200
    assert client(indexed, host="::1").post("/articles", files=files).status_code == 200


def test_the_access_policy():
    assert Access("", "127.0.0.1").may_change().allowed and Access("", "localhost").may_change().allowed
    assert not Access("", "10.0.0.5").may_change().allowed and not Access("", "example.org").may_change().allowed
    with_token = Access(TOKEN, "127.0.0.1", frozenset({"editor@clinic.org"}))
    assert not with_token.may_change().allowed and not with_token.may_change("x").allowed
    assert with_token.may_change(TOKEN).allowed and with_token.may_change(email="Editor@Clinic.org").allowed
    configured = Access.configure("0.0.0.0", env={"RETRIEVAL_ADMIN_TOKEN": " t "},
                                  secrets={"admin": {"emails": ["A@b.org"]}})
    assert configured.token == "t" and configured.admin_emails == {"a@b.org"}
    assert Access.configure("h", env={}, secrets={"admin_token": "from-secrets"}).token == "from-secrets"


def test_make_api_serves_the_seed_question(tmp_path):
    """A real server, started by the command `make api` runs, on the real model."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    env = {**cli_env(), "RETRIEVAL_CORPUS": str(corpus), "RETRIEVAL_INDEX": str(tmp_path / "index")}
    index = launch([sys.executable, "-m", "retrieval", "index"], env, tmp_path / "index.log")
    assert index.wait(300) == 0, (tmp_path / "index.log").read_text()
    port = free_port()
    proc = launch([sys.executable, "-m", "retrieval", "api", "--port", str(port)], env, tmp_path / "api.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, 180, poll_s=0.2, path="/healthz")
        reply = post_json(f"{url}/ask", {"question": "can tight hamstrings cause IT band pain"})
        assert reply["hits"][0]["doc"] == HAMSTRINGS and not reply["abstained"]
        assert chunked_post(port, "/ask", [b" " * 1024] * 100) == 413  # no Content-Length: counted as read
    finally:
        assert stop(proc), (tmp_path / "api.log").read_text()


def edition(n: int) -> str:
    body = " ".join(f"Knee braces edition{n} support the joint, part {k}." for k in range(4))
    return f"Knee braces\n\nWhat braces do\n\n{body}\n"


def test_two_api_processes_and_one_writer_share_one_index(tmp_path):
    """Generations are immutable and published atomically: every reply comes from one whole
    generation, and both readers move to the new one after the writer publishes it."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "braces.txt").write_text(edition(1), encoding="utf-8")
    (corpus / "other.txt").write_text(topic_article("shins"), encoding="utf-8")
    env = {**cli_env(), "RETRIEVAL_CORPUS": str(corpus), "RETRIEVAL_INDEX": str(index)}
    fake_cli = [sys.executable, str(FAKE_CLI)]
    assert launch(fake_cli + ["index"], env, tmp_path / "index.log").wait(120) == 0
    ports = [free_port(), free_port()]
    readers = [launch(fake_cli + ["api", "--port", str(p)], env, tmp_path / f"api{p}.log") for p in ports]
    writer = launch(fake_cli + ["watch", "--debounce", "0.3"], env, tmp_path / "watch.log")
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for url, proc in zip(urls, readers):
            wait_healthy(url, proc, 120, poll_s=0.2, path="/healthz")
        assert {editions(url) for url in urls} == {frozenset({"1"})}
        (corpus / "braces.txt").write_text(edition(2), encoding="utf-8")
        seen = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and seen != {(u, frozenset({"2"})) for u in urls}:
            for url in urls:
                got = editions(url)
                assert len(got) == 1, f"a reply mixed generations: {got}"
                seen.add((url, got))
            seen = {(u, e) for u, e in seen if e == frozenset({"2"})}
        assert seen == {(u, frozenset({"2"})) for u in urls}
        generations = {get_json(f"{url}/stats")["generation"] for url in urls}
        assert len(generations) == 1 and generations != {"g000001"}
    finally:
        for proc in readers + [writer]:
            assert stop(proc)


def editions(url: str) -> frozenset[str]:
    reply = post_json(f"{url}/ask", {"question": "what do knee braces do", "top_k": 4})
    return frozenset(m for h in reply["hits"] if h["doc"] == "braces.txt"
                     for m in re.findall(r"edition(\d+)", h["text"]))


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.loads(resp.read())


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return json.loads(resp.read())


def chunked_post(port: int, path: str, chunks: list[bytes]) -> int:
    """POST a body in chunked transfer encoding (no Content-Length); the status code."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, iter(chunks), {"content-type": "application/json"}, encode_chunked=True)
        return conn.getresponse().status
    finally:
        conn.close()


def test_the_server_loads_the_model_and_index_before_its_port_opens(indexed, monkeypatch):
    """``python -m retrieval api`` opens the index and answers through the model before uvicorn
    opens the port, so the first question is not the one that waits for them."""
    import uvicorn

    from retrieval.serve import api

    seen = {}

    def run(server, sockets=None):  # the moment the port would open
        seen["open"] = indexed._searcher is not None
        seen["healthz"] = TestClient(server.config.app).get("/healthz").status_code

    indexed._searcher = None  # as a fresh process starts: nothing opened yet
    monkeypatch.setattr(uvicorn.Server, "run", run)
    assert api.serve_api(indexed, "127.0.0.1", 8123) == 0
    assert seen["open"] is True and seen["healthz"] == 200


def test_several_worker_processes_serve_one_socket_and_stop_together(tmp_path):
    """``api --workers 2``: two processes, each with its own engine, answer on one port; the
    port opens only once a worker is ready; Ctrl-C stops the parent and both workers."""
    import psutil

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "braces.txt").write_text(edition(1), encoding="utf-8")
    env = {**cli_env(), "RETRIEVAL_CORPUS": str(corpus), "RETRIEVAL_INDEX": str(tmp_path / "index")}
    fake_cli = [sys.executable, str(FAKE_CLI)]
    assert launch(fake_cli + ["index"], env, tmp_path / "index.log").wait(120) == 0
    port = free_port()
    proc = launch(fake_cli + ["api", "--port", str(port), "--workers", "2"], env, tmp_path / "api.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, 120, poll_s=0.2, path="/healthz")
        workers = psutil.Process(proc.pid).children()
        assert len(workers) == 2
        assert all(editions(url) == {"1"} for _ in range(6))  # a new connection each: both workers take some
        assert all(w.is_running() for w in workers)
    finally:
        assert stop(proc), (tmp_path / "api.log").read_text()
    assert not any(w.is_running() for w in workers)


def test_the_workers_option_refuses_what_is_not_a_count():
    from retrieval import cli

    with pytest.raises(SystemExit):
        cli._parser().parse_args(["api", "--workers", "0"])
    assert cli._parser().parse_args(["api", "--workers", "2"]).workers == 2
