"""Whose voice sets local priorities: topics ranked as heard and reweighted by each
community's share of residents, per community, and against the district's objectives."""

import streamlit as st

from hidden_communities import priorities as pr
from hidden_communities import text
from ui import explore as ec
from ui import sidebar, store, widgets

st.title(text.t("nav.priorities"))
filters = sidebar.current_filters()
if filters.audience == "public":
    st.info(text.t("priorities.public"))
    st.stop()
sidebar.describe_filters(filters)
st.markdown(text.t("priorities.intro"))
weights = {
    "contacts": text.t("priorities.weight_contacts"),
    "people": text.t("priorities.weight_people"),
}
weight = ec.choice(text.t("priorities.weight_choice"), weights, key="priorities_weight")
by_people = weight == "people"
st.caption(text.t(f"priorities.weight_note_{weight}"))

raw = store.query("priority_contacts", **filters.contact_params(), by_people=by_people)
contacts = pr.kinds(raw)
if contacts.empty:
    st.info(text.t("priorities.none"))
    st.stop()
shares = pr.population_shares(store.query("priority_population"))

st.subheader(text.t("priorities.ranking"))
compared = widgets.computed(pr.compare, contacts, shares)
left = pr.left_out_sentence(compared.attrs["left_out"], pr.thin_communities(contacts))
if left:
    st.warning(left, icon=":material/scale:")
shown = widgets.disclose(compared, pr.COMPARE_SPEC)
widgets.chart(
    widgets.figure(pr.compare_chart, shown), key="priorities_chart", alt=pr.compare_alt(shown)
)
widgets.table(
    pr.compare_display(shown, by_people), file_name="priorities.csv", key="priorities_rank"
)
st.caption(text.t("priorities.stability_note", resamples=text.number(pr.RESAMPLES), seed=pr.SEED))

st.subheader(text.t("priorities.by_community"))
communities = pr.by_community(contacts)
st.caption(text.t("priorities.by_community_note"))
disclosed = widgets.disclose(communities, pr.COMMUNITY_SPEC)
widgets.table(
    pr.community_display(disclosed), file_name="priorities-by-community.csv", key="priorities_comm"
)

st.subheader(text.t("priorities.coverage"))
active = [o for o in pr.load_objectives() if o.active(filters.start, filters.end)]
named = "; ".join(o.words() for o in active) or text.t("priorities.no_objectives")
st.caption(text.t("priorities.coverage_note", objectives=named))
covered, uncovered = pr.coverage(communities, compared, active)
widgets.table(
    pr.coverage_display(covered), file_name="priorities-objectives.csv", key="priorities_cover"
)
if uncovered:
    words = ", ".join(text.label("topic", t) for t in uncovered)
    st.warning(text.t("priorities.uncovered_top5", topics=words), icon=":material/flag:")
else:
    st.success(text.t("priorities.all_top5_covered"), icon=":material/check_circle:")
