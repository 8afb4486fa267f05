"""RFM scores, segments and tiers against an independent pandas computation.

The pandas side starts from `marts.fct_orders` and the after-sales returns, applies the
customer facts' refund rule (a `refunded` order in full, else approved or refunded
returns, not exchanges, requested up to the as-of date, capped at the order total),
ranks with pandas (`method="min"`, the lowest rank of a tie group) and expands the
ordered segment rules itself, so none of the mart's SQL is re-run.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
SEGMENTS = [
    "Champions",
    "Loyal Customers",
    "Potential Loyalist",
    "New Customers",
    "Promising",
    "Need Attention",
    "About To Sleep",
    "At Risk",
    "Can't Lose Them",
    "Hibernating",
    "Lost",
]


def project_vars() -> dict:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


def as_of_date(con: duckdb.DuckDBPyConnection) -> pd.Timestamp:
    return pd.Timestamp(
        con.execute("select as_of_date from intermediate.int_as_of_date").fetchone()[0]
    )


def _local_date(utc: pd.Series) -> pd.Series:
    zone = project_vars()["business_timezone"]
    local = pd.to_datetime(utc).dt.tz_localize("UTC").dt.tz_convert(zone)
    return local.dt.tz_localize(None).dt.normalize()


def placed_orders_netted(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Placed orders of resolved customers with their refunds, from fct_orders and returns."""
    as_of = as_of_date(con)
    orders = con.execute(
        "select order_id, customer_id, order_date, order_total_reporting, is_refunded "
        "from marts.fct_orders where is_placed and customer_id is not null"
    ).df()
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders["order_total_reporting"] = orders["order_total_reporting"].astype(float)
    returns = con.execute("select * from staging.stg_after_sales__returns").df()
    returns["order_id"] = returns["source_system"] + ":" + returns["order_ref"]
    refunding = returns[
        ~returns["is_exchange"].astype(bool)
        & returns["return_status"].isin(["approved", "refunded"])
        & (_local_date(returns["requested_at"]) <= as_of)
    ]
    return_refunds = refunding.groupby("order_id")["refund_reporting"].sum().astype(float)
    from_returns = orders["order_id"].map(return_refunds).fillna(0.0)
    orders["refunds_reporting"] = np.where(
        orders["is_refunded"].astype(bool),
        orders["order_total_reporting"],
        np.minimum(from_returns, orders["order_total_reporting"]),
    )
    orders["net_total_reporting"] = orders["order_total_reporting"] - orders["refunds_reporting"]
    return orders


def tie_aware_score(values: pd.Series) -> pd.Series:
    """1 + floor(5 (rank - 1) / n), rank = lowest rank of the tie group, worst value first."""
    rank = values.rank(method="min", ascending=True)
    return (1 + np.floor(5 * (rank - 1) / len(values))).astype(int)


def expand_rules(rules: list[dict[str, str]]) -> dict[tuple[int, int, int], str]:
    """Every (r, f, m) combination mapped to the segment of the first matching rule."""
    ordered = sorted(rules, key=lambda rule: int(rule["rule_order"]))
    mapping: dict[tuple[int, int, int], str] = {}
    for combination in itertools.product(range(1, 6), repeat=3):
        for rule in ordered:
            bounds = [
                (int(rule[f"{name}_score_min"]), int(rule[f"{name}_score_max"]))
                for name in ("recency", "frequency", "monetary")
            ]
            pairs = zip(combination, bounds, strict=True)
            if all(low <= value <= high for value, (low, high) in pairs):
                mapping[combination] = rule["rfm_segment"]
                break
    return mapping


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_rfm(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    as_of = as_of_date(con)
    orders = placed_orders_netted(con)
    by_customer = orders.groupby("customer_id")
    rfm = pd.DataFrame(
        {
            "recency_days": (as_of - by_customer["order_date"].max()).dt.days,
            "frequency": by_customer.size(),
            "monetary_reporting": by_customer["net_total_reporting"].sum().round(2),
        }
    )
    rfm["recency_score"] = tie_aware_score(-rfm["recency_days"])
    rfm["frequency_score"] = tie_aware_score(rfm["frequency"])
    rfm["monetary_score"] = tie_aware_score(rfm["monetary_reporting"])
    mapping = expand_rules(_read_csv(SEEDS / "rfm_segment_rules.csv"))
    rfm["rfm_segment"] = [
        mapping[combination]
        for combination in zip(
            rfm["recency_score"], rfm["frequency_score"], rfm["monetary_score"], strict=True
        )
    ]
    high_frequency = rfm["frequency"] > rfm["frequency"].median()
    high_spend = rfm["monetary_reporting"] > rfm["monetary_reporting"].median()
    rfm["frequency_spend_tier"] = (
        np.where(high_frequency, "high_frequency", "low_frequency").astype(object)
        + "_"
        + np.where(high_spend, "high_spend", "low_spend").astype(object)
    )
    frequent = project_vars()["buyer_type_frequent_min_orders"]
    rfm["buyer_type"] = np.select(
        [rfm["frequency"] == 1, rfm["frequency"] >= frequent],
        ["one_time", "frequent"],
        default="occasional",
    )
    r, f, m = rfm["recency_score"], rfm["frequency_score"], rfm["monetary_score"]
    rfm["value_tier"] = np.select(
        [(f >= 4) & (m >= 4) & (r >= 3), r >= 4, (r <= 2) & ((f >= 4) | (m >= 4))],
        ["high_value", "potential", "sleeping"],
        default="general",
    )
    return rfm


@pytest.fixture(scope="module")
def actual(con) -> pd.DataFrame:
    return con.execute("select * from marts.customer_rfm").df().set_index("customer_id")


@pytest.fixture(scope="module")
def expected(con) -> pd.DataFrame:
    return expected_rfm(con)


def test_one_row_per_customer_with_an_order(actual, expected) -> None:
    assert actual.index.is_unique
    assert set(actual.index) == set(expected.index)


@pytest.mark.parametrize(
    "column",
    ["recency_days", "frequency", "recency_score", "frequency_score", "monetary_score"],
)
def test_integer_column_equals_pandas(actual, expected, column) -> None:
    joined = pd.DataFrame(
        {"warehouse": actual[column], "pandas": expected[column].reindex(actual.index)}
    )
    differ = joined[joined["warehouse"].astype(int) != joined["pandas"].astype(int)]
    assert differ.empty, differ.head(10)


def test_monetary_equals_pandas(actual, expected) -> None:
    left = actual["monetary_reporting"].astype(float)
    right = expected["monetary_reporting"].reindex(left.index)
    assert np.allclose(left, right, atol=0.005, rtol=0)


@pytest.mark.parametrize(
    "column", ["rfm_segment", "frequency_spend_tier", "buyer_type", "value_tier"]
)
def test_label_equals_pandas(actual, expected, column) -> None:
    joined = pd.DataFrame(
        {"warehouse": actual[column], "pandas": expected[column].reindex(actual.index)}
    )
    differ = joined[joined["warehouse"] != joined["pandas"]]
    assert differ.empty, differ.head(10)


def test_equal_values_get_equal_scores(actual) -> None:
    for value, score in [
        ("recency_days", "recency_score"),
        ("frequency", "frequency_score"),
        ("monetary_reporting", "monetary_score"),
    ]:
        spread = actual.groupby(value)[score].agg(["min", "max"])
        assert (spread["min"] == spread["max"]).all(), value
        ordered = actual.sort_values(value)[score]
        direction = -1 if value == "recency_days" else 1
        assert (np.diff(ordered.to_numpy()) * direction >= 0).all(), f"{score} not monotonic"


def test_ties_change_the_score_distribution(actual) -> None:
    """All one-time buyers share one frequency score, however many they are."""
    one_time = actual[actual["frequency"] == 1]
    assert len(one_time) > len(actual) / 10
    assert set(one_time["frequency_score"]) == {1}
    assert actual["recency_score"].max() == 5 and actual["monetary_score"].max() == 5


def test_seed_map_is_the_expansion_of_the_rules() -> None:
    mapping = expand_rules(_read_csv(SEEDS / "rfm_segment_rules.csv"))
    seed = {
        (int(row["recency_score"]), int(row["frequency_score"]), int(row["monetary_score"])): row[
            "rfm_segment"
        ]
        for row in _read_csv(SEEDS / "rfm_segments.csv")
    }
    assert len(seed) == 125
    assert seed == mapping
    assert sorted(set(seed.values())) == sorted(SEGMENTS)


def test_every_segment_is_reached_on_the_sample(actual) -> None:
    counts = actual["rfm_segment"].value_counts()
    assert set(counts.index) == set(SEGMENTS), counts


def test_summary_matches_the_customers(con, actual) -> None:
    summary = con.execute("select * from marts.rfm_segment_summary").df().set_index("rfm_segment")
    assert set(summary.index) == set(SEGMENTS)
    counts = actual["rfm_segment"].value_counts().reindex(summary.index, fill_value=0)
    assert (summary["customers"] == counts).all()
    revenue = actual.groupby("rfm_segment")["monetary_reporting"].sum().astype(float)
    share = (revenue / revenue.sum()).reindex(summary.index, fill_value=0)
    assert np.allclose(summary["revenue_share"].astype(float), share, atol=0.0001)
    average = actual.groupby("rfm_segment")["recency_days"].mean().reindex(summary.index)
    assert np.allclose(summary["avg_recency_days"].astype(float), average, atol=0.005)
