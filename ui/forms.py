"""The writing forms' glue: what the Data page shows about a checked file, the load and
undo actions, the templates, and saving a logged contact. Pages lay them out."""

from __future__ import annotations

from datetime import date

import streamlit as st

from hidden_communities import columns, ingest, load_words, loading, text, vocab

from . import store, widgets

FLASH_LOG_CONTACT = "flash_log_contact"


def check_report(checked: ingest.ImportOutcome) -> None:
    """Whether an upload can be loaded, and every problem by row, column, value and rule."""
    problems = checked.problems
    if checked.errors:
        st.error(load_words.outcome_message(checked), icon=":material/block:")
    elif not problems.empty:
        st.error(load_words.check_sentence(checked), icon=":material/rule:")
        widgets.table(
            load_words.problems_table(problems),
            file_name="problems.csv",
            key="data_problems",
            label=text.t("data_page.problems_download"),
        )
    else:
        st.success(load_words.check_sentence(checked), icon=":material/check_circle:")


def load(data: bytes, name: str, kind: str, *, loaded_by: str, partial: bool) -> None:
    """Load a checked upload (waiting for any other load), then say what happened."""
    with store.writer() as cursor:
        outcome = ingest.import_file(
            cursor, data, name, kind, loaded_by=loaded_by, allow_partial=partial
        )
    (st.success if outcome.loaded else st.error)(load_words.outcome_message(outcome))
    rejected_rows = outcome.rejected_rows()
    if outcome.loaded and not rejected_rows.empty:
        widgets.download(
            rejected_rows,
            file_name=f"{name}.rejected.csv",
            key="data_rejected",
            label=text.t("data_page.rejected_download"),
        )


def undo_form(loaded_by: str) -> None:
    """The loads so far, and a form to undo one (its records stay while another live load
    holds them)."""
    imports = store.query("imports_list")
    widgets.table(load_words.imports_table(imports), file_name="imports.csv", key="imports")
    live = imports[imports["undone_at"].isna()]["import_id"].tolist()
    with st.form("undo_form"):
        st.markdown(text.t("data_page.undo_intro"))
        chosen = st.selectbox(text.t("data_page.undo_choice"), live, key="undo_id", index=None)
        sure = st.checkbox(text.t("data_page.undo_sure"), key="undo_sure")
        if st.form_submit_button(text.t("data_page.undo_button")) and chosen is not None and sure:
            try:
                with store.writer() as cursor:
                    removed = loading.undo_import(
                        cursor, int(chosen), undone_by=loaded_by or "dashboard"
                    )
            except ValueError as refused:  # already undone, or gone: say so, no traceback
                st.error(text.t("data_page.undo_refused", load=chosen, reason=refused))
            else:
                st.success(load_words.undone_sentence(chosen, removed))


def templates() -> None:
    """The import templates, their data dictionaries and how files are read."""
    st.markdown(text.t("data_page.templates_intro"))
    for kind in ("contacts", "reports"):
        st.subheader(vocab.IMPORT_KINDS[kind])
        widgets.table(
            columns.dictionary(kind, literal=lambda value: f"`{value}`"),  # as typed in a file
            file_name=f"{kind}-dictionary.csv",
            key=f"dictionary_{kind}",
            label=text.t("data_page.dictionary_download"),
        )
        for extension in ("csv", "xlsx"):
            widgets.download(
                columns.template_frame(kind),
                file_name=f"{kind}-template.{extension}",
                key=f"template_{kind}_{extension}",
                label=text.t("data_page.template_download"),
            )
    st.subheader(vocab.IMPORT_KINDS["police_uk"])
    st.markdown(text.t("data_page.police_uk_note"))


def contact_entry(
    when, area, team, communities, channel, direction, place, people, language, topics,
    follow_up, note, age_band,
) -> dict:  # fmt: skip
    """The form's fields as one row of a contacts file (codes; lists joined by ';')."""
    return {
        "contact_date": when.isoformat(),
        "area": area or "",
        "team": team,
        "communities": ";".join(communities) or "not_recorded",
        "channel": channel,
        "direction": direction,
        "place_type": place,
        "people_reached": str(int(people)),
        "language": language,
        "topics": ";".join(topics),
        "follow_up_needed": "yes" if follow_up else "no",
        "note": note,
        "age_band": age_band,
    }


def save_contact(entry: dict, *, logged_by: str, when: date) -> None:
    """Save a logged contact through the import validation; on success empty the form."""
    if not logged_by.strip():
        st.error(text.t("log_page.who_logged_it"))
        return
    with store.writer() as cursor:
        outcome = ingest.log_contact(cursor, entry, loaded_by=logged_by.strip())
    if not outcome.loaded:
        problems = (f"{p.column}: {p.rule}" for p in outcome.problems.itertuples() if p.column)
        st.error(text.t("log_page.not_saved", problems="; ".join(problems)))
        return
    st.session_state[FLASH_LOG_CONTACT] = load_words.saved_contact(entry["channel"], when)
    for key in [k for k in st.session_state if k.startswith("log_") and k != "log_by"]:
        del st.session_state[key]  # an empty form for the next contact
    st.rerun()
