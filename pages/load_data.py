"""Data: load contact logs, crime-report exports and data.police.uk files; see and undo loads."""

import streamlit as st

from hidden_communities import ingest, settings, uploads, vocab
from ui import forms, sidebar, store

st.title("Data")
sidebar.inspector_only("Loading and undoing data")
load_tab, imports_tab, templates_tab = st.tabs(["Load a file", "Loads so far", "Templates"])

with load_tab:
    kind = st.radio(
        "What is in the file?",
        ingest.KINDS,
        horizontal=True,
        key="data_kind",
        format_func=vocab.IMPORT_KINDS.get,
    )
    upload = st.file_uploader(
        f"A CSV or Excel (.xlsx) file, up to {settings.MAX_UPLOAD_MB:g} MB",
        type=["csv", "xlsx", "txt"],
        key="data_upload",
    )
    st.caption(uploads.limit_note(st.get_option("server.maxUploadSize")))
    loaded_by = st.text_input(
        "Loaded by (your name or collar number, for the audit trail)",
        key="data_loaded_by",
        max_chars=100,
    )
    if upload is not None:
        data = upload.getvalue()
        checked = store.check_upload(data, upload.name, kind)
        forms.check_report(checked)
        if not checked.errors:
            problems = checked.problems
            partial = not problems.empty and st.checkbox(
                "Load only the valid rows, and give me the rejected rows as a file",
                key="data_partial",
            )
            ready = (problems.empty or partial) and bool(loaded_by.strip())
            if st.button(
                "Load",
                type="primary",
                disabled=not ready,
                key="data_load",
                help="Say who is loading it first.",
            ):
                forms.load(data, upload.name, kind, loaded_by=loaded_by.strip(), partial=partial)

with imports_tab:
    forms.undo_form(loaded_by.strip())

with templates_tab:
    forms.templates()
