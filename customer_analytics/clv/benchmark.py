"""Time the CLV fit and scoring on simulated customers.

`python -m customer_analytics.clv.benchmark --customers 1000000` simulates whole-day
BG/NBD purchase histories and Gamma-Gamma spends with known parameters, then times
`fit_clv_models` and `score_customers` as the dbt models call them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd

from customer_analytics.clv.scoring import fit_clv_models, params_frame, score_customers

TRUE_PARAMS: dict[str, float] = {
    "r": 0.6,
    "alpha": 50.0,
    "a": 1.2,
    "b": 3.0,
    "p": 6.0,
    "q": 4.0,
    "gamma": 100.0,
}
AS_OF_DATE = dt.date(2025, 12, 31)


def simulate_bgnbd(
    n: int, r: float, alpha: float, a: float, b: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequency, recency, T) in days of n BG/NBD customers first buying at time 0, each
    observed for 100 to 700 days."""
    rate = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    big_t = rng.integers(100, 701, n).astype(float)
    x, t_x, now = np.zeros(n), np.zeros(n), np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        now[idx] += rng.exponential(1 / rate[idx])
        ended = now[idx] > big_t[idx]
        alive[idx[ended]] = False
        bought = idx[~ended]
        x[bought] += 1
        t_x[bought] = now[bought]
        alive[bought[rng.random(bought.size) < dropout[bought]]] = False
    return x, t_x, big_t


def simulate_inputs(customers: int, seed: int) -> pd.DataFrame:
    """Per-customer CLV inputs (whole days) drawn from BG/NBD and Gamma-Gamma."""
    rng = np.random.default_rng(seed)
    bgnbd = {name: TRUE_PARAMS[name] for name in ("r", "alpha", "a", "b")}
    x, t_x, big_t = simulate_bgnbd(customers, **bgnbd, rng=rng)
    nu = rng.gamma(TRUE_PARAMS["q"], 1 / TRUE_PARAMS["gamma"], customers)
    repeat = np.maximum(x, 1)
    spend = rng.gamma(TRUE_PARAMS["p"] * repeat, 1 / (nu * repeat))
    return pd.DataFrame(
        {
            "customer_id": np.arange(customers).astype(str),
            "frequency": x,
            "recency": np.floor(t_x),
            "t": big_t,
            "monetary_value": np.where(x > 0, spend, np.nan),
            "as_of_date": AS_OF_DATE,
            "simple_purchases_per_year": (x + 1) * 365 / np.maximum(big_t, 365),
            "avg_purchase_day_value_reporting": spend,
        }
    )


def simulate_panel(
    customers: int,
    seed: int,
    first_date: dt.date,
    as_of_date: dt.date,
    cohort_days: int = 84,
    params: dict[str, float] | None = None,
) -> pd.DataFrame:
    """An order file drawn from BG/NBD and Gamma-Gamma with known parameters (time in days).

    Each customer makes a first purchase on a day of the `cohort_days` days from
    `first_date`, then buys at rate lambda ~ Gamma(r, alpha) per day and drops out after
    each repeat purchase with probability p ~ Beta(a, b), until `as_of_date`. Every
    purchase is worth Gamma(p, nu) USD with nu ~ Gamma(q, gamma). Columns as a plain order
    export: customer, date (YYYYMMDD), quantity (1), amount (USD, cents). Purchases that
    fall on one day are one purchase day in the warehouse; with these rates that is rare.
    """
    truth = {**TRUE_PARAMS, **(params or {})}
    rng = np.random.default_rng(seed)
    start = rng.integers(0, cohort_days, customers)
    horizon = (as_of_date - first_date).days - start
    rate = rng.gamma(truth["r"], 1 / truth["alpha"], customers)
    dropout = rng.beta(truth["a"], truth["b"], customers)
    nu = rng.gamma(truth["q"], 1 / truth["gamma"], customers)
    customer_ids, days = [np.arange(customers)], [start]
    now = np.zeros(customers)
    alive = np.ones(customers, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        now[idx] += rng.exponential(1 / rate[idx])
        bought = idx[now[idx] <= horizon[idx]]
        alive[idx[now[idx] > horizon[idx]]] = False
        customer_ids.append(bought)
        days.append(start[bought] + np.floor(now[bought]).astype(int))
        alive[bought[rng.random(bought.size) < dropout[bought]]] = False
    customer = np.concatenate(customer_ids)
    dates = pd.Timestamp(first_date) + pd.to_timedelta(np.concatenate(days), unit="D")
    amount = np.maximum(np.round(rng.gamma(truth["p"], 1 / nu[customer]), 2), 0.01)
    panel = pd.DataFrame(
        {
            "customer": [f"{value:06d}" for value in customer],
            "date": dates.strftime("%Y%m%d"),
            "quantity": 1,
            "amount": amount,
        }
    )
    return panel.sort_values(["customer", "date"], kind="stable").reset_index(drop=True)


def benchmark_clv(customers: int, seed: int = 11) -> dict[str, float]:
    """Seconds to fit both models and to score every customer, and the estimates."""
    inputs = simulate_inputs(customers, seed)
    started = time.perf_counter()
    results = fit_clv_models(inputs)
    fitted = time.perf_counter()
    score_customers(inputs, params_frame(results, AS_OF_DATE), 0.10, 730)
    scored = time.perf_counter()
    estimates = {name: value for result in results for name, value in result.params.items()}
    return {"fit_seconds": fitted - started, "score_seconds": scored - fitted, **estimates}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    arguments = parser.parse_args()
    for name, value in benchmark_clv(arguments.customers, arguments.seed).items():
        truth = f" (true {TRUE_PARAMS[name]:g})" if name in TRUE_PARAMS else ""
        print(f"{name}: {value:.3f}{truth}")


if __name__ == "__main__":
    main()
