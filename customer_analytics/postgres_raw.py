"""Load the raw exports into PostgreSQL tables `raw.<identifier>`.

PostgreSQL cannot read Parquet or JSON files, so the raw layer that DuckDB exposes as views
over the files (macros/create_raw_relations.sql) is materialised here as tables with exactly
the same columns: the contracted columns of each source table (CSV and JSON as text,
Parquet integers as bigint and the rest as text) plus `_source_file`. DuckDB reads the
files in-process and streams them in record batches to PostgreSQL's COPY, so a
30-million-row feed is never held in memory at once. Empty (0-byte) files are skipped; a
source without files becomes an empty table with the contracted columns.
"""

from __future__ import annotations

import glob
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pyarrow as pa
import pyarrow.csv as pa_csv
import yaml

RAW_SCHEMA = "raw"
CHUNK_ROWS = 200_000
INTEGER_TYPES = ("integer", "bigint")

# DuckDB column types of Parquet files and their PostgreSQL equivalents; any other type is
# loaded as text.
_PG_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


class RawLoadError(Exception):
    """Raw files that cannot be loaded as their source YAML describes them."""


def connect_from_environment() -> Any:
    """A psycopg2 connection from the variables the `pg` target of profiles.yml reads."""
    missing = [key for key in ("PGUSER", "PGPASSWORD", "PGDATABASE") if not os.environ.get(key)]
    if missing:
        raise RawLoadError(f"Set {', '.join(missing)} (the credentials of the pg target).")
    return psycopg2.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=int(os.environ.get("PGPORT", "5432")),
        user=os.environ["PGUSER"],
        password=os.environ["PGPASSWORD"],
        dbname=os.environ["PGDATABASE"],
    )


@dataclass(frozen=True)
class SourceTable:
    """One source table of a source YAML: where its files are and its contracted columns."""

    source_name: str
    name: str
    identifier: str
    files: str
    file_format: str
    columns: tuple[tuple[str, str], ...]
    yaml_path: Path


def _meta(entry: dict[str, Any]) -> dict[str, Any]:
    return entry.get("meta") or (entry.get("config") or {}).get("meta") or {}


def read_source_tables(models_dir: Path) -> list[SourceTable]:
    """Every source table with `meta.files` declared in the YAML files under `models_dir`."""
    tables: list[SourceTable] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(models_dir.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if "sources:" not in text:
            continue
        document = yaml.load(text, Loader=loader) or {}
        for source in document.get("sources") or []:
            for table in source.get("tables") or []:
                meta = _meta(table)
                if not meta.get("files"):
                    continue
                columns = tuple(
                    (column["name"], column.get("data_type") or "varchar")
                    for column in table.get("columns") or []
                )
                tables.append(
                    SourceTable(
                        source_name=source["name"],
                        name=table["name"],
                        identifier=table.get("identifier") or table["name"],
                        files=meta["files"],
                        file_format=meta.get("format", "csv"),
                        columns=columns,
                        yaml_path=path.relative_to(models_dir.parent),
                    )
                )
    return tables


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_reader(table: SourceTable, files: list[str]) -> str:
    """The DuckDB table function reading the files, as the DuckDB raw views do."""
    paths = "[" + ", ".join(_literal(path) for path in files) + "]"
    if table.file_format == "csv":
        return (
            f"read_csv({paths}, header = true, all_varchar = true, "
            "union_by_name = true, filename = true, delim = ',', quote = '\"', escape = '\"')"
        )
    if table.file_format == "parquet":
        return f"read_parquet({paths}, union_by_name = true, filename = true)"
    if table.file_format == "jsonl":
        columns = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name, _ in table.columns)
        return (
            f"read_json({paths}, format = 'newline_delimited', filename = true, "
            f"columns = {{{columns}}})"
        )
    raise RawLoadError(
        f"Unknown raw file format '{table.file_format}' of source "
        f"{table.source_name}.{table.name} in {table.yaml_path}"
    )


def pg_type(duckdb_type: str) -> str:
    """PostgreSQL type of a column DuckDB reads with `duckdb_type`."""
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    return _PG_TYPES.get(duckdb_type, "text")


def table_select(
    duck: duckdb.DuckDBPyConnection, table: SourceTable, pattern: str, files: list[str]
) -> tuple[str, list[tuple[str, str]]]:
    """DuckDB query of one source table's rows and the PostgreSQL columns to load them into.

    Raises RawLoadError naming the files and the column when a contracted column is absent.
    """
    reader = file_reader(table, files)
    described = duck.execute(f"describe select * from {reader}").fetchall()
    present = {row[0].lower() for row in described}
    missing = [name for name, _ in table.columns if name.lower() not in present]
    if missing:
        raise RawLoadError(
            f"Raw files '{pattern}' (source {table.source_name}.{table.name}) lack the "
            f"contracted column(s): {', '.join(missing)}. Rename the export's header or fix "
            f"the contract in {table.yaml_path}"
        )
    select_list: list[str] = []
    pg_columns: list[tuple[str, str]] = []
    for name, data_type in table.columns:
        # As the DuckDB views: Parquet integers of any width as bigint (an out-of-range
        # value reaches staging's range checks), everything else as text.
        is_integer = table.file_format == "parquet" and data_type.lower() in INTEGER_TYPES
        if is_integer:
            expression = f"cast({_quote(name)} as bigint)"
        else:
            # PostgreSQL text cannot hold NUL characters; they are the only change made.
            expression = f"replace(cast({_quote(name)} as varchar), chr(0), '')"
        select_list.append(f"{expression} as {_quote(name)}")
        pg_columns.append((name, "bigint" if is_integer else "text"))
    select_list.append("parse_filename(filename) as _source_file")
    pg_columns.append(("_source_file", "text"))
    return f"select {', '.join(select_list)} from {reader}", pg_columns


def _csv_chunks(reader: pa.RecordBatchReader) -> Iterator[tuple[bytes, int]]:
    """Each record batch as CSV without header (null: empty field; '' stays quoted)."""
    options = pa_csv.WriteOptions(include_header=False)
    for batch in reader:
        if batch.num_rows == 0:
            continue
        buffer = io.BytesIO()
        pa_csv.write_csv(pa.Table.from_batches([batch]), buffer, options)
        yield buffer.getvalue(), batch.num_rows


def load_table(
    duck: duckdb.DuckDBPyConnection,
    pg: Any,
    table: SourceTable,
    raw_dir: Path,
    chunk_rows: int = CHUNK_ROWS,
    on_rows: Callable[[int], None] | None = None,
) -> int:
    """Replace `raw.<identifier>` with the rows of the table's files; returns the row count.

    The table is dropped, created and filled in one transaction: readers see the old rows
    or the new ones, never a half-loaded table.
    """
    pattern = f"{raw_dir.as_posix().rstrip('/')}/{table.files}"
    relation = f"{_quote(RAW_SCHEMA)}.{_quote(table.identifier)}"
    # Empty (0-byte) files hold no rows and no header: skipped, as the DuckDB views do.
    files = sorted(path for path in glob.glob(pattern) if os.path.getsize(path) > 0)
    if files:
        query, pg_columns = table_select(duck, table, pattern, files)
    else:
        query = None
        pg_columns = [(name, data_type) for name, data_type in table.columns]
        pg_columns.append(("_source_file", "text"))
    column_list = ", ".join(f"{_quote(name)} {data_type}" for name, data_type in pg_columns)
    rows = 0
    with pg.cursor() as cursor:
        cursor.execute(f"create schema if not exists {_quote(RAW_SCHEMA)}")
        cursor.execute(f"drop table if exists {relation}")
        cursor.execute(f"create table {relation} ({column_list})")
        if query is not None:
            reader = duck.sql(query).to_arrow_reader(chunk_rows)
            copy = f"copy {relation} from stdin with (format csv)"
            for chunk, n_rows in _csv_chunks(reader):
                cursor.copy_expert(copy, io.BytesIO(chunk))
                rows += n_rows
                if on_rows is not None:
                    on_rows(n_rows)
        cursor.execute(f"analyze {relation}")
    pg.commit()
    return rows


def load_raw(
    pg: Any,
    raw_dir: Path,
    models_dir: Path,
    chunk_rows: int = CHUNK_ROWS,
    on_table: Callable[[SourceTable, int], None] | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Load every declared source table; returns rows loaded per `raw.<identifier>`.

    Raises RawLoadError when no export file exists at all (a wrong RAW_DATA_DIR) or when
    files lack a contracted column.
    """
    tables = read_source_tables(models_dir)
    if not any(glob.glob(f"{raw_dir.as_posix().rstrip('/')}/{t.files}") for t in tables):
        raise RawLoadError(
            f"No raw export files were found under '{raw_dir}'. Generate the sample with "
            "`make data`, or point RAW_DATA_DIR at a folder laid out as the sources YAML "
            "files describe."
        )
    loaded: dict[str, int] = {}
    duck = duckdb.connect()
    try:
        duck.execute("set memory_limit = '1GB'")
        duck.execute("set threads = 2")
        for table in tables:
            try:
                rows = load_table(duck, pg, table, raw_dir, chunk_rows, on_rows)
            except duckdb.Error as error:
                pg.rollback()
                raise RawLoadError(
                    f"Raw files '{raw_dir.as_posix().rstrip('/')}/{table.files}' (source "
                    f"{table.source_name}.{table.name}) cannot be read: {error}"
                ) from error
            except Exception:
                pg.rollback()
                raise
            loaded[f"{RAW_SCHEMA}.{table.identifier}"] = rows
            if on_table is not None:
                on_table(table, rows)
    finally:
        duck.close()
    return loaded
