"""Probabilistic customer lifetime value: BG/NBD (repeat purchases, P(alive)) and
Gamma-Gamma (spend per purchase day), fitted by maximum likelihood.

Pure numpy / scipy functions on arrays and DataFrames; the dbt Python models
`clv_model_params` and `customer_clv` are thin wrappers around `fit_clv_models` and
`score_customers`.
"""

from customer_analytics.clv.bgnbd import (
    BgNbdParams,
    bgnbd_conditional_expected_purchases,
    bgnbd_log_likelihood,
    bgnbd_p_alive,
    fit_bgnbd,
)
from customer_analytics.clv.common import FitResult, validate_inputs
from customer_analytics.clv.gamma_gamma import (
    GammaGammaParams,
    fit_gamma_gamma,
    gamma_gamma_conditional_expected_spend,
    gamma_gamma_log_likelihood,
)
from customer_analytics.clv.scoring import (
    discounted_expected_value,
    expected_next_order_days,
    fit_clv_models,
    params_frame,
    score_customers,
)

__all__ = [
    "BgNbdParams",
    "FitResult",
    "GammaGammaParams",
    "bgnbd_conditional_expected_purchases",
    "bgnbd_log_likelihood",
    "bgnbd_p_alive",
    "discounted_expected_value",
    "expected_next_order_days",
    "fit_bgnbd",
    "fit_clv_models",
    "fit_gamma_gamma",
    "gamma_gamma_conditional_expected_spend",
    "gamma_gamma_log_likelihood",
    "params_frame",
    "score_customers",
    "validate_inputs",
]
