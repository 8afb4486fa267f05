"""NPS and feedback: monthly NPS and the keywords of unhappy customers."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    ui.filter_note(
        channel=True,
        segment=False,
        dates=True,
        detail="Channel: of the survey touchpoint. Source: marts.nps_monthly",
    )
    trend = data.nps_trend(
        ui.mart("nps_monthly"), filters.channels, filters.start_date, filters.end_date
    )
    score = data.pooled_nps(trend)
    left, right = st.columns(2)
    left.metric("NPS in the range", "n/a" if score is None else f"{score:.1f}")
    right.metric("Answers", f"{int(trend['responses'].sum()):,}")
    st.altair_chart(
        alt.Chart(trend.dropna(subset=["nps"]))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Month"),
            y=alt.Y("nps:Q", title="NPS", scale=alt.Scale(domain=[-100, 100])),
            tooltip=["month:T", alt.Tooltip("nps:Q", format=".1f"), "responses"],
        )
        .properties(height=260),
        width="stretch",
    )
    st.subheader("Detractor keywords")
    ui.filter_note(
        channel=False,
        segment=False,
        dates=False,
        detail="Fixed trailing window up to the as-of date. Source: marts.feedback_keywords",
    )
    feedback = ui.mart("feedback_keywords")
    detractors, reviews = st.tabs(["NPS detractor comments", "Negative reviews"])
    detractors.dataframe(data.keywords(feedback, "nps_detractor"), hide_index=True, width="stretch")
    reviews.dataframe(data.keywords(feedback, "negative_review"), hide_index=True, width="stretch")


ui.run_page("NPS and feedback", render)
