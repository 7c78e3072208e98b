"""Data quality: how completely contacts and reports record community, area and date."""

import streamlit as st

from hidden_communities import charts, quality
from hidden_communities.tables import Col, readable
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
long, flags = quality.completeness(by_month), quality.flag_months(by_month)
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

COLUMNS = [
    Col("Dataset", ("dataset",), "text"),
    Col("Month or team", ("grouping",), "text"),
    Col("Field", ("field",), "text"),
    Col("Records", ("records",)),
    Col("Filled in", ("filled",)),
    Col("Share filled in (95% CI)", ("share", "lower", "upper"), "percent"),
]
st.subheader("By month")
widgets.table(readable(long, COLUMNS), file_name="completeness-by-month.csv", key="quality_month")
st.subheader("By team")
by_team = quality.completeness(store.query("quality_by_month", group_by="team", **params))
widgets.table(readable(by_team, COLUMNS), file_name="completeness-by-team.csv", key="quality_team")
