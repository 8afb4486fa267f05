"""Generate the sample raw exports (data/raw) and their ground truth (data/truth).

Both output folders are deleted and rewritten. The output depends only on the seed,
the number of customers and the window.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from customer_analytics.generator import OutputFolderError, RunConfig, generate


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="Generate synthetic raw exports of an omni-channel retailer plus ground truth.",
    )
    parser.add_argument(
        "--customers", type=int, default=20_000, help="number of persons (default 20000)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("data/raw"),
        help="raw export folder, emptied first (default data/raw; the build reads RAW_DATA_DIR)",
    )
    parser.add_argument(
        "--truth",
        type=Path,
        default=Path("data/truth"),
        help="ground-truth folder for the check_* scripts, emptied first (default data/truth)",
    )
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2023, 1, 1),
        help="first sales day, YYYY-MM-DD (default 2023-01-01)",
    )
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=date(2025, 12, 31),
        help="last sales day, YYYY-MM-DD (default 2025-12-31)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the generator and print a one-line summary."""
    args = parse_args(argv)
    try:
        config = RunConfig(customers=args.customers, seed=args.seed, start=args.start, end=args.end)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        world = generate(config, args.out, args.truth, progress=not args.quiet)
    except OutputFolderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - started
    print(
        f"{config.customers} customers, {world.orders.size} orders, "
        f"{sum(world.ledger.raw_rows.values())} raw rows -> {args.out} (truth: {args.truth}) "
        f"in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
