PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser engines ldes-client proxy run build test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python browser engines ldes-client proxy
	$(BIN)/pip install --quiet -e '.[test]'

# The end-to-end tests drive Debian's Chromium (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	    >/dev/null || echo "warning: could not install chromium; the browser tests need it"; }

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

# The event-stream test replicates /changes/stream with the reference LDES client from npm
# (package.json, into node_modules/); where npm is missing that test skips, saying why.
ldes-client:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -d node_modules/ldes-client ] || npm install --no-audit --no-fund --silent \
	    || echo "warning: could not install ldes-client; the event-stream test will skip"; \
	else echo "warning: no npm here: the event-stream replication test will skip"; fi

# deploy/ balances replicas behind Debian's nginx; its end-to-end test skips without it.
proxy:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's nginx for the replica tests (deploy/)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends nginx) >/dev/null 2>&1 \
	      || echo "warning: could not install nginx; the replica tests will skip"; \
	  else echo "warning: no apt-get here: the replica tests (nginx) will skip"; fi; }

build: install
	$(BIN)/ogpgraph build

run: build
	$(BIN)/ogpgraph serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check ogpgraph tests bench

clean:
	rm -rf $(VENV) var
