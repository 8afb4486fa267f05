"""Evaluate the churn model out of time on a built warehouse and write a report.

For each evaluation date D (default: three dates 90 days apart, the latest one churn
horizon before the warehouse's as-of date) the model is trained one horizon earlier,
scored at D and compared with what happened in the horizon after D, against recency
alone, BG/NBD expected purchases (fitted on the orders up to D) and the rule-based
fallback: ROC AUC, PR AUC, Brier score, calibration and gains by decile. Writes report.md
and PNG plots to --out.

Example: python scripts/train_churn.py --warehouse warehouse.duckdb --out target/churn_report
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import duckdb
import pandas as pd
from tqdm import tqdm

from customer_analytics.churn.history import load_history
from customer_analytics.churn.report import evaluate_date, write_report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        required=True,
        help="DuckDB file built by `dbt build` (needs int_churn_features' upstream tables)",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for report.md and plots")
    parser.add_argument(
        "--horizon-days",
        type=int,
        default=180,
        help="churn horizon H in days (default 180, var churn_horizon_days)",
    )
    parser.add_argument(
        "--min-training-rows",
        type=int,
        default=200,
        help="below this many labelled rows the rule-based fallback scores (default 200)",
    )
    parser.add_argument(
        "--dates",
        nargs="*",
        default=None,
        metavar="YYYY-MM-DD",
        help="evaluation dates; each must be at least one horizon before the as-of date",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def evaluation_dates(
    values: list[str] | None, as_of_date: pd.Timestamp, horizon_days: int
) -> list[pd.Timestamp]:
    """The evaluation dates, checked: D + H must not pass the warehouse's as-of date."""
    if values:
        try:
            dates = sorted(pd.Timestamp(dt.date.fromisoformat(value)) for value in values)
        except ValueError as error:
            raise ValueError(f"--dates takes dates as YYYY-MM-DD ({error})") from error
    else:
        latest = as_of_date - pd.Timedelta(days=horizon_days)
        dates = [latest - pd.Timedelta(days=90 * step) for step in (2, 1, 0)]
    latest_allowed = as_of_date - pd.Timedelta(days=horizon_days)
    late = [date.date().isoformat() for date in dates if date > latest_allowed]
    if late:
        raise ValueError(
            f"evaluation date(s) {late} are less than {horizon_days} days before the "
            f"warehouse's as-of date {as_of_date.date()}: their outcome is not known yet; "
            f"use dates up to {latest_allowed.date()} or build a later as-of date"
        )
    return dates


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.horizon_days <= 0:
        print("error: --horizon-days must be a positive number of days", file=sys.stderr)
        return 2
    if not args.warehouse.exists():
        print(
            f"error: no warehouse at {args.warehouse}; run `dbt build` first or pass "
            "--warehouse with the built DuckDB file",
            file=sys.stderr,
        )
        return 2
    try:
        with duckdb.connect(str(args.warehouse), read_only=True) as con:
            history = load_history(con)
    except duckdb.CatalogException as error:
        print(
            f"error: {args.warehouse} lacks a table the churn features need ({error}); "
            "run `dbt build -s +int_churn_features` on it first",
            file=sys.stderr,
        )
        return 2
    try:
        dates = evaluation_dates(args.dates, history.as_of_date, args.horizon_days)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    evaluations = [
        evaluate_date(history, date, args.horizon_days, args.min_training_rows)
        for date in tqdm(dates, desc="evaluation dates", unit="date", disable=args.quiet)
    ]
    metrics = write_report(evaluations, args.horizon_days, args.out)
    print(metrics.to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    print(f"report: {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
