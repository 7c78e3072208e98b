"""Peak memory and time of refusing spreadsheet bombs through the real import command.

    .venv/bin/python benchmarks/bombs.py            # the bombs below, into a temporary folder

Each bomb is a small .xlsx whose one sheet unpacks to millions of cells. For each, a fresh
`python -m hidden_communities import contacts BOMB --db DB` runs as a child process and
its peak resident memory (the kernel's ru_maxrss) and wall time are printed, beside the
same command importing a one-row contact log, the baseline of Python, pandas and DuckDB.
It prints figures and asserts nothing (the tests assert the refusal and a memory bound).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHEET = "xl/worksheets/sheet1.xml"
HEADER = (
    "contact_date,area,team,communities,channel,direction,place_type,people_reached,"
    "language,topics,follow_up_needed,note\n"
)
ROW = "14/05/2021,E01027925,Sutton,none,phone,reactive,phone,1,english,,no,\n"


def letters(columns: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(n) for n in range(1, columns + 1)]


def template() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["x"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def write_bomb(path: Path, rows: int, columns: int, *, references: bool, texts: bool) -> None:
    """rows x columns cells: numbers, or distinct shared texts; with or without a cell
    reference on each cell (without, the XML is smaller and packs tighter)."""
    names = letters(columns)
    with (
        zipfile.ZipFile(io.BytesIO(template())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename not in (SHEET, "xl/sharedStrings.xml"):
                target.writestr(item, source.read(item))
        if texts:
            with target.open("xl/sharedStrings.xml", "w") as out:
                out.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                for n in range(rows * columns):
                    out.write(f"<si><t>text {n}</t></si>".encode())
                out.write(b"</sst>")
        with target.open(SHEET, "w") as out:
            out.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="A1:{names[-1]}{rows}"/><sheetData>'.encode()
            )
            for r in range(1, rows + 1):
                kind = ' t="s"' if texts else ""
                cells = []
                for c, name in enumerate(names):
                    value = (r - 1) * columns + c if texts else 1
                    ref = f' r="{name}{r}"' if references else ""
                    cells.append(f"<c{ref}{kind}><v>{value}</v></c>")
                out.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            out.write(b"</sheetData></worksheet>")


def measure(path: Path, db: Path) -> tuple[int, float, float, str]:
    """Exit status, peak memory (MB) and seconds of one import, and its last message."""
    command = [sys.executable, "-m", "hidden_communities", "import", "contacts", str(path)]
    with tempfile.TemporaryFile("w+") as said:
        start = time.perf_counter()
        child = subprocess.Popen(
            [*command, "--db", str(db), "--by", "bench"], cwd=ROOT, stdout=said, stderr=said
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the others'
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        said.seek(0)
        last = (said.read().strip().splitlines() or [""])[-1]
    return child.returncode, usage.ru_maxrss / 1024, seconds, last[:110]


def main() -> None:
    bombs = [
        ("16,384 columns x 200 rows, numbers, cell references", 200, 16_384, True, False),
        ("16,384 columns x 5,000 rows, numbers", 5_000, 16_384, False, False),
        ("16,384 columns x 200 rows, distinct shared texts", 200, 16_384, True, True),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.duckdb"
        subprocess.run(
            [sys.executable, "-m", "hidden_communities", "build-db", "--no-demo", "--db", str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        good = folder / "one-row.csv"
        good.write_text(HEADER + ROW)
        status, peak, seconds, said = measure(good, db)
        print(
            f"{'one-row contact log (baseline)':55} exit {status}  {peak:6.0f} MB  {seconds:5.1f} s"
        )
        for label, rows, columns, references, texts in bombs:
            path = folder / "bomb.xlsx"
            write_bomb(path, rows, columns, references=references, texts=texts)
            unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
            status, peak, seconds, said = measure(path, db)
            print(
                f"{label:55} exit {status}  {peak:6.0f} MB  {seconds:5.1f} s  "
                f"({path.stat().st_size / 1e6:.1f} MB file, {unpacked / 1e6:,.0f} MB unpacked)"
            )
            print(f"    {said}")


if __name__ == "__main__":
    main()
