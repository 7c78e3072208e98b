"""Hidden Communities dashboard: the entry point. It routes, draws the shared sidebar
filters and frames every page; the pages hold their own layout."""

import streamlit as st

from ui import frame, language, sidebar, store, url

# A local icon: a ":material/...:" favicon is fetched from fonts.gstatic.com, and nothing
# may leave the machine.
st.set_page_config(
    page_title="Hidden Communities · Ashfield", page_icon=str(frame.ICON), layout="wide"
)
url.start_run()
language.apply()  # before any text: the page titles below are in the chosen language
app_pages = frame.pages()
# st.navigation first: until it is called, streamlit lists every file of pages/ itself.
navigation = st.navigation(app_pages, position="hidden")
language_box = st.sidebar.container()
links = st.sidebar.container()
language.control(language_box)
store.connection()
with store.held_open():  # the run's queries open at once; let go when it ends or stops
    sidebar.sidebar_filters()
    # The links and the URL before the page runs: a page may stop early (st.stop).
    url.publish()
    frame.navigation_links(links, app_pages)
    frame.demonstration_banner()
    frame.snapshot_banner()
    navigation.run()
    frame.footer()
    url.publish()
