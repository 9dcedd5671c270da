# Starkes Netz: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev migrate translations demo reset-demo lint check messages clean bench soak lock

LOCK_PIP = PIP_CONFIG_FILE=/dev/null PIP_FIND_LINKS= $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links

$(BIN)/python:
	@echo "==> 1/5 Lege die virtuelle Python-Umgebung an ($(VENV)) …"
	$(PYTHON) -m venv $(VENV)

# Everything installs from the lock files, pinned with hashes (with the setuptools the project's own
# editable install needs: a new venv's bundled one is too old); the project itself without its
# dependencies (they are all in the lock).
$(VENV)/.install-stamp: pyproject.toml .requirements/base.txt | $(BIN)/python
	@echo "==> 2/5 Installiere die Pakete (beim ersten Mal einige Minuten; pip zeigt jedes Paket) …"
	$(BIN)/python -m pip install --progress-bar on --require-hashes -r .requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.install-dev-stamp: pyproject.toml .requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r .requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.install-stamp

install: $(VENV)/.install-stamp

install-dev: $(VENV)/.install-dev-stamp

translations: install
	@echo "==> 4/5 Übersetze die Oberfläche ins Deutsche …"
	$(BIN)/python manage.py compile_translations

migrate: install
	@echo "==> 3/5 Richte die Datenbank ein …"
	$(BIN)/python manage.py migrate --noinput

# The demo content, then the official municipality register (every Land, Kreis and Gemeinde; a few
# seconds, idempotent): the demo municipalities are matched by AGS and get the register's figures.
demo: migrate translations
	@echo "==> 5/5 Lade die Demo-Inhalte und das Gemeindeverzeichnis …"
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py load_register

## Start the demo afresh: deletes the SQLite demo database (db.sqlite3, or the file DATABASE_URL names;
## every local change is lost), then migrates and loads the demo content and the register again. Refuses
## when DATABASE_URL points to another database (PostgreSQL). Stop `make run` first.
reset-demo:
	@case "$${DATABASE_URL:-sqlite:///db.sqlite3}" in \
	  sqlite:///*) ;; \
	  *) echo "make reset-demo löscht nur die SQLite-Demodatenbank, DATABASE_URL zeigt aber auf eine andere Datenbank. Nichts gelöscht."; exit 1;; \
	esac
	@db="$${DATABASE_URL:-sqlite:///db.sqlite3}"; db="$${db#sqlite:///}"; \
	  echo "==> Lösche die Demo-Datenbank $$db …"; rm -f "$$db" "$$db-wal" "$$db-shm" "$$db-journal"
	$(MAKE) demo
	@echo "Die Demo-Datenbank ist zurückgesetzt. Starten mit: make run"

## Install, migrate, compile the German translations, load the demo content and the municipality register,
## and serve on 127.0.0.1:$(PORT).
run: demo
	@echo ""
	@echo "Starkes Netz läuft auf http://127.0.0.1:$(PORT)/  (Beenden mit Strg+C)"
	@echo "Demo-Konten (Passwort Starkes-Netz-Demo): verwaltung, koordination, koordination2, redaktion, admin"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Install the test tools and run the whole test suite (SQLite unless DATABASE_URL is set).
test: install-dev
	$(BIN)/python manage.py compile_translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Soak and fault test (about 4 minutes, not part of `make test`): 16 clients against gunicorn on loopback,
## PostgreSQL restarted midway; needs a local PostgreSQL it may restart. Writes test-artifacts/soak.json.
soak: install-dev
	$(BIN)/python -m tests.soak.soak

## Benchmark at national scale on PostgreSQL (BENCH_DATABASE_URL, default database sn_bench on 127.0.0.1:5432):
## loads the synthetic country if missing, drives gunicorn with wrk, writes bench/BENCHMARKS.md.
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; \
	  else echo "make bench needs wrk (Debian package 'wrk'): run 'sudo apt-get install wrk' and retry."; exit 1; fi; }
	$(BIN)/python bench/run.py

## The gates CI runs beside the tests: ruff, the import layers, mypy.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

## Pin every package again from pyproject.toml (after changing a dependency there).
lock: install-dev
	$(LOCK_PIP) --build-deps-for=editable -o .requirements/base.txt pyproject.toml
	$(LOCK_PIP) --build-deps-for=editable --extra dev -o .requirements/dev.txt pyproject.toml

## Extract the translatable strings into portal/locale/de/LC_MESSAGES/django.po (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l de --no-obsolete --ignore=$(VENV) --ignore=staticfiles --ignore=tests

check: install-dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache test-artifacts
	find . -name '*.mo' -path '*/locale/*' -delete
