"""Engagement map: contacts and crime reports by area for one community, against the
Census 2021 baselines that exist for that area."""

import streamlit as st

from hidden_communities import annual
from hidden_communities import areas_view as av
from hidden_communities.filters import levels_for
from ui import explore as ec
from ui import sidebar, store, widgets

st.title("Engagement map")
filters = sidebar.current_filters()
left, middle, right, far = st.columns([2, 2, 3, 3])
with left:
    community, _options = ec.community_choice(filters)
with middle:
    records = ec.choice("Records", av.RECORD_LABELS, key="records")
with right:
    measure = ec.choice(
        "Measure",
        av.MEASURE_LABELS,
        key="measure",
        help="Per 1,000: records per 1,000 residents of the community a year, where "
        "the census counts them in each area. Ratio: the community's share of "
        "the records against its share of the population (1 = its fair share).",
    )
with far:
    level = ec.choice(
        "Areas",
        levels_for(filters.audience, av.LEVEL_LABELS),
        key="geo",
        help="LSOAs are Census 2021 neighbourhoods of about 1,600 residents; "
        "MSOAs group about five of them (LGB+ residents are published there).",
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
shown = widgets.disclose(av.map_frame(raw, view), av.MAP_SPEC)
widgets.notes(view.notes)

sidebar.describe_filters(filters)
points = ec.selectable_chart(
    av.map_figure(shown, view, store.query("map_towns")),
    alt=av.map_alt(shown, view),
    key="area_map",
)
ec.follow_click(points, level)
st.markdown(av.map_sentence(shown, view))
st.caption(
    av.unplaced_sentence(shown, view) + " Click an area to filter every page to it; "
    "clear it under Area in the sidebar."
)

st.subheader("The table behind the map")
widgets.table(
    av.map_display(shown, view),
    key="map",
    file_name=f"map_{community}_{records}_{view.measure}_{level}.csv",
)
if view.measure == "rate":
    st.caption(annual.period_note(filters.start, filters.end))
st.caption(
    "Intervals are 95%: exact Poisson (under 10 records) or Byar's for rates, Wilson for "
    "ratios; the census baseline is taken as fixed. Areas are compared with all the areas "
    "shown, and ratios read, after allowing for every area (Benjamini-Hochberg, false "
    "discovery rate 5%); the comparison widens its limits as the funnel plot does when the "
    "areas vary more than chance allows (additive random effects). Grey areas have fewer than "
    "10 records (or figures hidden for this audience): too few to say anything. See the "
    "Methods page."
)
