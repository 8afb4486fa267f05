"""The fitted BG/NBD and Gamma-Gamma parameters, one row per parameter.

A thin wrapper around `customer_analytics.python_marts.CLV_MODEL_PARAMS` (the fit is
`customer_analytics.clv.fit_clv_models` on the rows of int_customer_clv_inputs).
`customer_clv` scores with these parameters, so the models are fitted once per build.
dbt enforces no contract on a Python model: the result is cast to the mart's column types.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.python_marts import CLV_MODEL_PARAMS, dbt_relation


def model(dbt: Any, session: Any) -> Any:
    frames = {
        "int_customer_clv_inputs": dbt.ref("int_customer_clv_inputs").df(),
        "int_as_of_date": dbt.ref("int_as_of_date").df(),
    }
    return dbt_relation(CLV_MODEL_PARAMS, frames, {}, session)
