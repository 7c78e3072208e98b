"""Methods: how every figure is made, its assumptions and its sources (docs/methods.md)."""

import streamlit as st

from hidden_communities import settings

METHODS = settings.PROJECT_ROOT / "docs" / "methods.md"
DATA_NOTES = settings.DATA_DIR / "README.md"
CENSUS_SECTION = "## What the census can and cannot say"

st.markdown(METHODS.read_text(encoding="utf-8"))
notes = DATA_NOTES.read_text(encoding="utf-8")
if CENSUS_SECTION in notes:
    st.markdown("# The population baselines\n\n" + notes[notes.index(CENSUS_SECTION) :])
