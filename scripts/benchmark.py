"""Generate samples of the given sizes, build them, and time every phase.

Prints a Markdown table (wall time and peak resident memory per phase) to paste into
docs/benchmarks.md. Example: python scripts/benchmark.py --customers 100000 1000000
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
from pathlib import Path

import duckdb

from customer_analytics.benchmark import markdown_table, node_seconds_by_folder, run_phase
from customer_analytics.reconciliation import reconcile

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--workdir", type=Path, default=ROOT / "target" / "benchmark", help="scratch folder"
    )
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    rows = []
    breakdown = []
    for customers in args.customers:
        work = args.workdir / f"c{customers}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        env = dict(
            os.environ,
            RAW_DATA_DIR=str(work / "raw"),
            WAREHOUSE_PATH=str(work / "warehouse.duckdb"),
        )
        generate = [
            sys.executable,
            str(ROOT / "scripts" / "generate_data.py"),
            "--customers",
            str(customers),
            "--seed",
            str(args.seed),
            "--out",
            str(work / "raw"),
            "--truth",
            str(work / "truth"),
        ]
        build = [
            str(bin_dir / "dbt"),
            "build",
            "--profiles-dir",
            str(ROOT),
            "--project-dir",
            str(ROOT),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ]
        generated = run_phase("generate raw data", generate, env, ROOT)
        built = run_phase("dbt build (all layers and tests)", build, env, ROOT)
        con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
        raw_rows = dict(
            con.execute(
                "select source_name, raw_rows from marts.data_quality "
                "where source_name in ('web_shop.orders', 'app.orders', 'pos.sales', "
                "'marketplace.orders', 'events.behaviour_events')"
            ).fetchall()
        )
        con.close()
        checked = reconcile(work / "warehouse.duckdb", work / "truth")
        differing = int((~checked["matches"]).sum())
        by_folder = node_seconds_by_folder(work / "target" / "run_results.json")
        breakdown.append((customers, by_folder))
        rows.append((customers, generated, raw_rows))
        rows.append((customers, built, {"counts differing from truth": differing}))
        print(
            f"{customers:,} customers: generate {generated.seconds:.1f}s, "
            f"build {built.seconds:.1f}s",
            file=sys.stderr,
        )
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}\n"
    )
    print(markdown_table(rows))
    print("\nSum of dbt node execution times by folder (threads overlap):\n")
    print("| customers | folder | seconds |\n|---:|---|---:|")
    for customers, by_folder in breakdown:
        for folder, seconds in by_folder.items():
            print(f"| {customers:,} | {folder} | {seconds:,.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
