"""Build the DuckDB warehouse without ever writing the file BI tools read, then publish it.

dbt builds into `<warehouse>.build/<name>` (a copy of the published file, or empty with
--full-refresh); when every node succeeds the finished file replaces the published one in
one atomic rename. Readers keep the build they opened; a failed or killed build leaves the
published warehouse as it was. Arguments this script does not know go to dbt, e.g.

    scripts/build_warehouse.py -s +fct_orders --vars '{as_of_date: 2025-06-30}'
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from customer_analytics.publish import (
    BuildLockedError,
    build_and_publish,
    run_dbt_in_process,
    target_type,
)

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("WAREHOUSE_PATH", "warehouse.duckdb")),
        help="published DuckDB warehouse file, relative to the project folder "
        "(default: $WAREHOUSE_PATH or warehouse.duckdb)",
    )
    parser.add_argument(
        "--dbt-command",
        default="build",
        choices=["build", "run", "seed"],
        help="dbt command to run (default: build)",
    )
    parser.add_argument(
        "--full-refresh",
        action="store_true",
        help="start from an empty file instead of a copy of the published one (also passed to dbt)",
    )
    args, dbt_args = parser.parse_known_args()
    target_parser = argparse.ArgumentParser(add_help=False)
    target_parser.add_argument("--target", "-t")
    target = target_parser.parse_known_args(dbt_args)[0].target
    profiles = yaml.safe_load((ROOT / "profiles.yml").read_text(encoding="utf-8"))
    try:
        kind = target_type(profiles, "customer_analytics", target)
    except ValueError as error:
        parser.error(str(error))
    if kind != "duckdb":
        parser.error(f"target {target!r} is {kind}: this script publishes DuckDB files only")
    published = args.warehouse if args.warehouse.is_absolute() else ROOT / args.warehouse
    command = [args.dbt_command, *dbt_args, *(["--full-refresh"] if args.full_refresh else [])]

    try:
        outcome = build_and_publish(
            published,
            lambda side: run_dbt_in_process(command, side, ROOT),
            full_refresh=args.full_refresh,
        )
    except BuildLockedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in outcome.discarded:
        print(f"Discarded {path.name} left by an earlier build that did not finish.")
    if not outcome.published:
        print(
            f"error: dbt {args.dbt_command} failed; {published} is unchanged. The failed "
            f"build stays in {published.name}.build/ until the next build.",
            file=sys.stderr,
        )
        return 1
    print(f"Published {published}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
