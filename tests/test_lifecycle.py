"""Lifecycle stages, lapses and cohort retention against independent Python computations.

Stages are re-derived in plain Python from each customer's purchase days (distinct
business dates of placed orders in `marts.fct_orders`) with the rules documented in the
lifecycle docs and the vars of dbt_project.yml: on any date only the purchase days up to
it are used. Cohort retention is recomputed with pandas from the same orders and the
refund rule of the customer facts.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from tests.test_segments import as_of_date, placed_orders_netted, project_vars

HISTORY_SAMPLE = 300
SAMPLE_SEED = 11
LAPSE_STAGES = ("at_risk", "dormant", "churned")


@dataclass(frozen=True)
class Limits:
    cycle_days: float | None
    at_risk: int
    dormant: int
    churned: int


def limits_after(days: list[dt.date], rules: dict) -> Limits:
    """The limits in force after the last of `days` (the purchase days so far)."""
    churned = rules["lifecycle_churned_days"]
    if len(days) >= rules["lifecycle_cycle_min_purchase_days"]:
        cycle = statistics.median(
            (later - earlier).days for earlier, later in zip(days, days[1:], strict=False)
        )
        at_risk = max(
            rules["lifecycle_at_risk_min_days"],
            math.ceil(rules["lifecycle_at_risk_cycle_multiple"] * cycle),
        )
        dormant = max(
            rules["lifecycle_dormant_min_days"],
            math.ceil(rules["lifecycle_dormant_cycle_multiple"] * cycle),
        )
    else:
        cycle = None
        at_risk, dormant = rules["lifecycle_at_risk_days"], rules["lifecycle_dormant_days"]
    dormant = min(dormant, churned - 1)
    return Limits(cycle, min(at_risk, dormant - 1), dormant, churned)


def stage_on(all_days: list[dt.date], on: dt.date, rules: dict) -> str:
    """Lifecycle stage at the end of `on` from the purchase days up to it."""
    days = [day for day in all_days if day <= on]
    limits = limits_after(days, rules)
    since = (on - days[-1]).days
    if since >= limits.churned:
        return "churned"
    if since >= limits.dormant:
        return "dormant"
    if since >= limits.at_risk:
        return "at_risk"
    if len(days) == 1:
        return "new" if since < rules["lifecycle_new_days"] else "active"
    if (days[-1] - days[-2]).days > limits_after(days[:-1], rules).dormant:
        return "reactivated"
    if len(days) >= rules["lifecycle_cycle_min_purchase_days"]:
        return "repeat_loyal"
    return "active"


def lapses_of(days: list[dt.date], as_of: dt.date, rules: dict) -> list[dict]:
    """Every spell that reached at risk, with its crossing dates (null after a return)."""
    lapses = []
    for index, day in enumerate(days):
        limits = limits_after(days[: index + 1], rules)
        following = days[index + 1] if index + 1 < len(days) else None
        crossed = {}
        for stage, limit in zip(
            LAPSE_STAGES, (limits.at_risk, limits.dormant, limits.churned), strict=True
        ):
            date = day + dt.timedelta(days=limit)
            reached = date <= as_of and (following is None or following > date)
            crossed[f"{stage}_date"] = date if reached else None
        if crossed["at_risk_date"] is not None:
            lapses.append({"last_order_date": day, "returned_order_date": following, **crossed})
    return lapses


@pytest.fixture(scope="module")
def rules() -> dict:
    return project_vars()


@pytest.fixture(scope="module")
def as_of(con) -> dt.date:
    return as_of_date(con).date()


@pytest.fixture(scope="module")
def purchase_days(con) -> dict[str, list[dt.date]]:
    orders = con.execute(
        "select distinct customer_id, order_date from marts.fct_orders "
        "where is_placed and customer_id is not null order by customer_id, order_date"
    ).df()
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    return {
        customer: list(group["order_date"]) for customer, group in orders.groupby("customer_id")
    }


@pytest.fixture(scope="module")
def lifecycle(con) -> pd.DataFrame:
    return con.execute("select * from marts.customer_lifecycle").df().set_index("customer_id")


def test_stage_of_every_customer_on_the_as_of_date(lifecycle, purchase_days, as_of, rules):
    assert set(lifecycle.index) == set(purchase_days)
    expected = pd.Series({key: stage_on(days, as_of, rules) for key, days in purchase_days.items()})
    actual = lifecycle["lifecycle_stage"].reindex(expected.index)
    differ = pd.DataFrame({"warehouse": actual, "python": expected})[actual != expected]
    assert differ.empty, differ.head(10)
    assert set(expected) == {
        "new",
        "active",
        "repeat_loyal",
        "at_risk",
        "dormant",
        "churned",
        "reactivated",
    }


def test_limits_and_cycle_of_every_customer(lifecycle, purchase_days, rules):
    for customer, days in purchase_days.items():
        limits = limits_after(days, rules)
        row = lifecycle.loc[customer]
        assert row["at_risk_after_days"] == limits.at_risk, customer
        assert row["dormant_after_days"] == limits.dormant, customer
        assert row["churned_after_days"] == limits.churned, customer
        if limits.cycle_days is None:
            assert pd.isna(row["cycle_days"]), customer
        else:
            assert float(row["cycle_days"]) == pytest.approx(limits.cycle_days), customer


def test_monthly_history_of_a_sample(con, purchase_days, rules):
    history = con.execute(
        "select customer_id, snapshot_date, lifecycle_stage from marts.customer_lifecycle_history"
    ).df()
    customers = pd.Series(sorted(purchase_days)).sample(
        n=min(HISTORY_SAMPLE, len(purchase_days)), random_state=SAMPLE_SEED
    )
    sample = history[history["customer_id"].isin(customers)].copy()
    sample["snapshot_date"] = pd.to_datetime(sample["snapshot_date"]).dt.date
    expected = [
        stage_on(purchase_days[customer], snapshot, rules)
        for customer, snapshot in zip(sample["customer_id"], sample["snapshot_date"], strict=True)
    ]
    differ = sample[sample["lifecycle_stage"].to_numpy() != np.array(expected)]
    assert differ.empty, differ.head(10)
    first_months = {
        customer: pd.Timestamp(purchase_days[customer][0]).to_period("M") for customer in customers
    }
    months = sample.groupby("customer_id")["snapshot_date"].agg(["min", "count"])
    for customer, row in months.iterrows():
        assert pd.Timestamp(row["min"]).to_period("M") == first_months[customer]


def test_lapses_of_every_customer(con, purchase_days, as_of, rules):
    actual = con.execute(
        "select customer_id, last_order_date, at_risk_date, dormant_date, churned_date, "
        "returned_order_date from intermediate.int_customer_lapses"
    ).df()
    expected = pd.DataFrame(
        [
            {"customer_id": customer, **lapse}
            for customer, days in purchase_days.items()
            for lapse in lapses_of(days, as_of, rules)
        ]
    )
    columns = list(expected.columns)
    for frame in (actual, expected):
        for column in columns[1:]:
            frame[column] = pd.to_datetime(frame[column])
    merged = actual.merge(expected, on=columns, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head(10)
    assert expected["churned_date"].notna().sum() > 0


def test_transitions_count_the_history(con):
    history = con.execute(
        "select customer_id, month_start_date, lifecycle_stage "
        "from marts.customer_lifecycle_history order by customer_id, month_start_date"
    ).df()
    history["from_stage"] = (
        history.groupby("customer_id")["lifecycle_stage"].shift(1).fillna("none")
    )
    expected = (
        history.groupby(["month_start_date", "from_stage", "lifecycle_stage"])
        .size()
        .rename("expected")
    )
    actual = con.execute(
        "select month_start_date, from_stage, to_stage as lifecycle_stage, customers, "
        "transition_share from marts.lifecycle_transitions"
    ).df()
    actual = actual.set_index(["month_start_date", "from_stage", "lifecycle_stage"])
    joined = actual.join(expected, how="outer")
    assert (joined["customers"] == joined["expected"]).all()
    share = joined["expected"] / joined.groupby(level=[0, 1])["expected"].transform("sum")
    assert np.allclose(joined["transition_share"].astype(float), share, atol=0.00005)


def expected_cohorts(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    orders = orders.assign(month=orders["order_date"].dt.to_period("M"))
    first = orders.groupby("customer_id")["order_date"].min()
    cohort = first.dt.to_period("M").rename("cohort")
    second_day = (
        orders[orders["order_date"] > orders["customer_id"].map(first)]
        .groupby("customer_id")["order_date"]
        .min()
        .dt.to_period("M")
    )
    orders = orders.join(cohort, on="customer_id")
    rows = []
    last_month = as_of.to_period("M")
    for cohort_month, members in cohort.groupby(cohort):
        size = len(members)
        cohort_orders = orders[orders["cohort"] == cohort_month]
        repurchase_months = second_day.reindex(members.index).dropna()
        month = cohort_month
        while month <= last_month:
            in_month = cohort_orders[cohort_orders["month"] == month]
            so_far = cohort_orders[cohort_orders["month"] <= month]
            rows.append(
                {
                    "cohort_month": cohort_month,
                    "months_since_first_order": (month - cohort_month).n,
                    "cohort_size": size,
                    "active_customers": in_month["customer_id"].nunique(),
                    "repurchased_customers": int((repurchase_months <= month).sum()),
                    "net_revenue_reporting": in_month["net_total_reporting"].sum(),
                    "cumulative_net_revenue_reporting": so_far["net_total_reporting"].sum(),
                    "is_partial_month": month == last_month
                    and as_of < month.to_timestamp(how="end").normalize(),
                }
            )
            month += 1
    expected = pd.DataFrame(rows)
    expected["retention_rate"] = expected["active_customers"] / expected["cohort_size"]
    expected["repurchase_rate"] = expected["repurchased_customers"] / expected["cohort_size"]
    expected["cumulative_net_revenue_per_customer_reporting"] = (
        expected["cumulative_net_revenue_reporting"] / expected["cohort_size"]
    )
    return expected.set_index(["cohort_month", "months_since_first_order"])


@pytest.fixture(scope="module")
def cohorts(con) -> tuple[pd.DataFrame, pd.DataFrame]:
    actual = con.execute("select * from marts.cohort_retention").df()
    actual["cohort_month"] = pd.to_datetime(actual["cohort_month_start_date"]).dt.to_period("M")
    actual = actual.set_index(["cohort_month", "months_since_first_order"]).sort_index()
    expected = expected_cohorts(placed_orders_netted(con), as_of_date(con)).sort_index()
    return actual, expected


def test_cohort_grid_is_complete(cohorts):
    actual, expected = cohorts
    assert list(actual.index) == list(expected.index)
    assert (actual["is_partial_month"] == expected["is_partial_month"]).all()


@pytest.mark.parametrize(
    ("column", "tolerance"),
    [
        ("cohort_size", 0),
        ("active_customers", 0),
        ("repurchased_customers", 0),
        ("retention_rate", 0.00005),
        ("repurchase_rate", 0.00005),
        ("net_revenue_reporting", 0.005),
        ("cumulative_net_revenue_reporting", 0.005),
        ("cumulative_net_revenue_per_customer_reporting", 0.0051),
    ],
)
def test_cohort_column_equals_pandas(cohorts, column, tolerance):
    actual, expected = cohorts
    left = actual[column].astype(float)
    right = expected[column].astype(float)
    same = np.isclose(left, right, atol=tolerance, rtol=0)
    assert same.all(), pd.DataFrame({"warehouse": left, "pandas": right})[~same].head(10)


def test_repurchase_rate_never_falls(cohorts):
    actual, _ = cohorts
    rates = actual["repurchase_rate"].astype(float)
    assert (rates.groupby(level=0).diff().dropna() >= 0).all()
