"""Write the urgent-care check's labelled neighbours (retrieval/search/urgent_neighbours.jsonl).

    python benchmarks/urgent_neighbours.py           # write the file from the tune halves
    python benchmarks/urgent_neighbours.py --check   # say whether the shipped file is current

The neighbours are every labelled set's tune half (benchmarks/urgent_eval.py ``LABELLED``),
in file order: only the halves that may be read. The test halves and
tests/data/urgent_holdout.jsonl are never copied.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.urgent_eval import LABELLED, read_jsonl  # noqa: E402
from retrieval.search.urgent_neighbours import NEIGHBOURS_FILE  # noqa: E402


def rows() -> list[dict]:
    out = []
    for path, (tune, _test) in LABELLED:
        for r in read_jsonl(path):
            if r["split"] == tune:
                out.append({"source": path.name, "label": r["label"], "message": r["message"],
                            "history": r.get("history") or []})
    return out


def text() -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the shipped file; write nothing")
    ap.add_argument("--out", type=Path, default=NEIGHBOURS_FILE)
    args = ap.parse_args(argv)
    new = text()
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == new
        print(f"{args.out}: {'current' if same else 'out of date: run python benchmarks/urgent_neighbours.py'}")
        return 0 if same else 1
    args.out.write_text(new, encoding="utf-8")
    print(f"{args.out}: {new.count(chr(10))} labelled messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
