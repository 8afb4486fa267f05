"""Returns by product: return rates against the category, abnormal products first."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    del filters  # products have no channel, segment or date here
    ui.filter_note(
        channel=False, segment=False, dates=False, detail="Source: marts.product_returns"
    )
    returns = ui.mart("product_returns")
    columns = st.columns(3)
    columns[0].metric("Products", f"{len(returns):,}")
    columns[1].metric("Returned units", f"{int(returns['returned_units'].sum()):,}")
    columns[2].metric("Abnormal return rate", f"{int(returns['is_abnormal_return_rate'].sum()):,}")
    st.subheader("By category")
    categories = data.returns_by_category(returns)
    st.altair_chart(
        alt.Chart(categories)
        .mark_bar()
        .encode(
            x=alt.X("return_rate:Q", title="Returned / sold units", axis=alt.Axis(format="%")),
            y=alt.Y("category_name_en:N", sort="-x", title=None),
            tooltip=["category_name_en", "sold_units", "returned_units"],
        )
        .properties(height=260),
        width="stretch",
    )
    minimum = st.number_input(
        "Minimum units sold", min_value=0, value=20, step=10, key="returns_min_sold"
    )
    st.subheader("Products with the highest return rates")
    st.dataframe(
        data.returns_by_product(returns, min_sold_units=int(minimum)),
        hide_index=True,
        width="stretch",
        column_config={
            "return_rate": st.column_config.NumberColumn(format="percent"),
            "category_return_rate": st.column_config.NumberColumn(format="percent"),
        },
    )


ui.run_page("Returns by product", render)
