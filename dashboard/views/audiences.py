"""Today's audiences: who the marketing automation lists on the as-of date, per trigger."""

from __future__ import annotations

import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    ui.filter_note(
        channel=True,
        segment=True,
        dates=False,
        detail="The audiences are those of the as-of date. Source: marts.marketing_audiences",
    )
    audiences = data.filter_customers(ui.mart("marketing_audiences"), ui.customer_dims(), filters)
    if audiences.empty:
        st.info("No audience rows match the filters.")
        return
    as_of = audiences["as_of_date"].max()
    st.caption(f"Audiences listed for {as_of:%Y-%m-%d}.")
    summary = data.audience_summary(audiences)
    columns = st.columns(3)
    columns[0].metric("Customers listed", f"{audiences['customer_id'].nunique():,}")
    columns[1].metric("Entered today", f"{int(summary['entered_today'].sum()):,}")
    columns[2].metric("Rows to contact", f"{int(summary['to_contact'].sum()):,}")
    st.subheader("By trigger")
    st.dataframe(summary, hide_index=True, width="stretch")
    st.subheader("To contact, by channel")
    st.dataframe(data.audience_channels(audiences), hide_index=True, width="stretch")
    trigger = st.selectbox("Trigger", list(summary["trigger_key"]), key="audience_trigger")
    st.caption("Ids shown as short hashes; holdout rows are the control group, not contacted.")
    st.dataframe(data.audience_list(audiences, trigger), hide_index=True, width="stretch")


ui.run_page("Today's audiences", render)
