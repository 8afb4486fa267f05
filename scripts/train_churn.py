"""Evaluate the churn model out of time on a built warehouse and write a report.

For each evaluation date (default: three dates 90 days apart, the latest one churn
horizon before the warehouse's as-of date) the model is trained one horizon earlier,
scored at the date and compared with what happened in the horizon after it, against
recency alone and the rule-based fallback. Writes report.md and PNG plots to --out.
Example: python scripts/train_churn.py --warehouse warehouse.duckdb --out target/churn_report
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import pandas as pd

from customer_analytics.churn.history import load_history
from customer_analytics.churn.report import evaluate_date, write_report

CLV_NOTE = (
    "skipped: `marts.customer_clv` holds BG/NBD expected purchases at the build's as-of "
    "date only, not at past evaluation dates."
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True, help="built DuckDB file")
    parser.add_argument("--out", type=Path, required=True, help="folder for the report")
    parser.add_argument("--horizon-days", type=int, default=180)
    parser.add_argument("--min-training-rows", type=int, default=200)
    parser.add_argument("--dates", nargs="*", default=None, help="evaluation dates YYYY-MM-DD")
    args = parser.parse_args()
    if not args.warehouse.exists():
        print(f"no warehouse at {args.warehouse}; run dbt build first", file=sys.stderr)
        return 2
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        history = load_history(con)
    if args.dates:
        dates = sorted(pd.Timestamp(value) for value in args.dates)
    else:
        latest = history.as_of_date - pd.Timedelta(days=args.horizon_days)
        dates = [latest - pd.Timedelta(days=90 * step) for step in (2, 1, 0)]
    evaluations = [
        evaluate_date(history, date, args.horizon_days, args.min_training_rows) for date in dates
    ]
    metrics = write_report(evaluations, args.horizon_days, args.out, CLV_NOTE)
    print(metrics.to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    print(f"report: {args.out / 'report.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
