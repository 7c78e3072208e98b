"""Trends: monthly contacts and crime reports per community with the campaign events, the
statistical process control reading, the interrupted time series at the campaign launch,
and before against after the launch."""

import streamlit as st

from hidden_communities import areas_view as av
from hidden_communities import text, trends
from ui import explore as ec
from ui import sidebar, store, widgets

st.title(text.t("trends_page.title"))
filters = sidebar.current_filters()
left, right, _ = st.columns([2, 2, 4])
with left:
    records = ec.choice(text.t("trends_page.records"), av.RECORD_LABELS, key="records")
with right:
    scale = ec.choice(
        text.t("trends_page.scale"),
        trends.SCALE_LABELS,
        key="scale",
        help=text.t("trends_page.scale_help"),
    )
noun = trends.RECORD_NOUNS[records]
raw = store.query("trend_monthly", **filters.params())
events = store.query("trend_campaign_events", start_date=filters.start, end_date=filters.end)
its, projected = widgets.computed(
    trends.interrupted, raw, records, filters.communities, trends.launch_date(events)
)

st.subheader(text.t("trends_page.month_by_month"))
shown = widgets.disclose(
    widgets.computed(trends.monthly, raw, records, filters.communities), trends.MONTHLY_SPEC
)
limits = widgets.disclose(
    widgets.computed(trends.spc_limits, raw, records, filters.communities), trends.SPC_SPEC
)
projected = widgets.disclose(projected, trends.COUNTERFACTUAL_SPEC)
widgets.notes(filter(None, [trends.scale_note(raw, scale, bool(filters.areas))]))
sidebar.describe_filters(filters)
widgets.chart(
    widgets.figure(trends.monthly_chart, shown, events, records, scale, limits, projected),
    key="trend_chart",
    alt=widgets.computed(trends.trends_alt, shown, records, scale),
)
st.markdown(widgets.computed(trends.monthly_sentence, shown, records, scale))
st.caption(text.t("trends.comparator_note", noun=noun))
st.markdown(trends.spc_reading(shown, records))
st.caption(trends.events_note(events))
st.caption(trends.spc_note(records))
widgets.table(
    widgets.computed(trends.monthly_display, shown, scale),
    key="trend",
    file_name=f"monthly_{records}_{scale}.csv",
)

st.subheader(text.t("trends_page.its_heading"))
sidebar.describe_filters(filters)
its = widgets.disclose(its, trends.ITS_SPEC)
st.markdown("\n".join(f"- {line}" for line in trends.its_sentences(its, records)))
widgets.table(trends.its_display(its, records), key="its", file_name=f"its_{records}.csv")
st.caption(trends.its_note(records))

st.subheader(text.t("trends_page.before_after_heading"))
sidebar.describe_filters(filters)
changes = widgets.disclose(
    widgets.computed(
        trends.before_after,
        store.query("trend_before_after", **filters.params()),
        records,
        filters.communities,
    ),
    trends.BEFORE_AFTER_SPEC,
)
widgets.table(
    trends.before_after_display(changes),
    key="before_after",
    file_name=f"before_after_launch_{records}.csv",
)
st.caption(trends.before_after_note(records))
