"""Validation in DuckDB (staged_checks.py) says exactly what validation.py says: the same
problems (row, column, value, rule), in the same order, the same valid rows with the same
record keys, on hostile files that break every rule, and on random ones.

The Python side is today's path, kept for the log-a-contact form and the demonstration:
readers.read_upload, then validation.validate, then loading.keyed."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hidden_communities import columns, validation
from hidden_communities.ingest import read_and_check
from hidden_communities.loading import TARGET_TABLE, keyed
from hidden_communities.readers import FileProblem, read_upload

TODAY = date(2026, 11, 25)


def python_path(data: bytes, kind: str, areas: pd.DataFrame):
    frame, how = read_upload(data, "upload.csv")
    result = validation.validate(frame, kind, areas, today=TODAY)
    return how, result, keyed(result.clean, TARGET_TABLE[kind])


def plain(value):
    """A loaded value as one thing, whichever path typed it (a day, a sorted list, None)."""
    if isinstance(value, list | tuple | np.ndarray):
        return sorted(value)
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def rows(frame: pd.DataFrame, names: list[str]) -> list[dict]:
    return [
        {name: plain(value) for name, value in zip(names, row, strict=True)}
        for row in frame[names].itertuples(index=False)
    ]


def assert_same(data: bytes, kind: str, areas: pd.DataFrame):
    """Both paths agree on everything a load uses; returns the DuckDB path's outcome."""
    outcome = read_and_check(data, "upload.csv", kind, areas, today=TODAY)
    try:
        how, expected, expected_rows = python_path(data, kind, areas)
    except FileProblem as problem:
        assert outcome.errors == [str(problem)]
        assert outcome.validation is None
        return outcome
    got = outcome.validation
    assert outcome.read_as == how
    assert got.file_errors == expected.file_errors
    assert got.rows_in_file == expected.rows_in_file
    pd.testing.assert_frame_equal(got.problems, expected.problems)
    assert (got.rows_outside_area, got.outside_detail) == (
        expected.rows_outside_area,
        expected.outside_detail,
    )
    staged = got.staged.to_pandas() if got.staged is not None else pd.DataFrame()
    if len(staged):  # the load orders the rows by file_row itself
        staged = staged.sort_values("file_row", ignore_index=True)
    assert len(staged) == len(expected_rows)
    if len(staged):
        names = list(staged.columns)
        # entry_ref is the form's (blank for files), and not a column the load reads.
        assert sorted(names) == sorted(set(expected_rows.columns) - {"entry_ref"})
        assert rows(staged, names) == rows(expected_rows, names)
    return outcome


def csv_text(header: list[str], lines: list[dict]) -> bytes:
    """A CSV of these rows (cells quoted only where they must be), as Excel writes one."""
    frame = pd.DataFrame([[line.get(h, "") for h in header] for line in lines], columns=header)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


# --------------------------------------------------------------------------- contacts

CONTACT = {
    "contact_date": "14/05/2021",
    "area": "E01027925",
    "team": "Sutton",
    "communities": "eastern_european",
    "channel": "face_to_face",
    "direction": "proactive",
    "place_type": "specialist_food_shop",
    "people_reached": "3",
    "language": "polish",
    "topics": "trust_in_police",
    "follow_up_needed": "no",
    "note": "",
    "age_band": "adult",
    "officer": "PC 1",  # a column the import does not use
}
CONTACT_HEADER = list(CONTACT)

# One row for every rule a contact can break (and the ways a cell can pass).
BAD_CONTACTS = [
    {},  # a valid row
    {"contact_date": ""},
    {"contact_date": "31/02/2021"},
    {"contact_date": "2021-5-14"},
    {"contact_date": "0000-01-01"},
    {"contact_date": "01/01/2027"},
    {"contact_date": "31/12/1999"},
    {"contact_date": "٢٠٢١-٠٥-١٤"},  # Arabic-Indic digits: not a date
    {"area": "Nowhere"},
    {"team": "x" * 61},
    {"communities": "polish_people"},
    {"communities": "eastern_european;none"},
    {"communities": "none;not_recorded"},
    {"communities": "unknown;--"},  # not recorded at all
    {"channel": ""},
    {"channel": "carrier pigeon"},
    {"direction": "sideways"},
    {"direction": ""},
    {"place_type": "moon"},
    {"people_reached": ""},
    {"people_reached": "2.5"},
    {"people_reached": "1_000"},
    {"people_reached": "inf"},
    {"people_reached": "0"},
    {"people_reached": "5001"},
    {"people_reached": "1e3"},  # a thousand: valid
    {"language": "klingon"},
    {"language": ""},
    {"topics": "hate_crime;weather"},
    {"topics": "unknown; not_recorded"},
    {"follow_up_needed": "perhaps"},
    {"follow_up_needed": ""},
    {"follow_up_needed": "YES"},
    {"note": "y" * 501},
    {"note": "write to jan.kowalski@example.com"},
    {"note": "ring 07700 900123 or +44 7700 900124"},
    {"note": "lives at NG17 7AB"},
    {"team": "PC Smith 07700 900123"},
    {"team": "NG17 7AB jan@example.com 07700 900123"},  # three kinds in one cell
    {"age_band": "teen"},
    {"team": "Su\x00tton"},
    {"note": "tab\there"},
    {"officer": "PC\x1b2"},
    {"team": "x\x85" + "y" * 60},  # a C1 character and too long
    {"contact_date": "", "channel": "", "people_reached": "0", "officer": "\x7f"},
    {
        "area": "hucknall north",
        "channel": "Face-to-face",
        "communities": "Armed forces veterans; LGBTQ+",
    },
    {"note": 'Łódź, "quoted" \\ backslash 😀 ą'},
    {"contact_date": "2021-06-01", "people_reached": " 7 "},
    {"contact_date": "25/11/2026"},
    {"contact_date": "26/11/2026"},
]


def contact_lines():
    return [{**CONTACT, **change} for change in BAD_CONTACTS]


@pytest.mark.parametrize("multiline", [False, True], ids=["duckdb-reader", "python-reader"])
def test_a_contacts_file_breaking_every_rule_gets_the_same_messages(areas, multiline):
    lines = contact_lines()
    if multiline:  # a quoted line break: the file is read by Python's csv module
        lines.append({**CONTACT, "note": "first line\r\nsecond line", "people_reached": "9"})
        lines.append({**CONTACT, "team": "two\nlines", "people_reached": "8"})
    outcome = assert_same(csv_text(CONTACT_HEADER, lines), "contacts", areas)
    rules = set(outcome.validation.problems["rule"])
    for rule in (
        validation.rule("required"),
        validation.rule("date"),
        validation.rule("future"),
        validation.rule("too_early"),
        validation.rule("area"),
        validation.rule("too_long", n=60),
        validation.rule("too_long", n=500),
        validation.rule("mixed"),
        validation.rule("whole_number"),
        validation.rule("people_range"),
        validation.rule("yes_no"),
        validation.rule_allowed(columns.CONTACT_COLUMNS[3].allowed),
    ):
        assert rule in rules, rule
    assert {r.split(" (")[0] for r in rules if r.startswith("looks like")} == {
        "looks like personal data"
    }
    assert sum("control character" in r for r in rules) >= 4


def test_the_messages_are_todays_exactly(areas):
    """A few of them spelled out, as tests/test_ingest.py and test_hostile_files.py do."""
    # The bad row comes after 4 KB of good rows: the binary-file check only looks that far.
    lines = [{**CONTACT, "people_reached": str(n)} for n in range(1, 41)]
    lines.append({**CONTACT, "contact_date": "31/02/2021", "team": "Su\x00tton"})
    outcome = assert_same(csv_text(CONTACT_HEADER, lines), "contacts", areas)
    assert outcome.validation.problems.to_dict("records") == [
        {
            "row": 42,
            "column": "contact_date",
            "value": "31/02/2021",
            "rule": "not a date: use dd/mm/yyyy or yyyy-mm-dd",
        },
        {
            "row": 42,
            "column": "team",
            "value": "Su\x00tton",
            "rule": "holds a control character (NUL, U+0000) at character 3: retype the value "
            "without it",
        },
    ]


# --------------------------------------------------------------------------- reports

REPORT = {
    "reference": "21/000001",
    "reported_on": "02/06/2021",
    "occurred_on": "01/06/2021",
    "area": "E01027925",
    "team": "Kirkby",
    "crime_type": "burglary",
    "hate_strands": "",
    "victim_communities": "none",
    "outcome": "no_suspect",
    "age_band": "",
}
BAD_REPORTS = [
    {},
    {"reference": ""},  # keyed by content
    {"reference": "r" * 101},
    {"reference": "NG17 7AB"},
    {"team": "jan@example.com"},
    {"team": "t" * 61},
    {"reported_on": ""},
    {"reported_on": "2021-02-30"},
    {"reported_on": "02/06/2031"},
    {"reported_on": "1999-12-31", "occurred_on": ""},
    {"occurred_on": "not known"},
    {"occurred_on": "01/01/1901"},
    {"occurred_on": "05/06/2021"},  # after it was reported
    {"occurred_on": "30/11/2026", "reported_on": "2026-11-20"},  # future, and after
    {"area": "Atlantis"},
    {"crime_type": ""},
    {"crime_type": "jaywalking"},
    {"hate_strands": "race_nationality;bad"},
    {"hate_strands": "Race or nationality"},
    {"hate_strands": "none"},  # 'none' means something only in a community column
    {"victim_communities": "lgbtq;not_recorded"},
    {"victim_communities": "martians"},
    {"victim_communities": ""},
    {"outcome": ""},
    {"outcome": "hanged"},
    {"age_band": "under_16"},
    {"age_band": "old"},
    {"reference": "21/000001"},  # the same reference twice in one file
    {"reference": "", "team": ""},
    {"reference": "", "team": ""},  # two identical rows: two records
]


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_a_reports_file_breaking_every_rule_gets_the_same_messages(areas, crlf):
    data = csv_text(list(REPORT), [{**REPORT, **change} for change in BAD_REPORTS])
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    outcome = assert_same(data, "reports", areas)
    rules = set(outcome.validation.problems["rule"])
    assert validation.rule("occurred_after") in rules
    assert validation.rule("mixed") in rules
    assert validation.rule("too_long", n=100) in rules


# --------------------------------------------------------------------------- data.police.uk

STREET = {
    "Crime ID": "cc33",
    "Month": "2024-02",
    "Reported by": "Nottinghamshire Police",
    "Falls within": "Nottinghamshire Police",
    "Longitude": "-1.2",
    "Latitude": "53.1",
    "Location": "On or near Park",
    "LSOA code": "E01027925",
    "LSOA name": "Ashfield 015A",
    "Crime type": "Violence and sexual offences",
    "Last outcome category": "Unable to prosecute suspect",
    "Context": "",
}
BAD_STREETS = [
    {},
    {"Crime ID": "", "Crime type": "Anti-social behaviour", "Last outcome category": ""},
    {"Crime ID": "", "Crime type": "Anti-social behaviour", "Last outcome category": ""},
    {"Crime ID": "c" * 101},
    {"Month": ""},
    {"Month": "2024-13"},
    {"Month": "1899-12"},
    {"Month": "2028-01"},
    {"Month": "2026-12"},
    {"Month": "1999-12"},
    {"Reported by": "p" * 101},
    {"Falls within": "f" * 101},
    {"LSOA code": "e01027926", "Crime ID": "dd44"},
    {"LSOA code": "E01027302", "Crime ID": "ee55"},  # outside the district
    {"LSOA code": "", "Crime ID": "ff66"},  # no location
    {"LSOA code": "", "Crime ID": "gg77", "Month": "bad"},  # a problem, not counted outside
    {"Crime type": ""},
    {"Crime type": "Piracy"},
    {"Last outcome category": "Sent to the moon"},
    {"Last outcome category": "unable to prosecute  SUSPECT", "Crime ID": "hh88"},
    {"Location": "On or near\x1bPark"},
]


def test_a_police_uk_file_breaking_every_rule_gets_the_same_messages(areas):
    data = csv_text(list(STREET), [{**STREET, **change} for change in BAD_STREETS])
    outcome = assert_same(data, "police_uk", areas)
    rules = set(outcome.validation.problems["rule"])
    assert {
        validation.rule("month"),
        validation.rule("outcome"),
        validation.rule("future"),
    } <= rules
    assert outcome.validation.rows_outside_area == 2


# --------------------------------------------------------------------------- files as a whole


@pytest.mark.parametrize(
    "data",
    [
        b"contact_date,area\n14/05/2021,E01027925\n",  # missing columns
        (",".join(CONTACT_HEADER) + "\n").encode(),  # a header and no rows
        (",".join(CONTACT_HEADER) + ",Team\n").encode() + b"x\n",  # two team columns
        ",".join(REPORT).encode() + b"\n" + b"a\n",  # a reports file offered as contacts
    ],
)
def test_problems_with_the_whole_file_are_the_same(areas, data):
    assert assert_same(data, "contacts", areas).errors


# --------------------------------------------------------------------------- random files

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cell = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "none",
            "not_recorded",
            "eastern_european;lgbtq",
            "Phone",
            "14/05/2021",
            "2021-05-14",
            "1/2/2021",
            "E01027925",
            "hucknall north",
            "3",
            "3.0",
            "0",
            "yes",
            "N",
            "polish",
            "reactive",
            "mental_health;other",
            "Łódź",
            "07700 900123",
            "a@b.cd",
            "NG17 7AB",
            "x\x01y",
        ]
    ),
    st.text(max_size=8),
)


@FUZZ
@given(lines=st.lists(st.lists(cell, min_size=14, max_size=14), min_size=1, max_size=6))
def test_random_contacts_files_get_the_same_answers(areas, lines):
    data = csv_text(
        CONTACT_HEADER, [dict(zip(CONTACT_HEADER, line, strict=True)) for line in lines]
    )
    assert_same(data, "contacts", areas)


@FUZZ
@given(lines=st.lists(st.lists(cell, min_size=10, max_size=10), min_size=1, max_size=6))
def test_random_reports_files_get_the_same_answers(areas, lines):
    header = list(REPORT)
    assert_same(
        csv_text(header, [dict(zip(header, line, strict=True)) for line in lines]), "reports", areas
    )
