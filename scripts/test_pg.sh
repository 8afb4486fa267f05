#!/usr/bin/env bash
# The PostgreSQL suite (`make test-pg`): a throwaway PostgreSQL 15 server in a temporary
# folder (loopback only, stopped and deleted on exit), a small generated sample loaded into
# its `raw` schema, `dbt build --target pg` (every SQL model, seed, unit and data test), a
# DuckDB build of the same files for comparison, then tests/test_postgres.py.
#
# Needs the PostgreSQL server binaries (`pg_config --bindir`, or PG_BINDIR). Run as root,
# the server runs as the `postgres` user; otherwise as the current user.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PG_CUSTOMERS=${PG_CUSTOMERS:-1000}
OUT=${TEST_PG_OUT:-target/pg}
PG_BINDIR=${PG_BINDIR:-$(pg_config --bindir)}

started=$SECONDS
step() { printf '[test-pg %3ds] %s\n' $((SECONDS - started)) "$*"; }

tmp=$(mktemp -d)
server_user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    server_user=postgres
    chown "$server_user" "$tmp"
fi
as_server() {
    if [ "$server_user" = "$(id -un)" ]; then "$@"; else runuser -u "$server_user" -- "$@"; fi
}
duckdb_build=
cleanup() {
    if [ -n "$duckdb_build" ]; then
        kill "$duckdb_build" 2>/dev/null || true
    fi
    if [ -f "$tmp/data/postmaster.pid" ]; then
        as_server "$PG_BINDIR/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

secret() { "$BIN/python" -c 'import secrets; print(secrets.token_hex(16))'; }
admin_password=$(secret)
export PGHOST=127.0.0.1
PGPORT=$("$BIN/python" -c \
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PGPORT
export PGUSER=analytics_build PGPASSWORD=$(secret) PGDATABASE=analytics
export TEST_PG_READER_PASSWORD=$(secret)

step "PostgreSQL server on 127.0.0.1:$PGPORT (data in a temporary folder)"
printf '%s\n' "$admin_password" > "$tmp/pwfile"
chmod 600 "$tmp/pwfile"
[ "$server_user" = "$(id -un)" ] || chown "$server_user" "$tmp/pwfile"
as_server "$PG_BINDIR/initdb" -D "$tmp/data" -U postgres --pwfile="$tmp/pwfile" \
    -A scram-sha-256 -E UTF8 --locale=C >/dev/null
rm -f "$tmp/pwfile"
# Loopback only; a throwaway server needs no durability (fsync off). JIT off: compiling the
# long arithmetic of a few marts costs far more than it saves on tables of this size.
as_server "$PG_BINDIR/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$tmp \
     -c timezone=UTC -c jit=off -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null

admin() {
    PGUSER=postgres PGPASSWORD=$admin_password PGDATABASE=postgres \
        psql -qX -v ON_ERROR_STOP=1 "$@"
}
admin -c "create role $PGUSER login password '$PGPASSWORD'" \
    -c "create role bi_reader login password '$TEST_PG_READER_PASSWORD'"
admin -c "create database $PGDATABASE owner $PGUSER"
admin -d "$PGDATABASE" -c "alter database $PGDATABASE set timezone to 'UTC'"

step "sample: $PG_CUSTOMERS customers, seed 7"
mkdir -p "$OUT"
"$BIN/python" scripts/generate_data.py --customers "$PG_CUSTOMERS" --seed 7 \
    --out "$OUT/raw" --truth "$OUT/truth" --quiet >/dev/null
export RAW_DATA_DIR=$OUT/raw

step "DuckDB build of the same sample, for comparison (background)"
rm -f "$OUT/duckdb.duckdb"
# Seeds and models only (their tests run on DuckDB in `make test`).
WAREHOUSE_PATH=$OUT/duckdb.duckdb "$BIN/dbt" build --profiles-dir . --project-dir . \
    --select resource_type:seed resource_type:model --indirect-selection empty --target-path "$OUT/duckdb_target" \
    --log-path "$OUT/duckdb_logs" > "$OUT/duckdb_build.log" 2>&1 &
duckdb_build=$!

step "load raw exports into PostgreSQL"
"$BIN/python" scripts/load_raw_postgres.py --raw-dir "$OUT/raw" --quiet

step "dbt build --target pg"
# Four threads: most nodes are small queries, so the server works while dbt waits.
"$BIN/dbt" build --target pg --threads 4 --profiles-dir . --project-dir . \
    --target-path "$OUT/dbt_target" --log-path "$OUT/dbt_logs"

step "Python marts (CLV, churn, keywords) computed from the PostgreSQL tables"
"$BIN/python" scripts/score_postgres.py --quiet

step "waiting for the DuckDB build"
if ! wait "$duckdb_build"; then
    duckdb_build=
    tail -n 40 "$OUT/duckdb_build.log"
    exit 1
fi
duckdb_build=

step "pytest tests/test_postgres.py"
TEST_PG_DUCKDB=$OUT/duckdb.duckdb TEST_DATA_DIR=$OUT TEST_WAREHOUSE=$OUT/duckdb.duckdb \
    "$BIN/pytest" -q tests/test_postgres.py

step "done"
