"""Streamlit glue shared by the exploring pages (map, trends, under-representation):
page choices bound to the URL, a chart that reports clicks, and turning a click on the map
into the shared area filter. Layout helpers only; the numbers come from the logic below.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from hidden_communities import areas_view, vocab
from ui import sidebar, store

_LAST_CLICK = "hc_map_last_click"


def choice(
    label: str,
    options: Mapping[str, str],
    *,
    key: str,
    default: str | None = None,
    help: str | None = None,
) -> str:
    """One of `options` (code -> short label), bound to the URL under `key`.

    A bound widget writes its label into the URL (?geo=LSOA), so labels stay short.
    """
    codes = list(options)
    return st.segmented_control(
        label,
        codes,
        format_func=options.get,
        default=default or codes[0],
        required=True,
        key=key,
        bind="query-params",
        help=help,
    )


def focus_options(filters) -> dict[str, str]:
    """The communities chosen in the sidebar, then all residents (the comparator)."""
    chosen = [c for c in vocab.COMMUNITIES if c in filters.communities]
    return {c: vocab.POPULATION_COMMUNITIES[c] for c in (*chosen, vocab.ALL_RESIDENTS)}


def community_choice(filters) -> tuple[str, dict[str, str]]:
    """The community a map or funnel shows (bound to the URL as `focus`), and the options."""
    options = focus_options(filters)
    community = st.selectbox(
        "Community", list(options), format_func=options.get, key="focus", bind="query-params"
    )
    return community, options


def selectable_chart(fig: go.Figure, *, alt: str, key: str) -> list[dict]:
    """A chart whose clicked points come back (for the map); [] when nothing is clicked."""
    event = st.plotly_chart(
        fig,
        key=key,
        alt=alt,
        on_select="rerun",
        selection_mode="points",
        config={"displaylogo": False, "scrollZoom": True},
    )
    return list(event.selection.points) if event and event.selection else []


def follow_click(points: list[dict], level: str) -> None:
    """Filter every page to the clicked area, once per click.

    The chart keeps its selection across reruns, so a click is acted on only when it
    differs from the last one handled: otherwise clearing the area filter in the sidebar
    would be undone at once by the old click.
    """
    request = areas_view.clicked_filter(points, level, store.query("areas"))
    if request is None or request == st.session_state.get(_LAST_CLICK):
        return
    st.session_state[_LAST_CLICK] = request
    if tuple(request[1]) != tuple(sidebar.current_filters().areas):
        sidebar.request_area_filter(*request)
