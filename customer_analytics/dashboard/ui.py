"""Streamlit glue of the dashboard: cached loads, the sidebar filters, page scaffolding.

Pages under `dashboard/views/` stay thin: they call `run_page` with a function that reads
marts through `mart` and draws them. Loads are cached per warehouse file version (inode
and modification time), so a newly published warehouse is read on the next rerun.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from customer_analytics.dashboard import data

FILTERS_KEY = "dashboard_filters"
CHANNEL_KEY = "filter_channels"
SEGMENT_KEY = "filter_segments"
DATES_KEY = "filter_dates"


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_mart(path: str, version: tuple[int, int], mart: str) -> pd.DataFrame:
    del version  # part of the cache key only
    return data.read_mart(Path(path), mart)


def mart(name: str) -> pd.DataFrame:
    """The dashboard's columns of `marts.<name>` (cached until the warehouse file changes)."""
    path = data.warehouse_path()
    return _cached_mart(str(path), data.warehouse_version(path), name)


def customer_dims() -> pd.DataFrame:
    """Channel and RFM segment of every customer, for the filters."""
    return data.customer_dimensions(mart("dim_customers"), mart("customer_rfm"))


def filter_options() -> data.FilterOptions:
    return data.filter_options(customer_dims(), mart("rfm_segment_summary"), mart("kpi_daily"))


def sidebar_filters(options: data.FilterOptions) -> data.Filters:
    """Draw the sidebar filters and remember the choice for the pages."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    channels = sidebar.multiselect(
        "Channel",
        options.channels,
        key=CHANNEL_KEY,
        placeholder="All channels",
        help="A customer's channel is where they placed most orders.",
    )
    segments = sidebar.multiselect(
        "RFM segment", options.segments, key=SEGMENT_KEY, placeholder="All segments"
    )
    chosen = sidebar.date_input(
        "Date range",
        value=options.default_range(),
        min_value=options.min_date,
        max_value=options.max_date,
        key=DATES_KEY,
    )
    start, end = _date_range(chosen, options)
    sidebar.caption(f"Data as of {options.max_date:%Y-%m-%d}.")
    filters = data.Filters(tuple(channels), tuple(segments), start, end)
    st.session_state[FILTERS_KEY] = filters
    return filters


def _date_range(chosen: object, options: data.FilterOptions) -> tuple[date, date]:
    """The date input gives one date while the user is still picking the second."""
    values = list(chosen) if isinstance(chosen, list | tuple) else [chosen]
    values = [value for value in values if isinstance(value, date)]
    if not values:
        return options.default_range()
    return values[0], values[-1] if len(values) > 1 else options.max_date


def current_filters() -> data.Filters:
    return st.session_state.get(FILTERS_KEY, data.Filters())


def filter_note(channel: bool, segment: bool, dates: bool, detail: str = "") -> None:
    """Say which sidebar filters the page applies and which it cannot."""
    names = {"channel": channel, "segment": segment, "date range": dates}
    applied = [name for name, used in names.items() if used]
    ignored = [name for name, used in names.items() if not used]
    text = "Filters applied: " + (", ".join(applied) if applied else "none")
    if ignored:
        text += f". Not applied here (the data has no such dimension): {', '.join(ignored)}"
    st.caption(text + (f". {detail}" if detail else "."))


def run_page(title: str, render: Callable[[data.Filters], None]) -> None:
    """Draw a page; a warehouse problem becomes a message that says what to do."""
    st.title(title)
    try:
        render(current_filters())
    except data.WarehouseError as error:
        st.error(str(error))


def money(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def delta(current: float | None, previous: float | None) -> str | None:
    """Change against the previous window as a percentage, None when not comparable."""
    if current is None or not previous:
        return None
    return f"{(current - previous) / previous:+.1%}"
