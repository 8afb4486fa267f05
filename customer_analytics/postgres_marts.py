"""The Python marts (CLV, churn, feedback keywords) on PostgreSQL.

PostgreSQL runs no dbt Python models, so after `dbt build --target pg` this module reads
each Python mart's input tables from the database, computes the mart with the same code
the DuckDB build runs (customer_analytics.python_marts), and writes it to `marts.<name>`
with the mart's column types. Each mart is written to a side table first and swapped in
by a rename inside one transaction, so a BI reader sees the old or the new table, never a
half-written one; the BI reader role gets `select` on it as on every other mart.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from psycopg2 import sql

from customer_analytics.python_marts import PYTHON_MARTS, PythonMart

MARTS_SCHEMA = "marts"

# PostgreSQL type oids of the input columns and the pandas dtypes DuckDB's `.df()` gives
# for them, so the shared code sees the same frames on both engines.
_INTEGER_OIDS = {20, 21, 23}
_FLOAT_OIDS = {700, 701, 1700}
_BOOLEAN_OID = 16
_TIME_OIDS = {1082, 1114, 1184}


def project_vars(project_dir: Path, overrides: Mapping[str, Any] | None = None) -> dict:
    """The project's vars (dbt_project.yml) with command-line overrides applied."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return {**(project.get("vars") or {}), **(overrides or {})}


def mart_settings(mart: PythonMart, variables: Mapping[str, Any]) -> dict[str, Any]:
    """The settings of `mart` from the project's vars, as its dbt model's config has them."""
    missing = [var for var in mart.settings.values() if var not in variables]
    if missing:
        raise KeyError(f"{mart.name}: vars not set in dbt_project.yml: {', '.join(missing)}")
    return {setting: variables[var] for setting, var in mart.settings.items()}


def pg_column_type(duckdb_type: str) -> str:
    """The PostgreSQL spelling of a mart column type."""
    return {"double": "double precision", "varchar": "text"}.get(duckdb_type, duckdb_type)


def read_relation(connection: Any, schema: str, table: str) -> pd.DataFrame:
    """A whole table as a DataFrame with the dtypes DuckDB's `.df()` gives."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("select * from {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        )
        columns = [(column.name, column.type_code) for column in cursor.description]
        frame = pd.DataFrame(cursor.fetchall(), columns=[name for name, _ in columns])
    for name, oid in columns:
        if oid in _INTEGER_OIDS:
            frame[name] = frame[name].astype("Int64")
        elif oid in _FLOAT_OIDS:
            frame[name] = pd.to_numeric(frame[name].astype(object), errors="raise").astype(
                "float64"
            )
        elif oid == _BOOLEAN_OID:
            frame[name] = frame[name].astype("boolean")
        elif oid in _TIME_OIDS:
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[us]")
    return frame


def write_mart(connection: Any, mart: PythonMart, frame: pd.DataFrame, reader_role: str) -> int:
    """Replace `marts.<name>` by `frame` in one transaction; return the rows written."""
    side = f"{mart.name}__new"
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(pg_column_type(kind)))
        for name, kind in mart.column_types.items()
    )
    buffer = io.StringIO()
    _copy_ready(frame, mart).to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    target = sql.Identifier(MARTS_SCHEMA, mart.name)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier("marts")))
        cursor.execute(sql.SQL("drop table if exists {}").format(sql.Identifier("marts", side)))
        cursor.execute(
            sql.SQL("create table {} ({})").format(sql.Identifier("marts", side), columns)
        )
        cursor.copy_expert(
            sql.SQL("copy {} from stdin with (format csv, null '\\N')")
            .format(sql.Identifier("marts", side))
            .as_string(cursor),
            buffer,
        )
        cursor.execute(sql.SQL("drop table if exists {}").format(target))
        cursor.execute(
            sql.SQL("alter table {} rename to {}").format(
                sql.Identifier("marts", side), sql.Identifier(mart.name)
            )
        )
        if _role_exists(cursor, reader_role):
            cursor.execute(
                sql.SQL("grant select on {} to {}").format(target, sql.Identifier(reader_role))
            )
    connection.commit()
    return len(frame)


def _copy_ready(frame: pd.DataFrame, mart: PythonMart) -> pd.DataFrame:
    """The mart's columns as COPY reads them: whole numbers without a decimal point, dates
    without a time of day."""
    ready = frame[list(mart.column_types)].copy()
    for name, kind in mart.column_types.items():
        if kind in ("integer", "bigint"):
            ready[name] = pd.to_numeric(ready[name]).round().astype("Int64")
        elif kind == "date":
            ready[name] = pd.to_datetime(ready[name]).dt.strftime("%Y-%m-%d")
    return ready


def _role_exists(cursor: Any, role: str) -> bool:
    cursor.execute("select 1 from pg_roles where rolname = %s", (role,))
    return cursor.fetchone() is not None


def score_python_marts(
    connection: Any,
    variables: Mapping[str, Any],
    progress: Callable[[str], None] = lambda name: None,
) -> dict[str, int]:
    """Compute and write every Python mart in dependency order; rows written per mart.

    `progress` is called with each mart's name once it is written."""
    written = {}
    for mart in PYTHON_MARTS:
        frames = {table: read_relation(connection, schema, table) for schema, table in mart.inputs}
        result = mart.compute(frames, mart_settings(mart, variables))
        written[mart.name] = write_mart(
            connection, mart, result, str(variables.get("bi_reader_role", "bi_reader"))
        )
        progress(mart.name)
    return written


def parse_vars(text: str | None) -> dict[str, Any]:
    """A `--vars` value as dbt takes it: a YAML or JSON mapping."""
    if not text:
        return {}
    parsed = yaml.safe_load(text)
    if not isinstance(parsed, dict):
        raise ValueError(f"--vars must be a mapping, e.g. '{json.dumps({'as_of_date': '...'})}'")
    return parsed
