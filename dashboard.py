"""Hidden Communities dashboard: the entry point. It routes, draws the shared sidebar
filters and frames every page; the pages hold their own layout."""

import streamlit as st

from pages import common

st.set_page_config(page_title="Hidden Communities · Ashfield", page_icon=":material/diversity_3:",
                   layout="wide")  # fmt: skip

common.connection()
# The filters come before st.navigation: their widgets are bound to the URL query string,
# and drawing them first lets a shared link's parameters reach them on the first run.
common.sidebar_filters()
pages = {
    "Explore": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    ],
}
navigation = st.navigation(pages)
common.demonstration_banner()
navigation.run()
common.footer()
