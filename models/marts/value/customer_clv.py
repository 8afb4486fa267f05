"""Predicted customer lifetime value, P(alive) and expected next order of every customer
with a placed order, next to the historical and simple formula values.

A thin wrapper: scoring is `customer_analytics.clv.score_customers` with the parameters
of `clv_model_params` (fitted once per build). dbt enforces no contract on a Python
model, so the result is cast column by column here, as the SQL marts do.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.clv import score_customers

COLUMN_TYPES: dict[str, str] = {
    "customer_id": "varchar",
    "as_of_date": "date",
    "frequency": "integer",
    "recency": "integer",
    "t": "integer",
    "monetary_value": "decimal(18, 2)",
    "p_alive": "double",
    "expected_purchases_365d": "double",
    "expected_avg_order_value": "decimal(18, 2)",
    "predicted_clv_365d": "decimal(18, 2)",
    "expected_next_order_date": "date",
    "historical_gross_value_reporting": "decimal(18, 2)",
    "historical_net_value_reporting": "decimal(18, 2)",
    "simple_clv_reporting": "decimal(18, 2)",
    "model_status": "varchar",
}


def model(dbt: Any, session: Any) -> Any:
    inputs = dbt.ref("int_customer_clv_inputs").df()
    params = dbt.ref("clv_model_params").df()
    scored = score_customers(
        inputs,
        params,
        discount_rate=float(dbt.config.get("discount_rate")),
        next_order_max_days=int(dbt.config.get("next_order_max_days")),
    )
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in COLUMN_TYPES.items())
    return session.from_df(scored[list(COLUMN_TYPES)]).project(casts)
