"""The Under-representation page's funnel plot of areas: its choices, chart, sentence,
table and captions (Streamlit glue; the numbers come from hidden_communities.representation).
Returns what the reporting gap by area reuses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hidden_communities import annual, flags, vocab
from hidden_communities import areas_view as av
from hidden_communities import representation as rep
from hidden_communities.filters import Filters, levels_for
from ui import explore as ec
from ui import sidebar, store, widgets


def section(filters: Filters) -> tuple[str, dict[str, str], str, pd.DataFrame]:
    """Draw the funnel section; return the community chosen, the options, the level and
    the raw by-area frame."""
    st.subheader("Areas compared: funnel plot")
    left, middle, right, far = st.columns([3, 2, 3, 3])
    with left:
        community, options = ec.community_choice(filters)
    with middle:
        records = ec.choice("Records", av.RECORD_LABELS, key="records")
    with right:
        level = ec.choice("Areas", levels_for(filters.audience, av.LEVEL_LABELS), key="geo")
    with far:
        limits = ec.choice("Limits", flags.LIMIT_LABELS, key="limits", help=rep.limits_help())
    raw = store.query(
        "map_by_area",
        **filters.params(),
        level=level,
        community=community,
        area_measure=av.area_measure(community, level, store.held_baselines()),
    )
    days = annual.days(filters.start, filters.end)
    areas = widgets.disclose(
        rep.funnel(raw, community, records, limits, days), rep.funnel_spec(community)
    )
    sidebar.describe_filters(filters)
    reading = rep.funnel_sentence(areas, community, records, level)
    funnel = rep.funnel_chart(areas, community, records, level)
    widgets.chart(funnel, key="funnel_chart", alt="Funnel plot. " + reading)
    st.markdown(reading)
    name = f"funnel_{community}_{records}_{level}.csv"
    widgets.table(rep.funnel_display(areas, community), key="funnel", file_name=name)
    if community == vocab.ALL_RESIDENTS:
        st.caption(annual.period_note(filters.start, filters.end))
    st.caption(
        "Each area against the value over all the areas shown, with 95% and 99.8% control "
        "limits that narrow as areas get bigger (Wilson for shares, exact binomial where areas "
        "are small, exact Poisson for rates), widened when the areas vary more than chance "
        "allows; areas are flagged after allowing for all of them (Benjamini-Hochberg). A "
        "community's share needs no census figure for the area, so this works for every "
        "community. Areas partly outside the area filter are left out. See the Methods page."
    )
    return community, options, level, raw
