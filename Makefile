# The README's commands. `make build` builds the sample document; `make test` runs the tests.
# Both set up what they need first: system packages (LibreOffice, fonts, poppler, python3-uno),
# .venv, and .venv/uno: unoserver for `wcodoc pdf-server`, on the system Python that has uno.

VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
UNO_VENV = $(VENV)/uno
PROJECT ?= .

.PHONY: build test lint bench system-deps test-deps clean

build: system-deps $(VENV)/.installed $(UNO_VENV)/.installed
	$(BIN)/wcodoc build $(PROJECT)

test: system-deps $(VENV)/.installed-test $(UNO_VENV)/.installed test-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: system-deps $(VENV)/.installed-test $(UNO_VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_diff.py
	$(BIN)/python benchmarks/bench_session.py

system-deps:
	@bash scripts/system-deps.sh

# npm packages of the HTML edition's tests, into $(VENV)/node_modules (nothing when present).
test-deps: $(VENV)/bin/python
	@bash scripts/test-deps.sh $(VENV)

$(VENV)/bin/python:
	@bash scripts/make-venv.sh $(PYTHON) $(VENV)

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(VENV)/.installed $@

# wcodoc finds it at sys.prefix/uno; see src/wcodoc/pdf/server.py.
$(UNO_VENV)/.installed: scripts/make-uno-venv.sh $(VENV)/bin/python
	@bash scripts/make-uno-venv.sh $(UNO_VENV)
	@touch $@

clean:
	rm -rf build .pytest_cache .ruff_cache
