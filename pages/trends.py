"""Trends: monthly contacts and crime reports per community with the campaign events, the
recent trend, and before against after the campaign launch."""

import streamlit as st

from hidden_communities import areas_view as av
from hidden_communities import trends
from pages import common
from pages import explore_common as ec

st.title("Trends over time")
filters = common.current_filters()
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
raw = common.query("trend_monthly", **filters.params())

st.subheader("Recent trend")
common.describe_filters(filters)
recent = common.disclose(trends.recent_trends(raw, records, filters.communities), trends.TREND_SPEC)
for _, row in recent.iterrows():
    st.markdown(trends.trend_sentence(row, records))
st.caption(
    f"Each community's share of the {noun} that record who was involved, over the "
    "latest five months of the period: chi-square test for linear trend, significant "
    "at 99.8% (p < 0.002). See the Methods page."
)

st.subheader("Month by month")
shown = common.disclose(trends.monthly(raw, records, filters.communities), trends.MONTHLY_SPEC)
ec.notes(filter(None, [trends.scale_note(raw, scale, bool(filters.areas))]))
common.describe_filters(filters)
events = common.query("trend_campaign_events", start_date=filters.start, end_date=filters.end)
common.chart(
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
common.table(
    trends.monthly_display(shown, scale), key="trend", file_name=f"monthly_{records}_{scale}.csv"
)

st.subheader("Before and after the campaign launch")
common.describe_filters(filters)
changes = common.disclose(
    trends.before_after(
        common.query("trend_before_after", **filters.params()), records, filters.communities
    ),
    trends.BEFORE_AFTER_SPEC,
)
for _, row in changes[changes["channel"] == "all"].iterrows():
    st.markdown("- " + trends.before_after_sentence(row, records))
common.table(
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
