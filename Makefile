# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Tests talk to a real PostgreSQL: this machine's, unless DATABASE_URL says otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/inspection
# pytest-xdist workers: one per core; each gets its own test database (test_<name>_gw0, ...).
TEST_WORKERS ?= auto

# The exact versions, with hashes, resolved from pyproject.toml by `make lock`: runtime (what the
# Dockerfile installs) and dev (runtime's pins plus the tools and test libraries).
LOCK := requirements/lock.txt
DEV_LOCK := requirements/dev-lock.txt
# --universal: one lock for every platform (markers say where a package applies).
# LOCK_FLAGS=--upgrade moves every pin to the newest allowed; without it existing pins are kept.
LOCK_FLAGS ?=
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet $(LOCK_FLAGS)

.PHONY: run test test-fast install lock lint format browser check-deploy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locked pip first (requirements/pip.txt says why the system's pip will not do).
# --require-hashes: pip refuses anything not pinned and hashed in the lock, dependencies included.
$(VENV)/.installed: $(DEV_LOCK) requirements/pip.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/pip.txt
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $@

## Install exactly the locked versions (requirements/dev-lock.txt) into .venv.
install: $(VENV)/.installed

## Regenerate both lock files from pyproject.toml (after adding or changing a dependency), then
## install them. The dev lock is constrained by the runtime lock so both pin the same versions.
lock: install
	$(UV_COMPILE) -o $(LOCK)
	$(UV_COMPILE) --extra dev -c $(LOCK) -o $(DEV_LOCK)
	@$(MAKE) --no-print-directory install

## Set up everything on SQLite, load the reference inspection and demo users, serve on :8000.
run: install
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py setup_demo
	@echo "Open http://127.0.0.1:8000 and sign in with one of the log-ins above."
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole test suite (unit, integration, browser) against PostgreSQL, on every core, in fresh
## test databases (README: how long it takes).
test: install browser
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest -n $(TEST_WORKERS) --create-db

## The inner loop: everything but the browser and slow tests, keeping the test databases between
## runs (--reuse-db; `make test` and CI always start fresh).
test-fast: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/pytest -n $(TEST_WORKERS) --reuse-db \
		-m "not browser and not slow"

## Debian's Chromium for the browser tests (installed when missing and we are root).
browser:
	@scripts/ensure-chromium

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Django's deployment checks under production settings (DEBUG off). The key and host here are
## throwaway values for the check only: production reads both from its environment.
check-deploy: install
	DEBUG=false SECRET_KEY=check-deploy-only-$$(head -c 32 /dev/urandom | base64 | tr -d '/+=') \
		ALLOWED_HOSTS=inspection.example.gov.uk \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
