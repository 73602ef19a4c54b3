# Every target does its own set-up when .venv is missing or out of date.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
# Absolute, so the manifest and the partial-parse state name the project by its full path:
# dagster-dbt runs dbt from inside dbt_project/, where a relative root (seeds read as
# dbt_project/seeds/...) is not found when dbt reuses the state.
DBT_ARGS := --project-dir $(CURDIR)/dbt_project --profiles-dir $(CURDIR)/dbt_project

# No telemetry anywhere: these machines have no internet.
export DAGSTER_HOME := $(CURDIR)/.dagster
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup manifest demo test ui bench lint clean

setup: $(STAMP) $(DAGSTER_HOME)/dagster.yaml

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	$(BIN)/dbt parse $(DBT_ARGS) --quiet
	touch $(STAMP)

# The instance settings (run launcher, run monitoring, concurrency) follow the repository's.
$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

# dagster-dbt reads dbt's manifest at import time; refresh it so it matches the models.
manifest: setup
	$(BIN)/dbt parse $(DBT_ARGS) --quiet

# The public demo key protects synthetic data only; a configured real key takes precedence.
# `csc-intel run` is refresh_all with a line per stage and a closing summary (where the
# outputs and the warehouse are); Dagster's events and dbt's lines go to data/logs/.
# The action-research loop as an authority lives it: the first run writes the questions
# register and the partnership return template; the partners fill the template in
# (generate-partnership-returns, into data/landing/partnership/); the second run reads their
# returns (unchanged extracts are not ingested again) and the briefing shows the enquiry,
# what was heard and whether the plan is working.
demo: export CSC_INTEL_DEMO_KEY = 1
demo: manifest
	$(BIN)/csc-intel generate --out data/landing --seed 42 --summary
	$(BIN)/csc-intel run
	$(BIN)/csc-intel generate-partnership-returns --outputs data/outputs --landing data/landing
	$(BIN)/csc-intel run

# Two workers, one per core: most of the suite's time is dbt's single-threaded Python.
TEST_WORKERS ?= 2
test: setup
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

# dagster dev in its own process group, stopped as a whole on Ctrl-C (orchestration/ui.py).
ui: export CSC_INTEL_DEMO_KEY = 1
ui: manifest
	exec $(BIN)/python -m orchestration.ui --host 127.0.0.1 --port 3000

# Each stage timed on its own, the whole run, the engine's limit, incremental runs
# (bench/README.md). SCALE=county|region|national (national needs AUTHORITIES=N);
# RUNS="stages whole new_month" (the default) or a subset.
SCALE ?= county
bench: manifest
	$(BIN)/python bench/bench_platform.py --scale $(SCALE) $(if $(AUTHORITIES),--authorities $(AUTHORITIES)) \
		$(if $(RUNS),--runs $(RUNS))

lint: setup
	$(BIN)/ruff check orchestration synthetic tests bench
	$(BIN)/ruff format --check orchestration synthetic tests bench

clean:
	rm -rf $(VENV) .dagster dbt_project/target dbt_project/logs data/landing data/outputs data/alerts \
		data/warehouse.duckdb data/warehouse.duckdb.wal data/release_ledger.csv
