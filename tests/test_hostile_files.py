"""Hostile and damaged files: every one gets a row-level (or line-level) answer, never a
traceback, and nothing is loaded."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

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
            "people_reached",
            "the header row has 2 columns for people_reached ('people_reached' in column 8, "
            "'people_reached' in column 13): keep one and delete the others",
        ),
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


# --------------------------------------------------------------------------- spreadsheet bombs


def write_sheet(path, rows: int, columns: int, value="x") -> bytes:
    """A one-sheet workbook written row by row (openpyxl write_only keeps memory flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("log")
    for _ in range(rows):
        sheet.append([value] * columns)
    book.save(path)
    return path.read_bytes()


def write_bomb(path, rows: int, columns: int = 16_384) -> bytes:
    """A spreadsheet bomb: a small .xlsx whose one sheet unpacks to rows x columns number
    cells, with a true <dimension> and a reference on every cell, as Excel writes them.
    The sheet XML is streamed into the zip (openpyxl's write_only takes minutes for this)."""
    letters = [get_column_letter(n) for n in range(1, columns + 1)]
    sheet = "xl/worksheets/sheet1.xml"
    with (
        zipfile.ZipFile(io.BytesIO(contact_workbook())) as template,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in template.infolist():
            if item.filename != sheet:
                target.writestr(item, template.read(item))
        with target.open(sheet, "w") as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="A1:{letters[-1]}{rows}"/><sheetData>'.encode()
            )
            for n in range(1, rows + 1):
                cells = "".join(f'<c r="{c}{n}" t="n"><v>1</v></c>' for c in letters)
                out.write(f'<row r="{n}">{cells}</row>'.encode())
            out.write(b"</sheetData></worksheet>")
    return path.read_bytes()


def peak_mb(function) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_a_sheet_16384_columns_wide_is_refused_at_once(con, tmp_path):
    """Read whole, a 200-row bomb took 1.5 GB and 53 s. Streamed, it is refused at the
    first value past the widest import, having read one row."""
    data = write_bomb(tmp_path / "bomb.xlsx", rows=200)
    outcome, peak = peak_mb(lambda: rejected(con, data, name="bomb.xlsx"))
    assert outcome.errors == [
        "row 1 has a value in column AA, beyond column 26 (Z): no import has more than 13 "
        "columns, so the sheet is refused before it is read. Delete the columns to the right "
        "of your data, save and upload again"
    ]
    assert peak < 40, f"refusing the bomb took {peak:.0f} MB"


def test_a_sheet_longer_than_the_row_limit_is_refused_as_soon_as_it_is_seen(con, tmp_path):
    data = write_sheet(tmp_path / "long.xlsx", rows=5_000, columns=3)
    outcome = rejected(con, data, name="long.xlsx", max_rows=1_000)
    assert outcome.errors == [
        "the sheet has more than 1,000 rows; the limit is 1,000 rows a file (split it, or ask "
        "an administrator to raise HC_MAX_IMPORT_ROWS)"
    ]


def rewrite_part(data: bytes, name: str, change) -> bytes:
    """The same workbook with one XML part edited, as a hostile or damaged file would be."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == name:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


def contact_workbook() -> bytes:
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append([datetime(2021, 5, 14), *GOOD_ROW.strip().split(",")[1:]])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_a_sheet_declaring_a_huge_size_is_read_by_its_cells(con):
    # openpyxl's read-only mode pads every row to the declared size: A1:XFD1048576 would be
    # seventeen billion empty cells. The cells themselves are what count.
    def declare_huge(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)

    data = rewrite_part(contact_workbook(), "xl/worksheets/sheet1.xml", declare_huge)
    assert load(con, data, name="log.xlsx").loaded


def test_a_sheet_declaring_a_small_size_is_still_checked_cell_by_cell(con):
    def widen(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B2"', xml)
        return xml.replace("</row>", '<c r="ZZ1" t="inlineStr"><is><t>x</t></is></c></row>', 1)

    data = rewrite_part(contact_workbook(), "xl/worksheets/sheet1.xml", widen)
    assert (
        rejected(con, data, name="log.xlsx")
        .errors[0]
        .startswith("row 1 has a value in column ZZ, beyond column 26 (Z)")
    )


def test_a_workbook_with_a_document_type_is_refused(con):
    def add_doctype(xml: str) -> str:
        return xml.replace("<worksheet", '<!DOCTYPE lol [<!ENTITY a "aaaa">]><worksheet', 1)

    data = rewrite_part(contact_workbook(), "xl/worksheets/sheet1.xml", add_doctype)
    assert rejected(con, data, name="log.xlsx").errors == [
        "this .xlsx workbook could not be opened (xl/worksheets/sheet1.xml declares a document "
        "type, which Excel never writes): open it in Excel and save it again"
    ]


# --------------------------------------------------------------------------- damaged CSVs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            (HEADER + GOOD_ROW * 3).replace("\n", "\r"),
            "line 1 ends with a carriage return alone (the old Mac line ending), so the file "
            "reads as one long line: save it again from Excel as 'CSV UTF-8'",
        ),
        (
            HEADER + GOOD_ROW + GOOD_ROW.replace("Sutton", "Sut\rton") + GOOD_ROW,
            "line 3 has a carriage return (CR) inside it, outside quotes: delete it, or put the "
            "value in quotes",
        ),
        (
            HEADER + (GOOD_ROW * 50).replace("\n", ",\n"),
            "every row ends with an extra empty column that the header does not have (a comma "
            "at the end of each line from line 2 on): remove the trailing commas",
        ),
        (
            HEADER + GOOD_ROW + GOOD_ROW.replace("\n", ",x\n") + GOOD_ROW,
            "line 3 has 13 cells but the header has 12: a value that holds a comma (,) must be "
            "in quotes",
        ),
        (
            HEADER + GOOD_ROW + GOOD_ROW.replace(",no,\n", ',no,"' + "x" * 140_000 + '"\n'),
            "line 3: a cell is longer than 131,072 characters, the most one may hold; if none "
            'should be, a quote (") opened on line 3 is never closed',
        ),
        (
            HEADER + GOOD_ROW + GOOD_ROW.replace("Sutton", '"Sutton') + GOOD_ROW,
            'line 3: a quote (") opens a cell that is never closed before the end of the file: '
            "close it, or delete it",
        ),
        (
            HEADER + GOOD_ROW.replace("Sutton", '"Sut"ton'),
            "line 2: text follows the closing quote of a quoted cell: put the whole value in "
            'quotes and write each quote inside it twice ("")',
        ),
    ],
    ids=[
        "cr-only",
        "stray-cr",
        "trailing-comma",
        "too-many-cells",
        "huge-cell",
        "unclosed",
        "text-after-quote",
    ],
)
def test_a_damaged_csv_is_explained_by_line(con, text, message):
    assert rejected(con, text).errors == [message]


def test_a_quoted_carriage_return_is_named_by_row_and_column(con):
    row = GOOD_ROW.replace(",no,\n", ',no,"one\rtwo"\n')
    outcome = rejected(con, HEADER + row)
    assert row_problems(outcome) == [
        {
            "row": 2,
            "column": "note",
            "value": "one\rtwo",
            "rule": "holds a control character (carriage return, U+000D) at character 4: retype "
            "the value without it",
        }
    ]


def test_a_first_line_that_is_blank_is_not_a_header(con):
    assert rejected(con, "\n" + HEADER + GOOD_ROW).errors == [
        "line 1 is blank: the header row must be the first line"
    ]
