"""Churn risk: customers by risk band, the riskiest customers and what drives their score."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    ui.filter_note(channel=True, segment=True, dates=False, detail="Source: marts.customer_churn")
    churn = data.filter_customers(ui.mart("customer_churn"), ui.customer_dims(), filters)
    if churn.empty:
        st.info("No customers match the filters.")
        return
    bands = data.churn_band_counts(churn)
    columns = st.columns(len(bands))
    for column, (_, band) in zip(columns, bands.iterrows(), strict=True):
        column.metric(
            f"{band['churn_risk_band'].capitalize()} risk",
            f"{band['customers']:,}",
            f"{band['customer_share']:.0%} of customers",
            delta_color="off",
            delta_arrow="off",
        )
    st.subheader("Riskiest customers")
    st.caption("Ids shown as short hashes; drivers: the features that raise the score most.")
    st.dataframe(
        data.churn_risk_list(churn),
        hide_index=True,
        width="stretch",
        column_config={
            "churn_probability": st.column_config.ProgressColumn(
                min_value=0, max_value=1, format="%.2f"
            )
        },
    )
    st.subheader("Most frequent drivers among high-risk customers")
    drivers = data.driver_frequency(churn[churn["churn_risk_band"] == "high"])
    st.altair_chart(
        alt.Chart(drivers.head(10))
        .mark_bar()
        .encode(
            x=alt.X("customers:Q", title="Customers"),
            y=alt.Y("feature:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        )
        .properties(height=28 * max(len(drivers.head(10)), 1)),
        width="stretch",
    )


ui.run_page("Churn risk", render)
