"""The Danish explainer (Streamlit). Pages call flexcalc; they never re-derive a number."""
