"""BENCHMARKS.md and its plots, from the results JSON that ``run.py`` writes."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from retrieval.store.vectors import CALIBRATION_TARGET, EXACT_LIMIT, RECALL_TARGET  # noqa: E402

PLOTS = Path(__file__).resolve().parent


def ok(passed: bool) -> str:
    return "met" if passed else "**not met**"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# --- plots ---------------------------------------------------------------------------
def plot_scale(scale: dict, path: Path) -> None:
    fig, (lat, mem) = plt.subplots(1, 2, figsize=(11, 4.2))
    for kind, style in (("exact", "o-"), ("ivf", "s-")):
        rows = [r for r in scale["dense"] if r["kind"] == kind and r["data"] == "around dev vectors"]
        if rows:
            n = [r["n"] for r in rows]
            lat.plot(n, [r["p50_ms"] for r in rows], style, label=f"dense {kind} (p50)")
            mem.plot(n, [r["mib"] for r in rows], style, label=f"dense {kind}")
    lex = scale.get("lexical", [])
    if lex:
        n = [r["n"] for r in lex]
        lat.plot(n, [r["p50_ms"] for r in lex], "^--", label="BM25 (p50)")
        mem.plot(n, [r["mib"] for r in lex], "^--", label="BM25")
    lat.axhline(50, color="grey", lw=0.8, ls=":", label="50 ms target")
    for ax, title, unit in ((lat, "Search latency per query", "ms"), (mem, "Resident memory of the loaded index", "MiB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("passages")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_build(build: dict, path: Path) -> None:
    pts = sorted(build["points"], key=lambda p: p["passages"])
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    n = [p["passages"] for p in pts]
    ax.plot(n, [p["build_s"] for p in pts], "o-", label="Engine.index(full=True)")
    raw = [p for p in pts if p["raw_s"]]
    ax.plot([p["passages"] for p in raw], [p["raw_s"] for p in raw], "s--", label="raw SentenceTransformer.encode")
    for p in pts:
        ax.annotate(f"{p['articles']} art.", (p["passages"], p["build_s"]), fontsize=7,
                    textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel("passages")
    ax.set_ylabel("seconds")
    ax.set_title("Full index build time vs corpus size")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- sections ------------------------------------------------------------------------
def header(meta: dict) -> str:
    m = meta["machine"]
    return f"""# Benchmarks: speed, memory and scale

Measured by one command, `{meta['command']}` (about {meta['minutes']} minutes), on {meta['date']}.
{reruns(meta)}
`make bench` runs the full plan (builds up to all 1,202 articles, incremental over 1,000; about 40
minutes on 2 idle cores); `--medium` builds 100 and 300 articles and measures incremental over 300.
{'**Quick run** (`--quick`): small subsets; the full run gives the numbers to quote.' if meta['quick'] else ''}

Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}; OMP_WAIT_POLICY
{meta.get('omp_wait_policy', '(unset)')}; load average at the start {m['load']} (other work on the machine slows the model-bound numbers; the ratios are measured
side by side in the same run, so they hold better than the absolute figures).
"""


def reruns(meta: dict) -> str:
    lines = [f"- `{r['command']}` on {r['date']} (about {r.get('minutes', '?')} minutes): "
             f"{', '.join(r['sections'])}" for r in meta.get("reruns", [])]
    return ("Sections re-measured since, after changes to the code they measure:\n\n" + "\n".join(lines) + "\n"
            if lines else "")


def build_section(b: dict) -> str:
    rows = [[p["articles"], p["passages"], p["labels"], round(p["build_s"], 1),
             p["raw_s"] and round(p["raw_s"], 1), p["build_rate"], p["raw_rate"], p["ratio"]] for p in b["points"]]
    big = max((p for p in b["points"] if p["ratio"]), key=lambda p: p["passages"])
    scope = "the whole dev corpus" if b.get("full_corpus") else f"{big['articles']} articles (quick subset)"
    return f"""## Index build

A full build (`Engine(...).index(full=True)` into an empty folder) against raw
`SentenceTransformer.encode` of exactly the same passage texts (chunker over loader, batch 32,
normalized; half of them encoded before the build and half after, so a change in load weighs on
both alike), same warm model, same run. The build also parses and chunks, embeds the distinct
titles and section headings ("labels"), writes SQLite, BM25 and FAISS and publishes the generation.

{table(["articles", "passages", "labels", "build s", "raw encode s", "build passages/s", "raw passages/s", "ratio"], rows)}

A size without a raw figure was built only (it is the incremental benchmark's index).

Over {scope}: {big['build_rate']} passages/s, {big['ratio']:.2f} of raw encoding (target >= 0.9: {ok(big['ratio'] >= 0.9)}).

![build time vs corpus size](build.png)
"""


def latency_section(q: dict) -> str:
    return f"""## Query latency (warm)

{q['questions']} dev questions over the dev index ({q['passages']:,} passages), each path in its own
loop over all the questions: raw = `SentenceTransformer.encode([question])` + one exact FAISS
search (10 results, one thread); library = `Engine.ask` end to end (follow-up handling, encode,
dense + BM25 candidates, fusion, MMR, abstention, extractive answer); and the hybrid search
alone (`Searcher.search`, query vector ready).

{table(["", "p50 ms", "p95 ms"], [["raw encode + FAISS", q['raw_p50_ms'], q['raw_p95_ms']],
                                  ["Engine.ask", q['ask_p50_ms'], q['ask_p95_ms']],
                                  ["of which hybrid search alone", q['search_p50_ms'], q['search_p95_ms']]])}

The library adds {q['overhead_p50']:+.0%} at p50 and {q['overhead_p95']:+.0%} at p95 (target <= +25%:
{ok(q['overhead_p50'] <= 0.25)}).
{threads_part(q.get('threads'))}"""


def threads_part(t: dict | None) -> str:
    if not t:
        return ""
    rows = [[name, r["p50_ms"], r["p95_ms"], r["load"]] for name, r in t.items()]
    return f"""
Thread pools. Three pools share the 2 cores while a question is answered: PyTorch's OpenMP pool
(the model), FAISS's own OpenMP pool, and numpy's OpenBLAS pool (the searcher's small matrix
products). OpenMP and OpenBLAS threads spin for a while after each use, so the next step's
threads compete with spinning ones; when other work keeps the cores busy as well, every small
parallel step of a short question waits for a preempted thread: on this machine, at load
average 2 to 4, `SentenceTransformer.encode` of one question on 2 torch threads took ~480 ms
instead of ~15 ms on one. So `Embedder.encode_query` uses one torch thread, and
`VectorIndex.search` one FAISS thread below 200k scanned vectors. `Engine.ask` over the dev
index under the remaining settings, each in a fresh process (`benchmarks/threads.py`; compare
the load column):

{table(["setting", "ask p50 ms", "ask p95 ms", "load average"], rows)}
"""


def incremental_dev_section(i: dict) -> str:
    return incremental_section(i, "## Incremental indexing over the whole dev corpus", "(a copy of the dev index) ") + \
        """
Each added article is the one just deleted, put back (the index already holds every dev article).
Before BM25's matrix was built in one vectorised pass (`lexical.py`, checked against bm25s's own
build in `tests/test_lexical.py`), deleting one article here took 0.94-0.97 s, about 0.5 s of it
bm25s's per-passage Python loop; re-tokenizing every passage, before that, made it 1.3-1.4 s.
"""


def incremental_section(i: dict, title: str = "## Incremental indexing", what: str = "") -> str:
    adds = table(["article added", "seconds", "passages embedded", "reused", "its passages", "labels embedded"],
                 [[a["article"], a["seconds"], a["embedded"], a["reused"], a["expected"], a["labels"]] for a in i["adds"]])
    return f"""{title}

Over an index of {i['articles']:,} articles {what}(full build {round(i['build_s'])} s), one `Engine.index()` call
each, median of 3:

{table(["change", "seconds", "target"], [["add one article", i['add_s'], f"< 3% of the full build ({i['add_share_of_build']:.1%}: {ok(i['add_share_of_build'] < 0.03)})"],
                                         ["delete one article", i['delete_s'], f"well under 1 s ({ok(i['delete_s'] < 1)})"],
                                         ["no change", i['nochange_s'], f"< 2 s ({ok(i['nochange_s'] < 2)})"]])}

{cli_part(i)}
{adds}

Every added article had exactly its own passages embedded (embedded + reused = its passage
count): {i['add_passages_ok']}. Passages whose text is already in the index reuse its vector.
"""


def cli_part(i: dict) -> str:
    if "cli_delete" not in i:
        return ""
    d, n = i["cli_delete"], i["cli_nochange"]
    return f"""The rows above reuse one warm `Engine` (as the watcher and the app do). From the command line,
`python -m retrieval index` in a fresh process, the same changes take (wall time, Python start and
imports included, and the indexer's own time):

{table(["change", "wall s", "index s"], [["delete one article", d["wall_s"], d["index_s"]],
                                         ["no change", n["wall_s"], n["index_s"]]])}
"""


def scale_section(s: dict) -> str:
    dense = [[f"{r['n']:,}", r["data"], r["kind"], r["nprobe"] or "", r["p50_ms"], r["p95_ms"], r["recall10"],
              r["mib"], r["build_s"]] for r in s["dense"]]
    lex = [[f"{r['n']:,}", r["p50_ms"], r["p95_ms"], r["mib"], r.get("build_s"), r.get("peak_mib"),
            r.get("extrapolated", "measured")] for r in s["lexical"]]
    return f"""## Scale: 10k to 1M passages

Synthetic passages, built from the dev set (`benchmarks/scale.py`):

* Dense: **synthetic random unit vectors** (384-d) scattered around the real dev passage vectors
  (a random dev vector plus Gaussian noise of length {s['spread']}, normalized); the queries are the
  real dev questions' vectors. The real dev passage vectors themselves are measured too, and, once,
  uniformly random vectors (no structure at all, the worst case for IVF). IVF's `nprobe` is
  calibrated on the dev titles and section headings, as the indexer does.
* Lexical: passages of words drawn at random with the dev corpus's word frequencies and passage
  lengths, indexed by the product's `LexicalIndex.build`; the queries are the dev questions.

Each index is saved and then loaded by a fresh process, which measures its resident memory (RSS
after loading minus before) and the latency of one query: `VectorIndex.search` for
{s['candidates']} candidates (what the searcher asks), and `LexicalIndex.scores` plus the top
{s['candidates']}. Recall@10 is against exact search.

{table(["passages", "vectors", "index", "nprobe", "p50 ms", "p95 ms", "recall@10", "MiB", "build s"], dense)}

{table(["passages", "BM25 p50 ms", "p95 ms", "MiB loaded", "build s", "build peak MiB", ""], lex)}

![latency and memory vs corpus size](scale.png)

{scale_verdict(s)}
"""


def scale_verdict(s: dict) -> str:
    top = max(r["n"] for r in s["dense"])
    ivf = next((r for r in s["dense"] if r["n"] == top and r["kind"] == "ivf" and r["data"] == "around dev vectors"), None)
    exact = next((r for r in s["dense"] if r["n"] == top and r["kind"] == "exact" and r["data"] == "around dev vectors"), None)
    lex = max(s["lexical"], key=lambda r: r["n"]) if s["lexical"] else None
    real = next((r for r in s["dense"] if r["data"] == "real dev vectors" and r["kind"] == "ivf"), None)
    lines = [f"How the index kind is chosen (`retrieval/vectors.py`): exact search below "
             f"{EXACT_LIMIT:,} vectors, IVF from there on. Exact search costs time in proportion to the "
             "passages (table above); the limit is where it passes about 15 ms on one core, under a third of "
             "the 50 ms budget, while below it exact search is cheap and loses nothing. IVF's `nprobe` is the "
             f"smallest power of two reaching recall@10 {CALIBRATION_TARGET} on calibration queries, so that "
             f"real questions get >= {RECALL_TARGET}. The calibration queries matter: on the real dev vectors, "
             "synthetic ones (a stored vector plus noise, or the midpoint of two) reach the target with a "
             "fraction of the lists that real questions need, while embedded titles and section headings "
             "need about as many as real questions; the indexer passes those."]
    if real:
        lines.append(f"\nOn the real dev vectors ({real['n']:,}) the calibrated IVF opens {real['nprobe']} lists and "
                     f"real questions get recall@10 {real['recall10']}: real embeddings cluster far less than the "
                     "synthetic ones, so the synthetic rows are optimistic about IVF's speed at a given recall "
                     "(not about its recall, which calibration holds).")
    if ivf and exact:
        total = ivf["p50_ms"] + (lex["p50_ms"] if lex and lex["n"] == top else 0)
        lines.append(f"\nAt {top:,} passages: exact p50 {exact['p50_ms']} ms, IVF p50 {ivf['p50_ms']} ms with "
                     f"recall@10 {ivf['recall10']}" + (f"; with BM25 ({lex['p50_ms']} ms) the search side is "
                                                         f"{total:.1f} ms" if lex and lex["n"] == top else "") +
                     f" (target p50 <= 50 ms and recall >= {RECALL_TARGET}: "
                     f"{ok(total <= 50 and ivf['recall10'] >= RECALL_TARGET)}). The query encoding "
                     "(see the latency section) comes on top and does not depend on the corpus size.")
    uni = [r for r in s["dense"] if r["data"] == "uniform random" and r["kind"] == "ivf"]
    if uni:
        lines.append(f"\nOn uniformly random vectors calibration has to open {uni[0]['nprobe']} lists to reach the "
                     f"recall, so IVF is no faster than exact there ({uni[0]['p50_ms']} ms): it helps only "
                     "because real embeddings cluster.")
    if lex and lex.get("extrapolated"):
        lines.append(f"\nBM25 at {lex['n']:,} was not built ({lex['extrapolated']}); its row is a linear "
                     "extrapolation from the largest size measured.")
    return "\n".join(lines)


def memory_section(m: dict) -> str:
    return f"""## Memory

A fresh process opens the dev index through `Engine` (`searcher()`), then answers one question
(which loads the model):

{table(["", "MiB"], [["after imports", m['imports_mib']], ["index opened (+)", m['index_mib']],
                     ["model loaded, one answer (+)", m['model_and_ask_mib']], ["total RSS", m['after_ask_mib']]])}

{m['passages']:,} passages: the opened index takes {m['index_bytes_per_passage']:.0f} bytes per passage in
memory ({m['disk_bytes_per_passage']:.0f} on disk, {m['disk_mib']} MiB); the model and runtime are a fixed
{m['model_and_ask_mib']} MiB.
"""


def coldstart_section(c: dict) -> str:
    if "skipped" in c or c.get("method") != "browser":
        return f"## Cold start\n\nSkipped: {c.get('skipped', 'no browser result')}.\n"
    rows = [["/_stcore/health answers", c["health_s"]], ["chat box ready", c["page_ready_s"]],
            ["first answer on the page", c["first_answer_s"]]]
    return f"""## Cold start

Measured in a real browser (`benchmarks/coldstart.py`): headless Chromium (playwright) is started
first and not counted; the clock starts when `make run` is spawned, exactly as a person types it,
with the index already built (RETRIEVAL_CORPUS/RETRIEVAL_INDEX: the dev corpus and a copy of its
index). The page is opened at once and the question typed as soon as the chat box is ready.

{table(["seconds from `make run`", ""], [[a, b] for a, b in rows])}

| latency, Enter to answer on the page | seconds |
|---|---|
| first question, typed at once | {c["first_latency_s"]} |
| a later question | {c["later_latency_s"]} |
| first question, typed {c["wait_s"]} s after the page opened | {c["latency_after_wait_s"]} |

The app loads the model and opens the index in the background as soon as a page opens
(`Engine.warm`), so a question typed at once waits only for what is left of that, and one typed
after {c["wait_s"]} s is answered like any later one.
"""


def onnx_section(o: dict) -> str:
    if "skipped" in o:
        return f"## ONNX Runtime\n\nSkipped: {o['skipped']}.\n"
    q = o["quality"]
    rows = [[k, o["per_s"][k], o["speedup"].get(k, 1.0), o["cosine_to_torch"].get(k, 1.0), o["files_mib"].get(k, "")]
            for k in ("torch", "fp32", "int8")]
    adopt = o["adopt_int8_by_default"]
    return f"""## ONNX Runtime

sentence-transformers' ONNX backend (`backend="onnx"`, `export_dynamic_quantized_onnx_model`) needs
`optimum-onnx`, whose only release requires transformers < 4.58, while sentence-transformers 6
requires transformers >= 5: it cannot be installed next to this project. The model was therefore
exported locally from the packaged model with `torch.onnx.export` (dynamo) into `.bench/onnx/`,
quantized with ONNX Runtime's `quantize_dynamic` using sentence-transformers' "avx2" preset
(uint8 weights, symmetric, per channel), and run with tokenizer + ONNX Runtime + mean pooling +
normalization (`benchmarks/onnx_backend.py`, `OrtEmbedder`). {export_note(o)}

{table(["backend", "passages/s", "x torch", "mean cosine to torch", "file MiB"], rows)}

Throughput on {o['passages']} dev passages, batch 32. Answer quality of `Engine.ask` with each backend
building its own index of {o.get('articles', '?')} articles and encoding its own queries ({q['torch']['n']} dev
questions about those articles):

{table(["backend", "doc@1", "ans@1", "ans@5"], [[k, v["doc@1"], v["ans@1"], v["ans@5"]] for k, v in q.items()])}

int8: {o['speedup']['int8']}x the PyTorch throughput, ans@1 {o['ans1_delta_int8']:+.4f}. Rule: default only if
ans@1 is within 0.01 and it is >= 1.8x faster. Decision: **{'default' if adopt else 'opt-in (`--backend onnx`), not the default'}**.

Note: the product's `--backend onnx` goes through sentence-transformers (`backend="onnx"`) and so
fails in this environment for the reason above; offering it means running an exported file with
ONNX Runtime directly, as `OrtEmbedder` does.
"""


def export_note(o: dict) -> str:
    if o.get("export_s") is None:
        return "The exported files were reused from an earlier run."
    return f"Export and quantization took {o['export_s']} s."


def write(results: dict, path: Path) -> None:
    parts = [header(results["meta"])]
    order = [("build", build_section), ("latency", latency_section), ("incremental", incremental_section),
             ("incremental-dev", incremental_dev_section),
             ("scale", scale_section), ("memory", memory_section), ("coldstart", coldstart_section),
             ("onnx", onnx_section)]
    if "build" in results:
        plot_build(results["build"], PLOTS / "build.png")
    if "scale" in results:
        plot_scale(results["scale"], PLOTS / "scale.png")
    for key, render in order:
        if key in results:
            parts.append(render(results[key]))
    path.write_text("\n".join(parts).rstrip() + "\n", encoding="utf-8")
