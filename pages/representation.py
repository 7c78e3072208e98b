"""Under-representation: ratios per community with the census baseline's own uncertainty,
a funnel plot of areas, and the reporting gap."""

import streamlit as st

from hidden_communities import areas_view as av
from hidden_communities import census_measures as census
from hidden_communities import indicators, registry, text
from hidden_communities import representation as rep
from ui import explore as ec
from ui import funnel, sidebar, store, widgets

st.title(text.t("nav.representation"))
filters = sidebar.current_filters()
measures = ec.census_measures(filters)
raw = store.query("overview_by_community", **filters.params())
baselines = store.query("measure_baselines")
overview = widgets.computed(indicators.overview, census.with_measures(raw, baselines, measures))

st.subheader(text.t("repr_page.ratios_heading"))
shown = widgets.disclose(
    widgets.computed(
        rep.forest,
        overview,
        store.query("representation_census_nonresponse"),
        filters.communities,
    ),
    rep.FOREST_SPEC,
)
sidebar.describe_filters(filters)
widgets.chart(
    widgets.figure(rep.forest_chart, shown), alt=rep.forest_alt(shown), key="forest_chart"
)
st.markdown("\n".join(f"- {line}" for line in rep.forest_sentences(shown)))
widgets.table(rep.forest_display(shown), file_name="representation_ratios.csv", key="forest")
st.caption(text.t("repr_page.ratios_caption"))

st.subheader(text.t("census_measure.heading"))
sidebar.describe_filters(filters)
sensitivity = widgets.disclose(
    widgets.computed(census.sensitivity, raw, baselines, filters.communities),
    census.SENSITIVITY_SPEC,
)
widgets.table(
    census.sensitivity_display(sensitivity), file_name="census_measures.csv", key="measures"
)
st.caption(text.t("census_measure.caption"))

community, options, level, raw = funnel.section(filters)

st.subheader(text.t("repr_page.gap_heading"))
risk = ec.number_slider(
    text.t("repr_page.risk_label"),
    key="rr",
    bounds=rep.RISK_RANGE,
    default=1.0,
    step=0.05,
    help=text.t("repr_page.risk_help"),
)
st.caption(text.t("repr_page.gap_caption"))
gap = widgets.disclose(
    widgets.computed(rep.reporting_gap, overview, risk, filters.communities), rep.GAP_SPEC
)
sidebar.describe_filters(filters)
widgets.chart(widgets.figure(rep.gap_chart, gap), alt=rep.gap_alt(gap), key="gap_chart")
st.markdown("\n".join(f"- {rep.gap_sentence(row)}" for _, row in gap.iterrows()))
widgets.table(rep.gap_display(gap), file_name="reporting_gap.csv", key="gap")
if registry.is_community(community):
    st.markdown(
        text.t("repr_page.by_area", nouns=av.LEVEL_NOUNS[level], community=options[community])
    )
    by_area = widgets.disclose(rep.reporting_gap_by_area(raw, community, risk), rep.GAP_SPEC)
    widgets.notes([rep.area_gap_note(community, level)])
    st.markdown(rep.area_gap_sentence(by_area, level))
    widgets.table(
        rep.gap_display(by_area, by_area=True),
        key="gap_area",
        file_name=f"reporting_gap_{community}_{level}.csv",
    )
