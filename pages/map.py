"""Engagement map: contacts and crime reports by area for one community, against the
Census 2021 baselines that exist for that area."""

import streamlit as st

from hidden_communities import annual, text
from hidden_communities import areas_view as av
from hidden_communities.filters import levels_for
from ui import explore as ec
from ui import sidebar, store, widgets

st.title(text.t("nav.map"))
filters = sidebar.current_filters()
left, middle, right, far = st.columns([2, 2, 3, 3])
with left:
    community, _options = ec.community_choice(filters)
with middle:
    records = ec.choice(text.t("map_page.records"), av.RECORD_LABELS, key="records")
with right:
    measure = ec.choice(
        text.t("map_page.measure"),
        av.MEASURE_LABELS,
        key="measure",
        help=text.t("map_page.measure_help"),
    )
with far:
    level = ec.choice(
        text.t("map_page.areas"),
        levels_for(filters.audience, av.LEVEL_LABELS),
        key="geo",
        help=text.t("map_page.areas_help"),
    )

held = store.held_baselines()
days = annual.days(filters.start, filters.end)
view = av.map_view(community, records, level, measure, held, days)
raw = store.query(
    "map_by_area",
    **filters.params(),
    level=level,
    community=community,
    area_measure=av.area_measure(community, level, held),
)
shown = widgets.disclose(widgets.computed(av.map_frame, raw, view), av.MAP_SPEC)
widgets.notes(view.notes)

sidebar.describe_filters(filters)
points = ec.selectable_chart(
    widgets.figure(av.map_figure, shown, view, store.query("map_towns")),
    alt=av.map_alt(shown, view),
    key="area_map",
)
ec.follow_click(points, level)
st.markdown(av.map_sentence(shown, view))
st.caption(av.unplaced_sentence(shown, view) + " " + text.t("map_page.click"))

st.subheader(text.t("map_page.table_heading"))
widgets.table(
    widgets.computed(av.map_display, shown, view),
    key="map",
    file_name=f"map_{community}_{records}_{view.measure}_{level}.csv",
)
if view.measure == "rate":
    st.caption(annual.period_note(filters.start, filters.end))
st.caption(text.t("map_page.caption"))
