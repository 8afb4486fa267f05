"""Churn features and labels at any past date, from a built warehouse's history tables.

The evaluation report needs features at several dates, while the dbt build computes them
at two (`int_churn_features`). These functions recompute the same features in pandas
from the warehouse's order, item, return, feedback and event tables, reading only rows
dated on or before each feature date; pytest checks them against the built model.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from customer_analytics.churn.bgnbd_features import INPUT_COLUMNS
from customer_analytics.churn.model import SQL_FEATURES


@dataclass(frozen=True)
class History:
    """The dated history the features are computed from (the warehouse's as-of date)."""

    orders: pd.DataFrame
    items: pd.DataFrame
    returns: pd.DataFrame
    feedback: pd.DataFrame
    events: pd.DataFrame
    as_of_date: pd.Timestamp


def load_history(con: duckdb.DuckDBPyConnection) -> History:
    """Read the tables the churn features come from."""
    orders = con.execute(
        """
        select order_id, customer_id, order_date, channel,
            cast(order_total_reporting as double) as total
        from intermediate.int_placed_orders_netted
        """
    ).df()
    items = con.execute(
        """
        select customer_id, order_date, category_id
        from marts.fct_order_items
        where customer_id is not null and is_placed
        """
    ).df()
    returns = con.execute(
        "select order_id, requested_date from intermediate.int_returns_counted"
    ).df()
    feedback = con.execute(
        """
        select customer_id, feedback_type, feedback_id, feedback_at, feedback_date, score
        from intermediate.int_feedback_resolved
        where customer_id is not null
        """
    ).df()
    events = con.execute(
        """
        select customer_id, session_id, event_type, event_date
        from intermediate.int_events_resolved
        where customer_id is not null
        """
    ).df()
    as_of = con.execute("select as_of_date from intermediate.int_as_of_date").fetchall()[0][0]
    for frame, column in [
        (orders, "order_date"),
        (items, "order_date"),
        (returns, "requested_date"),
        (feedback, "feedback_date"),
        (events, "event_date"),
    ]:
        frame[column] = pd.to_datetime(frame[column])
    return History(orders, items, returns, feedback, events, pd.Timestamp(as_of))


def features_at(history: History, feature_date: pd.Timestamp) -> pd.DataFrame:
    """One row per buyer with the churn features at `feature_date` (no later data read).

    The SQL features and the BG/NBD inputs; the BG/NBD features themselves come from
    `add_bgnbd_features`, as in the build.
    """
    orders = history.orders[history.orders["order_date"] <= feature_date]
    days = (feature_date - orders["order_date"]).dt.days
    orders = orders.assign(
        last_90=np.where(days < 90, orders["total"], 0.0),
        previous_90=np.where((days >= 90) & (days < 180), orders["total"], 0.0),
        marketplace=orders["channel"].isin(["tmall", "jd"]).astype(float),
        store=(orders["channel"] == "store").astype(float),
    )
    frame = orders.groupby("customer_id").agg(
        first=("order_date", "min"),
        last=("order_date", "max"),
        order_count=("order_id", "size"),
        purchase_day_count=("order_date", "nunique"),
        gross=("total", "sum"),
        spend_last_90d_reporting=("last_90", "sum"),
        spend_previous_90d_reporting=("previous_90", "sum"),
        channel_count=("channel", "nunique"),
        marketplace_share=("marketplace", "mean"),
        store_share=("store", "mean"),
    )
    frame["recency_days"] = (feature_date - frame["last"]).dt.days
    frame["tenure_days"] = (feature_date - frame["first"]).dt.days
    frame["bgnbd_frequency"] = frame["purchase_day_count"] - 1
    frame["bgnbd_recency"] = (frame["last"] - frame["first"]).dt.days
    frame["bgnbd_t"] = frame["tenure_days"]
    frame["avg_order_value_reporting"] = frame["gross"] / frame["order_count"]
    purchase_days = orders[["customer_id", "order_date"]].drop_duplicates()
    purchase_days = purchase_days.sort_values(["customer_id", "order_date"])
    gaps = purchase_days.groupby("customer_id")["order_date"].diff().dt.days
    frame["median_gap_days"] = gaps.groupby(purchase_days["customer_id"]).median()
    items = history.items[history.items["order_date"] <= feature_date]
    frame["category_count"] = items.groupby("customer_id")["category_id"].nunique()
    returned = history.returns[history.returns["requested_date"] <= feature_date]
    returned = orders[orders["order_id"].isin(returned["order_id"])]
    frame["return_rate"] = returned.groupby("customer_id").size() / frame["order_count"]
    frame = frame.join(_feedback_features(history.feedback, feature_date))
    frame = frame.join(_event_features(history.events, feature_date))
    nullable = ("median_gap_days", "last_nps_score", "days_since_last_nps")
    counts = [name for name in SQL_FEATURES if name not in nullable]
    frame[counts] = frame[counts].fillna(0.0)
    frame = frame.reset_index()
    frame["feature_date"] = feature_date
    return frame[["customer_id", "feature_date", *SQL_FEATURES, *INPUT_COLUMNS]]


def _feedback_features(feedback: pd.DataFrame, feature_date: pd.Timestamp) -> pd.DataFrame:
    feedback = feedback[feedback["feedback_date"] <= feature_date]
    days = (feature_date - feedback["feedback_date"]).dt.days
    tickets = feedback[feedback["feedback_type"] == "ticket"]
    result = pd.DataFrame(
        {
            "ticket_count": tickets.groupby("customer_id").size(),
            "tickets_last_90d": tickets[days.loc[tickets.index] < 90].groupby("customer_id").size(),
        }
    )
    answers = feedback[feedback["feedback_type"] == "nps"].sort_values(
        ["customer_id", "feedback_at", "feedback_id"]
    )
    latest = answers.groupby("customer_id").tail(1).set_index("customer_id")
    result = result.join(
        pd.DataFrame(
            {
                "last_nps_score": latest["score"].astype(float),
                "days_since_last_nps": (feature_date - latest["feedback_date"]).dt.days,
            }
        ),
        how="outer",
    )
    return result


def _event_features(events: pd.DataFrame, feature_date: pd.Timestamp) -> pd.DataFrame:
    days = (feature_date - events["event_date"]).dt.days
    recent = events[(days >= 0) & (days < 90)].assign(days=days)
    last_30 = recent[recent["days"] < 30]
    grouped = recent.groupby("customer_id")
    grouped_30 = last_30.groupby("customer_id")
    return pd.DataFrame(
        {
            "sessions_last_30d": grouped_30["session_id"].nunique(),
            "sessions_last_90d": grouped["session_id"].nunique(),
            "product_views_last_30d": (last_30["event_type"] == "product_view")
            .groupby(last_30["customer_id"])
            .sum(),
            "product_views_last_90d": (recent["event_type"] == "product_view")
            .groupby(recent["customer_id"])
            .sum(),
            "cart_adds_last_30d": (last_30["event_type"] == "add_to_cart")
            .groupby(last_30["customer_id"])
            .sum(),
            "cart_adds_last_90d": (recent["event_type"] == "add_to_cart")
            .groupby(recent["customer_id"])
            .sum(),
        }
    )


def churn_labels(history: History, feature_date: pd.Timestamp, horizon_days: int) -> pd.Series:
    """True for each buyer at `feature_date` with no placed order in the horizon after it."""
    end = feature_date + pd.Timedelta(days=horizon_days)
    if end > history.as_of_date:
        raise ValueError(
            f"labels for {feature_date.date()} need orders up to {end.date()}, after the "
            f"warehouse's as-of date {history.as_of_date.date()}"
        )
    orders = history.orders
    buyers = orders.loc[orders["order_date"] <= feature_date, "customer_id"].unique()
    came_back = orders.loc[
        (orders["order_date"] > feature_date) & (orders["order_date"] <= end), "customer_id"
    ].unique()
    return pd.Series(~np.isin(buyers, came_back), index=buyers, name="is_churned")


def labelled_features_at(
    history: History, feature_date: pd.Timestamp, horizon_days: int
) -> pd.DataFrame:
    """Features at `feature_date` with the churn label of the following horizon."""
    frame = features_at(history, feature_date)
    labels = churn_labels(history, feature_date, horizon_days)
    return frame.assign(is_churned=frame["customer_id"].map(labels).astype(bool))
