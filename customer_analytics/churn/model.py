"""Churn model: validate features, train a calibrated gradient-boosting classifier, score.

SQL builds the features (`int_churn_features`); these pure functions fit and score them.
Training rows are the features at the training date (one churn horizon before the as-of
date) with their label; scoring rows are the features of every buyer at the as-of date.
Everything is deterministic given the data: fixed random state, a calibration split by a
hash of the customer id, sorted inputs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from threadpoolctl import threadpool_limits

from customer_analytics.churn.bgnbd_features import BGNBD_FEATURES, add_bgnbd_features

MODEL_VERSION = "hgb-calibrated-v2"  # v2: BG/NBD features
FALLBACK_METHOD = "rule_based_fallback"
MODEL_METHOD = "gradient_boosting"
LABEL = "is_churned"
KEY = "customer_id"

# Features built in SQL (int_churn_features); the BG/NBD features are added in Python,
# from a fit at each feature date (`add_bgnbd_features`).
SQL_FEATURES: list[str] = [
    "recency_days",
    "purchase_day_count",
    "order_count",
    "avg_order_value_reporting",
    "tenure_days",
    "median_gap_days",
    "spend_last_90d_reporting",
    "spend_previous_90d_reporting",
    "category_count",
    "channel_count",
    "marketplace_share",
    "store_share",
    "return_rate",
    "ticket_count",
    "tickets_last_90d",
    "last_nps_score",
    "days_since_last_nps",
    "sessions_last_30d",
    "sessions_last_90d",
    "product_views_last_30d",
    "product_views_last_90d",
    "cart_adds_last_30d",
    "cart_adds_last_90d",
]
FEATURES: list[str] = [*SQL_FEATURES, *BGNBD_FEATURES]

# Fewer rows than this of either class also sends training to the fallback.
MIN_CLASS_ROWS = 10
# Share of training customers (by id hash) held out to calibrate the probabilities.
CALIBRATION_SHARE = 0.3
# Isotonic calibration needs many held-out rows; below this, Platt (sigmoid) scaling.
ISOTONIC_MIN_ROWS = 1000


@dataclass
class ChurnModel:
    """A trained churn model, or the rule-based fallback with the reason for it."""

    method: str
    features: list[str]
    medians: dict[str, float]
    training_rows: int
    training_churn_rate: float
    horizon_days: int
    message: str = ""
    estimator: CalibratedClassifierCV | None = field(default=None, repr=False)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Churn probability of each row of a feature frame."""
        if self.estimator is None:
            return rule_based_probability(frame, self.horizon_days)
        matrix = frame[self.features].to_numpy(dtype=float)
        # One OpenMP thread: tree prediction is short per tree, and thread hand-offs on a
        # busy machine cost several times the work itself.
        with threadpool_limits(limits=1, user_api="openmp"):
            return self.estimator.predict_proba(matrix)[:, 1]


def validate_features(frame: pd.DataFrame, *, labelled: bool) -> None:
    """Fail with a message saying what to fix when a feature frame cannot be used."""
    required = [KEY, *FEATURES, *([LABEL] if labelled else [])]
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise ValueError(f"churn features lack columns {missing}; rebuild int_churn_features")
    if frame[KEY].isna().any():
        raise ValueError("churn features have rows without a customer_id")
    duplicated = frame[KEY][frame[KEY].duplicated()]
    if not duplicated.empty:
        raise ValueError(
            f"churn features must have one row per customer; duplicated: "
            f"{sorted(duplicated.unique())[:5]}"
        )
    if "feature_date" in frame.columns and len(frame["feature_date"].drop_duplicates()) > 1:
        raise ValueError("churn features must come from one feature date per frame")
    if labelled and frame[LABEL].isna().any():
        raise ValueError("training rows need a churn label (is_churned) on every row")


def calibration_mask(customer_ids: pd.Series, share: float = CALIBRATION_SHARE) -> np.ndarray:
    """True for the customers held out for calibration: a stable hash of the id, no RNG."""
    buckets = customer_ids.astype(str).map(
        lambda value: int(hashlib.md5(value.encode("utf-8")).hexdigest()[:8], 16) % 1000
    )
    return (buckets < int(round(share * 1000))).to_numpy()


def rule_based_probability(frame: pd.DataFrame, horizon_days: int) -> np.ndarray:
    """Fallback churn score: how long the customer has been silent vs their usual gap.

    recency / (recency + expected gap), the expected gap being the customer's median gap
    between purchase days, or half the churn horizon without one. 0.5 when the silence
    equals the expected gap; it tends to 1 as the silence grows.
    """
    recency = frame["recency_days"].to_numpy(dtype=float)
    gap = frame["median_gap_days"].to_numpy(dtype=float)
    expected = np.where(np.isnan(gap) | (gap <= 0), horizon_days / 2.0, gap)
    return recency / (recency + expected)


def train_churn_model(
    training: pd.DataFrame, *, horizon_days: int, min_training_rows: int
) -> ChurnModel:
    """Fit the calibrated gradient-boosting model on labelled rows, or fall back.

    The fit uses the customers outside the calibration hash bucket; a
    `CalibratedClassifierCV` on the frozen fitted model maps its scores to probabilities on
    the held-out bucket (isotonic from `ISOTONIC_MIN_ROWS` rows, else sigmoid).
    """
    validate_features(training, labelled=True)
    training = training.sort_values(KEY, kind="stable").reset_index(drop=True)
    labels = training[LABEL].astype(bool).to_numpy()
    # A feature with no value at all (no events, surveys or tickets in the data, as in an
    # imported order file) carries nothing to learn and cannot be binned: leave it out.
    features = [name for name in FEATURES if training[name].notna().any()]
    medians = {name: float(training[name].astype(float).median()) for name in features}
    rows = len(training)
    rate = float(labels.mean()) if rows else float("nan")
    base = {
        "features": features,
        "medians": medians,
        "training_rows": rows,
        "training_churn_rate": rate,
        "horizon_days": horizon_days,
    }
    smaller_class = int(min(labels.sum(), rows - labels.sum())) if rows else 0
    if rows < min_training_rows or smaller_class < MIN_CLASS_ROWS:
        return ChurnModel(
            method=FALLBACK_METHOD,
            message=(
                f"churn model not trained: {rows} training rows "
                f"(need {min_training_rows}) and {smaller_class} rows of the smaller class "
                f"(need {MIN_CLASS_ROWS}); scores are the rule-based fallback"
            ),
            **base,
        )
    held_out = calibration_mask(training[KEY])
    matrix = training[features].to_numpy(dtype=float)
    calibration_labels = labels[held_out]
    if held_out.all() or not held_out.any() or len(set(calibration_labels)) < 2:
        held_out = np.zeros(rows, dtype=bool)
    classifier = HistGradientBoostingClassifier(
        learning_rate=0.1,
        max_iter=100,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    )
    with threadpool_limits(limits=1, user_api="openmp"):
        classifier.fit(matrix[~held_out], labels[~held_out])
    if not held_out.any():
        # Too few held-out rows of both classes: calibrate on the training rows (sigmoid).
        held_out = np.ones(rows, dtype=bool)
    method = "isotonic" if held_out.sum() >= ISOTONIC_MIN_ROWS else "sigmoid"
    calibrated = CalibratedClassifierCV(FrozenEstimator(classifier), method=method)
    calibrated.fit(matrix[held_out], labels[held_out])
    return ChurnModel(
        method=MODEL_METHOD,
        message=f"trained on {rows} rows, {method} calibration on {int(held_out.sum())}",
        estimator=calibrated,
        **base,
    )


def risk_band(probability: np.ndarray, medium_from: float, high_from: float) -> np.ndarray:
    """`low`, `medium` or `high` from the two cut points."""
    if not 0 <= medium_from <= high_from <= 1:
        raise ValueError("churn band cut points must satisfy 0 <= medium <= high <= 1")
    return np.where(
        probability >= high_from, "high", np.where(probability >= medium_from, "medium", "low")
    )


def top_drivers(model: ChurnModel, frame: pd.DataFrame, top_n: int = 3) -> list[str]:
    """The features that raise each customer's churn probability most, as text.

    For each feature, the change in probability when the customer's value is replaced by
    the training median (one extra prediction per feature); the `top_n` largest positive
    changes, e.g. "recency_days=240 (+0.21)". Empty when nothing raises it.
    """
    base = model.predict(frame)
    deltas = np.zeros((len(frame), len(model.features)))
    for index, name in enumerate(model.features):
        replaced = frame.copy()
        replaced[name] = model.medians[name]
        deltas[:, index] = base - model.predict(replaced)
    values = frame[model.features].to_numpy(dtype=float)
    order = np.argsort(-deltas, axis=1, kind="stable")[:, :top_n]
    texts: list[str] = []
    for row in range(len(frame)):
        parts = []
        for index in order[row]:
            delta = deltas[row, index]
            if delta <= 0.005:
                continue
            value = values[row, index]
            shown = "null" if np.isnan(value) else f"{value:g}"
            parts.append(f"{model.features[index]}={shown} (+{delta:.2f})")
        texts.append("; ".join(parts))
    return texts


def early_warning_flags(frame: pd.DataFrame, cycle_multiple: float) -> pd.DataFrame:
    """Rule-based flags next to the score (null inputs never raise a flag)."""
    recency = frame["recency_days"].astype(float)
    gap = frame["median_gap_days"].astype(float)
    last = frame["spend_last_90d_reporting"].astype(float)
    previous = frame["spend_previous_90d_reporting"].astype(float)
    nps = frame["last_nps_score"].astype(float)
    nps_age = frame["days_since_last_nps"].astype(float)
    flags = pd.DataFrame(index=frame.index)
    flags["is_overdue_vs_cycle"] = (gap > 0) & (recency > cycle_multiple * gap)
    flags["has_falling_spend"] = (previous > 0) & (last < 0.5 * previous)
    flags["is_recent_detractor"] = (nps <= 6) & (nps_age < 90)
    flags["has_recent_ticket"] = frame["tickets_last_90d"].astype(float) > 0
    flags["early_warning_count"] = flags.sum(axis=1).astype(int)
    return flags


def score_customers(
    features: pd.DataFrame,
    *,
    horizon_days: int,
    min_training_rows: int,
    medium_from: float,
    high_from: float,
    cycle_multiple: float,
) -> tuple[pd.DataFrame, ChurnModel]:
    """Train on the training rows of `int_churn_features` and score its scoring rows.

    The BG/NBD features are added first, from one fit per feature date.
    """
    features, bgnbd_message = add_bgnbd_features(features, horizon_days)
    is_training = features["is_training_row"].astype(bool)
    training = features[is_training]
    scoring = features[~is_training].sort_values(KEY, kind="stable").reset_index(drop=True)
    validate_features(scoring, labelled=False)
    model = train_churn_model(
        training, horizon_days=horizon_days, min_training_rows=min_training_rows
    )
    probability = np.clip(model.predict(scoring), 0.0, 1.0)
    result = pd.DataFrame(
        {
            KEY: scoring[KEY],
            "as_of_date": scoring["feature_date"],
            "recency_days": scoring["recency_days"],
            "churn_probability": probability,
            "churn_risk_band": risk_band(probability, medium_from, high_from),
            "top_drivers": top_drivers(model, scoring),
        }
    )
    result = pd.concat([result, early_warning_flags(scoring, cycle_multiple)], axis=1)
    result["scoring_method"] = model.method
    result["model_version"] = MODEL_VERSION if model.estimator is not None else FALLBACK_METHOD
    result["training_feature_date"] = training["feature_date"].iloc[0] if len(training) else pd.NaT
    result["training_rows"] = model.training_rows
    result["training_churn_rate"] = model.training_churn_rate
    result["churn_horizon_days"] = horizon_days
    result["model_message"] = f"{model.message}; {bgnbd_message}"
    return result, model
