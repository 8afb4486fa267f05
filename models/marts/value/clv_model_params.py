"""The fitted BG/NBD and Gamma-Gamma parameters, one row per parameter.

A thin wrapper: the fit is `customer_analytics.clv.fit_clv_models` on the rows of
int_customer_clv_inputs. `customer_clv` scores with these parameters, so the models are
fitted once per build. dbt enforces no contract on a Python model, so the result is cast
column by column here, as the SQL marts do.
"""

from __future__ import annotations

from typing import Any

from customer_analytics.clv import fit_clv_models, params_frame

COLUMN_TYPES: dict[str, str] = {
    "model": "varchar",
    "parameter": "varchar",
    "value": "double",
    "time_unit": "varchar",
    "log_likelihood": "double",
    "n_customers": "bigint",
    "is_converged": "boolean",
    "fit_message": "varchar",
    "as_of_date": "date",
}


def model(dbt: Any, session: Any) -> Any:
    inputs = dbt.ref("int_customer_clv_inputs").df()
    as_of_date = dbt.ref("int_as_of_date").df()["as_of_date"].iloc[0]
    params = params_frame(fit_clv_models(inputs), as_of_date)
    casts = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in COLUMN_TYPES.items())
    return session.from_df(params).project(casts)
