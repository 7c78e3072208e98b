"""Methods: how every figure is made, its assumptions and its sources (docs/methods.md),
in the reader's language where a translation exists (hidden_communities.methods_text)."""

import streamlit as st

from hidden_communities import methods_text

st.markdown(methods_text.methods())
census = methods_text.census_section()
if census is not None:
    st.markdown(census)
