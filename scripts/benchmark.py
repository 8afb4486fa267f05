"""Generate samples of the given sizes, build them layer by layer, and time every phase.

Each phase (generation, then one `dbt build` per layer: staging, intermediate, marts) runs
as its own process, so each has its own wall time and peak resident memory. The Python
models' own times and the slowest models come from dbt's run results.

Then a day's delivery arrives (customer_analytics.increment: re-exports, late versions and
new orders, lines and events, each about --increment-per-million of the keys) and the
incremental models (staging of orders and events) are built twice on it: incrementally, as
the nightly build does, and with --full-refresh, for comparison. With --nightly the whole
nightly `dbt build` after the increment is timed too.

Prints the Markdown section, and with --write-docs puts it into docs/benchmarks.md.

Example: python scripts/benchmark.py --customers 100000 1000000 --write-docs
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import sys
from pathlib import Path

import duckdb

from customer_analytics.benchmark import (
    LAYERS,
    PhaseResult,
    dbt_layer_command,
    markdown_table,
    python_model_seconds,
    replace_section,
    run_phase,
    slowest_nodes,
)
from customer_analytics.reconciliation import reconcile

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
START = "<!-- benchmark.py: start -->"
END = "<!-- benchmark.py: end -->"
FEEDS = (
    "web_shop.orders",
    "app.orders",
    "pos.sales",
    "marketplace.orders",
    "events.behaviour_events",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--customers",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        help="sample sizes to generate and build (default: 100000 1000000)",
    )
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / "target" / "benchmark",
        help="scratch folder for raw files and warehouses (default target/benchmark)",
    )
    parser.add_argument(
        "--increment-per-million",
        type=int,
        default=1000,
        help="keys per million of each feed in each kind of change of the daily increment "
        "(default 1000: about a day of orders at 1,000,000 customers; 0 skips the increment)",
    )
    parser.add_argument(
        "--nightly",
        action="store_true",
        help="also time the whole nightly `dbt build` after the increment",
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="also write the section into docs/benchmarks.md (between its markers)",
    )
    return parser.parse_args()


def benchmark_increment(
    customers: int, work: Path, env: dict[str, str], per_million: int, nightly: bool
) -> list[tuple[int, PhaseResult, dict[str, int]]]:
    """Deliver a day's files, then build the incremental models on them incrementally and
    in full; return the table rows."""
    dbt = Path(sys.executable).parent / "dbt"
    write = [
        sys.executable,
        "-c",
        "import json, sys; from pathlib import Path;"
        " from customer_analytics.increment import write_increment;"
        " print(json.dumps(write_increment(Path(sys.argv[1]), 'day1', int(sys.argv[2]))))",
        str(work / "raw"),
        str(per_million),
    ]
    rows: list[tuple[int, PhaseResult, dict[str, int]]] = []
    delivered = run_phase("daily increment: write the day's files", write, env, ROOT)
    written = sum(_increment_rows(work / "raw").values())
    rows.append((customers, delivered, {"rows delivered": written}))
    incremental_models = ["--select", "config.materialized:incremental"]
    common = [
        "--profiles-dir",
        str(ROOT),
        "--project-dir",
        str(ROOT),
        "--target-path",
        str(work / "target_increment"),
        "--log-path",
        str(work / "target_increment" / "logs"),
    ]
    daily = run_phase(
        "daily increment: incremental models, incremental run",
        [str(dbt), "run", *incremental_models, *common],
        env,
        ROOT,
    )
    rows.append((customers, daily, {}))
    if nightly:
        rows.append(
            (
                customers,
                run_phase(
                    "daily increment: the whole nightly dbt build",
                    [str(dbt), "build", *common],
                    env,
                    ROOT,
                ),
                {},
            )
        )
    full = run_phase(
        "daily increment: incremental models, --full-refresh",
        [str(dbt), "run", *incremental_models, "--full-refresh", *common],
        env,
        ROOT,
    )
    rows.append(
        (customers, full, {"incremental / full refresh": f"{daily.seconds / full.seconds:.1%}"})
    )
    return rows


def _increment_rows(raw_dir: Path) -> dict[str, int]:
    con = duckdb.connect()
    try:
        counts = {}
        for path in sorted(raw_dir.glob("*/*_increment_day1.*")):
            reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
            counts[str(path.relative_to(raw_dir))] = con.execute(
                f"select count(*) from {reader}('{path}')"
            ).fetchone()[0]
        return counts
    finally:
        con.close()


def benchmark_size(
    customers: int, seed: int, workdir: Path, per_million: int = 0, nightly: bool = False
) -> tuple[list, list, dict]:
    """Generate and build one sample; return table rows, slow nodes and Python model times."""
    work = workdir / f"c{customers}"
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
        *("--customers", str(customers), "--seed", str(seed)),
        *("--out", str(work / "raw"), "--truth", str(work / "truth"), "--quiet"),
    ]
    rows: list[tuple[int, PhaseResult, dict[str, int]]] = []
    generated = run_phase("generate raw data", generate, env, ROOT)
    slow: list[tuple[str, float]] = []
    python_seconds: dict[str, float] = {}
    layer_results = []
    dbt = Path(sys.executable).parent / "dbt"
    for index, layer in enumerate(LAYERS):
        target = work / f"target_{index}"
        command = dbt_layer_command(dbt, layer, ROOT, target)
        layer_results.append(run_phase(f"dbt build: {layer.name}", command, env, ROOT))
        slow.extend(slowest_nodes(target / "run_results.json"))
        python_seconds.update(python_model_seconds(target / "run_results.json"))
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    raw_rows = dict(
        con.execute(
            "select source_name, raw_rows from marts.data_quality where source_name in "
            f"({', '.join(repr(feed) for feed in FEEDS)})"
        ).fetchall()
    )
    orders = con.execute("select count(*) from marts.fct_orders").fetchone()[0]
    con.close()
    differing = int((~reconcile(work / "warehouse.duckdb", work / "truth")["matches"]).sum())
    rows.append((customers, generated, raw_rows))
    rows.extend((customers, result, {}) for result in layer_results)
    total = PhaseResult(
        "dbt build, all layers",
        sum(result.seconds for result in layer_results),
        max(result.peak_mib for result in layer_results),
    )
    rows.append(
        (customers, total, {"fct_orders": orders, "counts differing from truth": differing})
    )
    if per_million:
        rows.extend(benchmark_increment(customers, work, env, per_million, nightly))
    print(
        f"{customers:,} customers: generate {generated.seconds:.1f}s, "
        f"build {total.seconds:.1f}s, peak {total.peak_mib:,.0f} MiB",
        file=sys.stderr,
    )
    return rows, sorted(slow, key=lambda item: -item[1])[:10], python_seconds


def main() -> int:
    args = parse_args()
    rows = []
    details = []
    for customers in args.customers:
        size_rows, slow, python_seconds = benchmark_size(
            customers, args.seed, args.workdir, args.increment_per_million, args.nightly
        )
        rows.extend(size_rows)
        details.append((customers, slow, python_seconds))
    command = "python scripts/benchmark.py --customers " + " ".join(
        str(customers) for customers in args.customers
    )
    if args.increment_per_million != 1000:
        command += f" --increment-per-million {args.increment_per_million}"
    if args.nightly:
        command += " --nightly"
    lines = [
        f"## Latest `make bench` run ({datetime.date.today().isoformat()})",
        "",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Command:",
        "",
        f"```sh\n{command}\n```",
        "",
        markdown_table(rows),
    ]
    for customers, slow, python_seconds in details:
        lines += ["", f"At {customers:,} customers, the slowest models (seconds):", ""]
        lines += [f"- {name}: {seconds:,.1f}" for name, seconds in slow]
        lines += ["", "Python models (seconds):", ""]
        lines += [f"- {name}: {seconds:,.1f}" for name, seconds in python_seconds.items()]
    section = "\n".join(lines)
    print(section)
    if args.write_docs:
        DOCS.write_text(
            replace_section(DOCS.read_text(encoding="utf-8"), section, START, END),
            encoding="utf-8",
        )
        print(f"\nwritten into {DOCS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
