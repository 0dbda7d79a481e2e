# ejournal: two commands. `make demo` serves a demo college; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
STAMP  := $(VENV)/.installed

.PHONY: demo test test-only install translations lint bench clean-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip setuptools wheel

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -e ".[test]"
	touch $(STAMP)

install: $(STAMP) compile-translations

compile-translations: $(STAMP)
	for dir in translations plugins/*/translations; do \
	  if [ -d $$dir ]; then $(BIN)/pybabel compile -d $$dir --statistics || exit 1; fi; done

## serve the demo college at http://$(HOST):$(PORT) with the worker beside it
demo: install
	$(BIN)/ejournal db upgrade
	$(BIN)/ejournal demo
	$(BIN)/ejournal serve --host $(HOST) --port $(PORT)

## run the whole test suite (SQLite; EJOURNAL_TEST_DATABASE_URL for PostgreSQL)
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

test-only:
	$(BIN)/pytest

## refresh the message catalogues after changing texts
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations
	for plugin in plugins/*/; do plugin=$${plugin%/}; dir=$$plugin/translations; \
	  [ -f $$plugin/__init__.py ] || continue; mkdir -p $$dir; \
	  $(BIN)/pybabel extract -F plugins/babel.cfg -k _l -k lazy_gettext -o $$dir/messages.pot $$plugin || exit 1; \
	  if [ -f $$dir/en/LC_MESSAGES/messages.po ]; then $(BIN)/pybabel update -i $$dir/messages.pot -d $$dir; \
	  else $(BIN)/pybabel init -i $$dir/messages.pot -d $$dir -l en; fi || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check .

bench: install
	$(BIN)/pip install -q -e ".[test,bench]"
	@for script in $(wildcard bench/*.py); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean-demo:
	rm -f instance/ejournal.sqlite3 instance/ejournal.sqlite3-wal instance/ejournal.sqlite3-shm
