"""Hostile and damaged files: every one gets a row-level (or line-level) answer, never a
traceback, and nothing is loaded."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tests.test_ingest import GOOD_ROW, HEADER, POLICE_UK, REPORT_HEADER, load, rejected

POLICE_UK_HEADER = POLICE_UK.splitlines(keepends=True)[0]
STREET_ROW = (
    "cc33,2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.2,53.1,On or near Park,"
    "E01027925,Ashfield 015A,Violence and sexual offences,Unable to prosecute suspect,\n"
)
REPORT_ROW = "21/1,02/06/2021,01/06/2021,E01027925,Kirkby,burglary,,none,no_suspect\n"
NOT_A_DATE = "not a date: use dd/mm/yyyy or yyyy-mm-dd"


def row_problems(outcome) -> list[dict]:
    return outcome.problems.dropna(subset=["row"]).to_dict("records")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("0000-01-01", NOT_A_DATE),  # year 0 crashed the import with a ValueError
        ("01/01/0000", NOT_A_DATE),
        ("1899-12-31", NOT_A_DATE),  # before 1900: not a plausible date at all
        ("26/11/2027", NOT_A_DATE),  # more than a year after today (25/11/2026)
        ("9999-12-31", NOT_A_DATE),
        ("1900-01-01", "date is before 01/01/2000"),  # plausible, but before the data begins
        ("25/11/2027", "date is in the future"),  # exactly a year ahead: only in the future
    ],
)
def test_impossible_contact_dates_are_not_dates(con, value, rule):
    outcome = rejected(con, HEADER + GOOD_ROW.replace("14/05/2021", value))
    assert row_problems(outcome) == [
        {"row": 2, "column": "contact_date", "value": value, "rule": rule}
    ]


def test_an_impossible_occurred_on_date_is_not_a_date(con):
    row = REPORT_ROW.replace("01/06/2021", "0000-06-01")
    outcome = rejected(con, REPORT_HEADER + row, kind="reports")
    assert row_problems(outcome) == [
        {"row": 2, "column": "occurred_on", "value": "0000-06-01", "rule": NOT_A_DATE}
    ]


@pytest.mark.parametrize("month", ["0000-01", "1899-12", "2028-01"])
def test_an_impossible_police_uk_month_is_not_a_month(con, month):
    outcome = rejected(con, POLICE_UK_HEADER + STREET_ROW.replace("2024-02", month), "police_uk")
    assert row_problems(outcome) == [
        {"row": 2, "column": "Month", "value": month, "rule": "not a month: use yyyy-mm"}
    ]


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("team", "Su\x00tton", "holds a control character (NUL, U+0000) at character 3"),
        ("note", "bad\x7fnote", "holds a control character (DEL, U+007F) at character 4"),
        ("note", "a\x1bb", "holds a control character (escape, U+001B) at character 2"),
        ("note", "a\x85b", "holds a control character (U+0085) at character 2"),
        ("note", "tab\there", "holds a control character (tab, U+0009) at character 4"),
        ("note", "cr\ronly", "holds a control character (carriage return, U+000D) at character 3"),
        ("team", "two\nlines", "holds a control character (line break, U+000A) at character 4"),
    ],
)
def test_control_characters_in_any_cell_are_refused_by_row_and_column(con, column, value, rule):
    cells = dict(zip(HEADER.strip().split(","), GOOD_ROW.strip("\n").split(","), strict=True))
    cells[column] = value
    quoted = ",".join(f'"{v}"' for v in cells.values()) + "\n"
    # The bad row comes after 4 KB of good rows: the binary-file check only looks that far.
    good = "".join(GOOD_ROW.replace(",3,", f",{n},") for n in range(1, 61))
    outcome = rejected(con, HEADER + good + quoted)
    assert row_problems(outcome) == [
        {
            "row": 62,
            "column": column,
            "value": value,
            "rule": rule + ": retype the value without it",
        }
    ]


def test_a_control_character_in_a_column_that_is_not_loaded_is_refused_too(con):
    good = "".join(GOOD_ROW.replace(",3,", f",{n},").replace("\n", ",PC 1\n") for n in range(1, 61))
    bad = GOOD_ROW.replace("\n", ",PC\x002\n")
    outcome = rejected(con, HEADER.replace("\n", ",officer\n") + good + bad)
    assert [(p["row"], p["column"]) for p in row_problems(outcome)] == [(62, "officer")]


def test_a_line_break_inside_a_note_is_kept_as_one(con):
    """Excel writes Alt+Enter inside a cell as a line break: a note may hold one (CR LF is
    read as a plain line break); no other column may."""
    row = GOOD_ROW.replace(",no,\n", ',no,"first line\r\nsecond line"\r\n')
    outcome = load(con, HEADER + row)
    assert outcome.loaded, outcome.problems.to_dict("records")
    assert con.execute("SELECT note FROM contacts").fetchall() == [("first line\nsecond line",)]


# --------------------------------------------------------------------------- duplicate headers


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "Contact Date",
            "the header row has 2 columns for contact_date ('contact_date' in column 1, "
            "'Contact Date' in column 13): keep one and delete the others",
        ),
        (
            "lsoa",
            "the header row has 2 columns for area ('area' in column 2, 'lsoa' in column 13): "
            "keep one and delete the others",
        ),
    ],
)
def test_two_columns_for_the_same_thing_are_refused(con, extra, message):
    text = HEADER.replace("\n", f",{extra}\n") + GOOD_ROW.replace("\n", ",7\n")
    assert rejected(con, text).errors == [message]


def test_two_columns_for_the_same_thing_in_a_workbook_are_refused(con):
    book = Workbook()
    book.active.append([*HEADER.strip().split(","), "People reached"])
    book.active.append([*GOOD_ROW.strip().split(","), "7"])
    data = io.BytesIO()
    book.save(data)
    assert rejected(con, data.getvalue(), name="log.xlsx").errors == [
        "the header row has 2 columns for people_reached ('people_reached' in column 8, "
        "'People reached' in column 13): keep one and delete the others"
    ]


# --------------------------------------------------------------------------- codes


def test_lower_case_lsoa_codes_are_in_the_district(con):
    row = STREET_ROW.replace("E01027925", "e01027926")
    outcome = load(con, POLICE_UK_HEADER + row, kind="police_uk")
    assert outcome.message == "1 new record(s) loaded."
    assert con.execute("SELECT area_code FROM reports").fetchall() == [("E01027926",)]


def test_outcome_categories_match_without_regard_to_case(con):
    row = STREET_ROW.replace("Unable to prosecute suspect", "unable to prosecute  suspect")
    assert load(con, POLICE_UK_HEADER + row, kind="police_uk").loaded
    assert con.execute("SELECT outcome FROM reports").fetchall() == [("evidential_difficulties",)]


# --------------------------------------------------------------------------- personal data


@pytest.mark.parametrize(
    ("value", "what"),
    [("jan.kowalski@example.com", "an email address"), ("PC Smith 07700 900123", "a phone number")],
)
def test_personal_data_in_a_contact_team_is_refused(con, value, what):
    outcome = rejected(con, HEADER + GOOD_ROW.replace("Sutton", value))
    assert row_problems(outcome) == [
        {
            "row": 2,
            "column": "team",
            "value": value,
            "rule": f"looks like personal data ({what}): remove it; team names must not "
            "identify anyone",
        }
    ]


def test_personal_data_in_every_free_text_column_of_a_report_is_refused(con):
    row = REPORT_ROW.replace("21/1", "NG17 7AB").replace("Kirkby", "jan@example.com")
    outcome = rejected(con, REPORT_HEADER + row, kind="reports")
    assert [(p["column"], p["rule"]) for p in row_problems(outcome)] == [
        (
            "reference",
            "looks like personal data (a postcode): remove it; references must not identify anyone",
        ),
        (
            "team",
            "looks like personal data (an email address): remove it; team names must not "
            "identify anyone",
        ),
    ]
