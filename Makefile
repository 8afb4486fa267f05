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

.PHONY: run test venv data build summary lint format pytest dbt-test-build bench backtest clean

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

build: venv
	RAW_DATA_DIR=$(RAW_DATA_DIR) $(DBT) build $(DBT_FLAGS)

summary: venv
	$(BIN)/python scripts/summary.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p target
	WAREHOUSE_PATH=target/lint.duckdb $(BIN)/sqlfluff lint models

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

clean:
	rm -rf target logs data warehouse.duckdb
