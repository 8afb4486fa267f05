"""The Streamlit dashboard: every page renders with `AppTest`, and its numbers match pandas.

The pandas side reads the marts (and `fct_orders` for the overview) through the session's
read-only connection and recomputes what each page shows: revenue and orders of the date
range, segment sizes with and without a channel filter, risk bands of a segment, pooled
NPS, audience sizes. The real-browser check is `scripts/check_dashboard.py`
(`make test-browser`).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from customer_analytics.dashboard import browser_check, data
from tests.conftest import ROOT, Build

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture
def app(build: Build, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The dashboard on the test warehouse, first run done (the overview page)."""
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(build.warehouse))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [item.value for item in at.exception]
    return at


def open_page(at: AppTest, script: str) -> AppTest:
    at.switch_page(script)
    at.run()
    assert not at.exception, [item.value for item in at.exception]
    assert not at.error, [item.value for item in at.error]
    return at


def metric(at: AppTest, label: str) -> float:
    """The number a metric shows (thousands separators removed)."""
    values = [item.value for item in at.metric if item.label == label]
    assert values, f"no metric {label!r} among {[item.label for item in at.metric]}"
    return float(values[0].replace(",", ""))


def as_of(con: duckdb.DuckDBPyConnection) -> date:
    return con.execute("select max(kpi_date) from marts.kpi_daily").fetchone()[0]


def customers_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "select rfm.customer_id, rfm.rfm_segment, customers.preferred_channel as channel "
        "from marts.customer_rfm as rfm "
        "inner join marts.dim_customers as customers "
        "on rfm.customer_id = customers.customer_id"
    ).df()


@pytest.mark.parametrize("page", data.PAGES, ids=lambda page: page.url_path)
def test_every_page_renders(app: AppTest, page: data.DashboardPage) -> None:
    open_page(app, page.script)
    assert [item.value for item in app.title] == [page.title]
    assert app.caption, "every page says which filters apply"


def test_overview_matches_placed_orders(app: AppTest, con: duckdb.DuckDBPyConnection) -> None:
    end = as_of(con)
    start = end - timedelta(days=data.DEFAULT_RANGE_DAYS - 1)
    orders = con.execute(
        "select order_date, order_total_reporting from marts.fct_orders where is_placed"
    ).df()
    orders["order_date"] = pd.to_datetime(orders["order_date"]).dt.date
    in_range = orders[(orders["order_date"] >= start) & (orders["order_date"] <= end)]
    assert metric(app, "Revenue") == round(float(in_range["order_total_reporting"].sum()))
    assert metric(app, "Orders") == len(in_range)
    # A one-month range changes both numbers to that month's.
    month_start = end.replace(day=1)
    app.date_input(key="filter_dates").set_value((month_start, end)).run()
    month = orders[(orders["order_date"] >= month_start) & (orders["order_date"] <= end)]
    assert metric(app, "Revenue") == round(float(month["order_total_reporting"].sum()))
    assert metric(app, "Orders") == len(month)
    assert len(month) < len(in_range)


def test_segment_sizes_with_and_without_channel(
    app: AppTest, con: duckdb.DuckDBPyConnection
) -> None:
    customers = customers_frame(con)
    summary = con.execute("select rfm_segment, customers from marts.rfm_segment_summary").df()
    open_page(app, "views/segments.py")
    shown = app.dataframe[0].value.set_index("rfm_segment")["customers"]
    expected = customers.groupby("rfm_segment").size()
    assert shown.to_dict() == summary.set_index("rfm_segment")["customers"].to_dict()
    assert shown[shown > 0].to_dict() == expected.to_dict()
    app.multiselect(key="filter_channels").set_value(["app"]).run()
    shown = app.dataframe[0].value.set_index("rfm_segment")["customers"]
    expected = customers[customers["channel"] == "app"].groupby("rfm_segment").size()
    assert shown[shown > 0].to_dict() == expected.to_dict()
    assert metric(app, "Customers") == expected.sum() < len(customers)


def test_churn_bands_of_a_segment(app: AppTest, con: duckdb.DuckDBPyConnection) -> None:
    churn = con.execute("select customer_id, churn_risk_band from marts.customer_churn").df()
    churn = churn.merge(customers_frame(con), on="customer_id")
    app.multiselect(key="filter_segments").set_value(["Can't Lose Them"]).run()
    open_page(app, "views/churn.py")
    chosen = churn[churn["rfm_segment"] == "Can't Lose Them"]
    for band in ("high", "medium", "low"):
        assert metric(app, f"{band.capitalize()} risk") == (chosen["churn_risk_band"] == band).sum()
    risky = app.dataframe[0].value
    assert set(risky["rfm_segment"]) == {"Can't Lose Them"}
    assert not risky["customer"].str.startswith("cus_").any(), "customer ids are masked"


def test_clv_top_customer_is_masked(app: AppTest, con: duckdb.DuckDBPyConnection) -> None:
    clv = con.execute("select customer_id, predicted_clv_365d from marts.customer_clv").df()
    open_page(app, "views/clv.py")
    assert metric(app, "Customers") == len(clv)
    top = app.dataframe[0].value
    best = clv.sort_values(["predicted_clv_365d", "customer_id"], ascending=[False, True]).iloc[0]
    digest = hashlib.sha256(best["customer_id"].encode()).hexdigest()[:10]
    assert top.loc[0, "customer"] == f"c-{digest}"
    assert float(top.loc[0, "predicted_clv_365d"]) == pytest.approx(
        float(best["predicted_clv_365d"])
    )
    assert not top.astype(str).apply(lambda column: column.str.contains("cus_")).any().any()


def test_nps_pooled_over_range_and_channel(app: AppTest, con: duckdb.DuckDBPyConnection) -> None:
    nps = con.execute("select * from marts.nps_monthly").df()
    nps["month"] = pd.to_datetime(nps["month"]).dt.date
    end = as_of(con)
    first_month = (end - timedelta(days=data.DEFAULT_RANGE_DAYS - 1)).replace(day=1)

    def pooled(rows: pd.DataFrame) -> float:
        rows = rows[(rows["month"] >= first_month) & (rows["month"] <= end)]
        return round(
            100 * (rows["promoters"].sum() - rows["detractors"].sum()) / rows["responses"].sum(), 1
        )

    open_page(app, "views/nps.py")
    assert metric(app, "NPS in the range") == pooled(nps[nps["channel"] == "all"])
    app.multiselect(key="filter_channels").set_value(["app", "tmall"]).run()
    assert metric(app, "NPS in the range") == pooled(nps[nps["channel"].isin(["app", "tmall"])])


def test_cohorts_lifecycle_returns_audiences(app: AppTest, con: duckdb.DuckDBPyConnection) -> None:
    end = as_of(con)
    first_month = (end - timedelta(days=data.DEFAULT_RANGE_DAYS - 1)).replace(day=1)
    cohorts = con.execute("select distinct cohort_month_start_date from marts.cohort_retention")
    cohort_months = [row[0] for row in cohorts.fetchall()]
    open_page(app, "views/cohorts.py")
    assert metric(app, "Cohorts") == sum(first_month <= month <= end for month in cohort_months)

    transitions = con.execute("select * from marts.lifecycle_transitions").df()
    transitions["month_start_date"] = pd.to_datetime(transitions["month_start_date"]).dt.date
    in_range = transitions[transitions["month_start_date"] >= first_month]
    open_page(app, "views/lifecycle.py")
    assert (
        metric(app, "Customers")
        == con.execute("select count(*) from marts.customer_lifecycle").fetchone()[0]
    )
    assert int(app.dataframe[0].value.to_numpy().sum()) == in_range["customers"].sum()

    returns = con.execute("select sku, returned_units from marts.product_returns").df()
    open_page(app, "views/returns.py")
    assert metric(app, "Products") == len(returns)
    assert metric(app, "Returned units") == returns["returned_units"].sum()

    audiences = con.execute("select customer_id, is_holdout from marts.marketing_audiences").df()
    open_page(app, "views/audiences.py")
    assert metric(app, "Customers listed") == audiences["customer_id"].nunique()
    assert metric(app, "Rows to contact") == (~audiences["is_holdout"]).sum()


def test_missing_warehouse_says_what_to_do(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(data.WAREHOUSE_ENV, str(tmp_path / "nowhere.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "No warehouse file" in at.error[0].value
    assert "make run" in at.error[0].value


def test_missing_mart_is_a_message(tmp_path, build: Build) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(data.WarehouseError, match=r"dbt build -s \+kpi_daily"):
        data.read_mart(empty, "kpi_daily")


def test_clv_distribution_counts_every_customer() -> None:
    clv = pd.DataFrame({"predicted_clv_365d": [0.0, 10.0, 20.0, 30.0, 1000.0]})
    histogram = data.clv_distribution(clv, bins=5)
    assert histogram["customers"].sum() == 5
    assert histogram["bin_start"].iloc[0] == 0.0


def test_driver_frequency_reads_feature_names() -> None:
    churn = pd.DataFrame(
        {
            "top_drivers": [
                "recency_days=30 (+0.10); order_count=2 (+0.02)",
                "recency_days=9 (+0.01)",
                "",
            ]
        }
    )
    counts = data.driver_frequency(churn)
    assert counts.to_dict("records") == [
        {"feature": "recency_days", "customers": 2},
        {"feature": "order_count", "customers": 1},
    ]


def test_exposure_lists_every_mart_the_dashboard_reads() -> None:
    path = ROOT / "models" / "marts" / "_dashboard__exposures.yml"
    (exposure,) = yaml.safe_load(path.read_text(encoding="utf-8"))["exposures"]
    assert exposure["type"] == "dashboard"
    refs = {re.fullmatch(r"ref\('(\w+)'\)", item).group(1) for item in exposure["depends_on"]}
    assert refs == set(data.MART_COLUMNS)


def test_browser_check_blames_new_tracebacks_only(tmp_path) -> None:
    log = tmp_path / "streamlit.log"
    log.write_text("started\nTraceback (most recent call last):\n  boom\n", encoding="utf-8")
    found, seen = browser_check.new_tracebacks(log, 0)
    assert len(found) == 1 and "boom" in found[0]
    assert browser_check.new_tracebacks(log, seen) == ([], seen)


def test_a_published_warehouse_is_a_new_cache_version(tmp_path) -> None:
    published, side = tmp_path / "warehouse.duckdb", tmp_path / "side.duckdb"
    published.write_bytes(b"old")
    side.write_bytes(b"new")
    before = data.warehouse_version(published)
    side.replace(published)  # how a build publishes: rename over the old file
    assert data.warehouse_version(published) != before
