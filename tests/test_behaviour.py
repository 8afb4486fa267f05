"""Behaviour marts against independent pandas computations.

The pandas side reads the core marts (`marts.fct_orders`, `marts.fct_order_items`,
`marts.dim_products`), the resolved behaviour events (`intermediate.int_events_resolved`)
and the seed CSV files, and re-derives the numbers with the rules documented in the
models' YAML: purchase time peaks, category purchase cycles, browsed-not-bought rows,
session conversion, order-value bands and holiday uplift.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT

BROWSE_EVENTS = ("product_view", "add_to_cart")
ONLINE_CHANNELS = ("web_shop", "app")


def _vars() -> dict:
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"]


def _read(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


def _as_of(con: duckdb.DuckDBPyConnection) -> pd.Timestamp:
    return pd.Timestamp(
        con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    )


def _utc(values: pd.Series) -> pd.Series:
    """Naive UTC timestamps at one resolution, so merges and comparisons line up."""
    return pd.to_datetime(values).astype("datetime64[ns]")


def _assert_close(actual: pd.Series, expected: pd.Series, atol: float, label: str) -> None:
    left = pd.to_numeric(actual, errors="coerce").astype(float)
    right = pd.to_numeric(expected, errors="coerce").astype(float)
    same = np.isclose(left, right, atol=atol, rtol=0) | (left.isna() & right.isna())
    assert same.all(), f"{label}:\n" + str(
        pd.DataFrame({"warehouse": left, "pandas": right})[~same].head(10)
    )


@pytest.fixture(scope="module")
def orders(con) -> pd.DataFrame:
    placed = _read(con, "select * from marts.fct_orders where is_placed")
    placed["order_total_reporting"] = placed["order_total_reporting"].astype(float)
    placed["order_date"] = pd.to_datetime(placed["order_date"])
    placed["ordered_at"] = _utc(placed["ordered_at"])
    return placed


@pytest.fixture(scope="module")
def items(con) -> pd.DataFrame:
    lines = _read(
        con,
        "select * from marts.fct_order_items where is_placed and customer_id is not null",
    )
    lines["order_date"] = pd.to_datetime(lines["order_date"])
    lines["ordered_at"] = _utc(lines["ordered_at"])
    return lines


@pytest.fixture(scope="module")
def events(con) -> pd.DataFrame:
    frame = _read(con, "select * from intermediate.int_events_resolved")
    frame["event_at"] = _utc(frame["event_at"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


# ---- Purchase time peaks ---------------------------------------------------------------


def test_purchase_time_peaks_match_pandas(con, orders) -> None:
    local = orders["ordered_at"].dt.tz_localize("UTC").dt.tz_convert(_vars()["business_timezone"])
    timed = orders.assign(
        purchase_hour=local.dt.hour,
        purchase_weekday=orders["order_date"].dt.day_of_week + 1,
    )
    frames = [timed, timed.assign(channel="all")]
    expected = (
        pd.concat(frames)
        .groupby(["channel", "purchase_weekday", "purchase_hour"])
        .agg(
            orders=("order_id", "size"),
            customers=("customer_id", "nunique"),
            revenue_reporting=("order_total_reporting", "sum"),
        )
    )
    grid = pd.MultiIndex.from_product(
        [sorted(set(orders["channel"]) | {"all"}), range(1, 8), range(24)],
        names=expected.index.names,
    )
    expected = expected.reindex(grid, fill_value=0)
    totals = expected.groupby(level="channel")["orders"].transform("sum")
    expected["order_share"] = expected["orders"] / totals
    expected["order_index"] = expected["orders"] * 168 / totals

    actual = _read(con, "select * from marts.purchase_time_peaks").set_index(
        ["channel", "purchase_weekday", "purchase_hour"]
    )
    assert len(actual) == len(grid) == 168 * len(set(orders["channel"]) | {"all"})
    actual = actual.reindex(grid)
    for column, atol in [
        ("orders", 0),
        ("customers", 0),
        ("revenue_reporting", 0.01),
        ("order_share", 1e-6),
        ("order_index", 1e-4),
    ]:
        _assert_close(actual[column], expected[column], atol, column)
    # The generator's online evening peak shows: the busiest hour of all orders is 20-23.
    busiest = actual.loc["all"].groupby(level="purchase_hour")["orders"].sum().idxmax()
    assert 20 <= busiest <= 23


# ---- Category purchase cycle -----------------------------------------------------------


def _cycle_stats(purchases: pd.DataFrame, key: str) -> pd.DataFrame:
    """Buyers, repeat buyers and pooled gap statistics per category from purchase lines."""
    days = purchases[["customer_id", key, "order_date"]].drop_duplicates()
    days = days.sort_values(["customer_id", key, "order_date"])
    days["gap"] = days.groupby(["customer_id", key])["order_date"].diff().dt.days
    per_customer = days.groupby([key, "customer_id"]).size()
    gaps = days.dropna(subset=["gap"]).groupby(key)["gap"]
    stats = pd.DataFrame(
        {
            "buyers": per_customer.groupby(level=key).size(),
            "repeat_buyers": (per_customer >= 2).groupby(level=key).sum(),
            "gaps": gaps.size(),
            "mean_days_between_purchases": gaps.mean(),
            "p25_days_between_purchases": gaps.quantile(0.25),
            "median_days_between_purchases": gaps.quantile(0.5),
            "p75_days_between_purchases": gaps.quantile(0.75),
        }
    )
    return stats.sort_values("gaps", ascending=False)


@pytest.mark.parametrize("level", ["top", "sub"])
def test_category_purchase_cycle_matches_pandas(con, items, level) -> None:
    if level == "top":
        purchases, key = items, "category_id"
    else:
        products = _read(con, "select sku, category_id as sub_category_id from marts.dim_products")
        purchases = items.merge(products, on="sku")
        purchases = purchases[purchases["sub_category_id"] != purchases["category_id"]]
        key = "sub_category_id"
    stats = _cycle_stats(purchases, key)
    category = stats.index[0]
    expected = stats.loc[category]
    assert expected["gaps"] >= 50, "the sample should give the busiest category many gaps"

    actual = _read(
        con, f"select * from marts.category_purchase_cycles where category_id = '{category}'"
    ).iloc[0]
    assert actual["category_level"] == level
    for column in ["buyers", "repeat_buyers", "gaps"]:
        assert actual[column] == expected[column], column
    assert actual["repurchase_rate"] == pytest.approx(
        expected["repeat_buyers"] / expected["buyers"], abs=1e-6
    )
    for column in [
        "mean_days_between_purchases",
        "p25_days_between_purchases",
        "median_days_between_purchases",
        "p75_days_between_purchases",
    ]:
        assert float(actual[column]) == pytest.approx(expected[column], abs=0.01), column


# ---- Browsed, not bought ---------------------------------------------------------------


def expected_browsed_not_bought(
    events: pd.DataFrame, items: pd.DataFrame, as_of: pd.Timestamp
) -> pd.DataFrame:
    browses = events[
        events["customer_id"].notna()
        & events["sku"].notna()
        & events["event_type"].isin(BROWSE_EVENTS)
    ]
    days = (
        browses.assign(
            is_view=browses["event_type"] == "product_view",
            is_cart=browses["event_type"] == "add_to_cart",
        )
        .groupby(["customer_id", "sku", "event_date"])
        .agg(
            first_browsed_at=("event_at", "min"),
            last_browsed_at=("event_at", "max"),
            product_views=("is_view", "sum"),
            cart_adds=("is_cart", "sum"),
        )
        .reset_index()
        .rename(columns={"event_date": "browse_date"})
        .sort_values("first_browsed_at")
    )
    bought = (
        items[["customer_id", "sku", "ordered_at"]]
        .drop_duplicates()
        .rename(columns={"ordered_at": "purchased_at"})
        .sort_values("purchased_at")
    )
    after = pd.merge_asof(
        days,
        bought,
        left_on="first_browsed_at",
        right_on="purchased_at",
        by=["customer_id", "sku"],
        direction="forward",
        allow_exact_matches=True,
    ).rename(columns={"purchased_at": "first_purchased_at"})
    before = pd.merge_asof(
        days,
        bought,
        left_on="first_browsed_at",
        right_on="purchased_at",
        by=["customer_id", "sku"],
        direction="backward",
        allow_exact_matches=False,
    ).rename(columns={"purchased_at": "last_purchased_before_at"})
    rows = after.merge(
        before[["customer_id", "sku", "browse_date", "last_purchased_before_at"]],
        on=["customer_id", "sku", "browse_date"],
    )
    window_end = rows["last_browsed_at"] + pd.Timedelta(hours=24)
    rows["is_bought_within_24h"] = rows["first_purchased_at"].notna() & (
        rows["first_purchased_at"] <= window_end
    )
    as_of_end = (
        (as_of + pd.Timedelta(days=1))
        .tz_localize(_vars()["business_timezone"])
        .tz_convert("UTC")
        .tz_localize(None)
    )
    rows["is_window_complete"] = window_end <= as_of_end
    return rows.set_index(["customer_id", "sku", "browse_date"]).sort_index()


def test_browsed_not_bought_rows_match_pandas(con, events, items) -> None:
    expected = expected_browsed_not_bought(events, items, _as_of(con))
    actual = _read(con, "select * from intermediate.int_browsed_not_bought")
    actual["browse_date"] = pd.to_datetime(actual["browse_date"])
    for column in ("first_browsed_at", "last_browsed_at", "first_purchased_at"):
        actual[column] = _utc(actual[column])
    actual["last_purchased_before_at"] = _utc(actual["last_purchased_before_at"])
    actual = actual.set_index(["customer_id", "sku", "browse_date"]).sort_index()

    assert actual.index.equals(expected.index)
    # Enough of every case for the comparison to mean something.
    assert expected["is_bought_within_24h"].sum() >= 100
    assert (expected["first_purchased_at"].notna() & ~expected["is_bought_within_24h"]).sum() >= 5
    assert (~expected["is_window_complete"]).sum() >= 1
    assert expected["last_purchased_before_at"].notna().sum() >= 100
    for column in ("product_views", "cart_adds"):
        assert (actual[column].to_numpy() == expected[column].to_numpy()).all(), column
    for column in ("is_bought_within_24h", "is_window_complete"):
        assert (actual[column].astype(bool) == expected[column]).all(), column
    for column in (
        "first_browsed_at",
        "last_browsed_at",
        "first_purchased_at",
        "last_purchased_before_at",
    ):
        same = (actual[column] == expected[column]) | (
            actual[column].isna() & expected[column].isna()
        )
        mismatches = pd.DataFrame(
            {"warehouse": actual.loc[~same, column], "pandas": expected.loc[~same, column]}
        )
        assert same.all(), f"{column}:\n{mismatches.head()}"


# ---- Session conversion ----------------------------------------------------------------


def test_customer_session_conversion_matches_pandas(con, events, orders) -> None:
    tracked = events[events["session_id"].notna()]
    sessions = tracked.groupby("session_id").agg(
        customers=("customer_id", "nunique"),
        customer_id=("customer_id", "min"),
        channel=("channel", "min"),
        started_at=("event_at", "min"),
        ended_at=("event_at", "max"),
        cart_adds=("event_type", lambda types: (types == "add_to_cart").sum()),
    )
    sessions = sessions[sessions["customers"] == 1].reset_index().sort_values("started_at")
    online = orders[orders["channel"].isin(ONLINE_CHANNELS) & orders["customer_id"].notna()]
    next_orders = online[["customer_id", "channel", "ordered_at"]].sort_values("ordered_at")
    matched = pd.merge_asof(
        sessions,
        next_orders,
        left_on="started_at",
        right_on="ordered_at",
        by=["customer_id", "channel"],
        direction="forward",
    )
    hours = _vars()["behaviour_session_conversion_hours"]
    matched["converted"] = matched["ordered_at"].notna() & (
        matched["ordered_at"] <= matched["ended_at"] + pd.Timedelta(hours=hours)
    )
    matched["abandoned"] = (matched["cart_adds"] > 0) & ~matched["converted"]
    expected = matched.groupby("customer_id").agg(
        sessions=("session_id", "size"),
        converted_sessions=("converted", "sum"),
        cart_sessions=("cart_adds", lambda adds: (adds > 0).sum()),
        abandoned_cart_sessions=("abandoned", "sum"),
    )
    actual = _read(con, "select * from marts.customer_browse_behaviour").set_index("customer_id")
    assert actual.index.sort_values().equals(expected.index.sort_values())
    assert expected["converted_sessions"].sum() >= 100
    actual = actual.reindex(expected.index)
    for column in expected.columns:
        _assert_close(actual[column], expected[column], 0, column)


# ---- Order-value bands -----------------------------------------------------------------


def test_order_value_bands_match_pandas(con, orders) -> None:
    bands = pd.read_csv(ROOT / "seeds" / "spend_bands.csv")
    edges = bands[bands["band_type"] == "order_value"].sort_values("lower_bound_reporting")
    bins = [*edges["lower_bound_reporting"].astype(float), np.inf]
    both = pd.concat([orders, orders.assign(channel="all")])
    both["band_rank"] = pd.cut(
        both["order_total_reporting"], bins=bins, right=False, labels=range(1, len(edges) + 1)
    ).astype(int)
    expected = both.groupby(["channel", "band_rank"]).agg(
        orders=("order_id", "size"), revenue_reporting=("order_total_reporting", "sum")
    )
    grid = pd.MultiIndex.from_product(
        [sorted(both["channel"].unique()), range(1, len(edges) + 1)], names=expected.index.names
    )
    expected = expected.reindex(grid, fill_value=0)
    expected["order_share"] = expected["orders"] / expected.groupby(level="channel")[
        "orders"
    ].transform("sum")
    actual = _read(con, "select * from marts.order_value_bands").set_index(["channel", "band_rank"])
    assert len(actual) == len(grid)
    actual = actual.reindex(grid)
    for column, atol in [("orders", 0), ("revenue_reporting", 0.01), ("order_share", 1e-6)]:
        _assert_close(actual[column], expected[column], atol, column)


# ---- Holiday uplift --------------------------------------------------------------------


def test_holiday_uplift_matches_pandas(con, orders) -> None:
    settings = _vars()
    as_of = _as_of(con)
    holidays = pd.read_csv(
        ROOT / "seeds" / "holidays.csv", parse_dates=["start_date", "end_date", "peak_date"]
    )
    calendar = pd.date_range(orders["order_date"].min(), as_of, freq="D")
    daily = orders.groupby("order_date").size().reindex(calendar, fill_value=0)
    holiday_days = set()
    for start, end in zip(holidays["start_date"], holidays["end_date"], strict=True):
        holiday_days.update(pd.date_range(start, end, freq="D"))
    ordinary = daily[~daily.index.isin(list(holiday_days))]

    actual = _read(con, "select * from marts.holiday_sales").set_index("holiday_key")
    overlapping = holidays[
        (holidays["start_date"] <= as_of) & (holidays["end_date"] >= calendar[0])
    ]
    assert sorted(actual.index) == sorted(overlapping["holiday_key"])
    window = settings["behaviour_holiday_baseline_days"]
    minimum = settings["behaviour_holiday_min_baseline_days"]
    for holiday in overlapping.itertuples():
        period = daily[holiday.start_date : holiday.end_date]
        baseline = ordinary[holiday.start_date - pd.Timedelta(days=window) : holiday.start_date]
        baseline = baseline[baseline.index < holiday.start_date]
        row = actual.loc[holiday.holiday_key]
        assert row["period_days"] == len(period), holiday.holiday_key
        assert row["orders"] == period.sum(), holiday.holiday_key
        assert row["baseline_days"] == len(baseline), holiday.holiday_key
        if len(baseline) >= minimum:
            uplift = period.mean() / baseline.mean() - 1
            assert float(row["orders_per_day_uplift"]) == pytest.approx(uplift, abs=1e-3)
        else:
            assert pd.isna(row["orders_per_day_uplift"]), holiday.holiday_key
    # Double 11 is the retailer's biggest sale: its peak day beats the baseline every year.
    double_11 = actual[actual.index.str.endswith("double_11") & actual["is_period_complete"]]
    assert len(double_11) >= 1
    assert (double_11["peak_day_revenue_uplift"].astype(float) > 1).all()
