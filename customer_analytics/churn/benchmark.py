"""Time churn training and scoring on simulated customers.

`python -m customer_analytics.churn.benchmark --customers 1000000` draws a feature table
shaped like `int_churn_features` (one training row and one scoring row per customer,
churn depending on recency and recent sessions), then times `score_customers` as the dbt
model `customer_churn` calls it: training with calibration, scoring, the top drivers of
every customer and the early-warning flags.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import pandas as pd

from customer_analytics.churn.model import FEATURES, score_customers
from customer_analytics.clv.benchmark import simulate_inputs

TRAINING_DATE = dt.date(2025, 7, 4)
SCORING_DATE = dt.date(2025, 12, 31)


def simulate_bgnbd_inputs(customers: int, seed: int) -> pd.DataFrame:
    """BG/NBD inputs (frequency, recency, t in whole days) of simulated BG/NBD customers."""
    inputs = simulate_inputs(customers, seed)
    return pd.DataFrame(
        {
            "bgnbd_frequency": inputs["frequency"].to_numpy(),
            "bgnbd_recency": inputs["recency"].to_numpy(),
            "bgnbd_t": inputs["t"].to_numpy(),
        }
    )


def simulate_features(customers: int, seed: int) -> pd.DataFrame:
    """Training and scoring rows for `customers` customers."""
    rng = np.random.default_rng(seed)
    frames = []
    for is_training, feature_date in ((True, TRAINING_DATE), (False, SCORING_DATE)):
        frame = pd.DataFrame({name: rng.poisson(3, customers).astype(float) for name in FEATURES})
        frame["recency_days"] = rng.integers(0, 400, customers).astype(float)
        frame["sessions_last_90d"] = rng.poisson(2, customers).astype(float)
        frame["median_gap_days"] = np.where(rng.random(customers) < 0.3, np.nan, 30.0)
        frame["last_nps_score"] = np.where(rng.random(customers) < 0.8, np.nan, 9.0)
        frame.insert(0, "customer_id", [f"cus_{index:09d}" for index in range(customers)])
        frame[["bgnbd_frequency", "bgnbd_recency", "bgnbd_t"]] = simulate_bgnbd_inputs(
            customers, seed + int(is_training)
        ).to_numpy()
        frame["feature_date"] = feature_date
        frame["is_training_row"] = is_training
        logit = (frame["recency_days"] - 150) / 40 - 0.5 * frame["sessions_last_90d"]
        churned = rng.random(customers) < 1 / (1 + np.exp(-logit))
        frame["is_churned"] = churned if is_training else None
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    features = simulate_features(args.customers, args.seed)
    started = time.perf_counter()
    scores, model = score_customers(
        features,
        horizon_days=180,
        min_training_rows=200,
        medium_from=0.4,
        high_from=0.7,
        cycle_multiple=3.0,
    )
    seconds = time.perf_counter() - started
    print(f"customers: {args.customers:,} (training rows {model.training_rows:,})")
    print(f"train + score + drivers + flags seconds: {seconds:.1f}")
    print(f"scoring method: {model.method}; {model.message}")
    print(f"mean churn probability: {scores['churn_probability'].mean():.3f}")


if __name__ == "__main__":
    main()
