"""Read an uploaded CSV or Excel file into a frame of text cells, or say clearly why not.

Every cell comes back as text (`""` for blank) so that validation sees exactly what the
person typed. The frame's index is the row's position under the header, so validation's
row numbers match the spreadsheet even when blank rows are skipped.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time

import pandas as pd

from . import settings

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format

# Letters that only Windows-1250 (Central European) gives sense to inside words, and what
# the same bytes become in Windows-1252 (Western European). A word like "Łódź" or
# "Kacprzycka" decides the code page; "£5" alone does not.
_POLISH_LETTERS = "ąćęłńśźżĄĆĘŁŃŚŹŻšŠťŤžŽľĽčČřŘďĎňŇůŮăĂâÂîÎșȘțȚőŐűŰ"
_CP1252_ODDITIES = "¹³¿œŸ¥ªº¬ˇ˘¤¦§¨©«®°±´µ¶·¸»¼½¾"


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


def _in_words(text: str, letters: str) -> int:
    pattern = re.compile(rf"(?<=[^\W\d_])[{re.escape(letters)}]|[{re.escape(letters)}](?=[^\W\d_])")
    return len(pattern.findall(text))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1250 /
    Windows-1252 chosen by which one makes words of the accented bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise FileProblem(
            "this is not a text (CSV) file or an Excel .xlsx workbook: save it as CSV or .xlsx"
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed_encodings(data)
    candidates = {}
    for encoding in ("cp1250", "cp1252"):
        try:
            candidates[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise FileProblem(
            "could not read the file as text in UTF-8, Windows-1250 or Windows-1252: "
            "save it from Excel as 'CSV UTF-8'"
        )
    if len(candidates) == 1:
        encoding = next(iter(candidates))
        return candidates[encoding], encoding
    central = _in_words(candidates["cp1250"], _POLISH_LETTERS) - _in_words(
        candidates["cp1250"], _CP1252_ODDITIES
    )
    western = _in_words(candidates["cp1252"], "éèêëàâäîïôöûüùçñÉÈÀÇ") - _in_words(
        candidates["cp1252"], _CP1252_ODDITIES
    )
    encoding = "cp1250" if central > western else "cp1252"
    return candidates[encoding], encoding


def _refuse_mixed_encodings(data: bytes) -> None:
    """A file whose accented lines are partly UTF-8 and partly not was pasted together from
    two files: any single decoding would garble some names, so refuse it and say where."""
    utf8_lines, other_lines = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
            utf8_lines.append(number)
        except UnicodeDecodeError:
            other_lines.append(number)
    if utf8_lines and other_lines:
        shown = ", ".join(str(n) for n in other_lines[:10]) + (
            " …" if len(other_lines) > 10 else ""
        )
        raise FileProblem(
            f"the file mixes text encodings: line(s) {shown} are not UTF-8 but line(s) "
            f"{', '.join(str(n) for n in utf8_lines[:3])} are. Open it in Excel and save it "
            "again as 'CSV UTF-8' so names such as Łódź are not garbled"
        )


def _sniff_delimiter(text: str) -> str:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    blank = (frame == "").all(axis=1)
    return frame.loc[~blank]


def read_csv_text(text: str) -> pd.DataFrame:
    if not text.strip():
        raise FileProblem("the file has no header row and no data")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=_sniff_delimiter(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            on_bad_lines="error",
            engine="python",
        )
    except pd.errors.ParserError as error:
        raise FileProblem(f"the CSV is malformed: {error}") from None
    except (csv.Error, ValueError) as error:
        raise FileProblem(f"the CSV could not be read: {error}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return _drop_blank_rows(frame.fillna(""))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def read_xlsx(data: bytes) -> pd.DataFrame:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(f"this .xlsx workbook could not be opened ({error})") from None
    sheets = book.sheetnames
    if len(sheets) != 1:
        raise FileProblem(
            f"the workbook has {len(sheets)} sheets ({', '.join(sheets)}): put the data on "
            "one sheet and delete the others, so nothing is loaded by mistake"
        )
    sheet = book[sheets[0]]
    formulas = [
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]
    if formulas:
        shown = ", ".join(formulas[:5]) + (" …" if len(formulas) > 5 else "")
        raise FileProblem(
            f"the sheet has {len(formulas)} formula cell(s) ({shown}): copy the sheet and "
            "paste values only, then upload again"
        )
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not rows or not any(rows[0]):
        raise FileProblem("the sheet has no header row")
    header, body = rows[0], rows[1:]
    width = len(header)
    while width and header[width - 1] == "":
        width -= 1
    frame = pd.DataFrame(
        [r[:width] + [""] * (width - len(r)) for r in body], columns=header[:width], dtype=object
    )
    if frame.columns.duplicated().any():
        raise FileProblem("the header row repeats a column name")
    return _drop_blank_rows(frame.astype(str))


def read_upload(
    data: bytes, file_name: str, *, max_mb: float | None = None, max_rows: int | None = None
) -> tuple[pd.DataFrame, str]:
    """The file's rows as text cells, and how it was read ("xlsx", "utf-8", "cp1250"...)."""
    max_mb = settings.MAX_UPLOAD_MB if max_mb is None else max_mb
    max_rows = settings.MAX_IMPORT_ROWS if max_rows is None else max_rows
    if len(data) == 0:
        raise FileProblem("the file is empty (0 bytes)")
    if len(data) > max_mb * 1024 * 1024:
        raise FileProblem(
            f"the file is {len(data) / 1024 / 1024:.1f} MB; the limit is {max_mb:g} MB "
            "(split it, or ask an administrator to raise HC_MAX_UPLOAD_MB)"
        )
    name = file_name.lower()
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise FileProblem("old-style .xls workbooks are not read: save it as .xlsx or CSV")
    if data.startswith(XLSX_MAGIC):
        frame, how = read_xlsx(data), "xlsx"
    elif name.endswith((".xlsx", ".xlsm")):
        raise FileProblem("the file is named .xlsx but is not an Excel workbook")
    else:
        text, how = decode_text(data)
        frame = read_csv_text(text)
    if len(frame) > max_rows:
        raise FileProblem(
            f"the file has {len(frame):,} rows; the limit is {max_rows:,} rows a file "
            "(split it, or ask an administrator to raise HC_MAX_IMPORT_ROWS)"
        )
    return frame, how
