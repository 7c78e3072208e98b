"""Readable tables from disclosed frames: one column spec, used on screen and in CSVs.

Values hidden by disclosure control show their note ("<5", "too few to say"); intervals
are written "12.3% (9.1% to 16.0%)". Numbers are formatted here, once, so every page and
export writes them the same way, in the current language ("1,234.5" in English,
"1 234,5" in Polish).

A column's header is either a string, shown as given, or a callable (`heading(key)`) read
when the table is drawn: the column specs are module constants built once, while the
language changes from one session to the next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from babel import numbers as babel_numbers
from babel.core import Locale

from . import text
from .disclosure import NOTE_SUFFIX, note_text


@dataclass(frozen=True)
class Heading:
    """A header from the catalogue, read in the current language each time it is asked for."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def __call__(self) -> str:
        return text.t(self.key, **dict(self.values))


def heading(key: str, /, **values: object) -> Heading:
    """A column header kept as a catalogue key: `Col(heading("repr_table.expected"), ...)`."""
    return Heading(key, tuple(values.items()))


@dataclass(frozen=True)
class Col:
    header: str | Callable[[], str]  # as shown, or read when drawn (`heading(key)`)
    sources: tuple[str, ...]  # one column, (value, lower, upper) for an interval, or (low, high)
    fmt: str = "count"  # count | percent | ratio | rate | text
    vocabulary: str | None = None  # a text column of codes: the catalogue kind that labels it

    @property
    def title(self) -> str:
        """The header in the current language."""
        return self.header() if callable(self.header) else self.header


def is_missing(value) -> bool:
    """None, NaN, pd.NA and NaT alike: a cell disclosure control hid, or an empty one."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def note_of(row: pd.Series, col: str) -> str:
    """The disclosure note of a row's cell ("<10", "too few to say"), or ""."""
    note = row.get(f"{col}{NOTE_SUFFIX}")
    return "" if is_missing(note) or note == "" else note_text(note)


@cache
def _symbols(locale: str) -> dict[int, str]:
    """Python's number symbols -> the locale's (CLDR), for str.translate; {} in English."""
    found = {
        ",": babel_numbers.get_group_symbol(locale),
        ".": babel_numbers.get_decimal_symbol(locale),
        "-": babel_numbers.get_minus_sign_symbol(locale),
        "%": Locale.parse(locale).number_symbols.get("latn", {}).get("percentSign", "%"),
    }
    return str.maketrans({k: v for k, v in found.items() if k != v})


# Python's own formatting rounds the float itself (the cells have always been written so);
# only the symbols change with the language, by one str.translate a cell.
_PATTERNS: dict[str, Callable[[object], str]] = {
    "count": lambda v: f"{int(v):,}",
    "percent": lambda v: f"{v:.1%}",
    "ratio": lambda v: f"{v:.2f}",
    "rate": lambda v: f"{v:,.1f}",
}


def _formatter(fmt: str) -> Callable[[object], str]:
    """A function writing one present value of this format in the current language."""
    pattern = _PATTERNS.get(fmt)
    if pattern is None:
        return str
    symbols = _symbols(text.locale_code())
    if not symbols:
        return pattern
    return lambda v: pattern(v).translate(symbols)


def numbers(values, decimals: int = 0, *, percent: bool = False) -> list[str]:
    """Many numbers at once in the current language, as `text.number` / `text.percent`
    write one ("" where missing), at a microsecond a number rather than Babel's hundred: a
    chart's hovers over every LSOA of a national table."""
    symbols = _symbols(text.locale_code())
    write = (f"{{:.{decimals}%}}" if percent else f"{{:,.{decimals}f}}").format
    values = np.asarray(values, dtype=object)
    missing = np.asarray(pd.isna(values), dtype=bool)
    if not symbols:  # English: Python's own symbols
        return ["" if gone else write(v) for v, gone in zip(values, missing, strict=True)]
    return [
        "" if gone else write(v).translate(symbols) for v, gone in zip(values, missing, strict=True)
    ]


def format_value(value, fmt: str) -> str:
    if is_missing(value):
        return ""
    return _formatter(fmt)(value)


def _formatted(values: np.ndarray, fmt: str) -> list[str]:
    write = _formatter(fmt)
    return [write(v) for v in values]


def _labelled(values: np.ndarray, kind: str) -> list[str]:
    """Codes in words, each distinct code looked up once."""
    words: dict[object, str] = {}
    out = []
    for value in values:
        try:
            word = words.get(value)
            if word is None:
                word = words[value] = text.label(kind, value)
        except TypeError:  # an unhashable cell: looked up on its own
            word = text.label(kind, value)
        out.append(word)
    return out


def _notes(frame: pd.DataFrame, col: str) -> np.ndarray:
    """Each row's disclosure note for `col` in words ("" where there is none)."""
    name = f"{col}{NOTE_SUFFIX}"
    out = np.full(len(frame), "", dtype=object)
    if name not in frame.columns:
        return out
    notes = frame[name].to_numpy(dtype=object)
    present = ~pd.isna(notes) & (notes != "")
    out[present] = _labelled(notes[present], "note")
    return out


def notes(frame: pd.DataFrame, col: str) -> list[str]:
    """Every row's disclosure note for `col` in words, "" where there is none (`note_of`
    for a whole column)."""
    return list(_notes(frame, col))


def _cells(frame: pd.DataFrame, col: Col) -> np.ndarray:
    """One column of text, column-wise: the note where the value is hidden, an interval or
    a band where its bounds are there, else the value in words or figures."""
    n = len(frame)
    values = [
        frame[s].to_numpy(dtype=object) if s in frame.columns else np.full(n, None, dtype=object)
        for s in col.sources
    ]
    missing = [np.asarray(pd.isna(v), dtype=bool) for v in values]
    cells = _notes(frame, col.sources[0])  # hidden or empty values show their note, or ""
    rest = ~missing[0]
    if len(values) == 3:
        both = rest & ~missing[1] & ~missing[2]
        if both.any():
            shown = [_formatted(v[both], col.fmt) for v in values]
            template = text.t("tables.interval")
            cells[both] = [
                template.format(value=v, lower=lo, upper=hi)
                for v, lo, hi in zip(*shown, strict=True)
            ]
        rest &= ~both
    elif len(values) == 2:
        band = rest & ~missing[1]
        if band.any():
            shown = [_formatted(v[band], col.fmt) for v in values]
            template = text.t("tables.band")
            cells[band] = [
                template.format(lower=lo, upper=hi) for lo, hi in zip(*shown, strict=True)
            ]
        rest &= ~band
    if rest.any():
        if col.vocabulary:
            cells[rest] = _labelled(values[0][rest], col.vocabulary)
        else:
            cells[rest] = _formatted(values[0][rest], col.fmt)
    return cells


def readable(frame: pd.DataFrame, columns: list[Col]) -> pd.DataFrame:
    """A text table with the given headers, notes in place of hidden values."""
    out = {col.title: list(_cells(frame, col)) for col in columns}
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)
