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


def simulate_inputs(customers: int, seed: int) -> pd.DataFrame:
    """Per-customer CLV inputs (whole days) drawn from BG/NBD and Gamma-Gamma."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(TRUE_PARAMS["r"], 1 / TRUE_PARAMS["alpha"], customers)
    dropout = rng.beta(TRUE_PARAMS["a"], TRUE_PARAMS["b"], customers)
    big_t = rng.integers(100, 701, customers).astype(float)
    x, t_x, now = np.zeros(customers), np.zeros(customers), np.zeros(customers)
    alive = np.ones(customers, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        now[idx] += rng.exponential(1 / rate[idx])
        ended = now[idx] > big_t[idx]
        alive[idx[ended]] = False
        bought = idx[~ended]
        x[bought] += 1
        t_x[bought] = now[bought]
        alive[bought[rng.random(bought.size) < dropout[bought]]] = False
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
