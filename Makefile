# Two commands for a fresh clone: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Default sample: a Chinese omni-channel retailer; see docs/data.md.
CUSTOMERS ?= 20000
SEED ?= 42
RAW_DATA_DIR ?= data/raw
TRUTH_DIR ?= data/truth
# The test build uses its own small sample and warehouse file.
TEST_CUSTOMERS ?= 2000
TEST_DATA_DIR := data/test
TEST_WAREHOUSE := target/test_warehouse.duckdb

DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir . --project-dir .

.PHONY: run test venv data build summary lint format pytest dbt-test-build bench backtest clean \
	dashboard test-browser test-pg test-spark

run: venv data build summary

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

data: venv
	$(BIN)/python scripts/generate_data.py --customers $(CUSTOMERS) --seed $(SEED) \
		--out $(RAW_DATA_DIR) --truth $(TRUTH_DIR)

# Builds into warehouse.duckdb.build/ and publishes with an atomic rename: readers of
# warehouse.duckdb never see a half-built file (DECISIONS.md).
build: venv
	RAW_DATA_DIR=$(RAW_DATA_DIR) $(BIN)/python scripts/build_warehouse.py

summary: venv
	$(BIN)/python scripts/summary.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p target
	WAREHOUSE_PATH=target/lint.duckdb $(BIN)/sqlfluff lint models --processes 2

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	WAREHOUSE_PATH=target/lint.duckdb $(BIN)/sqlfluff fix models

dbt-test-build: venv
	$(BIN)/python scripts/generate_data.py --customers $(TEST_CUSTOMERS) --seed 7 \
		--out $(TEST_DATA_DIR)/raw --truth $(TEST_DATA_DIR)/truth
	mkdir -p target
	rm -f $(TEST_WAREHOUSE)
	RAW_DATA_DIR=$(TEST_DATA_DIR)/raw WAREHOUSE_PATH=$(TEST_WAREHOUSE) \
		$(DBT) build $(DBT_FLAGS) --target-path target/test

pytest: venv
	TEST_DATA_DIR=$(TEST_DATA_DIR) TEST_WAREHOUSE=$(TEST_WAREHOUSE) $(BIN)/pytest -q

test: venv lint dbt-test-build pytest

bench: venv
	$(BIN)/python scripts/benchmark.py --customers 100000 1000000 --write-docs

# Predictions as of mid-2025 against what the default sample did in the second half.
backtest: venv
	$(BIN)/python scripts/backtest.py --calibration-end 2025-06-30 --holdout-end 2025-12-31 \
		--raw-dir $(RAW_DATA_DIR)

# Every SQL model, seed and test on a real PostgreSQL 15 server started for the run
# (temporary data directory, loopback only, stopped on exit), then tests/test_postgres.py.
test-pg: venv
	bash scripts/test_pg.sh

# Seeds, SQL models and their tests on Apache Spark: a local Spark session inside dbt
# (dbt-spark, session mode; needs Java 17). Not in CI: about 11 minutes (DECISIONS.md).
SPARK_STAMP := $(VENV)/.spark-installed
$(SPARK_STAMP): $(STAMP) requirements-spark.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $(SPARK_STAMP)

test-spark: venv $(SPARK_STAMP)
	bash scripts/test_spark.sh

# The dashboard on the built warehouse, read-only: http://localhost:8501
dashboard: venv
	WAREHOUSE_PATH=$${WAREHOUSE_PATH:-warehouse.duckdb} $(BIN)/streamlit run dashboard/app.py \
		--server.address localhost --server.port 8501 --browser.gatherUsageStats false

# Every dashboard page in headless Chromium on the test warehouse (built when missing);
# one screenshot per page in target/screenshots. Installs Debian's chromium and a CJK font
# (segment names are Chinese) when missing.
test-browser: venv
	@dpkg -s chromium fonts-wqy-zenhei >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei; }
	test -f $(TEST_WAREHOUSE) || $(MAKE) dbt-test-build
	$(BIN)/python scripts/check_dashboard.py --warehouse $(TEST_WAREHOUSE) --out target/screenshots

clean:
	rm -rf target logs data warehouse.duckdb warehouse.duckdb.build
