"""Overview: each community's share of contacts and of crime reports against its share of
the population (Census 2021)."""

import streamlit as st

from hidden_communities import charts, indicators
from ui import sidebar, store, widgets

st.title("Hidden Communities: overview")
filters = sidebar.current_filters()
sidebar.describe_filters(filters)

table = indicators.overview(store.query("overview_by_community", **filters.params()))
table = table[table["community"].isin((*filters.communities, "all_residents"))]
shown = widgets.disclose(table, indicators.OVERVIEW_SPEC)

if filters.areas:
    st.info(
        "Population shares are for the whole district: the census publishes veterans, "
        "Eastern European and LGBTQ+ residents for the district only (LGB+ by MSOA), so "
        "this compares the chosen areas' records with the district's population mix."
    )

widgets.chart(
    charts.share_comparison(shown),
    key="overview_chart",
    alt="Bar chart: "
    + " ".join(
        indicators.overview_sentence(r)
        for _, r in shown.iterrows()
        if r["community"] != "all_residents"
    ),
)
for _, row in shown[shown["community"] != "all_residents"].iterrows():
    st.markdown(
        f"- {indicators.overview_sentence(row, 'contact')}  \n"
        f"  {indicators.overview_sentence(row, 'report')}"
    )

st.subheader("The table behind the chart")
widgets.table(indicators.overview_display(shown), file_name="overview.csv", key="overview")
st.caption(
    "Contact and report shares are among records whose community was filled in. "
    "Intervals are 95% Wilson intervals; the census baseline is taken as fixed. "
    "See the Methods page."
)
