"""Churn probability, risk band, main drivers and early-warning flags of every buyer.

A thin wrapper: training and scoring are `customer_analytics.churn.model.score_customers`
(gradient boosting trained on the features one churn horizon before the as-of date,
calibrated on a held-out hash bucket of customers, applied to the features at the as-of
date). dbt cannot enforce a contract on a Python model, so the result is cast column by
column here, as the SQL marts do.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.churn.model import score_customers

COLUMN_TYPES: dict[str, str] = {
    "customer_id": "varchar",
    "as_of_date": "date",
    "recency_days": "integer",
    "churn_probability": "double",
    "churn_risk_band": "varchar",
    "top_drivers": "varchar",
    "is_overdue_vs_cycle": "boolean",
    "has_falling_spend": "boolean",
    "is_recent_detractor": "boolean",
    "has_recent_ticket": "boolean",
    "early_warning_count": "integer",
    "scoring_method": "varchar",
    "model_version": "varchar",
    "training_feature_date": "date",
    "training_rows": "integer",
    "training_churn_rate": "double",
    "churn_horizon_days": "integer",
    "model_message": "varchar",
}


def model(dbt: Any, session: Any) -> Any:
    features = dbt.ref("int_churn_features").df()
    scores, _ = score_customers(
        features,
        horizon_days=int(dbt.config.get("horizon_days")),
        min_training_rows=int(dbt.config.get("min_training_rows")),
        medium_from=float(dbt.config.get("band_medium_from")),
        high_from=float(dbt.config.get("band_high_from")),
        cycle_multiple=float(dbt.config.get("cycle_multiple")),
    )
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in COLUMN_TYPES.items())
    return session.from_df(scores).project(casts)
