# Two commands: `make run` (set up, index, serve the chat) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8501
API_PORT ?= 8000
API_WORKERS ?= 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

EVAL   := ../shared/eval/medquad-dev
# The one way the chat is served: `python -m retrieval serve` starts Streamlit with
# .streamlit/config.toml and the corpus watcher; the browser test runs `make run` itself.
SERVE  := $(PY) -m retrieval serve --host $(HOST) --port $(PORT)
API    := $(PY) -m retrieval api --host $(HOST) --port $(API_PORT) --workers $(API_WORKERS)

.PHONY: run api test setup index system-deps browser-deps eval bench clean fuzz

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch first: the pinned CPU wheel; any other version pulls gigabytes of CUDA packages.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium for the browser test (needs root and apt; skipped when already there).
system-deps:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	fi

# Incremental; when the model or chunker changed since the last build (exit code 5), from scratch.
index: setup
	@$(PY) -m retrieval index; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "The model or chunker changed: rebuilding the index from scratch."; \
	  $(PY) -m retrieval index --full; else exit $$rc; fi

# Serves the chat on http://$(HOST):$(PORT); the watcher re-indexes corpus/ changes. Ctrl-C stops both.
run: index
	@echo "Chat on http://$(HOST):$(PORT)  (Ctrl-C stops it)"
	@$(SERVE)

# The HTTP API on http://$(HOST):$(API_PORT) (OpenAPI page: /docs), over the same index.
api: index
	@echo "API on http://$(HOST):$(API_PORT)  (docs: /docs; Ctrl-C stops it)"
	@$(API)

# axe-core for the browser test's accessibility check (npm, pinned in package-lock.json).
browser-deps:
	@if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error; fi

test: setup system-deps browser-deps index
	$(PY) -m pytest -q

eval: setup
	@if [ ! -f $(EVAL)/questions.jsonl ]; then \
	  echo "make eval needs the development set in $(EVAL)/ (questions.jsonl and corpus/); it is not in this clone."; exit 2; fi
	$(PY) -m retrieval eval $(EVAL)/questions.jsonl --corpus $(EVAL)/corpus --index .eval-index

bench: setup
	$(PY) benchmarks/run.py

# The long bad-input campaign (tests/test_fuzz.py, profile "fuzz"): prints, per target,
# how many inputs were tried and what failed. FUZZING.md reports a run.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:logging tests/test_fuzz.py --hypothesis-show-statistics

clean:
	rm -rf index .eval-index .pytest_cache
