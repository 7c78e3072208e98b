"""The Data, Log-a-contact, Data-quality and Methods pages under AppTest."""

from __future__ import annotations

import duckdb
import pytest

from hidden_communities import columns
from tests.builders import (
    CONTACT_ROW,
    PROJECT_ROOT,
    contacts,
    csv_header,
    empty_database,
    load_frame,
    open_page,
    reports,
    submit,
    table_with,
)

HEADER = csv_header("contacts")
ROW = CONTACT_ROW


@pytest.fixture
def db(tmp_path, reference):
    """A fresh database per test: these pages write."""
    path = tmp_path / "pages.duckdb"
    con = empty_database(path, reference)
    load_frame(con, contacts([("none", 3)]), "contacts", reference["areas"], "first.csv")
    con.close()
    return path


def count(path, sql: str):
    # Same settings as the app's connection in this process, so DuckDB shares the file.
    con = duckdb.connect(str(path))
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


def test_upload_check_then_load(db, monkeypatch):
    at = open_page(db, monkeypatch, "load_data")
    at.file_uploader(key="data_upload").set_value(("log.csv", (HEADER + ROW).encode(), "text/csv"))
    at.run()
    assert [s.value for s in at.success] == ["All 1 row(s) are valid (read as utf-8)."]
    assert at.button(key="data_load").disabled  # nobody has said who is loading it
    at.text_input(key="data_loaded_by").set_value("PC 1234").run()
    at.button(key="data_load").click().run()
    assert [s.value for s in at.success] == [
        "All 1 row(s) are valid (read as utf-8).",
        "1 new record(s) loaded.",
    ]
    assert count(db, "SELECT count(*) FROM contacts") == 4
    assert count(db, "SELECT loaded_by FROM imports ORDER BY import_id DESC LIMIT 1") == "PC 1234"


def test_upload_with_a_bad_row_loads_nothing_and_lists_the_problem(db, monkeypatch):
    at = open_page(db, monkeypatch, "load_data")
    bad = ROW.replace("14/05/2021", "31/02/2021")
    at.file_uploader(key="data_upload").set_value(
        ("log.csv", (HEADER + ROW + bad).encode(), "text/csv")
    )
    at.text_input(key="data_loaded_by").set_value("PC 1234")
    at.run()
    problems_found = (
        "1 of 2 row(s) break the rules (listed below). Nothing is loaded unless you choose to "
        "load only the valid rows."
    )
    assert [e.value for e in at.error] == [problems_found]
    problems = table_with(at, "row", "column", "value", "rule")
    assert problems[["row", "column", "value", "rule"]].to_dict("records") == [
        {
            "row": 3,
            "column": "contact_date",
            "value": "31/02/2021",
            "rule": "not a date: use dd/mm/yyyy or yyyy-mm-dd",
        },
    ]
    assert at.button(key="data_load").disabled
    at.checkbox(key="data_partial").check().run()
    at.button(key="data_load").click().run()
    assert [e.value for e in at.error] == [problems_found]
    assert [s.value for s in at.success] == ["1 new record(s) loaded; 1 rejected."]
    assert count(db, "SELECT count(*) FROM contacts") == 4


def test_undo_a_load_from_the_page(db, monkeypatch):
    at = open_page(db, monkeypatch, "load_data")
    imports = table_with(at, "import_id", "file_name")
    assert imports["file_name"].tolist() == ["first.csv"]
    at.selectbox(key="undo_id").set_value(1)
    at.checkbox(key="undo_sure").check()
    submit(at, "Undo the load").click().run()
    assert [s.value for s in at.success] == ["Load 1 undone: 3 record(s) deleted."]
    assert count(db, "SELECT count(*) FROM contacts") == 0


def test_templates_and_dictionary_are_offered(db, monkeypatch):
    at = open_page(db, monkeypatch, "load_data")
    dictionary = table_with(at, "column", "header needed", where={"column": "contact_date"})
    assert dictionary["column"].tolist() == [c.name for c in columns.CONTACT_COLUMNS]
    reports_dictionary = table_with(at, "column", "header needed", where={"column": "reported_on"})
    assert reports_dictionary["column"].tolist() == [c.name for c in columns.REPORT_COLUMNS]
    for kind in ("contacts", "reports"):
        assert at.download_button(key=f"template_{kind}_csv_download").label == "Template (CSV)"
        assert at.download_button(key=f"template_{kind}_xlsx_download").label == "Template (XLSX)"


def test_the_data_page_is_closed_to_the_public_audience(db, monkeypatch):
    at = open_page(db, monkeypatch, "load_data", audience="Public meeting")
    assert [i.value for i in at.info] == [
        "Loading and undoing data is for the Inspector audience only: choose it under Audience "
        "in the sidebar."
    ]
    assert not at.file_uploader


def test_a_logged_contact_shows_on_the_overview_at_once(db, monkeypatch):
    at = open_page(db, monkeypatch, "log_contact")
    at.multiselect(key="log_communities").set_value(["armed_forces"])
    at.selectbox(key="log_channel").set_value("face_to_face")
    at.selectbox(key="log_area").set_value("E05010679")  # Hucknall North
    at.text_input(key="log_by").set_value("PC 1234")
    when = at.date_input(key="log_date").value  # the form's default: today
    submit(at, "Save the contact").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        f"Saved: face-to-face contact on {when:%d/%m/%Y}. It shows on every page now."
    ]
    assert count(db, "SELECT count(*) FROM contacts") == 4
    assert count(db, "SELECT kind FROM imports ORDER BY import_id DESC LIMIT 1") == "form"
    at.switch_page("pages/overview.py").run()
    shown = table_with(at, "Community", "Contacts").set_index("Community")
    assert shown.loc["Armed forces veterans", "Contacts"] == "1"


def test_a_note_with_personal_data_is_refused_by_the_form(db, monkeypatch):
    at = open_page(db, monkeypatch, "log_contact")
    at.text_area(key="log_note").set_value("Spoke to jan.kowalski@example.com")
    at.text_input(key="log_by").set_value("PC 1234")
    submit(at, "Save the contact").click().run()
    assert [e.value for e in at.error] == [
        "Not saved. note: looks like personal data (an email address): remove it; notes must "
        "not identify anyone"
    ]
    assert count(db, "SELECT count(*) FROM contacts") == 3


def test_data_quality_flags_a_patchy_month(tmp_path, reference, monkeypatch):
    # Six months of 40 contacts each, community recorded for 36 of them, except March when
    # only 8 of 40 were: 8/40 = 20% with a 99.8% Wilson upper limit of about 42%, below the
    # overall 188/240 = 78%.
    path = tmp_path / "quality.duckdb"
    con = empty_database(path, reference)
    for month in ("01", "02", "03", "04", "05", "06"):
        recorded = 8 if month == "03" else 36
        frame = contacts(
            [("none", recorded), ("not_recorded", 40 - recorded)], contact_date=f"2021-{month}-10"
        )
        load_frame(con, frame, "contacts", reference["areas"], f"m{month}.csv")
    load_frame(con, reports([("none", 5)]), "reports", reference["areas"], "r.csv")
    con.close()
    at = open_page(path, monkeypatch, "data_quality")
    assert [w.value for w in at.warning] == [
        "**2021-03, contacts:** community filled in for 20% (usually 78%)."
    ]
    by_month = table_with(at, "Month or team", "Field", where={"Month or team": "2021-03"})
    march = by_month[(by_month["Month or team"] == "2021-03") & (by_month["Field"] == "community")]
    assert march["Share filled in (95% CI)"].tolist() == ["20.0% (10.5% to 34.8%)"]


def test_methods_page_states_the_methods(db, monkeypatch):
    at = open_page(db, monkeypatch, "methods_and_sources")
    shown = [m.value for m in at.markdown]
    # The page is docs/methods.md, whole (st.markdown strips the closing newline), then the
    # census section of data/README.md.
    methods = (PROJECT_ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    assert shown[0] == methods.strip()
    text = " ".join(shown)
    # Phrases rather than an exact page: the exact text is the file just compared; these
    # check that the file states the methods the figures use.
    for phrase in ("Wilson", "Byar", "census baseline is treated as fixed", "country of birth"):
        assert phrase in text


def test_a_files_problems_are_worded_in_the_pages_language(db, monkeypatch):
    """The rules a Polish user's file breaks are said in Polish, row by row; the same file
    checked in English says them as the command line does."""
    rows = (
        ROW.replace("14/05/2021", "31/02/2021")
        + ROW.replace(",no,\n", ",no,call jan@example.org\n")
        + ROW.replace(",phone,reactive,", ",pigeon,reactive,")
    )
    at = open_page(db, monkeypatch, "load_data", lang="pl")
    at.file_uploader(key="data_upload").set_value(("log.csv", (HEADER + rows).encode(), "text/csv"))
    at.run()
    problems = table_with(at, "wiersz", "kolumna", "wartość", "reguła")
    allowed = "community_leader, social_media, face_to_face, phone, public_meeting, video_online"
    assert problems.to_dict("records") == [
        {
            "wiersz": 2,
            "kolumna": "contact_date",
            "wartość": "31/02/2021",
            "reguła": "to nie jest data: użyj dd/mm/rrrr lub rrrr-mm-dd",
        },
        {
            "wiersz": 3,
            "kolumna": "note",
            "wartość": "call jan@example.org",
            "reguła": "wygląda na dane osobowe (adres e-mail): usuń je; notatki nie mogą nikogo "
            "identyfikować",
        },
        {
            "wiersz": 4,
            "kolumna": "channel",
            "wartość": "pigeon",
            "reguła": f"to nie jest dozwolona wartość (dozwolone: {allowed})",
        },
    ]
    # The same file on the page in English: the words the command line uses.
    at.selectbox(key="lang").set_value("en").run()
    problems = table_with(at, "row", "column", "value", "rule")
    assert problems["rule"].tolist() == [
        "not a date: use dd/mm/yyyy or yyyy-mm-dd",
        "looks like personal data (an email address): remove it; notes must not identify anyone",
        f"not an allowed value (allowed: {allowed})",
    ]
