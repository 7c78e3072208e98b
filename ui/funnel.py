"""The Under-representation page's funnel plot of areas: its choices, chart, sentence,
table and captions (Streamlit glue; the numbers come from hidden_communities.representation).
Returns what the reporting gap by area reuses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hidden_communities import annual, flags, text, vocab
from hidden_communities import areas_view as av
from hidden_communities import representation as rep
from hidden_communities.filters import Filters, levels_for
from ui import explore as ec
from ui import sidebar, store, widgets


def section(filters: Filters) -> tuple[str, dict[str, str], str, pd.DataFrame]:
    """Draw the funnel section; return the community chosen, the options, the level and
    the raw by-area frame."""
    st.subheader(text.t("repr_funnel_page.heading"))
    left, middle, right = st.columns([3, 3, 3])
    with left:
        community, options = ec.community_choice(filters)
    with middle:
        records = ec.choice(text.t("repr_funnel_page.records"), av.RECORD_LABELS, key="records")
    with right:
        level = ec.choice(
            text.t("repr_funnel_page.areas"),
            levels_for(filters.audience, av.LEVEL_LABELS),
            key="geo",
        )
    # A row of its own: three choices' labels need more room than a quarter of the page.
    limits_box, _ = st.columns([5, 3])
    with limits_box:
        limits = ec.choice(
            text.t("repr_funnel_page.limits"),
            flags.LIMIT_LABELS,
            key="limits",
            help=rep.limits_help(),
        )
    raw = store.query(
        "map_by_area",
        **filters.params(),
        level=level,
        community=community,
        area_measure=av.area_measure(community, level, store.held_baselines()),
    )
    days = annual.days(filters.start, filters.end)
    areas = widgets.disclose(
        widgets.computed(rep.funnel, raw, community, records, limits, days),
        rep.funnel_spec(community),
    )
    sidebar.describe_filters(filters)
    reading = rep.funnel_sentence(areas, community, records, level)
    funnel = widgets.figure(rep.funnel_chart, areas, community, records, level)
    widgets.chart(funnel, key="funnel_chart", alt=text.t("repr_funnel_page.alt", reading=reading))
    st.markdown(reading)
    name = f"funnel_{community}_{records}_{level}.csv"
    shown = widgets.computed(rep.funnel_display, areas, community)
    widgets.table(shown, key="funnel", file_name=name)
    if community == vocab.ALL_RESIDENTS:
        st.caption(annual.period_note(filters.start, filters.end))
    st.caption(text.t("repr_funnel_page.caption"))
    return community, options, level, raw
