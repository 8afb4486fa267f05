"""Compute the Python marts (CLV, churn, feedback keywords) on a PostgreSQL warehouse.

PostgreSQL runs no dbt Python models. Run this after `dbt build --target pg`: it reads each
Python mart's inputs from the database (int_customer_clv_inputs, int_churn_features,
int_feedback_texts, ...), computes the mart with the same package code the DuckDB build
runs, and writes marts.clv_model_params, marts.customer_clv, marts.customer_churn and
marts.feedback_keywords, each swapped in by one transaction and readable by the BI reader
role. Settings come from the vars of dbt_project.yml; pass the same --vars as to dbt.
The connection comes from the variables of the `pg` target of profiles.yml (PGHOST,
PGPORT, PGUSER, PGPASSWORD, PGDATABASE).

Example:
  python scripts/score_postgres.py --vars '{"churn_horizon_days": 120}'
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psycopg2
from tqdm import tqdm

from customer_analytics.postgres_marts import parse_vars, project_vars, score_python_marts
from customer_analytics.postgres_raw import RawLoadError, connect_from_environment
from customer_analytics.python_marts import PYTHON_MARTS

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--vars", default=None, help="the vars given to dbt build, as YAML or JSON (optional)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Score every Python mart and print a one-line summary."""
    args = parse_args(argv)
    try:
        variables = project_vars(ROOT, parse_vars(args.vars))
        connection = connect_from_environment()
    except (RawLoadError, ValueError, psycopg2.OperationalError) as error:
        print(f"error: {str(error).strip()}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    bar = tqdm(total=len(PYTHON_MARTS), unit=" mart", disable=args.quiet, desc="python marts")

    def on_mart(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)

    try:
        written = score_python_marts(connection, variables, on_mart)
    except psycopg2.errors.UndefinedTable as error:
        print(
            f"error: {str(error).strip()}\nBuild the SQL models first: "
            "dbt build --target pg (after scripts/load_raw_postgres.py).",
            file=sys.stderr,
        )
        return 1
    finally:
        bar.close()
        connection.close()
    summary = ", ".join(f"{name} {rows:,} rows" for name, rows in written.items())
    print(f"python marts written in {time.perf_counter() - started:.1f}s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
