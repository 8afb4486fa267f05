"""Turn any order-history file (CSV or Parquet) into the web-shop feed's raw layout.

An order history as analysts usually hold it (one row per order or order line: a customer
id, a date, an amount, maybe a quantity and an order id) becomes the two files of the
web-shop export, `web_shop/orders_<channel>.csv` and `web_shop/order_lines_<channel>.csv`,
so that `dbt build` runs on it alone through the ordinary staging, identity and mart models.

Rules (see DECISIONS.md, "Importing an order history"):
- the customer id becomes the shop's `member_id`: one account per customer;
- an absent order id is made from customer, date and the row's rank among that customer's
  rows of that day (`<customer>-<YYYYMMDD>-<n>`); rows sharing a given order id are the
  lines of one order;
- the date becomes noon UTC of that day, which is the same business date in every time zone
  from UTC-12 to UTC+11;
- quantity defaults to 1; a row becomes one line, or two when the amount does not split
  into equal unit prices in cents (the lines add up to the amount exactly);
- a row without a customer id, with a date that does not parse, or with an amount that is
  not a number (or negative) is written with its raw values so that staging quarantines it
  with its reason code; the importer counts the same reasons and prints them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
from tqdm import tqdm

ORDER_COLUMNS = [
    "order_id",
    "created_at",
    "updated_at",
    "customer_email",
    "customer_phone",
    "member_id",
    "currency",
    "order_total",
    "shipping_fee",
    "discount_total",
    "status",
    "external_order_ref",
    "utm_source",
    "utm_campaign",
    "ship_province",
    "ship_city",
]
LINE_COLUMNS = ["order_id", "line_number", "sku", "quantity", "unit_price"]

# Formats tried, in order, when no --date-format is given (unambiguous ones only).
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
IMPORTED_SKU = "IMPORTED"
IMPORTED_STATUS = "completed"
IMPORTED_PRODUCT = {
    "sku": IMPORTED_SKU,
    "product_name": "Imported order line",
    "category_id": "imported",
    "brand": "",
    "list_price": "",
    "launched_on": "",
    "status": "active",
}
IMPORTED_CATEGORY = {
    "category_id": "imported",
    "category_name_zh": "导入订单",
    "category_name_en": "Imported orders",
    "parent_category_id": "",
}
CENT = Decimal("0.01")

# Same characters as the staging macro parse_amount drops: spaces, thousands separators,
# currency symbols and 2-3 letter codes ("USD 12.50", "HK$ 45.1").
_AMOUNT_NOISE = re.compile(r"[\s,¥$€£]|[A-Za-z]{2,3}\$?")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

# Staging's reason codes for the rows the importer cannot use.
REASON_MISSING_CUSTOMER = "missing_key"
REASON_BAD_DATE = "unparseable_timestamp"
REASON_BAD_AMOUNT = "non_numeric_amount"
REASON_NEGATIVE_AMOUNT = "negative_amount"
REASON_BAD_QUANTITY = "non_numeric_quantity"
REASON_NEGATIVE_QUANTITY = "negative_quantity"
ORDER_REASONS = (
    REASON_MISSING_CUSTOMER,
    REASON_BAD_DATE,
    REASON_BAD_AMOUNT,
    REASON_NEGATIVE_AMOUNT,
)
REASON_LABELS = {
    REASON_MISSING_CUSTOMER: "no customer id",
    REASON_BAD_DATE: "date does not parse",
    REASON_BAD_AMOUNT: "amount is not a number",
    REASON_NEGATIVE_AMOUNT: "amount is negative",
    REASON_BAD_QUANTITY: "quantity is not a whole number",
    REASON_NEGATIVE_QUANTITY: "quantity is negative",
}


class OrderFileError(ValueError):
    """The input cannot be imported at all (missing file or column): the message says why."""


@dataclass(frozen=True)
class ImportOptions:
    """Which input columns hold what, and how to read them."""

    customer_id: str
    order_date: str
    amount: str
    order_id: str | None = None
    quantity: str | None = None
    date_format: str | None = None
    currency: str = "USD"
    channel: str = "imported"
    delimiter: str | None = None


@dataclass
class ImportResult:
    """The web-shop order and line rows to write, and what happened to each input row."""

    orders: pd.DataFrame
    lines: pd.DataFrame
    rows_read: int
    bad_rows: Counter[str] = field(default_factory=Counter)
    bad_examples: dict[str, list[int]] = field(default_factory=dict)
    order_totals: dict[str, Decimal] = field(default_factory=dict)
    order_dates: dict[str, date] = field(default_factory=dict)
    order_customers: dict[str, str] = field(default_factory=dict)


def parse_amount(text: str) -> Decimal | None:
    """Decimal amount as staging reads it (rounded to cents), or None when not a number."""
    cleaned = _AMOUNT_NOISE.sub("", text or "")
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned).quantize(CENT)
    except InvalidOperation:
        return None


def parse_quantity(text: str) -> int | None:
    """Whole number of units, or None when the text is not one (empty means 1)."""
    cleaned = (text or "").strip()
    if cleaned == "":
        return 1
    if re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned):
        return int(Decimal(cleaned))
    return None


def parse_date(text: str, date_format: str | None) -> date | None:
    """The order date from text, with the given strptime format or the unambiguous defaults."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    formats = (date_format,) if date_format else DEFAULT_DATE_FORMATS
    for fmt in formats:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def split_lines(amount: Decimal, quantity: int) -> list[tuple[int, Decimal]]:
    """(units, unit price) lines whose total is exactly `amount`.

    One line when the amount divides into equal cents; otherwise the cheaper unit price
    on all units but one, and the remainder on the last unit.
    """
    if quantity <= 1:
        return [(quantity, amount)] if quantity == 1 else [(quantity, Decimal("0.00"))]
    unit = (amount / quantity).quantize(CENT, rounding=ROUND_DOWN)
    if unit * quantity == amount:
        return [(quantity, unit)]
    return [(quantity - 1, unit), (1, amount - unit * (quantity - 1))]


def read_order_file(path: Path, delimiter: str | None = None) -> pd.DataFrame:
    """Every cell of a CSV (any delimiter) or Parquet file as text; dates keep ISO form."""
    if not path.exists():
        raise OrderFileError(f"Input file {path} does not exist.")
    if path.suffix.lower() in {".parquet", ".pq"}:
        try:
            frame = pd.read_parquet(path)
        except (OSError, ValueError) as error:
            raise OrderFileError(
                f"{path} is not a readable Parquet file ({error}); export it again or "
                "give a CSV file"
            ) from error
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                frame[column] = values.dt.strftime("%Y-%m-%d")
            elif pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
                # Integer ids with gaps arrive as floats: 17.0 is customer "17".
                frame[column] = values.astype("Int64")
        return frame.astype("string").fillna("").astype(str)
    separator = {None: ",", "tab": "\t", "\\t": "\t", "whitespace": r"\s+", " ": r"\s+"}.get(
        delimiter, delimiter
    )
    try:
        return pd.read_csv(
            path,
            sep=separator,
            dtype=str,
            keep_default_na=False,
            engine="python" if separator == r"\s+" else "c",
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise OrderFileError(
            f"{path} could not be read as a CSV file with delimiter {separator!r} ({error}); "
            "check --delimiter (a character, 'tab' or 'whitespace') and that the file is "
            "UTF-8 text with a header row"
        ) from error


def _check_columns(frame: pd.DataFrame, options: ImportOptions) -> None:
    wanted = {
        "--customer-id": options.customer_id,
        "--order-date": options.order_date,
        "--amount": options.amount,
        "--order-id": options.order_id,
        "--quantity": options.quantity,
    }
    missing = [f"{flag} {name!r}" for flag, name in wanted.items() if name and name not in frame]
    if missing:
        raise OrderFileError(
            f"Column(s) not in the file: {', '.join(missing)}. "
            f"The file's columns are: {', '.join(map(str, frame.columns))}."
        )
    if not re.fullmatch(r"[A-Za-z]{3}", options.currency):
        raise OrderFileError(
            f"--currency must be an ISO 4217 code such as USD, got {options.currency!r}."
        )


def build_feed(frame: pd.DataFrame, options: ImportOptions, progress: bool = False) -> ImportResult:
    """The web-shop orders and order lines for `frame` (all cells text), with bad-row counts.

    `progress` shows a progress bar over the rows (on standard error).
    """
    _check_columns(frame, options)
    result = ImportResult(
        orders=pd.DataFrame(columns=ORDER_COLUMNS),
        lines=pd.DataFrame(columns=LINE_COLUMNS),
        rows_read=len(frame),
    )
    orders: dict[str, dict[str, str]] = {}
    totals: dict[str, Decimal] = {}
    lines: list[dict[str, str]] = []
    day_counts: Counter[tuple[str, date]] = Counter()
    line_counts: Counter[str] = Counter()
    currency = options.currency.upper()

    def order_row(order_id: str, created_at: str, customer: str, total: str) -> dict[str, str]:
        row = dict.fromkeys(ORDER_COLUMNS, "")
        row.update(
            order_id=order_id,
            created_at=created_at,
            updated_at=created_at,
            member_id=customer,
            currency=currency,
            order_total=total,
            status=IMPORTED_STATUS,
            utm_source=options.channel,
        )
        return row

    def reject(reason: str, row_number: int) -> None:
        result.bad_rows[reason] += 1
        result.bad_examples.setdefault(reason, [])
        if len(result.bad_examples[reason]) < 5:
            result.bad_examples[reason].append(row_number)

    records = frame.to_dict("records")
    rows = tqdm(records, desc="rows", unit="row", disable=not progress, mininterval=0.5)
    for index, record in enumerate(rows):
        row_number = index + 2  # the file's line number, after the header
        customer = str(record[options.customer_id]).strip()
        raw_date = str(record[options.order_date]).strip()
        raw_amount = str(record[options.amount]).strip()
        order_date = parse_date(raw_date, options.date_format)
        amount = parse_amount(raw_amount)
        reason = None
        if not customer:
            reason = REASON_MISSING_CUSTOMER
        elif order_date is None:
            reason = REASON_BAD_DATE
        elif amount is None:
            reason = REASON_BAD_AMOUNT
        elif amount < 0:
            reason = REASON_NEGATIVE_AMOUNT
        if reason is not None:
            # Written with its raw values (no order id when the customer is missing) so
            # that staging quarantines it with the same reason; it gets no line.
            reject(reason, row_number)
            key = "" if reason == REASON_MISSING_CUSTOMER else f"{customer}-row{row_number}"
            shown_date = f"{order_date.isoformat()}T12:00:00Z" if order_date else raw_date
            if reason == REASON_BAD_DATE:
                expected = options.date_format or "YYYY-MM-DD or YYYYMMDD"
                shown_date = f"{raw_date} (expected {expected})"
            orders[f"row{row_number}"] = order_row(key, shown_date, customer, raw_amount)
            continue
        created_at = f"{order_date.isoformat()}T12:00:00Z"
        if options.order_id and str(record[options.order_id]).strip():
            order_id = str(record[options.order_id]).strip()
        else:
            day_counts[(customer, order_date)] += 1
            sequence = day_counts[(customer, order_date)]
            order_id = f"{customer}-{order_date:%Y%m%d}-{sequence}"
        if order_id not in orders:
            orders[order_id] = order_row(order_id, created_at, customer, "")
            totals[order_id] = Decimal("0.00")
            result.order_dates[order_id] = order_date
            result.order_customers[order_id] = customer
        raw_quantity = str(record[options.quantity]).strip() if options.quantity else ""
        quantity = parse_quantity(raw_quantity)
        if quantity is None or quantity < 0:
            # The order keeps its amount; the line goes to staging's quarantine.
            reject(
                REASON_BAD_QUANTITY if quantity is None else REASON_NEGATIVE_QUANTITY, row_number
            )
            split = [(raw_quantity, amount)]
        else:
            split = split_lines(amount, quantity)
        totals[order_id] += amount
        for units, unit_price in split:
            line_counts[order_id] += 1
            lines.append(
                {
                    "order_id": order_id,
                    "line_number": str(line_counts[order_id]),
                    "sku": IMPORTED_SKU,
                    "quantity": str(units),
                    "unit_price": f"{unit_price:.2f}",
                }
            )
    for order_id, total in totals.items():
        orders[order_id]["order_total"] = f"{total:.2f}"
    result.order_totals = totals
    result.orders = pd.DataFrame(list(orders.values()), columns=ORDER_COLUMNS)
    result.lines = pd.DataFrame(lines, columns=LINE_COLUMNS)
    return result


def write_feed(result: ImportResult, raw_dir: Path, channel: str) -> list[Path]:
    """Write the web-shop files of `result` under `raw_dir`; returns their paths."""
    folder = raw_dir / "web_shop"
    folder.mkdir(parents=True, exist_ok=True)
    safe_channel = re.sub(r"[^A-Za-z0-9_-]+", "_", channel) or "imported"
    orders_path = folder / f"orders_{safe_channel}.csv"
    lines_path = folder / f"order_lines_{safe_channel}.csv"
    result.orders.to_csv(orders_path, index=False)
    result.lines.to_csv(lines_path, index=False)
    paths = [orders_path, lines_path]
    # The lines' one product, so that it is a known SKU of dim_products; an existing
    # catalogue is left alone (it then lacks this SKU: a warning of the relationships test).
    catalog = raw_dir / "catalog"
    if not (catalog / "products.csv").exists() and not (catalog / "categories.csv").exists():
        catalog.mkdir(exist_ok=True)
        pd.DataFrame([IMPORTED_PRODUCT]).to_csv(catalog / "products.csv", index=False)
        pd.DataFrame([IMPORTED_CATEGORY]).to_csv(catalog / "categories.csv", index=False)
        paths += [catalog / "products.csv", catalog / "categories.csv"]
    return paths


def months_without_rate(result: ImportResult, currency: str, rate_months: set[str]) -> int:
    """Orders in a month (YYYY-MM) for which `rate_months` holds no rate of `currency`."""
    if currency.upper() == "CNY":  # the seed quotes every rate in CNY
        return 0
    return sum(1 for day in result.order_dates.values() if f"{day:%Y-%m}" not in rate_months)


def render_summary(
    result: ImportResult,
    options: ImportOptions,
    paths: list[Path],
    rate_months: set[str] | None = None,
) -> str:
    """What was read, what was written, and which rows staging will quarantine, and why.

    `rate_months`: the months (YYYY-MM) with a rate of the file's currency in the exchange
    rate seed; orders outside them are flagged (they need the currency to be the reporting
    currency, else staging quarantines them as `missing_exchange_rate`).
    """
    dates = sorted(result.order_dates.values())
    span = f"{dates[0]} to {dates[-1]}" if dates else "no dates"
    total = sum(result.order_totals.values(), Decimal("0.00"))
    customers = len(set(result.order_customers.values()))
    bad_orders = sum(count for reason, count in result.bad_rows.items() if reason in ORDER_REASONS)
    out = [
        f"Read {result.rows_read} rows.",
        f"Wrote {len(result.order_totals)} orders of {customers} customers "
        f"({len(result.lines)} lines), {span}, {total:,.2f} {options.currency.upper()}, "
        f"channel '{options.channel}', as the web-shop feed:",
        *[f"  {path}" for path in paths],
    ]
    if result.bad_rows:
        out.append(
            f"{sum(result.bad_rows.values())} bad rows are written as received for staging to "
            f"quarantine ({bad_orders} as orders, the others as lines of a kept order); "
            "see marts.data_quality_issues:"
        )
        for reason, count in sorted(result.bad_rows.items()):
            examples = ", ".join(map(str, result.bad_examples[reason]))
            out.append(
                f"  {reason:<22} {count:>7}  {REASON_LABELS[reason]} (file lines {examples})"
            )
    else:
        out.append("No bad rows.")
    unrated = months_without_rate(result, options.currency, rate_months or set())
    if rate_months is not None and unrated:
        code = options.currency.upper()
        out.append(
            f"{unrated} orders fall in months without a {code} exchange rate in the seed: "
            f"build with reporting_currency {code} (no rate needed), or staging quarantines "
            "them as missing_exchange_rate."
        )
    return "\n".join(out)
