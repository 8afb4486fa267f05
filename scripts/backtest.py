"""Backtest the CLV and churn predictions against what happened after the calibration end.

Builds the warehouse twice from the raw files, each into its own scratch file: as of the
calibration end (every model up to customer_clv and customer_churn), and as of the
holdout end (the placed orders only). The calibration build never sees the holdout build.
Per calibration customer it compares the BG/NBD expected purchase days over the holdout
with the actual ones, predicted with actual net revenue, and the churn probability with
"no purchase in the holdout" (ROC AUC, against recency alone). Writes marts.clv_backtest
into the calibration warehouse, prints a summary and saves by_frequency.png to --out.

Example:
  python scripts/backtest.py --calibration-end 2025-06-30 --holdout-end 2025-12-31
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

import duckdb
import pandas as pd
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from tqdm import tqdm

from customer_analytics.backtest import (
    BACKTEST_TYPES,
    assemble_backtest,
    by_frequency,
    format_summary,
    holdout_actuals,
    link_customers,
    plot_by_frequency,
    summarise,
    validate_period,
)

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION_SELECT = ["+customer_clv", "+customer_churn"]
HOLDOUT_SELECT = ["+int_placed_orders_netted"]
ORDERS_QUERY = (
    "select order_id, customer_id, order_date, net_total_reporting "
    "from intermediate.int_placed_orders_netted"
)


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from error


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--calibration-end",
        type=parse_date,
        required=True,
        help="last day the models may see (YYYY-MM-DD); the build's as_of_date",
    )
    parser.add_argument(
        "--holdout-end",
        type=parse_date,
        required=True,
        help="last day of the holdout (YYYY-MM-DD), after the calibration end",
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("RAW_DATA_DIR", "data/raw")),
        help="raw export folder (default: RAW_DATA_DIR, else data/raw)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("target/backtest"),
        help="folder for the scratch warehouses, dbt files and the plot (default: target/backtest)",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="scratch warehouse of the calibration build, which receives marts.clv_backtest "
        "(default: OUT/calibration.duckdb; the holdout build goes to OUT/holdout.duckdb); "
        "never point it at the main warehouse, it is rebuilt as of the calibration end",
    )
    parser.add_argument(
        "--vars",
        default="{}",
        help='extra dbt vars as JSON, e.g. \'{"reporting_currency": "USD"}\'',
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--skip-tests",
        action="store_true",
        help="build models and seeds without running the data tests (faster)",
    )
    args = parser.parse_args(argv)
    try:
        validate_period(args.calibration_end, args.holdout_end)
        extra = json.loads(args.vars)
    except ValueError as error:
        parser.error(str(error))
    if not isinstance(extra, dict):
        parser.error("--vars must be a JSON object")
    args.extra_vars = extra
    if not args.raw_dir.is_dir():
        parser.error(f"no raw folder at {args.raw_dir}")
    return args


def dbt_build(
    select: list[str],
    as_of_date: dt.date,
    extra_vars: dict[str, object],
    raw_dir: Path,
    warehouse: Path,
    target_path: Path,
    skip_tests: bool,
) -> None:
    """Run `dbt build` in-process as of a date into a fresh warehouse file."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    warehouse.unlink(missing_ok=True)
    dbt_vars = json.dumps({**extra_vars, "as_of_date": as_of_date.isoformat()})
    args = ["build", "-s", *select, "--indirect-selection", "cautious", "--vars", dbt_vars]
    if skip_tests:
        args += ["--exclude-resource-type", "test", "unit_test"]
    previous = {key: os.environ.get(key) for key in ("RAW_DATA_DIR", "WAREHOUSE_PATH")}
    os.environ["RAW_DATA_DIR"] = str(raw_dir.resolve())
    os.environ["WAREHOUSE_PATH"] = str(warehouse.resolve())
    try:
        result = dbtRunner().invoke(
            [
                *args,
                "--project-dir",
                str(ROOT),
                "--profiles-dir",
                str(ROOT),
                "--target-path",
                str(target_path.resolve()),
                "--log-path",
                str((target_path / "logs").resolve()),
                "--quiet",
            ]
        )
    finally:
        # dbt-duckdb keeps its DuckDB instance open in-process; release the file.
        DuckDBConnectionManager.close_all_connections()
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if not result.success:
        raise RuntimeError(
            f"dbt build as of {as_of_date} failed: {result.exception or 'see the log'}; the "
            f"full log is {target_path / 'logs' / 'dbt.log'} (check --raw-dir and --vars)"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    calibration_warehouse = args.warehouse or out / "calibration.duckdb"
    holdout_warehouse = out / "holdout.duckdb"
    protected = {(ROOT / "warehouse.duckdb").resolve(), holdout_warehouse.resolve()}
    if os.environ.get("WAREHOUSE_PATH"):
        protected.add(Path(os.environ["WAREHOUSE_PATH"]).resolve())
    if calibration_warehouse.resolve() in protected:
        print(
            "--warehouse must be a scratch file, not the main warehouse (WAREHOUSE_PATH) "
            "nor the holdout warehouse: it is rebuilt as of the calibration end",
            file=sys.stderr,
        )
        return 2
    builds = (
        (CALIBRATION_SELECT, args.calibration_end, calibration_warehouse, "calibration"),
        (HOLDOUT_SELECT, args.holdout_end, holdout_warehouse, "holdout"),
    )
    steps = tqdm(total=len(builds) + 1, desc="backtest", unit="step", disable=args.quiet)
    try:
        for select, as_of_date, warehouse, name in builds:
            steps.set_postfix_str(f"{name} build as of {as_of_date}")
            tqdm.write(f"building as of {as_of_date} into {warehouse} ...")
            dbt_build(
                select,
                as_of_date,
                args.extra_vars,
                args.raw_dir,
                warehouse,
                out / f"dbt_{name}",
                args.skip_tests,
            )
            steps.update(1)
    except RuntimeError as error:
        steps.close()
        print(f"error: {error}", file=sys.stderr)
        return 1
    steps.set_postfix_str("comparing predictions with the holdout")
    with duckdb.connect(str(holdout_warehouse), read_only=True) as con:
        holdout_orders = con.sql(ORDERS_QUERY).df()
    last_order = pd.to_datetime(holdout_orders["order_date"]).max()
    if pd.notna(last_order) and last_order.date() < args.holdout_end:
        print(
            f"warning: the last placed order is on {last_order.date()}, before the holdout "
            "end; the actuals stop there while the predictions cover the whole holdout",
            file=sys.stderr,
        )
    with duckdb.connect(str(calibration_warehouse)) as con:
        calibration_orders = con.sql(ORDERS_QUERY).df()
        clv = con.sql("select * from marts.customer_clv").df()
        params = con.sql("select * from marts.clv_model_params").df()
        churn = con.sql("select customer_id, churn_probability from marts.customer_churn").df()
        try:
            actuals = holdout_actuals(
                holdout_orders,
                link_customers(calibration_orders, holdout_orders),
                args.calibration_end,
                args.holdout_end,
            )
        except ValueError as error:
            steps.close()
            print(f"error: {error}", file=sys.stderr)
            return 1
        table = assemble_backtest(
            clv, params, churn, actuals, args.calibration_end, args.holdout_end
        )
        con.register("backtest_frame", table)
        casts = ", ".join(
            f"cast({name} as {kind}) as {name}" for name, kind in BACKTEST_TYPES.items()
        )
        con.sql(f"create or replace table marts.clv_backtest as select {casts} from backtest_frame")
    steps.update(1)
    steps.close()
    frequency = by_frequency(table)
    summary = summarise(table)
    holdout_days = (args.holdout_end - args.calibration_end).days
    print(
        f"\nbacktest: calibration to {args.calibration_end}, holdout "
        f"({args.calibration_end}, {args.holdout_end}] = {holdout_days} days"
    )
    print(format_summary(summary, frequency))
    plot = plot_by_frequency(
        frequency,
        f"holdout {args.calibration_end} to {args.holdout_end}",
        out / "by_frequency.png",
    )
    print(f"\ntable: marts.clv_backtest in {calibration_warehouse}\nplot: {plot}")
    pd.DataFrame([summary]).to_csv(out / "summary.csv", index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
