"""Widget state in the URL, as codes.

Streamlit's own binding writes a widget's displayed label into the URL, which would tie
shared links to one language. Here a widget's state is read from the URL once, when its
key has no state yet (a new session, or a page opened again), parsed into codes (old
label-valued links included), and every run writes the codes back, leaving out values
that equal their default.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

_BOUND = "hc_url_bound"  # key -> (serialise, default), for this run


def start_run() -> None:
    """Forget the keys bound by the previous run (a page's own choices come and go)."""
    st.session_state[_BOUND] = {}


def restore(
    key: str,
    parse: Callable[[list[str]], object],
    default: object,
    serialise: Callable[[object], list[str]] = lambda v: [str(v)],
) -> None:
    """Give widget `key` its state from the URL (or the default) if it has none, and
    bind it so the URL follows it. Call before the widget is drawn; draw the widget
    without a default of its own."""
    if key not in st.session_state:
        values = st.query_params.get_all(key)
        st.session_state[key] = parse(values) if values else default
    else:
        # Set again, so a widget of the same key on another page takes this value rather
        # than its own default (streamlit keeps only values set through session state).
        st.session_state[key] = st.session_state[key]
    st.session_state.setdefault(_BOUND, {})[key] = (serialise, default)


def current() -> dict[str, list[str]]:
    """The bound state as URL parameters (codes), defaults left out."""
    params = {}
    for key, (serialise, default) in st.session_state.get(_BOUND, {}).items():
        value = st.session_state.get(key)
        if value is None or _same(value, default):
            continue
        params[key] = serialise(value)
    return params


def publish() -> None:
    """Write the bound state into the URL (call once the page has drawn its widgets).
    Parameters no widget of this run owns (another page's choices) are left as they are,
    so going back to that page finds them."""
    wanted = current()
    for key in st.session_state.get(_BOUND, {}):
        if key in wanted:
            if st.query_params.get_all(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def _same(value: object, default: object) -> bool:
    if isinstance(value, list | tuple) and isinstance(default, list | tuple):
        return list(value) == list(default)
    return value == default
