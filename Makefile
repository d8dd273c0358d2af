# Feedback: `make help` lists the commands.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT

.PHONY: help install lock chromium nginx postgres run test test-fast bench lint typecheck migration format clean i18n-extract

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv and install the service with its test tools

# The versions CI tests are the lock file's (with their hashes); the service itself is
# installed without dependencies, and `pip check` fails if the lock no longer satisfies
# pyproject.toml (run `make lock` after changing a dependency there).
$(VENV)/.installed: pyproject.toml requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

lock: install ## Write requirements/lock.txt from pyproject.toml; UPGRADE=1 moves every package to the newest version pyproject allows
	$(BIN)/pip install --quiet 'pip-tools>=7.7,<8'
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra test --strip-extras \
		--generate-hashes --allow-unsafe --no-emit-find-links --no-emit-index-url \
		$(if $(UPGRADE),--upgrade) --output-file requirements/lock.txt pyproject.toml

chromium: ## Install Debian's Chromium for the browser tests, if it is missing
	@scripts/ensure-chromium

nginx: ## Install Debian's nginx for the reverse-proxy test, if it is missing
	@scripts/ensure-nginx

postgres: ## Start the local PostgreSQL and Redis servers for the tests, if they are not running
	@scripts/ensure-postgres
	@scripts/ensure-redis

run: install ## Install, load demo data and serve on http://127.0.0.1:$(PORT)
	FEEDBACK_ENV=development $(BIN)/feedback demo
	FEEDBACK_ENV=development $(BIN)/feedback serve --port $(PORT)

test: install chromium nginx postgres ## Install everything, then lint, check formatting and types, and run every test (SQLite and PostgreSQL)
	@start=$$(date +%s); \
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/pytest; status=$$?; \
	echo "make test took $$(( $$(date +%s) - start )) s"; exit $$status

test-fast: install ## Run the tests without the browser and reliability ones
	$(BIN)/pytest -m "not browser and not reliability"

bench: install chromium postgres ## Run every benchmark (CPU per page and response, page weight, throughput, submissions, dashboards)
	@scripts/ensure-bench-tools
	$(BIN)/python bench/respondent_cpu.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/submissions.py
	$(BIN)/python bench/dashboard.py --sizes 10000 100000 1000000

lint: install ## Check style and common mistakes
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## Check the type hints (mypy)
	$(BIN)/mypy

format: install ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migration: install ## Write a new Alembic migration from the models: make migration NAME="what it does"
	@test -n "$(NAME)" || { echo 'Say what it does: make migration NAME="add a column"'; exit 2; }
	rm -f $(VENV)/migration-base.sqlite
	$(BIN)/python -c "from feedback.storage.migrate import upgrade; upgrade('sqlite:///$(VENV)/migration-base.sqlite')"
	$(BIN)/alembic -c feedback/storage/migrations/alembic.ini -x url=sqlite:///$(VENV)/migration-base.sqlite revision --autogenerate -m "$(NAME)"

clean: ## Remove the virtualenv, the local database and test output
	rm -rf $(VENV) instance test-artifacts .pytest_cache .ruff_cache

i18n-extract: install ## Extract translatable text into the .pot files (as `feedback translations extract`)
	$(BIN)/feedback translations extract
