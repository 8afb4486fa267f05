"""RFM segments: size and value of each segment for the filtered customers."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    ui.filter_note(channel=True, segment=True, dates=False, detail="Source: marts.customer_rfm")
    rfm = data.filter_customers(ui.mart("customer_rfm"), ui.customer_dims(), filters)
    sizes = data.segment_sizes(rfm, ui.mart("rfm_segment_summary"))
    shown = sizes[sizes["rfm_segment"].isin(filters.segments)] if filters.segments else sizes
    left, right = st.columns(2)
    left.metric("Customers", f"{int(shown['customers'].sum()):,}")
    right.metric("Net spend", ui.money(float(shown["monetary_reporting"].sum())))
    order = list(shown["rfm_segment"])
    chart_size = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            x=alt.X("customers:Q", title="Customers"),
            y=alt.Y("rfm_segment:N", sort=order, title=None),
            tooltip=["rfm_segment", "customers", alt.Tooltip("customer_share:Q", format=".1%")],
        )
    )
    chart_value = (
        alt.Chart(shown)
        .mark_bar(color="#2a9d8f")
        .encode(
            x=alt.X("monetary_reporting:Q", title="Net spend"),
            y=alt.Y("rfm_segment:N", sort=order, title=None),
            tooltip=[
                "rfm_segment",
                "monetary_reporting",
                alt.Tooltip("revenue_share:Q", format=".1%"),
            ],
        )
    )
    left.altair_chart(chart_size.properties(title="Size"), width="stretch")
    right.altair_chart(chart_value.properties(title="Value"), width="stretch")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "customer_share": st.column_config.NumberColumn(format="percent"),
            "revenue_share": st.column_config.NumberColumn(format="percent"),
            "monetary_reporting": st.column_config.NumberColumn(format="%.0f"),
            "avg_monetary_reporting": st.column_config.NumberColumn(format="%.0f"),
        },
    )


ui.run_page("RFM segments", render)
