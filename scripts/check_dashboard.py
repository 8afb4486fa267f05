"""Open every dashboard page in headless Chromium against a warehouse, save a screenshot
per page, and fail (exit 1, naming the page) on any Streamlit exception or error shown.

Starts `streamlit run dashboard/app.py` on 127.0.0.1 and a free port, waits until it is
healthy, checks each page, and stops the server and the browser in all cases. Needs
Debian's `chromium` (`apt-get install -y --no-install-recommends chromium`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from customer_analytics.dashboard.browser_check import CheckError, run_check


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("WAREHOUSE_PATH", "warehouse.duckdb")),
        help="built DuckDB warehouse file (default: $WAREHOUSE_PATH or warehouse.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("target/screenshots"),
        help="folder for one PNG per page and the server log (default: target/screenshots)",
    )
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=45.0,
        help="seconds a page may take to finish rendering (default: 45)",
    )
    args = parser.parse_args()
    started = time.monotonic()
    try:
        results = run_check(args.warehouse, args.out, args.page_timeout)
    except CheckError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for result in results:
        status = "ok  " if result.ok else "FAIL"
        print(f"{status} {result.page.title:<20} {result.seconds:5.1f} s  {result.screenshot}")
        for problem in result.problems:
            print(f"     page '{result.page.title}': {problem}")
    sys.stdout.flush()
    failed = [result.page.title for result in results if not result.ok]
    elapsed = time.monotonic() - started
    if failed:
        print(f"error: the dashboard failed on: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"{len(results)} pages rendered without exceptions in {elapsed:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
