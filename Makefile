PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pip says errors only: its progress, this machine's index notices and setuptools' build
# chatter are not news to whoever runs `make run`
PIP := $(BIN)/pip install -qq
INSTALLED := $(VENV)/.installed
EDITOR := node_modules/@zazuko/yasgui/build/yasgui.min.js

.PHONY: install browser engines editor run build test lint clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip

install: $(INSTALLED) browser engines editor

# reinstalled when pyproject.toml changes, not on every `make run`
$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "installing ogpgraph into $(VENV)"
	@$(PIP) -e '.[test]'
	@touch $@

# The end-to-end tests drive Debian's Chromium (never a downloaded browser build). In CI
# ($$CI set, as .ci/run does) a browser that cannot be installed fails the install.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	    >/dev/null 2>&1 || { \
	    if [ -n "$$CI" ]; then echo "error: could not install chromium, which the browser tests need" >&2; exit 1; \
	    else echo "warning: could not install chromium; the browser tests will skip"; fi; }; }

# The remote-store tests start Virtuoso Open Source 7 (Debian's package) themselves; Oxigraph
# server comes from PyPI with the test extra. Where apt is missing the tests skip, saying why.
engines:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's virtuoso-opensource-7 for the remote-store tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      virtuoso-opensource-7) >/dev/null 2>&1 \
	      || echo "warning: could not install virtuoso-opensource-7; its remote-store tests will skip"; \
	  else echo "warning: no apt-get here: Virtuoso's remote-store tests will skip"; fi; }

# The query page's editor (YASGUI, MIT) from the npm registry, at the version package-lock.json
# pins, into node_modules/ (git-ignored); the server serves it from our own origin. Without
# npm, /sparql is the plain form (in CI that is an error: the editor's browser test needs it).
editor: package.json package-lock.json
	@if [ -f $(EDITOR) ] && [ $(EDITOR) -nt package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "installing the query editor (npm ci)"; \
	  npm ci --silent --no-audit --no-fund --ignore-scripts && touch $(EDITOR); \
	elif [ -n "$$CI" ]; then echo "error: npm is missing: the query editor cannot be installed" >&2; exit 1; \
	else echo "note: npm is missing: /sparql serves the plain query form, without the editor"; fi

build: install
	@$(BIN)/ogpgraph build --summary

run: build
	@$(BIN)/ogpgraph serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check ogpgraph tests bench

clean:
	rm -rf $(VENV) var node_modules
