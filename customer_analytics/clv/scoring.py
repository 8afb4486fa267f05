"""Fit both CLV models on the per-customer inputs and score every customer.

Definitions (doc blocks of `models/marts/value`): time in days; the horizon is 365 days;
expected purchases and spend are discounted monthly at an annual rate; the expected next
order date is the first day on which the customer's expected number of purchases after
the as-of date reaches one (null when that takes longer than a cap). When a fit did not
converge the simple estimates stand in and `model_status` says so.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from customer_analytics.clv.bgnbd import PARAMETERS as BGNBD_PARAMETERS
from customer_analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_p_alive,
    fit_bgnbd,
)
from customer_analytics.clv.common import FitResult, validate_inputs
from customer_analytics.clv.gamma_gamma import PARAMETERS as GAMMA_GAMMA_PARAMETERS
from customer_analytics.clv.gamma_gamma import (
    GammaGammaParams,
    fit_gamma_gamma,
    gamma_gamma_conditional_expected_spend,
)

HORIZON_DAYS = 365
DISCOUNT_STEPS = 12
TIME_UNIT = "day"
PARAMS_COLUMNS: tuple[str, ...] = (
    "model",
    "parameter",
    "value",
    "time_unit",
    "log_likelihood",
    "n_customers",
    "is_converged",
    "fit_message",
    "as_of_date",
)


def fit_clv_models(inputs: pd.DataFrame) -> tuple[FitResult, FitResult]:
    """Fit BG/NBD on every customer and Gamma-Gamma on repeat buyers with positive spend."""
    clean = validate_inputs(inputs)
    bgnbd = fit_bgnbd(clean["frequency"], clean["recency"], clean["t"], TIME_UNIT)
    gamma_gamma = fit_gamma_gamma(clean["frequency"], clean["monetary_value"], TIME_UNIT)
    return bgnbd, gamma_gamma


def params_frame(results: tuple[FitResult, ...], as_of_date: dt.date | None) -> pd.DataFrame:
    """One row per model parameter; a model that was not fitted keeps its rows, value null."""
    names = {"bg_nbd": BGNBD_PARAMETERS, "gamma_gamma": GAMMA_GAMMA_PARAMETERS}
    rows = [
        {
            "model": result.model,
            "parameter": parameter,
            "value": result.params.get(parameter, np.nan),
            "time_unit": result.time_unit,
            "log_likelihood": result.log_likelihood,
            "n_customers": result.n_customers,
            "is_converged": result.converged,
            "fit_message": result.message,
            "as_of_date": as_of_date,
        }
        for result in results
        for parameter in names[result.model]
    ]
    return pd.DataFrame(rows, columns=list(PARAMS_COLUMNS))


def _fitted(params: pd.DataFrame, model: str) -> dict[str, float] | None:
    rows = params[params["model"] == model]
    if rows.empty or not rows["is_converged"].astype(bool).all() or rows["value"].isna().any():
        return None
    return dict(zip(rows["parameter"], rows["value"].astype(float), strict=True))


def discounted_expected_value(
    expected_purchases_by_step: np.ndarray, spend: np.ndarray, annual_rate: float
) -> np.ndarray:
    """Sum over steps of (purchases in the step) x spend / (1 + rate)^(step end in years).

    `expected_purchases_by_step` is cumulative, shape (steps, customers), for step ends
    evenly spread over the horizon.
    """
    steps = expected_purchases_by_step.shape[0]
    increments = np.diff(expected_purchases_by_step, axis=0, prepend=0.0)
    years = np.arange(1, steps + 1) * HORIZON_DAYS / steps / 365.0
    factors = (1.0 + annual_rate) ** -years
    return spend * (factors[:, None] * increments).sum(axis=0)


def expected_next_order_days(
    params: BgNbdParams,
    frequency: np.ndarray,
    recency: np.ndarray,
    t: np.ndarray,
    max_days: int,
) -> np.ndarray:
    """Days after the as-of date until expected purchases reach one (NaN beyond max_days).

    Expected purchases grow with the horizon, so an integer bisection per customer
    (vectorised, about log2(max_days) steps) finds the first whole day.
    """
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, t))
    reach = bgnbd_conditional_expected_purchases(params, float(max_days), x, t_x, big_t) >= 1
    low = np.zeros(x.size)
    high = np.full(x.size, float(max_days))
    idx = np.flatnonzero(reach)
    while idx.size:
        mid = np.floor((low[idx] + high[idx]) / 2)
        enough = (
            bgnbd_conditional_expected_purchases(params, mid, x[idx], t_x[idx], big_t[idx]) >= 1
        )
        high[idx] = np.where(enough, mid, high[idx])
        low[idx] = np.where(enough, low[idx], mid)
        idx = idx[high[idx] - low[idx] > 1]
    return np.where(reach, high, np.nan)


def score_customers(
    inputs: pd.DataFrame,
    params: pd.DataFrame,
    discount_rate: float,
    next_order_max_days: int,
) -> pd.DataFrame:
    """Per customer: P(alive), expected purchases and spend, discounted CLV, next order.

    `inputs` are the rows of int_customer_clv_inputs (they also carry the simple
    estimates `simple_purchases_per_year` and `avg_purchase_day_value_reporting` used when
    a fit did not converge); `params` is the clv_model_params table.
    """
    clean = validate_inputs(inputs)
    x, t_x, big_t = (clean[c].to_numpy(float) for c in ("frequency", "recency", "t"))
    bgnbd, gamma_gamma = _fitted(params, "bg_nbd"), _fitted(params, "gamma_gamma")
    scored = clean.copy()
    steps = np.arange(1, DISCOUNT_STEPS + 1) * HORIZON_DAYS / DISCOUNT_STEPS
    if bgnbd is not None:
        bg = BgNbdParams(**bgnbd)
        scored["p_alive"] = bgnbd_p_alive(bg, x, t_x, big_t)
        cumulative = np.vstack(
            [bgnbd_conditional_expected_purchases(bg, h, x, t_x, big_t) for h in steps]
        )
        next_days = expected_next_order_days(bg, x, t_x, big_t, next_order_max_days)
    else:
        scored["p_alive"] = np.nan
        rate = clean["simple_purchases_per_year"].to_numpy(float)
        cumulative = np.outer(steps / HORIZON_DAYS, rate)
        next_days = np.full(x.size, np.nan)
    scored["expected_purchases_365d"] = cumulative[-1]
    if gamma_gamma is not None:
        spend = gamma_gamma_conditional_expected_spend(
            GammaGammaParams(**gamma_gamma), x, clean["monetary_value"].to_numpy(float)
        )
    else:
        spend = clean["avg_purchase_day_value_reporting"].to_numpy(float)
    scored["expected_avg_order_value"] = spend
    scored["predicted_clv_365d"] = discounted_expected_value(cumulative, spend, discount_rate)
    as_of = pd.to_datetime(clean["as_of_date"])
    scored["expected_next_order_date"] = as_of + pd.to_timedelta(next_days, unit="D")
    scored["model_status"] = {
        (True, True): "fitted",
        (False, True): "simple_purchases",
        (True, False): "simple_spend",
        (False, False): "simple",
    }[(bgnbd is not None, gamma_gamma is not None)]
    return scored
