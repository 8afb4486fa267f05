"""Predicted customer lifetime value, P(alive) and expected next order of every customer
with a placed order, next to the historical and simple formula values.

A thin wrapper around `customer_analytics.python_marts.CUSTOMER_CLV` (scoring is
`customer_analytics.clv.score_customers` with the parameters of `clv_model_params`, fitted
once per build). dbt enforces no contract on a Python model: the result is cast to the
mart's column types.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.python_marts import CUSTOMER_CLV, dbt_relation


def model(dbt: Any, session: Any) -> Any:
    frames = {
        "int_customer_clv_inputs": dbt.ref("int_customer_clv_inputs").df(),
        "clv_model_params": dbt.ref("clv_model_params").df(),
    }
    settings = {
        "discount_rate": dbt.config.get("discount_rate"),
        "next_order_max_days": dbt.config.get("next_order_max_days"),
    }
    return dbt_relation(CUSTOMER_CLV, frames, settings, session)
