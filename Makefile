# Developer shortcuts. `make check` is what CI runs, plus lint.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: check test lint fix dev clean

check: lint test

dev:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[test]'

test:
	$(VENV)/bin/pytest

lint:
	$(VENV)/bin/ruff check .

fix:
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf build dist *.egg-info out .pytest_cache .ruff_cache
