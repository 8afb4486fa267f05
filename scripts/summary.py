"""Print a short summary of the built warehouse (rows per mart, data-quality counts)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from customer_analytics.summary import render_summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("WAREHOUSE_PATH", "warehouse.duckdb")),
        help="DuckDB warehouse file (default: $WAREHOUSE_PATH or warehouse.duckdb)",
    )
    args = parser.parse_args()
    try:
        print(render_summary(args.warehouse))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
