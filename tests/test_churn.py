"""Churn model: package unit tests on synthetic features, and the built features and mart
checked against an independent pandas computation from `marts.fct_orders`."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from customer_analytics.churn.history import features_at, load_history
from customer_analytics.churn.model import (
    FALLBACK_METHOD,
    FEATURES,
    MODEL_METHOD,
    early_warning_flags,
    risk_band,
    rule_based_probability,
    score_customers,
    top_drivers,
    train_churn_model,
    validate_features,
)
from customer_analytics.churn.report import gains_by_decile

HORIZON = 180


def synthetic_features(rows: int, seed: int, training: bool) -> pd.DataFrame:
    """Features where churn depends mostly on recency and a little on sessions."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({name: rng.poisson(3, rows).astype(float) for name in FEATURES})
    frame["recency_days"] = rng.integers(0, 400, rows).astype(float)
    frame["sessions_last_90d"] = rng.poisson(2, rows).astype(float)
    frame["median_gap_days"] = np.where(rng.random(rows) < 0.3, np.nan, 30.0)
    frame["last_nps_score"] = np.where(rng.random(rows) < 0.8, np.nan, 9.0)
    frame.insert(0, "customer_id", [f"c{seed}_{index:05d}" for index in range(rows)])
    frame["feature_date"] = dt.date(2025, 7, 4) if training else dt.date(2025, 12, 31)
    frame["is_training_row"] = training
    logit = (frame["recency_days"] - 150) / 40 - 0.5 * frame["sessions_last_90d"]
    frame["is_churned"] = (rng.random(rows) < 1 / (1 + np.exp(-logit))) if training else None
    return frame


@pytest.fixture(scope="module")
def training() -> pd.DataFrame:
    return synthetic_features(3000, 1, training=True)


@pytest.fixture(scope="module")
def scoring() -> pd.DataFrame:
    return synthetic_features(1000, 2, training=False)


def train(frame: pd.DataFrame, min_rows: int = 200):
    return train_churn_model(frame, horizon_days=HORIZON, min_training_rows=min_rows)


def test_same_data_gives_the_same_probabilities(training, scoring):
    first = train(training).predict(scoring)
    second = train(training.sample(frac=1.0, random_state=5)).predict(scoring)
    np.testing.assert_array_equal(first, second)


def test_model_learns_and_calibrates(training):
    holdout = synthetic_features(2000, 3, training=True)
    model = train(training)
    assert model.method == MODEL_METHOD
    assert "sigmoid calibration on 904" in model.message  # < 1,000 held out
    probability = model.predict(holdout)
    labels = holdout["is_churned"].astype(bool)
    assert roc_auc_score(labels, probability) > 0.85
    # Calibrated: mean predicted probability close to the observed churn rate.
    assert abs(probability.mean() - labels.mean()) < 0.03


def test_features_without_any_value_are_left_out(training, scoring):
    # An imported order file has no events, surveys or tickets: those columns are empty.
    empty = ["sessions_last_30d", "last_nps_score", "days_since_last_nps"]
    model = train(training.assign(**{name: np.nan for name in empty}))
    assert model.method == MODEL_METHOD
    assert not set(empty) & set(model.features)
    probability = model.predict(scoring.assign(**{name: np.nan for name in empty}))
    assert np.isfinite(probability).all()
    assert all(name not in text for text in top_drivers(model, scoring) for name in empty)


def test_single_class_falls_back_to_the_rule_score(training, scoring):
    one_class = training.assign(is_churned=True)
    model = train(one_class)
    assert model.method == FALLBACK_METHOD
    assert "rule-based fallback" in model.message
    np.testing.assert_allclose(model.predict(scoring), rule_based_probability(scoring, HORIZON))


def test_too_few_rows_fall_back(training):
    model = train(training.head(150))
    assert model.method == FALLBACK_METHOD
    assert "150 training rows (need 200)" in model.message


def test_rule_score_compares_silence_with_the_usual_gap():
    frame = pd.DataFrame(
        {"recency_days": [30.0, 90.0, 90.0], "median_gap_days": [30.0, 30.0, None]}
    )
    np.testing.assert_allclose(rule_based_probability(frame, HORIZON), [0.5, 0.75, 0.5])


def test_validation_says_what_to_fix(training):
    with pytest.raises(ValueError, match="lack columns \\['recency_days'\\]"):
        validate_features(training.drop(columns=["recency_days"]), labelled=True)
    with pytest.raises(ValueError, match="one row per customer"):
        validate_features(pd.concat([training.head(2), training.head(1)]), labelled=True)
    with pytest.raises(ValueError, match="churn label"):
        validate_features(training.assign(is_churned=None), labelled=True)
    with pytest.raises(ValueError, match="cut points"):
        risk_band(np.array([0.5]), 0.8, 0.4)


def test_drivers_name_the_feature_that_raises_the_score(training):
    model = train(training)
    customer = training.head(1).copy()
    customer["recency_days"] = 390.0
    customer["sessions_last_90d"] = 0.0
    text = top_drivers(model, customer)[0]
    assert text.startswith("recency_days=390 (+")
    change = float(text.split("(+")[1].split(")")[0])
    assert change > 0.1
    recent = customer.assign(recency_days=5.0, sessions_last_90d=8.0)
    assert "recency_days" not in top_drivers(model, recent)[0]


def test_bands_and_flags_follow_their_rules():
    bands = risk_band(np.array([0.0, 0.399, 0.4, 0.699, 0.7, 1.0]), 0.4, 0.7)
    assert bands.tolist() == ["low", "low", "medium", "medium", "high", "high"]
    frame = pd.DataFrame(
        {
            "recency_days": [100.0, 100.0, 10.0],
            "median_gap_days": [30.0, None, 30.0],
            "spend_last_90d_reporting": [0.0, 40.0, 100.0],
            "spend_previous_90d_reporting": [100.0, 100.0, 0.0],
            "last_nps_score": [6.0, 9.0, None],
            "days_since_last_nps": [10.0, 10.0, None],
            "tickets_last_90d": [0.0, 1.0, 0.0],
        }
    )
    flags = early_warning_flags(frame, cycle_multiple=3)
    assert flags["is_overdue_vs_cycle"].tolist() == [True, False, False]
    assert flags["has_falling_spend"].tolist() == [True, True, False]
    assert flags["is_recent_detractor"].tolist() == [True, False, False]
    assert flags["has_recent_ticket"].tolist() == [False, True, False]
    assert flags["early_warning_count"].tolist() == [3, 2, 0]


def test_score_customers_scores_every_scoring_row(training, scoring):
    scores, model = score_customers(
        pd.concat([training, scoring]),
        horizon_days=HORIZON,
        min_training_rows=200,
        medium_from=0.4,
        high_from=0.7,
        cycle_multiple=3,
    )
    assert sorted(scores["customer_id"]) == sorted(scoring["customer_id"])
    assert scores["churn_probability"].between(0, 1).all()
    assert (scores["training_rows"] == 3000).all()
    assert (scores["scoring_method"] == model.method).all()


# --- the built warehouse ---------------------------------------------------------------


def placed_orders(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        select customer_id, order_date, channel, cast(order_total_reporting as double) as total
        from marts.fct_orders
        where is_placed and customer_id is not null
        """
    ).df()


def test_training_features_read_nothing_after_the_training_date(con):
    dates = con.execute(
        "select feature_date, as_of_date from intermediate.int_churn_feature_dates"
        " where is_training_row"
    ).fetchall()
    training_date, as_of_date = (pd.Timestamp(value) for value in dates[0])
    assert training_date == as_of_date - pd.Timedelta(days=HORIZON)
    orders = placed_orders(con)
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    past = orders[orders["order_date"] <= training_date]
    days_before = (training_date - past["order_date"]).dt.days
    expected = (
        past.assign(last_90=np.where(days_before < 90, past["total"], 0.0))
        .groupby("customer_id")
        .agg(
            first=("order_date", "min"),
            last=("order_date", "max"),
            order_count=("order_date", "size"),
            purchase_day_count=("order_date", "nunique"),
            channel_count=("channel", "nunique"),
            spend_last_90d_reporting=("last_90", "sum"),
        )
    )
    expected["recency_days"] = (training_date - expected["last"]).dt.days
    expected["tenure_days"] = (training_date - expected["first"]).dt.days
    future = orders[(orders["order_date"] > training_date) & (orders["order_date"] <= as_of_date)]
    expected["is_churned"] = ~expected.index.isin(future["customer_id"])
    built = (
        con.execute("select * from intermediate.int_churn_features where is_training_row")
        .df()
        .set_index("customer_id")
    )
    assert sorted(built.index) == sorted(expected.index)
    columns = [
        "recency_days",
        "tenure_days",
        "order_count",
        "purchase_day_count",
        "channel_count",
        "is_churned",
    ]
    pd.testing.assert_frame_equal(
        built.loc[expected.index, columns], expected[columns], check_dtype=False
    )
    np.testing.assert_allclose(
        built.loc[expected.index, "spend_last_90d_reporting"],
        expected["spend_last_90d_reporting"],
        atol=0.01,
    )


def test_mart_scores_every_buyer_once(con):
    mart = con.execute("select * from marts.customer_churn").df()
    buyers = con.execute(
        "select distinct customer_id from marts.fct_orders"
        " where is_placed and customer_id is not null"
    ).df()
    assert mart["customer_id"].is_unique
    assert sorted(mart["customer_id"]) == sorted(buyers["customer_id"])
    assert mart["churn_probability"].between(0, 1).all()
    assert set(mart["scoring_method"]) == {"gradient_boosting"}
    types = {row[0]: row[1] for row in con.execute("describe marts.customer_churn").fetchall()}
    assert types["churn_probability"] == "DOUBLE"
    assert types["as_of_date"] == "DATE"
    assert types["early_warning_count"] == "INTEGER"


def test_gains_by_decile_by_hand():
    outcome = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 1] * 2)
    score = np.arange(20, 0, -1, dtype=float)
    gains = gains_by_decile(outcome, score)
    assert gains["customers"].tolist() == [2] * 10
    assert gains["churners"].tolist() == [2, 1, 0, 0, 1, 2, 1, 0, 0, 1]
    assert gains["churners"].sum() == 8
    assert gains["churners"].iloc[0] == 2  # scores 20, 19: outcomes 1, 1
    assert gains["lift"].iloc[0] == pytest.approx(1.0 / 0.4)
    assert gains["cumulative_churner_share"].iloc[-1] == pytest.approx(1.0)


def test_report_features_match_the_built_features(con):
    """The evaluation report's pandas features equal the dbt model's at both dates."""
    history = load_history(con)
    built = con.execute("select * from intermediate.int_churn_features").df()
    for is_training, rows in built.groupby("is_training_row"):
        rows = rows.set_index("customer_id").sort_index()
        recomputed = features_at(history, pd.Timestamp(rows["feature_date"].iloc[0]))
        recomputed = recomputed.set_index("customer_id").sort_index()
        assert list(recomputed.index) == list(rows.index), is_training
        for name in FEATURES:
            np.testing.assert_allclose(
                rows[name].astype(float),
                recomputed[name].astype(float),
                atol=1e-6,
                err_msg=name,
            )
