# cwg-analysis: `make report` renders the reports, `make test` runs the tests.
# Both create .venv (with the Python found as $(PYTHON)) and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2

.DEFAULT_GOAL := help
.PHONY: help report test lint format clean bench

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

report: $(VENV)/.installed ## build the corpus and render every notebook to build/reports/
	$(BIN)/cwg-analysis build
	$(BIN)/cwg-analysis render

test: $(VENV)/.installed-dev ## run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev ## format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev ## run the benchmarks and print one table
	$(BIN)/python -m benchmarks

clean: ## remove generated files (build/, data/processed/, caches)
	rm -rf build data/processed .pytest_cache .ruff_cache .hypothesis
