"""Score identity resolution of a built warehouse against the generator's ground truth.

Prints pairwise precision and recall of the merge over identified orders and resolved
customers vs true persons.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from customer_analytics.identity_evaluation import score_identity


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
    print(score_identity(args.warehouse, args.truth).describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
