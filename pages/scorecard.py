"""Leadership scorecard: each community's indicators against the district's targets and all
residents, with the findings and the one-page briefing."""

from functools import partial

import pandas as pd
import streamlit as st

from hidden_communities import briefing, periods, scorecard, targets, text
from ui import explore as ec
from ui import frame, sidebar, store, widgets

st.title(text.t("scorecard.title"))
filters = sidebar.current_filters()
if filters.audience == "public":
    st.info(text.t("scorecard.public"))
    st.stop()
status = store.data_status()
if pd.isna(status["last_date"]):
    st.info(text.t("briefing.no_records"))
    st.stop()
offered = periods.choices(
    pd.Timestamp(status["first_date"]).date(), pd.Timestamp(status["last_date"]).date()
)
code = ec.listed_choice(
    text.t("scorecard.period"),
    {p.code(): scorecard.period_label(p) for p in offered},
    key="card_period",
    help=text.t("scorecard.period_help"),
)
period = periods.parse(code)
st.caption(scorecard.period_words(period))

try:
    all_targets = targets.load_targets()
except targets.TargetsError as bad:
    problems = "\n".join(f"- {problem}" for problem in bad.problems)
    st.error(f"{text.t('scorecard.targets_problem')}\n\n{problems}", icon=":material/error:")
    all_targets = []
brief = briefing.gather(store.query, period, all_targets)
shown = widgets.disclose(brief.full, scorecard.SCORECARD_SPEC)

st.header(text.t("scorecard.targets_heading"))
st.markdown(
    "\n".join(
        f"- {scorecard.active_target_sentence(t)}: **{scorecard.rag_of(shown, t)}**"
        for t in brief.active
    )
    or text.t("scorecard.targets_none")
)

st.header(text.t("scorecard.findings_heading"))
st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(brief.findings, 1)))
st.caption(text.t("scorecard.findings_note"))

st.header(text.t("scorecard.table_heading"))
links = {
    i: frame.page_url(*scorecard.drill_down(row, period, filters.audience))
    for i, (_, row) in enumerate(shown.iterrows())
}
widgets.table(
    scorecard.display(shown, period, links=links),
    file_name=text.t("scorecard.table_file"),
    key="scorecard",
    style=scorecard.style,
    column_config={
        text.t("scorecard.col.link"): st.column_config.LinkColumn(
            display_text=text.t("scorecard.link")
        )
    },
)
st.markdown(f"**{text.t('scorecard.rules_heading')}**\n\n{text.t('scorecard.rules')}")

missing = briefing.unavailable()
if missing:
    st.warning(text.t("scorecard.briefing_missing", reason=missing), icon=":material/block:")
else:
    st.download_button(
        text.t("scorecard.download"),
        data=partial(briefing.pdf_in, brief, text.current_language()),  # made on click
        file_name=f"briefing-{period.code()}.pdf",
        mime="application/pdf",
        on_click="ignore",
        key="briefing_download",
        icon=":material/picture_as_pdf:",
        help=text.t("scorecard.download_help"),
    )
