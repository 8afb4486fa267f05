"""Overview: headline KPIs of the date range against the window before, trends, anomalies."""

from __future__ import annotations

import altair as alt
import streamlit as st

from customer_analytics.dashboard import data, ui


def render(filters: data.Filters) -> None:
    ui.filter_note(channel=False, segment=False, dates=True, detail="Source: marts.kpi_daily")
    kpi = ui.mart("kpi_daily")
    start, end = data.window_bounds(kpi, filters.start_date, filters.end_date)
    window = data.kpi_window(kpi, start, end)
    if window.empty:
        st.info("No KPI days in the date range.")
        return
    previous = data.kpi_window(kpi, *data.previous_window(start, end))
    now, before = data.kpi_totals(window), data.kpi_totals(previous)
    frequency = data.trend_frequency(start, end)
    trend = data.kpi_trend(window, frequency)
    columns = st.columns(3)
    columns[0].metric(
        "Revenue",
        ui.money(now["revenue"]),
        ui.delta(now["revenue"], before["revenue"]),
        chart_data=trend["revenue"],
        border=True,
    )
    columns[1].metric(
        "Orders",
        f"{now['orders']:,}",
        ui.delta(now["orders"], before["orders"]),
        chart_data=trend["orders"],
        border=True,
    )
    columns[2].metric(
        "AOV",
        ui.money(now["average_order_value"]),
        ui.delta(now["average_order_value"], before["average_order_value"]),
        border=True,
    )
    columns = st.columns(3)
    columns[0].metric(
        "New customers",
        f"{now['new_customers']:,}",
        ui.delta(now["new_customers"], before["new_customers"]),
        chart_data=trend["new_customers"],
        border=True,
    )
    columns[1].metric(
        "Active customers (last day)",
        f"{now['active_customers']:,}",
        ui.delta(now["active_customers"], before["active_customers"]),
        chart_data=trend["active_customers"],
        border=True,
    )
    nps = now["nps_trailing"]
    columns[2].metric(
        "NPS, trailing (last day)", "n/a" if nps is None else f"{nps:.1f}", border=True
    )
    st.caption(
        f"Deltas compare with the {(end - start).days + 1} days before the range; "
        f"sparklines by {frequency}."
    )

    st.subheader(f"Trend by {frequency}")
    for measure, title in (("revenue", "Revenue"), ("orders", "Orders")):
        line = (
            alt.Chart(trend)
            .mark_line(point=True)
            .encode(
                x=alt.X("period_start:T", title=frequency),
                y=alt.Y(f"{measure}:Q", title=title),
                tooltip=["period_start:T", f"{measure}:Q", "anomaly_days:Q"],
            )
        )
        flags = (
            alt.Chart(trend[trend["anomaly_days"] > 0])
            .mark_point(color="red", size=90, shape="triangle-up")
            .encode(x="period_start:T", y=f"{measure}:Q")
        )
        st.altair_chart((line + flags).properties(height=220), width="stretch")

    anomalies = data.anomaly_days(window)
    st.subheader(f"Anomaly flags ({len(anomalies)} days)")
    st.caption(
        "Red triangles mark periods with a flagged day. A day is flagged when a measure "
        "is far from the same weekday's baseline."
    )
    st.dataframe(anomalies, hide_index=True, width="stretch")


ui.run_page("Overview", render)
