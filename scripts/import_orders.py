"""Import an order history (CSV or Parquet) into the raw layout under RAW_DATA_DIR.

Example (a CDNOW-style file: customer, YYYYMMDD date, quantity, USD amount):

    python scripts/import_orders.py orders.csv --customer-id customer --order-date date \\
        --amount amount --quantity quantity --date-format %Y%m%d --currency USD

then `dbt build --vars '{"as_of_date": "1998-06-30", "reporting_currency": "USD"}'`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from customer_analytics.importer import (
    ImportOptions,
    OrderFileError,
    build_feed,
    read_order_file,
    render_summary,
    write_feed,
)

RATES_SEED = Path(__file__).resolve().parents[1] / "seeds" / "exchange_rates.csv"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path, help="order file: .csv (any delimiter) or .parquet")
    parser.add_argument("--customer-id", required=True, help="column of the customer id")
    parser.add_argument("--order-date", required=True, help="column of the order date")
    parser.add_argument("--amount", required=True, help="column of the amount paid (row total)")
    parser.add_argument("--order-id", help="column of the order id (rows sharing it are lines)")
    parser.add_argument("--quantity", help="column of the units (default 1 per row)")
    parser.add_argument(
        "--date-format", help="strptime format, e.g. %%Y%%m%%d (default: YYYY-MM-DD or YYYYMMDD)"
    )
    parser.add_argument("--currency", default="USD", help="ISO code of the amounts (default USD)")
    parser.add_argument(
        "--channel", default="imported", help="name of the feed (file name, utm_source)"
    )
    parser.add_argument(
        "--delimiter", help="CSV delimiter: a character, 'tab' or 'whitespace' (default ',')"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("RAW_DATA_DIR", "data/raw")),
        help="raw folder to write into (default: $RAW_DATA_DIR or data/raw)",
    )
    args = parser.parse_args()
    options = ImportOptions(
        customer_id=args.customer_id,
        order_date=args.order_date,
        amount=args.amount,
        order_id=args.order_id,
        quantity=args.quantity,
        date_format=args.date_format,
        currency=args.currency,
        channel=args.channel,
        delimiter=args.delimiter,
    )
    try:
        result = build_feed(
            read_order_file(args.path, args.delimiter), options, progress=not args.quiet
        )
    except OrderFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        paths = write_feed(result, args.raw_dir, args.channel)
    except OSError as error:
        print(
            f"error: cannot write the raw files under {args.raw_dir} ({error}); pass a "
            "writable folder with --raw-dir or set RAW_DATA_DIR",
            file=sys.stderr,
        )
        return 1
    rates = pd.read_csv(RATES_SEED, dtype=str)
    rate_months = set(rates.loc[rates["currency_code"] == options.currency.upper(), "rate_month"])
    print(render_summary(result, options, paths, {month[:7] for month in rate_months}))
    others = sorted(
        path.name for path in args.raw_dir.iterdir() if path.is_dir() and path.name != "catalog"
    )
    if others != ["web_shop"]:
        print(f"note: {args.raw_dir} also holds these exports, built together: {others}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
