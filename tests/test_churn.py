"""Churn model: package unit tests on synthetic features, and the built features and mart
checked against an independent pandas computation from `marts.fct_orders`."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from customer_analytics.churn.benchmark import simulate_bgnbd_inputs
from customer_analytics.churn.bgnbd_features import (
    BGNBD_FEATURES,
    INPUT_COLUMNS,
    NO_PURCHASE_COLUMN,
    add_bgnbd_features,
    bgnbd_p_no_purchase,
)
from customer_analytics.churn.history import History, features_at, load_history
from customer_analytics.churn.model import (
    FALLBACK_METHOD,
    FEATURES,
    MODEL_METHOD,
    SQL_FEATURES,
    early_warning_flags,
    risk_band,
    rule_based_probability,
    score_customers,
    top_drivers,
    train_churn_model,
    validate_features,
)
from customer_analytics.churn.report import (
    BGNBD,
    MODEL,
    RECENCY,
    evaluate_date,
    gains_by_decile,
    metrics_table,
)
from customer_analytics.clv.bgnbd import BgNbdParams, bgnbd_p_alive, fit_bgnbd

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
    frame[list(INPUT_COLUMNS)] = simulate_bgnbd_inputs(rows, seed).to_numpy()
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


@pytest.fixture(scope="module")
def trained(training: pd.DataFrame):
    return train(training)


def test_same_data_gives_the_same_probabilities(training, scoring, trained):
    first = trained.predict(scoring)
    second = train(training.sample(frac=1.0, random_state=5)).predict(scoring)
    np.testing.assert_array_equal(first, second)


def test_model_learns_and_calibrates(trained):
    holdout = synthetic_features(2000, 3, training=True)
    model = trained
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
    drivers = top_drivers(model, scoring.head(100))
    assert all(name not in text for text in drivers for name in empty)


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


def test_drivers_name_the_feature_that_raises_the_score(training, trained):
    model = trained
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
        for name in [*SQL_FEATURES, *INPUT_COLUMNS]:
            np.testing.assert_allclose(
                rows[name].astype(float),
                recomputed[name].astype(float),
                atol=1e-6,
                err_msg=name,
            )


# --- BG/NBD features ------------------------------------------------------------------


def test_bgnbd_no_purchase_probability_by_hand():
    params = BgNbdParams(r=0.5, alpha=40.0, a=1.0, b=3.0)
    x, t_x, big_t = np.array([0.0, 2.0]), np.array([0.0, 100.0]), np.array([60.0, 200.0])
    alive = bgnbd_p_alive(params, x, t_x, big_t)
    # One-time buyer: alive, no purchase with the NBD zero probability (100/280)^0.5.
    # Repeat buyer: dead, or alive without a purchase ((240)/(420))^(2.5).
    expected = [(100 / 280) ** 0.5, 1 - alive[1] + alive[1] * (240 / 420) ** 2.5]
    np.testing.assert_allclose(bgnbd_p_no_purchase(params, 180, x, t_x, big_t), expected)


def test_bgnbd_features_are_fitted_per_feature_date(training, scoring):
    both, message = add_bgnbd_features(pd.concat([training, scoring]), HORIZON)
    assert message.startswith("BG/NBD features 2025-07-04: fitted on 3000 customers")
    assert both[[*BGNBD_FEATURES, NO_PURCHASE_COLUMN]].notna().all().all()
    assert both["bgnbd_p_alive"].between(0, 1).all()
    # At least one purchase is more likely than not buying: P(N >= 1) <= E[N].
    assert (1 - both[NO_PURCHASE_COLUMN] <= both["bgnbd_expected_purchases"] + 1e-9).all()
    # The training rows' features come from a fit on the training rows alone: changing
    # every scoring row leaves them as they were.
    changed = scoring.copy()
    changed[list(INPUT_COLUMNS)] = simulate_bgnbd_inputs(len(scoring), 9).to_numpy()
    again, _ = add_bgnbd_features(pd.concat([training, changed]), HORIZON)
    is_training = both["is_training_row"].astype(bool)
    pd.testing.assert_frame_equal(both[is_training], again[is_training])
    assert not np.allclose(
        both.loc[~is_training, "bgnbd_p_alive"], again.loc[~is_training, "bgnbd_p_alive"]
    )


def test_bgnbd_features_fall_back_with_a_message(training, scoring):
    # Ten customers at the scoring date: too little data for a BG/NBD fit there, so the
    # features are left out at both dates and the model trains without them.
    frame = pd.concat([training.head(1000), scoring.head(10)])
    both, message = add_bgnbd_features(frame, HORIZON)
    assert "BG/NBD features left out (2025-12-31: too little data: 10 customers" in message
    assert both[BGNBD_FEATURES].isna().all().all()
    scores, model = score_customers(
        frame,
        horizon_days=HORIZON,
        min_training_rows=200,
        medium_from=0.4,
        high_from=0.7,
        cycle_multiple=3,
    )
    assert model.method == MODEL_METHOD
    assert not set(BGNBD_FEATURES) & set(model.features)
    assert len(scores) == 10 and "BG/NBD features left out" in scores["model_message"].iloc[0]


def test_training_bgnbd_fit_reads_nothing_after_the_training_date(con):
    """The built BG/NBD inputs at the training date equal an independent pandas count of
    purchase days up to that date; the training fit on them equals a fit on those counts,
    and changing every order after the training date leaves the training features as
    they were."""
    training_date = pd.Timestamp(
        con.execute(
            "select feature_date from intermediate.int_churn_feature_dates where is_training_row"
        ).fetchone()[0]
    )
    orders = placed_orders(con)
    orders["order_date"] = pd.to_datetime(orders["order_date"])
    past = orders[orders["order_date"] <= training_date].drop_duplicates(
        ["customer_id", "order_date"]
    )
    summary = past.groupby("customer_id")["order_date"].agg(["min", "max", "size"])
    expected = pd.DataFrame(
        {
            "bgnbd_frequency": summary["size"] - 1,
            "bgnbd_recency": (summary["max"] - summary["min"]).dt.days,
            "bgnbd_t": (training_date - summary["min"]).dt.days,
        }
    )
    built = con.execute("select * from intermediate.int_churn_features").df()
    rows = built[built["is_training_row"]].set_index("customer_id").loc[expected.index]
    pd.testing.assert_frame_equal(
        rows[list(INPUT_COLUMNS)], expected, check_dtype=False, check_names=False
    )
    fit = fit_bgnbd(*(expected[column].to_numpy(float) for column in INPUT_COLUMNS))
    assert fit.converged, fit.message
    with_features, _ = add_bgnbd_features(built, HORIZON)
    training = with_features[with_features["is_training_row"]].set_index("customer_id")
    np.testing.assert_allclose(
        training.loc[expected.index, "bgnbd_p_alive"],
        bgnbd_p_alive(BgNbdParams(**fit.params), *(expected[c] for c in INPUT_COLUMNS)),
        rtol=1e-6,
    )
    # The report's pandas twin, with every later order moved a day and doubled.
    history = load_history(con)
    later = history.orders["order_date"] > training_date
    moved = history.orders[later].assign(
        order_date=lambda frame: frame["order_date"] + pd.Timedelta(days=1)
    )
    changed = History(
        pd.concat([history.orders[~later], moved, moved.assign(order_id=moved["order_id"] + "x")]),
        history.items,
        history.returns,
        history.feedback,
        history.events,
        history.as_of_date,
    )
    original, _ = add_bgnbd_features(features_at(history, training_date), HORIZON)
    altered, _ = add_bgnbd_features(features_at(changed, training_date), HORIZON)
    pd.testing.assert_frame_equal(original, altered)
    np.testing.assert_allclose(
        original.set_index("customer_id").loc[expected.index, "bgnbd_p_alive"],
        training.loc[expected.index, "bgnbd_p_alive"],
        rtol=1e-6,
    )


def test_report_compares_with_recency_and_a_bgnbd_fit_at_the_date(con):
    """One evaluation date of the report on the test sample: the model, recency alone and
    BG/NBD expected purchases (fitted on the orders up to that date) are all scored."""
    history = load_history(con)
    date = history.as_of_date - pd.Timedelta(days=HORIZON)
    evaluation = evaluate_date(history, date, HORIZON, 200)
    assert {MODEL, RECENCY, BGNBD} <= set(evaluation.scores)
    assert f"{date.date()}: fitted on" in evaluation.bgnbd_message
    metrics = metrics_table([evaluation]).set_index("scorer")
    assert metrics.loc[BGNBD, "brier"] < 0.25 and np.isnan(metrics.loc[RECENCY, "brier"])
    assert metrics.loc[MODEL, "roc_auc"] > metrics.loc[RECENCY, "roc_auc"]


def test_report_dates_need_a_whole_horizon_before_the_as_of_date():
    path = Path(__file__).resolve().parents[1] / "scripts" / "train_churn.py"
    spec = importlib.util.spec_from_file_location("train_churn_script", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    as_of = pd.Timestamp("2025-12-31")
    dates = script.evaluation_dates(None, as_of, HORIZON)
    assert [str(value.date()) for value in dates] == ["2025-01-05", "2025-04-05", "2025-07-04"]
    with pytest.raises(ValueError, match="outcome is not known yet; use dates up to 2025-07-04"):
        script.evaluation_dates(["2025-08-01"], as_of, HORIZON)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        script.evaluation_dates(["August"], as_of, HORIZON)
