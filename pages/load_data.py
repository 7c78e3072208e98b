"""Data: load contact logs, crime-report exports and data.police.uk files; see and undo loads."""

import streamlit as st

from hidden_communities import columns, ingest, loading, settings, vocab
from ui import sidebar, store, widgets

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
    loaded_by = st.text_input(
        "Loaded by (your name or collar number, for the audit trail)",
        key="data_loaded_by",
        max_chars=100,
    )
    if upload is not None:
        data = upload.getvalue()
        checked = store.check_upload(data, upload.name, kind)
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
                f"All {checked.validation.rows_in_file} row(s) are valid "
                f"(read as {checked.read_as}).",
                icon=":material/check_circle:",
            )
        if not checked.errors:
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
                with store.writer() as cursor:
                    outcome = ingest.import_file(
                        cursor,
                        data,
                        upload.name,
                        kind,
                        loaded_by=loaded_by.strip(),
                        allow_partial=partial,
                    )
                (st.success if outcome.loaded else st.error)(outcome.message)
                rejected_rows = outcome.rejected_rows()
                if outcome.loaded and not rejected_rows.empty:
                    widgets.download(
                        rejected_rows,
                        file_name=f"{upload.name}.rejected.csv",
                        key="data_rejected",
                        label="Download the rejected rows",
                    )

with imports_tab:
    imports = store.query("imports_list")
    widgets.table(imports, file_name="imports.csv", key="imports")
    live = imports[imports["undone_at"].isna()]["import_id"].tolist()
    with st.form("undo_form"):
        st.markdown("**Undo a load.** Its records are deleted; the row above stays as the trail.")
        chosen = st.selectbox("Load to undo", live, key="undo_id", index=None)
        sure = st.checkbox("Yes, delete every record this load added", key="undo_sure")
        if st.form_submit_button("Undo the load") and chosen is not None and sure:
            with store.writer() as cursor:
                removed = loading.undo_import(
                    cursor, int(chosen), undone_by=loaded_by.strip() or "dashboard"
                )
            st.success(f"Load {chosen} undone: {removed} record(s) deleted.")

with templates_tab:
    st.markdown(
        "Headers match without regard to case or spaces; dates may be dd/mm/yyyy or "
        "yyyy-mm-dd; coded columns take the code or its label; lists are separated "
        "by `;`. The full data dictionary is `docs/data-dictionary.md`."
    )
    for template_kind in ("contacts", "reports"):
        st.subheader(vocab.IMPORT_KINDS[template_kind])
        st.dataframe(
            columns.dictionary(template_kind), hide_index=True, key=f"dictionary_{template_kind}"
        )
        for extension in ("csv", "xlsx"):
            widgets.download(
                columns.template_frame(template_kind),
                file_name=f"{template_kind}-template.{extension}",
                key=f"template_{template_kind}_{extension}",
                label="Template",
            )
    st.subheader(vocab.IMPORT_KINDS["police_uk"])
    st.markdown(
        "Load the street-level CSV exactly as downloaded from data.police.uk; rows are "
        "placed by LSOA code, and rows outside the district are counted, not loaded."
    )
