#!/usr/bin/env bash
# The Spark suite (`make test-spark`): a small generated sample read in place by a local
# Apache Spark session inside dbt (dbt-spark, method session: pyspark and Java 17, no
# server), then `dbt build --target spark` of the seeds, the SQL models and their unit and
# data tests. The catalog lives in memory for the one dbt invocation; table data goes to a
# fresh warehouse folder under target/spark. Not part of CI (about 11 minutes on a busy
# 2-core machine: Spark plans and runs each of ~1,660 small queries as a job of its own);
# run it after changing SQL.
#
# Needs the Spark packages beside the project's: `pip install -r requirements-spark.txt`
# into the virtual environment (BIN, default .venv/bin), and `java` (17) on the PATH.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
SPARK_CUSTOMERS=${SPARK_CUSTOMERS:-300}
OUT=${TEST_SPARK_OUT:-target/spark}

started=$SECONDS
step() { printf '[test-spark %3ds] %s\n' $((SECONDS - started)) "$*"; }

if ! "$BIN/python" -c 'import pyspark, dbt.adapters.spark' 2>/dev/null; then
    echo "dbt-spark (session) and pyspark are not installed in $BIN:" \
        "run $BIN/pip install -r requirements-spark.txt" >&2
    exit 1
fi
if ! command -v java >/dev/null; then
    echo "Spark needs a Java runtime (17): install one (e.g. openjdk-17-jre-headless)." >&2
    exit 1
fi

step "sample: $SPARK_CUSTOMERS customers, seed 7"
rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN/python" scripts/generate_data.py --customers "$SPARK_CUSTOMERS" --seed 7 \
    --out "$OUT/raw" --truth "$OUT/truth" --quiet >/dev/null
export RAW_DATA_DIR=$OUT/raw
export SPARK_WAREHOUSE_DIR=$PWD/$OUT/warehouse

step "dbt build --target spark (local Spark session)"
# Python models are DuckDB-only (disabled on other targets).
"$BIN/dbt" build --target spark --profiles-dir . --project-dir . \
    --target-path "$OUT/dbt_target" --log-path "$OUT/dbt_logs"

step "done"
