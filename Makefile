# Two commands matter: `make site` builds the whole site into site/, `make test` runs every test.
# Both install what they need on a fresh machine (Python packages in .venv, Debian's chromium).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_DIR := site
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site check serve preview test chromium schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.site-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.site-deps

# Debian's browser: Playwright cannot download its own here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }
	@chromium --version

check: $(VENV)/.site-deps
	$(BIN)/python -m generator check

# `generator build` builds into a fresh folder and swaps it in only when the build succeeded,
# so a broken record leaves the previous site/ exactly as it was.
site: $(VENV)/.site-deps
	$(BIN)/python -m generator check
	$(BIN)/python -m generator build --site-dir $(SITE_DIR)
	@echo "Open $(CURDIR)/$(SITE_DIR)/index.html, or run 'make serve' for http://127.0.0.1:8000/"

# Live preview on http://127.0.0.1:8000/: serves the last build in site/ at once (on a fresh
# clone, the curated pages first and the rest behind them); saving a record, page or template
# rebuilds only the pages it affects and reloads the browser (generator/serve.py).
serve: $(VENV)/.site-deps
	$(BIN)/python -m generator.serve --site-dir $(SITE_DIR) --dev-addr 127.0.0.1:8000

# The publish folder inspected as a host would: files, size, largest file, redirect and header
# rules, function bundles (the serverless ones also zipped by netlify-cli's `functions:build`);
# fails with one line per limit passed (generator/deploy.py).
.PHONY: deploy-check
deploy-check: $(VENV)/.site-deps node_modules/.package-lock.json
	$(BIN)/python -m generator.deploy --site $(SITE_DIR)

# Re-imports ICD-10-CM from the CDC tabular XML carried by simple-icd-10-cm (pinned).
.PHONY: import-icd10cm
import-icd10cm: $(VENV)/.site-deps
	$(BIN)/pip install --quiet -e '.[import]'
	$(BIN)/python -m generator import icd10cm

# Re-imports the ICD-10-CM release history FY2024-FY2027 and the FY2026 Medicare facts per code
# from the pinned packages' data files into data/icd-10-cm-history/ (generator/history/).
.PHONY: import-history
import-history: $(VENV)/.site-deps
	$(BIN)/pip install --quiet -e '.[history]'
	$(BIN)/python -m generator import history

schema: $(VENV)/.site-deps
	$(BIN)/python -m generator schema

# Node packages for the edge function and the local preview (package-lock.json pins them).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The built site through the real edge and auth functions under Node: a local stand-in for Netlify.
preview: site node_modules/.package-lock.json
	node tools/preview/server.mjs --site $(SITE_DIR) --port 8787

# The edge functions' tests under Node and under Deno (Netlify runs edge functions on Deno;
# deno is pinned in package.json and ships its binary in the npm package). --no-check: the
# modules are JavaScript, and type-checking would want @types/node.
DENO_PERMS := --allow-read --allow-write --allow-env --allow-net --allow-run --allow-sys
.PHONY: test-edge
test-edge: node_modules/.package-lock.json
	node --test tests/edge/
	DENO_NO_UPDATE_CHECK=1 node_modules/.bin/deno test --quiet --no-check $(DENO_PERMS) tests/edge/

# The fast tier: unit, golden and node tests; no MkDocs build, no browser (tests/conftest.py marks
# those from the fixtures they use). Under a minute; what the pre-commit hook and CI run first.
.PHONY: test-fast test-slow
test-fast: $(VENV)/.test-deps node_modules/.package-lock.json
	$(MAKE) test-edge
	OCR_PYTHON=$(BIN)/python node --test tests/js/
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# The rest: MkDocs builds (the full 98,700-page site among them) and Chromium.
test-slow: $(VENV)/.test-deps chromium node_modules/.package-lock.json
	$(BIN)/python -m pytest -m "slow or browser"

# Everything, fast tier first so a quick failure stops the run early.
test: test-fast test-slow

# Ask box benchmark: size of ask-data/, bytes and answer time per question in Chromium over the
# built site; writes benchmarks/results/ask.json. Build the site first (make site).
.PHONY: bench-ask
bench-ask: $(VENV)/.test-deps chromium
	@test -f $(SITE_DIR)/ask-data/manifest.js || { echo "No site in $(SITE_DIR)/: run 'make site' first"; exit 1; }
	$(BIN)/python benchmarks/ask_bench.py --site $(SITE_DIR)

# Search benchmark: index build, bytes per query and keystroke latency in Chromium over the built
# site; writes benchmarks/results/search.json. Build the site first (make site).
.PHONY: bench-search
bench-search: $(VENV)/.test-deps chromium
	@test -f $(SITE_DIR)/index.html || { echo "No site in $(SITE_DIR)/: run 'make site' first"; exit 1; }
	$(BIN)/python benchmarks/search_bench.py --site $(SITE_DIR)

# Build benchmark: cold build of the full site, peak memory, page sizes, site size and files,
# redirect rules, one-record rebuild, first page of `make serve`, offline zip size; writes
# benchmarks/results/build.json with the machine and load average.
.PHONY: bench-build
bench-build: $(VENV)/.site-deps
	$(BIN)/python benchmarks/build_bench.py

# The offline bundle: the public site as dist/<name>-offline.zip, to unzip and open from file://
# with working links and search (generator/offline.py). A second full build: minutes.
.PHONY: offline
offline: $(VENV)/.site-deps
	$(BIN)/python -m generator check
	$(BIN)/python -m generator.offline --config mkdocs.offline.yml

# The change report: records added, removed and changed in data/ since the git ref BASE, field
# by field, as Markdown for a pull-request comment (generator/diff.py).
BASE ?= origin/main
.PHONY: diff
diff: $(VENV)/.site-deps
	@$(BIN)/python -m generator.diff $(BASE)

clean:
	rm -rf $(SITE_DIR) $(SITE_DIR).new* $(SITE_DIR).old $(SITE_DIR).codes-state tests/artifacts
