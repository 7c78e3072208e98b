"""Trends: monthly contacts and crime reports per community with the campaign events, the
statistical process control reading, the interrupted time series at the campaign launch,
and before against after the launch."""

import streamlit as st

from hidden_communities import areas_view as av
from hidden_communities import text, trends
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
        help="Per 1,000: each calendar month's records per 1,000 residents of the community "
        "(Census 2021), a month, not a year; a part month covers fewer days.",
    )
noun = trends.RECORD_NOUNS[records]
raw = store.query("trend_monthly", **filters.params())
events = store.query("trend_campaign_events", start_date=filters.start, end_date=filters.end)
its, projected = trends.interrupted(raw, records, filters.communities, trends.launch_date(events))

st.subheader("Month by month")
shown = widgets.disclose(trends.monthly(raw, records, filters.communities), trends.MONTHLY_SPEC)
limits = widgets.disclose(trends.spc_limits(raw, records, filters.communities), trends.SPC_SPEC)
projected = widgets.disclose(projected, trends.COUNTERFACTUAL_SPEC)
widgets.notes(filter(None, [trends.scale_note(raw, scale, bool(filters.areas))]))
sidebar.describe_filters(filters)
widgets.chart(
    trends.monthly_chart(shown, events, records, scale, limits, projected),
    key="trend_chart",
    alt=trends.trends_alt(shown, records, scale),
)
st.markdown(trends.monthly_sentence(shown, records, scale))
st.caption(text.t("trends.comparator_note", noun=noun))
st.markdown(trends.spc_reading(shown, records))
st.caption(
    "Campaign events (dotted lines): "
    + "; ".join(f"{e.event_date:%-d %b %Y} {e.title}" for e in events.itertuples())
    if len(events)
    else "No campaign events fall in the period."
)
st.caption(
    f"SPC: an XmR chart of each community's monthly {noun} (counts; per 1,000 the same counts "
    "over a fixed number of residents): mean ± 2.66 × the average month-to-month change, "
    "from the complete months shown (a part month is not judged). Marked months: ★ beyond a "
    "limit, ■ a run of 7 on one side of the mean, ▲▼ 6 rising or falling, ◆ 2 of 3 near a "
    "limit. The dashed line is the earlier trend projected past the launch (below)."
)
widgets.table(
    trends.monthly_display(shown, scale), key="trend", file_name=f"monthly_{records}_{scale}.csv"
)

st.subheader("Did the campaign launch change the trend?")
sidebar.describe_filters(filters)
its = widgets.disclose(its, trends.ITS_SPEC)
st.markdown("\n".join(f"- {line}" for line in trends.its_sentences(its, records)))
widgets.table(trends.its_display(its, records), key="its", file_name=f"its_{records}.csv")
st.caption(
    f"Interrupted time series: a quasi-Poisson segmented regression of monthly {noun} (the "
    "days each month covers as the offset; month-of-year terms from two years of months), "
    "level change = the launch month against the earlier trend projected, slope change = how "
    f"the monthly trend changed after it; relative to all residents = against all residents' "
    f"{noun} that say who was involved, which removes changes that affected everyone. 95% "
    "Wald intervals. See the Methods page."
)

st.subheader("Before and after the campaign launch")
sidebar.describe_filters(filters)
changes = widgets.disclose(
    trends.before_after(
        store.query("trend_before_after", **filters.params()), records, filters.communities
    ),
    trends.BEFORE_AFTER_SPEC,
)
widgets.table(
    trends.before_after_display(changes),
    key="before_after",
    file_name=f"before_after_launch_{records}.csv",
)
st.caption(
    f"{noun[0].upper() + noun[1:]} a month after the launch divided by a month before, over the "
    "days the period and the records cover on each side (a description: the time series above "
    "allows for the trend). 95% intervals: exact (conditional binomial) when either side has "
    "fewer than 10, log-normal (Katz) otherwise. No ratio when either side has none."
)
