# make run:       set up .venv (if missing) and optimise the base scenario into results/base/
# make test:      same set-up, then lint (ruff check + ruff format --check) and the full suite
# make test-fast: the inner-loop tier (no solve of the full inputs)
# make mutation:  mutmut over the model and results code against the fast tier (hours; not in
#                 CI; see docs/testing.md for when to run it)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LINTED := energy tests benchmarks tools
# pytest-xdist: the suite on two worker processes (make test 222 s -> 130 s, test-fast 111 s ->
# 68 s on 2 cores, docs/testing.md); XDIST= runs it in one process
XDIST ?= -n 2

.PHONY: run test test-fast mutation lint format check clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/energy run base

test: lint
	$(PY) -m pytest -q $(XDIST)

check: test

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow" $(XDIST)

mutation: $(STAMP)
	$(PY) -m mutmut run; status=$$?; $(PY) -m mutmut results; exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)

format: $(STAMP)
	$(VENV)/bin/ruff check --fix $(LINTED)
	$(VENV)/bin/ruff format $(LINTED)

clean:
	rm -rf $(VENV) results/*/ .pytest_cache mutants
