"""Churn probability, risk band, main drivers and early-warning flags of every buyer.

A thin wrapper around `customer_analytics.python_marts.CUSTOMER_CHURN` (training and
scoring are `customer_analytics.churn.model.score_customers`: gradient boosting trained on
the features one churn horizon before the as-of date, calibrated on a held-out hash bucket
of customers, applied to the features at the as-of date). dbt cannot enforce a contract on
a Python model: the result is cast to the mart's column types.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.python_marts import CUSTOMER_CHURN, dbt_relation


def model(dbt: Any, session: Any) -> Any:
    frames = {"int_churn_features": dbt.ref("int_churn_features").df()}
    settings = {
        "horizon_days": dbt.config.get("horizon_days"),
        "min_training_rows": dbt.config.get("min_training_rows"),
        "band_medium_from": dbt.config.get("band_medium_from"),
        "band_high_from": dbt.config.get("band_high_from"),
        "cycle_multiple": dbt.config.get("cycle_multiple"),
    }
    return dbt_relation(CUSTOMER_CHURN, frames, settings, session)
