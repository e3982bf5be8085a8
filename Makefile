# OCOP Hub. A newcomer needs two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python3) $(shell command -v python3.12))
VENV := .venv
BIN := $(VENV)/bin
OCOP := $(BIN)/ocop
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

help:
	@echo "make run    set up, load places and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   everything CI runs (lint, migrations check, tests on SQLite, and PostgreSQL when DATABASE_URL is set or CI=true)"
	@echo "make lint   ruff, ruff format --check, import-linter, mypy"
	@echo "make bench  benchmarks on SQLite (prints figures; BENCH_OUT: the folder, bench/out by default)"
	@echo "make bench-pg  the same on PostgreSQL: drops and creates the database ocop_bench on 127.0.0.1:5432 (BENCH_DATABASE_URL)"
	@echo "make demo   (re)load demo data into the SQLite database"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) not found (pyenv or python3.12)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Packages from npm (package.json): jsQR, served to browsers without BarcodeDetector, axe-core for the tests, and
# Tinos, the face of the PDFs on a server without Times New Roman (docs/documents.md).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing npm from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

# The development targets run with DEBUG=true (and its development SECRET_KEY) unless DEBUG is set: with DEBUG off,
# OCOP Hub refuses to start without SECRET_KEY. `make test` keeps DEBUG off, as in production (.ci/test).
messages migrate demo run lint: export DEBUG ?= true
# The QR codes and e-mailed links point to the address `make run` serves (PORT=8110 gives :8110), unless set.
PUBLIC_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
demo run base-url: export OCOP_PUBLIC_BASE_URL ?= http://$(PUBLIC_HOST):$(PORT)

messages: $(STAMP)
	@if command -v msgfmt >/dev/null; then cd src/ocop && ../../$(OCOP) compilemessages -v0; \
	else echo "gettext is not installed: using the committed translations"; fi

migrate: setup messages
	$(OCOP) migrate --no-input -v0
	$(OCOP) load_places
	$(OCOP) load_reference
	$(OCOP) load_criteria
	$(OCOP) load_checklists

demo: migrate
	$(OCOP) demo

run: demo
	$(OCOP) collectstatic --no-input -v0
	@echo "Serving on http://$(HOST):$(PORT); QR codes and links point to $$OCOP_PUBLIC_BASE_URL"
	@echo "Background worker: started (log in var/worker.log; started again after a database error: docs/deployment.md)"
	@$(OCOP) worker --no-reload > var/worker.log 2>&1 & echo $$! > var/worker.pid
	@trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT; $(OCOP) runserver --noreload $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/lint-imports
	$(BIN)/mypy src

test: setup
	bash .ci/test

bench-tools:
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "Installing wrk and nginx from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null; }

bench: setup bench-tools
	$(BIN)/python -m bench

# The same benchmarks on PostgreSQL, in a database of their own that each run drops and creates afresh (the national
# bench in another, its name with "_national"); it says so when no PostgreSQL answers.
bench-pg: export BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ocop_bench
bench-pg: setup bench-tools
	$(BIN)/python -m bench

# What the application takes as its public address (QR codes, links in e-mails) under `make run`.
base-url: setup
	@DEBUG=true $(OCOP) shell -v0 -c "from django.conf import settings; print(settings.OCOP_PUBLIC_BASE_URL)"

.PHONY: base-url help setup messages migrate demo run lint test bench bench-tools bench-pg
