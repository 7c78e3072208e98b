"""Data quality: how completely contacts and reports record community, area and date."""

import streamlit as st

from hidden_communities import charts, quality
from hidden_communities.tables import readable
from ui import sidebar, store, widgets

st.title("Data quality")
filters = sidebar.current_filters()
if filters.audience == "public":
    st.info(
        "Recording quality is for inspectors and leadership reviews: choose another "
        "audience in the sidebar."
    )
    st.stop()
st.caption(
    f"Showing: {filters.start:%-d %b %Y} to {filters.end:%-d %b %Y}, the whole district. "
    "Only the period applies here: other filters would hide the very records that lack "
    "a field."
)
st.markdown(
    "A record that does not say which community it concerns counts for no community, "
    "so gaps here pull every disparity figure down. A month is **flagged** when it has "
    "under 60% of a typical month's records, or a field is filled in significantly "
    "less often than usual (its 99.8% interval lies below the overall share)."
)

params = {"start_date": filters.start, "end_date": filters.end}
by_month = store.query("quality_by_month", group_by="month", **params)
long = widgets.disclose(quality.completeness(by_month), quality.COMPLETENESS_SPEC)
flags = quality.flag_months(by_month, filters.audience)
flagged = flags[flags["flag"] != ""]
for rec in flagged.itertuples():
    st.warning(f"**{rec.month}, {rec.dataset}:** {rec.flag}.", icon=":material/flag:")
if flagged.empty and not by_month.empty:
    st.success("No month looks incomplete.", icon=":material/check_circle:")

widgets.chart(
    charts.completeness_chart(long, flags),
    key="quality_chart",
    alt="Line chart of the share of contacts and reports with community, area and "
    f"date filled in, by month. Flagged months: {', '.join(flagged['month']) or 'none'}.",
)
st.subheader("By month")
shown = readable(long, quality.COLUMNS)
widgets.table(shown, file_name="completeness-by-month.csv", key="quality_month")
st.subheader("By team")
if filters.audience == "inspector":
    by_team = quality.completeness(store.query("quality_by_month", group_by="team", **params))
    by_team = widgets.disclose(by_team, quality.TEAM_SPEC)
    shown = readable(by_team, quality.COLUMNS)
    widgets.table(shown, file_name="completeness-by-team.csv", key="quality_team")
else:
    st.info("Team names are recorded as free text, so completeness by team is for inspectors.")
