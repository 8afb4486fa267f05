"""BG/NBD model of repeat purchases (Fader, Hardie and Lee 2005, "Counting your
customers the easy way").

While alive a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
purchase they drop out with probability p ~ Beta(a, b). Per customer: x = frequency
(repeat purchase days), t_x = recency (last - first purchase day), T = age (as-of date -
first purchase day), all in the same time unit (the warehouse uses days).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, gammaln, hyp2f1

from customer_analytics.clv.common import (
    LIMIT_CAP,
    FitResult,
    minimise_log_params,
    not_fitted,
    pull_back_limit,
)

MODEL = "bg_nbd"
PARAMETERS: tuple[str, ...] = ("r", "alpha", "a", "b")
MIN_CUSTOMERS = 20
MIN_REPEAT_BUYERS = 5


@dataclass(frozen=True)
class BgNbdParams:
    r: float
    alpha: float
    a: float
    b: float


def _by_x(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Spread values computed once per distinct frequency back to the customers."""
    return values[index]


def _log_likelihood(
    params: np.ndarray,
    x: np.ndarray,
    t_x: np.ndarray,
    big_t: np.ndarray,
    w: np.ndarray,
    distinct_x: np.ndarray,
    x_index: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Log-likelihood A1 + A2 + log(e^A3 + [x>0] e^A4) summed with weights, and gradient.

    Special functions of x are evaluated once per distinct frequency (there are few).
    """
    r, alpha, a, b = params
    repeat = x > 0
    log_alpha_t = np.log(alpha + big_t)
    log_alpha_tx = np.log(alpha + t_x)
    a1 = _by_x(gammaln(r + distinct_x) - gammaln(r), x_index) + r * np.log(alpha)
    a2 = _by_x(betaln(a, b + distinct_x) - betaln(a, b), x_index)
    a3 = -(r + x) * log_alpha_t
    b_x_1 = np.where(repeat, b + x - 1, 1.0)
    a4 = np.where(repeat, np.log(a) - np.log(b_x_1) - (r + x) * log_alpha_tx, -np.inf)
    # log(e^A3 + e^A4) without overflow; e^A4 is 0 for one-time buyers (A4 = -inf).
    log_tail = np.maximum(a3, a4) + np.log1p(np.exp(-np.abs(a3 - a4)))
    total = float(np.sum(w * (a1 + a2 + log_tail)))
    # Weight of the "dropped out after t_x" term in the likelihood (0 for x = 0).
    share4 = np.exp(a4 - log_tail)
    share3 = 1.0 - share4
    psi_abx = digamma(a + b + distinct_x)
    d_r = (
        _by_x(digamma(r + distinct_x) - digamma(r), x_index)
        + np.log(alpha)
        - share3 * log_alpha_t
        - share4 * log_alpha_tx
    )
    d_alpha = r / alpha - (r + x) * (share3 / (alpha + big_t) + share4 / (alpha + t_x))
    d_a = _by_x(digamma(a + b) - psi_abx, x_index) + share4 / a
    d_b = (
        _by_x(digamma(a + b) + digamma(b + distinct_x) - digamma(b) - psi_abx, x_index)
        - share4 / b_x_1
    )
    gradient = np.array([np.sum(w * d) for d in (d_r, d_alpha, d_a, d_b)])
    return total, gradient


def bgnbd_log_likelihood(
    params: BgNbdParams | np.ndarray,
    frequency: np.ndarray,
    recency: np.ndarray,
    t: np.ndarray,
    weights: np.ndarray | None = None,
) -> tuple[float, np.ndarray]:
    """Total log-likelihood of the BG/NBD and its gradient with respect to (r, alpha, a, b).

    Vectorised over customers; `weights` counts identical customers (default 1 each).
    """
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, t))
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    distinct_x, x_index = np.unique(x, return_inverse=True)
    return _log_likelihood(_as_array(params), x, t_x, big_t, w, distinct_x, x_index)


def _compress(
    x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Identical (x, t_x, T) rows as one row with a weight, when all are whole numbers.

    Day-level data repeat a lot; simulated continuous times are left as they are.
    """
    whole = all(np.array_equal(v, np.floor(v)) for v in (x, t_x, big_t))
    base = int(big_t.max()) + 1 if x.size else 1
    if not whole or x.size == 0 or float(x.max() + 1) * base * base > 2**62:
        # Sorted, so that the sums do not depend on the order the rows arrive in.
        order = np.lexsort((big_t, t_x, x))
        return x[order], t_x[order], big_t[order], np.ones_like(x)
    keys = (x.astype(np.int64) * base + t_x.astype(np.int64)) * base + big_t.astype(np.int64)
    distinct, counts = np.unique(keys, return_counts=True)
    return (
        (distinct // (base * base)).astype(float),
        ((distinct // base) % base).astype(float),
        (distinct % base).astype(float),
        counts.astype(float),
    )


def _as_array(params: BgNbdParams | np.ndarray) -> np.ndarray:
    if isinstance(params, BgNbdParams):
        return np.array([params.r, params.alpha, params.a, params.b], dtype=float)
    return np.asarray(params, dtype=float)


def fit_bgnbd(
    frequency: np.ndarray,
    recency: np.ndarray,
    t: np.ndarray,
    time_unit: str = "day",
) -> FitResult:
    """Maximum-likelihood BG/NBD fit (L-BFGS-B on log-parameters, analytic gradient).

    Time is rescaled internally by the median T so that every start is well scaled;
    alpha is reported in `time_unit`. Too few customers or repeat buyers, or a failed
    optimisation, give `converged=False` with a message.
    """
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, t))
    n = int(x.size)
    repeaters = int(np.sum(x > 0))
    if n < MIN_CUSTOMERS:
        return not_fitted(
            MODEL, n, f"too little data: {n} customers (< {MIN_CUSTOMERS})", time_unit
        )
    if repeaters < MIN_REPEAT_BUYERS:
        return not_fitted(
            MODEL,
            n,
            f"too few repeat buyers: {repeaters} (< {MIN_REPEAT_BUYERS}); "
            "repeat purchases cannot be modelled",
            time_unit,
        )
    if np.all(big_t == 0):
        return not_fitted(
            MODEL, n, "every customer's first purchase is on the as-of date", time_unit
        )
    scale = float(np.median(big_t[big_t > 0]))
    xs, txs, ts, weights = _compress(x, t_x, big_t)
    txs, ts = txs / scale, ts / scale
    distinct_x, x_index = np.unique(xs, return_inverse=True)

    def negative_ll(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = _log_likelihood(params, xs, txs, ts, weights, distinct_x, x_index)
        return -value / n, -gradient * params / n

    starts = [
        np.log([1.0, 1.0, 1.0, 1.0]),
        np.log([0.5, 2.0, 0.5, 3.0]),
        np.log([2.0, 0.5, 2.0, 8.0]),
    ]
    log_params, _, converged, message = minimise_log_params(negative_ll, starts, PARAMETERS)
    params = np.exp(log_params)
    params[1] *= scale
    # A shape above LIMIT_CAP is the limit for every practical purpose (whether or not
    # the search reached its bound), and beyond it the special functions lose accuracy.
    # r and alpha together: every customer buys at the rate r / alpha; a and b
    # together: every customer has the dropout probability a / (a + b); b alone or a
    # towards 0: no dropout.
    pulled = pull_back_limit(params, [((0,), (0, 1)), ((2, 3), (2, 3))])
    if message.startswith("limit:"):
        message = f"{message}: a limit of BG/NBD (a mixing distribution without spread)"
    if not np.array_equal(pulled, params):
        message += f"; estimates pulled back along the limit to shapes of {LIMIT_CAP:g}"
    params = pulled
    log_likelihood, _ = bgnbd_log_likelihood(params, x, t_x, big_t)
    return FitResult(
        MODEL,
        dict(zip(PARAMETERS, (float(value) for value in params), strict=True)),
        float(log_likelihood),
        n,
        converged and bool(np.isfinite(log_likelihood)),
        message if converged else f"BG/NBD fit did not converge: {message}",
        time_unit,
    )


def bgnbd_p_alive(
    params: BgNbdParams, frequency: np.ndarray, recency: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """P(alive at T | x, t_x, T) = 1 / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))."""
    x, t_x, big_t = (np.asarray(v, dtype=float) for v in (frequency, recency, t))
    repeat = x > 0
    log_ratio = (params.r + x) * (np.log(params.alpha + big_t) - np.log(params.alpha + t_x))
    log_odds = np.log(params.a) - np.log(np.where(repeat, params.b + x - 1, 1.0)) + log_ratio
    return np.where(repeat, 1.0 / (1.0 + np.exp(np.minimum(log_odds, 700.0))), 1.0)


def bgnbd_conditional_expected_purchases(
    params: BgNbdParams,
    horizon: float | np.ndarray,
    frequency: np.ndarray,
    recency: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """E[purchases in (T, T + horizon] | x, t_x, T] (FHL 2005, eq. 10).

    ((a+b+x-1)/(a-1)) (1 - ((alpha+T)/(alpha+T+h))^(r+x) 2F1(r+x, b+x; a+b+x-1;
    h/(alpha+T+h))) x P(alive). Valid for every a > 0 but a = 1 exactly (a removable
    singularity: for a < 1 the first factor and the bracket are both negative).
    """
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x, big_t = np.asarray(frequency, dtype=float), np.asarray(t, dtype=float)
    h = np.asarray(horizon, dtype=float)
    z = h / (alpha + big_t + h)
    hyper = hyp2f1(r + x, b + x, a + b + x - 1, z)
    bracket = 1.0 - np.exp((r + x) * np.log1p(-z)) * hyper
    expected = (a + b + x - 1) / (a - 1) * bracket
    return np.maximum(expected * bgnbd_p_alive(params, frequency, recency, t), 0.0)
