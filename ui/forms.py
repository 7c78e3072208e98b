"""The writing forms' glue: what the Data page shows about a checked file, the load and
undo actions, the templates, and saving a logged contact. Pages lay them out."""

from __future__ import annotations

from datetime import date

import streamlit as st

from hidden_communities import columns, ingest, loading, vocab

from . import store, widgets

FLASH_LOG_CONTACT = "flash_log_contact"


def check_report(checked: ingest.ImportOutcome) -> None:
    """Whether an upload can be loaded, and every problem by row, column, value and rule."""
    problems = checked.problems
    if checked.errors:
        st.error(checked.message, icon=":material/block:")
    elif not problems.empty:
        st.error(
            f"{len(checked.validation.rejected_rows)} of {checked.validation.rows_in_file} "
            "row(s) break the rules (listed below). Nothing is loaded unless you choose "
            "to load only the valid rows.",
            icon=":material/rule:",
        )
        widgets.table(
            problems,
            file_name="problems.csv",
            key="data_problems",
            label="Download the problem report",
        )
    else:
        st.success(
            f"All {checked.validation.rows_in_file} row(s) are valid (read as {checked.read_as}).",
            icon=":material/check_circle:",
        )


def load(data: bytes, name: str, kind: str, *, loaded_by: str, partial: bool) -> None:
    """Load a checked upload (waiting for any other load), then say what happened."""
    with store.writer() as cursor:
        outcome = ingest.import_file(
            cursor, data, name, kind, loaded_by=loaded_by, allow_partial=partial
        )
    (st.success if outcome.loaded else st.error)(outcome.message)
    rejected_rows = outcome.rejected_rows()
    if outcome.loaded and not rejected_rows.empty:
        widgets.download(
            rejected_rows,
            file_name=f"{name}.rejected.csv",
            key="data_rejected",
            label="Download the rejected rows",
        )


def undo_form(loaded_by: str) -> None:
    """The loads so far, and a form to undo one (its records stay while another live load
    holds them)."""
    imports = store.query("imports_list")
    widgets.table(imports, file_name="imports.csv", key="imports")
    live = imports[imports["undone_at"].isna()]["import_id"].tolist()
    with st.form("undo_form"):
        st.markdown(
            "**Undo a load.** Its records are deleted, except those another live load also "
            "holds; the row above stays as the trail."
        )
        chosen = st.selectbox("Load to undo", live, key="undo_id", index=None)
        sure = st.checkbox("Yes, undo this load", key="undo_sure")
        if st.form_submit_button("Undo the load") and chosen is not None and sure:
            try:
                with store.writer() as cursor:
                    removed = loading.undo_import(
                        cursor, int(chosen), undone_by=loaded_by or "dashboard"
                    )
            except ValueError as refused:  # already undone, or gone: say so, no traceback
                st.error(f"Load {chosen} was not undone: {refused}")
            else:
                st.success(f"Load {chosen} undone: {removed} record(s) deleted.")


def templates() -> None:
    """The import templates, their data dictionaries and how files are read."""
    st.markdown(
        "Headers match without regard to case or spaces (two headers for the same column are "
        "refused); dates may be dd/mm/yyyy or yyyy-mm-dd; coded columns take the code or its "
        "label; lists are separated by `;`; a workbook may have up to 24 columns. The full "
        "data dictionary is `docs/data-dictionary.md`."
    )
    for kind in ("contacts", "reports"):
        st.subheader(vocab.IMPORT_KINDS[kind])
        widgets.table(
            columns.dictionary(kind),
            file_name=f"{kind}-dictionary.csv",
            key=f"dictionary_{kind}",
            label="Download the dictionary",
        )
        for extension in ("csv", "xlsx"):
            widgets.download(
                columns.template_frame(kind),
                file_name=f"{kind}-template.{extension}",
                key=f"template_{kind}_{extension}",
                label="Template",
            )
    st.subheader(vocab.IMPORT_KINDS["police_uk"])
    st.markdown(
        "Load the street-level CSV exactly as downloaded from data.police.uk; rows are "
        "placed by LSOA code, and rows outside the district are counted, not loaded."
    )


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
        st.error("Say who logged it (name or collar number) so the record can be traced.")
        return
    with store.writer() as cursor:
        outcome = ingest.log_contact(cursor, entry, loaded_by=logged_by.strip())
    if not outcome.loaded:
        problems = (f"{p.column}: {p.rule}" for p in outcome.problems.itertuples() if p.column)
        st.error("Not saved. " + "; ".join(problems))
        return
    channel = vocab.CHANNELS[entry["channel"]].lower()
    st.session_state[FLASH_LOG_CONTACT] = (
        f"Saved: {channel} contact on {when:%d/%m/%Y}. It shows on every page now."
    )
    for key in [k for k in st.session_state if k.startswith("log_") and k != "log_by"]:
        del st.session_state[key]  # an empty form for the next contact
    st.rerun()
