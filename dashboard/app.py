"""Customer-analytics dashboard: `streamlit run dashboard/app.py` (or `make dashboard`).

Reads the warehouse at $WAREHOUSE_PATH (default `warehouse.duckdb`) read-only; one page
per topic under `dashboard/views/`, filters in the sidebar. The folder is not called
`pages/`: Streamlit would then also serve each page script on its own, without this
entry point (no sidebar filters) and with a second navigation.
"""

from __future__ import annotations

import streamlit as st

from customer_analytics.dashboard import data, ui

st.set_page_config(page_title="Customer analytics", page_icon=":material/insights:", layout="wide")

navigation = st.navigation(
    [
        st.Page(page.script, title=page.title, url_path=page.url_path, icon=page.icon)
        for page in data.PAGES
    ]
)
try:
    options = ui.filter_options()
except data.WarehouseError as error:
    st.title("Customer analytics")
    st.error(str(error))
    st.stop()
ui.sidebar_filters(options)
navigation.run()
