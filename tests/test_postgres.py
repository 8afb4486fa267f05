"""The PostgreSQL target against the DuckDB build of the same raw sample, and its grants.

`make test-pg` (scripts/test_pg.sh) starts a throwaway PostgreSQL server, loads the raw
sample, builds every SQL model there and a DuckDB warehouse from the same files, then runs
this file. It is skipped elsewhere (the DuckDB `make test` has no server). The comparison
reads both warehouses as data: row counts of every mart, and the full contents of key marts
(customers, RFM, lifecycle with its running median, cohorts, KPIs, data quality), with
numbers compared to the last decimal their column declares (see DECISIONS.md).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from customer_analytics.postgres_raw import pg_type, read_source_tables, table_select
from tests.conftest import ROOT, Build

psycopg2 = pytest.importorskip("psycopg2")

REQUIRED_ENV = ["PGUSER", "PGPASSWORD", "PGDATABASE", "TEST_PG_READER_PASSWORD", "TEST_PG_DUCKDB"]
MISSING_ENV = [key for key in REQUIRED_ENV if not os.environ.get(key)]
needs_server = pytest.mark.skipif(
    bool(MISSING_ENV),
    reason="PostgreSQL suite: run `make test-pg` (needs " + ", ".join(MISSING_ENV) + ")",
)

READER_ROLE = "bi_reader"
# Computed by scripts/score_postgres.py on PostgreSQL (dbt Python models on DuckDB).
PYTHON_MODELS = {path.stem for path in (ROOT / "models").rglob("*.py")}
COMPARED_MARTS = [
    *sorted(PYTHON_MODELS),
    "dim_customers",
    "customer_rfm",
    "customer_lifecycle",
    "lifecycle_transitions",
    "cohort_retention",
    "kpi_daily",
    "data_quality",
    "data_quality_issues",
]
REFUSED_RELATIONS = [
    "staging.stg_crm__customers",
    "intermediate.int_as_of_date",
    "raw.crm__customers",
    "reference.holidays",
]


def _connect(user: str, password: str) -> Any:
    return psycopg2.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=user,
        password=password,
        dbname=os.environ["PGDATABASE"],
    )


@pytest.fixture(scope="module")
def pg() -> Iterator[Any]:
    connection = _connect(os.environ["PGUSER"], os.environ["PGPASSWORD"])
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def reader() -> Iterator[Any]:
    connection = _connect(READER_ROLE, os.environ["TEST_PG_READER_PASSWORD"])
    connection.autocommit = True
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def duck() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(os.environ["TEST_PG_DUCKDB"], read_only=True)
    yield connection
    connection.close()


def _pg_rows(pg: Any, sql: str) -> list[tuple]:
    with pg.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _pg_tables(pg: Any, schema: str) -> set[str]:
    rows = _pg_rows(
        pg, f"select table_name from information_schema.tables where table_schema = '{schema}'"
    )
    return {row[0] for row in rows}


@needs_server
def test_bi_reader_selects_from_marts(reader: Any, duck: duckdb.DuckDBPyConnection) -> None:
    count = _pg_rows(reader, "select count(*) from marts.dim_customers")[0][0]
    assert count == duck.execute("select count(*) from marts.dim_customers").fetchone()[0]
    assert count > 500


@needs_server
@pytest.mark.parametrize("relation", REFUSED_RELATIONS)
def test_bi_reader_is_refused_outside_marts(reader: Any, pg: Any, relation: str) -> None:
    # The relation exists (the build role reads it) ...
    assert _pg_rows(pg, f"select count(*) from {relation}")[0][0] >= 0
    # ... and the BI role may not.
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _pg_rows(reader, f"select count(*) from {relation}")


@needs_server
@pytest.mark.parametrize("mart", sorted(PYTHON_MODELS))
def test_bi_reader_selects_the_python_marts(
    reader: Any, duck: duckdb.DuckDBPyConnection, mart: str
) -> None:
    count = _pg_rows(reader, f"select count(*) from marts.{mart}")[0][0]
    assert count == duck.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0


@needs_server
def test_bi_reader_cannot_change_marts(reader: Any) -> None:
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        _pg_rows(reader, "delete from marts.dim_customers returning customer_id")


@needs_server
def test_every_mart_is_built_with_the_same_row_count(
    pg: Any, duck: duckdb.DuckDBPyConnection
) -> None:
    duck_marts = {
        row[0]
        for row in duck.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    pg_marts = _pg_tables(pg, "marts")
    assert pg_marts == duck_marts
    assert pg_marts >= PYTHON_MODELS
    assert len(pg_marts) >= 40
    counts = {
        mart: (
            _pg_rows(pg, f"select count(*) from marts.{mart}")[0][0],
            duck.execute(f"select count(*) from marts.{mart}").fetchone()[0],
        )
        for mart in sorted(pg_marts)
    }
    assert {mart: pair for mart, pair in counts.items() if pair[0] != pair[1]} == {}


def _column_kinds(pg: Any, mart: str) -> dict[str, tuple[str, int | None]]:
    rows = _pg_rows(
        pg,
        "select column_name, data_type, numeric_scale from information_schema.columns "
        f"where table_schema = 'marts' and table_name = '{mart}' order by ordinal_position",
    )
    return {name: (data_type, scale) for name, data_type, scale in rows}


def _exact(value: Any) -> Any:
    """A value of an exactly compared column, the same for both drivers."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _close(left: Any, right: Any, data_type: str, scale: int | None) -> bool:
    if left is None or right is None:
        return left is None and right is None
    left, right = float(left), float(right)
    if math.isnan(left) or math.isnan(right):
        return math.isnan(left) and math.isnan(right)
    if data_type == "numeric" and scale is not None:
        # One unit of the last declared decimal: an exact tie rounds up on PostgreSQL, whose
        # numerics are exact, and may round down on DuckDB, which averages in doubles.
        return abs(left - right) <= 10.0**-scale * 1.000001
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-9)


@needs_server
@pytest.mark.parametrize("mart", COMPARED_MARTS)
def test_key_marts_have_the_same_contents(
    pg: Any, duck: duckdb.DuckDBPyConnection, mart: str
) -> None:
    kinds = _column_kinds(pg, mart)
    assert kinds, f"marts.{mart} is missing on PostgreSQL"
    columns = list(kinds)
    approximate = [
        name
        for name, (data_type, _) in kinds.items()
        if data_type in ("numeric", "double precision", "real")
    ]
    exact = [name for name in columns if name not in approximate]
    select = f"select {', '.join(columns)} from marts.{mart}"
    pg_rows = _pg_rows(pg, select)
    duck_rows = duck.execute(select).fetchall()
    assert len(pg_rows) == len(duck_rows) > 0

    def keyed(rows: list[tuple]) -> dict[tuple, tuple]:
        index = [columns.index(name) for name in exact]
        table = {tuple(_exact(row[i]) for i in index): row for row in rows}
        assert len(table) == len(rows), f"{mart}: exact columns do not identify a row"
        return table

    pg_table, duck_table = keyed(pg_rows), keyed(duck_rows)
    assert set(pg_table) == set(duck_table)
    mismatches = []
    for key, pg_row in pg_table.items():
        duck_row = duck_table[key]
        for name in approximate:
            i = columns.index(name)
            if not _close(pg_row[i], duck_row[i], *kinds[name]):
                mismatches.append((name, key[:2], pg_row[i], duck_row[i]))
    assert mismatches[:5] == []


@needs_server
def test_running_median_matches_duckdb(pg: Any, duck: duckdb.DuckDBPyConnection) -> None:
    select = (
        "select customer_id, purchase_day_number, cycle_days "
        "from intermediate.int_customer_purchase_days_sequenced "
        "where cycle_days is not null order by customer_id, purchase_day_number"
    )
    pg_rows = [(row[0], row[1], decimal.Decimal(row[2])) for row in _pg_rows(pg, select)]
    duck_rows = [
        (row[0], row[1], decimal.Decimal(row[2])) for row in duck.execute(select).fetchall()
    ]
    assert len(pg_rows) > 100
    assert pg_rows == duck_rows


def test_loader_reads_what_the_duckdb_raw_views_expose(
    build: Build, con: duckdb.DuckDBPyConnection
) -> None:
    """Without a server: the loader's columns, types and rows are those of the raw views."""
    tables = read_source_tables(ROOT / "models")
    assert len(tables) >= 17
    reader = duckdb.connect()
    for table in tables:
        view = con.execute(f"describe raw.{table.identifier}").fetchall()
        pattern = f"{build.raw_dir.as_posix()}/{table.files}"
        files = sorted(str(path) for path in build.raw_dir.glob(table.files))
        if not files:
            continue
        query, pg_columns = table_select(reader, table, pattern, files)
        assert [name for name, _ in pg_columns] == [row[0] for row in view], table.identifier
        assert [kind for _, kind in pg_columns] == [pg_type(row[1]) for row in view]
        loaded = reader.execute(f"select count(*) from ({query})").fetchone()[0]
        exposed = con.execute(f"select count(*) from raw.{table.identifier}").fetchone()[0]
        assert loaded == exposed > 0, table.identifier
    reader.close()
