# Two commands matter: `make site` builds the whole site into site/, `make test` runs every test.
# Both install what they need on a fresh machine (Python packages in .venv, Debian's chromium).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_DIR := site
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site check serve test chromium schema clean

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

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

schema: $(VENV)/.site-deps
	$(BIN)/python -m generator schema

test: $(VENV)/.test-deps chromium
	$(BIN)/python -m pytest

clean:
	rm -rf $(SITE_DIR) $(SITE_DIR).new $(SITE_DIR).old tests/artifacts
