PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pip says errors only: its progress, this machine's index notices and setuptools' build
# chatter are not news to whoever runs `make run`
PIP := $(BIN)/pip install -qq
INSTALLED := $(VENV)/.installed
# npm writes node_modules/.package-lock.json at each install
NODE_INSTALLED := node_modules/.package-lock.json

.PHONY: install browser engines node-tools editor ldes-client proxy run build test lint clean messages

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip

install: $(INSTALLED) browser engines node-tools proxy

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

# The npm packages of package.json, at the versions package-lock.json pins, into node_modules/
# (git-ignored): the query page's editor (YASGUI, MIT), which the server serves from our own
# origin, and the reference LDES client the event-stream test replicates /changes/stream
# with. Without npm, /sparql is the plain form and those tests skip, saying why (in CI that
# is an error: their tests must run).
node-tools editor ldes-client: package.json package-lock.json
	@if [ -f $(NODE_INSTALLED) ] && [ $(NODE_INSTALLED) -nt package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  echo "installing the node packages (npm ci): the query editor, the LDES client"; \
	  npm ci --silent --no-audit --no-fund --ignore-scripts && touch $(NODE_INSTALLED); \
	elif [ -n "$$CI" ]; then echo "error: npm is missing: the query editor and the LDES client cannot be installed" >&2; exit 1; \
	else echo "note: npm is missing: /sparql serves the plain query form, and the event-stream test will skip"; fi

# IRIs are minted at build time: `make run PORT=9000` builds and serves under that port
build run: export OGPGRAPH_BASE_URI ?= http://$(HOST):$(PORT)/

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
	@$(BIN)/ogpgraph build --summary

run: build
	@$(BIN)/ogpgraph serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check ogpgraph tests bench

# The pages' words: extract the messages of the templates and of ogpgraph/web into the
# template catalog, then merge it into each language's catalog (translate the new entries
# there; the server compiles the .po files itself, ogpgraph/web/i18n.py)
LOCALE := ogpgraph/web/locale
messages: install
	@$(BIN)/pybabel -q extract -F $(LOCALE)/babel.cfg -k N_ --no-location --no-wrap --sort-output \
	  --project ogpgraph --msgid-bugs-address "" -o $(LOCALE)/messages.pot .
	@$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-wrap \
	  --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) var node_modules
