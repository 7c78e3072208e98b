"""The shared sidebar filters, bound to the URL so a copied link reproduces the view."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from hidden_communities import vocab
from hidden_communities.filters import AUDIENCE_LABELS, Filters

from .store import data_status, query

FILTERS_KEY = "hc_filters"


def _labels(mapping):
    return lambda code: vocab.label(mapping, code)


PENDING_AREAS = "hc_pending_areas"


def request_area_filter(level: str, codes: list[str]) -> None:
    """Filter every page to these wards or LSOAs (e.g. after a click on the map).

    The sidebar widgets already exist when a page runs, and streamlit refuses changes to
    a drawn widget's state, so the request is parked and applied before the next run
    draws them.
    """
    if level not in ("ward", "lsoa"):
        raise ValueError(f"area filters are by ward or LSOA, not {level!r}")
    st.session_state[PENDING_AREAS] = (level, list(codes))
    st.rerun()


def _apply_pending_area_filter(areas: pd.DataFrame) -> None:
    pending = st.session_state.pop(PENDING_AREAS, None)
    if not pending:
        return
    level, codes = pending
    if level == "ward":
        st.session_state["ward"], st.session_state["lsoa"] = codes, []
    else:
        wards = areas.set_index("area_code").loc[codes, "ward_code"].unique().tolist()
        st.session_state["ward"], st.session_state["lsoa"] = wards, codes


def _follow_the_data(first: date, last: date) -> None:
    """Keep an untouched period equal to the data's whole span as records arrive (a
    contact logged today must show at once); a period the user chose stays as chosen."""
    previous = st.session_state.get("hc_period_default")
    st.session_state["hc_period_default"] = (first, last)
    if (
        previous
        and previous != (first, last)
        and tuple(st.session_state.get("period", ())) == previous
    ):
        st.session_state["period"] = (first, last)


def sidebar_filters() -> Filters:
    """The shared filters, drawn in the sidebar and bound to the URL query string."""
    status = data_status()
    if pd.isna(status["first_date"]):  # no records yet: the last twelve months
        first, last = date.today() - timedelta(days=365), date.today()
    else:
        first, last = (
            pd.Timestamp(status["first_date"]).date(),
            pd.Timestamp(status["last_date"]).date(),
        )
    areas = query("area_options")
    wards = areas[areas["area_level"] == "ward"]
    area_label = dict(zip(areas["area_code"], areas["label"], strict=True))
    _apply_pending_area_filter(areas)

    _follow_the_data(first, last)
    with st.sidebar:
        st.header("Filters")
        period = st.date_input(
            "Period",
            value=(first, last),
            min_value=date(2000, 1, 1),
            format="DD/MM/YYYY",
            key="period",
            bind="query-params",
        )
        start, end = (
            period if isinstance(period, tuple | list) and len(period) == 2 else (first, last)
        )
        communities = st.multiselect(
            "Communities",
            list(vocab.COMMUNITIES),
            default=list(vocab.COMMUNITIES),
            format_func=_labels(vocab.COMMUNITIES),
            key="community",
            bind="query-params",
            help="All residents are always shown as the comparator.",
        )
        with st.expander("Area", expanded=False):
            chosen_wards = st.multiselect(
                "Wards",
                list(wards["area_code"]),
                format_func=area_label.get,
                key="ward",
                bind="query-params",
            )
            lsoas = areas[
                (areas["area_level"] == "lsoa")
                & (areas["ward_code"].isin(chosen_wards) if chosen_wards else True)
            ]
            chosen_lsoas = st.multiselect(
                "LSOAs (neighbourhoods) within the wards",
                list(lsoas["area_code"]),
                format_func=area_label.get,
                key="lsoa",
                bind="query-params",
            )
        with st.expander("Contacts", expanded=False):
            channels = st.multiselect(
                "Channel",
                list(vocab.CHANNELS),
                format_func=_labels(vocab.CHANNELS),
                key="channel",
                bind="query-params",
            )
            directions = st.multiselect(
                "Direction",
                list(vocab.DIRECTIONS),
                format_func=_labels(vocab.DIRECTIONS),
                key="direction",
                bind="query-params",
            )
        with st.expander("Crime reports", expanded=False):
            crimes = st.multiselect(
                "Crime type",
                list(vocab.CRIME_TYPES),
                format_func=_labels(vocab.CRIME_TYPES),
                key="crime",
                bind="query-params",
            )
            strands = st.multiselect(
                "Hate-crime strand",
                list(vocab.HATE_STRANDS),
                format_func=_labels(vocab.HATE_STRANDS),
                key="strand",
                bind="query-params",
            )
        audience = st.selectbox(
            "Audience",
            list(AUDIENCE_LABELS),
            format_func=AUDIENCE_LABELS.get,
            key="audience",
            bind="query-params",
            help="Inspector: everything, small numbers flagged. Leadership: "
            "rates and ratios need 10 or more. Public meeting: counts under "
            "5 shown as <5, no free text.",
        )

    filters = Filters(
        start=start,
        end=end,
        communities=tuple(communities or vocab.COMMUNITIES),
        areas=tuple(chosen_lsoas or chosen_wards),
        channels=tuple(channels),
        directions=tuple(directions),
        crime_types=tuple(crimes),
        hate_strands=tuple(strands),
        audience=audience,
    )
    st.session_state[FILTERS_KEY] = filters
    st.session_state["hc_area_labels"] = area_label
    return filters


def current_filters() -> Filters:
    return st.session_state[FILTERS_KEY]


def describe_filters(filters: Filters) -> None:
    """The current filter in words, above a chart."""
    st.caption("Showing: " + filters.describe(st.session_state.get("hc_area_labels", {})))


def inspector_only(what: str) -> None:
    """Stop the page unless the audience is the inspector (who may see records' detail)."""
    if current_filters().audience != "inspector":
        st.info(
            f"{what} is for the Inspector audience only: choose it under Audience in the sidebar."
        )
        st.stop()
