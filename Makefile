# Askwell: `make run` serves the demo on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-test assets chromium bench-tools bench-load lint security format check-content test-sqlite test-postgresql clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

app/static/dist/askwell.css: node_modules/.package-lock.json $(wildcard app/static/src/*)
	npm run --silent build

assets: app/static/dist/askwell.css

run: install assets
	$(BIN)/askwell db upgrade
	$(BIN)/askwell demo
	@echo "Askwell is on http://$(HOST):$(PORT) (Ctrl+C stops it)"
	$(BIN)/askwell serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; it is installed here, never downloaded by a test tool.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is not installed: run 'sudo apt-get install chromium' for the browser tests."; \
	  fi; \
	fi

# The load benchmark drives the server with wrk (Debian's package); without it, bench.load
# falls back to its own asyncio client and says so.
bench-tools:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is not installed: run 'sudo apt-get install wrk' for the load benchmark."; \
	  fi; \
	fi

bench-load: install-test bench-tools
	$(BIN)/python -m bench.load

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# bandit over the code (skips justified in pyproject.toml), then the dependency audit, which
# prints SKIPPED and why when no vulnerability database can be reached.
security: install-test
	$(BIN)/bandit -q -c pyproject.toml -r app tools
	$(BIN)/python tools/audit_dependencies.py

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-content: install
	$(BIN)/askwell content check modules

# Tests run in parallel, two workers per core (TEST_WORKERS=1 runs them one at a time): a
# browser test spends much of its time waiting for Chromium and its live server, so one worker
# per core leaves a core idle. Each worker has a database of its own, and each test a
# transaction rolled back at its end.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) * 2 )))

test-sqlite: install-test assets chromium
	@echo "== Test suite on SQLite =="
	$(BIN)/pytest -q -n $(TEST_WORKERS) --db sqlite

# The browser journeys drive pages, not the database, so they run once, on SQLite (the
# database of `make run`); every page and API they use is tested on PostgreSQL over HTTP.
# BROWSER_ON_POSTGRESQL=1 runs them there too.
test-postgresql: install-test assets chromium
	@echo "== Test suite on PostgreSQL =="
	$(BIN)/pytest -q -n $(TEST_WORKERS) --db postgresql $(if $(BROWSER_ON_POSTGRESQL),,-m "not browser")

test: lint security check-content test-sqlite test-postgresql

clean:
	rm -rf $(VENV) node_modules app/static/dist .pytest_cache .ruff_cache
