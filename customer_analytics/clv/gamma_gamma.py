"""Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005, "RFM and CLV").

The value of each transaction is Gamma(p, nu) with nu ~ Gamma(q, gamma) across
customers; the customer's mean value over x repeat purchase days, m, is sufficient.
Fitted on repeat buyers (x > 0) with a positive mean value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.special import digamma, gammaln

from customer_analytics.clv.common import (
    LIMIT_CAP,
    FitResult,
    minimise_log_params,
    not_fitted,
    pull_back_limit,
)

MODEL = "gamma_gamma"
PARAMETERS: tuple[str, ...] = ("p", "q", "gamma")
MIN_CUSTOMERS = 5


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float


def gamma_gamma_log_likelihood(
    params: GammaGammaParams | np.ndarray, frequency: np.ndarray, monetary_value: np.ndarray
) -> tuple[float, np.ndarray]:
    """Total log-likelihood of the mean spends and its gradient with respect to (p, q, gamma).

    Per customer: lnG(px+q) - lnG(px) - lnG(q) + q ln gamma + (px-1) ln m + px ln x
    - (px+q) ln(gamma + m x). Only rows with x > 0 and m > 0 may be passed.
    """
    if isinstance(params, GammaGammaParams):
        params = np.array([params.p, params.q, params.gamma], dtype=float)
    x, m = np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
    distinct_x, x_index = np.unique(x, return_inverse=True)
    return _log_likelihood(np.asarray(params, dtype=float), x, m, distinct_x, x_index)


def _log_likelihood(
    params: np.ndarray,
    x: np.ndarray,
    m: np.ndarray,
    distinct_x: np.ndarray,
    x_index: np.ndarray,
) -> tuple[float, np.ndarray]:
    """The log-likelihood with the special functions evaluated once per distinct x."""
    p, q, gamma = params
    pdx = p * distinct_x
    px = p * x
    log_total = np.log(gamma + m * x)
    log_m = np.log(m)
    by_x = (gammaln(pdx + q) - gammaln(pdx) - gammaln(q) + pdx * np.log(distinct_x))[x_index]
    per_customer = by_x + q * np.log(gamma) + (px - 1) * log_m - (px + q) * log_total
    psi_pxq = digamma(pdx + q)[x_index]
    d_p = x * ((psi_pxq - digamma(pdx)[x_index]) + np.log(x) + log_m - log_total)
    d_q = psi_pxq - digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + m * x)
    gradient = np.array([np.sum(d_p), np.sum(d_q), np.sum(d_gamma)])
    return float(np.sum(per_customer)), gradient


def fit_gamma_gamma(
    frequency: np.ndarray, monetary_value: np.ndarray, time_unit: str = "day"
) -> FitResult:
    """Maximum-likelihood Gamma-Gamma fit on repeat buyers with a positive mean spend.

    Customers with x = 0 carry no spend information beyond the first purchase and those
    with a non-positive mean (fully refunded) break the model: both are left out, and
    `extra` says how many. Spend is rescaled internally by its median; gamma is reported
    in the currency unit. q <= 1 (infinite mean spend) counts as not converged.
    """
    x, m = np.asarray(frequency, dtype=float), np.asarray(monetary_value, dtype=float)
    usable = (x > 0) & np.isfinite(m) & (m > 0)
    n = int(np.sum(usable))
    extra = {
        "left_out_one_time_buyers": float(np.sum(x == 0)),
        "left_out_non_positive_spend": float(np.sum((x > 0) & ~(m > 0))),
    }
    if n < MIN_CUSTOMERS:
        result = not_fitted(
            MODEL,
            n,
            f"too few repeat buyers with a positive spend: {n} (< {MIN_CUSTOMERS})",
            time_unit,
        )
        return replace(result, extra=extra)
    x, m = x[usable], m[usable]
    # Sorted, so that the sums (and the estimates, to the last digit) do not depend on
    # the order the rows arrive in.
    order = np.lexsort((m, x))
    x, m = x[order], m[order]
    scale = float(np.median(m))
    ms = m / scale

    distinct_x, x_index = np.unique(x, return_inverse=True)

    def negative_ll(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = _log_likelihood(params, x, ms, distinct_x, x_index)
        return -value / n, -gradient * params / n

    starts = [np.log([1.0, 2.0, 1.0]), np.log([3.0, 5.0, 3.0]), np.log([0.5, 1.5, 0.5])]
    log_params, _, converged, message = minimise_log_params(negative_ll, starts, PARAMETERS)
    params = np.exp(log_params)
    params[2] *= scale
    # A shape above LIMIT_CAP is the limit for every practical purpose (whether or not
    # the search reached its bound), and beyond it the special functions lose accuracy.
    # q and gamma together: every customer has the same spend rate nu = q / gamma.
    pulled = pull_back_limit(params, [((1,), (1, 2))])
    if message.startswith("limit:"):
        message = f"{message}: a limit of Gamma-Gamma (a mixing distribution without spread)"
    if not np.array_equal(pulled, params):
        message += f"; estimates pulled back along the limit to shapes of {LIMIT_CAP:g}"
    params = pulled
    log_likelihood, _ = gamma_gamma_log_likelihood(params, x, m)
    if converged and params[1] <= 1:
        converged, message = False, f"q = {params[1]:.3f} <= 1: the mean spend is unbounded"
    return FitResult(
        MODEL,
        dict(zip(PARAMETERS, (float(value) for value in params), strict=True)),
        float(log_likelihood),
        n,
        converged and bool(np.isfinite(log_likelihood)),
        message if converged else f"Gamma-Gamma fit did not converge: {message}",
        time_unit,
        extra,
    )


def gamma_gamma_conditional_expected_spend(
    params: GammaGammaParams, frequency: np.ndarray, monetary_value: np.ndarray
) -> np.ndarray:
    """E[spend per purchase day | x, m] = (p (gamma + x m)) / (p x + q - 1).

    For x = 0 (or no usable mean) this is the population mean p gamma / (q - 1).
    """
    x = np.asarray(frequency, dtype=float)
    m = np.nan_to_num(np.asarray(monetary_value, dtype=float), nan=0.0)
    x = np.where(m > 0, x, 0.0)
    m = np.where(m > 0, m, 0.0)
    return params.p * (params.gamma + x * m) / (params.p * x + params.q - 1)
