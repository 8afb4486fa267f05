"""BG/NBD outputs as churn features, each fitted on what is known at its feature date.

`int_churn_features` carries each buyer's BG/NBD inputs at each feature date
(`bgnbd_frequency`, `bgnbd_recency`, `bgnbd_t`: repeat purchase days, days from the first
to the last purchase day, days from the first purchase day to the feature date, the
definitions of `int_customer_clv_inputs`). For every feature date separately, a BG/NBD
model is fitted on the rows of that date only, so the training date's fit sees no order
after the training date; it gives P(alive) and the expected purchase days over the churn
horizon (the features), and the probability of no purchase in the horizon (the report's
BG/NBD baseline in probability form). When a date cannot be fitted (too little data, no
repeat buyers, no convergence) the features are left empty at every date, with a message,
and the churn model trains without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_p_alive,
    fit_bgnbd,
)

INPUT_COLUMNS: tuple[str, str, str] = ("bgnbd_frequency", "bgnbd_recency", "bgnbd_t")
BGNBD_FEATURES: list[str] = ["bgnbd_p_alive", "bgnbd_expected_purchases"]
NO_PURCHASE_COLUMN = "bgnbd_p_no_purchase"
OUTPUT_COLUMNS: list[str] = [*BGNBD_FEATURES, NO_PURCHASE_COLUMN]


def bgnbd_p_no_purchase(
    params: BgNbdParams,
    horizon: float,
    frequency: np.ndarray,
    recency: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """P(no purchase in (T, T + horizon] | x, t_x, T) under BG/NBD.

    A customer who has dropped out buys nothing; one still alive keeps the posterior rate
    lambda ~ Gamma(r + x, alpha + T) and cannot drop out without a purchase, so they buy
    nothing with probability ((alpha + T) / (alpha + T + horizon))^(r + x).
    """
    x, big_t = np.asarray(frequency, dtype=float), np.asarray(t, dtype=float)
    alive = bgnbd_p_alive(params, frequency, recency, t)
    silent = np.exp(
        (params.r + x) * np.log((params.alpha + big_t) / (params.alpha + big_t + horizon))
    )
    return 1.0 - alive + alive * silent


def bgnbd_outputs(frame: pd.DataFrame, horizon_days: int) -> tuple[pd.DataFrame | None, str]:
    """Fit BG/NBD on the rows of one feature date and return its outputs per row.

    Returns (outputs indexed like `frame`, message); outputs are None when the fit did
    not converge, and the message says why.
    """
    x, t_x, big_t = (frame[column].to_numpy(dtype=float) for column in INPUT_COLUMNS)
    fit = fit_bgnbd(x, t_x, big_t, "day")
    if not fit.converged:
        return None, fit.message
    params = BgNbdParams(**fit.params)
    outputs = pd.DataFrame(
        {
            "bgnbd_p_alive": bgnbd_p_alive(params, x, t_x, big_t),
            "bgnbd_expected_purchases": bgnbd_conditional_expected_purchases(
                params, float(horizon_days), x, t_x, big_t
            ),
            NO_PURCHASE_COLUMN: bgnbd_p_no_purchase(params, float(horizon_days), x, t_x, big_t),
        },
        index=frame.index,
    )
    shown = ", ".join(f"{name} {value:.3g}" for name, value in fit.params.items())
    return outputs, f"fitted on {fit.n_customers} customers ({shown})"


def add_bgnbd_features(features: pd.DataFrame, horizon_days: int) -> tuple[pd.DataFrame, str]:
    """Add the BG/NBD outputs to a feature frame, one fit per feature date.

    Each date's fit reads that date's rows only. If any date cannot be fitted, the
    outputs are null on every row (a feature known at one date only would mean something
    different at the other) and the message says which date failed and why.
    """
    missing = [column for column in (*INPUT_COLUMNS, "feature_date") if column not in features]
    if missing:
        raise ValueError(
            f"churn features lack the BG/NBD inputs {missing}; rebuild int_churn_features"
        )
    result = features.reset_index(drop=True)
    for column in OUTPUT_COLUMNS:
        result[column] = np.nan
    parts: list[str] = []
    failed: list[str] = []
    for feature_date, rows in result.groupby("feature_date", sort=True):
        day = pd.Timestamp(feature_date).date().isoformat()
        outputs, message = bgnbd_outputs(rows, horizon_days)
        if outputs is None:
            failed.append(f"{day}: {message}")
        else:
            result.loc[outputs.index, OUTPUT_COLUMNS] = outputs[OUTPUT_COLUMNS]
            parts.append(f"{day}: {message}")
    if failed:
        result[OUTPUT_COLUMNS] = np.nan
        return result, "BG/NBD features left out (" + "; ".join(failed) + ")"
    if not parts:
        return result, "BG/NBD features left out (no rows)"
    return result, "BG/NBD features " + "; ".join(parts)
