"""The project's command line. Each command is a thin wrapper over a library function."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from . import settings


def _build_reference(args: argparse.Namespace) -> int:
    from .reference_build import build_reference

    counts = build_reference(Path(args.raw), args.district, Path(args.out))
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


# Exit statuses of `import`: documented in the README.
EXIT_LOADED = 0
EXIT_REJECTED = 1
EXIT_PARTIAL = 3
EXIT_BUSY = 4  # waited HC_LOCK_WAIT_S for another load and gave up; nothing was written


# The largest demonstration a build makes: it is generated in memory (scale 200, a force's
# 6.4 M records, peaks at 5.8 GB; national scale 2.8, 42 M records, at 6.4 GB).
MAX_DEMO_SCALE = 400.0
MAX_NATIONAL_SCALE = 4.0


def _scale(value: str) -> float:
    """--scale: a number above 0 (argparse turns the ValueError into a one-line error)."""
    scale = float(value)
    if not math.isfinite(scale) or scale <= 0:
        raise ValueError(value)
    return scale


_scale.__name__ = "positive number"  # argparse: "invalid positive number value: '-1'"


def _build_db(args: argparse.Namespace) -> int:
    import time

    from .access import DatabaseBusy
    from .database import build_database

    largest = MAX_NATIONAL_SCALE if args.national else MAX_DEMO_SCALE
    if not args.no_demo and not (math.isfinite(args.scale) and args.scale > 0):
        # Only HC_DEMO_SCALE gets here (--scale is checked as it is read).
        print("HC_DEMO_SCALE is not a number above 0; nothing was built", file=sys.stderr)
        return EXIT_BAD_REQUEST
    if not args.no_demo and args.scale > largest:
        print(
            f"--scale {args.scale:g} is over {largest:g}, the largest demonstration this "
            "command builds (it is generated in memory); nothing was built",
            file=sys.stderr,
        )
        return EXIT_BAD_REQUEST
    started = time.perf_counter()
    try:
        path = build_database(
            Path(args.db),
            demo_data=not args.no_demo,
            seed=args.seed,
            scale=args.scale,
            progress=lambda fraction, text: print(f"[{fraction:4.0%}] {text}", file=sys.stderr),
            national=args.national,
        )
    except DatabaseBusy as busy:
        print(f"{args.db} was not replaced: {busy}", file=sys.stderr)
        return EXIT_BUSY
    if args.national:  # how long a national build takes, for docs/performance.md
        print(
            f"national demonstration built in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    print(f"built {path}")
    return 0


def _export_parquet(args: argparse.Namespace) -> int:
    from .access import DatabaseBusy
    from .snapshots import SnapshotError, export_parquet

    try:
        manifest = export_parquet(Path(args.db), Path(args.out))
    except DatabaseBusy as busy:
        print(f"no snapshot was written: {busy}. Try again later.", file=sys.stderr)
        return EXIT_BUSY
    except SnapshotError as error:
        print(f"no snapshot was written: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except OSError as error:  # a folder that cannot be made or written, a full disk
        where = error.filename or args.out
        print(f"no snapshot was written: {where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_REJECTED
    rows = manifest["tables"]
    print(
        f"wrote {args.out}: {rows['contacts']['rows']:,} contacts and "
        f"{rows['reports']['rows']:,} reports by force and month, {len(rows) - 2} other "
        f"tables (data version {manifest['data_version'][:12]})"
    )
    return EXIT_LOADED


def _import(args: argparse.Namespace) -> int:
    import getpass

    import pandas as pd

    from .access import DatabaseBusy, ReadOnlySnapshot
    from .database import ensure_database
    from .exports import to_csv_bytes
    from .ingest import import_into

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"cannot read {path}: {error.strerror}", file=sys.stderr)
        return EXIT_REJECTED
    try:
        outcome = import_into(
            ensure_database(Path(args.db)),
            data,
            path.name,
            args.kind.replace("-", "_"),
            loaded_by=args.by or getpass.getuser(),
            allow_partial=args.load_valid_rows,
        )
    except DatabaseBusy as busy:
        print(
            f"{path.name} was not loaded: {busy}. Try again later, or wait longer with "
            "HC_LOCK_WAIT_S.",
            file=sys.stderr,
        )
        return EXIT_BUSY
    except ReadOnlySnapshot as refused:
        print(f"{path.name} was not loaded: {refused}.", file=sys.stderr)
        return EXIT_REJECTED
    problems = outcome.problems
    if not problems.empty:
        print(f"{len(problems)} problem(s) in {path.name}:", file=sys.stderr)
        for p in problems.itertuples(index=False):
            file_level = pd.isna(p.row)  # a problem with the whole file has no row
            where = (
                "" if file_level else f"row {int(p.row)}, column {p.column}, value {p.value!r}: "
            )
            print(f"  {where}{p.rule}", file=sys.stderr)
    if outcome.loaded:
        print(outcome.message)
        rejected = outcome.rejected_rows()
        if not rejected.empty:
            out = path.with_name(path.stem + ".rejected.csv")
            out.write_bytes(to_csv_bytes(rejected))
            print(f"rejected rows written to {out}", file=sys.stderr)
            return EXIT_PARTIAL
        return EXIT_LOADED
    print(outcome.message, file=sys.stderr)
    return EXIT_REJECTED


# Exit statuses of `briefing` (README): 0 written; 1 nothing written, because the period, the
# targets file or the database cannot be used; 4 the database was busy; 5 a piece the PDF
# needs (Pango, matplotlib) is missing on this machine.
EXIT_MISSING_PIECE = 5


def _briefing(args: argparse.Namespace) -> int:
    from . import periods
    from .access import DatabaseBusy, reading
    from .targets import TargetsError, load_targets

    try:
        period = periods.parse(args.period) if args.period else None
    except periods.PeriodError as error:
        print(f"--period {args.period!r}: {error}", file=sys.stderr)
        return EXIT_REJECTED
    try:
        targets = load_targets(Path(args.targets) if args.targets else None)
    except TargetsError as error:
        print("the targets file cannot be used:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REJECTED
    db = Path(args.db)
    if not db.exists():
        print(
            f"no database at {db}: build it with `build-db` or run the dashboard", file=sys.stderr
        )
        return EXIT_REJECTED
    from queries import run_query

    from .briefing import BriefingUnavailable, NoRecords, make_briefing

    def query(name: str, **params):
        with reading(db) as con:
            return run_query(con, name, **params)

    try:
        pdf = make_briefing(query, period, targets)
    except DatabaseBusy as busy:
        print(f"no briefing was written: {busy}. Try again later.", file=sys.stderr)
        return EXIT_BUSY
    except NoRecords as empty:
        print(f"no briefing was written: {empty}", file=sys.stderr)
        return EXIT_REJECTED
    except BriefingUnavailable as missing:
        print(f"no briefing was written: {missing}", file=sys.stderr)
        return EXIT_MISSING_PIECE
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as error:
        print(f"cannot write {out}: {error.strerror}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"wrote {out}")
    return EXIT_LOADED


# Exit statuses of `present` (README): 0 written; 2 nothing written, because the period,
# the language, the file's suffix or the database cannot be used; 4 the database was busy;
# 5 a piece the file needs (python-pptx, matplotlib, Pango) is missing on this machine.
EXIT_BAD_REQUEST = 2


def _present(args: argparse.Namespace) -> int:
    from . import text

    def refuse(message: str) -> int:
        print(f"no slides were written: {message}", file=sys.stderr)
        return EXIT_BAD_REQUEST

    from .presentation import NoRecords, PresentationError, build, parse_period
    from .slides_export import SUFFIXES, SlidesUnavailable, export

    if args.lang not in text.languages():
        return refuse(f"--lang {args.lang!r} is not one of {', '.join(text.languages())}")
    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        return refuse(f"--out {args.out!r} must end in {' or '.join(SUFFIXES)}")
    try:
        period = parse_period(args.period) if args.period else None
    except PresentationError as error:
        return refuse(f"--period {args.period!r}: {error}")
    db = Path(args.db)
    if not db.is_file():
        return refuse(f"no database at {db}: build it with `build-db` or run the dashboard")
    import duckdb

    from queries import run_query

    from .access import DatabaseBusy, reading

    def query(name: str, **params):
        with reading(db) as con:
            return run_query(con, name, **params)

    try:
        deck = build(query, period, args.lang)
        data = export(deck, out.suffix)
    except DatabaseBusy as busy:
        print(f"no slides were written: {busy}. Try again later.", file=sys.stderr)
        return EXIT_BUSY
    except NoRecords as empty:
        return refuse(str(empty))
    except PresentationError as error:
        return refuse(str(error))
    except SlidesUnavailable as missing:
        print(f"no slides were written: {missing}", file=sys.stderr)
        return EXIT_MISSING_PIECE
    except duckdb.Error as error:  # not a database file, or a damaged one
        return refuse(f"the database {db} cannot be read ({type(error).__name__}: {error})")
    try:
        out.write_bytes(data)
    except OSError as error:
        return refuse(f"cannot write {out}: {error.strerror}")
    print(f"wrote {out}")
    return EXIT_LOADED


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m hidden_communities")
    sub = p.add_subparsers(dest="command", required=True)

    ref = sub.add_parser("build-reference", help="rebuild data/reference from the raw census files")
    ref.add_argument("--raw", default=str(settings.RAW_REFERENCE_DIR))
    ref.add_argument("--district", default="E07000170", help="local-authority code or name")
    ref.add_argument("--out", default=str(settings.REFERENCE_DIR))
    ref.set_defaults(func=_build_reference)

    db = sub.add_parser("build-db", help="(re)build the DuckDB file: reference tables + demo data")
    db.add_argument("--db", default=str(settings.db_path()))
    db.add_argument("--seed", type=int, default=settings.DEMO_SEED)
    db.add_argument(
        "--scale",
        type=_scale,
        default=settings.DEMO_SCALE,
        help=f"a number above 0 multiplying every volume (at most {MAX_DEMO_SCALE:g}; "
        f"with --national at most {MAX_NATIONAL_SCALE:g})",
    )
    db.add_argument("--no-demo", action="store_true", help="reference tables only, no records")
    db.add_argument(
        "--national",
        action="store_true",
        help="national-shaped demonstration data: records in every district of England and "
        "Wales by residents (scale 1 is about 3.6 M contacts and 11 M reports)",
    )
    db.set_defaults(func=_build_db)

    snap = sub.add_parser(
        "export-parquet",
        help="write the database as a read-only Parquet snapshot (records by force and month)",
        description="Writes every table as Parquet (contacts and reports partitioned "
        "force=CODE/month=YYYY-MM) with a manifest, into a new folder beside --out, then "
        "points --out (a symbolic link) at it in one step: a dashboard serving --out "
        "(HC_PARQUET_DIR) sees the old snapshot or the new one, never half of one. Exit "
        "status: 0 written, 1 nothing written (no database, or --out is something else), "
        "4 the database was busy.",
    )
    snap.add_argument("--db", default=str(settings.db_path()))
    snap.add_argument("--out", required=True, help="the snapshot's path (a link it replaces)")
    snap.set_defaults(func=_export_parquet)

    imp = sub.add_parser(
        "import",
        help="load a contacts, reports or data.police.uk file (all-or-nothing)",
        description="Exit status: 0 loaded (or already loaded), 1 nothing loaded (problems "
        "on stderr), 3 only the valid rows loaded (--load-valid-rows), 4 nothing loaded "
        "because another load kept the database busy for longer than HC_LOCK_WAIT_S "
        "seconds. Safe to run while the dashboard is serving the same database.",
    )
    imp.add_argument("kind", choices=["contacts", "reports", "police-uk"])
    imp.add_argument("file")
    imp.add_argument("--db", default=str(settings.db_path()))
    imp.add_argument("--by", help="who is loading it (default: your user name)")
    imp.add_argument(
        "--load-valid-rows",
        action="store_true",
        help="load the valid rows even if some are rejected; the rejected ones "
        "are written next to the file as NAME.rejected.csv",
    )
    imp.set_defaults(func=_import)

    brief = sub.add_parser(
        "briefing",
        help="write the one-page leadership briefing (an A4 PDF)",
        description="The scorecard, two charts, findings, sources and method note on one "
        "A4 page, under the leadership disclosure rules. Exit status: 0 written, 1 nothing "
        "written (a bad period, targets file or database), 4 the database was busy, 5 a "
        "piece the PDF needs is missing on this machine.",
    )
    brief.add_argument(
        "--period",
        help="e.g. 2021Q2..2022Q1, 2021-04-01..2022-03-31 or 2021..2022 (default: the "
        "latest full year in the data)",
    )
    brief.add_argument("--out", required=True, help="the PDF file to write")
    brief.add_argument("--db", default=str(settings.db_path()))
    brief.add_argument("--targets", help="a targets file (default: data/targets.toml)")
    brief.set_defaults(func=_briefing)

    present = sub.add_parser(
        "present",
        help="write the public presentation as PowerPoint or PDF slides",
        description="The public meeting's slides (who we hear from, change since the "
        "campaign began, what residents tell us, what we are doing, whose voice sets "
        "priorities, how to get in touch, sources), under the public disclosure rules, in "
        "English or Polish. Exit status: 0 written, 2 nothing written (a bad period, "
        "language, file suffix or database), 4 the database was busy, 5 a piece the file "
        "needs is missing on this machine.",
    )
    present.add_argument("--lang", default="en", help="the slides' language: en or pl")
    present.add_argument(
        "--period",
        help="whole quarters or years, e.g. 2021Q2..2022Q1 or 2021 (default: the latest "
        "full year of whole quarters in the data)",
    )
    present.add_argument("--out", required=True, help="the file to write: FILE.pptx or FILE.pdf")
    present.add_argument("--db", default=str(settings.db_path()))
    present.set_defaults(func=_present)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
