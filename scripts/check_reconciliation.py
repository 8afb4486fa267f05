"""Check a built warehouse against the generator's ground truth of injected dirt.

Exits 1 and lists the differences when any raw row total or any duplicate / rejection
count by reason differs from what the generator injected.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from customer_analytics.reconciliation import reconcile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("WAREHOUSE_PATH", "warehouse.duckdb")),
        help="DuckDB warehouse file (default: $WAREHOUSE_PATH or warehouse.duckdb)",
    )
    parser.add_argument(
        "--truth",
        type=Path,
        default=Path("data/truth"),
        help="ground-truth folder written by scripts/generate_data.py --truth (default data/truth)",
    )
    args = parser.parse_args()
    for path, what in ((args.warehouse, "warehouse file"), (args.truth, "truth folder")):
        if not path.exists():
            print(f"error: {what} '{path}' does not exist", file=sys.stderr)
            return 2
    result = reconcile(args.warehouse, args.truth)
    mismatches = result[~result["matches"]]
    print(
        f"{len(result)} counts compared over {result['source_name'].nunique()} source tables: "
        f"{len(result) - len(mismatches)} match, {len(mismatches)} differ"
    )
    if len(mismatches):
        print(mismatches.to_string(index=False))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
