"""Command line: ``python -m retrieval {index,ask,search,stats,eval,watch}``.

Parses options, calls ``Engine``, prints. Errors the user can fix become one line
on stderr and a non-zero exit code: 2 bad input (question, corpus, article), 3 a
damaged index, 4 another run is indexing, 5 the index was built with another model
or chunker (rebuild with ``index --full``).
"""
from __future__ import annotations

import argparse
import json
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
    s.add_argument("--top-k", type=int, default=5)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("search", parents=[common], help="answer a JSONL file of questions")
    s.add_argument("--batch", type=Path, required=True, help='JSONL: {"id", "question", "history"}')
    s.add_argument("--top-k", type=int, default=5)
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("stats", parents=[common], help="what the index holds")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("eval", parents=[common], help="score a question set (indexes first if needed)")
    s.add_argument("questions", type=Path)
    s.add_argument("--top-k", type=int, default=10)
    s.add_argument("--no-baselines", action="store_true", help="skip the BM25-only and naive dense baselines")
    s.add_argument("--limit", type=int, default=0, help="use only the first N questions")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("watch", parents=[common], help="re-index whenever the corpus changes")
    s.add_argument("--debounce", type=float, default=1.0, help="seconds of quiet before re-indexing")
    s.set_defaults(func=cmd_watch)
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
    for line in report.skipped:
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
        lines.append(f"    {hit.doc}, characters {hit.start}-{hit.end}")
        lines.extend(textwrap.wrap(hit.text, 100, initial_indent="    ", subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines).rstrip()


def cmd_search(args) -> int:
    engine = _engine(args)
    try:
        lines = args.batch.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise BadQuestion(f"Cannot read batch file {args.batch} ({err}); give a UTF-8 JSONL file.") from None
    engine.searcher()  # fail early, once, if the index is missing or damaged
    for number, line in enumerate(lines, start=1):
        if line.strip():
            print(json.dumps(_search_one(engine, line, number, args.top_k)), flush=False)
    sys.stdout.flush()
    return 0


def _search_one(engine: Engine, line: str, number: int, top_k: int) -> dict:
    try:
        item = json.loads(line)
        qid, question, history = item.get("id"), item.get("question", ""), item.get("history") or []
    except (ValueError, AttributeError):
        return _failed(None, f"line {number} is not a JSON object")
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
