# Quick start: `make site` builds the demo county site into site/;
# `make test` runs the whole test suite. Both set up .venv when it is missing.
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: site test serve check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

site: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

# Live preview, drafts included, under site_url's sub-path; another port: make serve PORT=8001
PORT ?= 8000
serve: $(VENV)/.installed
	$(BIN)/pufa serve --port $(PORT)

check: $(VENV)/.installed
	$(BIN)/pufa check

# One pytest worker per core and one more, which works while the others wait on Chromium (on 2 cores:
# 217 s against 256 s with two); worksteal evens out the few long tests at the end.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(len(os.sched_getaffinity(0)) + 1)')
# Bytecode is written even where the environment says not to (PYTHONDONTWRITEBYTECODE, into __pycache__/,
# which git ignores): each worker then reads the test modules' asserts as pytest rewrote them on an earlier
# run, instead of rewriting all of them again (collection: 2.7 s instead of 5.5 s a worker), and each
# `pufa` or `mkdocs` a test starts reads pufa compiled.
test: $(VENV)/.installed-test
	bash scripts/install-system-packages.sh
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(WORKERS) --dist worksteal

clean:
	rm -rf site .site.pufa-new-* .site.pufa-old-*
