"""Readable tables from disclosed frames: one column spec, used on screen and in CSVs.

Values hidden by disclosure control show their note ("<5", "too few to say"); intervals
are written "12.3% (9.1% to 16.0%)". Numbers are formatted here, once, so every page and
export writes them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import text
from .disclosure import NOTE_SUFFIX, note_text


@dataclass(frozen=True)
class Col:
    header: str
    sources: tuple[str, ...]  # one column, (value, lower, upper) for an interval, or (low, high)
    fmt: str = "count"  # count | percent | ratio | rate | text
    vocabulary: str | None = None  # a text column of codes: the catalogue kind that labels it


def is_missing(value) -> bool:
    """None, NaN, pd.NA and NaT alike: a cell disclosure control hid, or an empty one."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def note_of(row: pd.Series, col: str) -> str:
    """The disclosure note of a row's cell ("<10", "too few to say"), or ""."""
    note = row.get(f"{col}{NOTE_SUFFIX}")
    return "" if is_missing(note) or note == "" else note_text(note)


def format_value(value, fmt: str) -> str:
    if is_missing(value):
        return ""
    if fmt == "count":
        return f"{int(value):,}"
    if fmt == "percent":
        return f"{value:.1%}"
    if fmt == "ratio":
        return f"{value:.2f}"
    if fmt == "rate":
        return f"{value:,.1f}"
    return str(value)


def readable(frame: pd.DataFrame, columns: list[Col]) -> pd.DataFrame:
    """A text table with the given headers, notes in place of hidden values."""
    out = {}
    for col in columns:
        cells = []
        for i in frame.index:
            values = [frame.at[i, s] if s in frame.columns else None for s in col.sources]
            note = note_of(frame.loc[i], col.sources[0])
            if is_missing(values[0]):
                cells.append(note or ("" if col.fmt != "text" else ""))
            elif len(values) == 3 and not any(is_missing(v) for v in values[1:]):
                v, lo, hi = (format_value(x, col.fmt) for x in values)
                cells.append(f"{v} ({lo} to {hi})")
            elif len(values) == 2 and not is_missing(values[1]):  # a band: low to high
                lo, hi = (format_value(x, col.fmt) for x in values)
                cells.append(f"{lo} to {hi}")
            elif col.vocabulary:
                cells.append(text.label(col.vocabulary, values[0]))
            else:
                cells.append(format_value(values[0], col.fmt))
        out[col.header] = cells
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)
