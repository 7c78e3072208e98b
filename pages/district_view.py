"""Districts compared: one community's contacts or crime reports per 1,000 of its
residents a year in every district of the forces the records are in, as a funnel plot
and a map of districts, each with its table."""

import streamlit as st

from hidden_communities import annual, flags, text
from hidden_communities import district_view as dv
from hidden_communities import representation as rep
from ui import explore as ec
from ui import sidebar, store, widgets

st.title(text.t("districts_page.nav"))
filters = sidebar.current_filters()
st.markdown(text.t("districts_page.intro"))
left, middle, _ = st.columns([3, 3, 2])
with left:
    community, _options = ec.community_choice(filters)
with middle:
    records = ec.choice(text.t("districts_page.records_label"), dv.record_labels(), key="records")
# A row of its own: three choices' labels need more room than a third of the page.
limits_box, _ = st.columns([5, 3])
with limits_box:
    limits = ec.choice(
        text.t("districts_page.limits_label"),
        flags.LIMIT_LABELS,
        key="limits",
        help=rep.limits_help(),
    )
raw = store.query("district_view", **dv.query_params(filters), community=community)
if dv.one_district(raw):
    widgets.notes([text.t("districts_page.one_district")])
st.caption(dv.scope_sentence(raw))
days = annual.days(filters.start, filters.end)

st.subheader(text.t("districts_page.funnel_heading"))
shown = widgets.disclose(widgets.computed(dv.funnel, raw, records, limits, days), dv.FUNNEL_SPEC)
sidebar.describe_filters(filters)
reading = dv.funnel_sentence(shown)
widgets.chart(
    widgets.figure(dv.funnel_chart, shown, community, records),
    alt=text.t("districts_page.funnel_alt", reading=reading),
    key="district_funnel",
)
st.markdown(reading)
widgets.table(
    dv.funnel_display(shown),
    key="district_funnel_table",
    file_name=f"districts_funnel_{community}_{records}.csv",
)
st.caption(annual.period_note(filters.start, filters.end))
st.caption(text.t("districts_page.funnel_caption"))

st.subheader(text.t("districts_page.map_heading"))
mapped = widgets.disclose(widgets.computed(dv.map_frame, raw, records, days), dv.MAP_SPEC)
sidebar.describe_filters(filters)
sentence = dv.map_sentence(mapped)
widgets.chart(
    widgets.figure(dv.map_figure, mapped, community, records),
    alt=text.t("districts_page.map_alt", reading=sentence),
    key="district_map",
)
st.markdown(sentence)
widgets.table(
    dv.map_display(mapped),
    key="district_map_table",
    file_name=f"districts_map_{community}_{records}.csv",
)
st.caption(text.t("districts_page.map_caption"))
