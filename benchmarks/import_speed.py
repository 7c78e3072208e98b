"""Records a second and peak memory of importing a large, valid crime-reports file through
the real import command, and how long loading it again takes to be answered.

    .venv/bin/python benchmarks/import_speed.py                  # 1,000,000 reports
    .venv/bin/python benchmarks/import_speed.py --rows 200000
    .venv/bin/python benchmarks/import_speed.py --rows 200000 --phases

The file is made by the demonstration generator (hidden_communities/demo.generate, at the
scale that gives enough reports, the first --rows of them) and written as a CSV, as a
records-system export would be. A fresh database with the census reference and no records
is built beside it. Then `python -m hidden_communities import reports FILE --db DB` runs as
a child process, twice:

- the first import: wall time, records a second, the child's CPU time and its peak
  resident memory (the kernel's ru_maxrss for that child alone);
- the same file again: the answer "already loaded", and how long it took.

`--phases` also times the steps in this process (reading and checking the file in DuckDB,
then the load into the database), each SQL statement of them over 0.05 s, to show where
the time goes (in the load, what the statements leave is mostly the commit). The machine's load average
is printed before and after: on a shared machine every figure moves with it. It prints
figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# About this many reports a unit of demonstration scale (two years of about 1,000 a month).
REPORTS_PER_SCALE = 24_000


def make_file(rows: int, path: Path) -> float:
    """Write `rows` valid demonstration reports to `path` as CSV; return the seconds taken."""
    from hidden_communities import database, demo

    started = time.perf_counter()
    ref = database.read_reference()
    scale = rows / REPORTS_PER_SCALE * 1.1
    while True:
        cfg = replace(demo.DemoConfig(), scale=scale)
        data = demo.generate(ref["areas"], ref["population"], ref["towns"], ref["calibration"], cfg)
        if len(data.reports) >= rows:
            break
        scale *= 1.2 * rows / max(len(data.reports), 1)
    data.reports.iloc[:rows].to_csv(path, index=False)
    return time.perf_counter() - started


def run_measured(file: Path, db: Path, env: dict[str, str]) -> dict:
    """One `import reports` command in a child process: its exit status, last line, wall
    time, and its own peak memory and CPU time (from wait4, that child's alone)."""
    command = [
        sys.executable,
        "-m",
        "hidden_communities",
        "import",
        "reports",
        str(file),
        "--db",
        str(db),
        "--by",
        "benchmark",
    ]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        said = (out.read().strip() or err.read().strip()).splitlines()
    return {
        "status": os.waitstatus_to_exitcode(status),
        "seconds": seconds,
        "said": said[-1] if said else "",
        "peak_mb": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


def _timed_statements(spent: dict[str, dict[str, float]], phase: list[str]) -> None:
    """Count the wall time of every named SQL statement the import runs into
    `spent[phase[0]]`, by wrapping the runners the import's modules call (this process
    only)."""
    from hidden_communities import loading, rollups, staged_checks, staging

    def timed(runner):
        def run(con, name, *args, **kwargs):
            started = time.perf_counter()
            try:
                return runner(con, name, *args, **kwargs)
            finally:
                label = name if len(name) < 40 else name.split("(")[0][:40]
                now = spent[phase[0]]
                now[label] = now.get(label, 0.0) + time.perf_counter() - started

        return run

    for module in (staging, staged_checks, loading, rollups):
        for runner in ("execute", "run_query", "scalar"):
            if hasattr(module, runner):
                setattr(module, runner, timed(getattr(module, runner)))


def phases(file: Path, db: Path) -> None:
    """Time the import's steps in this process (a copy of the empty database): reading and
    checking, then the load, each with its SQL statements over 0.05 s; what a phase spent
    outside them is Python (decoding, Arrow) or, in the load, mostly the commit."""
    from hidden_communities import access, ingest
    from queries import run_query

    data = file.read_bytes()
    with access.reading(db) as con:
        areas = run_query(con, "areas")
    spent: dict[str, dict[str, float]] = {"check": {}, "load": {}}
    phase = ["check"]
    _timed_statements(spent, phase)
    started = time.perf_counter()
    outcome = ingest.read_and_check(data, file.name, "reports", areas, max_mb=10_000)
    checked = time.perf_counter() - started
    phase[0] = "load"
    started = time.perf_counter()
    with access.writing(db) as con:
        ingest.load_checked(con, outcome, data, loaded_by="benchmark")
    loaded = time.perf_counter() - started
    rows = outcome.validation.rows_in_file
    for title, seconds, statements in (
        ("read and check in DuckDB", checked, spent["check"]),
        ("load (one transaction)", loaded, spent["load"]),
    ):
        print(f"  {title:<30} {seconds:7.2f} s   {rows / seconds:>12,.0f} records/s")
        for name, part in sorted(statements.items(), key=lambda item: -item[1]):
            if part >= 0.05:
                print(f"    {name:<40} {part:7.2f} s")
        outside = seconds - sum(statements.values())
        print(f"    {'(outside those statements)':<40} {outside:7.2f} s")
    print(f"  ({outcome.message})")


def child(*args: str) -> None:
    """Run this script again in a child process: the work that needs pandas and DuckDB stays
    out of this process, whose memory every child it starts would otherwise inherit as the
    floor of its own peak (Linux keeps ru_maxrss across fork and exec)."""
    subprocess.run([sys.executable, __file__, *args], cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--phases", action="store_true", help="also time the steps")
    parser.add_argument("--keep", help="a folder to keep the file and database in")
    parser.add_argument("--make-file", nargs=2, metavar=("ROWS", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--phases-of", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_file:
        seconds = make_file(int(args.make_file[0]), Path(args.make_file[1]))
        print(f"made {Path(args.make_file[1]).name} in {seconds:.0f} s")
        return
    if args.phases_of:
        phases(Path(args.phases_of[0]), Path(args.phases_of[1]))
        return

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="hc-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        file = folder / f"reports-{args.rows}.csv"
        if not file.exists():
            child("--make-file", str(args.rows), str(file))
        size_mb = file.stat().st_size / 1024 / 1024
        empty = folder / "empty.duckdb"
        if not empty.exists():
            subprocess.run(
                [sys.executable, "-m", "hidden_communities", "build-db", "--no-demo"]
                + ["--db", str(empty)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        db = folder / "import.duckdb"
        shutil.copy(empty, db)
        env = {
            **os.environ,
            # The file is larger than an upload may be, and may have more rows than a file.
            "HC_MAX_UPLOAD_MB": str(int(size_mb) + 1),
            "HC_MAX_IMPORT_ROWS": str(max(args.rows, 2_000_000)),
        }
        print(f"file: {args.rows:,} reports, {size_mb:,.0f} MB")
        first = run_measured(file, db, env)
        rate = args.rows / first["seconds"]
        print(
            f"import: {first['seconds']:.2f} s wall ({rate:,.0f} records/s), "
            f"{first['cpu_s']:.2f} s CPU, peak RSS {first['peak_mb']:,.0f} MB, "
            f"exit {first['status']}: {first['said']}"
        )
        again = run_measured(file, db, env)
        print(
            f"again: {again['seconds']:.2f} s wall, peak RSS {again['peak_mb']:,.0f} MB, "
            f"exit {again['status']}: {again['said']}"
        )
        if args.phases:
            shutil.copy(empty, db)
            print("phases, in a child process:")
            child("--phases-of", str(file), str(db))
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
