"""The layout shows the pipeline: four wings, imports that run one way, no cycles."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "retrieval"
WINGS = ("ingest", "store", "search", "serve")
LOWER = ("ingest", "store", "search")  # stages below the engine
FACES = ("retrieval.engine", "retrieval.cli", "retrieval.serve")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The retrieval modules ``path`` imports, absolute, at any depth of the file."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names = [f"{target}.{a.name}" for a in node.names]
            found |= {n for n in names if _is_module(n)} or {target}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m == "retrieval" or m.startswith("retrieval.")}


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (PACKAGE.parent / rel).with_suffix(".py").exists() or (PACKAGE.parent / rel / "__init__.py").exists()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_each_wing_exists_and_says_what_stage_it_is():
    for wing in WINGS:
        init = PACKAGE / wing / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) == 1, f"{init}: a one-line docstring naming the stage"
        assert doc.lower().startswith(wing), doc


def test_the_top_level_keeps_about_ten_modules():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 11, top


@pytest.mark.parametrize("wing", LOWER)
def test_lower_stages_never_import_the_faces(wing):
    for name, targets in graph().items():
        if name.startswith(f"retrieval.{wing}"):
            upward = {t for t in targets if t.startswith(FACES)}
            assert not upward, f"{name} imports {upward}"


def test_no_import_cycles():
    edges = graph()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(node):] + [node]))
        for nxt in sorted(edges.get(node, ())):
            if nxt in edges and nxt != "retrieval" and not nxt.endswith("__main__"):
                visit(nxt, path + [node])

    for start in sorted(edges):
        if start != "retrieval":
            visit(start, [])


def test_the_checks_see_a_planted_upward_import_and_cycle(tmp_path, monkeypatch):
    """The checks above can fail: a lower stage importing the engine, and two modules importing each other."""
    fake = tmp_path / "retrieval"
    for wing in WINGS:
        (fake / wing).mkdir(parents=True)
        (fake / wing / "__init__.py").write_text(f'"""{wing.title()}: a stage."""\n')
    (fake / "__init__.py").write_text("")
    (fake / "engine.py").write_text("from .search import a\n")
    (fake / "search" / "a.py").write_text("from ..engine import Engine\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(AssertionError, match="imports"):
        test_lower_stages_never_import_the_faces("search")
    with pytest.raises(AssertionError, match="import cycle"):
        test_no_import_cycles()


def test_make_run_serves_the_chat_with_the_one_definition():
    """`make run` calls `python -m retrieval serve`, whose command line holds no settings of its own:
    they live in .streamlit/config.toml, where no source watcher walks the project."""
    import tomllib

    from retrieval.serve.chat import streamlit_command

    root = PACKAGE.parent
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    assert "SERVE  := $(PY) -m retrieval serve --host $(HOST) --port $(PORT)" in makefile
    assert "\t@$(SERVE)" in makefile.split("\nrun:")[1].split("\n\n")[0]
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none" and config["browser"]["gatherUsageStats"] is False
    assert streamlit_command("127.0.0.1", 8501)[-4:] == ["--server.address", "127.0.0.1", "--server.port", "8501"]


def test_the_container_runs_the_makefile_commands_as_a_user():
    """No Docker daemon is needed: the image's first layer, user and entry commands are read from the file."""
    root = PACKAGE.parent
    lines = [line.strip() for line in (root / "Dockerfile").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    runs = [line for line in lines if line.startswith("RUN ")]
    assert "pip install --no-cache-dir torch==2.13.0" in runs[0] and runs[0].count("install") == 1
    user = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    targets = {line.split(":")[0] for line in makefile.splitlines() if line and line[0].isalpha() and ":" in line}
    cmd = next(line for line in lines if line.startswith("CMD "))
    assert cmd.startswith('CMD ["make", "run"') and "run" in targets and "api" in targets
    usage = (root / "Dockerfile").read_text(encoding="utf-8")
    assert "make api HOST=0.0.0.0" in usage and "make setup" in usage and "setup" in targets
