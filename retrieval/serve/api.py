"""The HTTP API (FastAPI), a thin skin over the same ``Engine`` as the chat and the CLI.

    make api      # http://127.0.0.1:8000, OpenAPI page at /docs

* ``POST /ask`` ``{"question", "history", "top_k"}``: the batch format's reply object;
* ``POST /search``: a list of those, answered in order;
* ``GET /stats``, ``GET /healthz``;
* ``POST /articles`` (a multipart file upload, ``overwrite``) and
  ``DELETE /articles/{id}``: admins only (``serve/roles.py``), bearer token.

Every body has a size limit (``Settings``); errors are JSON ``{"error": "..."}`` with
the same one-line messages as the CLI.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, File, Form, Header, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..engine import Engine
from ..errors import (ArticleNotFound, BadArticle, BadQuestion, BadUpload, IndexBusy, IndexCorrupt, IndexMissing,
                      NotAllowed, RequestTooLarge, RetrievalError, SettingsMismatch)
from .roles import Access
from .workers import serve_forked

STATUS = [(BadQuestion, 400), (BadUpload, 400), (BadArticle, 400), (NotAllowed, 403), (ArticleNotFound, 404), (RequestTooLarge, 413),
          (IndexBusy, 409), (IndexMissing, 503), (IndexCorrupt, 503), (SettingsMismatch, 503)]


class Question(BaseModel):
    question: str = Field(description="what the user typed")
    history: list[str] = Field(default_factory=list, description="earlier user questions, oldest first")
    top_k: int = Field(5, ge=1, description="passages to return")


def status_of(err: RetrievalError) -> int:
    return next((code for kind, code in STATUS if isinstance(err, kind)), 500)


def create_app(engine: Engine, access: Access) -> FastAPI:
    """The API over ``engine``; ``access`` decides who may change the articles."""
    app = FastAPI(title="Health-article Q&A", description=__doc__.split("\n\n")[0])
    limits = engine.settings
    app.add_middleware(BodyLimit, limit=limits.max_request_bytes, upload_limit=limits.max_article_bytes + 64 * 1024)
    app.exception_handler(RetrievalError)(_retrieval_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(HTTPException)(_http_error)

    def admin(authorization: Annotated[str | None, Header()] = None) -> None:
        token = authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else None
        decision = access.may_change(token)
        if not decision.allowed:
            raise NotAllowed(decision.reason)

    def answer(q: Question) -> dict:
        if q.top_k > limits.max_top_k:
            raise BadQuestion(f"top_k is {q.top_k}; ask for at most {limits.max_top_k} passages.")
        return engine.ask(q.question, history=q.history, top_k=q.top_k).to_json()

    # The replies are already plain JSON values: sent as they are, not re-validated
    # field by field (that cost more than the search itself; BENCHMARKS.md, "Load").
    @app.post("/ask", summary="Answer one question", response_class=JSONResponse)
    def ask(q: Question) -> JSONResponse:
        return JSONResponse(answer(q))

    @app.post("/search", summary="Answer a list of questions, in order", response_class=JSONResponse)
    def search(questions: list[Question]) -> JSONResponse:
        if len(questions) > limits.max_batch_questions:
            raise BadQuestion(f"{len(questions)} questions in one request; send at most "
                              f"{limits.max_batch_questions}.")
        return JSONResponse([answer(q) for q in questions])

    @app.get("/stats", summary="What the index holds")
    def stats() -> dict:
        return engine.stats().__dict__

    @app.get("/healthz", summary="Liveness, and whether an index is there to ask")
    def healthz() -> dict:
        return {"ok": True, "index": engine.has_index()}

    @app.post("/articles", summary="Add or replace an article (admin)", dependencies=[Depends(admin)])
    def upload(file: Annotated[UploadFile, File()], overwrite: Annotated[bool, Form()] = False) -> dict:
        saved, report = engine.add_article(file.filename or "", file.file.read(), overwrite=overwrite, wait=30)
        return {"article": saved, "report": report.to_json()}

    @app.delete("/articles/{doc_id:path}", summary="Remove an article (admin)", dependencies=[Depends(admin)])
    def remove(doc_id: str) -> dict:
        return {"article": doc_id, "report": engine.remove_article(doc_id, wait=30).to_json()}

    return app


def _retrieval_error(request: Request, err: RetrievalError) -> JSONResponse:
    return JSONResponse({"error": str(err)}, status_code=status_of(err))


def _http_error(request: Request, err: HTTPException) -> JSONResponse:
    """The framework's own refusals (a body that is not JSON, an unknown path) in the same one-line format."""
    detail = " ".join(str(err.detail).split()) or "invalid request"
    return JSONResponse({"error": f"{detail}; see /docs for the request format."}, status_code=err.status_code,
                        headers=getattr(err, "headers", None))


def _validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
    first = err.errors()[0] if err.errors() else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
    return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid')}; see /docs for the request format."},
                        status_code=422)


class BodyLimit:
    """Refuses a body over its limit (uploads under ``/articles`` have their own) with a 413.

    Pure ASGI, so a request pays one header look-up, not a task group and a
    request/response wrapper of its own (``BaseHTTPMiddleware``). A declared
    ``Content-Length`` over the limit is refused before the body is read; the server
    then holds the body to that length. A body without one (chunked) is read here,
    counted as it comes, and handed on whole once it is known to fit.
    """

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int):
        self.app, self.limit, self.upload_limit = app, limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        allowed = self.upload_limit if scope["path"].startswith("/articles") else self.limit
        declared = _header(scope, b"content-length")
        if declared is None and scope["method"] in ("POST", "PUT", "PATCH"):
            body = await _read_at_most(receive, allowed)
            if body is None:  # the client went away: nobody to answer
                return
            receive, declared = _replay(body, receive), str(len(body))
        if declared is not None and declared.isdigit() and int(declared) > allowed:
            return await _too_large(allowed)(scope, receive, send)
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k.lower() == name), None)


async def _read_at_most(receive: Receive, limit: int) -> bytes | None:
    """The whole body; its first ``limit + 1`` bytes once it is over ``limit`` (the rest
    is not read); None if the client went away."""
    parts, size, more = [], 0, True
    while more and size <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return None
        parts.append(message.get("body", b""))
        size += len(parts[-1])
        more = message.get("more_body", False)
    return b"".join(parts)[: limit + 1]


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` in one message, then what the server sends next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


def _too_large(limit: int) -> JSONResponse:
    err = RequestTooLarge(f"The request body is over the {limit:,}-byte limit; send less at once.")
    return JSONResponse({"error": str(err)}, status_code=413)


def serve_api(engine: Engine, host: str, port: int, workers: int = 1) -> int:
    """Run the API with uvicorn until interrupted (``python -m retrieval api``).

    The model, the index and the urgent-care examples are loaded before the port opens,
    so once ``/healthz`` answers, the first question is answered at once. ``workers`` > 1
    serves from that many processes on one socket (``serve/workers.py``), each loading
    its own model before it takes a connection."""
    import uvicorn

    access = Access.configure(host)
    config = uvicorn.Config(create_app(engine, access), host=host, port=port, log_level="info")
    if workers <= 1:
        engine.warm()
        uvicorn.Server(config).run()
        return 0

    def run(sock) -> None:
        engine.warm()
        uvicorn.Server(config).run(sockets=[sock])

    return serve_forked(config.bind_socket, run, workers)
