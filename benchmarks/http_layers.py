"""Where the API's milliseconds go: the HTTP path taken apart, layer by layer, side by side.

    .venv/bin/python benchmarks/http_layers.py [N] [--env VAR=VALUE] [--block B]  # a table, then JSON (about 4 minutes)

Over the dev index (a copy at .eval-index), the same N dev questions (300 by default) are
sent in turns, each question starting with the next row (``--block B``: turns of B questions,
as ``overhead.py``), to:

* raw: the product's query encoder plus the FAISS search of 50 candidates, in this process
  (``overhead.py``'s floor, so that every row has its ratio to it);
* engine: ``Engine.ask`` in this process (what a question costs without HTTP);
* asgi: uvicorn in a process of its own, serving a bare ASGI app that sends a stored reply
  (the JSON of a real answer, 4 KB): the socket, uvicorn's HTTP and this client's;
* asgi+thread: the same, the reply made in a worker thread first (anyio), as FastAPI runs a
  plain ``def`` endpoint;
* api+stored: the product's API (``serve/api.py``) in uvicorn, its engine replying with a
  stored answer: everything but the search;
* asgi+engine: uvicorn and a bare ASGI app that calls ``Engine.ask`` on the event loop itself
  (no framework, no thread, no validation) and sends its JSON: the least any HTTP server
  of the real engine could do, the floor under ``api``;
* api: ``python -m retrieval api``, what ``make api`` runs: the whole path.

``--env VAR=VALUE`` (repeatable) starts every server with more environment, e.g.
``PYTHONPATH=DIR`` with httptools and uvloop installed in DIR, which uvicorn then uses.

Every server row is one keep-alive ``http.client`` connection (``overhead.Server``, as its
``http`` row). Figures: median wall-clock ms a request, its ratio to ``raw``, and what it adds
to the row it is built on (``BASE``). ``api`` less ``engine`` is what HTTP adds to a real
question; ``api+stored`` less ``asgi+thread`` is FastAPI with the product's routes,
validation and reply.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

from common import DEV_CORPUS, EVAL_INDEX, dev_questions
from overhead import Server, raw, take_turns

from retrieval.engine import Engine
from retrieval.settings import Settings

STORED_QUESTION = "What are the symptoms of Gaucher disease ?"
ROWS = ("raw", "engine", "asgi", "asgi+thread", "api+stored", "asgi+engine", "api")
IN_CLIENT = ("raw", "engine")  # rows run in this process; every other row is a server
SERVED = tuple(r for r in ROWS if r not in IN_CLIENT + ("api",))  # the servers ``serve`` runs (api: the product's)
BASE = {"engine": "raw", "asgi+thread": "asgi", "api+stored": "asgi+thread", "asgi+engine": "engine",
        "api": "engine"}  # what each row adds to
QUESTIONS = ("raw", "engine", "asgi+engine", "api")  # the rows that answer the real question (a ratio to raw)


def _engine() -> Engine:
    engine = Engine(Settings(corpus=DEV_CORPUS, index=EVAL_INDEX, question_log=None))
    engine.warm()
    return engine


def serve(mode: str, port: int) -> None:
    """One server row (run in its own process by ``main``)."""
    import anyio
    import uvicorn

    from retrieval.serve.api import create_app
    from retrieval.serve.roles import Access

    engine = _engine()
    stored = engine.ask(STORED_QUESTION)
    if mode == "api+stored":
        engine.ask = lambda *args, **kwargs: stored  # the product's app, no search
        app = create_app(engine, Access("", "127.0.0.1"))
    else:
        stored_body = json.dumps(stored.to_json(), ensure_ascii=False, separators=(",", ":")).encode()

        async def app(scope, receive, send):  # a bare ASGI app: read the body, send the reply
            if scope["type"] != "http":
                return
            parts, more = [], True
            while more:
                message = await receive()
                parts.append(message.get("body", b""))
                more = message.get("more_body", False)
            body = stored_body
            if mode == "asgi+thread":
                await anyio.to_thread.run_sync(lambda: None)
            elif mode == "asgi+engine" and scope["path"] == "/ask":  # on the loop: no thread hop
                asked = json.loads(b"".join(parts))
                body = json.dumps(engine.ask(asked["question"]).to_json(), ensure_ascii=False,
                                  separators=(",", ":")).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})  # to any path: /healthz too
    uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")).run()


def _serving(mode: str):
    """The command that starts the server of row ``mode`` (None: ``python -m retrieval api``)."""
    if mode == "api":
        return None
    return lambda port: [sys.executable, __file__, "--serve", mode, "--port", str(port)]


def main(n: int, env: dict[str, str], block: int = 1) -> None:
    from contextlib import ExitStack

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    engine = _engine()
    questions = [q["question"] for q in dev_questions(n)]
    with ExitStack() as stack:
        runs = {"raw": raw(engine), "engine": engine.ask,
                **{mode: stack.enter_context(Server(mode, env, command=_serving(mode))).ask for mode in ROWS if mode not in IN_CLIENT}}
        for q in questions[:10]:
            for run in runs.values():
                run(q)
        wall, _ = take_turns({name: runs[name] for name in ROWS}, questions, [], block)
    ms = {name: 1000 * statistics.median(wall[name]) for name in ROWS}
    out = {name: {"ms": round(ms[name], 2), "x_raw": round(ms[name] / ms["raw"], 3) if name in QUESTIONS else None,
                  "adds_ms": round(ms[name] - ms[BASE[name]], 2) if name in BASE else None,
                  "to": BASE.get(name)} for name in ROWS}
    print(f"{'row':12} {'ms':>7} {'x raw':>6} {'adds':>6}  to   (turns of {block}; load before {load})")
    for name, row in out.items():
        adds = "" if row["adds_ms"] is None else f"{row['adds_ms']:6.2f}  {row['to']}"
        ratio = "" if row["x_raw"] is None else f"{row['x_raw']:6.3f}"
        print(f"{name:12} {row['ms']:7.2f} {ratio:>6} {adds}")
    print(f"HTTP adds to a real question (api - engine): {out['api']['adds_ms']:.2f} ms; "
          f"at least (asgi+engine - engine): {out['asgi+engine']['adds_ms']:.2f} ms")
    print(json.dumps({**out, "env": env, "block": block, "load_before": load}))


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} is not VAR=VALUE; write it as PYTHONPATH=DIR")
    return name, value


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=300, help="dev questions (300)")
    ap.add_argument("--env", action="append", default=[], metavar="VAR=VALUE", type=_assignment,
                    help="more environment for every server (e.g. PYTHONPATH=DIR, DIR holding httptools and uvloop)")
    ap.add_argument("--block", type=int, default=1, metavar="B",
                    help="questions each row answers in a row before the next takes its turn (1; overhead.py)")
    ap.add_argument("--serve", choices=SERVED, help=argparse.SUPPRESS)  # a server row, started by main
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.port)
    else:
        main(args.n, dict(args.env), max(1, args.block))
