"""Trends: monthly contacts and crime reports per community with the campaign events, the
recent trend, and before against after the campaign launch."""

import streamlit as st

from hidden_communities import areas_view as av
from hidden_communities import trends
from ui import explore as ec
from ui import sidebar, store, widgets

st.title("Trends over time")
filters = sidebar.current_filters()
left, right, _ = st.columns([2, 2, 4])
with left:
    records = ec.choice("Records", av.RECORD_LABELS, key="records")
with right:
    scale = ec.choice(
        "Scale",
        trends.SCALE_LABELS,
        key="scale",
        help="Per 1,000: records a month per 1,000 residents of the community (Census 2021).",
    )
noun = trends.RECORD_NOUNS[records]
raw = store.query("trend_monthly", **filters.params())

st.subheader("Recent trend")
sidebar.describe_filters(filters)
recent = widgets.disclose(
    trends.recent_trends(raw, records, filters.communities), trends.TREND_SPEC
)
for _, row in recent.iterrows():
    st.markdown(trends.trend_sentence(row, records))
st.caption(
    f"Each community's share of the {noun} that record who was involved, over the "
    "latest five months of the period: chi-square test for linear trend, significant "
    "at 99.8% (p < 0.002). See the Methods page."
)

st.subheader("Month by month")
shown = widgets.disclose(trends.monthly(raw, records, filters.communities), trends.MONTHLY_SPEC)
widgets.notes(filter(None, [trends.scale_note(raw, scale, bool(filters.areas))]))
sidebar.describe_filters(filters)
events = store.query("trend_campaign_events", start_date=filters.start, end_date=filters.end)
widgets.chart(
    trends.monthly_chart(shown, events, records, scale),
    key="trend_chart",
    alt=trends.trends_alt(shown, records, scale),
)
st.markdown(trends.monthly_sentence(shown, records, scale))
st.caption(
    "Campaign events (dotted lines): "
    + "; ".join(f"{e.event_date:%-d %b %Y} {e.title}" for e in events.itertuples())
    if len(events)
    else "No campaign events fall in the period."
)
widgets.table(
    trends.monthly_display(shown, scale), key="trend", file_name=f"monthly_{records}_{scale}.csv"
)

st.subheader("Before and after the campaign launch")
sidebar.describe_filters(filters)
changes = widgets.disclose(
    trends.before_after(
        store.query("trend_before_after", **filters.params()), records, filters.communities
    ),
    trends.BEFORE_AFTER_SPEC,
)
for _, row in changes[changes["channel"] == "all"].iterrows():
    st.markdown("- " + trends.before_after_sentence(row, records))
widgets.table(
    trends.before_after_display(changes),
    key="before_after",
    file_name=f"before_after_launch_{records}.csv",
)
st.caption(
    f"{noun[0].upper() + noun[1:]} a month after the launch divided by a month before, over the "
    "days the period and the records cover on each side; the population is the same on both "
    "sides, so per 1,000 residents the ratio is the same. 95% intervals: log-normal (Katz). "
    "It cannot be calculated when either side has none."
)
