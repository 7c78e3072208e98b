"""Log a contact: one engagement, recorded through the same validation as a file."""

from datetime import date

import streamlit as st

from hidden_communities import text, vocab
from ui import forms, sidebar, store

t = text.t
st.title(t("nav.log_contact"))
sidebar.inspector_only(t("log_page.inspector_only_what"))
st.caption(t("log_page.intro"))

areas = store.query("area_options")
area_label = dict(zip(areas["area_code"], areas["label"], strict=True))
NOT_RECORDED, NONE = "not_recorded", "none"
community_options = [*vocab.COMMUNITIES, NONE, NOT_RECORDED]
community_label = {
    **vocab.COMMUNITIES,
    NONE: t("log_page.none_of_these"),
    NOT_RECORDED: t("log_page.not_known"),
}

if flash := st.session_state.pop(forms.FLASH_LOG_CONTACT, None):
    st.success(flash, icon=":material/check_circle:")

# Not cleared on submit: if a field is refused, the officer corrects it rather than retyping.
with st.form("log_contact", enter_to_submit=False):
    left, right = st.columns(2)
    when = left.date_input(
        t("log_page.date"),
        value=date.today(),
        max_value=date.today(),
        format="DD/MM/YYYY",
        key="log_date",
    )
    area = right.selectbox(
        t("log_page.area"),
        list(areas["area_code"]),
        index=None,
        format_func=text.in_language_now(area_label.get),
        key="log_area",
        placeholder=t("log_page.not_recorded"),
    )
    communities = st.multiselect(
        t("log_page.communities"),
        community_options,
        format_func=text.in_language_now(community_label.get),
        key="log_communities",
        placeholder=t("log_page.not_known"),
    )
    left, middle, right = st.columns(3)
    # Three drop-downs of codes (keys log_channel, log_place, log_language).
    channel, place, language = (
        box.selectbox(
            t(f"log_page.{name}"),
            list(codes),
            format_func=text.in_language_now(codes.get),
            key=f"log_{name}",
        )
        for box, name, codes in (
            (left, "channel", vocab.CHANNELS),
            (middle, "place", vocab.PLACE_TYPES),
            (right, "language", vocab.LANGUAGES),
        )
    )
    direction = st.radio(
        t("log_page.direction"),
        list(vocab.DIRECTIONS),
        horizontal=True,
        format_func=text.in_language_now(vocab.DIRECTIONS.get),
        key="log_direction",
    )
    left, right = st.columns(2)
    people = left.number_input(
        t("log_page.people"), min_value=1, max_value=5000, value=1, step=1, key="log_people"
    )
    team = right.text_input(t("log_page.team"), max_chars=60, key="log_team")
    topics = st.multiselect(
        t("log_page.topics"),
        list(vocab.TOPICS),
        format_func=text.in_language_now(vocab.TOPICS.get),
        key="log_topics",
    )
    age_band = st.radio(
        t("log_page.age_band"),
        list(vocab.AGE_BANDS),
        horizontal=True,
        format_func=text.in_language_now(vocab.AGE_BANDS.get),
        key="log_age_band",
    )
    follow_up = st.checkbox(t("log_page.follow_up"), key="log_follow_up")
    note = st.text_area(t("log_page.note"), max_chars=500, key="log_note")
    logged_by = st.text_input(t("log_page.logged_by"), max_chars=100, key="log_by")
    submitted = st.form_submit_button(t("log_page.save"), type="primary")

if submitted:
    entry = forms.contact_entry(
        when, area, team, communities, channel, direction, place, people, language, topics,
        follow_up, note, age_band,
    )  # fmt: skip
    forms.save_contact(entry, logged_by=logged_by, when=when)
