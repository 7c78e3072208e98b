"""Published crime: the data.police.uk street-level rows imported on the Data page, the
all-resident comparator for crime, by month and crime type and per 1,000 residents a year
by area. Never mixed with the records system's reports."""

import streamlit as st

from hidden_communities import published, text
from hidden_communities.filters import levels_for
from ui import explore as ec
from ui import sidebar, store, widgets

st.title(text.t("nav.published"))
filters = sidebar.current_filters()
st.info(text.t("published.source"))
params = {
    "start_date": filters.start,
    "end_date": filters.end,
    "area_codes": list(filters.areas),
    "crime_types": list(filters.crime_types),
}
period = published.covered(filters.start, filters.end)

st.subheader(text.t("published.by_month"))
sidebar.describe_filters(filters)
monthly = widgets.disclose(
    published.monthly(store.query("published_monthly", **params)), published.MONTHLY_SPEC
)
st.markdown(published.summary(monthly, period))
if not monthly.empty:
    widgets.chart(
        published.monthly_chart(monthly), key="published_chart", alt=published.monthly_alt(monthly)
    )
    widgets.table(
        published.monthly_display(monthly), key="published_monthly", file_name="published.csv"
    )
st.caption(text.t("published.crime_types_note"))

if not monthly.empty:  # nothing imported: no table of zeros
    st.subheader(text.t("published.by_area"))
    levels = levels_for(filters.audience, published.LEVELS)
    level = ec.choice(text.t("published.areas_choice"), levels, key="published_geo")
    raw = store.query("published_by_area", **params, level=level)
    days = period[2] if period else None
    areas = widgets.disclose(published.by_area(raw, days), published.AREA_SPEC)
    sidebar.describe_filters(filters)
    widgets.table(
        published.area_display(areas), key="published_areas", file_name=f"published_{level}.csv"
    )
    if period:
        st.caption(published.area_note(period))
