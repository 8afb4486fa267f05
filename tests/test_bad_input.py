"""Hostile raw input is quarantined with a reason or refused with a clear message.

Builds the warehouse on a hand-written raw folder that holds only the web-shop feed, so
it also proves that absent optional sources become empty tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_dbt

FIXTURE = Path(__file__).parent / "fixtures" / "hostile_raw"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE, base / "raw")
    result = run_dbt(
        ["build", "--vars", "{latest_valid_date: '2026-01-01'}"],
        base / "raw",
        base / "warehouse.duckdb",
        base / "target",
    )
    assert result.success, f"dbt build on hostile input failed: {result.text[-3000:]}"
    return base / "warehouse.duckdb"


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_each_bad_row_is_quarantined_with_its_reason(hostile_build: Path) -> None:
    rows = _query(
        hostile_build,
        "select source_name, record_key, reject_reason from staging.stg_web_shop__rejected_rows "
        "order by source_name, record_key nulls first",
    )
    assert rows == [
        ("web_shop.order_lines", "W1-2", "negative_quantity"),
        ("web_shop.order_lines", "W2-1", "parent_rejected"),
        ("web_shop.order_lines", "W404-1", "orphan_line"),
        ("web_shop.order_lines", "W5-1", "non_numeric_amount"),
        ("web_shop.order_lines", "W9-1", "non_numeric_quantity"),
        ("web_shop.orders", None, "missing_key"),
        ("web_shop.orders", "W2", "unparseable_timestamp"),
        ("web_shop.orders", "W3", "unknown_status"),
        ("web_shop.orders", "W4", "test_order"),
        ("web_shop.orders", "W6", "future_timestamp"),
        ("web_shop.orders", "W7", "unknown_currency"),
        ("web_shop.orders", "W8", "non_numeric_amount"),
    ]


def test_kept_rows_are_clean_and_converted(hostile_build: Path) -> None:
    rows = _query(
        hostile_build,
        "select order_id, customer_email, customer_phone, currency_code, order_total_amount, "
        "order_total_reporting, order_status, cast(ordered_at as varchar) "
        "from staging.stg_web_shop__orders order by order_id",
    )
    eur_rate_june_2024 = 7.21 * 1.08  # seeds/exchange_rates.csv, 2024-06: CNY per EUR
    rows = [(*row[:4], float(row[4]), float(row[5]), *row[6:]) for row in rows]
    assert [row[:5] for row in rows] == [
        ("W1", "li.na@163.com", "+8613812345678", "CNY", pytest.approx(1299.00)),
        ("W5", "x@y.com", None, "EUR", pytest.approx(45.10)),
        ("W9", None, None, "CNY", pytest.approx(10)),
    ]
    assert float(rows[1][5]) == pytest.approx(45.10 * eur_rate_june_2024, abs=0.01)
    assert [row[6] for row in rows] == ["completed", "paid", "paid"]
    assert rows[0][7] == "2024-06-18 12:15:03"


def test_every_row_is_accounted_for_and_absent_sources_are_empty(hostile_build: Path) -> None:
    quality = dict(
        (row[0], row[1:])
        for row in _query(
            hostile_build,
            "select source_name, raw_rows, kept_rows, duplicate_rows, rejected_rows "
            "from marts.data_quality",
        )
    )
    assert quality["web_shop.orders"] == (12, 3, 2, 7)
    assert quality["web_shop.order_lines"] == (8, 2, 1, 5)
    assert quality["crm.customers"] == (0, 0, 0, 0)
    assert quality["events.behaviour_events"] == (0, 0, 0, 0)
    assert _query(hostile_build, "select count(*) from marts.data_quality")[0][0] == 17


def test_a_file_missing_a_contracted_column_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "raw" / "web_shop").mkdir(parents=True)
    header = (FIXTURE / "web_shop" / "orders.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "raw" / "web_shop" / "orders.csv").write_text(
        header.replace(",status", "") + "\n", encoding="utf-8"
    )
    result = run_dbt(
        ["run-operation", "create_raw_relations"],
        tmp_path / "raw",
        tmp_path / "warehouse.duckdb",
        tmp_path / "target",
    )
    assert not result.success
    message = result.text
    assert "web_shop/orders*.csv" in message
    assert "status" in message
    assert "_web_shop__sources.yml" in message


def test_an_empty_raw_folder_is_refused_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    result = run_dbt(
        ["run-operation", "create_raw_relations"],
        tmp_path / "raw",
        tmp_path / "warehouse.duckdb",
        tmp_path / "target",
    )
    assert not result.success
    assert "make data" in result.text
