# Two commands: `make run` (set up, index, serve the chat) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test setup index system-deps eval bench clean fuzz

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

# Serves the chat; a watcher re-indexes corpus/ changes while the app runs.
run: index
	@$(PY) -m retrieval watch > .watch.log 2>&1 & WATCH=$$!; \
	trap 'kill $$WATCH 2>/dev/null' EXIT INT TERM; \
	echo "Chat on http://$(HOST):$(PORT)  (watcher log: .watch.log)"; \
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
	  --server.headless true --browser.gatherUsageStats false

test: setup system-deps index
	$(PY) -m pytest -q

eval: setup
	$(PY) -m retrieval eval ../shared/eval/medquad-dev/questions.jsonl \
	  --corpus ../shared/eval/medquad-dev/corpus --index .eval-index

bench: setup
	$(PY) benchmarks/run.py

# The long bad-input campaign (tests/test_fuzz.py, profile "fuzz"): prints, per target,
# how many inputs were tried and what failed. FUZZING.md reports a run.
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:logging tests/test_fuzz.py --hypothesis-show-statistics

clean:
	rm -rf index .eval-index .pytest_cache
