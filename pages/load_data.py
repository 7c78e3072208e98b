"""Data: load contact logs, crime-report exports and data.police.uk files; see and undo loads."""

import streamlit as st

from hidden_communities import ingest, load_words, settings, text, uploads, vocab
from ui import forms, sidebar, store

st.title(text.t("nav.data"))
sidebar.inspector_only(text.t("data_page.inspector_only_what"))
load_tab, imports_tab, templates_tab = st.tabs(
    [text.t("data_page.tab_load"), text.t("data_page.tab_loads"), text.t("data_page.tab_templates")]
)

with load_tab:
    kind = st.radio(
        text.t("data_page.kind"),
        ingest.KINDS,
        horizontal=True,
        key="data_kind",
        format_func=text.in_language_now(vocab.IMPORT_KINDS.get),
    )
    upload = st.file_uploader(
        text.t("data_page.upload", size=load_words.setting(settings.MAX_UPLOAD_MB)),
        type=["csv", "xlsx", "txt"],
        key="data_upload",
    )
    # Markdown, not a caption: code spans in a caption fail the contrast rule (axe).
    st.markdown(uploads.limit_note(st.get_option("server.maxUploadSize")))
    loaded_by = st.text_input(text.t("data_page.loaded_by"), key="data_loaded_by", max_chars=100)
    if upload is not None:
        data = upload.getvalue()
        checked = store.check_upload(data, upload.name, kind)
        forms.check_report(checked)
        if not checked.errors:
            problems = checked.problems
            partial = not problems.empty and st.checkbox(
                text.t("data_page.partial"), key="data_partial"
            )
            ready = (problems.empty or partial) and bool(loaded_by.strip())
            if st.button(
                text.t("data_page.load"),
                type="primary",
                disabled=not ready,
                key="data_load",
                help=text.t("data_page.load_help"),
            ):
                forms.load(data, upload.name, kind, loaded_by=loaded_by.strip(), partial=partial)

with imports_tab:
    forms.undo_form(loaded_by.strip())

with templates_tab:
    forms.templates()
