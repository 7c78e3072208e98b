"""Downloads cannot carry formulas, and keep Polish letters."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from hidden_communities import exports
from hidden_communities.tables import Col, readable

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_cells_starting_with_formula_characters_are_neutralised():
    for value in DANGEROUS:
        assert exports.neutralise_cell(value) == "'" + value
    assert exports.neutralise_cell("Łódź") == "Łódź"
    assert exports.neutralise_cell(-5) == -5  # numbers stay numbers
    # A signed number written as text is not a formula; a sum or a reference is.
    for number in ("-7.0", "+12%", "-1,204", "-3"):
        assert exports.neutralise_cell(number) == number
    for formula in ("-2+3", "-A1", "+1+1", "-1e3", "-3 "):
        assert exports.neutralise_cell(formula) == "'" + formula


def test_csv_download_is_safe_and_keeps_polish_letters():
    frame = pd.DataFrame({"note": DANGEROUS + ["Kacprzycka"], "n": range(7)})
    data = exports.to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert all(v.startswith("'") for v in back["note"][:6])
    assert back["note"].iloc[6] == "Kacprzycka"
    assert back["n"].tolist() == list(range(7))


def test_xlsx_download_holds_no_formula():
    frame = pd.DataFrame({"=header": DANGEROUS, "n": range(6)})
    book = load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame)))
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["A1"].value == "'=header"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["B3"].value == 1


def test_readable_tables_show_notes_for_hidden_values():
    frame = pd.DataFrame(
        {
            "n": [12, None],
            "n_note": ["", "<5"],
            "share": [0.1234, None],
            "share_lower": [0.1, None],
            "share_upper": [0.15, None],
            "share_note": ["", "too few to say"],
        }
    )
    table = readable(
        frame,
        [Col("Count", ("n",)), Col("Share", ("share", "share_lower", "share_upper"), "percent")],
    )
    assert table.to_dict("records") == [
        {"Count": "12", "Share": "12.3% (10.0% to 15.0%)"},
        {"Count": "<5", "Share": "too few to say"},
    ]


# A formula behind characters a spreadsheet skips or does not show: spaces, a non-breaking
# space, a byte-order mark, a zero-width space, tab, carriage return or line feed, or
# written with the full-width signs of East Asian keyboards.
HIDDEN = [
    " =1+1",
    "   =1+1",
    "\u00a0=1+1",
    "\ufeff=1+1",
    "\u200b@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " \u00a0\t+1+1",
    " -2+3",
    "\uff1d1+1",
]


def test_formulas_behind_invisible_characters_are_neutralised():
    for value in HIDDEN:
        assert exports.neutralise_cell(value) == "'" + value, repr(value)
    # Text that merely starts with a space is left alone, as are signed numbers as text.
    for value in (" Sutton", "\u00a0Łódź", "-7.0", "+12%", "-1,204"):
        assert exports.neutralise_cell(value) == value, repr(value)


def test_downloads_neutralise_hidden_formulas():
    frame = pd.DataFrame({"note": HIDDEN})
    back = pd.read_csv(
        io.BytesIO(exports.to_csv_bytes(frame)), encoding="utf-8-sig", keep_default_na=False
    )
    assert all(v.startswith("'") for v in back["note"])
    sheet = load_workbook(io.BytesIO(exports.to_xlsx_bytes(frame))).active
    assert all(str(c.value).startswith("'") for (c,) in sheet.iter_rows(min_row=2))
