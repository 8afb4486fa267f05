"""Lifecycle: where customers are now, and how they moved between stages month by month."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    st.subheader("Customers by stage today")
    ui.filter_note(
        channel=True, segment=True, dates=False, detail="Source: marts.customer_lifecycle"
    )
    lifecycle = data.filter_customers(ui.mart("customer_lifecycle"), ui.customer_dims(), filters)
    stages = data.stage_counts(lifecycle)
    st.metric("Customers", f"{len(lifecycle):,}")
    st.altair_chart(
        alt.Chart(stages)
        .mark_bar()
        .encode(
            x=alt.X("lifecycle_stage:N", sort=list(stages["lifecycle_stage"]), title=None),
            y=alt.Y("customers:Q", title="Customers"),
            tooltip=["lifecycle_stage", "customers", alt.Tooltip("customer_share:Q", format=".1%")],
        )
        .properties(height=240),
        width="stretch",
    )

    st.subheader("Flows between stages")
    ui.filter_note(
        channel=False,
        segment=False,
        dates=True,
        detail="Source: marts.lifecycle_transitions (all customers, month by month)",
    )
    transitions = ui.mart("lifecycle_transitions")
    matrix = data.transition_matrix(transitions, filters.start_date, filters.end_date)
    st.caption(
        "Customers in the row's stage at one month's snapshot and the column's the next, "
        "summed over the months in range (`none`: first order that month)."
    )
    st.dataframe(matrix, width="stretch")
    changes = data.stage_changes_by_month(transitions, filters.start_date, filters.end_date)
    st.altair_chart(
        alt.Chart(changes)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month_start_date):T", title="Month"),
            y=alt.Y("customers:Q", title="Customers changing stage"),
            color=alt.Color("to_stage:N", title="Entering stage"),
            tooltip=["month_start_date:T", "to_stage", "customers"],
        )
        .properties(height=260),
        width="stretch",
    )


ui.run_page("Lifecycle", render)
