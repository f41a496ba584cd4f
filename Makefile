# `make demo` and `make test` each work on a fresh machine: they create the virtual
# environment and install what they need first.

VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTHON  ?= python3

.PHONY: demo test lint typecheck unit e2e chromium bench clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/coalition demo

test: $(STAMP) chromium lint typecheck
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -m "not e2e"

e2e: $(STAMP) chromium
	$(BIN)/pytest -m e2e

# Browser tests drive Debian's Chromium; Playwright's own browser download is not used.
# WeasyPrint subsets the shipped fonts into PDFs with HarfBuzz's subsetter.
chromium:
	@command -v chromium >/dev/null 2>&1 && ldconfig -p | grep -q libharfbuzz-subset || \
	  { apt-get update -qq && apt-get install -y -qq chromium libharfbuzz-subset0; }

docs: $(STAMP)
	$(BIN)/python -m coalition.docgen

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache
