"""The marts computed in Python (CLV, churn, feedback keywords), for any engine.

On DuckDB they are dbt Python models: each model file reads its inputs with `dbt.ref` and
its settings with `dbt.config.get` (dbt finds both by reading the file, so they stay
there) and hands them to `compute`. On engines without dbt Python models (PostgreSQL),
scripts/score_postgres.py reads the same input tables, takes the settings from the
project's vars and calls the same `compute`; customer_analytics.postgres_marts writes the
result. The column types are the marts' contracts, written once here for both paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from customer_analytics.churn.model import score_customers as score_churn
from customer_analytics.clv import fit_clv_models, params_frame
from customer_analytics.clv import score_customers as score_clv
from customer_analytics.feedback_keywords import count_keywords

Frames = Mapping[str, pd.DataFrame]
Settings = Mapping[str, Any]


@dataclass(frozen=True)
class PythonMart:
    """A mart computed in Python: what it reads, its settings, its columns and its rule."""

    name: str
    # Input relations as (schema, table); the model file refs the same tables.
    inputs: tuple[tuple[str, str], ...]
    # Setting name (the dbt config key of the model) -> the project var that sets it.
    settings: Mapping[str, str]
    # Column -> type, in the mart's column order (DuckDB type names).
    column_types: Mapping[str, str]
    compute_frame: Callable[[Frames, Settings], pd.DataFrame]
    # Key columns the inputs are sorted by first, so the result never depends on the order
    # an engine returns rows in (floating-point sums, training order).
    sort_keys: Mapping[str, tuple[str, ...]]

    def compute(self, frames: Frames, settings: Settings) -> pd.DataFrame:
        """The mart's rows, with exactly its columns, from its inputs and settings."""
        ordered = {
            name: _sorted(frame, self.sort_keys.get(name, ())) for name, frame in frames.items()
        }
        return self.compute_frame(ordered, settings)[list(self.column_types)]

    def cast_expressions(self) -> str:
        """`cast(column as type) as column, ...` over the mart's columns."""
        return ", ".join(
            f"cast({name} as {kind}) as {name}" for name, kind in self.column_types.items()
        )


def _sorted(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    if not keys:
        return frame
    return frame.sort_values(list(keys), kind="stable").reset_index(drop=True)


def _clv_params(frames: Frames, settings: Settings) -> pd.DataFrame:
    as_of_date = frames["int_as_of_date"]["as_of_date"].iloc[0]
    return params_frame(fit_clv_models(frames["int_customer_clv_inputs"]), as_of_date)


def _clv_scores(frames: Frames, settings: Settings) -> pd.DataFrame:
    return score_clv(
        frames["int_customer_clv_inputs"],
        frames["clv_model_params"],
        discount_rate=float(settings["discount_rate"]),
        next_order_max_days=int(settings["next_order_max_days"]),
    )


def _churn_scores(frames: Frames, settings: Settings) -> pd.DataFrame:
    scores, _ = score_churn(
        frames["int_churn_features"],
        horizon_days=int(settings["horizon_days"]),
        min_training_rows=int(settings["min_training_rows"]),
        medium_from=float(settings["band_medium_from"]),
        high_from=float(settings["band_high_from"]),
        cycle_multiple=float(settings["cycle_multiple"]),
    )
    return scores


def _keywords(frames: Frames, settings: Settings) -> pd.DataFrame:
    return count_keywords(frames["int_feedback_texts"], int(settings["top_n"]))


CLV_MODEL_PARAMS = PythonMart(
    name="clv_model_params",
    inputs=(("intermediate", "int_customer_clv_inputs"), ("intermediate", "int_as_of_date")),
    settings={},
    column_types={
        "model": "varchar",
        "parameter": "varchar",
        "value": "double",
        "time_unit": "varchar",
        "log_likelihood": "double",
        "n_customers": "bigint",
        "is_converged": "boolean",
        "fit_message": "varchar",
        "as_of_date": "date",
    },
    compute_frame=_clv_params,
    sort_keys={"int_customer_clv_inputs": ("customer_id",)},
)

CUSTOMER_CLV = PythonMart(
    name="customer_clv",
    inputs=(("intermediate", "int_customer_clv_inputs"), ("marts", "clv_model_params")),
    settings={
        "discount_rate": "clv_annual_discount_rate",
        "next_order_max_days": "clv_next_order_max_days",
    },
    column_types={
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
    },
    compute_frame=_clv_scores,
    sort_keys={"int_customer_clv_inputs": ("customer_id",), "clv_model_params": ("model",)},
)

CUSTOMER_CHURN = PythonMart(
    name="customer_churn",
    inputs=(("intermediate", "int_churn_features"),),
    settings={
        "horizon_days": "churn_horizon_days",
        "min_training_rows": "churn_min_training_rows",
        "band_medium_from": "churn_band_medium_from",
        "band_high_from": "churn_band_high_from",
        "cycle_multiple": "lifecycle_at_risk_cycle_multiple",
    },
    column_types={
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
    },
    compute_frame=_churn_scores,
    sort_keys={"int_churn_features": ("feature_date", "customer_id")},
)

FEEDBACK_KEYWORDS = PythonMart(
    name="feedback_keywords",
    inputs=(("intermediate", "int_feedback_texts"),),
    settings={"top_n": "feedback_keywords_top_n"},
    column_types={
        "feedback_source": "varchar",
        "language": "varchar",
        "keyword": "varchar",
        "keyword_rank": "integer",
        "mentions": "bigint",
        "documents": "bigint",
        "source_documents": "bigint",
        "document_share": "decimal(10, 4)",
        "window_start_date": "date",
        "as_of_date": "date",
    },
    compute_frame=_keywords,
    sort_keys={},
)

# In dependency order: customer_clv scores with the parameters clv_model_params fitted.
PYTHON_MARTS = (CLV_MODEL_PARAMS, CUSTOMER_CLV, CUSTOMER_CHURN, FEEDBACK_KEYWORDS)


def dbt_relation(mart: PythonMart, frames: Frames, settings: Settings, session: Any) -> Any:
    """Compute `mart` inside a dbt Python model on DuckDB, cast to its column types."""
    result = mart.compute(frames, settings)
    return session.from_df(result).project(mart.cast_expressions())
