"""Load the raw exports under RAW_DATA_DIR into PostgreSQL tables `raw.<identifier>`.

Run it before `dbt build --target pg`: PostgreSQL cannot read the export files, so every
source table declared in the source YAML files is copied into the `raw` schema with the
columns the DuckDB raw views expose. The connection comes from the same environment
variables as the `pg` target of profiles.yml (PGHOST, PGPORT, PGUSER, PGPASSWORD,
PGDATABASE).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import psycopg2
from tqdm import tqdm

from customer_analytics.postgres_raw import (
    CHUNK_ROWS,
    RawLoadError,
    SourceTable,
    connect_from_environment,
    load_raw,
)

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("RAW_DATA_DIR", "data/raw")),
        help="raw export folder (default: RAW_DATA_DIR or data/raw)",
    )
    parser.add_argument(
        "--chunk-rows",
        type=int,
        default=CHUNK_ROWS,
        help=f"rows sent per COPY (default {CHUNK_ROWS})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Load every raw table and print a one-line summary."""
    args = parse_args(argv)
    started = time.perf_counter()
    bar = tqdm(unit=" rows", unit_scale=True, disable=args.quiet, desc="raw")

    def on_table(table: SourceTable, rows: int) -> None:
        bar.set_postfix_str(f"{table.identifier}: {rows}")

    try:
        connection = connect_from_environment()
    except (RawLoadError, psycopg2.OperationalError) as error:
        print(f"error: {str(error).strip()}", file=sys.stderr)
        return 2
    try:
        loaded = load_raw(
            connection,
            args.raw_dir,
            ROOT / "models",
            chunk_rows=args.chunk_rows,
            on_table=on_table,
            on_rows=bar.update,
        )
    except (RawLoadError, psycopg2.Error) as error:
        bar.close()
        print(f"error: {str(error).strip()}", file=sys.stderr)
        return 2
    finally:
        connection.close()
    bar.close()
    seconds = time.perf_counter() - started
    print(
        f"{len(loaded)} raw tables, {sum(loaded.values())} rows from {args.raw_dir} "
        f"in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
