# Two commands on a fresh machine: `make run` and `make test`. Nothing else needs installing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/igny8
export PORT

.PHONY: run test test-sqlite test-postgres test-browser test-postgres-then-browser lint format bench setup setup-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	@touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

run: setup
	$(BIN)/igny8 migrate --noinput -v0
	$(BIN)/igny8 collectstatic --noinput -v0
	$(BIN)/igny8 demo
	@echo ""
	@echo "  IGNY8 is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Sign in as $${DEMO_EMAIL:-demo@igny8.local} / $${DEMO_PASSWORD:-home-coffee-lab}"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/docs/   Health: http://127.0.0.1:$(PORT)/healthz"
	@echo "  Ctrl-C stops the web app, the worker and the scheduler."
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile start -p $(PORT)

# The whole suite in two jobs, one per core, each printing its output when it ends:
# - on SQLite with coverage, everything but the browser tests;
# - on PostgreSQL when it answers on 127.0.0.1 (every test that touches the database), then the
#   browser tests on SQLite with coverage (they test pages, not the database). The SQLite pass is
#   the longer one, so the browser tests wait on the shorter side.
# The two coverage files are combined; the total must reach 80 %.
COVERAGE_DIR := $(CURDIR)/var/coverage

test: setup-dev lint
	@rm -rf $(COVERAGE_DIR)
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres-then-browser
	@$(BIN)/coverage combine -q $(COVERAGE_DIR)
	$(BIN)/coverage report --fail-under=80

test-sqlite: setup-dev
	@echo "== the suite on SQLite (browser tests aside), with coverage"
	@mkdir -p $(COVERAGE_DIR)
	COVERAGE_FILE=$(COVERAGE_DIR)/.coverage.sqlite \
		$(BIN)/pytest --cov --cov-report= --cov-fail-under=0 -p no:cacheprovider -m "not browser"

test-browser: setup-dev
	@echo "== the browser tests on SQLite, with coverage"
	@mkdir -p $(COVERAGE_DIR)
	COVERAGE_FILE=$(COVERAGE_DIR)/.coverage.browser IGNY8_VAR_DIR=$(CURDIR)/var/test-browser IGNY8_TEST_REDIS_DB=11 \
		$(BIN)/pytest --cov --cov-report= --cov-fail-under=0 -p no:cacheprovider -m browser

test-postgres-then-browser: setup-dev
	@$(MAKE) --no-print-directory test-postgres
	@$(MAKE) --no-print-directory test-browser

test-postgres: setup-dev
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=2).close()" 2>/dev/null; then \
		echo "== the suite again on PostgreSQL ($(PG_URL)); browser tests and tests that never touch the database (marker no_database) run on SQLite only"; \
		DATABASE_URL=$(PG_URL) IGNY8_VAR_DIR=$(CURDIR)/var/test-pg IGNY8_TEST_REDIS_DB=13 \
			$(BIN)/pytest -p no:cacheprovider -m "not browser and not no_database"; \
	else echo "== PostgreSQL is not answering on 127.0.0.1:5432: PostgreSQL pass skipped"; fi

lint: setup-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: setup-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: setup-dev
	@for script in bench/*.py; do echo "== $$script"; IGNY8_HOME=$$(mktemp -d) $(BIN)/python $$script || exit 1; done

# The long chaos run of issue 12 on PostgreSQL + Redis (bench/chaos.py): two real workers, SIGKILLs
# during AI runs and automation executions, the books checked after each seed.
.PHONY: chaos
SEEDS ?= 1212,7,42
KILLS ?= 40
chaos: setup-dev
	$(BIN)/python bench/chaos.py --seeds $(SEEDS) --kills $(KILLS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .coverage
