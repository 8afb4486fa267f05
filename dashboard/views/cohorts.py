"""Cohort retention: share of each first-order cohort buying again, month by month."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui

MEASURES = {
    "Retention (bought in the month)": "retention_rate",
    "Repurchased (cumulative)": "repurchase_rate",
}


def render(filters: data.Filters) -> None:
    ui.filter_note(
        channel=False,
        segment=False,
        dates=True,
        detail="Cohorts whose first month is in the range. Source: marts.cohort_retention",
    )
    label = st.radio("Measure", list(MEASURES), horizontal=True, key="cohort_measure")
    long = data.cohort_long(
        ui.mart("cohort_retention"), filters.start_date, filters.end_date, MEASURES[label]
    )
    if long.empty:
        st.info("No cohort starts in the date range.")
        return
    st.metric("Cohorts", f"{long['cohort'].nunique():,}")
    heatmap = (
        alt.Chart(long)
        .mark_rect()
        .encode(
            x=alt.X("months_since_first_order:O", title="Months since first order"),
            y=alt.Y("cohort:O", title="Cohort (first order month)"),
            color=alt.Color("value:Q", title=label, scale=alt.Scale(scheme="blues")),
            tooltip=[
                "cohort",
                "months_since_first_order",
                "cohort_size",
                alt.Tooltip("value:Q", format=".1%"),
            ],
        )
        .properties(height=max(200, 24 * long["cohort"].nunique()))
    )
    st.altair_chart(heatmap, width="stretch")
    st.dataframe(data.cohort_matrix(long), width="stretch")


ui.run_page("Cohort retention", render)
