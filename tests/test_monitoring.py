"""kpi_daily against an independent pandas computation from fct_orders and the survey
answers: daily orders, revenue, new and returning customers, trailing-window active
customers, trailing NPS, churned customers and the same-weekday anomaly flags."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def project_vars() -> dict:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


@pytest.fixture(scope="module")
def kpis(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute("select * from marts.kpi_daily order by kpi_date").df()
    frame["kpi_date"] = pd.to_datetime(frame["kpi_date"])
    return frame.set_index("kpi_date")


@pytest.fixture(scope="module")
def placed(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    orders = con.execute("select * from marts.fct_orders where is_placed").df()
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    orders["order_total_reporting"] = orders["order_total_reporting"].astype(float)
    return orders


def test_one_row_per_day_from_first_order_to_as_of_date(
    con: duckdb.DuckDBPyConnection, kpis: pd.DataFrame, placed: pd.DataFrame
) -> None:
    as_of = pd.Timestamp(con.execute("select as_of_date from marts.dim_customers").fetchone()[0])
    expected = pd.date_range(placed["order_date"].min(), as_of, freq="D")
    assert list(kpis.index) == list(expected)


def test_orders_revenue_and_customers_per_day(kpis: pd.DataFrame, placed: pd.DataFrame) -> None:
    by_day = placed.groupby("order_date")
    orders = by_day.size().reindex(kpis.index, fill_value=0)
    revenue = by_day["order_total_reporting"].sum().reindex(kpis.index, fill_value=0.0)
    known = placed[placed["customer_id"].notna()]
    first_dates = known.groupby("customer_id")["order_date"].min()
    purchasing = known.groupby("order_date")["customer_id"].nunique()
    new = first_dates.value_counts().reindex(kpis.index, fill_value=0)
    assert (kpis["orders"] == orders).all()
    assert np.allclose(kpis["gross_revenue_reporting"].astype(float), revenue, atol=0.01)
    assert (kpis["purchasing_customers"] == purchasing.reindex(kpis.index, fill_value=0)).all()
    assert (kpis["new_customers"] == new).all()
    assert (kpis["returning_customers"] == kpis["purchasing_customers"] - new).all()
    assert kpis["orders"].sum() == len(placed)


def test_active_customers_bought_within_the_window(
    kpis: pd.DataFrame, placed: pd.DataFrame, project_vars: dict
) -> None:
    window = project_vars["kpi_active_window_days"]
    known = placed[placed["customer_id"].notna()][["customer_id", "order_date"]]
    for day in kpis.index[:: max(1, len(kpis) // 25)]:
        in_window = known[
            (known["order_date"] <= day) & (known["order_date"] > day - pd.Timedelta(days=window))
        ]
        assert kpis.loc[day, "active_customers"] == in_window["customer_id"].nunique(), day


def test_trailing_nps_from_the_answers(
    con: duckdb.DuckDBPyConnection, kpis: pd.DataFrame, project_vars: dict
) -> None:
    answers = con.execute("select responded_at, score from staging.stg_surveys__nps_responses").df()
    local = (
        pd.to_datetime(answers["responded_at"])
        .dt.tz_localize("UTC")
        .dt.tz_convert(project_vars["business_timezone"])
    )
    answers["day"] = local.dt.tz_localize(None).dt.normalize()
    # promoters (9-10) count +1, detractors (0-6) -1, passives (7-8) 0
    answers["net"] = np.where(answers["score"] >= 9, 1, np.where(answers["score"] <= 6, -1, 0))
    by_day = answers.groupby("day")
    daily = pd.DataFrame({"responses": by_day.size(), "net": by_day["net"].sum()})
    daily = daily.reindex(kpis.index, fill_value=0)
    window = project_vars["kpi_nps_window_days"]
    rolling = daily.rolling(window, min_periods=1).sum()
    expected = 100 * rolling["net"] / rolling["responses"].replace(0, np.nan)
    assert (kpis["nps_responses_trailing"] == rolling["responses"]).all()
    got = kpis["nps_trailing"].astype(float)
    both = expected.notna()
    assert (got.notna() == both).all()
    assert np.allclose(got[both], expected[both], atol=0.005)
    assert kpis["nps_responses"].sum() == len(answers[answers["day"] <= kpis.index.max()])


def test_churned_customers_match_the_lapses(
    con: duckdb.DuckDBPyConnection, kpis: pd.DataFrame
) -> None:
    lapses = con.execute(
        "select churned_date from intermediate.int_customer_lapses where churned_date is not null"
    ).df()
    per_day = pd.to_datetime(lapses["churned_date"]).value_counts()
    assert kpis["churned_customers"].sum() == len(lapses)
    assert (kpis["churned_customers"] == per_day.reindex(kpis.index, fill_value=0)).all()


def test_order_anomalies_against_the_same_weekday_baseline(
    kpis: pd.DataFrame, project_vars: dict
) -> None:
    weeks = project_vars["kpi_anomaly_baseline_weeks"]
    threshold = project_vars["kpi_anomaly_zscore_threshold"]
    min_days = project_vars["kpi_anomaly_min_baseline_days"]
    orders = kpis["orders"].astype(float)
    flags = pd.Series(False, index=kpis.index)
    for _, series in orders.groupby(kpis.index.day_of_week):
        previous = series.shift(1).rolling(weeks, min_periods=1)
        mean, spread, days = previous.mean(), previous.std(), previous.count()
        spread = np.maximum(spread.fillna(0), np.sqrt(mean))
        flags.loc[series.index] = (days >= min_days) & (
            (series - mean).abs() > threshold * spread.replace(0, np.nan)
        )
    assert (kpis["is_orders_anomaly"] == flags).all()
    assert flags.any(), "the sample should contain at least one flagged day (festival peaks)"
