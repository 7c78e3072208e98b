"""Issue 15's figures in one run: page queries against a bare DuckDB aggregate, each page's
rerun after a filter change (end to end, AppTest), ours against a pandas-over-CSV tool
on the same records, import speed, and peak memory.

    .venv/bin/python benchmarks/perf.py --db /tmp/s1.duckdb            # an existing database
    .venv/bin/python benchmarks/perf.py --scale 1 --reruns 20          # build one first

It prints figures and asserts nothing: speed is measured here, never promised by a test.

- **Query ratio**: each page query's median time over the median of the bare aggregate
  over the same rows and filter (a count of each table's records per month in the period,
  both tables): the floor any page query that reads every record must pay.
- **Page reruns**: the dashboard under AppTest, each page opened, then the channel filter
  changed `--reruns` times in each mode; p50 and p95 of `run()`. "new" (the default, and
  the fair one): every change is a filter the page has not had before (each channel, then
  each pair...), so no cache can answer it; "toggle": switched between all channels and one
  channel, so from the third change on the caches answer (a user going back and forth).
  `--modes new` measures only the first.
  AppTest runs the script in this process, so this is the server's work for a rerun
  (queries, statistics, figures), without the browser's drawing.
- **Peer**: a pandas-over-CSV Streamlit page of the kind public police dashboards use (read
  the CSV once, cached; each rerun filters the frame with pandas and draws a monthly plotly
  chart and a table), under AppTest on CSVs exported from the same database, with the
  same filter changes; and our Trends page beside it.
- **Import**: `python -m hidden_communities import reports FILE` of a generated valid CSV
  into a fresh database, as a child process: records/s and the child's peak RSS.
- **Peak RSS** of this process after every page and its filter changes (the server's
  footprint, in AppTest's single process).
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import duckdb  # noqa: E402
from bench import NARROW, WHOLE, page_queries  # noqa: E402

from hidden_communities import database  # noqa: E402
from queries import run_query  # noqa: E402

DASHBOARD = str(ROOT / "dashboard.py")


def _median_ms(function, repeat: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {cpus} cores, {memory:.0f} GiB, {platform.platform()}, "
        f"Python {platform.python_version()}, duckdb {duckdb.__version__}"
    )


# ------------------------------------------------------------------------------ query ratios

BARE = """
SELECT date_trunc('month', contact_date) AS month, count(*) FROM contacts
WHERE contact_date BETWEEN $start AND $end GROUP BY ALL
UNION ALL
SELECT date_trunc('month', reported_on), count(*) FROM reports
WHERE reported_on BETWEEN $start AND $end GROUP BY ALL
"""


def query_ratios(con: duckdb.DuckDBPyConnection, repeat: int) -> None:
    print(f"\n  {'page query':40} {'filter':>7} {'median ms':>10} {'bare ms':>8} {'ratio':>6}")
    for label, filters in (("whole", WHOLE), ("narrow", NARROW)):
        bare = _median_ms(
            lambda f=filters: con.execute(BARE, {"start": f.start, "end": f.end}).fetchall(),
            repeat,
        )
        for name, params in page_queries(filters).items():
            params = dict(params)
            query = params.pop("_name", name)
            took = _median_ms(lambda q=query, p=params: run_query(con, q, **p), repeat)
            print(f"  {name:40} {label:>7} {took:10.1f} {bare:8.1f} {took / bare:6.1f}")


# ------------------------------------------------------------------------------ page reruns


def _app(db: Path, query: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    os.environ["HC_DB_PATH"] = str(db)
    at = AppTest.from_file(DASHBOARD, default_timeout=600)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at


def new_states(count: int) -> list[list[str]]:
    """`count` channel filters never chosen before on a page: every channel on its own,
    then every pair, every three... (63 in all), so no cached result can answer them."""
    from hidden_communities import filters

    codes = filters.CHOICES_BY_KEY["channel"].codes()
    every = [
        list(chosen)
        for size in range(1, len(codes) + 1)
        for chosen in itertools.combinations(codes, size)
    ]
    if count > len(every):
        raise SystemExit(f"--reruns at most {len(every)}: there are no more new channel filters")
    return every[:count]


def _timed_reruns(at, states: list[list[str]]) -> list[float]:
    times = []
    for chosen in states:
        at.multiselect(key="channel").set_value(chosen)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def page_reruns(
    db: Path,
    reruns: int,
    modes: tuple[str, ...] = ("new", "toggle"),
    pages: list[str] | None = None,
) -> dict:
    """Each page's first draw, then `reruns` filter changes in each mode: "new" (a channel
    filter the page has not had before: every query, statistic and figure is worked out
    afresh) and "toggle" (between one channel and all channels, as a user going back and
    forth: the caches may answer). Returns the "new" times (else the "toggle" ones)."""
    from ui import frame

    heads = "".join(f" {mode + ' p50':>10} {mode + ' p95':>10}" for mode in modes)
    print(f"\n  {'page':22} {'first ms':>9}{heads} (channel filter, n={reruns} each)")
    found = {}
    for spec in frame.PAGES:
        if pages and spec.file.removesuffix(".py") not in pages:
            continue
        at = _app(db, {"audience": "inspector"})
        start = time.perf_counter()
        at.switch_page(f"pages/{spec.file}")
        at.run()
        first = (time.perf_counter() - start) * 1000
        figures = ""
        for mode in modes:
            if mode == "new":
                states = new_states(reruns)
            else:
                states = [["phone"] if turn % 2 == 0 else [] for turn in range(reruns)]
            times = _timed_reruns(at, states)
            found.setdefault(spec.file, times)
            figures += f" {_percentile(times, 0.5):10.0f} {_percentile(times, 0.95):10.0f}"
        failed = " (exception)" if at.exception else ""
        print(f"  {spec.file.removesuffix('.py'):22} {first:9.0f}{figures}{failed}")
    return found


# ------------------------------------------------------------------------------ the peer

PEER_APP = textwrap.dedent(
    """
    import os
    import pandas as pd
    import plotly.express as px
    import streamlit as st

    @st.cache_data
    def load(path):
        return pd.read_csv(path, parse_dates=["contact_date"])

    contacts = load(os.environ["PEER_CSV"])
    channels = st.multiselect("Channel", sorted(contacts["channel"].unique()), key="channel")
    rows = contacts[contacts["channel"].isin(channels)] if channels else contacts
    monthly = (rows.assign(month=rows["contact_date"].dt.to_period("M").dt.to_timestamp())
                   .explode("communities").groupby(["month", "communities"]).size()
                   .rename("contacts").reset_index())
    st.plotly_chart(px.line(monthly, x="month", y="contacts", color="communities"))
    st.dataframe(monthly)
    """
)


def peer_comparison(db: Path, reruns: int, ours: dict[str, list[float]]) -> None:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "contacts.csv"
        con = duckdb.connect(str(db), read_only=True)
        con.execute(
            "COPY (SELECT contact_date, CAST(channel AS VARCHAR) AS channel, "
            "array_to_string(CAST(communities AS VARCHAR[]), ';') AS communities FROM contacts) "
            "TO $path (HEADER)",
            {"path": str(csv)},
        )
        con.close()
        app = Path(folder) / "peer.py"
        app.write_text(PEER_APP, encoding="utf-8")
        os.environ["PEER_CSV"] = str(csv)
        at = AppTest.from_file(str(app), default_timeout=600)
        at.run()
        times = []
        for turn in range(reruns):
            at.multiselect(key="channel").set_value(["phone"] if turn % 2 == 0 else [])
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
    peer = _percentile(times, 0.5)
    print(f"\n  peer (pandas over CSV, one chart + table): rerun p50 {peer:.0f} ms")
    for page, own in ours.items():
        mine = _percentile(own, 0.5)
        print(f"  {page.removesuffix('.py'):22} p50 {mine:7.0f} ms: {peer / mine:5.1f}x the peer")


# ------------------------------------------------------------------------------ import


def import_speed(records: int) -> None:
    from dataclasses import replace

    from hidden_communities import demo
    from hidden_communities.database import REFERENCE_DIR, read_reference

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "import.duckdb"
        database.build_database(db, demo_data=False)
        csv = Path(folder) / "reports.csv"
        ref = read_reference(REFERENCE_DIR)
        # The generator's reports, as a file of the import format (they pass validation).
        cfg = replace(demo.DemoConfig(), seed=7, scale=max(1.0, records / 20_000))
        data = demo.generate(ref["areas"], ref["population"], ref["towns"], ref["calibration"], cfg)
        data.reports.head(records).to_csv(csv, index=False)
        records = min(records, len(data.reports))
        start = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _IMPORT_CHILD, str(db), str(csv)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        took = time.perf_counter() - start
        peak = child.stdout.strip().splitlines()[-1] if child.stdout.strip() else "?"
        size = csv.stat().st_size / 2**20
        status = "loaded" if child.returncode == 0 else f"exit {child.returncode}"
        print(
            f"\n  import {records:,} reports ({size:.0f} MB CSV): {took:.1f} s = "
            f"{records / took:,.0f} records/s, child peak RSS {peak} MB ({status})"
        )
        if child.returncode:
            print(textwrap.indent(child.stderr[-2000:], "    "))


# Runs the real import command in a child and prints its own peak RSS (ru_maxrss, KiB).
_IMPORT_CHILD = """
import resource, sys
from hidden_communities import cli
code = cli.main(["import", "reports", sys.argv[2], "--db", sys.argv[1]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
sys.exit(code)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing database (else --scale builds one)")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--repeat", type=int, default=7, help="query repeats (median)")
    parser.add_argument("--reruns", type=int, default=20, help="filter changes per page")
    parser.add_argument(
        "--modes", nargs="+", default=["new", "toggle"], choices=["new", "toggle"],
        help="page rerun modes: new filter states (fair), and toggling back",
    )  # fmt: skip
    parser.add_argument("--pages", nargs="+", help="only these pages (file names, no .py)")
    parser.add_argument("--import-records", type=int, default=200_000)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["queries", "pages", "peer", "import"]
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "perf.duckdb"
            start = time.perf_counter()
            database.build_database(db, seed=1, scale=args.scale)
            print(f"built scale {args.scale:g} in {time.perf_counter() - start:.1f} s")
        con = duckdb.connect(str(db), read_only=True)
        contacts, reports = con.execute(
            "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM reports)"
        ).fetchall()[0]
        print(f"database: {db.name}, {contacts:,} contacts, {reports:,} reports")
        if "queries" not in args.skip:
            query_ratios(con, args.repeat)
        con.close()
        ours = (
            {}
            if "pages" in args.skip
            else page_reruns(db, args.reruns, tuple(args.modes), args.pages)
        )
        if ours and "peer" not in args.skip and {"trends.py", "overview.py"} <= set(ours):
            peer_comparison(db, args.reruns, {"trends.py": ours["trends.py"],
                                              "overview.py": ours["overview.py"]})  # fmt: skip
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print("  load average after: " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
        ran = f"every page, {args.reruns} changes each" if ours else "the queries only"
        print(f"\n  peak RSS of this process ({ran}): {peak:.0f} MB")
        if "import" not in args.skip:
            import_speed(args.import_records)


if __name__ == "__main__":
    main()
