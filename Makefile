# The two commands a new user needs:  make refresh   and   make test
# Both create the environment first when needed (Python 3.11+ and pip are all they assume).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# dbt with its Spark adapter and pyspark, in an environment of their own (see pyproject.toml).
SPARK_VENV := .spark-venv
# Apache Superset, in an environment of its own (bi/superset/requirements.txt, locked with hashes).
SUPERSET_VENV := .superset-venv
SUPERSET_PORT ?= 8088
UV := $(PYTHON) -m uv

# Offline world: nothing may wait on a telemetry or tracking host.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DAGSTER_DISABLE_TELEMETRY := 1
export GX_ANALYTICS_ENABLED := False
# uv must use this machine's Python, never download one.
export UV_PYTHON_DOWNLOADS := never
export DAGSTER_HOME ?= $(CURDIR)/dagster_home
# `make serve`'s instance (run history on PostgreSQL) and where its UI listens.
SERVE_DAGSTER_HOME ?= $(CURDIR)/deploy/dagster_home
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 3000

# The tests' temporary warehouses and Dagster instances live in memory where the machine has
# /dev/shm: each refresh syncs Dagster's event log to disk hundreds of times, which costs a test
# run minutes on a shared disk and proves nothing (speed is measured by `make bench`, on disk).
TEST_TMPDIR := $(if $(wildcard /dev/shm/.),/dev/shm,$(or $(TMPDIR),/tmp))

MANIFEST := dbt_project/target/manifest.json
DBT_FILES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests -type f 2>/dev/null) \
             dbt_project/dbt_project.yml profiles.yml

WAREHOUSE_DIR := $(if $(GRANTS_WAREHOUSE_DIR),$(GRANTS_WAREHOUSE_DIR),$(CURDIR)/warehouse)
# The working file dbt builds into (orchestration/settings.py: Settings.build_database).
BUILD_DATABASE := $(WAREHOUSE_DIR)/build/grants.duckdb
# With GRANTS_ENGINE=spark, `make refresh` and `make dev` make the Spark environment first.
ENGINE_ENV := $(if $(filter spark spark-cluster,$(GRANTS_ENGINE)),$(SPARK_VENV)/.synced)

.PHONY: refresh test check dev serve manifest docs metrics bench bench-scale bench-everyday bench-history spark-env spark-cluster-up spark-cluster-down superset clean

## refresh: full refresh of the warehouse into warehouse/grants.duckdb (GRANTS_WAREHOUSE_DIR; GRANTS_ENGINE=spark for Spark)
refresh: $(MANIFEST) $(ENGINE_ENV)
	$(BIN)/python -m orchestration.cli

## test: lint and types (make check), then the test suite: tests/unit (pure logic, within a minute) and tests/integration (real Dagster, dbt, DuckDB, Great Expectations and Spark runs in temp dirs)
test: check $(SPARK_VENV)/.synced $(SUPERSET_VENV)/.synced
	TMPDIR=$(TEST_TMPDIR) $(BIN)/python -m pytest -n 2 --dist loadgroup

## check: ruff (lint and format), mypy, sqlfluff on the dbt models, and Dagster's `dg check defs`
check: $(MANIFEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@# The dbt templater opens the working file profiles.yml names: a throwaway one, so that linting
	@# needs no warehouse yet (a fresh clone) and never waits for a refresh that holds the real one.
	lint=$$(mktemp -d) && GRANTS_BUILD_DATABASE=$$lint/lint.duckdb \
		$(BIN)/sqlfluff lint dbt_project/models --processes 2 --disable-progress-bar; \
		status=$$?; rm -rf $$lint; exit $$status
	@# The semantic layer's own validations (no warehouse needed); the ones against the published
	@# file run in tests/integration/test_semantic_layer.py.
	lint=$$(mktemp -d) && GRANTS_BUILD_DATABASE=$$lint/lint.duckdb DBT_PROJECT_DIR=dbt_project \
		DBT_PROFILES_DIR=. DBT_LOG_PATH=$$lint $(BIN)/mf validate-configs --skip-dw; \
		status=$$?; rm -rf $$lint; exit $$status
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg check defs
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg list defs --json >/dev/null

## dev: the Dagster UI on http://127.0.0.1:3000 (`dagster dev` with its code server started beside it)
dev: $(MANIFEST) $(ENGINE_ENV)
	$(BIN)/python -m orchestration.dev --host 127.0.0.1 --port 3000

## serve: the production deployment: code server, daemon and webserver as separate processes on the PostgreSQL instance in deploy/dagster_home (GRANTS_DAGSTER_POSTGRES_URL; docs/operators.md)
serve: $(MANIFEST) $(ENGINE_ENV)
	DAGSTER_HOME=$(SERVE_DAGSTER_HOME) $(BIN)/python -m orchestration.serve --host $(SERVE_HOST) --port $(SERVE_PORT)

## docs: dbt's documentation site, offline: open warehouse/docs/static_index.html in a browser
docs: $(MANIFEST)
	GRANTS_BUILD_DATABASE=$(BUILD_DATABASE) $(BIN)/dbt docs generate --static \
		--project-dir dbt_project --profiles-dir . --target-path $(WAREHOUSE_DIR)/docs
	@echo "Open $(WAREHOUSE_DIR)/docs/static_index.html in a browser (or: $(BIN)/dbt docs serve --project-dir dbt_project --profiles-dir . --target-path $(WAREHOUSE_DIR)/docs --host 127.0.0.1)"

## metrics: the semantic layer (MetricFlow) on the published file, read-only: `make metrics` lists the metrics, `make metrics MF="query --saved-query headline_figures"` asks (docs/analysts.md)
metrics: $(MANIFEST)
	DBT_TARGET=published DBT_PROJECT_DIR=dbt_project DBT_PROFILES_DIR=. GRANTS_WAREHOUSE_DIR=$(WAREHOUSE_DIR) \
		$(BIN)/mf $(or $(MF),list metrics)

## bench: refresh speed and memory side by side (benchmarks/results.md); not run by CI
bench: $(MANIFEST)
	$(BIN)/python benchmarks/bench.py

## bench-scale: refresh time and memory with SYNTHETIC registers of 10^3..10^7 agreements (benchmarks/scale-results.md); not run by CI
bench-scale: $(MANIFEST) $(SPARK_VENV)/.synced
	$(BIN)/python benchmarks/scale.py --spark-sizes 1000,1000000,10000000 --cluster-sizes 1000,1000000

## bench-everyday: the refresh after one agreement changed, at 10^3 and 10^7 agreements, interleaved rounds (benchmarks/everyday-results.md); not run by CI
bench-everyday: $(MANIFEST)
	$(BIN)/python benchmarks/scale_everyday.py

## bench-history: disk taken by the production deployment's run history per refresh, and a year of them (benchmarks/run-history-results.md); not run by CI
bench-history: $(MANIFEST)
	$(BIN)/python benchmarks/run_history.py

## manifest: dbt's manifest, rebuilt only when dbt files change (definitions only read it)
manifest: $(MANIFEST)

# Parsed with the profile and target a default `make refresh` gives dbt, so that the refresh's
# first dbt run reuses this parse (dbt re-parses everything when either differs).
$(MANIFEST): $(VENV)/.synced $(DBT_FILES)
	GRANTS_BUILD_DATABASE=$(BUILD_DATABASE) \
		$(BIN)/dbt parse --target duckdb --project-dir dbt_project --profiles-dir . --quiet
	@touch $@

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	# Bytecode compiled once here: where PYTHONDONTWRITEBYTECODE is set, every process would
	# otherwise recompile each module it imports (about half of Dagster's and GX's import time).
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

## superset: Apache Superset on the published warehouse (read-only) with the report's dashboard, on http://127.0.0.1:8088 (SUPERSET_PORT; docs/bi-users.md)
superset: $(SUPERSET_VENV)/.synced
	$(SUPERSET_VENV)/bin/python bi/superset/start.py --host 127.0.0.1 --port $(SUPERSET_PORT)

# `uv pip sync`: the environment holds exactly the locked packages, each checked against its hash.
$(SUPERSET_VENV)/.synced: bi/superset/requirements.txt
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) venv --quiet --allow-existing $(SUPERSET_VENV) --python $(PYTHON)
	$(UV) pip sync --quiet --compile-bytecode --require-hashes --python $(SUPERSET_VENV)/bin/python bi/superset/requirements.txt
	@touch $@

## spark-cluster-up: a Spark standalone cluster on 127.0.0.1 (a master, two workers, a Thrift server on port 10111) for GRANTS_ENGINE=spark-cluster (docs/engines.md)
spark-cluster-up: $(SPARK_VENV)/.synced
	$(BIN)/python -m orchestration.lib.spark_cluster start

## spark-cluster-down: stops what spark-cluster-up started
spark-cluster-down:
	$(BIN)/python -m orchestration.lib.spark_cluster stop

## spark-env: dbt-spark and pyspark (the lock file's versions) in .spark-venv
spark-env: $(SPARK_VENV)/.synced

$(SPARK_VENV)/.synced: pyproject.toml uv.lock $(VENV)/.synced
	$(UV) venv --quiet --allow-existing $(SPARK_VENV) --python $(PYTHON)
	$(UV) export --quiet --frozen --only-group spark --no-emit-project -o $(SPARK_VENV)/requirements.txt
	$(UV) pip install --quiet --compile-bytecode --python $(SPARK_VENV)/bin/python -r $(SPARK_VENV)/requirements.txt
	@touch $@

clean:
	rm -rf dbt_project/target dbt_project/logs warehouse
