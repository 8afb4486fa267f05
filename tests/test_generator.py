"""End-to-end checks of the raw-data generator on a small sample.

The dirt counts of the ground truth are recomputed here from the raw files alone with
pandas, following the rules in docs/data.md, so this file is also a reference for the
staging layer.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from customer_analytics.generator import OutputFolderError, RunConfig, generate
from customer_analytics.generator.feeds import common

ROOT = Path(__file__).resolve().parents[1]
CUSTOMERS = 1000
VALID_CURRENCIES = {"CNY", "USD", "EUR", "HKD"}
CNY_ALIASES = {"RMB", "¥"}
WEB_STATUSES = {
    "pending", "待付款", "paid", "已付款", "shipped", "已发货", "completed", "delivered",
    "已完成", "cancelled", "canceled", "已取消", "refunded", "退款成功",
}  # fmt: skip
APP_STATUSES = {10, 20, 30, 40, 50, 60}
MARKETPLACE_STATUSES = {
    "WAIT_BUYER_PAY", "WAIT_SELLER_SEND_GOODS", "WAIT_BUYER_CONFIRM_GOODS", "TRADE_FINISHED",
    "TRADE_CLOSED", "TRADE_CLOSED_BY_TAOBAO",
    "等待付款", "等待出库", "等待确认收货", "完成", "已取消",
}  # fmt: skip
FUTURE_MS = 1_924_992_000_000  # 2031-01-01 UTC


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated sample (seed 42)."""
    root = tmp_path_factory.mktemp("sample")
    generate(RunConfig(customers=CUSTOMERS, seed=42), root / "raw", root / "truth", progress=False)
    return root


@pytest.fixture(scope="module")
def dirt(sample: Path) -> dict[tuple[str, str, str], int]:
    """Truth dirt counts keyed by (source, kind, reason)."""
    frame = pd.read_csv(sample / "truth" / "dirt_counts.csv")
    return {(r.source_name, r.kind, r.reason): int(r.rows) for r in frame.itertuples()}


def read_csv(sample: Path, pattern: str) -> pd.DataFrame:
    """All files of a raw CSV table as text (empty field -> '')."""
    files = sorted((sample / "raw").glob(pattern))
    assert files, f"no files for {pattern}"
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    return pd.concat(frames, ignore_index=True)


def read_parquet(sample: Path, pattern: str) -> pd.DataFrame:
    """All files of a raw Parquet table."""
    files = sorted((sample / "raw").glob(pattern))
    return pd.concat([pq.read_table(f).to_pandas() for f in files], ignore_index=True)


def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under root, by relative path."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------- parsing rules


def iso_time(values: pd.Series) -> pd.Series:
    """ISO 8601 with offset or Z -> UTC timestamps (NaT when unparseable)."""
    return pd.to_datetime(values, format="ISO8601", utc=True, errors="coerce")


def local_time(values: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    """Wall-clock text in any of the formats (NaT when none applies)."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in formats:
        out = out.fillna(pd.to_datetime(values, format=fmt, errors="coerce"))
    return out


def amount(values: pd.Series) -> pd.Series:
    """Amount text (1,299.00 / ¥1299.00 / HK$99.00 / $45.10) -> number (NaN if invalid)."""
    cleaned = values.str.replace(r"^(HK\$|\$|€|¥)", "", regex=True).str.replace(",", "")
    ok = cleaned.str.fullmatch(r"-?\d+(\.\d+)?")
    return pd.to_numeric(cleaned.where(ok), errors="coerce")


def e164(values: pd.Series) -> pd.Series:
    """Phone text -> +86XXXXXXXXXXX ('' stays '')."""

    def one(text: str) -> str:
        if not text:
            return ""
        digits = re.sub(r"\D", "", text)
        if digits.startswith("0086"):
            digits = digits[4:]
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        return "+86" + digits

    return values.map(one)


def placeholders() -> tuple[set[str], set[str]]:
    """Placeholder emails and phones declared in the dbt project vars."""
    config = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    return set(config["placeholder_emails"]), set(config["placeholder_phones"])


def contact_corrections(kept: pd.DataFrame, email: str | None, phone: str | None) -> dict[str, int]:
    """The four contact correction counts among kept rows."""
    ph_emails, ph_phones = placeholders()
    out = {}
    if email:
        raw = kept[email]
        norm = raw.str.strip().str.lower()
        out["email_normalised"] = int(((raw != "") & (raw != norm)).sum())
        out["placeholder_email"] = int(norm.isin(ph_emails).sum())
    if phone:
        raw = kept[phone]
        norm = e164(raw)
        out["phone_normalised"] = int(((raw != "") & (raw != norm)).sum())
        out["placeholder_phone"] = int(norm.isin(ph_phones).sum())
    return out


def assert_counts(dirt: dict, source: str, kind: str, expected: dict[str, int]) -> None:
    """Truth counts equal the recomputed ones."""
    for reason, rows in expected.items():
        assert dirt[(source, kind, reason)] == rows, f"{source} {kind} {reason}"


def assert_one_problem(flags: pd.DataFrame) -> None:
    """No row carries two rejection reasons."""
    assert (flags.sum(axis=1) <= 1).all(), flags[flags.sum(axis=1) > 1].head()


def latest(frame: pd.DataFrame, key: list[str], order: pd.Series) -> pd.DataFrame:
    """The newest version per key (rows sorted by `order`)."""
    return frame.assign(_order=order).sort_values("_order").groupby(key, sort=False).tail(1)


def superseded(frame: pd.DataFrame, key: list[str]) -> int:
    """Versions older than the newest one, per key (rows with an empty key excluded)."""
    has_key = (frame[key] != "").all(axis=1) & frame[key].notna().all(axis=1)
    sizes = frame[has_key].groupby(key).size()
    return int((sizes - 1).sum())


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_files(sample: Path, tmp_path: Path) -> None:
    generate(
        RunConfig(customers=CUSTOMERS, seed=42),
        tmp_path / "raw",
        tmp_path / "truth",
        progress=False,
    )
    assert file_hashes(tmp_path) == file_hashes(sample)


def test_other_seed_gives_other_files(sample: Path, tmp_path: Path) -> None:
    generate(
        RunConfig(customers=CUSTOMERS, seed=43),
        tmp_path / "raw",
        tmp_path / "truth",
        progress=False,
    )
    mine, theirs = file_hashes(tmp_path / "raw"), file_hashes(sample / "raw")
    same = [name for name in mine if mine[name] == theirs.get(name)]
    assert same == ["catalog/categories.csv"] or same == []


def test_chunk_size_does_not_change_values(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "CHUNK_ROWS", 997)
    generate(
        RunConfig(customers=CUSTOMERS, seed=42),
        tmp_path / "raw",
        tmp_path / "truth",
        progress=False,
    )
    mine, theirs = file_hashes(tmp_path), file_hashes(sample)
    assert mine.keys() == theirs.keys()
    for name in mine:
        if name.endswith(".parquet"):
            left = pq.read_table(tmp_path / name)
            assert left.equals(pq.read_table(sample / name)), name
        else:
            assert mine[name] == theirs[name], name


def test_output_folders_are_wiped(tmp_path: Path) -> None:
    stale = tmp_path / "raw" / "stale.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("x\n")
    generate(RunConfig(customers=150, seed=1), tmp_path / "raw", tmp_path / "truth", progress=False)
    assert not stale.exists()


def test_refuses_to_wipe_a_repository_or_mix_folders(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    config = RunConfig(customers=100)
    with pytest.raises(OutputFolderError, match="git repository"):
        generate(config, tmp_path / "repo", tmp_path / "truth", progress=False)
    with pytest.raises(OutputFolderError, match="separate"):
        generate(config, tmp_path / "out", tmp_path / "out" / "truth", progress=False)
    assert (tmp_path / "repo" / ".git").exists()


# --------------------------------------------------------------------------- contract


def contract() -> list[tuple[str, dict]]:
    """Every source table of the dbt sources YAML files."""
    tables = []
    for path in sorted((ROOT / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables.append((f"{source['name']}.{table['name']}", table))
    return tables


PARQUET_TYPES = {"varchar": "string", "bigint": "int64", "integer": "int32"}


def test_every_contracted_column_is_present(sample: Path) -> None:
    tables = contract()
    assert len(tables) == 17
    for name, table in tables:
        columns = [c["name"] for c in table["columns"]]
        files = sorted((sample / "raw").glob(table["meta"]["files"]))
        assert files, f"{name}: no files match {table['meta']['files']}"
        for path in files:
            fmt = table["meta"]["format"]
            if fmt == "csv":
                header = path.read_text(encoding="utf-8").splitlines()[0]
                assert header == ",".join(f'"{c}"' for c in columns), f"{path}"
            elif fmt == "parquet":
                schema = pq.read_schema(path)
                assert schema.names == columns, f"{path}"
                for column in table["columns"]:
                    wanted = PARQUET_TYPES[column["data_type"]]
                    assert str(schema.field(column["name"]).type) == wanted, f"{path} {column}"
            else:
                for line in path.read_text(encoding="utf-8").splitlines():
                    record = json.loads(line)
                    assert list(record) == columns
                    assert all(v is None or isinstance(v, str) for v in record.values())


def test_raw_counts_match_files(sample: Path) -> None:
    counts = pd.read_csv(sample / "truth" / "raw_counts.csv").set_index("source_name")["raw_rows"]
    for name, table in contract():
        files = sorted((sample / "raw").glob(table["meta"]["files"]))
        fmt = table["meta"]["format"]
        if fmt == "csv":
            rows = sum(len(pd.read_csv(f, dtype=str, keep_default_na=False)) for f in files)
        elif fmt == "parquet":
            rows = sum(pq.read_metadata(f).num_rows for f in files)
        else:
            rows = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        assert counts[name] == rows, name


def test_every_applicable_reason_occurs(dirt: dict) -> None:
    for (source, kind, reason), rows in dirt.items():
        if kind in ("rejected", "duplicate"):
            assert rows >= 3, (source, reason)


# --------------------------------------------------------------------------- dirt counts


def web_order_flags(orders: pd.DataFrame) -> pd.DataFrame:
    """Rejection conditions of web order rows."""
    created = iso_time(orders["created_at"])
    currency = orders["currency"].str.strip().str.upper()
    return pd.DataFrame(
        {
            "missing_key": orders["order_id"] == "",
            "unparseable_timestamp": created.isna(),
            "future_timestamp": created.dt.year >= 2031,
            "non_numeric_amount": amount(orders["order_total"]).isna(),
            "unknown_currency": ~currency.isin(VALID_CURRENCIES | CNY_ALIASES),
            "unknown_status": ~orders["status"].str.strip().str.lower().isin(WEB_STATUSES),
            "test_order": orders["customer_email"]
            .str.strip()
            .str.lower()
            .str.endswith("@qa.example.com"),
        }
    )


def test_web_shop_dirt(sample: Path, dirt: dict) -> None:
    raw = read_csv(sample, "web_shop/orders*.csv")
    orders = raw.drop_duplicates()
    flags = web_order_flags(orders)
    assert_one_problem(flags)
    rejected = flags.any(axis=1)
    assert_counts(dirt, "web_shop.orders", "rejected", flags.sum().astype(int).to_dict())
    expected = {
        "exact_duplicate": len(raw) - len(orders),
        "superseded_version": superseded(orders, ["order_id"]),
    }
    assert_counts(dirt, "web_shop.orders", "duplicate", expected)
    kept = latest(orders[~rejected], ["order_id"], iso_time(orders.loc[~rejected, "updated_at"]))
    corrections = contact_corrections(kept, "customer_email", "customer_phone")
    corrections["currency_alias"] = int((~kept["currency"].isin(VALID_CURRENCIES)).sum())
    fees_empty = (kept["shipping_fee"] == "") | (kept["discount_total"] == "")
    corrections["empty_fee_zeroed"] = int(fees_empty.sum())
    assert_counts(dirt, "web_shop.orders", "correction", corrections)
    raw_lines = read_csv(sample, "web_shop/order_lines*.csv")
    lines = raw_lines.drop_duplicates()
    known = set(orders["order_id"]) - {""}
    bad_parent = set(orders.loc[rejected, "order_id"]) - set(orders.loc[~rejected, "order_id"])
    line_flags = pd.DataFrame(
        {
            "orphan_line": ~lines["order_id"].isin(known),
            "parent_rejected": lines["order_id"].isin(bad_parent),
            "negative_quantity": pd.to_numeric(lines["quantity"]) < 0,
            "non_numeric_amount": amount(lines["unit_price"]).isna(),
        }
    )
    assert_one_problem(line_flags)
    assert_counts(dirt, "web_shop.order_lines", "rejected", line_flags.sum().astype(int).to_dict())
    assert dirt[("web_shop.order_lines", "duplicate", "exact_duplicate")] == len(raw_lines) - len(
        lines
    )


def test_app_dirt(sample: Path, dirt: dict) -> None:
    raw = read_parquet(sample, "app/orders*.parquet")
    orders = raw.drop_duplicates()
    flags = pd.DataFrame(
        {
            "missing_key": orders["order_id"].isna(),
            "unparseable_timestamp": orders["created_ms"].isna(),
            "future_timestamp": orders["created_ms"] >= FUTURE_MS,
            "negative_amount": orders["pay_amount_fen"] < 0,
            "unknown_status": ~orders["status"].isin(APP_STATUSES),
        }
    )
    assert_one_problem(flags)
    rejected = flags.any(axis=1)
    assert_counts(dirt, "app.orders", "rejected", flags.sum().astype(int).to_dict())
    expected = {
        "exact_duplicate": len(raw) - len(orders),
        "superseded_version": superseded(orders, ["order_id"]),
    }
    assert_counts(dirt, "app.orders", "duplicate", expected)
    kept = latest(orders[~rejected], ["order_id"], orders.loc[~rejected, "updated_ms"])
    kept = kept.fillna({"email": "", "phone": ""})
    assert_counts(dirt, "app.orders", "correction", contact_corrections(kept, "email", "phone"))
    raw_items = read_parquet(sample, "app/order_items*.parquet")
    items = raw_items.drop_duplicates()
    known = set(orders["order_id"].dropna())
    bad_parent = set(orders.loc[rejected, "order_id"].dropna()) - set(
        orders.loc[~rejected, "order_id"]
    )
    item_flags = pd.DataFrame(
        {
            "orphan_line": ~items["order_id"].isin(known),
            "parent_rejected": items["order_id"].isin(bad_parent),
            "negative_quantity": items["qty"] < 0,
        }
    )
    assert_one_problem(item_flags)
    assert_counts(dirt, "app.order_items", "rejected", item_flags.sum().astype(int).to_dict())
    assert dirt[("app.order_items", "duplicate", "exact_duplicate")] == len(raw_items) - len(items)


def test_pos_dirt(sample: Path, dirt: dict) -> None:
    raw = read_csv(sample, "pos/sales_*.csv")
    sales = raw.drop_duplicates()
    sold = local_time(sales["sold_at"], ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"))
    flags = pd.DataFrame(
        {
            "unparseable_timestamp": sold.isna(),
            "future_timestamp": sold.dt.year >= 2031,
            "negative_quantity": pd.to_numeric(sales["quantity"]) < 0,
            "non_numeric_amount": amount(sales["unit_price"]).isna(),
            "test_order": sales["store_id"] == "S000",
        }
    )
    assert_one_problem(flags)
    assert_counts(dirt, "pos.sales", "rejected", flags.sum().astype(int).to_dict())
    assert dirt[("pos.sales", "duplicate", "exact_duplicate")] == len(raw) - len(sales)
    kept = sales[~flags.any(axis=1)]
    assert_counts(dirt, "pos.sales", "correction", contact_corrections(kept, None, "phone"))
    assert sales.duplicated(["store_id", "receipt_no", "line_no"]).sum() == 0


def test_marketplace_dirt(sample: Path, dirt: dict) -> None:
    raw = read_csv(sample, "marketplace/orders_*.csv")
    orders = raw.drop_duplicates()
    flags = pd.DataFrame(
        {
            "unparseable_timestamp": local_time(
                orders["created_time"], ("%Y-%m-%d %H:%M:%S",)
            ).isna(),
            "non_numeric_amount": amount(orders["total_amount"]).isna(),
            "unknown_status": ~orders["order_status"].isin(MARKETPLACE_STATUSES),
        }
    )
    assert_one_problem(flags)
    rejected = flags.any(axis=1)
    assert_counts(dirt, "marketplace.orders", "rejected", flags.sum().astype(int).to_dict())
    key = ["platform", "platform_order_no"]
    expected = {
        "exact_duplicate": len(raw) - len(orders),
        "superseded_version": superseded(orders, key),
    }
    assert_counts(dirt, "marketplace.orders", "duplicate", expected)
    raw_items = read_csv(sample, "marketplace/order_items*.csv")
    items = raw_items.drop_duplicates()
    order_key = orders["platform"] + "|" + orders["platform_order_no"]
    item_key = items["platform"] + "|" + items["platform_order_no"]
    bad_parent = set(order_key[rejected]) - set(order_key[~rejected])
    item_flags = pd.DataFrame(
        {
            "orphan_line": ~item_key.isin(set(order_key)),
            "parent_rejected": item_key.isin(bad_parent),
            "negative_quantity": pd.to_numeric(items["quantity"]) < 0,
        }
    )
    assert_one_problem(item_flags)
    assert_counts(
        dirt, "marketplace.order_items", "rejected", item_flags.sum().astype(int).to_dict()
    )
    assert dirt[("marketplace.order_items", "duplicate", "exact_duplicate")] == len(
        raw_items
    ) - len(items)


def valid_birthday(values: pd.Series) -> pd.Series:
    """Birthdays that parse as YYYY-MM-DD, YYYY/M/D or YYYYMMDD."""
    parsed = local_time(values, ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"))
    return parsed.notna()


def test_crm_dirt(sample: Path, dirt: dict) -> None:
    raw = read_csv(sample, "crm/customers*.csv")
    customers = raw.drop_duplicates()
    missing = customers["customer_id"] == ""
    assert_counts(dirt, "crm.customers", "rejected", {"missing_key": int(missing.sum())})
    expected = {
        "exact_duplicate": len(raw) - len(customers),
        "superseded_version": superseded(customers, ["customer_id"]),
    }
    assert_counts(dirt, "crm.customers", "duplicate", expected)
    kept = latest(customers[~missing], ["customer_id"], customers.loc[~missing, "updated_at"])
    corrections = contact_corrections(kept, "email", "phone")
    corrections["unparseable_birthday"] = int(
        ((kept["birthday"] != "") & ~valid_birthday(kept["birthday"])).sum()
    )
    assert_counts(dirt, "crm.customers", "correction", corrections)
    assert set(kept["gender"]) <= {"M", "F", "男", "女", "unknown", ""}
    consent = kept[["consent_email", "consent_sms", "consent_wechat"]]
    assert set(np.unique(consent.to_numpy())) <= {"Y", "N", "1", "0", "true", "false"}


def test_after_sales_dirt(sample: Path, dirt: dict) -> None:
    raw = read_csv(sample, "after_sales/returns*.csv")
    returns = raw.drop_duplicates()
    currency = returns["currency"].str.strip().str.upper()
    flags = pd.DataFrame(
        {
            "unparseable_timestamp": iso_time(returns["requested_at"]).isna(),
            "non_numeric_amount": amount(returns["refund_amount"]).isna(),
            "unknown_currency": ~currency.isin(VALID_CURRENCIES | CNY_ALIASES),
        }
    )
    assert_one_problem(flags)
    assert_counts(dirt, "after_sales.returns", "rejected", flags.sum().astype(int).to_dict())
    assert dirt[("after_sales.returns", "duplicate", "exact_duplicate")] == len(raw) - len(returns)
    kept = returns[~flags.any(axis=1)]
    alias = int((~kept["currency"].isin(VALID_CURRENCIES)).sum())
    assert dirt[("after_sales.returns", "correction", "currency_alias")] == alias
    raw_tickets = read_csv(sample, "after_sales/tickets*.csv")
    tickets = raw_tickets.drop_duplicates()
    bad_time = iso_time(tickets["opened_at"]).isna()
    assert dirt[("after_sales.tickets", "rejected", "unparseable_timestamp")] == int(bad_time.sum())
    assert dirt[("after_sales.tickets", "duplicate", "exact_duplicate")] == len(raw_tickets) - len(
        tickets
    )
    corrections = contact_corrections(tickets[~bad_time], "customer_email", "customer_phone")
    assert_counts(dirt, "after_sales.tickets", "correction", corrections)


def test_feedback_dirt(sample: Path, dirt: dict) -> None:
    raw = read_csv(sample, "surveys/nps_responses*.csv")
    nps = raw.drop_duplicates()
    bad = ~nps["score"].isin([str(i) for i in range(11)])
    assert dirt[("surveys.nps_responses", "rejected", "invalid_score")] == int(bad.sum())
    assert dirt[("surveys.nps_responses", "duplicate", "exact_duplicate")] == len(raw) - len(nps)
    assert_counts(
        dirt,
        "surveys.nps_responses",
        "correction",
        contact_corrections(nps[~bad], "email", "phone"),
    )
    lines = (sample / "raw" / "reviews" / "reviews.jsonl").read_text(encoding="utf-8").splitlines()
    reviews = pd.DataFrame([json.loads(line) for line in lines])
    unique = reviews.drop_duplicates()
    bad_rating = ~unique["rating"].isin([str(i) for i in range(1, 6)])
    assert dirt[("reviews.product_reviews", "rejected", "invalid_score")] == int(bad_rating.sum())
    assert dirt[("reviews.product_reviews", "duplicate", "exact_duplicate")] == len(reviews) - len(
        unique
    )


def test_events_and_sends_dirt(sample: Path, dirt: dict) -> None:
    raw = read_parquet(sample, "events/events_*.parquet")
    events = raw.drop_duplicates()
    source = "events.behaviour_events"
    assert dirt[(source, "duplicate", "exact_duplicate")] == len(raw) - len(events)
    assert dirt[(source, "rejected", "unparseable_timestamp")] == int(
        events["event_ms"].isna().sum()
    )
    assert dirt[(source, "rejected", "future_timestamp")] == int(
        (events["event_ms"] >= FUTURE_MS).sum()
    )
    assert events["event_id"].is_unique
    raw_sends = read_csv(sample, "marketing/sends*.csv")
    assert dirt[("marketing.sends", "duplicate", "exact_duplicate")] == int(
        raw_sends.duplicated().sum()
    )


# --------------------------------------------------------------------------- behaviour


def test_versions_have_strictly_increasing_times(sample: Path) -> None:
    web = read_csv(sample, "web_shop/orders*.csv").drop_duplicates()
    web = web[web["order_id"] != ""]
    assert not web.assign(t=iso_time(web["updated_at"])).duplicated(["order_id", "t"]).any()
    app = read_parquet(sample, "app/orders*.parquet").drop_duplicates().dropna(subset=["order_id"])
    assert not app.duplicated(["order_id", "updated_ms"]).any()
    mp = read_csv(sample, "marketplace/orders_*.csv").drop_duplicates()
    assert not mp.duplicated(["platform", "platform_order_no", "modified_time"]).any()
    versions = mp.groupby(["platform", "platform_order_no"]).size()
    assert versions.mean() > 2.0
    assert (versions == 1).mean() < 0.3


def test_orders_per_customer_is_plausible(sample: Path) -> None:
    persons = pq.read_table(sample / "truth" / "persons.parquet").to_pandas()
    orders = pq.read_table(sample / "truth" / "order_persons.parquet").to_pandas()
    canonical = orders[~orders["is_cross_feed_copy"]]
    assert len(persons) == CUSTOMERS
    assert 6 <= len(canonical) / CUSTOMERS <= 14
    assert 0.10 <= (persons["n_orders"] == 1).mean() <= 0.35
    assert persons["n_orders"].max() >= 60
    per_person = canonical.groupby("person_id").size()
    expected = (
        persons.set_index("person_id")["n_orders"]
        + persons.set_index("person_id")["n_campaign_orders"]
    )
    assert per_person.reindex(expected.index, fill_value=0).equals(expected)


def all_order_days(sample: Path) -> pd.Series:
    """Beijing order dates read from every order feed (latest versions, parseable rows)."""
    web = read_csv(sample, "web_shop/orders*.csv").drop_duplicates("order_id")
    web = web[web["external_order_ref"] == ""]
    web_days = iso_time(web["created_at"]).dt.tz_convert("Asia/Shanghai").dt.date
    app = read_parquet(sample, "app/orders*.parquet").drop_duplicates("order_id")
    app_days = (
        pd.to_datetime(app["created_ms"], unit="ms", utc=True)
        .dt.tz_convert("Asia/Shanghai")
        .dt.date
    )
    mp = read_csv(sample, "marketplace/orders_*.csv").drop_duplicates(
        ["platform", "platform_order_no"]
    )
    mp_days = local_time(mp["created_time"], ("%Y-%m-%d %H:%M:%S",)).dt.date
    pos = read_csv(sample, "pos/sales_*.csv").drop_duplicates(["store_id", "receipt_no"])
    pos_days = local_time(pos["sold_at"], ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M")).dt.date
    days = pd.concat([web_days, app_days, mp_days, pos_days]).dropna()
    return pd.to_datetime(days)


def test_festival_peaks_are_visible(sample: Path) -> None:
    days = all_order_days(sample)
    days = days[(days >= "2023-01-01") & (days <= "2025-12-31")]
    daily = days.value_counts().sort_index()
    for year in (2024, 2025):
        around = daily[f"{year}-09-15" : f"{year}-10-15"].mean()
        assert daily.get(pd.Timestamp(f"{year}-11-11"), 0) > 3 * around
        around = daily[f"{year}-04-15" : f"{year}-05-15"].mean()
        assert daily.get(pd.Timestamp(f"{year}-06-18"), 0) > 2 * around
        festival = pd.Timestamp({2024: "2024-02-10", 2025: "2025-01-29"}[year])
        dip = daily[festival - pd.Timedelta(days=3) : festival + pd.Timedelta(days=3)].mean()
        assert (
            dip
            < 0.8
            * daily[festival - pd.Timedelta(days=60) : festival - pd.Timedelta(days=30)].mean()
        )


def test_cross_feed_copies_match_marketplace_orders(sample: Path) -> None:
    web = read_csv(sample, "web_shop/orders*.csv").drop_duplicates()
    copies = web[web["external_order_ref"] != ""].drop_duplicates("order_id")
    mp = read_csv(sample, "marketplace/orders_*.csv").drop_duplicates(
        "platform_order_no", keep="last"
    )
    joined = copies.merge(mp, left_on="external_order_ref", right_on="platform_order_no")
    assert len(joined) == len(copies) > 0
    assert np.allclose(amount(joined["order_total"]), amount(joined["total_amount"]))
    marketplace_created = local_time(joined["created_time"], ("%Y-%m-%d %H:%M:%S",))
    gap = iso_time(joined["created_at"]) - marketplace_created.dt.tz_localize("Asia/Shanghai")
    assert gap.between(pd.Timedelta(0), pd.Timedelta(minutes=30)).all()
    truth = pq.read_table(sample / "truth" / "order_persons.parquet").to_pandas()
    pairs = truth[truth["is_cross_feed_copy"]]
    assert set(pairs["order_ref"]) == set(copies["order_id"])
    canonical = truth.set_index("order_ref")
    assert (
        canonical.loc[pairs["canonical_order_ref"], "person_id"].to_numpy()
        == pairs["person_id"].to_numpy()
    ).all()


def test_satisfaction_drives_nps_and_churn(sample: Path) -> None:
    nps = read_csv(sample, "surveys/nps_responses*.csv").drop_duplicates("response_id")
    nps = nps[nps["score"].isin([str(i) for i in range(11)])]
    truth = pq.read_table(sample / "truth" / "order_persons.parquet").to_pandas()
    persons = pq.read_table(sample / "truth" / "persons.parquet").to_pandas()
    joined = nps.merge(truth[~truth["is_cross_feed_copy"]], on="order_ref").merge(
        persons, on="person_id"
    )
    score = joined["score"].astype(int)
    assert np.corrcoef(score, joined["satisfaction"])[0, 1] > 0.4
    detractors = joined[score <= 6].drop_duplicates("person_id")
    promoters = joined[score >= 9].drop_duplicates("person_id")
    assert detractors["p_dropout"].mean() > 1.3 * promoters["p_dropout"].mean()


def test_identifiers_truth_links_feeds_to_persons(sample: Path) -> None:
    ids = pq.read_table(sample / "truth" / "identifiers.parquet").to_pandas()
    ph_emails, ph_phones = placeholders()
    assert not ids["identifier_value"].isin(ph_emails | ph_phones).any()
    phones = ids[ids["identifier_type"] == "phone"]["identifier_value"]
    assert phones.str.fullmatch(r"\+861\d{10}").all()
    emails = ids[ids["identifier_type"] == "email"]
    assert emails["identifier_value"].is_unique
    assert (emails["identifier_value"] == emails["identifier_value"].str.lower()).all()
    web = read_csv(sample, "web_shop/orders*.csv").drop_duplicates("order_id")
    web = web.assign(email=web["customer_email"].str.strip().str.lower())
    web = web[
        (web["email"] != "")
        & ~web["email"].isin(ph_emails)
        & ~web["email"].str.endswith("@qa.example.com")
    ]
    truth = pq.read_table(sample / "truth" / "order_persons.parquet").to_pandas()
    merged = web.merge(truth, left_on="order_id", right_on="order_ref")
    merged = merged.merge(
        emails, left_on="email", right_on="identifier_value", suffixes=("", "_id")
    )
    assert len(merged) > 0.8 * len(web)
    assert (merged["person_id"] == merged["person_id_id"]).all()
    shared = phones.value_counts()
    assert shared.max() <= 3 and (shared > 1).any()


def platform_bindings(sample: Path) -> pd.DataFrame:
    """Buyer ids bound in the newest CRM versions: customer_id, platform, buyer_id,
    signup_date, with the person of the record and of the buyer id from the truth."""
    crm = read_csv(sample, "crm/customers*.csv").drop_duplicates()
    assert list(crm.columns[-2:]) == ["tmall_buyer_id", "jd_buyer_id"]
    crm = crm[crm["customer_id"] != ""]
    kept = latest(crm, ["customer_id"], crm["updated_at"])
    bound = kept.melt(
        id_vars=["customer_id", "signup_date"],
        value_vars=["tmall_buyer_id", "jd_buyer_id"],
        var_name="platform",
        value_name="buyer_id",
    )
    bound = bound[bound["buyer_id"] != ""].copy()
    bound["platform"] = bound["platform"].str.removesuffix("_buyer_id")
    ids = pq.read_table(sample / "truth" / "identifiers.parquet").to_pandas()
    accounts = ids[ids["identifier_type"].isin(["crm_id", "tmall_buyer_id", "jd_buyer_id"])]
    person = accounts.set_index(["identifier_type", "identifier_value"])["person_id"]
    assert person.index.is_unique
    bound["record_person"] = person.reindex(
        pd.MultiIndex.from_arrays([["crm_id"] * len(bound), bound["customer_id"]])
    ).to_numpy()
    bound["buyer_person"] = person.reindex(
        pd.MultiIndex.from_arrays([bound["platform"] + "_buyer_id", bound["buyer_id"]])
    ).to_numpy()
    return bound


def test_bound_buyer_ids_belong_to_the_record_person(sample: Path) -> None:
    bound = platform_bindings(sample)
    assert len(bound) > 0
    assert bound["record_person"].notna().all() and bound["buyer_person"].notna().all()
    assert (bound["record_person"] == bound["buyer_person"]).all()
    assert not bound.duplicated(["platform", "buyer_id"]).any()
    # Bound at or before the first order on the platform: the record existed by then.
    mp = read_csv(sample, "marketplace/orders_*.csv")
    created = local_time(mp["created_time"], ("%Y-%m-%d %H:%M:%S",))
    first = mp.assign(day=created.dt.normalize()).groupby(["platform", "buyer_id"])["day"].min()
    first_day = first.reindex(pd.MultiIndex.from_frame(bound[["platform", "buyer_id"]]))
    assert first_day.notna().all()
    signup = pd.to_datetime(bound["signup_date"], format="%Y-%m-%d")
    assert (signup.to_numpy() <= first_day.to_numpy()).all()


def test_marketplace_buyers_who_shop_elsewhere_join_the_brand_membership(sample: Path) -> None:
    orders = pq.read_table(sample / "truth" / "order_persons.parquet").to_pandas()
    orders = orders[~orders["is_cross_feed_copy"]]
    channels = orders.groupby("person_id")["source_system"].agg(frozenset)
    on_platform = channels.map(lambda used: bool(used & {"tmall", "jd"}))
    multi = channels[on_platform & (channels.map(len) > 1)]
    single = channels[on_platform & (channels.map(len) == 1)]
    bound = platform_bindings(sample)
    pairs = set(zip(bound["buyer_person"], bound["platform"], strict=True))

    def share_bound(group: pd.Series) -> float:
        every = [
            all((person, platform) in pairs for platform in used & {"tmall", "jd"})
            for person, used in group.items()
        ]
        return float(np.mean(every))

    # 99% join (about 97.5% of them bind: a person without a CRM record needs a mobile).
    assert len(multi) > 250
    assert 0.94 <= share_bound(multi) <= 0.995
    # Single-platform buyers: 99% of the registered ones, 25% of the others.
    assert 0.3 <= share_bound(single) <= 0.75


def test_campaign_redemptions_are_real_orders(sample: Path) -> None:
    sends = read_csv(sample, "marketing/sends*.csv").drop_duplicates()
    assert set(sends["variant"]) == {"A", "B", "control"}
    control = sends[sends["variant"] == "control"]
    assert (control["sent_at"] == "").all() and (control["redeemed_at"] == "").all()
    redeemed = sends[sends["redeemed_order_ref"] != ""]
    truth = pq.read_table(sample / "truth" / "order_persons.parquet").to_pandas()
    campaign_orders = truth[truth["is_campaign_order"]]
    assert set(redeemed["redeemed_order_ref"]) == set(campaign_orders["order_ref"])


# --------------------------------------------------------------------------- command line


def test_cli_help_and_bad_arguments() -> None:
    script = ROOT / "scripts" / "generate_data.py"
    shown = subprocess.run(
        [sys.executable, script, "--help"], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0 and "--customers" in shown.stdout
    bad = subprocess.run(
        [sys.executable, script, "--customers", "5", "--out", "x", "--truth", "y"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "at least 100" in bad.stderr
