# Lắng Nghe: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 5000
HOST ?= 127.0.0.1
# wsgi.py: the same app that the README's plain `.venv/bin/flask ...` commands find.
export FLASK_APP := wsgi

.PHONY: install run test test-python test-js lint lock bench clean

# constraints.txt pins every installed package (dependencies and dev extras) to the versions
# the suite last passed with; `make lock` refreshes it after a deliberate upgrade.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Upgrade within pyproject.toml's ranges, then pin what got installed (not the project itself).
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable | grep -iv '^lang[-_]nghe' > constraints.txt
	@touch $(STAMP)

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "  Lắng Nghe: http://$(HOST):$(PORT)/   (ứng dụng tình nguyện viên: http://$(HOST):$(PORT)/app/)"
	@echo ""
	SCHEDULER_ENABLED=1 $(BIN)/flask run --host $(HOST) --port $(PORT) --no-reload

test: install
	$(BIN)/python -m pytest
	node --test tests/js/

test-python: install
	$(BIN)/python -m pytest

test-js:
	node --test tests/js/

lint: install
	$(BIN)/ruff check server reports tests bench wsgi.py

bench: install
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/mixed_load.py
	$(BIN)/python bench/fault_kill.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/pwa.py

clean:
	rm -rf $(VENV) instance .pytest_cache
