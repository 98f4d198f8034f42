# Two entry points for people: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
DEMO_HOME ?= sroi-demo

# Prefect runs in local mode; no telemetry leaves the machine.
export PREFECT_SERVER_ANALYTICS_ENABLED = false
export DO_NOT_TRACK = 1

.PHONY: install system-packages demo test lint typecheck unit bench mutate lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# PostgreSQL and Chromium for the tests that use them (installed where missing).
system-packages:
	./scripts/system-packages.sh

demo: install
	$(BIN)/sroi demo --home $(DEMO_HOME)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy

unit: install system-packages
	SROI_REQUIRE_SYSTEM_PACKAGES=1 $(BIN)/pytest

test: lint typecheck unit

bench: install
	$(BIN)/python -m bench

# Pictures of the demo home's reports for the README: docs/reports/*.png (runs `sroi demo`).
.PHONY: docs
docs: install
	$(BIN)/python scripts/report_pictures.py

# Mutation testing of validators/, parsers/ and valuation/ (slow; not part of `make test`).
# Survivors and why they may live: docs/testing.md.
mutate: install
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

# Re-pin after changing pyproject.toml (needs network access to the package index).
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) $(DEMO_HOME) .pytest_cache .mypy_cache .ruff_cache mutants
