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
import zlib
from datetime import date, datetime, time
from xml.parsers import expat

import pandas as pd

from . import settings
from .columns import SPECS

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


# --------------------------------------------------------------------------- CSV

CSV_FIELD_LIMIT = 131_072  # the csv module's limit on one cell, in characters
_DELIMITER_NAMES = {",": "a comma (,)", ";": "a semicolon (;)", "\t": "a tab"}
_DELIMITER_WORDS = {",": "comma", ";": "semicolon", "\t": "tab"}


def read_csv_text(text: str) -> pd.DataFrame:
    """The cells of a CSV as text, with the header row as written (so a repeated header
    can be named), or a FileProblem that gives the line and a plain cause."""
    if not text.strip():
        raise FileProblem("the file has no header row and no data")
    if "\r" in text and "\n" not in text:
        raise FileProblem(
            "line 1 ends with a carriage return alone (the old Mac line ending), so the file "
            "reads as one long line: save it again from Excel as 'CSV UTF-8'"
        )
    delimiter = _sniff_delimiter(text)
    records = _csv_records(text, delimiter)
    header = [cell.strip() for cell in records[0][1]]
    if not any(header):
        raise FileProblem("line 1 is blank: the header row must be the first line")
    body = records[1:]
    _check_row_lengths(body, len(header), delimiter)
    width = len(header)
    frame = pd.DataFrame(
        [row + [""] * (width - len(row)) for _, row in body], columns=header, dtype=object
    )
    return _drop_blank_rows(frame)


def _csv_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on. A quoted cell may span lines; strict mode
    refuses a quote that is never closed or text after a closing quote."""
    if csv.field_size_limit() != CSV_FIELD_LIMIT:  # pragma: no cover - changed elsewhere
        csv.field_size_limit(CSV_FIELD_LIMIT)
    # StringIO splits lines at LF only, so a CR that is not part of CR LF stays visible.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', strict=True)
    records, line = [], 0
    try:
        for row in reader:
            records.append((line + 1, row))
            line = reader.line_num
    except csv.Error as error:
        raise FileProblem(_explain_csv_error(str(error), line + 1, reader.line_num)) from None
    return records


def _explain_csv_error(error: str, start: int, line: int) -> str:
    """The csv module's error, as the line it is on and what to do about it."""
    if "new-line character seen in unquoted field" in error:
        return (
            f"line {line} has a carriage return (CR) inside it, outside quotes: delete it, "
            "or put the value in quotes"
        )
    if "field larger than field limit" in error:
        return (
            f"line {start}: a cell is longer than {CSV_FIELD_LIMIT:,} characters, the most one "
            f'may hold; if none should be, a quote (") opened on line {start} is never closed'
        )
    if "unexpected end of data" in error:
        return (
            f'line {start}: a quote (") opens a cell that is never closed before the end of '
            "the file: close it, or delete it"
        )
    if "expected after" in error:
        return (
            f"line {line}: text follows the closing quote of a quoted cell: put the whole value "
            'in quotes and write each quote inside it twice ("")'
        )
    return f"line {line}: the CSV could not be read ({error})"


def _check_row_lengths(body: list[tuple[int, list[str]]], width: int, delimiter: str) -> None:
    """A row may be shorter than the header (its last cells are blank) but not longer: a
    cell with no header means the columns have shifted."""
    long = [(line, row) for line, row in body if len(row) > width]
    if not long:
        return
    rows = [row for _, row in body if any(cell.strip() for cell in row)]
    extra = {len(row) - width for row in rows}
    trailing_blanks = all(not "".join(row[width:]).strip() for _, row in long)
    if len(long) == len(rows) and len(extra) == 1 and trailing_blanks:
        count = extra.pop()
        what = "an extra empty column" if count == 1 else f"{count} extra empty columns"
        word = _DELIMITER_WORDS.get(delimiter, "separator")
        raise FileProblem(
            f"every row ends with {what} that the header does not have (a {word} at the end "
            f"of each line from line 2 on): remove the trailing {word}s"
        )
    line, row = long[0]
    more = f" (and {len(long) - 1} more line(s) like it)" if len(long) > 1 else ""
    raise FileProblem(
        f"line {line} has {len(row)} cells but the header has {width}{more}: a value that "
        f"holds {_DELIMITER_NAMES.get(delimiter, repr(delimiter))} must be in quotes"
    )


# --------------------------------------------------------------------------- Excel

# The widest import (contacts, with its optional age band) has 13 columns. A sheet may carry as many
# again of its own (officer, comments...), which are ignored. A value further right means
# it is not an import, or is a "spreadsheet bomb" (a small file that unpacks to millions of
# cells): the sheet is refused at that cell, before anything is read into memory.
WIDEST_IMPORT = max(len(spec) for spec in SPECS.values())
MAX_SHEET_COLUMNS = 2 * WIDEST_IMPORT
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARACTERS = 32_767
MAX_WORKBOOK_PARTS = 1_000  # files inside the .xlsx zip; a real workbook has a few dozen
_SCAN_CHUNK = 1 << 16
_SPARE_SHARED_TEXTS = 1_000  # texts a workbook may keep that no cell uses any more


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


def read_xlsx(
    data: bytes, *, max_rows: int | None = None, max_columns: int = MAX_SHEET_COLUMNS
) -> pd.DataFrame:
    """Read a one-sheet workbook as text cells, in two streaming passes.

    First every XML part is scanned as it is unzipped (`_scan_workbook`), counting rows
    and cells as they go past, so that a sheet wider than `max_columns`, longer than
    `max_rows` or holding more cells than the two allow is refused as soon as it is seen.
    Memory stays flat whatever the file unpacks to, and the size a sheet declares is never
    trusted. Only then does openpyxl read the values (read-only mode, row by row), no
    further than the scan found values; it turns Excel dates and shared texts into values.
    """
    max_rows = settings.MAX_IMPORT_ROWS if max_rows is None else max_rows
    if data.count(b"PK\x01\x02") > MAX_WORKBOOK_PARTS:
        raise FileProblem(
            f"this .xlsx workbook holds more than {MAX_WORKBOOK_PARTS:,} parts, which no "
            "contact log or export needs: open it in Excel and save the sheet on its own"
        )
    unreadable = (zipfile.BadZipFile, zlib.error, KeyError, OSError, ValueError, RuntimeError)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scan = _scan_workbook(archive, max_rows, max_columns)
    except FileProblem:
        raise
    except unreadable as error:  # RuntimeError: an encrypted part
        raise FileProblem(f"this .xlsx workbook could not be opened ({error})") from None

    # Imported after the scan: refusing a bomb needs none of openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except (InvalidFileException, *unreadable) as error:
        raise FileProblem(f"this .xlsx workbook could not be opened ({error})") from None
    try:
        sheets = book.sheetnames
        if len(sheets) != 1:
            raise FileProblem(
                f"the workbook has {len(sheets)} sheets ({', '.join(sheets)}): put the data "
                "on one sheet and delete the others, so nothing is loaded by mistake"
            )
        rows = _sheet_rows(book[sheets[0]], scan)
    except FileProblem:
        raise
    except (KeyError, OSError, ValueError, TypeError, SyntaxError, zlib.error) as error:
        raise FileProblem(f"this .xlsx workbook could not be read ({error})") from None
    finally:
        book.close()
    if not rows or not any(rows[0]):
        raise FileProblem("the sheet has no header row")
    header, body = rows[0], rows[1:]
    width = len(header)
    while width and header[width - 1] == "":
        width -= 1
    frame = pd.DataFrame(
        [r[:width] + [""] * (width - len(r)) for r in body], columns=header[:width], dtype=object
    )
    return _drop_blank_rows(frame.astype(str))


def _sheet_rows(sheet, scan: _WorkbookScan) -> list[list[str]]:
    """The sheet's cells as text, read by openpyxl no further than the scan found values
    (not as far as the sheet says it goes); a formula anywhere refuses the sheet."""
    if not scan.last_row:
        return []
    rows, formulas = [], []
    cells = sheet.iter_rows(
        min_row=1, max_row=scan.last_row, max_col=scan.last_column, values_only=True
    )
    for number, values in enumerate(cells, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                formulas.append(f"{_column_letters(column)}{number}")
        rows.append([_cell_text(v) for v in values])
    if formulas:
        shown = ", ".join(formulas[:5]) + (" …" if len(formulas) > 5 else "")
        raise FileProblem(
            f"the sheet has {len(formulas)} formula cell(s) ({shown}): copy the sheet and "
            "paste values only, then upload again"
        )
    return rows


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(reference: str) -> int | None:
    """'AB12' -> 28; None when the reference has no column letters."""
    letters = reference.rstrip("0123456789").upper()
    if not letters or len(letters) > 3 or not (letters.isascii() and letters.isalpha()):
        return None
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _WorkbookScan:
    """Expat handlers that count a worksheet's rows and cells as its XML streams past,
    and refuse (FileProblem) at the first one over a limit. Afterwards: where the values
    end, and how many cells hold shared texts."""

    def __init__(self, max_rows: int, max_columns: int) -> None:
        self.max_rows, self.max_columns = max_rows, max_columns
        self.cell_budget = (max_rows + 1) * max_columns
        self.cells = 0  # <c> elements in every sheet, holding a value or not
        self.shared_cells = 0  # cells whose value is a shared text
        self.last_row = self.last_column = 0  # how far the values go
        self.row_number = self.column = self.rows_with_values = 0
        self.row_has_value = self.in_cell = self.cell_has_value = False
        self.cell_type = ""

    # Names arrive as "namespace local-name" (the parser's namespace separator is a space).
    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            self._cell_start(attributes)
        elif local in ("v", "is", "f") and self.in_cell:
            self.cell_has_value = True
        elif local == "row":
            self._row_start(attributes)

    def end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local == "c":
            self._cell_end()
        elif local == "row":
            self._row_end()

    def _row_start(self, attributes: dict[str, str]) -> None:
        given = attributes.get("r", "")
        self.row_number = int(given) if given.isdigit() else self.row_number + 1
        if self.row_number > EXCEL_MAX_ROWS:
            raise FileProblem(
                f"the sheet has a row numbered {self.row_number:,}, beyond the last row a "
                f"sheet can have ({EXCEL_MAX_ROWS:,}): the workbook is damaged; open it in "
                "Excel and save it again"
            )
        self.column, self.row_has_value = 0, False

    def _cell_start(self, attributes: dict[str, str]) -> None:
        self.cells += 1
        if self.cells > self.cell_budget:
            raise FileProblem(
                f"the sheet holds more than {self.cell_budget:,} cells (the row limit, "
                f"{self.max_rows:,}, times {self.max_columns} columns): delete what is not "
                "part of the import, save and upload again"
            )
        given = _column_number(attributes.get("r", ""))
        self.column = given if given is not None else self.column + 1
        if self.column > EXCEL_MAX_COLUMNS:
            raise FileProblem(
                f"row {self.row_number:,} has a cell beyond the last column a sheet can have "
                "(XFD): the workbook is damaged; open it in Excel and save it again"
            )
        self.in_cell, self.cell_has_value = True, False
        self.cell_type = attributes.get("t", "n")

    def _cell_end(self) -> None:
        self.in_cell = False
        if not self.cell_has_value:
            return  # an empty cell that only carries formatting
        if self.column > self.max_columns:
            raise FileProblem(
                f"row {self.row_number:,} has a value in column "
                f"{_column_letters(self.column)}, beyond column {self.max_columns} "
                f"({_column_letters(self.max_columns)}): no import has more than "
                f"{WIDEST_IMPORT} columns, so the sheet is refused before it is read. Delete "
                "the columns to the right of your data, save and upload again"
            )
        self.row_has_value = True
        self.last_column = max(self.last_column, self.column)
        if self.cell_type == "s":
            self.shared_cells += 1

    def _row_end(self) -> None:
        if not self.row_has_value:
            return
        self.rows_with_values += 1
        self.last_row = self.row_number
        if self.rows_with_values > self.max_rows + 1:  # the header row is not a record
            raise FileProblem(
                f"the sheet has more than {self.max_rows:,} rows; the limit is "
                f"{self.max_rows:,} rows a file (split it, or ask an administrator to raise "
                "HC_MAX_IMPORT_ROWS)"
            )


class _SharedTextScan:
    """Expat handlers that count the workbook's shared texts, and each one's length."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count, self.length = limit, 0, 0

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "si":
            self.count, self.length = self.count + 1, 0
            if self.count > self.limit:
                raise FileProblem(
                    f"the workbook keeps more than {self.limit:,} texts, far more than its "
                    "cells use: open it in Excel and save it again"
                )

    def text(self, data: str) -> None:
        self.length += len(data)
        if self.length > EXCEL_MAX_CELL_CHARACTERS:
            raise FileProblem(
                f"a cell of the workbook holds more than {EXCEL_MAX_CELL_CHARACTERS:,} "
                "characters, more than Excel allows: open it in Excel and save it again"
            )


class _Root(Exception):
    """Raised inside expat to stop at a part's first element; carries its local name."""


def _scan_workbook(archive: zipfile.ZipFile, max_rows: int, max_columns: int) -> _WorkbookScan:
    """Stream every XML part of the workbook: refuse a document type (the way to entity
    expansion tricks; Excel never writes one), then count the worksheets' rows and cells,
    then the shared texts, which cannot outnumber the cells that use them by much."""
    parts: dict[str, list[zipfile.ZipInfo]] = {"worksheet": [], "sst": []}
    for item in archive.infolist():
        root = _root_element(archive, item)
        if root in parts:
            parts[root].append(item)
    sheets = _WorkbookScan(max_rows, max_columns)
    for item in parts["worksheet"]:
        _stream_part(archive, item, sheets.start, sheets.end)
    texts = _SharedTextScan(sheets.shared_cells + _SPARE_SHARED_TEXTS)
    for item in parts["sst"]:
        _stream_part(archive, item, texts.start, text=texts.text)
    return sheets


def _new_parser(part: str):
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_doctype(*_args) -> None:
        raise FileProblem(
            f"this .xlsx workbook could not be opened ({part} declares a document type, "
            "which Excel never writes): open it in Excel and save it again"
        )

    parser.StartDoctypeDeclHandler = refuse_doctype
    return parser


def _feed(parser, archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> None:
    with archive.open(item) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _root_element(archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> str | None:
    """The local name of a part's first element, reading no further than that; None when
    the part is not XML (a picture, say)."""
    parser = _new_parser(item.filename)

    def found(name: str, _attributes) -> None:
        raise _Root(name.rpartition(" ")[2])

    parser.StartElementHandler = found
    try:
        _feed(parser, archive, item)
    except _Root as root:
        return str(root)
    except expat.ExpatError:
        return None
    return None


def _stream_part(archive, item, start, end=None, text=None) -> None:
    parser = _new_parser(item.filename)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        _feed(parser, archive, item)
    except expat.ExpatError as error:
        raise FileProblem(
            f"this .xlsx workbook could not be opened ({item.filename} is not well-formed "
            f"XML: {error}): open it in Excel and save it again"
        ) from None


def upload_form(data: bytes, file_name: str, *, max_mb: float | None = None) -> str:
    """What the upload is ("xlsx" or "csv"), after the checks that need no reading: empty,
    over the size limit, an old .xls, or named .xlsx but not one."""
    max_mb = settings.MAX_UPLOAD_MB if max_mb is None else max_mb
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
        return "xlsx"
    if name.endswith((".xlsx", ".xlsm")):
        raise FileProblem("the file is named .xlsx but is not an Excel workbook")
    return "csv"


def check_row_count(rows: int, max_rows: int | None = None) -> None:
    """Refuse a file with more rows than an import may have."""
    max_rows = settings.MAX_IMPORT_ROWS if max_rows is None else max_rows
    if rows > max_rows:
        raise FileProblem(
            f"the file has {rows:,} rows; the limit is {max_rows:,} rows a file "
            "(split it, or ask an administrator to raise HC_MAX_IMPORT_ROWS)"
        )


def read_upload(
    data: bytes, file_name: str, *, max_mb: float | None = None, max_rows: int | None = None
) -> tuple[pd.DataFrame, str]:
    """The file's rows as text cells, and how it was read ("xlsx", "utf-8", "cp1250"...)."""
    max_rows = settings.MAX_IMPORT_ROWS if max_rows is None else max_rows
    if upload_form(data, file_name, max_mb=max_mb) == "xlsx":
        frame, how = read_xlsx(data, max_rows=max_rows), "xlsx"
    else:
        text, how = decode_text(data)
        frame = read_csv_text(text)
    check_row_count(len(frame), max_rows)
    return frame, how
