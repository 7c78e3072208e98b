"""Read an import file into a DuckDB staging table of text cells, or say clearly why not.

The table `upload` holds the file's cells exactly as written (text; a blank cell null or
blank), a column for each of the file's, named by the caller (`names`: staged_checks.py
names each after the import column it is read as). The view `raw_rows` holds each row
with a value, with `pos`, its place under the header: its row number is `pos + 2`, and a
blank row is left out but keeps its number. staged_checks.py validates them there.

Two readers, one result:

- **DuckDB's `read_csv`** (queries/staging/read_csv.sql): every column as text, strict
  quoting, no type guessing, several times faster than Python's csv module. It is used
  for a file both read alike, which `reads_alike` decides on the bytes: line ends all LF
  or all CR LF, no blank line before the last row, no space beside a quote (DuckDB trims
  spaces around a quoted value, Python keeps them); and only when DuckDB finds no row
  longer than the header, no cell longer than Python allows and no line break inside
  quotes.
- **Python's csv module, or openpyxl** (readers.py) for every other file, for a workbook,
  and whenever DuckDB refuses a file: their messages name the line at fault ("line 3 has
  a carriage return..."), so a damaged file is explained exactly as before.

Both give the same cells, the same row numbers and the same refusals (tests/test_staging.py
compares them on random files).
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from queries import execute, run_query

from . import settings
from .readers import (
    CSV_FIELD_LIMIT,
    _sniff_delimiter,
    check_row_count,
    decode_text,
    read_csv_text,
    read_xlsx,
    upload_form,
)


@dataclass(frozen=True)
class Staged:
    """What the staging table holds: the header row as written, how the file was read
    ("utf-8", "cp1250", "xlsx"...), how many rows have a value, and which reader read it."""

    headers: list[str]
    read_as: str
    rows: int
    reader: str  # "duckdb" or "python"
    # True when the bytes show that no cell can hold a control character (the check in
    # SQL is then skipped); False when it must look.
    no_control_characters: bool = False


Names = Callable[[list[str]], list[str]]


def generic_names(headers: list[str]) -> list[str]:
    return [f"c{number}" for number in range(1, len(headers) + 1)]


def stage_upload(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    names: Names = generic_names,
    max_mb: float | None = None,
    max_rows: int | None = None,
) -> Staged:
    """Read an upload into `upload` / `raw_rows` on `con` (a staging connection of its own),
    its columns named `names(headers)` (distinct names, one per header). Raises
    FileProblem, with the same message as readers.read_upload, when it cannot."""
    max_rows = settings.MAX_IMPORT_ROWS if max_rows is None else max_rows
    if upload_form(data, file_name, max_mb=max_mb) == "xlsx":
        staged = stage_frame(con, read_xlsx(data, max_rows=max_rows), "xlsx", names)
    else:
        staged = _stage_csv(con, data, names)
    check_row_count(staged.rows, max_rows)
    return staged


def _stage_csv(con: duckdb.DuckDBPyConnection, data: bytes, names: Names) -> Staged:
    text, how = decode_text(data)
    found = _header(text)
    if found is not None:
        delimiter, headers = found
        utf8 = data if how == "utf-8" else text.encode("utf-8")
        del text  # the decoded copy is not needed any more: keep the peak memory down
        columns = {name: "VARCHAR" for name in names(headers)}
        if reads_alike(utf8, delimiter):
            rows = _read_with_duckdb(con, utf8, delimiter, columns)
            if rows is not None:
                clear = not _may_hold_control_characters(utf8, delimiter)
                return Staged(headers, how, rows, "duckdb", no_control_characters=clear)
        text = utf8.decode("utf-8")
    return stage_frame(con, read_csv_text(text), how, names)


def _header(text: str) -> tuple[str, list[str]] | None:
    """The delimiter and the header row (stripped, as readers.read_csv_text names the
    columns), when line 1 is a complete header on its own; None when Python's reader must
    decide (a blank first line, a header cell holding a line break, an empty file...)."""
    end = text.find("\n")
    line = text if end < 0 else text[:end]
    line = line.removesuffix("\r")
    delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader([line], delimiter=delimiter, quotechar='"', strict=True))
    except csv.Error:
        return None
    if len(records) != 1:
        return None
    headers = [cell.strip() for cell in records[0]]
    return (delimiter, headers) if any(headers) else None


def reads_alike(data: bytes, delimiter: str) -> bool:
    """Whether DuckDB's read_csv and Python's csv module read these UTF-8 bytes into the
    same records. Every test is a scan of the bytes at C speed; when one fails, the Python
    reader reads the file (more slowly) and says exactly what is wrong with it, if anything.

    - A carriage return that does not end a line (Python refuses it outside quotes and
      keeps it inside; DuckDB may take it for a line end).
    - Line ends of both kinds (DuckDB settles on one for the whole file).
    - A blank line before the last row: Python counts it as a row (numbering the rows after
      it), DuckDB skips it.
    - A space beside a quote: DuckDB reads ` "a" ` as `a`, Python as ` "a" ` (or refuses
      text after a closing quote).
    """
    if b"\r" in data:  # (a file with LF line ends costs one fast search here)
        crlf = data.count(b"\r\n")
        if data.count(b"\r") != crlf or data.count(b"\n") != crlf:
            return False
    end = len(data)  # blank lines at the very end are nobody's rows
    while end and data[end - 1] in b"\r\n":
        end -= 1
    if data.find(b"\n\n", 0, end) >= 0 or data.find(b"\n\r\n", 0, end) >= 0:
        return False
    if b'"' in data and (b' "' in data or b'" ' in data):
        return False
    return delimiter in (",", ";", "\t")


# Printable ASCII and line ends: what most of a file is made of.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]")


def _may_hold_control_characters(data: bytes, delimiter: str) -> bool:
    """Whether a cell of a file DuckDB read (so with no line break inside quotes) could
    hold a control character: a C0 byte other than the line ends (or the delimiter, a
    tab), DEL, or the UTF-8 form of a C1 character. Printable ASCII is dropped first at C
    speed; the few bytes left are searched."""
    rest = data.translate(None, _PLAIN)
    if delimiter == "\t" and b"\t" in rest:
        return True
    return _CONTROL_BYTES.search(rest) is not None


# DuckDB reads an empty cell as this (never as null), so that a null is a padded cell.
NULL_MARKER = "\x01hc:padded\x01"


def _read_with_duckdb(
    con: duckdb.DuckDBPyConnection, data: bytes, delimiter: str, columns: dict[str, str]
) -> int | None:
    """Read the CSV bytes into `upload` with DuckDB; return the number of rows with a value.
    None (and nothing staged) when DuckDB refuses the file, or reads a row longer than the
    header or a cell longer than Python's csv module allows: the Python reader then
    explains the problem by line."""
    if NULL_MARKER.encode() in data:
        return None
    handle, path = tempfile.mkstemp(prefix="hc-upload-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            execute(
                con,
                "staging/read_csv",
                path=path,
                delimiter=delimiter,
                columns={**columns, "stage_overflow": "VARCHAR"},
                null_marker=NULL_MARKER,
            )
        except duckdb.Error:
            _drop(con)
            return None
    finally:
        os.unlink(path)
    execute(con, "staging/rows_csv")
    read = run_query(con, "staging/csv_read").iloc[0]
    longest = read.drop(["stage_rows", "stage_overflowing"]).fillna(0).max()
    if longest >= CSV_FIELD_LIMIT or read["stage_overflowing"]:
        _drop(con)
        return None
    return int(read["stage_rows"])


def stage_frame(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, read_as: str, names: Names = generic_names
) -> Staged:
    """Stage the text cells a Python reader returned (its index is each row's place under
    the header)."""
    headers = [str(h) for h in frame.columns]
    cells = pd.DataFrame(
        {  # as validation.cell_texts reads a frame's cells
            name: frame.iloc[:, position].fillna("").astype(str).to_numpy(dtype=object)
            for position, name in enumerate(names(headers))
        }
    )
    cells.insert(0, "pos", frame.index.to_numpy(dtype="int64"))
    con.register("upload_frame", cells)
    try:
        execute(con, "staging/frame")
    finally:
        con.unregister("upload_frame")
    execute(con, "staging/rows_frame")
    return Staged(headers, read_as, len(frame), "python")


def _drop(con: duckdb.DuckDBPyConnection) -> None:
    execute(con, "staging/drop_file")
