"""Data quality: how completely contacts and reports record community, area and date."""

import streamlit as st

from hidden_communities import quality, text
from hidden_communities.tables import readable
from ui import sidebar, store, widgets

t = text.t
st.title(t("nav.data_quality"))
filters = sidebar.current_filters()
if filters.audience == "public":
    st.info(t("quality_page.public"))
    st.stop()
st.caption(
    t(
        "quality_page.showing",
        start=text.date(filters.start, "short"),
        end=text.date(filters.end, "short"),
    )
)
st.markdown(t("quality_page.intro"))

params = {"start_date": filters.start, "end_date": filters.end}
by_month = store.query("quality_by_month", group_by="month", **params)
long = widgets.disclose(widgets.computed(quality.completeness, by_month), quality.COMPLETENESS_SPEC)
flags = widgets.computed(quality.flag_months, by_month, filters.audience)
flagged = flags[flags["flag"] != ""]
for rec in flagged.itertuples():
    dataset = text.label("quality.dataset", rec.dataset)
    st.warning(
        t("quality_page.flag", month=rec.month, dataset=dataset, flag=rec.flag),
        icon=":material/flag:",
    )
if flagged.empty and not by_month.empty:
    st.success(t("quality_page.none_flagged"), icon=":material/check_circle:")

widgets.chart(
    widgets.figure(quality.completeness_chart, long, flags),
    key="quality_chart",
    alt=t("quality_page.alt", months=", ".join(flagged["month"]) or t("quality_page.alt_none")),
)
st.subheader(t("quality_page.by_month"))
shown = widgets.computed(readable, long, quality.columns())
widgets.table(shown, file_name="completeness-by-month.csv", key="quality_month")
st.subheader(t("quality_page.by_team"))
if filters.audience == "inspector":
    by_team = quality.completeness(store.query("quality_by_month", group_by="team", **params))
    by_team = widgets.disclose(by_team, quality.TEAM_SPEC)
    shown = readable(by_team, quality.columns())
    widgets.table(shown, file_name="completeness-by-team.csv", key="quality_team")
else:
    st.info(t("quality_page.team_inspectors"))
