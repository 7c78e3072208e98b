"""Safe downloads: CSV (and later spreadsheets) that cannot run as formulas.

A cell that starts with = + - @ (or a tab or carriage return, which some spreadsheet
programs skip before reading a formula) is prefixed with an apostrophe, the OWASP
advice for CSV injection. Numbers stay numbers: only text cells are touched.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
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
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")
