"""Backtest of the CLV and churn predictions: calibrate up to one date, compare with what
happened in the holdout that follows.

Pure pandas / numpy functions; `scripts/backtest.py` runs the two dbt builds (as of the
calibration end and as of the holdout end) and calls these. A purchase is a purchase day
(orders of one customer on one day count as one), as in the CLV inputs; revenue is the
net value of the placed orders in the reporting currency.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from customer_analytics.clv.bgnbd import PARAMETERS as BGNBD_PARAMETERS
from customer_analytics.clv.bgnbd import BgNbdParams, bgnbd_conditional_expected_purchases

FREQUENCY_CAP = 7
BACKTEST_TYPES: dict[str, str] = {
    "customer_id": "varchar",
    "calibration_end": "date",
    "holdout_end": "date",
    "frequency_calibration": "integer",
    "recency_days_calibration": "integer",
    "predicted_purchases": "double",
    "actual_purchases": "integer",
    "predicted_revenue_reporting": "decimal(18, 2)",
    "actual_revenue_reporting": "decimal(18, 2)",
    "churn_probability": "double",
    "is_churned_actual": "boolean",
}
BACKTEST_COLUMNS: tuple[str, ...] = tuple(BACKTEST_TYPES)


def validate_period(calibration_end: dt.date, holdout_end: dt.date) -> int:
    """Days in the holdout (calibration_end, holdout_end]; raises when they are not ordered."""
    if holdout_end <= calibration_end:
        raise ValueError(
            f"holdout end {holdout_end} must be after calibration end {calibration_end}"
        )
    return (holdout_end - calibration_end).days


def link_customers(calibration_orders: pd.DataFrame, holdout_orders: pd.DataFrame) -> pd.DataFrame:
    """Map each customer_id of the holdout build to one of the calibration build.

    Identity resolution sees more data as of the holdout end, so two calibration customers
    can merge into one; they are linked through the orders both builds hold (order_id,
    customer_id in each frame): a holdout customer goes to the calibration customer with
    most shared orders (ties: the smallest id). Customers with no calibration order are new
    in the holdout and have no link.
    """
    shared = holdout_orders[["order_id", "customer_id"]].merge(
        calibration_orders[["order_id", "customer_id"]],
        on="order_id",
        suffixes=("_holdout", "_calibration"),
    )
    counts = (
        shared.groupby(["customer_id_holdout", "customer_id_calibration"])
        .size()
        .rename("shared_orders")
        .reset_index()
        .sort_values(
            ["customer_id_holdout", "shared_orders", "customer_id_calibration"],
            ascending=[True, False, True],
        )
    )
    best = counts.drop_duplicates("customer_id_holdout")
    return pd.DataFrame(
        {
            "holdout_customer_id": best["customer_id_holdout"].to_numpy(),
            "customer_id": best["customer_id_calibration"].to_numpy(),
        }
    )


def holdout_actuals(
    holdout_orders: pd.DataFrame,
    links: pd.DataFrame,
    calibration_end: dt.date,
    holdout_end: dt.date,
) -> pd.DataFrame:
    """Per calibration customer: purchase days and net revenue in (calibration_end,
    holdout_end].

    `holdout_orders` has customer_id (of the holdout build), order_date and
    net_total_reporting, one row per placed order; `links` is `link_customers`. Raises when
    no order falls in the holdout: there is nothing to compare with.
    """
    dates = pd.to_datetime(holdout_orders["order_date"]).dt.date
    in_holdout = ((dates > calibration_end) & (dates <= holdout_end)).to_numpy(bool)
    if not in_holdout.any():
        raise ValueError(f"no placed order in the holdout ({calibration_end}, {holdout_end}]")
    inside = holdout_orders.loc[in_holdout].assign(purchase_date=dates.loc[in_holdout])
    linked = inside.rename(columns={"customer_id": "holdout_customer_id"}).merge(
        links, on="holdout_customer_id", how="inner"
    )
    grouped = linked.groupby("customer_id")
    return pd.DataFrame(
        {
            "actual_purchases": grouped["purchase_date"].nunique(),
            "actual_revenue_reporting": grouped["net_total_reporting"].sum().astype(float),
        }
    ).reset_index()


def fitted_bgnbd(params: pd.DataFrame) -> BgNbdParams | None:
    """The converged BG/NBD parameters of a clv_model_params table, or None."""
    rows = params[params["model"] == "bg_nbd"]
    if (
        len(rows) != len(BGNBD_PARAMETERS)
        or not rows["is_converged"].astype(bool).all()
        or rows["value"].isna().any()
    ):
        return None
    return BgNbdParams(**dict(zip(rows["parameter"], rows["value"].astype(float), strict=True)))


def predicted_purchases(clv: pd.DataFrame, params: pd.DataFrame, horizon_days: int) -> np.ndarray:
    """Expected purchase days of each customer in the holdout.

    BG/NBD conditional expectation over the holdout length when the fit converged, else
    the 365-day expectation of customer_clv (the simple estimate) scaled to the holdout.
    """
    bgnbd = fitted_bgnbd(params)
    if bgnbd is None:
        return clv["expected_purchases_365d"].to_numpy(float) * horizon_days / 365.0
    x, t_x, big_t = (clv[column].to_numpy(float) for column in ("frequency", "recency", "t"))
    return bgnbd_conditional_expected_purchases(bgnbd, float(horizon_days), x, t_x, big_t)


def assemble_backtest(
    clv: pd.DataFrame,
    params: pd.DataFrame,
    churn: pd.DataFrame,
    actuals: pd.DataFrame,
    calibration_end: dt.date,
    holdout_end: dt.date,
) -> pd.DataFrame:
    """One row per calibration customer (every row of customer_clv): predictions and
    outcomes. Customers first seen in the holdout are not part of it."""
    horizon_days = validate_period(calibration_end, holdout_end)
    table = clv[["customer_id", "frequency", "recency", "t", "expected_avg_order_value"]].copy()
    table["predicted_purchases"] = predicted_purchases(clv, params, horizon_days)
    table = table.merge(actuals, on="customer_id", how="left").merge(
        churn[["customer_id", "churn_probability"]], on="customer_id", how="left"
    )
    table["actual_purchases"] = table["actual_purchases"].fillna(0).astype(int)
    table["actual_revenue_reporting"] = table["actual_revenue_reporting"].fillna(0.0)
    table["predicted_revenue_reporting"] = table["predicted_purchases"] * table[
        "expected_avg_order_value"
    ].astype(float)
    return pd.DataFrame(
        {
            "customer_id": table["customer_id"],
            "calibration_end": calibration_end,
            "holdout_end": holdout_end,
            "frequency_calibration": table["frequency"].astype(int),
            "recency_days_calibration": (table["t"] - table["recency"]).astype(int),
            "predicted_purchases": table["predicted_purchases"].astype(float),
            "actual_purchases": table["actual_purchases"],
            "predicted_revenue_reporting": table["predicted_revenue_reporting"].astype(float),
            "actual_revenue_reporting": table["actual_revenue_reporting"].astype(float),
            "churn_probability": table["churn_probability"].astype(float),
            "is_churned_actual": table["actual_purchases"] == 0,
        },
        columns=list(BACKTEST_COLUMNS),
    )


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties 1/2.

    NaN when one class is missing.
    """
    y = np.asarray(labels, dtype=bool)
    s = np.asarray(scores, dtype=float)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    return float(roc_auc_score(y, s))


def by_frequency(table: pd.DataFrame, cap: int = FREQUENCY_CAP) -> pd.DataFrame:
    """Mean predicted and actual holdout purchases by calibration frequency 0..cap (cap+)."""
    bucket = table["frequency_calibration"].clip(upper=cap)
    grouped = table.groupby(bucket)
    frame = pd.DataFrame(
        {
            "customers": grouped.size(),
            "predicted_purchases": grouped["predicted_purchases"].mean(),
            "actual_purchases": grouped["actual_purchases"].mean(),
        }
    ).reindex(range(cap + 1))
    frame["customers"] = frame["customers"].fillna(0).astype(int)
    frame.index = [f"{value}+" if value == cap else str(value) for value in frame.index]
    frame.index.name = "frequency_calibration"
    return frame.reset_index()


def summarise(table: pd.DataFrame) -> dict[str, float]:
    """Totals, mean absolute errors and churn ROC AUC (model vs recency alone)."""
    churned = table["is_churned_actual"].to_numpy(bool)
    scored = table["churn_probability"].notna().to_numpy()
    return {
        "customers": float(len(table)),
        "predicted_purchases": float(table["predicted_purchases"].sum()),
        "actual_purchases": float(table["actual_purchases"].sum()),
        "purchases_mae": float(
            (table["predicted_purchases"] - table["actual_purchases"]).abs().mean()
        ),
        "predicted_revenue_reporting": float(table["predicted_revenue_reporting"].sum()),
        "actual_revenue_reporting": float(table["actual_revenue_reporting"].sum()),
        "revenue_mae": float(
            (table["predicted_revenue_reporting"] - table["actual_revenue_reporting"]).abs().mean()
        ),
        "churn_rate": float(churned.mean()),
        "churn_auc_model": roc_auc(
            churned[scored], table["churn_probability"].to_numpy(float)[scored]
        ),
        "churn_auc_recency": roc_auc(churned, table["recency_days_calibration"].to_numpy(float)),
    }


def format_summary(summary: dict[str, float], frequency: pd.DataFrame) -> str:
    """The printed summary: totals, errors, churn AUCs and the frequency table."""
    lines = [
        f"customers at calibration end: {summary['customers']:.0f}",
        f"repeat purchase days: predicted {summary['predicted_purchases']:.1f}, "
        f"actual {summary['actual_purchases']:.0f}, MAE per customer "
        f"{summary['purchases_mae']:.3f}",
        f"revenue (reporting currency): predicted {summary['predicted_revenue_reporting']:.2f}, "
        f"actual {summary['actual_revenue_reporting']:.2f}, MAE per customer "
        f"{summary['revenue_mae']:.2f}",
        f"churned in holdout (no purchase): {summary['churn_rate']:.3f}",
        f"churn ROC AUC: model {summary['churn_auc_model']:.3f}, "
        f"recency alone {summary['churn_auc_recency']:.3f}",
        "",
        frequency.to_string(index=False, float_format=lambda value: f"{value:.3f}"),
    ]
    return "\n".join(lines)


def plot_by_frequency(frequency: pd.DataFrame, title: str, path: Path) -> Path:
    """Bar chart of mean actual vs predicted holdout purchases by calibration frequency."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    positions = np.arange(len(frequency))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.bar(positions - 0.2, frequency["actual_purchases"], width=0.4, label="actual")
    ax.bar(positions + 0.2, frequency["predicted_purchases"], width=0.4, label="predicted")
    ax.set_xticks(positions, frequency["frequency_calibration"])
    ax.set_xlabel("repeat purchase days in calibration")
    ax.set_ylabel("mean purchase days in holdout")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
