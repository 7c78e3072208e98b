"""Overview: each community's share of contacts and of crime reports against its share of
the population (Census 2021)."""

import streamlit as st

from hidden_communities import census_measures as census
from hidden_communities import charts, indicators, text
from ui import explore as ec
from ui import sidebar, store, widgets

st.title(text.t("overview_page.title"))
filters = sidebar.current_filters()
sidebar.describe_filters(filters)

measures = ec.census_measures(filters)
raw = store.query("overview_by_community", **filters.params())
raw = census.with_measures(raw, store.query("measure_baselines"), measures)
table = widgets.computed(indicators.overview, raw)
table = indicators.chosen_with_comparator(table, filters.communities)
shown = widgets.disclose(table, indicators.OVERVIEW_SPEC)

if filters.areas:
    st.info(indicators.area_filter_note(filters.communities, store.held_baselines()))

widgets.chart(
    widgets.figure(charts.share_comparison, shown),
    key="overview_chart",
    alt=indicators.overview_alt(shown),
)
for _, row in indicators.community_rows(shown).iterrows():
    st.markdown(
        f"- {indicators.overview_sentence(row, 'contact')}  \n"
        f"  {indicators.overview_sentence(row, 'report')}"
    )

st.subheader(text.t("overview_page.table_heading"))
widgets.table(indicators.overview_display(shown), file_name="overview.csv", key="overview")
st.caption(text.t("overview_page.caption"))
