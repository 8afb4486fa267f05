"""Hostile raw input is kept clean, quarantined with a reason, or refused by file name.

The corpus (`tests/fixtures/hostile_raw` plus the files `build_corpus` writes: Parquet,
byte-level CSV oddities) touches every feed and every file format. One dbt build of it
per session; refusals are each checked on a one-file raw folder.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.parsed_dbt import ParsedDbt
from tests.raw_files import source_tables

FIXTURE = Path(__file__).parent / "fixtures" / "hostile_raw"
SQL_TEXT = "'; drop table raw.x; --"
JINJA_TEXT = "{{ var('as_of_date') }}"
LONG_TEXT = "长" * 20000
WEB_HEADER = (
    "order_id,created_at,updated_at,customer_email,customer_phone,member_id,currency,"
    "order_total,shipping_fee,discount_total,status,external_order_ref,utm_source,"
    "utm_campaign,ship_province,ship_city"
)
APP_ORDER_SCHEMA = pa.schema(
    [
        ("order_id", pa.string()),
        ("user_id", pa.string()),
        ("member_id", pa.string()),
        ("phone", pa.string()),
        ("email", pa.string()),
        ("platform", pa.string()),
        ("created_ms", pa.int64()),
        ("updated_ms", pa.int64()),
        ("status", pa.int32()),
        ("pay_amount_fen", pa.int64()),
        ("freight_fen", pa.int64()),
        ("discount_fen", pa.int64()),
        ("campaign_code", pa.string()),
    ]
)
JUNE_18_MS = 1718700000000
INT64_MAX = 2**63 - 1


def _csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join('"' + value.replace('"', '""') + '"' for value in row))
    return newline.join(lines) + newline


def _app_order(order_id: str | None, **changes: object) -> dict:
    row = {
        "order_id": order_id,
        "user_id": "U1",
        "member_id": "C1",
        "phone": "13812345678",
        "email": None,
        "platform": "ios",
        "created_ms": JUNE_18_MS,
        "updated_ms": JUNE_18_MS,
        "status": 40,
        "pay_amount_fen": 12990,
        "freight_fen": 0,
        "discount_fen": 0,
        "campaign_code": None,
    }
    return {**row, **changes}


def build_corpus(raw: Path) -> None:
    """Copy the text fixtures and write the files that are binary or byte-exact."""
    shutil.copytree(FIXTURE, raw)
    web = raw / "web_shop"
    # A second export: BOM, CRLF line ends, columns in another order, one extra column.
    header = list(reversed(WEB_HEADER.split(","))) + ["coupon_code"]
    base = {
        "created_at": "2024-06-19T10:00:00Z",
        "updated_at": "2024-06-19T10:00:00Z",
        "customer_email": "ten@example.com",
        "customer_phone": "",
        "member_id": "",
        "currency": "CNY",
        "order_total": "88.00",
        "shipping_fee": "",
        "discount_total": "",
        "status": "paid",
        "external_order_ref": "",
        "utm_source": "",
        "utm_campaign": "",
        "ship_province": "",
        "ship_city": "",
        "coupon_code": "X",
    }
    variants = [
        (
            "W10",
            {
                "ship_city": "深圳\x00\x01\x07\tcity",
                "utm_campaign": JINJA_TEXT,
                "utm_source": SQL_TEXT,
                "ship_province": LONG_TEXT,
            },
        ),
        ("W11", {"order_total": "1e308"}),
        ("W12", {"order_total": "99999999999999999999"}),
        ("W13", {"order_total": "5000000000"}),
        ("W14", {"created_at": "2024-02-30T10:00:00Z"}),
        ("W15", {"shipping_fee": "-1e400"}),
    ]
    rows = [
        [order_id if name == "order_id" else {**base, **changes}[name] for name in header]
        for order_id, changes in variants
    ]
    (web / "orders_2.csv").write_bytes(
        b"\xef\xbb\xbf" + _csv_text(header, rows, "\r\n").encode("utf-8")
    )
    (web / "orders_3_empty.csv").write_bytes(b"")
    (web / "orders_4_header_only.csv").write_text(WEB_HEADER + "\r\n", encoding="utf-8")
    (web / "order_lines_2.csv").write_text(
        "order_id,line_number,sku,quantity,unit_price\n"
        "W10,1,SKU1,1,88.00\n"
        "W10,2,SKU1,12345678901234567890,1\n"
        "W10,3,SKU1,200000,1\n"
        "W10,4,SKU1,1,1e308\n"
        "W10,5,SKU1,0,88.00\n"
        "W10,6,SKU1,1,5000000000\n",
        encoding="utf-8",
    )
    app = raw / "app"
    app.mkdir()
    orders = [
        _app_order("A1", email="a.b@example.com", campaign_code=JINJA_TEXT, phone=SQL_TEXT),
        _app_order("A2", created_ms=INT64_MAX),
        _app_order("A3", pay_amount_fen=INT64_MAX),
        _app_order("A4", pay_amount_fen=-100),
        _app_order("A5", status=999),
        _app_order(None),
        _app_order("A7", created_ms=-5),
        _app_order("A8", freight_fen=9 * 10**18),
        _app_order("A9", updated_ms=4102444800000),
        _app_order("A11", platform="harmonyos"),
    ]
    pq.write_table(pa.Table.from_pylist(orders, schema=APP_ORDER_SCHEMA), app / "orders.parquet")
    # Same contract, other column order, an extra column, narrower integer types.
    reordered = pa.table(
        {
            "campaign_code": ["618"],
            "extra_column": [1.5],
            "status": pa.array([20], pa.int16()),
            **{
                name: [value]
                for name, value in _app_order("A10").items()
                if name not in ("campaign_code", "status")
            },
        }
    )
    pq.write_table(reordered, app / "orders_2.parquet")
    items = pa.table(
        {
            "order_id": ["A1", "A1", "A1", "A1", "A3", "A404"],
            "item_id": pa.array([1, 2, 3, 4, 1, 1], pa.int32()),
            "sku": ["SKU1", "SKU1", "SKU1", "SKU1", "SKU1", "SKU1"],
            "qty": pa.array([1, 2**40, 1, 0, 1, 1], pa.int64()),
            "price_fen": pa.array([12990, 100, INT64_MAX, 100, 100, 100], pa.int64()),
        }
    )
    pq.write_table(items, app / "order_items.parquet")
    events = raw / "events"
    events.mkdir()
    # E7 and E8: a platform and an event type outside their accepted sets.
    event_rows = {
        "event_id": ["E1", "E2", "E3", None, "E5", "E6", "E7", "E8"],
        "event_ms": [JUNE_18_MS, INT64_MAX, -1, JUNE_18_MS, 4102444800000, JUNE_18_MS]
        + [JUNE_18_MS] * 2,
        "platform": ["web"] * 6 + ["smart_tv", " Web "],
        "session_id": [SQL_TEXT, "s", "s", "s", "s", "s\x00\x1b", "s", "s"],
        "anonymous_id": ["d1"] * 8,
        "member_id": ["C1"] * 8,
        "event_type": ["page_view"] * 7 + ["teleport"],
        "sku": [None] * 8,
        "utm_source": [JINJA_TEXT] * 8,
        "utm_campaign": [None] * 8,
    }
    pq.write_table(pa.table(event_rows), events / "events_202406.parquet")
    (events / "events_202407.parquet").write_bytes(b"")


def count_raw_rows(raw: Path) -> dict[str, int]:
    """Rows per source table counted on the files themselves, without DuckDB."""
    counts = {}
    for name, contract in source_tables().items():
        total = 0
        for path in sorted(raw.glob(contract["files"])):
            if path.stat().st_size == 0:
                continue
            if contract["format"] == "parquet":
                total += pq.ParquetFile(path).metadata.num_rows
            elif contract["format"] == "jsonl":
                text = path.read_text(encoding="utf-8")
                total += sum(1 for line in text.splitlines() if line.strip())
            else:
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    total += sum(1 for _ in csv.reader(handle)) - 1
        counts[name] = total
    return counts


@pytest.fixture(scope="module")
def parsed_dbt(tmp_path_factory: pytest.TempPathFactory) -> ParsedDbt:
    return ParsedDbt.shared(tmp_path_factory)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory, parsed_dbt: ParsedDbt) -> Path:
    """Staging, the reconciliation mart and their tests, built on the corpus.

    (The whole project also builds on the corpus; the selection keeps this file fast.)
    """
    base = tmp_path_factory.mktemp("hostile")
    build_corpus(base / "raw")
    result = parsed_dbt.invoke(
        [
            "build",
            "-s",
            "path:models/staging",
            "+data_quality",
            "--indirect-selection",
            "cautious",
            "--vars",
            "{latest_valid_date: '2026-01-01'}",
        ],
        base / "raw",
        base / "warehouse.duckdb",
    )
    assert result.success, f"dbt build on hostile input failed: {result.text[-3000:]}"
    return base


def _query(base: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(base / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _rejected_rows(base: Path) -> set[tuple]:
    feeds = sorted({name.split(".")[0] for name in source_tables()})
    sql = " union all ".join(
        f"select source_name, record_key, reject_reason from staging.stg_{feed}__rejected_rows"
        for feed in feeds
    )
    return set(_query(base, sql))


EXPECTED_REJECTS = {
    ("after_sales.returns", "R2", "unparseable_timestamp"),
    ("after_sales.returns", "R3", "negative_quantity"),
    ("after_sales.returns", "R4", "non_numeric_amount"),
    ("after_sales.returns", "R5", "value_out_of_range"),
    ("after_sales.returns", "R6", "unknown_currency"),
    ("after_sales.returns", "R7", "value_out_of_range"),
    ("after_sales.returns", "R8", "unknown_return_type"),
    ("after_sales.returns", "R9", "unknown_status"),
    ("after_sales.tickets", "T2", "unparseable_timestamp"),
    ("after_sales.tickets", "T3", "future_timestamp"),
    ("after_sales.tickets", "T4", "unknown_source_system"),
    ("after_sales.tickets", "T5", "unknown_channel"),
    ("after_sales.tickets", "T6", "unknown_reason"),
    ("app.order_items", "A1-2", "value_out_of_range"),
    ("app.order_items", "A1-3", "value_out_of_range"),
    ("app.order_items", "A1-4", "zero_quantity"),
    ("app.order_items", "A3-1", "parent_rejected"),
    ("app.order_items", "A404-1", "orphan_line"),
    ("app.orders", None, "missing_key"),
    ("app.orders", "A11", "unknown_platform"),
    ("app.orders", "A2", "unparseable_timestamp"),
    ("app.orders", "A3", "value_out_of_range"),
    ("app.orders", "A4", "negative_amount"),
    ("app.orders", "A5", "unknown_status"),
    ("app.orders", "A7", "unparseable_timestamp"),
    ("app.orders", "A8", "value_out_of_range"),
    ("app.orders", "A9", "future_timestamp"),
    ("catalog.categories", None, "missing_key"),
    ("catalog.products", None, "missing_key"),
    ("catalog.products", "SKU9", "unknown_status"),
    ("crm.customers", None, "missing_key"),
    ("crm.customers", "C3", "unparseable_timestamp"),
    ("events.behaviour_events", None, "missing_key"),
    ("events.behaviour_events", "E2", "unparseable_timestamp"),
    ("events.behaviour_events", "E3", "unparseable_timestamp"),
    ("events.behaviour_events", "E5", "future_timestamp"),
    ("events.behaviour_events", "E7", "unknown_platform"),
    ("events.behaviour_events", "E8", "unknown_event_type"),
    ("marketing.sends", "SD2", "unparseable_timestamp"),
    ("marketing.sends", "SD3", "future_timestamp"),
    ("marketing.sends", "SD4", "unknown_channel"),
    ("marketing.sends", "SD5", "unknown_variant"),
    ("marketplace.order_items", "jd-J404-1", "orphan_line"),
    ("marketplace.order_items", "pdd-P9-1", "unknown_platform"),
    ("marketplace.order_items", "tmall-T1-2", "zero_quantity"),
    ("marketplace.order_items", "tmall-T1-3", "value_out_of_range"),
    ("marketplace.order_items", "tmall-T1-4", "value_out_of_range"),
    ("marketplace.order_items", "tmall-T1-5", "negative_amount"),
    ("marketplace.order_items", "tmall-T2-1", "parent_rejected"),
    ("marketplace.orders", "jd-J4", "non_numeric_amount"),
    ("marketplace.orders", "jd-J5", "value_out_of_range"),
    ("marketplace.orders", "jd-J6", "unknown_status"),
    ("marketplace.orders", "jd-J7", "non_numeric_amount"),
    ("marketplace.orders", "pdd-P9", "unknown_platform"),
    ("marketplace.orders", "tmall-T2", "unparseable_timestamp"),
    ("marketplace.orders", "tmall-T3", "negative_amount"),
    ("pos.sales", "S000-P9-1", "test_order"),
    ("pos.sales", "S001-P10-x", "missing_key"),
    ("pos.sales", "S001-P11-1", "unknown_payment_method"),
    ("pos.sales", "S001-P2-1", "unparseable_timestamp"),
    ("pos.sales", "S001-P3-1", "negative_quantity"),
    ("pos.sales", "S001-P4-1", "non_numeric_quantity"),
    ("pos.sales", "S001-P5-1", "non_numeric_amount"),
    ("pos.sales", "S001-P6-1", "non_numeric_amount"),
    ("pos.sales", "S001-P7-1", "value_out_of_range"),
    ("pos.sales", "S001-P8-1", "value_out_of_range"),
    ("pos.stores", None, "missing_key"),
    ("reviews.product_reviews", None, "missing_key"),
    ("reviews.product_reviews", "RV3", "invalid_score"),
    ("reviews.product_reviews", "RV4", "invalid_score"),
    ("reviews.product_reviews", "RV5", "invalid_score"),
    ("reviews.product_reviews", "RV6", "invalid_score"),
    ("reviews.product_reviews", "RV7", "unparseable_timestamp"),
    ("reviews.product_reviews", "RV8", "unparseable_timestamp"),
    ("reviews.product_reviews", "RV9", "unknown_source_system"),
    ("surveys.nps_responses", "N2", "invalid_score"),
    ("surveys.nps_responses", "N3", "invalid_score"),
    ("surveys.nps_responses", "N4", "invalid_score"),
    ("surveys.nps_responses", "N5", "unparseable_timestamp"),
    ("surveys.nps_responses", "N6", "unknown_touchpoint"),
    ("web_shop.order_lines", "W1-2", "negative_quantity"),
    ("web_shop.order_lines", "W10-2", "non_numeric_quantity"),
    ("web_shop.order_lines", "W10-3", "value_out_of_range"),
    ("web_shop.order_lines", "W10-4", "non_numeric_amount"),
    ("web_shop.order_lines", "W10-5", "zero_quantity"),
    ("web_shop.order_lines", "W10-6", "value_out_of_range"),
    ("web_shop.order_lines", "W2-1", "parent_rejected"),
    ("web_shop.order_lines", "W404-1", "orphan_line"),
    ("web_shop.order_lines", "W5-1", "non_numeric_amount"),
    ("web_shop.order_lines", "W9-1", "non_numeric_quantity"),
    ("web_shop.orders", None, "missing_key"),
    ("web_shop.orders", "W11", "non_numeric_amount"),
    ("web_shop.orders", "W12", "non_numeric_amount"),
    ("web_shop.orders", "W13", "value_out_of_range"),
    ("web_shop.orders", "W14", "unparseable_timestamp"),
    ("web_shop.orders", "W15", "non_numeric_amount"),
    ("web_shop.orders", "W2", "unparseable_timestamp"),
    ("web_shop.orders", "W3", "unknown_status"),
    ("web_shop.orders", "W4", "test_order"),
    ("web_shop.orders", "W6", "future_timestamp"),
    ("web_shop.orders", "W7", "unknown_currency"),
    ("web_shop.orders", "W8", "non_numeric_amount"),
}


def test_each_bad_row_is_quarantined_with_its_reason(hostile_build: Path) -> None:
    assert _rejected_rows(hostile_build) == EXPECTED_REJECTS


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
        ("W10", "ten@example.com", None, "CNY", pytest.approx(88.00)),
        ("W5", "x@y.com", None, "EUR", pytest.approx(45.10)),
        ("W9", None, None, "CNY", pytest.approx(10)),
    ]
    assert float(rows[2][5]) == pytest.approx(45.10 * eur_rate_june_2024, abs=0.01)
    assert [row[6] for row in rows] == ["completed", "paid", "paid", "paid"]
    assert rows[0][7] == "2024-06-18 12:15:03"
    kept = {
        "app": _query(hostile_build, "select order_id from staging.stg_app__orders"),
        "pos": _query(hostile_build, "select receipt_no from staging.stg_pos__sales"),
        "marketplace": _query(
            hostile_build, "select platform_order_no from staging.stg_marketplace__orders"
        ),
        "events": _query(
            hostile_build, "select event_id from staging.stg_events__behaviour_events"
        ),
        "reviews": _query(
            hostile_build, "select review_id from staging.stg_reviews__product_reviews"
        ),
    }
    assert {feed: sorted(row[0] for row in ids) for feed, ids in kept.items()} == {
        "app": ["A1", "A10"],
        "pos": ["P1"],
        "marketplace": ["T1"],
        "events": ["E1", "E6"],
        "reviews": ["RV1", "RV2"],
    }


def test_sql_and_template_text_survive_as_plain_text(hostile_build: Path) -> None:
    web = _query(
        hostile_build,
        "select utm_source, utm_campaign, ship_city, length(ship_province) "
        "from staging.stg_web_shop__orders where order_id = 'W10'",
    )
    assert web == [(SQL_TEXT, JINJA_TEXT, "深圳\x00\x01\x07\tcity", len(LONG_TEXT))]
    assert _query(
        hostile_build, "select campaign_code from staging.stg_app__orders where order_id = 'A1'"
    ) == [(JINJA_TEXT,)]
    assert _query(
        hostile_build,
        "select session_id, utm_source from staging.stg_events__behaviour_events order by event_id",
    ) == [(SQL_TEXT, JINJA_TEXT), ("s\x00\x1b", JINJA_TEXT)]
    review = _query(
        hostile_build,
        "select review_text from staging.stg_reviews__product_reviews order by review_id",
    )
    assert review[0][0].startswith("'; drop table raw.reviews__product_reviews; --")
    assert "\x07" in review[1][0]
    names = _query(hostile_build, "select full_name from staging.stg_crm__customers")
    assert ("Robert'); DROP TABLE raw.crm__customers;--",) in names
    # The targets of the injected statements are still there.
    assert _query(hostile_build, "select count(*) from raw.crm__customers")[0][0] == 4


def test_every_row_is_accounted_for(hostile_build: Path) -> None:
    expected_raw = count_raw_rows(hostile_build / "raw")
    quality = {
        row[0]: row[1:]
        for row in _query(
            hostile_build,
            "select source_name, raw_rows, kept_rows, duplicate_rows, rejected_rows, "
            "is_kept_consistent from marts.data_quality",
        )
    }
    assert set(quality) == set(expected_raw)
    for name, (raw_rows, kept, duplicate, rejected, is_consistent) in quality.items():
        assert raw_rows == expected_raw[name], name
        assert kept + duplicate + rejected == raw_rows, name
        assert is_consistent, name
    rejected_per_source: dict[str, int] = {}
    for source_name, _, _ in EXPECTED_REJECTS:
        rejected_per_source[source_name] = rejected_per_source.get(source_name, 0) + 1
    assert {name: row[3] for name, row in quality.items()} == rejected_per_source
    assert quality["web_shop.orders"][:4] == (18, 4, 2, 12)
    assert quality["web_shop.order_lines"][:4] == (14, 3, 1, 10)


def _refusal(parsed_dbt: ParsedDbt, tmp_path: Path, files: dict[str, bytes]) -> str:
    """Message of the run refused on a raw folder holding just `files`."""
    raw = tmp_path / "raw"
    for name, content in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(content)
    result = parsed_dbt.invoke(["seed", "-s", "currencies"], raw, tmp_path / "warehouse.duckdb")
    assert not result.success
    assert "Traceback" not in result.text
    return result.text


def test_a_file_missing_a_contracted_column_is_refused_by_name(
    parsed_dbt: ParsedDbt, tmp_path: Path
) -> None:
    header = WEB_HEADER.replace(",status", "")
    message = _refusal(
        parsed_dbt,
        tmp_path,
        {
            "web_shop/orders.csv": (WEB_HEADER + "\n").encode(),
            "web_shop/orders_2.csv": (header + "\n").encode(),
        },
    )
    assert "Raw file 'web_shop/orders_2.csv' (source web_shop.orders)" in message
    assert "lacks the contracted column(s): status" in message
    assert "_web_shop__sources.yml" in message


def test_a_repeated_header_name_is_refused_by_name(parsed_dbt: ParsedDbt, tmp_path: Path) -> None:
    message = _refusal(
        parsed_dbt,
        tmp_path,
        {"web_shop/order_lines.csv": b"order_id,line_number,sku,quantity,unit_price,sku\n"},
    )
    assert "Raw file 'web_shop/order_lines.csv'" in message
    assert "names the column 'sku' twice" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("surveys/nps_responses.csv", b"response_id,score\nN1,10\nN2,\xff\xfe9\n"),
        ("reviews/reviews.jsonl", b'{"review_id": "RV1", "content": "\xb2\xbb\xba\xc3"}\n'),
    ],
)
def test_a_file_that_is_not_utf8_is_refused_by_name(
    parsed_dbt: ParsedDbt, tmp_path: Path, name: str, content: bytes
) -> None:
    message = _refusal(parsed_dbt, tmp_path, {name: content})
    assert f"Raw file '{name}'" in message
    assert "is not valid UTF-8 text" in message
    assert "Re-export the file as UTF-8" in message


@pytest.mark.parametrize(
    ("column", "values", "found"),
    [
        ("created_ms", pa.array(["1718700000000"]), "holds text values"),
        ("pay_amount_fen", pa.array([129.9]), "holds double values"),
        ("order_id", pa.array([1], pa.int64()), "holds integer values"),
    ],
)
def test_a_parquet_column_of_another_type_is_refused_by_name(
    parsed_dbt: ParsedDbt, tmp_path: Path, column: str, values: pa.Array, found: str
) -> None:
    table = pa.Table.from_pylist([_app_order("A1")], schema=APP_ORDER_SCHEMA)
    table = table.set_column(table.schema.get_field_index(column), column, values)
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    message = _refusal(parsed_dbt, tmp_path, {"app/orders.parquet": path.read_bytes()})
    assert f"Raw file 'app/orders.parquet' (source app.orders) column '{column}' {found}" in message
    assert "_app__sources.yml" in message


def test_a_parquet_file_missing_a_column_is_refused_by_name(
    parsed_dbt: ParsedDbt, tmp_path: Path
) -> None:
    table = pa.Table.from_pylist([_app_order("A1")], schema=APP_ORDER_SCHEMA).drop_columns(
        ["status"]
    )
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path)
    message = _refusal(parsed_dbt, tmp_path, {"app/orders_2.parquet": path.read_bytes()})
    assert "Raw file 'app/orders_2.parquet'" in message
    assert "lacks the contracted column(s): status" in message


def test_a_csv_file_with_ragged_rows_is_refused_by_name(
    parsed_dbt: ParsedDbt, tmp_path: Path
) -> None:
    rows = "W1,2024-06-18T20:15:03+08:00,extra,fields" + ",x" * 20 + "\nW2\n"
    message = _refusal(
        parsed_dbt, tmp_path, {"web_shop/orders.csv": (WEB_HEADER + "\n" + rows).encode()}
    )
    assert "web_shop/orders.csv" in message


def test_an_empty_raw_folder_is_refused_with_a_hint(parsed_dbt: ParsedDbt, tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    message = _refusal(parsed_dbt, tmp_path, {})
    assert "make data" in message
