"""The semantic layer answers with the marts' numbers.

MetricFlow validates the semantic models and metrics against the built warehouse, then
`mf query` results by month, channel and segment are compared with pandas computations
from `marts.fct_orders`, `marts.kpi_daily` and `marts.customer_rfm`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT, Build, run_dbt

MF = Path(sys.executable).parent / "mf"


@pytest.fixture(scope="module")
def mf_env(build: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A copy of the warehouse (MetricFlow opens it for writing) and a parsed project."""
    base = tmp_path_factory.mktemp("semantic")
    warehouse = base / "warehouse.duckdb"
    shutil.copy(build.warehouse, warehouse)
    # MetricFlow reads target/semantic_manifest.json under the project root.
    parsed = run_dbt(["parse"], build.raw_dir, warehouse, ROOT / "target")
    assert parsed.success, parsed.text[-2000:]
    return dict(
        os.environ,
        RAW_DATA_DIR=str(build.raw_dir),
        WAREHOUSE_PATH=str(warehouse),
        DBT_PROFILES_DIR=str(ROOT),
    )


def _mf(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MF), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def _query(env: dict[str, str], tmp_path: Path, *args: str) -> pd.DataFrame:
    out = tmp_path / "query.csv"
    result = _mf(["query", *args, "--csv", str(out)], env)
    assert result.returncode == 0 and out.exists(), result.stdout[-2000:] + result.stderr[-2000:]
    return pd.read_csv(out)


def test_at_least_ten_metrics_are_defined() -> None:
    metrics = yaml.safe_load((ROOT / "models" / "semantic" / "_metrics.yml").read_text())
    names = {metric["name"] for metric in metrics["metrics"]}
    headline = {
        "revenue",
        "orders",
        "average_order_value",
        "active_customers",
        "new_customers",
        "repurchase_rate",
        "retention_rate",
        "nps",
        "churn_rate",
    }
    assert headline <= names
    assert len(names) >= 10


def test_configs_validate_against_the_warehouse(mf_env: dict[str, str]) -> None:
    result = _mf(["validate-configs"], mf_env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "ERRORS: 0" in result.stdout
    assert "Breaking issues" not in result.stdout


def test_revenue_and_orders_by_month_match_the_orders_mart(
    mf_env: dict[str, str], con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    got = _query(
        mf_env, tmp_path, "--metrics", "revenue,orders", "--group-by", "metric_time__month"
    )
    got["month"] = pd.to_datetime(got["metric_time__month"])
    got = got.set_index("month").sort_index()
    orders = con.execute("select * from marts.fct_orders where is_placed").df()
    orders["month"] = pd.to_datetime(orders["order_date"]).dt.to_period("M").dt.to_timestamp()
    expected = orders.groupby("month").agg(
        revenue=("order_total_reporting", lambda s: s.astype(float).sum()),
        orders=("order_id", "size"),
    )
    got = got.loc[expected.index]
    assert (got["orders"] == expected["orders"]).all()
    assert np.allclose(got["revenue"].astype(float), expected["revenue"], atol=0.01)


def test_revenue_by_channel_and_segment(
    mf_env: dict[str, str], con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    orders = con.execute("select * from marts.fct_orders where is_placed").df()
    orders["order_total_reporting"] = orders["order_total_reporting"].astype(float)
    by_channel = _query(mf_env, tmp_path, "--metrics", "revenue", "--group-by", "order__channel")
    by_channel = by_channel.set_index("order__channel")["revenue"]
    expected = orders.groupby("channel")["order_total_reporting"].sum()
    assert np.allclose(by_channel.loc[expected.index], expected, atol=0.01)

    segments = _query(
        mf_env, tmp_path, "--metrics", "buyers", "--group-by", "customer__rfm_segment"
    ).set_index("customer__rfm_segment")["buyers"]
    rfm = con.execute("select rfm_segment from marts.customer_rfm").df()
    assert (segments.sort_index() == rfm["rfm_segment"].value_counts().sort_index()).all()


def test_nps_by_month_matches_the_daily_kpis(
    mf_env: dict[str, str], con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    got = _query(mf_env, tmp_path, "--metrics", "nps", "--group-by", "metric_time__month")
    got["month"] = pd.to_datetime(got["metric_time__month"])
    got = got.dropna().set_index("month").sort_index()["nps"]
    kpis = con.execute(
        "select kpi_date, nps_responses, nps_promoters, nps_detractors from marts.kpi_daily"
    ).df()
    kpis["month"] = pd.to_datetime(kpis["kpi_date"]).dt.to_period("M").dt.to_timestamp()
    monthly = kpis.groupby("month")[["nps_responses", "nps_promoters", "nps_detractors"]].sum()
    monthly = monthly[monthly["nps_responses"] > 0]
    expected = (
        100 * (monthly["nps_promoters"] - monthly["nps_detractors"]) / monthly["nps_responses"]
    )
    assert np.allclose(got.loc[expected.index], expected, atol=0.01)


@pytest.mark.parametrize(
    "saved_query",
    [
        "monthly_sales_by_channel",
        "monthly_customer_health",
        "revenue_by_rfm_segment",
        "cohort_retention_curve",
    ],
)
def test_saved_queries_answer(mf_env: dict[str, str], tmp_path: Path, saved_query: str) -> None:
    answer = _query(mf_env, tmp_path, "--saved-query", saved_query)
    assert len(answer) > 0
    assert answer.select_dtypes("number").notna().any().all()
