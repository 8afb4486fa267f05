"""Customer facts against an independent pandas computation, and the as-of date cut-off.

The pandas side reads only the warehouse's inputs to the customer models (resolved
orders and order lines, returns, tickets, NPS answers, CRM customers, identifier lookup)
and re-derives every fact with the rules documented in the models' YAML.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT, Build, run_dbt

SAMPLE_SIZE = 200
SAMPLE_SEED = 7
CHANNELS = ["web_shop", "app", "store", "tmall", "jd"]
AGE_BANDS = [(18, "<18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54")]
AGE_BANDS += [(65, "55-64")]


def _business_timezone() -> str:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]["business_timezone"]


def _local_date(utc: pd.Series) -> pd.Series:
    """Business date of naive UTC timestamps."""
    local = pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(_business_timezone())
    return local.dt.tz_localize(None).dt.normalize()


def _read(con: duckdb.DuckDBPyConnection, relation: str) -> pd.DataFrame:
    return con.execute(f"select * from {relation}").df()


def _as_of(con: duckdb.DuckDBPyConnection) -> pd.Timestamp:
    return pd.Timestamp(
        con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    )


def _first_by(frame: pd.DataFrame, keys: list[str], ascending: list[bool]) -> pd.DataFrame:
    """First row per customer after sorting by `keys` (ties broken as listed)."""
    ordered = frame.sort_values(["customer_id", *keys], ascending=[True, *ascending])
    return ordered.drop_duplicates("customer_id").set_index("customer_id")


def _order_facts(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    placed = orders[orders["is_placed"] & orders["customer_id"].notna()].copy()
    placed["order_date"] = pd.to_datetime(placed["order_date"])
    placed["order_total_reporting"] = placed["order_total_reporting"].astype(float)
    by = placed.groupby("customer_id")
    facts = pd.DataFrame(
        {
            "first_order_date": by["order_date"].min(),
            "last_order_date": by["order_date"].max(),
            "order_count": by.size(),
            "purchase_day_count": by["order_date"].nunique(),
            "gross_spend_reporting": by["order_total_reporting"].sum(),
        }
    )
    for channel in CHANNELS:
        facts[f"order_count_{channel}"] = (
            placed[placed["channel"] == channel].groupby("customer_id").size()
        )
    gaps: dict[str, list[int]] = {}
    for customer_id, dates in by["order_date"]:
        days = np.sort(dates.unique())
        gaps[customer_id] = list(np.diff(days).astype("timedelta64[D]").astype(int))
    facts["mean_days_between_orders"] = pd.Series(
        {key: np.mean(value) if value else np.nan for key, value in gaps.items()}
    )
    facts["median_days_between_orders"] = pd.Series(
        {key: np.median(value) if value else np.nan for key, value in gaps.items()}
    )
    facts["tenure_days"] = (as_of - facts["first_order_date"]).dt.days
    facts["days_since_last_order"] = (as_of - facts["last_order_date"]).dt.days
    facts["average_order_value_reporting"] = facts["gross_spend_reporting"] / facts["order_count"]

    placed["local"] = (
        pd.to_datetime(placed["ordered_at"])
        .dt.tz_localize("UTC")
        .dt.tz_convert(_business_timezone())
    )
    placed["hour"] = placed["local"].dt.hour
    placed["weekday"] = placed["order_date"].dt.day_of_week + 1
    channels = (
        placed.groupby(["customer_id", "channel"])
        .agg(n=("order_id", "size"), last=("ordered_at", "max"))
        .reset_index()
    )
    facts["preferred_channel"] = _first_by(
        channels, ["n", "last", "channel"], [False, False, True]
    )["channel"]
    for column in ("hour", "weekday"):
        counts = placed.groupby(["customer_id", column]).size().rename("n").reset_index()
        facts[f"preferred_purchase_{column}"] = _first_by(counts, ["n", column], [False, True])[
            column
        ]
    first = placed[placed["customer_order_number"] == 1].set_index("customer_id")
    facts["acquisition_channel"] = first["channel"]
    facts["acquisition_campaign"] = first["utm_campaign"]
    located = placed[placed["province"].notna()]
    places = (
        located.groupby(["customer_id", "province", "city"], dropna=False)
        .agg(n=("order_id", "size"), last=("ordered_at", "max"))
        .reset_index()
    )
    place = _first_by(places, ["n", "last", "province", "city"], [False, False, True, True])
    facts["order_province"] = place["province"]
    facts["order_city"] = place["city"]
    return facts


def _item_facts(
    orders: pd.DataFrame, items: pd.DataFrame, returns: pd.DataFrame, as_of: pd.Timestamp
) -> pd.DataFrame:
    placed = orders[orders["is_placed"] & orders["customer_id"].notna()].copy()
    placed["order_total_reporting"] = placed["order_total_reporting"].astype(float)
    bought = items[items["is_placed"] & items["customer_id"].notna()].copy()
    bought["line_amount_reporting"] = bought["line_amount_reporting"].astype(float)
    by = bought.groupby("customer_id")
    facts = pd.DataFrame(
        {"units_purchased": by["quantity"].sum(), "category_count": by["category_id"].nunique()}
    )
    categories = (
        bought.groupby(["customer_id", "category_id"])
        .agg(units=("quantity", "sum"), spend=("line_amount_reporting", "sum"))
        .reset_index()
    )
    facts["top_category_id"] = _first_by(
        categories, ["units", "spend", "category_id"], [False, False, True]
    )["category_id"]

    returns = returns.assign(order_id=returns["source_system"] + ":" + returns["order_ref"])
    returns = returns[
        (returns["return_status"] != "rejected")
        & (_local_date(returns["requested_at"]) <= as_of)
        & returns["order_id"].isin(placed["order_id"])
    ]
    returns = returns.merge(placed[["order_id", "customer_id"]], on="order_id")
    by_customer = returns.groupby("customer_id")
    facts["return_count"] = by_customer.size()
    order_units = bought.groupby("order_id")["quantity"].sum()
    per_order = returns.groupby(["customer_id", "order_id"])["quantity"].sum().reset_index()
    per_order["capped"] = np.minimum(
        per_order["quantity"], per_order["order_id"].map(order_units).fillna(0)
    )
    facts["returned_units"] = per_order.groupby("customer_id")["capped"].sum()
    refunding = returns[
        ~returns["is_exchange"] & returns["return_status"].isin(["approved", "refunded"])
    ]
    return_refunds = refunding.groupby("order_id")["refund_reporting"].sum().astype(float)
    placed["return_refunds"] = placed["order_id"].map(return_refunds).fillna(0.0)
    placed["refund"] = np.where(
        placed["is_refunded"],
        placed["order_total_reporting"],
        np.minimum(placed["return_refunds"], placed["order_total_reporting"]),
    )
    facts["refunds_reporting"] = placed.groupby("customer_id")["refund"].sum()
    return facts


def _service_facts(con: duckdb.DuckDBPyConnection, as_of: pd.Timestamp) -> pd.DataFrame:
    orders = _read(con, "intermediate.int_orders_resolved")
    by_order = orders.dropna(subset=["customer_id"]).set_index("order_id")["customer_id"]
    identifiers = _read(con, "intermediate.int_identifier_customers")
    lookup = {
        kind: group.set_index("identifier_value")["customer_id"]
        for kind, group in identifiers.groupby("identifier_type")
    }
    tickets = _read(con, "staging.stg_after_sales__tickets")
    nps = _read(con, "staging.stg_surveys__nps_responses")
    feedback = pd.concat(
        [
            tickets.assign(kind="ticket", system=tickets["source_system"], at=tickets["opened_at"]),
            nps.assign(kind="nps", system=nps["touchpoint"], at=nps["responded_at"]),
        ],
        ignore_index=True,
    )
    feedback = feedback[_local_date(feedback["at"]) <= as_of].copy()
    email = feedback["customer_email"].where(~feedback["is_placeholder_email"].astype(bool))
    phone = feedback["customer_phone"].where(~feedback["is_placeholder_phone"].astype(bool))
    feedback["customer_id"] = (
        (feedback["system"] + ":" + feedback["order_ref"])
        .map(by_order)
        .fillna(feedback["member_id"].map(lookup["crm_id"]))
        .fillna(email.map(lookup["email"]))
        .fillna(phone.map(lookup["phone"]))
    )
    feedback = feedback[feedback["customer_id"].notna()]
    facts = pd.DataFrame(
        {"ticket_count": feedback[feedback["kind"] == "ticket"].groupby("customer_id").size()}
    )
    answers = feedback[feedback["kind"] == "nps"]
    latest = _first_by(answers, ["at", "response_id"], [False, False])
    facts = facts.reindex(facts.index.union(latest.index))
    facts["last_nps_score"] = latest["score"]
    facts["last_nps_at"] = latest["at"]
    return facts


def _age_band(birth: object, as_of: pd.Timestamp) -> object:
    if pd.isna(birth):
        return None
    birth = pd.Timestamp(birth)
    age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
    if age < 0:
        return None
    return next((band for limit, band in AGE_BANDS if age < limit), "65+")


def _profiles(con: duckdb.DuckDBPyConnection, as_of: pd.Timestamp) -> pd.DataFrame:
    records = _read(con, "intermediate.int_customer_records")
    records = records[records["record_type"] == "crm_customer"]
    crm = _read(con, "staging.stg_crm__customers")
    crm["record_id"] = "crm:" + crm["customer_id"]
    members = records[["record_id", "customer_id"]].merge(
        crm.drop(columns="customer_id").assign(crm_id=crm["customer_id"]), on="record_id"
    )
    latest = _first_by(members, ["updated_at", "crm_id"], [False, False])
    facts = pd.DataFrame(index=latest.index)
    facts["is_crm_member"] = True
    facts["gender"] = latest["gender"]
    facts["age_band"] = [_age_band(value, as_of) for value in latest["birth_date"]]
    facts["crm_province"] = latest["province"]
    facts["crm_city"] = latest["city"]
    facts["signup_date"] = pd.to_datetime(members.groupby("customer_id")["signup_date"].min())
    for column in ("has_email_consent", "has_sms_consent", "has_wechat_consent"):
        facts[column] = latest[column].fillna(False).astype(bool)
    opted_out_date = pd.to_datetime(latest["opted_out_date"])
    facts["is_opted_out"] = latest["is_opted_out"].astype(bool) & (
        opted_out_date.isna() | (opted_out_date <= as_of)
    )
    return facts


def expected_facts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every customer fact recomputed with pandas from the customer models' inputs."""
    as_of = _as_of(con)
    orders = _read(con, "intermediate.int_orders_resolved")
    items = _read(con, "intermediate.int_order_items_resolved")
    returns = _read(con, "staging.stg_after_sales__returns")
    records = _read(con, "intermediate.int_customer_records")
    customers = pd.Index(sorted(records["customer_id"].dropna().unique()), name="customer_id")
    facts = pd.concat(
        [
            _order_facts(orders, as_of),
            _item_facts(orders, items, returns, as_of),
            _service_facts(con, as_of),
            _profiles(con, as_of),
        ],
        axis=1,
    ).reindex(customers)
    counts = ["order_count", "purchase_day_count", "units_purchased", "category_count"]
    counts += ["return_count", "returned_units", "ticket_count"]
    counts += [f"order_count_{channel}" for channel in CHANNELS]
    amounts = ["gross_spend_reporting", "refunds_reporting"]
    facts[counts + amounts] = facts[counts + amounts].fillna(0)
    facts["net_spend_reporting"] = facts["gross_spend_reporting"] - facts["refunds_reporting"]
    facts["return_rate"] = facts["returned_units"] / facts["units_purchased"].replace(0, np.nan)
    facts["is_crm_member"] = facts["is_crm_member"].fillna(False).astype(bool)
    for column in ("has_email_consent", "has_sms_consent", "has_wechat_consent", "is_opted_out"):
        facts[column] = facts[column].fillna(False).astype(bool)
    from_crm = facts["crm_province"].notna()
    facts["province"] = facts["crm_province"].where(from_crm, facts["order_province"])
    facts["city"] = facts["crm_city"].where(from_crm, facts["order_city"])
    return facts


NUMERIC = [
    "order_count",
    "purchase_day_count",
    "gross_spend_reporting",
    "refunds_reporting",
    "net_spend_reporting",
    "average_order_value_reporting",
    "tenure_days",
    "mean_days_between_orders",
    "median_days_between_orders",
    "days_since_last_order",
    "units_purchased",
    "category_count",
    *[f"order_count_{channel}" for channel in CHANNELS],
    "preferred_purchase_hour",
    "preferred_purchase_weekday",
    "return_count",
    "returned_units",
    "return_rate",
    "ticket_count",
    "last_nps_score",
]
EXACT = [
    "first_order_date",
    "last_order_date",
    "top_category_id",
    "preferred_channel",
    "last_nps_at",
    "acquisition_channel",
    "acquisition_campaign",
    "is_crm_member",
    "gender",
    "age_band",
    "province",
    "city",
    "signup_date",
    "has_email_consent",
    "has_sms_consent",
    "has_wechat_consent",
    "is_opted_out",
]


def _same(actual: object, expected: object) -> bool:
    if pd.isna(actual) and pd.isna(expected):
        return True
    if pd.isna(actual) or pd.isna(expected):
        return False
    if isinstance(expected, pd.Timestamp | dt.date):
        return pd.Timestamp(actual) == pd.Timestamp(expected)
    return actual == expected


@pytest.fixture(scope="module")
def facts(con) -> pd.DataFrame:
    return _read(con, "intermediate.int_customer_facts").set_index("customer_id")


@pytest.fixture(scope="module")
def sample(con, facts) -> tuple[pd.DataFrame, pd.DataFrame]:
    expected = expected_facts(con)
    ids = expected.sample(n=min(SAMPLE_SIZE, len(expected)), random_state=SAMPLE_SEED).index
    return facts.reindex(ids), expected.loc[ids]


def test_one_row_per_resolved_customer(con, facts) -> None:
    customers = con.execute(
        "select count(distinct customer_id) from intermediate.int_customer_records"
    ).fetchone()[0]
    assert facts.index.is_unique
    assert len(facts) == customers


def test_sample_covers_the_interesting_cases(sample) -> None:
    actual, _ = sample
    assert (actual["purchase_day_count"] >= 3).sum() >= 20
    assert (actual["order_count"] == 0).sum() >= 1
    assert (actual["return_count"] > 0).sum() >= 5
    assert actual["last_nps_score"].notna().sum() >= 5


@pytest.mark.parametrize("column", NUMERIC)
def test_numeric_fact_equals_pandas(sample, column) -> None:
    actual, expected = sample
    left = pd.to_numeric(actual[column], errors="coerce").astype(float)
    right = pd.to_numeric(expected[column], errors="coerce").astype(float)
    same = np.isclose(left, right, atol=0.01, rtol=0) | (left.isna() & right.isna())
    assert same.all(), pd.DataFrame({"warehouse": left, "pandas": right})[~same].head(10)


@pytest.mark.parametrize("column", EXACT)
def test_fact_equals_pandas(sample, column) -> None:
    actual, expected = sample
    same = pd.Series(
        [_same(a, e) for a, e in zip(actual[column], expected[column], strict=True)],
        index=actual.index,
    )
    assert same.all(), pd.DataFrame({"warehouse": actual[column], "pandas": expected[column]})[
        ~same
    ].head(10)


def test_no_personal_data_columns(facts) -> None:
    personal = {"full_name", "customer_email", "customer_phone", "birth_date", "birthday"}
    assert not personal & set(facts.columns)


# ---- As of an earlier date ------------------------------------------------------------


@pytest.fixture(scope="module")
def earlier(build: Build, con, tmp_path_factory) -> tuple[pd.Timestamp, Path]:
    """The customer models built into a second warehouse as of a year before the default."""
    as_of = (_as_of(con) - pd.Timedelta(days=365)).date()
    base = tmp_path_factory.mktemp("as_of")
    warehouse = base / "warehouse.duckdb"
    result = run_dbt(
        [
            "build",
            "-s",
            "+int_customer_facts",
            # only the tests of the selected models, not those of their children
            "--indirect-selection",
            "cautious",
            "--vars",
            f"{{as_of_date: '{as_of}'}}",
        ],
        build.raw_dir,
        warehouse,
        base / "target",
    )
    assert result.success, f"as-of build failed: {result.text[-3000:]}"
    return pd.Timestamp(as_of), warehouse


@pytest.fixture(scope="module")
def earlier_con(earlier):
    connection = duckdb.connect(str(earlier[1]), read_only=True)
    yield connection
    connection.close()


def test_as_of_date_is_the_configured_one(earlier, earlier_con) -> None:
    assert _as_of(earlier_con) == earlier[0]


def test_no_fact_after_the_as_of_date(earlier, earlier_con) -> None:
    as_of = earlier[0]
    facts = _read(earlier_con, "intermediate.int_customer_facts")
    assert (pd.to_datetime(facts["last_order_date"]).dropna() <= as_of).all()
    assert (_local_date(facts["last_nps_at"].dropna()) <= as_of).all()
    assert (pd.to_datetime(facts["signup_date"]).dropna() <= as_of).all()


def test_orders_as_of_are_exactly_the_earlier_orders(earlier, con, earlier_con) -> None:
    full = _read(con, "intermediate.int_orders_resolved")
    earlier_orders = _read(earlier_con, "intermediate.int_orders_resolved")
    before = full[pd.to_datetime(full["order_date"]) <= earlier[0]]
    assert earlier_orders["order_id"].is_unique
    assert set(earlier_orders["order_id"]) == set(before["order_id"])


def test_order_counts_as_of_equal_pandas(earlier, con, earlier_con) -> None:
    """Placed orders dated up to the as-of date (cut with pandas on the full build's orders),
    counted per customer of the as-of build: identities may resolve differently with less
    history, so each order takes the customer the as-of build gave it."""
    full = _read(con, "intermediate.int_orders_resolved")
    before = full[full["is_placed"] & (pd.to_datetime(full["order_date"]) <= earlier[0])]
    owners = _read(earlier_con, "intermediate.int_orders_resolved")[["order_id", "customer_id"]]
    before = before.drop(columns="customer_id").merge(owners, on="order_id", how="left")
    facts = _read(earlier_con, "intermediate.int_customer_facts").set_index("customer_id")
    counts = before.groupby("customer_id").size().reindex(facts.index, fill_value=0)
    assert counts.sum() > 1000
    assert (facts["order_count"] == counts).all(), facts["order_count"][
        facts["order_count"] != counts
    ]


def test_later_orders_change_some_facts(earlier_con, facts) -> None:
    earlier_facts = _read(earlier_con, "intermediate.int_customer_facts").set_index("customer_id")
    both = earlier_facts.index.intersection(facts.index)
    assert len(both) > 0
    changed = (earlier_facts.loc[both, "order_count"] != facts.loc[both, "order_count"]) | (
        earlier_facts.loc[both, "last_order_date"].astype(str)
        != facts.loc[both, "last_order_date"].astype(str)
    )
    assert changed.sum() > 0
    assert earlier_facts["order_count"].sum() < facts["order_count"].sum()
