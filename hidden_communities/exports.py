"""Safe downloads: CSV (and later spreadsheets) that cannot run as formulas.

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheet
programs skip before reading a formula) is prefixed with an apostrophe, the OWASP
advice for CSV injection. So is one whose first visible character is one of those behind
characters a spreadsheet may skip or that cannot be seen: spaces, a non-breaking space, a
byte-order mark, a zero-width space, line breaks or other control and format characters;
and the full-width signs (＝ ＋ － ＠) East Asian keyboards type. Numbers stay numbers:
only text cells are touched, and a text cell that is just a signed number ("-7.0") is left
as it is.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# A signed number written as text ("-7.0", "+12%", "-1,204") is not a formula and stays
# readable as a number; anything more ("-2+3", "-A1") is neutralised.
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?%?")


def _unseen(character: str) -> bool:
    """Whitespace, control (Cc) and format (Cf: BOM, zero-width) characters."""
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf")


def _hides_a_formula(value: str) -> bool:
    if value.startswith(FORMULA_STARTS):
        return not PLAIN_NUMBER.fullmatch(value)
    for character in value:
        if not _unseen(character):
            return character in FORMULA_SIGNS
    return False


def neutralise_cell(value):
    if isinstance(value, str) and _hides_a_formula(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell)
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Polish letters (Łódź) correctly."""
    # CRLF rows (RFC 4180): a text cell holding a line break is then quoted, not split.
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """One-sheet workbook; text cells that could run as formulas are neutralised first,
    and openpyxl is told they are strings, so nothing in it is ever a formula."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    safe = neutralise_frame(frame)
    sheet.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and v != v) else v for v in row])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
