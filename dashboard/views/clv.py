"""Customer value: distribution of predicted 365-day CLV and the top customers (masked)."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    ui.filter_note(channel=True, segment=True, dates=False, detail="Source: marts.customer_clv")
    clv = data.filter_customers(ui.mart("customer_clv"), ui.customer_dims(), filters)
    if clv.empty:
        st.info("No customers match the filters.")
        return
    predicted = clv["predicted_clv_365d"].astype(float)
    columns = st.columns(3)
    columns[0].metric("Customers", f"{len(clv):,}")
    columns[1].metric("Predicted CLV, next 365 days", ui.money(float(predicted.sum())))
    columns[2].metric("Median per customer", ui.money(float(predicted.median())))
    st.subheader("Distribution")
    st.caption("Customers by predicted 365-day CLV; the top 1% are counted in the last bar.")
    st.altair_chart(
        alt.Chart(data.clv_distribution(clv))
        .mark_bar()
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title="Predicted CLV (reporting currency)"),
            x2="bin_end:Q",
            y=alt.Y("customers:Q", title="Customers"),
            tooltip=["bin_start", "bin_end", "customers"],
        )
        .properties(height=260),
        width="stretch",
    )
    st.subheader("Top customers")
    st.caption("Customer ids are shown as short hashes.")
    st.dataframe(data.top_customers(clv), hide_index=True, width="stretch")


ui.run_page("Customer value", render)
