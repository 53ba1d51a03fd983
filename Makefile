# Easy Mall Strategy Studio — `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
LOCK   := requirements.lock
ARGS   ?=
PYTEST_ARGS ?=

.PHONY: install run test test-fast bench lint schemas lock clean

$(STAMP): pyproject.toml $(wildcard $(LOCK))
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(if $(wildcard $(LOCK)),-c $(LOCK)) -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## start the app on the embedded workspace (or EASYMALL_WORKSPACE); extra streamlit flags: ARGS="--server.port 8600"
run: install
	$(PY) -m easymall serve -- $(ARGS)  # the upload cap follows the workspace's survey.yaml

## the whole suite: unit, AppTest and end-to-end in Chromium. Files go to the two workers in collection order
## (tests/app, tests/e2e, then the many short unit files that even out the end), not xdist's default of
## most tests first, which left the one-test e2e files (minutes each) to the end of one worker
test: install lint
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder -q --durations=25 $(PYTEST_ARGS)

## everything but the browser tests
test-fast: install
	$(PY) -m pytest -n 2 -q -m "not e2e" $(PYTEST_ARGS)

## timings against the targets in the issues (not part of `make test`)
bench: install
	@set -e; for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f; done

## ruff, and the layer contracts in pyproject.toml ([tool.importlinter])
lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

## regenerate schemas/*.schema.json from the models
schemas: install
	$(PY) -m easymall.schemas

## pin the exact versions installed now (reproducible installs)
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^easymall' > $(LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
