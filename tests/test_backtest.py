"""The CLV backtest: pure functions on small frames with hand-computed values, and one
end-to-end run of scripts/backtest.py on the test sample's raw files."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1

from customer_analytics.backtest import (
    BACKTEST_COLUMNS,
    assemble_backtest,
    by_frequency,
    holdout_actuals,
    link_customers,
    predicted_purchases,
    roc_auc,
    summarise,
    validate_period,
)

ROOT = Path(__file__).resolve().parents[1]
CAL = dt.date(2025, 6, 30)
HOLD = dt.date(2025, 12, 31)


def params_table(values: dict[str, float], converged: bool = True) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "model": "bg_nbd",
            "parameter": list(values),
            "value": list(values.values()),
            "is_converged": converged,
        }
    )


def test_validate_period_counts_holdout_days_and_rejects_reversed_dates() -> None:
    assert validate_period(CAL, HOLD) == 184
    with pytest.raises(ValueError, match="must be after"):
        validate_period(HOLD, CAL)
    with pytest.raises(ValueError, match="must be after"):
        validate_period(CAL, CAL)


def test_link_customers_follows_most_shared_orders_and_drops_new_customers() -> None:
    calibration = pd.DataFrame(
        {"order_id": ["o1", "o2", "o3"], "customer_id": ["cus_a", "cus_a", "cus_b"]}
    )
    holdout = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5"],
            "customer_id": ["cus_x", "cus_x", "cus_x", "cus_x", "cus_new"],
        }
    )
    links = link_customers(calibration, holdout)
    assert links.to_dict("records") == [{"holdout_customer_id": "cus_x", "customer_id": "cus_a"}]


def test_holdout_actuals_counts_purchase_days_inside_the_holdout_only() -> None:
    orders = pd.DataFrame(
        {
            "customer_id": ["cus_x", "cus_x", "cus_x", "cus_x", "cus_x", "cus_new"],
            "order_date": pd.to_datetime(
                ["2025-06-30", "2025-07-01", "2025-07-01", "2025-07-05", "2026-01-01", "2025-08-01"]
            ),
            "net_total_reporting": [1000.0, 10.0, 20.0, 5.5, 1000.0, 99.0],
        }
    )
    links = pd.DataFrame({"holdout_customer_id": ["cus_x"], "customer_id": ["cus_a"]})
    actuals = holdout_actuals(orders, links, CAL, HOLD)
    assert actuals.to_dict("records") == [
        {"customer_id": "cus_a", "actual_purchases": 2, "actual_revenue_reporting": 35.5}
    ]
    with pytest.raises(ValueError, match="no placed order in the holdout"):
        holdout_actuals(orders, links, dt.date(2026, 1, 1), dt.date(2026, 3, 1))


def test_predicted_purchases_matches_the_bgnbd_formula_and_falls_back_to_the_simple_rate() -> None:
    values = {"r": 0.5, "alpha": 20.0, "a": 2.0, "b": 3.0}
    clv = pd.DataFrame(
        {"frequency": [0], "recency": [0], "t": [100], "expected_purchases_365d": [3.65]}
    )
    # One-time buyer (P(alive) = 1): ((a+b-1)/(a-1)) (1 - ((alpha+T)/(alpha+T+h))^r
    # 2F1(r, b; a+b-1; h/(alpha+T+h))), FHL 2005 eq. 10, written out here.
    h, big_t = 184.0, 100.0
    z = h / (20.0 + big_t + h)
    expected = 4.0 * (1 - ((20.0 + big_t) / (20.0 + big_t + h)) ** 0.5 * hyp2f1(0.5, 3.0, 4.0, z))
    assert predicted_purchases(clv, params_table(values), 184)[0] == pytest.approx(expected, 1e-9)
    fallback = predicted_purchases(clv, params_table(values, converged=False), 184)
    assert fallback[0] == pytest.approx(3.65 * 184 / 365)


def test_assemble_backtest_one_row_per_calibration_customer() -> None:
    clv = pd.DataFrame(
        {
            "customer_id": ["cus_a", "cus_b"],
            "frequency": [3, 0],
            "recency": [50, 0],
            "t": [200, 10],
            "expected_avg_order_value": [40.0, 25.0],
            "expected_purchases_365d": [3.65, 7.3],
        }
    )
    params = params_table({"r": 0.5, "alpha": 20.0, "a": 2.0, "b": 3.0}, converged=False)
    churn = pd.DataFrame({"customer_id": ["cus_a", "cus_b"], "churn_probability": [0.2, 0.7]})
    actuals = pd.DataFrame(
        {"customer_id": ["cus_a"], "actual_purchases": [2], "actual_revenue_reporting": [90.0]}
    )
    table = assemble_backtest(clv, params, churn, actuals, CAL, HOLD)
    assert list(table.columns) == list(BACKTEST_COLUMNS)
    rows = table.set_index("customer_id")
    assert rows.loc["cus_a", "predicted_purchases"] == pytest.approx(1.84)
    assert rows.loc["cus_a", "predicted_revenue_reporting"] == pytest.approx(73.6)
    assert rows.loc["cus_b", "predicted_purchases"] == pytest.approx(3.68)
    assert rows["actual_purchases"].tolist() == [2, 0]
    assert rows["actual_revenue_reporting"].tolist() == [90.0, 0.0]
    assert rows["is_churned_actual"].tolist() == [False, True]
    assert rows["recency_days_calibration"].tolist() == [150, 10]
    assert rows["frequency_calibration"].tolist() == [3, 0]


def test_roc_auc_counts_ordered_pairs_with_half_for_ties() -> None:
    assert roc_auc(np.array([1, 1, 0, 0]), np.array([0.9, 0.4, 0.5, 0.1])) == 0.75
    assert roc_auc(np.array([1, 0]), np.array([0.5, 0.5])) == 0.5
    assert roc_auc(np.array([1, 1, 0]), np.array([0.1, 0.2, 0.9])) == 0.0
    assert math.isnan(roc_auc(np.array([1, 1]), np.array([0.1, 0.2])))


def test_by_frequency_caps_and_keeps_empty_buckets() -> None:
    table = pd.DataFrame(
        {
            "frequency_calibration": [0, 0, 3, 5],
            "predicted_purchases": [1.0, 2.0, 3.0, 5.0],
            "actual_purchases": [0, 1, 4, 2],
        }
    )
    frame = by_frequency(table, cap=2)
    assert frame["frequency_calibration"].tolist() == ["0", "1", "2+"]
    assert frame["customers"].tolist() == [2, 0, 2]
    assert frame["predicted_purchases"].tolist()[::2] == [1.5, 4.0]
    assert frame["actual_purchases"].tolist()[::2] == [0.5, 3.0]


def test_summarise_totals_errors_and_aucs() -> None:
    table = pd.DataFrame(
        {
            "recency_days_calibration": [10, 300, 20, 200],
            "predicted_purchases": [2.0, 0.5, 1.0, 0.0],
            "actual_purchases": [3, 0, 0, 0],
            "predicted_revenue_reporting": [20.0, 5.0, 10.0, 0.0],
            "actual_revenue_reporting": [30.0, 0.0, 0.0, 0.0],
            "churn_probability": [0.1, 0.8, 0.9, None],
            "is_churned_actual": [False, True, True, True],
        }
    )
    summary = summarise(table)
    assert summary["predicted_purchases"] == 3.5
    assert summary["actual_purchases"] == 3.0
    assert summary["purchases_mae"] == pytest.approx((1 + 0.5 + 1 + 0) / 4)
    assert summary["revenue_mae"] == pytest.approx((10 + 5 + 10 + 0) / 4)
    assert summary["churn_rate"] == 0.75
    assert summary["churn_auc_model"] == 1.0
    assert summary["churn_auc_recency"] == 1.0


def load_script():  # noqa: ANN201 - a module object
    spec = importlib.util.spec_from_file_location(
        "backtest_script", ROOT / "scripts" / "backtest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_rejects_reversed_dates(build, tmp_path: Path) -> None:
    script = load_script()
    with pytest.raises(SystemExit):
        script.main(
            [
                "--calibration-end",
                "2025-12-31",
                "--holdout-end",
                "2025-06-30",
                "--raw-dir",
                str(build.raw_dir),
                "--out",
                str(tmp_path),
            ]
        )


def test_backtest_end_to_end_on_the_test_sample(build, tmp_path: Path) -> None:
    script = load_script()
    code = script.main(
        [
            "--calibration-end",
            CAL.isoformat(),
            "--holdout-end",
            HOLD.isoformat(),
            "--raw-dir",
            str(build.raw_dir),
            "--out",
            str(tmp_path),
            "--skip-tests",
            "--quiet",
        ]
    )
    assert code == 0
    assert (tmp_path / "by_frequency.png").stat().st_size > 0
    with duckdb.connect(str(tmp_path / "calibration.duckdb"), read_only=True) as con:
        table = con.sql("select * from marts.clv_backtest").df()
        clv_ids = con.sql("select customer_id from marts.customer_clv").df()["customer_id"]
    # Independent: the full warehouse's orders, counted in pandas, for the customers whose
    # identity is the same in the full warehouse and the calibration build.
    with build.connect() as con:
        orders = con.sql("select customer_id, order_date, is_placed from marts.fct_orders").df()
    assert table["customer_id"].is_unique
    assert set(table["customer_id"]) == set(clv_ids)
    assert (table["calibration_end"].astype(str) == CAL.isoformat()).all()
    dates = pd.to_datetime(orders["order_date"]).dt.date
    placed = orders[orders["is_placed"].astype(bool)]
    before = placed[dates[placed.index] <= CAL]
    inside = placed[(dates[placed.index] > CAL) & (dates[placed.index] <= HOLD)]
    expected = inside.groupby("customer_id")["order_date"].nunique()
    same = table[table["customer_id"].isin(set(before["customer_id"]))].set_index("customer_id")
    assert len(same) > 0.9 * len(table)
    actual = same["actual_purchases"]
    matches = actual == expected.reindex(actual.index).fillna(0).astype(int)
    assert matches.mean() > 0.97
    assert ((table["actual_purchases"] == 0) == table["is_churned_actual"]).all()
    assert table["predicted_purchases"].ge(0).all()
