"""Log a contact: one engagement, recorded through the same validation as a file."""

from datetime import date

import streamlit as st

from hidden_communities import vocab
from ui import forms, sidebar, store

st.title("Log a contact")
sidebar.inspector_only("Logging a contact")
st.caption(
    "One engagement with residents. No names, addresses, phone numbers or other "
    "personal data: the form has no place for them, and the note must not hold any."
)

areas = store.query("area_options")
area_label = dict(zip(areas["area_code"], areas["label"], strict=True))
NOT_RECORDED, NONE = "not_recorded", "none"
community_options = [*vocab.COMMUNITIES, NONE, NOT_RECORDED]
community_label = {
    **vocab.COMMUNITIES,
    NONE: "None of these communities",
    NOT_RECORDED: "Not known",
}

if flash := st.session_state.pop(forms.FLASH_LOG_CONTACT, None):
    st.success(flash, icon=":material/check_circle:")

# Not cleared on submit: if a field is refused, the officer corrects it rather than retyping.
with st.form("log_contact", enter_to_submit=False):
    left, right = st.columns(2)
    when = left.date_input(
        "Date", value=date.today(), max_value=date.today(), format="DD/MM/YYYY", key="log_date"
    )
    area = right.selectbox(
        "Area (ward, or LSOA for more detail)",
        list(areas["area_code"]),
        index=None,
        format_func=area_label.get,
        key="log_area",
        placeholder="Not recorded",
    )
    communities = st.multiselect(
        "Communities engaged",
        community_options,
        format_func=community_label.get,
        key="log_communities",
        placeholder="Not known",
    )
    left, middle, right = st.columns(3)
    channel = left.selectbox(
        "Channel", list(vocab.CHANNELS), format_func=vocab.CHANNELS.get, key="log_channel"
    )
    place = middle.selectbox(
        "Place", list(vocab.PLACE_TYPES), format_func=vocab.PLACE_TYPES.get, key="log_place"
    )
    language = right.selectbox(
        "Language used", list(vocab.LANGUAGES), format_func=vocab.LANGUAGES.get, key="log_language"
    )
    direction = st.radio(
        "Who started it?",
        list(vocab.DIRECTIONS),
        horizontal=True,
        format_func=vocab.DIRECTIONS.get,
        key="log_direction",
    )
    left, right = st.columns(2)
    people = left.number_input(
        "People reached", min_value=1, max_value=5000, value=1, step=1, key="log_people"
    )
    team = right.text_input("Team", max_chars=60, key="log_team")
    topics = st.multiselect(
        "Topics raised", list(vocab.TOPICS), format_func=vocab.TOPICS.get, key="log_topics"
    )
    age_band = st.radio(
        "Age of the people reached",
        list(vocab.AGE_BANDS),
        horizontal=True,
        format_func=vocab.AGE_BANDS.get,
        key="log_age_band",
    )
    follow_up = st.checkbox("Follow-up needed", key="log_follow_up")
    note = st.text_area(
        "Note (optional; inspectors only). Never names, addresses, phone "
        "numbers, emails or anything else that could identify someone.",
        max_chars=500,
        key="log_note",
    )
    logged_by = st.text_input("Logged by (your name or collar number)", max_chars=100, key="log_by")
    submitted = st.form_submit_button("Save the contact", type="primary")

if submitted:
    entry = forms.contact_entry(
        when, area, team, communities, channel, direction, place, people, language, topics,
        follow_up, note, age_band,
    )  # fmt: skip
    forms.save_contact(entry, logged_by=logged_by, when=when)
