# One command each: run, test, lint, demo, bench. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format demo bench eval-stories install clean fuzz

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/akhbar run --host $(HOST) --port $(PORT)

demo: $(STAMP)
	$(BIN)/akhbar demo --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks fuzz
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

# Every benchmark, one after the other (about an hour on 2 cores); each writes benchmarks/results/.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/parse.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/stories.py
	$(BIN)/python benchmarks/scale.py

# Each fuzz target runs FUZZ_SECONDS (hypothesis; `make test` runs a few seconds of each).
FUZZ_SECONDS ?= 120
fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py $(FUZZ_SECONDS)

# Debian's chromium for the browser tests (tests/e2e), installed only when missing; never `playwright install`.
.PHONY: browser e2e screenshots
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

e2e: $(STAMP) browser
	$(BIN)/python -m pytest -q tests/e2e $(PYTEST_ARGS)

# Retake docs/screenshots/*.png from the demo portal (the tests keep them unchanged otherwise).
screenshots: $(STAMP) browser
	AKHBAR_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/e2e

eval-stories: $(STAMP)
	$(BIN)/python benchmarks/eval_stories.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
