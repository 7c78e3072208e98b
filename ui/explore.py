"""Streamlit glue shared by the exploring pages (map, trends, under-representation):
page choices bound to the URL, a chart that reports clicks, and turning a click on the map
into the shared area filter. Layout helpers only; the numbers come from the logic below.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from hidden_communities import areas_view, filters, registry, text, vocab
from hidden_communities import census_measures as census
from hidden_communities.filters import Filters
from ui import sidebar, store, url

_LAST_CLICK = "hc_map_last_click"


def _one_of(options: Mapping[str, str], default: str):
    """A URL parser for one of `options`: its code, or (older links) its English label."""
    codes = list(options)
    kind = getattr(options, "kind", None)

    def parse(values: list[str]) -> str:
        if kind:
            return filters.parse_one(values[-1], codes, kind, default)
        by_label = {str(label).lower(): code for code, label in options.items()}
        value = values[-1].strip()
        return value if value in codes else by_label.get(value.lower(), default)

    return parse


def choice(
    label: str,
    options: Mapping[str, str],
    *,
    key: str,
    default: str | None = None,
    help: str | None = None,
) -> str:
    """One of `options` (code -> label), its code kept in the URL under `key`."""
    codes = list(options)
    default = default or codes[0]
    url.restore(key, _one_of(options, default), default)
    if st.session_state[key] not in codes:
        st.session_state[key] = default
    return st.segmented_control(
        label,
        codes,
        format_func=text.in_language_now(options.get),
        required=True,
        key=key,
        help=help,
    )


def focus_options(chosen: Filters) -> dict[str, str]:
    """The communities chosen in the sidebar, then all residents (the comparator)."""
    codes = [*registry.ordered(chosen.communities), registry.ALL_RESIDENTS]
    return {code: text.community(code) for code in codes}


def community_choice(chosen: Filters) -> tuple[str, dict[str, str]]:
    """The community a map or funnel shows (in the URL as `focus`), and the options."""
    options = focus_options(chosen)
    codes = list(options)
    url.restore("focus", _one_of(vocab.POPULATION_COMMUNITIES, codes[0]), codes[0])
    if st.session_state["focus"] not in codes:
        st.session_state["focus"] = codes[0]
    community = st.selectbox(
        text.t("filter.community_choice"),
        codes,
        format_func=text.in_language_now(options.get),
        key="focus",
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


def number_slider(
    label: str, *, key: str, bounds: tuple[float, float], default: float, step: float, help: str
) -> float:
    """A slider whose value is kept in the URL; a value outside the bounds is clamped."""
    low, high = bounds

    def parse(values: list[str]) -> float:
        try:
            value = float(values[-1])
        except ValueError:
            return default
        return min(max(value, low), high) if value == value else default

    url.restore(key, parse, default)
    return st.slider(label, low, high, step=step, key=key, help=help)


def listed_choice(
    label: str, options: Mapping[str, str], *, key: str, help: str | None = None
) -> str:
    """One of `options` (code -> label) from a drop-down, its code kept in the URL under
    `key`; a code the link does not offer gives the first option."""
    codes = list(options)

    def parse(values: list[str]) -> str:
        return values[-1] if values[-1] in codes else codes[0]

    url.restore(key, parse, codes[0])
    if st.session_state[key] not in codes:
        st.session_state[key] = codes[0]
    return st.selectbox(
        label, codes, format_func=text.in_language_now(options.get), key=key, help=help
    )


def census_measures(chosen: Filters) -> dict[str, str]:
    """The census measure of each chosen community that has alternatives (a drop-down
    each, in the URL as `census_measure_<community>`), as community -> measure code."""
    picked = {}
    for community in census.with_alternatives(chosen.communities):
        picked[community] = listed_choice(
            text.t("census_measure.control", people=text.people(community)),
            census.options(community),
            key=f"census_measure_{community}",
            help=text.t("census_measure.control_help"),
        )
    return picked
