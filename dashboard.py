"""Hidden Communities dashboard: the entry point. It routes, draws the shared sidebar
filters and frames every page; the pages hold their own layout."""

import streamlit as st

from ui import frame, sidebar, store

# A local icon: a ":material/...:" favicon is fetched from fonts.gstatic.com, and nothing
# may leave the machine.
st.set_page_config(
    page_title="Hidden Communities · Ashfield", page_icon=str(frame.ICON), layout="wide"
)

pages = {
    "Explore": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(
            "pages/map.py", title="Engagement map", icon=":material/map:", url_path="engagement-map"
        ),
        st.Page(
            "pages/trends.py", title="Trends", icon=":material/timeline:", url_path="monthly-trends"
        ),
        st.Page(
            "pages/representation.py",
            title="Under-representation",
            icon=":material/balance:",
            url_path="under-representation",
        ),
    ],
    "Data": [
        st.Page(
            "pages/data.py",
            title="Load and undo data",
            icon=":material/upload_file:",
            url_path="data",
        ),
        st.Page(
            "pages/log_contact.py",
            title="Log a contact",
            icon=":material/edit_note:",
            url_path="log-contact",
        ),
        st.Page(
            "pages/data_quality.py",
            title="Data quality",
            icon=":material/fact_check:",
            url_path="data-quality",
        ),
    ],
    "About": [
        st.Page(
            "pages/methods.py", title="Methods", icon=":material/functions:", url_path="methods"
        ),
    ],
}
# st.navigation first: until it is called, streamlit lists every file of pages/ itself.
navigation = st.navigation(pages)
store.connection()
sidebar.sidebar_filters()
frame.demonstration_banner()
navigation.run()
frame.footer()
