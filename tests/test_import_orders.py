"""Importing an order history: the importer's parsing, and a build on a 1990s panel alone.

The end-to-end test imports `fixtures/import/cdnow_1997.csv` (customer, YYYYMMDD date,
quantity, USD amount, as the classic CDNOW panel; three bad rows) into an empty raw folder
and builds the order, customer and data-quality marts on it with `reporting_currency` USD,
then checks them against the file read with plain Python.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from customer_analytics.importer import (
    ImportOptions,
    OrderFileError,
    build_feed,
    parse_amount,
    parse_date,
    read_order_file,
    render_summary,
    split_lines,
)
from tests.conftest import ROOT, run_dbt

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "cdnow_1997.csv"
CDNOW = ImportOptions(
    customer_id="customer", order_date="date", amount="amount", quantity="quantity"
)
AS_OF = "1997-12-31"


def _feed(text: str, options: ImportOptions, tmp_path: Path, delimiter: str | None = None):
    path = tmp_path / "orders.csv"
    path.write_text(text, encoding="utf-8")
    return build_feed(read_order_file(path, delimiter), options)


def test_dates_parse_with_defaults_or_the_given_format() -> None:
    assert parse_date("19970101", None) == date(1997, 1, 1)
    assert parse_date("1997-01-31", None) == date(1997, 1, 31)
    assert parse_date("1997/02/28 10:00:00", None) is None  # not a default format
    assert parse_date("31/12/1996", "%d/%m/%Y") == date(1996, 12, 31)
    assert parse_date("19971301", None) is None
    assert parse_date("1997-02-30", None) is None
    assert parse_date("", None) is None


def test_amounts_parse_as_staging_reads_them() -> None:
    assert parse_amount("$1,234.50") == Decimal("1234.50")
    assert parse_amount(" 11.77 ") == Decimal("11.77")
    assert parse_amount("USD 3.333") == Decimal("3.33")
    assert parse_amount("n/a") is None
    assert parse_amount("") is None


def test_lines_add_up_to_the_amount_exactly() -> None:
    assert split_lines(Decimal("30.00"), 3) == [(3, Decimal("10.00"))]
    assert split_lines(Decimal("10.00"), 3) == [(2, Decimal("3.33")), (1, Decimal("3.34"))]
    assert split_lines(Decimal("0.00"), 2) == [(2, Decimal("0.00"))]
    for amount, quantity in [(Decimal("70.21"), 4), (Decimal("0.05"), 7), (Decimal("1"), 1)]:
        lines = split_lines(amount, quantity)
        assert sum(units for units, _ in lines) == quantity
        assert sum(units * price for units, price in lines) == amount


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("cust;day;n;paid\nA;19970101;2;10,00\n", ";"),
        ("cust\tday\tn\tpaid\nA\t19970101\t2\t10.00\n", "tab"),
        ("cust day   n paid\nA 19970101 2   10.00\n", "whitespace"),
    ],
)
def test_delimiters(text: str, delimiter: str, tmp_path: Path) -> None:
    options = ImportOptions(customer_id="cust", order_date="day", amount="paid", quantity="n")
    result = _feed(text, options, tmp_path, delimiter)
    order = result.orders.iloc[0]
    assert (order["order_id"], order["member_id"], order["created_at"]) == (
        "A-19970101-1",
        "A",
        "1997-01-01T12:00:00Z",
    )
    # "10,00" reads as 1000 (a thousands separator), exactly as staging would read it.
    assert order["order_total"] in {"10.00", "1000.00"}
    assert result.lines[["quantity", "sku"]].to_numpy().tolist() == [["2", "IMPORTED"]]


def test_parquet_input_with_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "orders.parquet"
    pd.DataFrame(
        {
            "customer": [17, 17, 18, None],
            "day": pd.to_datetime(["1995-03-01", "1995-03-01", "1995-04-02", "1995-04-03"]),
            "revenue": [12.5, 7.25, 3.0, 1.0],
        }
    ).to_parquet(path)
    options = ImportOptions(customer_id="customer", order_date="day", amount="revenue")
    result = build_feed(read_order_file(path), options)
    assert result.orders[["order_id", "order_total"]].to_numpy().tolist() == [
        ["17-19950301-1", "12.50"],
        ["17-19950301-2", "7.25"],
        ["18-19950402-1", "3.00"],
        ["", "1.0"],  # a bad row keeps its raw values
    ]
    assert result.bad_rows == Counter({"missing_key": 1})


def test_given_order_ids_group_rows_into_lines(tmp_path: Path) -> None:
    text = "o,c,d,a,q\nX1,A,2001-05-01,10,1\nX1,A,2001-05-01,5.5,2\nX2,B,2001-05-02,1,1\n"
    options = ImportOptions(
        customer_id="c", order_date="d", amount="a", order_id="o", quantity="q", currency="eur"
    )
    result = _feed(text, options, tmp_path)
    assert result.orders[["order_id", "order_total", "currency"]].to_numpy().tolist() == [
        ["X1", "15.50", "EUR"],
        ["X2", "1.00", "EUR"],
    ]
    assert result.lines[
        ["order_id", "line_number", "quantity", "unit_price"]
    ].to_numpy().tolist() == [
        ["X1", "1", "1", "10.00"],
        ["X1", "2", "2", "2.75"],
        ["X2", "1", "1", "1.00"],
    ]


def test_bad_rows_are_counted_and_kept_for_the_quarantine(tmp_path: Path) -> None:
    result = build_feed(read_order_file(FIXTURE), CDNOW)
    assert result.rows_read == 28
    assert result.bad_rows == Counter(
        {"unparseable_timestamp": 1, "missing_key": 1, "non_numeric_amount": 1}
    )
    # Every input row is an order row of the feed: 25 good, 3 for staging to reject.
    assert len(result.orders) == 28
    assert len(result.order_totals) == 25
    bad = result.orders[~result.orders["order_id"].isin(list(result.order_totals))]
    assert sorted(bad["order_id"]) == ["", "00003-row27", "00007-row29"]
    assert bad.loc[bad["order_id"] == "00007-row29", "order_total"].item() == "n/a"
    summary = render_summary(result, CDNOW, [tmp_path / "x.csv"])
    assert "Read 28 rows." in summary
    assert "Wrote 25 orders of 6 customers" in summary
    assert "1997-01-14 to 1997-11-05" in summary
    assert "missing_key                  1  no customer id (file lines 28)" in summary


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    options = ImportOptions(customer_id="customer", order_date="when", amount="amount")
    with pytest.raises(OrderFileError, match="--order-date 'when'.*customer, date, quantity"):
        build_feed(read_order_file(FIXTURE), options)


def _file_orders() -> list[dict[str, object]]:
    """The fixture's good rows read with plain Python: one order per row."""
    orders = []
    seen: Counter[tuple[str, str]] = Counter()
    with FIXTURE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            amount = row["amount"].replace("$", "").replace(",", "")
            try:
                day = date(int(row["date"][:4]), int(row["date"][4:6]), int(row["date"][6:]))
                value = Decimal(amount)
            except (ValueError, InvalidOperation):
                continue
            if not row["customer"]:
                continue
            seen[(row["customer"], row["date"])] += 1
            order_id = (
                f"web_shop:{row['customer']}-{row['date']}-{seen[(row['customer'], row['date'])]}"
            )
            orders.append(
                {
                    "order_id": order_id,
                    "customer": row["customer"],
                    "date": day,
                    "amount": value,
                    "quantity": int(row["quantity"]),
                }
            )
    return orders


@pytest.fixture(scope="module")
def imported_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("imported")
    raw = base / "raw"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "import_orders.py"),
            str(FIXTURE),
            "--customer-id",
            "customer",
            "--order-date",
            "date",
            "--amount",
            "amount",
            "--quantity",
            "quantity",
            "--date-format",
            "%Y%m%d",
            "--raw-dir",
            str(raw),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "3 bad rows" in completed.stdout
    result = run_dbt(
        [
            "build",
            "--select",
            "+fct_orders +fct_order_items +dim_customers +customer_source_ids "
            "+data_quality +data_quality_issues",
            "--indirect-selection",
            "cautious",
            "--exclude-resource-type",
            "unit_test",
            "--vars",
            f'{{"as_of_date": "{AS_OF}", "reporting_currency": "USD"}}',
        ],
        raw,
        base / "warehouse.duckdb",
        base / "target",
    )
    assert result.success, f"dbt build on the imported file failed: {result.text[-3000:]}"
    return base / "warehouse.duckdb"


def _query(warehouse: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_every_order_of_the_file_is_in_fct_orders(imported_warehouse: Path) -> None:
    expected = pd.DataFrame(_file_orders()).sort_values("order_id").reset_index(drop=True)
    actual = _query(
        imported_warehouse,
        "select order_id, order_date, order_total_reporting, reporting_currency, "
        "source_order_ref from marts.fct_orders order by order_id",
    )
    assert len(actual) == len(expected) == 25
    assert actual["order_id"].tolist() == expected["order_id"].tolist()
    assert [d.date() for d in actual["order_date"]] == expected["date"].tolist()
    assert [Decimal(str(v)) for v in actual["order_total_reporting"]] == expected["amount"].tolist()
    assert set(actual["reporting_currency"]) == {"USD"}
    lines = _query(
        imported_warehouse,
        "select order_id, sum(quantity) as units from marts.fct_order_items group by order_id",
    )
    units = dict(zip(lines["order_id"], lines["units"].astype(int), strict=True))
    assert units == {order["order_id"]: order["quantity"] for order in _file_orders()}


def test_every_customer_of_the_file_is_one_customer(imported_warehouse: Path) -> None:
    by_customer: dict[str, list[Decimal]] = defaultdict(list)
    for order in _file_orders():
        by_customer[str(order["customer"])].append(Decimal(order["amount"]))  # type: ignore[arg-type]
    actual = _query(
        imported_warehouse,
        "select ids.source_customer_id, count(orders.order_id) as orders, "
        "sum(orders.order_total_reporting) as spend "
        "from marts.customer_source_ids as ids "
        "inner join marts.dim_customers as customers on ids.customer_id = customers.customer_id "
        "left join marts.fct_orders as orders on ids.customer_id = orders.customer_id "
        "group by ids.source_customer_id order by ids.source_customer_id",
    )
    assert actual["source_customer_id"].tolist() == sorted(by_customer)
    assert actual["orders"].tolist() == [len(by_customer[c]) for c in sorted(by_customer)]
    assert [Decimal(str(v)) for v in actual["spend"]] == [
        sum(by_customer[c]) for c in sorted(by_customer)
    ]
    assert _query(imported_warehouse, "select count(*) as n from marts.dim_customers")["n"][0] == 6


def test_bad_rows_end_in_the_quarantine(imported_warehouse: Path) -> None:
    issues = _query(
        imported_warehouse,
        "select source_name, reason, row_count from marts.data_quality_issues "
        "order by source_name, reason",
    )
    assert issues.to_numpy().tolist() == [
        ["web_shop.orders", "missing_key", 1],
        ["web_shop.orders", "non_numeric_amount", 1],
        ["web_shop.orders", "unparseable_timestamp", 1],
    ]
    quality = _query(
        imported_warehouse,
        "select raw_rows, kept_rows, duplicate_rows, rejected_rows from marts.data_quality "
        "where source_name = 'web_shop.orders'",
    )
    assert quality.to_numpy().tolist() == [[28, 25, 0, 3]]


def test_negative_amounts_and_bad_quantities_follow_staging_codes(tmp_path: Path) -> None:
    text = "c,d,a,q\nA,19990101,-5,1\nA,19990102,5,2.5\nA,19990103,5,-1\nA,19990104,5,\n"
    options = ImportOptions(customer_id="c", order_date="d", amount="a", quantity="q")
    result = _feed(text, options, tmp_path)
    assert result.bad_rows == Counter(
        {"negative_amount": 1, "non_numeric_quantity": 1, "negative_quantity": 1}
    )
    # The orders with a bad quantity keep their amount; their lines carry the raw value.
    assert sorted(result.order_totals) == ["A-19990102-1", "A-19990103-1", "A-19990104-1"]
    assert result.lines["quantity"].tolist() == ["2.5", "-1", "1"]


def test_an_unreadable_file_says_what_to_check(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        "customer,date,amount\n1,19970101,2.5\n2,19970102,3.5,extra,cells\n", encoding="utf-8"
    )
    with pytest.raises(OrderFileError, match="check --delimiter"):
        read_order_file(ragged)
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet", encoding="utf-8")
    with pytest.raises(OrderFileError, match="not a readable Parquet file"):
        read_order_file(broken)
