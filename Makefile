# Developer shortcuts. `make check` is what CI runs, plus lint.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: check test lint fix dev clean goldens stamp mutation

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

# Rewrite tests/golden/ after a deliberate change to plans, and print the diff to review.
goldens:
	$(PY) scripts/update_goldens.py

# After editing a shipped rule, catalogue file or schema: check them all, then record the checked bytes, so
# later starts skip re-checking them (planner/verified.py). Writes nothing if any file fails.
stamp:
	$(PY) scripts/update_stamp.py

# Mutation testing of the core (slow: minutes to an hour on 2 CPUs; not part of CI). Score: docs/testing.md.
mutation:
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results
