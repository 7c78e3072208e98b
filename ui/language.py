"""The language of a page: from `?lang=` (any page), or the control in the sidebar.

It is chosen before anything else is drawn, so every title, label and sentence of the run
(page titles in the navigation included) comes from that language's catalogue. The page's
`<html lang>` follows it, so a screen reader reads Polish with a Polish voice (WCAG 3.1.1).
"""

from __future__ import annotations

import streamlit as st

from hidden_communities import text

from . import url

KEY = "lang"


def apply() -> str:
    """Set the run's language from the control's state, or the URL on a new session."""

    def parse(values: list[str]) -> str:
        wanted = values[-1].strip().lower()
        return wanted if wanted in text.languages() else text.DEFAULT_LANGUAGE

    url.restore(KEY, parse, text.DEFAULT_LANGUAGE)
    if st.session_state[KEY] not in text.languages():
        st.session_state[KEY] = text.DEFAULT_LANGUAGE
    text.set_language(st.session_state[KEY])
    return st.session_state[KEY]


def control(box) -> None:
    """The language switch, each language named in itself, and `<html lang>` to match."""
    with box:
        st.selectbox(
            text.t("ui_language.control"),
            list(text.languages()),
            format_func=text.native_name,
            key=KEY,
        )
    lang = text.current_language()
    # st.html runs the script in the page itself (not an iframe): the one way to set the
    # document's language from a Streamlit app.
    st.html(
        f"<script>document.documentElement.lang = {lang!r};</script>",
        unsafe_allow_javascript=True,
    )
