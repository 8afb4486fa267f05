"""The Streamlit dashboard's logic: `data` (pure loads and shaping), `ui` (Streamlit glue)."""
