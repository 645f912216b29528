"""Command line: ``python -m retrieval {index,ask,search,stats,eval,watch,serve,api,log}``.

Parses options, calls ``Engine``, prints. Errors the user can fix become one line
on stderr and a non-zero exit code: 2 bad input (question, corpus, article), 3 a
damaged index, 4 another run is indexing, 5 the index was built with another model
or chunker (rebuild with ``index --full``).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
from pathlib import Path
from typing import Callable

from .engine import Engine
from .errors import BadQuestion, RetrievalError
from .records import Answer
from .settings import Settings


EngineFactory = Callable[[Settings], Engine]


def main(argv: list[str] | None = None, engine_factory: EngineFactory = Engine) -> int:
    """Run one command; ``engine_factory(settings)`` builds the engine (tests pass a fake embedder)."""
    args = _parser().parse_args(argv)
    args.engine_factory = engine_factory
    _never_fail_to_print()
    try:
        return args.func(args) or 0
    except RetrievalError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # the system refused a path the core does not own (a last resort)
        print(f"error: {err.filename or 'a file'}: {err.strerror or err}; check the path and its permissions.",
              file=sys.stderr)
        return 1


def _never_fail_to_print() -> None:
    """A path given in bytes that are not UTF-8 comes back as lone surrogates; print them
    escaped instead of failing. Text that encodes is printed as it is."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _count(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; ask for at least one passage")
    return value


def _workers(text: str) -> int:
    """An argparse type: a number of worker processes, 1 or more."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers; give 1 or more")
    return int(text)


def _at_least_zero(kind):
    """An argparse type: a finite number of ``kind`` that is 0 or more."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{text} must be 0 or more")
        return value
    return parse


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, default=None, help="articles folder (default: corpus/, env RETRIEVAL_CORPUS)")
    common.add_argument("--index", type=Path, default=None, help="index folder (default: index/, env RETRIEVAL_INDEX)")
    common.add_argument("--model", default=None, help="sentence-transformers model name or path (env RETRIEVAL_MODEL)")
    common.add_argument("--backend", choices=["torch", "onnx"], default=None, help="embedding backend (env RETRIEVAL_BACKEND)")
    p = argparse.ArgumentParser(prog="retrieval", description="Retrieval Q&A over a folder of health articles.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("index", parents=[common], help="build or update the index from the corpus")
    s.add_argument("--full", action="store_true", help="rebuild from scratch (after a model or chunker change)")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("--no-wait", action="store_true", help="exit at once if another run is indexing")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("ask", parents=[common], help="ask one question")
    s.add_argument("question")
    s.add_argument("--history", action="append", default=[], help="an earlier question (repeat, oldest first)")
    s.add_argument("--top-k", type=_count, default=5)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("search", parents=[common], help="answer a JSONL file of questions")
    s.add_argument("--batch", type=Path, required=True, help='JSONL: {"id", "question", "history"}')
    s.add_argument("--top-k", type=_count, default=5)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("stats", parents=[common], help="what the index holds")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("eval", parents=[common], help="score a question set (indexes first if needed)")
    s.add_argument("questions", type=Path)
    s.add_argument("--top-k", type=_count, default=10)
    s.add_argument("--no-baselines", action="store_true", help="skip the BM25-only and naive dense baselines")
    s.add_argument("--limit", type=_at_least_zero(int), default=0, help="use only the first N questions")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("watch", parents=[common], help="re-index whenever the corpus changes")
    s.add_argument("--debounce", type=_at_least_zero(float), default=1.0, help="seconds of quiet before re-indexing")
    s.set_defaults(func=cmd_watch)

    s = sub.add_parser("serve", parents=[common], help="serve the chat (Streamlit) and watch the corpus, as `make run` does")
    s.add_argument("--host", default=None, help="address to bind (default: .streamlit/config.toml, 127.0.0.1)")
    s.add_argument("--port", type=int, default=None, help="port (default: .streamlit/config.toml, 8501)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("api", parents=[common], help="serve the HTTP API (what `make api` runs)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--workers", type=_workers, default=1,
                   help="worker processes, each with its own model, on one socket (default 1)")
    s.set_defaults(func=cmd_api)

    s = sub.add_parser("log", help="the question log: declined questions and thumbs-down answers")
    s.add_argument("--log", type=Path, default=None,
                   help="log file (default: questions.sqlite, env RETRIEVAL_QUESTION_LOG; off = no log)")
    s.add_argument("--export", type=Path, default=None, metavar="FILE",
                   help="write every declined or rated question as CSV to FILE")
    s.add_argument("--top", type=int, default=10, help="how many declined questions to list")
    s.set_defaults(func=cmd_log)
    return p


def settings_from(args) -> Settings:
    return Settings.from_env(corpus=args.corpus, index=args.index, model=args.model, backend=args.backend)


def _engine(args) -> Engine:
    return args.engine_factory(settings_from(args))


# --- index -------------------------------------------------------------------------

def cmd_index(args) -> int:
    engine = _engine(args)
    quiet = args.json or not sys.stderr.isatty()
    with _progress_bar(quiet) as progress:
        report = engine.index(full=args.full, progress=progress, wait=0 if args.no_wait else -1)
    for line in report.warning_lines():
        print(f"warning: {line}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        print(report.summary())
    return 0


class _progress_bar:
    """A tqdm bar for embedding on a terminal; nothing otherwise."""

    def __init__(self, quiet: bool):
        self.quiet, self.bar = quiet, None

    def __enter__(self):
        return None if self.quiet else self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if stage != "embed" or total == 0:
            return
        if self.bar is None:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="passage", desc="embedding", file=sys.stderr)
        self.bar.n = done
        self.bar.refresh()

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


# --- ask / search -------------------------------------------------------------------

def cmd_ask(args) -> int:
    reply = _engine(args).ask(args.question, history=args.history, top_k=args.top_k)
    if args.json:
        print(json.dumps(reply.to_json()))
    else:
        print(format_answer(reply))
    return 0


def format_answer(reply: Answer) -> str:
    lines = []
    if reply.urgent:
        lines += [f"!! {reply.urgent.message}", ""]
    if reply.note:
        lines.append(f"note: {reply.note}")
    if reply.followup:
        lines.append(f"(follow-up, searched as: {reply.query})")
    if reply.abstained:
        lines.append("The articles do not cover this question.")
        if reply.hits:
            lines.append("Closest passages (not an answer):")
    else:
        lines.append(f"Answer: {reply.answer}")
    lines.append("")
    for n, hit in enumerate(reply.hits, start=1):
        lines.append(f"[{n}] {hit.title} — {hit.section}  (score {hit.score:.3f})")
        page = f", p. {hit.page}" if hit.page is not None else ""
        date = f", dated {hit.date}" if hit.date else ""
        lines.append(f"    {hit.doc}{page}, characters {hit.start}-{hit.end}{date}")
        lines.extend(textwrap.wrap(hit.text, 100, initial_indent="    ", subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines).rstrip()


def cmd_search(args) -> int:
    engine = _engine(args)
    lines = _batch_lines(args.batch)
    engine.searcher()  # fail early, once, if the index is missing or damaged
    for number, line in enumerate(lines, start=1):
        if line.decode("utf-8", "replace").strip():
            print(json.dumps(_search_one(engine, line, number, args.top_k)), flush=False)
    sys.stdout.flush()
    return 0


def _batch_lines(path: Path) -> list[bytes]:
    """The batch file's lines as bytes: each is decoded on its own, so one bad line fails alone.
    JSONL lines end at "\n" only; a UTF-8 byte-order mark at the start is dropped."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadQuestion(f"Cannot read batch file {path} ({err.strerror or err}); give a UTF-8 JSONL file.") from None
    return data.removeprefix(b"\xef\xbb\xbf").split(b"\n")


def _search_one(engine: Engine, raw: bytes, number: int, top_k: int) -> dict:
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _failed(None, f"line {number} is not valid UTF-8")
    except (ValueError, RecursionError):
        return _failed(None, f"line {number} is not a JSON object")
    if not isinstance(item, dict):
        return _failed(None, f"line {number} is not a JSON object")
    qid, question, history = item.get("id"), item.get("question", ""), item.get("history") or []
    if question is not None and not isinstance(question, str):
        return _failed(qid, f"line {number}: the question must be a string")
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        return _failed(qid, f"line {number}: history must be a list of earlier questions")
    try:
        return {"id": qid, **engine.ask(question, history=history, top_k=top_k).to_json()}
    except BadQuestion as err:
        return _failed(qid, str(err))


def _failed(qid, error: str) -> dict:
    return {"id": qid, "abstained": True, "answer": "", "hits": [], "urgent": None, "error": error}


# --- stats / eval / watch -----------------------------------------------------------

def cmd_stats(args) -> int:
    stats = _engine(args).stats()
    if args.json:
        print(json.dumps(stats.__dict__))
    else:
        for key, value in stats.__dict__.items():
            print(f"{key:>10}: {value}")
    return 0


def cmd_eval(args) -> int:
    from .evaluation import run_eval

    engine = _engine(args)
    result = run_eval(engine.settings, args.questions, top_k=args.top_k, engine=engine,
                      baselines=not args.no_baselines, limit=args.limit)
    print(json.dumps(result, indent=1) if args.json else result["table"])
    return 0


def cmd_watch(args) -> int:
    from .serve.watch import watch

    watch(_engine(args), debounce=args.debounce, log=lambda m: print(m, flush=True))
    return 0


def cmd_api(args) -> int:
    from .serve.api import serve_api

    # The model and the index load at server start (in each worker), not on the first request.
    return serve_api(_engine(args), args.host, args.port, workers=args.workers)


def cmd_serve(args) -> int:
    from .serve.chat import serve

    return serve(_engine(args), host=args.host, port=args.port, log=lambda m: print(m, flush=True))


def cmd_log(args) -> int:
    """Export the editors' backlog as CSV, or list it; one-line error when the log is off or missing."""
    from .serve.questionlog import QuestionLog

    log = QuestionLog.from_settings(Settings.from_env(question_log=args.log))
    log.require()
    if args.export is not None:
        print(f"{log.export_csv(args.export)} questions written to {args.export}")
        return 0
    print("Declined most often:")
    for question, count in log.declined_top(args.top):
        print(f"  {count:>4}  {question}")
    print("Rated down:")
    for row in log.thumbs_down():
        print(f"  {row.asked_at}  {row.question}" + (f"  ({row.comment})" if row.comment else ""))
    return 0
