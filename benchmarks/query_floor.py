"""How far each page query is from the floor: its time against a bare DuckDB aggregate over
the same period (records by month, no other work), on an existing database.

    .venv/bin/python benchmarks/query_floor.py --db /tmp/rollup100.duckdb
    .venv/bin/python benchmarks/query_floor.py --db DB --before tests/fixtures/before_rollups

The bare aggregate is `SELECT date_trunc('month', contact_date), count(*) FROM contacts
WHERE contact_date BETWEEN $start_date AND $end_date GROUP BY ALL`, the same over reports,
or both for a query that reads both. With --before, the SQL files of that folder (the
queries as they were) are timed too, interleaved with the current ones, and their results
compared. Medians of --repeat runs after one warm-up; it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402
from bench import NARROW, WHOLE, page_queries  # noqa: E402

import queries  # noqa: E402

BARE = {
    "contacts": "SELECT date_trunc('month', contact_date), count(*) FROM contacts "
    "WHERE contact_date BETWEEN $start_date AND $end_date GROUP BY ALL",
    "reports": "SELECT date_trunc('month', reported_on), count(*) FROM reports "
    "WHERE reported_on BETWEEN $start_date AND $end_date GROUP BY ALL",
}


def run(con: duckdb.DuckDBPyConnection, text: str, params: dict) -> pd.DataFrame:
    """A statement with its parameters and the ambient ones it names, as run_query does."""
    ambient = {k: f() for k, f in queries.AMBIENT.items() if k not in params and f"${k}" in text}
    named = {k: v for k, v in {**params, **ambient}.items() if f"${k}" in text}
    return con.execute(text, named or None).df()


def medians(functions: dict, repeat: int) -> dict[str, float]:
    """Median milliseconds of each function, run in turn so that load hits them alike."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {key: [] for key in functions}
    for _ in range(repeat):
        for key, function in functions.items():
            start = time.perf_counter()
            function()
            times[key].append((time.perf_counter() - start) * 1000)
    return {key: statistics.median(values) for key, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--before", type=Path, help="a folder of earlier SQL files to compare")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    con = duckdb.connect(str(args.db), read_only=True)
    counts = con.execute(
        "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM reports)"
    ).fetchall()[0]
    print(f"{args.db}: {counts[0]:,} contacts, {counts[1]:,} reports; median of {args.repeat}")
    header = f"{'query':34} {'filter':7} {'bare ms':>8} {'ms':>8} {'ratio':>6}"
    if args.before:
        header += f" {'before ms':>10} {'ratio':>6}  result"
    print(header)
    for label, filters in (("whole", WHOLE), ("narrow", NARROW)):
        page = {
            **page_queries(filters),
            "scorecard_counts": {"start_date": filters.start, "end_date": filters.end},
        }
        for key, params in page.items():
            params = dict(params)
            name = params.pop("_name", key)
            text = queries.sql(name)
            reads = {
                "contacts": ("FROM contacts", "contact_groups(", "filtered_contacts("),
                "reports": ("FROM reports", "report_groups(", "filtered_reports("),
            }
            tables = [t for t, marks in reads.items() if any(m in text for m in marks)]
            if not tables:
                continue
            period = {"start_date": filters.start, "end_date": filters.end}

            def bare(tables=tables, period=period):
                for table in tables:
                    con.execute(BARE[table], period).fetchall()

            functions = {"bare": bare, "now": lambda t=text, p=params: run(con, t, p)}
            before = args.before / f"{name}.sql" if args.before else None
            if before and before.is_file():
                old = before.read_text(encoding="utf-8")
                functions["before"] = lambda t=old, p=params: run(con, t, p)
            m = medians(functions, args.repeat)
            line = (
                f"{key:34} {label:7} {m['bare']:8.1f} {m['now']:8.1f} {m['now'] / m['bare']:6.1f}"
            )
            if "before" in m:
                try:
                    pd.testing.assert_frame_equal(run(con, text, params), run(con, old, params))
                    same = "same"
                except AssertionError:
                    same = "DIFFERENT"
                line += f" {m['before']:10.1f} {m['before'] / m['bare']:6.1f}  {same}"
            print(line, flush=True)
    con.close()


if __name__ == "__main__":
    main()
