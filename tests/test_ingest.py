"""Getting data in: every rule, the exact message, and nothing lost or half-loaded."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hidden_communities.ingest import import_file
from hidden_communities.loading import undo_import
from hidden_communities.readers import decode_text
from tests.builders import csv_header

TODAY = date(2026, 11, 25)
HEADER = csv_header("contacts")
GOOD_ROW = (
    "14/05/2021,E01027925,Sutton,eastern_european,face_to_face,proactive,"
    "specialist_food_shop,3,polish,trust_in_police,no,\n"
)
REPORT_HEADER = csv_header("reports")


def snapshot(con) -> tuple:
    """Everything a load could change, so 'unchanged' can be asserted exactly."""
    return con.execute(
        "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM reports),"
        " (SELECT count(*) FROM imports),"
        " (SELECT coalesce(sum(hash(record_key)), 0) FROM contacts),"
        " (SELECT coalesce(sum(hash(record_key)), 0) FROM reports)"
    ).fetchall()[0]


def load(con, text: str | bytes, kind: str = "contacts", name: str = "log.csv", **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_file(con, data, name, kind, loaded_by="pytest", today=TODAY, **kw)


def rejected(con, text, kind="contacts", name="log.csv", **kw):
    before = snapshot(con)
    outcome = load(con, text, kind, name, **kw)
    assert not outcome.loaded
    assert snapshot(con) == before, "a rejected file changed the database"
    return outcome


# --------------------------------------------------------------------------- success


def test_a_good_file_loads_and_is_recorded(con):
    outcome = load(con, HEADER + GOOD_ROW)
    assert outcome.message == "1 new record(s) loaded."
    row = con.execute(
        "SELECT contact_date, area_code, communities, channel, people_reached, language"
        " FROM contacts"
    ).fetchall()
    assert row == [
        (date(2021, 5, 14), "E01027925", ["eastern_european"], "face_to_face", 3, "polish")
    ]
    imp = con.execute(
        "SELECT kind, file_name, rows_in_file, rows_accepted, rows_duplicate, rows_rejected,"
        " loaded_by FROM imports"
    ).fetchall()
    assert imp == [("contacts", "log.csv", 1, 1, 0, 0, "pytest")]


def test_headers_match_without_case_or_spaces_and_labels_are_accepted(con):
    header = (
        "Contact Date, AREA ,Team,Communities,Channel,Direction,Place Type,People Reached,"
        "Language,Topics,Follow-up needed\n"
    )
    row = (
        "2021-05-14,Hucknall North,,Armed forces veterans; LGBTQ+,Face-to-face,Proactive "
        "outreach,Community venue,2,English,Mental health,Yes\n"
    )
    outcome = load(con, header + row)
    assert outcome.loaded, outcome.problems.to_dict("records")
    got = con.execute("SELECT area_code, communities, follow_up_needed FROM contacts").fetchall()
    assert got == [("E05010679", ["armed_forces", "lgbtq"], True)]


def test_uk_and_iso_dates_are_both_accepted(con):
    rows = GOOD_ROW + GOOD_ROW.replace("14/05/2021", "2021-06-01").replace(",3,", ",4,")
    assert load(con, HEADER + rows).loaded
    dates = [r[0] for r in con.execute("SELECT contact_date FROM contacts ORDER BY 1").fetchall()]
    assert dates == [date(2021, 5, 14), date(2021, 6, 1)]


# --------------------------------------------------------------------------- rejections


def test_bad_dates_are_reported_with_row_column_value_and_rule(con):
    rows = (
        GOOD_ROW
        + GOOD_ROW.replace("14/05/2021", "31/02/2021")
        + GOOD_ROW.replace("14/05/2021", "05-14-2021")
        + GOOD_ROW.replace("14/05/2021", "01/01/2027")
        + GOOD_ROW.replace("14/05/2021", "31/12/1999")
    )
    outcome = rejected(con, HEADER + rows)
    assert outcome.problems.to_dict("records") == [
        {
            "row": None,
            "column": "",
            "value": "",
            "rule": "4 row(s) broke the rules, so nothing was loaded. Fix them, or choose to load "
            "only the valid rows.",
        },
        {
            "row": 3,
            "column": "contact_date",
            "value": "31/02/2021",
            "rule": "not a date: use dd/mm/yyyy or yyyy-mm-dd",
        },
        {
            "row": 4,
            "column": "contact_date",
            "value": "05-14-2021",
            "rule": "not a date: use dd/mm/yyyy or yyyy-mm-dd",
        },
        {
            "row": 5,
            "column": "contact_date",
            "value": "01/01/2027",
            "rule": "date is in the future",
        },
        {
            "row": 6,
            "column": "contact_date",
            "value": "31/12/1999",
            "rule": "date is before 01/01/2000",
        },
    ]


def test_unknown_community_codes_are_all_reported_at_once(con):
    rows = GOOD_ROW.replace("eastern_european", "polish_people") + GOOD_ROW.replace(
        "eastern_european", "eastern_european;none"
    )
    outcome = rejected(con, HEADER + rows)
    problems = outcome.problems.dropna(subset=["row"]).to_dict("records")
    assert problems == [
        {
            "row": 2,
            "column": "communities",
            "value": "polish_people",
            "rule": "not an allowed value (allowed: eastern_european, armed_forces, lgbtq)",
        },
        {
            "row": 3,
            "column": "communities",
            "value": "eastern_european;none",
            "rule": "'none' or 'not_recorded' cannot be combined with a community",
        },
    ]


def test_missing_columns_are_named(con):
    outcome = rejected(con, "contact_date,area,channel\n14/05/2021,E01027925,phone\n")
    assert outcome.errors == [
        "missing required column(s): communities, direction, place_type, people_reached, "
        "language, topics, follow_up_needed"
    ]


def test_a_contacts_file_offered_as_reports_is_recognised(con):
    outcome = rejected(con, HEADER + GOOD_ROW, kind="reports")
    assert outcome.errors == [
        "this looks like a contact log file, not a crime reports (records system export) "
        "file (columns reported_on, crime_type, hate_strands, victim_communities, outcome "
        "are missing)"
    ]


def test_a_zero_byte_file(con):
    assert rejected(con, b"").errors == ["the file is empty (0 bytes)"]


def test_a_header_with_no_rows(con):
    assert rejected(con, HEADER).errors == ["the file has a header but no rows"]


def test_a_file_over_the_size_limit(con):
    outcome = rejected(con, HEADER + GOOD_ROW * 20, max_mb=0.001)
    assert outcome.errors == [
        "the file is 0.0 MB; the limit is 0.001 MB (split it, or ask an administrator to "
        "raise HC_MAX_UPLOAD_MB)"
    ]


def test_a_huge_row_count_is_refused_before_validation(con):
    outcome = rejected(con, HEADER + GOOD_ROW * 1001, max_rows=1000)
    assert outcome.errors == [
        "the file has 1,001 rows; the limit is 1,000 rows a file (split it, or ask an "
        "administrator to raise HC_MAX_IMPORT_ROWS)"
    ]


def test_a_large_file_loads_in_one_go(con):
    # 50,000 distinct contacts: different people_reached and dates make every row unique.
    rows = [
        f"{1 + i % 28:02d}/{1 + (i // 28) % 12:02d}/{2020 + (i // 336) % 2},E01027925,,none,"
        f"phone,reactive,phone,{1 + i // 672},english,,no,\n"
        for i in range(50_000)
    ]
    outcome = load(con, HEADER + "".join(rows))
    assert outcome.message == "50000 new record(s) loaded."
    assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(50_000,)]


def test_an_xlsx_with_two_sheets(con):
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.create_sheet("Notes")
    data = io.BytesIO()
    book.save(data)
    outcome = rejected(con, data.getvalue(), name="log.xlsx")
    assert outcome.errors == [
        "the workbook has 2 sheets (Sheet, Notes): put the data on one sheet and delete the "
        "others, so nothing is loaded by mistake"
    ]


def test_an_xlsx_with_formulas(con):
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(
        [
            "14/05/2021",
            "E01027925",
            "",
            "none",
            "phone",
            "reactive",
            "phone",
            "=1+1",
            "english",
            "",
            "no",
            "",
        ]
    )
    data = io.BytesIO()
    book.save(data)
    outcome = rejected(con, data.getvalue(), name="log.xlsx")
    assert outcome.errors == [
        "the sheet has 1 formula cell(s) (H2): copy the sheet and paste values only, then "
        "upload again"
    ]


def test_an_xlsx_with_real_dates_and_numbers_loads(con):
    from datetime import datetime

    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(
        [
            datetime(2021, 5, 14),
            "E01027925",
            "",
            "armed_forces",
            "phone",
            "reactive",
            "phone",
            2,
            "english",
            "mental_health",
            "no",
            None,
        ]
    )
    data = io.BytesIO()
    book.save(data)
    outcome = load(con, data.getvalue(), name="log.xlsx")
    assert outcome.loaded and outcome.read_as == "xlsx"
    got = con.execute("SELECT contact_date, people_reached FROM contacts").fetchall()
    assert got == [(date(2021, 5, 14), 2)]


def test_an_old_xls_file(con):
    outcome = rejected(con, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="log.xls")
    assert outcome.errors == ["old-style .xls workbooks are not read: save it as .xlsx or CSV"]


def test_a_note_holding_personal_data_is_refused(con):
    row = GOOD_ROW.replace(",no,\n", ",no,Call Anna on 07700 900123\n")
    outcome = rejected(con, HEADER + row)
    problems = outcome.problems.dropna(subset=["row"]).to_dict("records")
    assert problems == [
        {
            "row": 2,
            "column": "note",
            "value": "Call Anna on 07700 900123",
            "rule": "looks like personal data (a phone number): remove it; notes must not "
            "identify anyone",
        },
    ]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1250"])
def test_polish_names_survive_every_encoding(con, encoding):
    row = GOOD_ROW.replace(",no,\n", ",no,Leaflets from PC Kacprzycka; video made in Łódź\n")
    outcome = load(con, (HEADER + row).encode(encoding))
    assert outcome.loaded
    assert con.execute("SELECT note FROM contacts").fetchall() == [
        ("Leaflets from PC Kacprzycka; video made in Łódź",)
    ]


def test_western_european_text_is_read_as_windows_1252():
    text, encoding = decode_text("team,note\nSutton,Café meeting cost £5\n".encode("cp1252"))
    assert encoding == "cp1252"
    assert text == "team,note\nSutton,Café meeting cost £5\n"


def test_a_semicolon_separated_file_from_a_polish_excel(con):
    text = (HEADER + GOOD_ROW).replace(",", ";").replace("trust_in_police", "trust_in_police")
    assert load(con, text.encode("cp1250")).loaded


def test_mixed_encodings_in_one_file_are_rejected_not_mangled(con):
    # A UTF-8 log with one row pasted in from a Windows-1250 file: no single decoding reads
    # both "Łódź"s, so the file is refused with the line that differs, not garbled.
    utf8_part = (HEADER + GOOD_ROW.replace(",no,\n", ",no,Łódź\n")).encode("utf-8")
    cp1250_row = GOOD_ROW.replace(",no,\n", ",no,Łódź\n").replace(",3,", ",4,").encode("cp1250")
    outcome = rejected(con, utf8_part + cp1250_row)
    assert outcome.errors == [
        "the file mixes text encodings: line(s) 3 are not UTF-8 but line(s) 2 are. Open it in "
        "Excel and save it again as 'CSV UTF-8' so names such as Łódź are not garbled"
    ]


# --------------------------------------------------------------------------- idempotence


def test_loading_the_same_file_twice_adds_nothing(con):
    first = load(con, HEADER + GOOD_ROW + GOOD_ROW.replace(",3,", ",5,"))
    assert first.loaded
    before = snapshot(con)
    again = load(con, HEADER + GOOD_ROW + GOOD_ROW.replace(",3,", ",5,"))
    assert again.message == "This file was already loaded (import 1); nothing was added."
    assert snapshot(con) == before


def test_overlapping_files_add_only_the_new_rows(con):
    a = GOOD_ROW
    b = GOOD_ROW.replace(",3,", ",4,")
    c = GOOD_ROW.replace(",3,", ",5,")
    load(con, HEADER + a + b, name="week1.csv")
    outcome = load(con, HEADER + b + c, name="week2.csv")
    assert outcome.message == "1 new record(s) loaded; 1 already in the database (skipped)."
    assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(3,)]


def test_identical_rows_in_one_file_are_separate_records(con):
    outcome = load(con, HEADER + GOOD_ROW * 3)
    assert outcome.message == "3 new record(s) loaded."
    # ... and a later file with the same row twice adds nothing more, one with four adds one.
    assert load(con, HEADER + GOOD_ROW * 2, name="b.csv").message == (
        "0 new record(s) loaded; 2 already in the database (skipped)."
    )
    assert load(con, HEADER + GOOD_ROW * 4, name="c.csv").message == (
        "1 new record(s) loaded; 3 already in the database (skipped)."
    )


def test_loading_only_the_valid_rows_when_asked(con):
    rows = GOOD_ROW + GOOD_ROW.replace("14/05/2021", "99/99/2021") + GOOD_ROW.replace(",3,", ",6,")
    outcome = load(con, HEADER + rows, allow_partial=True)
    assert outcome.message == "2 new record(s) loaded; 1 rejected."
    rejected_rows = outcome.rejected_rows()
    assert rejected_rows[["row", "problems", "contact_date"]].to_dict("records") == [
        {
            "row": 3,
            "problems": "contact_date: not a date: use dd/mm/yyyy or yyyy-mm-dd",
            "contact_date": "99/99/2021",
        },
    ]
    assert con.execute("SELECT rows_accepted, rows_rejected FROM imports").fetchall() == [(2, 1)]


def test_undo_removes_a_whole_import_and_keeps_the_trail(con):
    first = load(con, HEADER + GOOD_ROW, name="a.csv")
    load(con, HEADER + GOOD_ROW.replace(",3,", ",7,"), name="b.csv")
    removed = undo_import(con, first.load.import_id, undone_by="pytest")
    assert removed == 1
    assert con.execute("SELECT people_reached FROM contacts").fetchall() == [(7,)]
    trail = con.execute("SELECT import_id, undone_by FROM imports ORDER BY 1").fetchall()
    assert trail == [(1, "pytest"), (2, None)]
    # An undone file can be loaded again.
    assert load(con, HEADER + GOOD_ROW, name="a.csv").loaded


# --------------------------------------------------------------------------- reports


def test_reports_load_with_not_recorded_kept_apart_from_none(con):
    rows = (
        "21/000001,02/06/2021,01/06/2021,E01027925,Sutton,public_order,race_nationality,"
        "eastern_european,under_investigation\n"
        "21/000002,02/06/2021,,E01027925,,burglary,,none,no_suspect\n"
        "21/000003,03/06/2021,,,,shoplifting,,,charged_summonsed\n"
    )
    assert load(con, REPORT_HEADER + rows, kind="reports").loaded
    got = con.execute(
        "SELECT reference, victim_community_recorded, victim_communities, hate_strands"
        " FROM reports ORDER BY reference"
    ).fetchall()
    assert got == [
        ("21/000001", True, ["eastern_european"], ["race_nationality"]),
        ("21/000002", True, [], []),
        ("21/000003", False, [], []),
    ]


def test_a_report_that_occurred_after_it_was_reported(con):
    row = "21/1,02/06/2021,05/06/2021,E01027925,,burglary,,none,no_suspect\n"
    outcome = rejected(con, REPORT_HEADER + row, kind="reports")
    assert outcome.problems.dropna(subset=["row"]).to_dict("records") == [
        {
            "row": 2,
            "column": "occurred_on",
            "value": "05/06/2021",
            "rule": "occurred after it was reported",
        },
    ]


# --------------------------------------------------------------------------- data.police.uk

POLICE_UK = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
    "aa11,2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.253597,53.135320,"
    "On or near Leyton Avenue,E01027982,Ashfield 002C,Other theft,Under investigation,\n"
    "aa11,2024-02,Nottinghamshire Police,Nottinghamshire Police,-0.984696,52.124283,"
    "On or near Burcote Fields,E01027302,West Northamptonshire 047E,Other theft,"
    "Under investigation,\n"
    ",2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.21,53.03,On or near Supermarket,"
    "E01027925,Ashfield 015A,Anti-social behaviour,,\n"
    ",2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.21,53.03,On or near Supermarket,"
    "E01027925,Ashfield 015A,Anti-social behaviour,,\n"
    "bb22,2024-02,Nottinghamshire Police,Nottinghamshire Police,,,No Location,,,"
    "Violence and sexual offences,Unable to prosecute suspect,\n"
    "cc33,2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.2,53.1,On or near Park,"
    "E01027925,Ashfield 015A,Violence and sexual offences,Unable to prosecute suspect,\n"
)


def test_a_data_police_uk_file_imports_as_the_comparator(con):
    outcome = load(con, POLICE_UK, kind="police_uk", name="2024-02-nottinghamshire-street.csv")
    assert outcome.message == (
        "4 new record(s) loaded; 2 outside the district (counted, not loaded: 1 in LSOAs "
        "outside the district, 1 with no location)."
    )
    got = con.execute(
        "SELECT source, reference, reported_on, date_precision, area_code, crime_type, outcome,"
        " victim_community_recorded FROM reports ORDER BY report_id"
    ).fetchall()
    feb = date(2024, 2, 1)
    assert got == [
        (
            "police_uk",
            "aa11",
            feb,
            "month",
            "E01027982",
            "other_theft",
            "under_investigation",
            False,
        ),
        (
            "police_uk",
            None,
            feb,
            "month",
            "E01027925",
            "anti_social_behaviour",
            "not_recorded",
            False,
        ),
        (
            "police_uk",
            None,
            feb,
            "month",
            "E01027925",
            "anti_social_behaviour",
            "not_recorded",
            False,
        ),
        (
            "police_uk",
            "cc33",
            feb,
            "month",
            "E01027925",
            "violence_sexual_offences",
            "evidential_difficulties",
            False,
        ),
    ]
    imp = con.execute(
        "SELECT rows_in_file, rows_accepted, rows_outside_area FROM imports"
    ).fetchall()
    assert imp == [(6, 4, 2)]
    # Re-loading a copy under another name adds nothing (same content hash).
    again = load(con, POLICE_UK, kind="police_uk", name="copy.csv")
    assert again.load.already_loaded_as == 1


def test_an_overlapping_police_uk_file_adds_only_new_rows(con):
    load(con, POLICE_UK, kind="police_uk")
    extra = "dd44,2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.2,53.1,On or near X,E01027925,Ashfield 015A,Drugs,Local resolution,\n"
    outcome = load(con, POLICE_UK + extra, kind="police_uk", name="bigger.csv")
    assert outcome.message == (
        "1 new record(s) loaded; 4 already in the database (skipped); 2 outside the district "
        "(counted, not loaded: 1 in LSOAs outside the district, 1 with no location)."
    )


# --------------------------------------------------------------------------- fuzzing

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(data=st.binary(max_size=2000), kind=st.sampled_from(["contacts", "reports", "police_uk"]))
def test_random_bytes_never_raise_and_never_load(con, data, kind):
    before = snapshot(con)
    outcome = load(con, data, kind=kind, name="fuzz.csv")
    assert not outcome.loaded
    assert snapshot(con) == before


cell = st.one_of(
    st.sampled_from(
        [
            "",
            "none",
            "phone",
            "14/05/2021",
            "2021-05-14",
            "E01027925",
            "3",
            "yes",
            "eastern_european",
            "=1+1",
            "Łódź",
            "not_recorded",
            "polish",
            "reactive",
        ]
    ),
    st.text(max_size=12),
)


@FUZZ
@given(
    rows=st.lists(st.lists(cell, min_size=12, max_size=12), min_size=1, max_size=8),
    partial=st.booleans(),
)
def test_random_csvs_load_all_valid_rows_or_nothing(con, rows, partial):
    before = snapshot(con)
    frame = pd.DataFrame(rows, columns=HEADER.strip().split(","))
    text = frame.to_csv(index=False)
    outcome = load(con, text, allow_partial=partial)
    after = snapshot(con)
    if not outcome.loaded:
        assert after == before
    else:
        problems = outcome.validation.problems
        # Everything loaded was valid, and unless asked, nothing was loaded beside a problem.
        assert partial or problems.empty
        added = after[0] - before[0]
        assert added == outcome.load.rows_accepted
        assert added + outcome.load.rows_duplicate == len(outcome.validation.clean)
