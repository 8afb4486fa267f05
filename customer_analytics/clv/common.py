"""Shared pieces of the CLV models: the fit result, the optimiser and input validation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize

REQUIRED_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "frequency",
    "recency",
    "t",
    "monetary_value",
    "as_of_date",
)


@dataclass(frozen=True)
class FitResult:
    """Outcome of one maximum-likelihood fit.

    `params` maps parameter name to value (empty when the fit was not attempted);
    `converged` is False when there was too little data or the optimiser failed, and
    `message` then says why, so callers can fall back to the simple estimates.
    """

    model: str
    params: dict[str, float]
    log_likelihood: float
    n_customers: int
    converged: bool
    message: str
    time_unit: str = "day"
    extra: dict[str, float] = field(default_factory=dict)


def not_fitted(model: str, n_customers: int, message: str, time_unit: str) -> FitResult:
    """A FitResult for a fit that could not be attempted or did not converge."""
    return FitResult(model, {}, float("nan"), n_customers, False, message, time_unit)


# Search bounds of the log-parameters, and the largest gradient (of the mean negative
# log-likelihood, per log-parameter) at a bound that still counts as a flat limit.
LOG_BOUND = 12.0
FLAT_GRADIENT = 1e-3
# Parameters that ran off to a limit are pulled back along the limit to at most this
# value, where the model's special functions are still accurate.
LIMIT_CAP = 1e4


def minimise_log_params(
    negative_ll: Callable[[np.ndarray], tuple[float, np.ndarray]],
    starts: Sequence[np.ndarray],
    names: Sequence[str] | None = None,
) -> tuple[np.ndarray, float, bool, str]:
    """Minimise a negative log-likelihood over log-parameters with L-BFGS-B.

    `negative_ll(log_params)` returns the value and its gradient with respect to the
    log-parameters. Every start is tried (deterministic list); the best finite optimum
    wins; the search stops at the first start that converges. Returns (log_params,
    value, converged, message).

    An optimum on the search bound is a limit of the model when the likelihood is flat
    there (every gradient component below FLAT_GRADIENT): e.g. r and alpha growing
    together when every customer buys at the same rate. That counts as converged, and the
    message starts with "limit:" and names the parameters (the caller pulls them back
    with `pull_back_limit`). A bound reached while the likelihood still rises (a spike:
    identical values) is degenerate data and does not converge.
    """
    best: tuple[np.ndarray, float, bool, str] | None = None
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(starts[0])
    labels = list(names) if names is not None else [str(i) for i in range(len(starts[0]))]
    for start in starts:
        with np.errstate(all="ignore"):
            result = minimize(
                negative_ll,
                np.asarray(start, dtype=float),
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-6},
            )
        if not np.isfinite(result.fun):
            continue
        if best is None or result.fun < best[1]:
            on_bound = np.abs(result.x) >= LOG_BOUND - 0.01
            converged = bool(result.success) and not on_bound.any()
            message = str(result.message)
            if on_bound.any():
                with np.errstate(all="ignore"):
                    _, gradient = negative_ll(result.x)
                at_bound = [label for label, hit in zip(labels, on_bound, strict=True) if hit]
                if bool(result.success) and np.all(np.abs(gradient) < FLAT_GRADIENT):
                    converged = True
                    message = f"limit: {', '.join(at_bound)} at the search bound, likelihood flat"
                else:
                    message = (
                        f"{', '.join(at_bound)} ran to the bound of the search while the "
                        "likelihood still rose (degenerate data)"
                    )
            best = (result.x, float(result.fun), converged, message)
        if best is not None and best[2]:
            break
    if best is None:
        return np.asarray(starts[0], dtype=float), float("nan"), False, "likelihood not finite"
    return best


def pull_back_limit(
    params: np.ndarray,
    groups: Sequence[tuple[Sequence[int], Sequence[int]]],
    cap: float = LIMIT_CAP,
) -> np.ndarray:
    """Scale each group of parameters that grew together until its shapes are <= `cap`.

    A group is (shape indices, indices scaled together). Along a limit the data fix a
    ratio (r / alpha, the common purchase rate; a / (a + b), the common dropout
    probability; q / gamma), which the scaling keeps; with a shape of `cap` the mixing
    distribution's spread is 1 / sqrt(cap) of its mean, so the model is within about 1 %
    of the limit while its special functions stay accurate.
    """
    pulled = np.asarray(params, dtype=float).copy()
    for shapes, scaled in groups:
        largest = float(np.max(pulled[list(shapes)]))
        if largest > cap:
            pulled[list(scaled)] *= cap / largest
    return pulled


def validate_inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """Check the per-customer CLV inputs and return them with float columns.

    Raises ValueError with a message that says what to fix: missing columns, duplicate
    customer ids, more than one as-of date, negative or non-integer counts, recency
    greater than T, a repeat buyer without a monetary value.
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(
            f"CLV inputs lack column(s) {missing}; expected {list(REQUIRED_COLUMNS)} "
            "(one row per customer, as built by int_customer_clv_inputs)"
        )
    if frame["customer_id"].isna().any():
        raise ValueError("CLV inputs have a null customer_id; drop anonymous rows first")
    duplicated = frame["customer_id"][frame["customer_id"].duplicated()]
    if len(duplicated):
        raise ValueError(
            f"CLV inputs must have one row per customer; duplicated ids: "
            f"{duplicated.head(5).tolist()}"
        )
    as_of_dates = frame["as_of_date"].dropna().unique()
    if len(frame) and (len(as_of_dates) != 1 or frame["as_of_date"].isna().any()):
        raise ValueError(
            f"CLV inputs must share one as-of date; found {len(as_of_dates)} distinct "
            "value(s) and/or nulls"
        )
    clean = frame.copy()
    for column in ("frequency", "recency", "t"):
        values = pd.to_numeric(clean[column], errors="coerce")
        if values.isna().any() or (values < 0).any():
            raise ValueError(f"CLV input `{column}` must be a non-negative number on every row")
        clean[column] = values.astype(float)
    if (clean["frequency"] != np.floor(clean["frequency"])).any():
        raise ValueError("CLV input `frequency` must be a whole number of repeat purchase days")
    if (clean["recency"] > clean["t"]).any():
        raise ValueError("CLV input `recency` (last - first purchase) exceeds `t` on some rows")
    if ((clean["frequency"] == 0) & (clean["recency"] != 0)).any():
        raise ValueError("CLV input `recency` must be 0 when `frequency` is 0")
    clean["monetary_value"] = pd.to_numeric(clean["monetary_value"], errors="coerce").astype(float)
    if ((clean["frequency"] > 0) & clean["monetary_value"].isna()).any():
        raise ValueError("CLV input `monetary_value` is null for a repeat buyer")
    return clean
