"""Benchmarks: how long the database build, imports and page queries take, by data size.

    .venv/bin/python benchmarks/bench.py                 # scales 1 and 10
    .venv/bin/python benchmarks/bench.py --scales 1 10 100

Scale 1 is the demonstration volume (two years of the district: about 9,000 contacts and
24,000 reports); scale 100 is about 3.3 million records, the size of a force's data. It
prints figures and asserts nothing: speed is measured, not promised. Each query is run
once to warm up and then `--repeat` times; the median and the slowest are shown.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from hidden_communities import access, database, registry  # noqa: E402
from hidden_communities.areas_view import area_measure  # noqa: E402
from hidden_communities.filters import Filters  # noqa: E402
from queries import run_query  # noqa: E402

WHOLE = Filters(start=date(2020, 4, 1), end=date(2022, 3, 31))
NARROW = Filters(
    start=date(2021, 1, 1),
    end=date(2021, 6, 30),
    areas=("E05010679",),
    channels=("face_to_face", "phone"),
    crime_types=("public_order",),
)


# A community whose MSOA map uses a census baseline (the heaviest map query).
PROXIED = next(c.code for c in registry.communities() if area_measure(c.code, "msoa"))


def page_queries(filters: Filters) -> dict[str, dict]:
    """The queries a page run makes, with the parameters it passes."""
    period = {"start_date": filters.start, "end_date": filters.end}
    both = filters.params()
    return {
        "overview_by_community": both,
        f"map_by_area ({PROXIED}, msoa)": {
            "_name": "map_by_area",
            **both,
            "level": "msoa",
            "community": PROXIED,
            "area_measure": area_measure(PROXIED, "msoa"),
        },
        "map_by_area (all, lsoa)": {
            "_name": "map_by_area",
            **both,
            "level": "lsoa",
            "community": registry.ALL_RESIDENTS,
            "area_measure": area_measure(registry.ALL_RESIDENTS, "lsoa"),
        },
        "trend_monthly": both,
        "trend_before_after": both,
        f"district_view ({PROXIED})": {
            "_name": "district_view",
            **{key: value for key, value in both.items() if key != "area_codes"},
            "community": PROXIED,
        },
        "trend_campaign_events": period,
        "representation_census_nonresponse": {},
        "map_towns": {},
        "quality_by_month (month)": {"_name": "quality_by_month", "group_by": "month", **period},
        "quality_by_month (team)": {"_name": "quality_by_month", "group_by": "team", **period},
        "data_status": {},
        "area_options": {},
    }


def timed(function, repeat: int) -> tuple[float, float]:
    function()  # warm-up: the first run reads the file into DuckDB's buffers
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def connection_costs(path: Path, kept: tuple[float, float], repeat: int) -> None:
    """What the app pays for opening a connection per query (see access.py)."""

    def open_close() -> None:
        with access.reading(path):
            pass

    def read_once() -> None:
        with access.reading(path) as con:
            run_query(con, "data_status")

    rows = [
        ("open + close a read-only connection", timed(open_close, repeat)),
        ("data_status on a kept connection", kept),
        ("data_status on its own connection", timed(read_once, repeat)),
        (
            "data_version (the cache key, no connection)",
            timed(lambda: access.data_version(path), repeat),
        ),
    ]
    print(f"  {'connection per query':49} {'median ms':>10} {'max ms':>8}")
    for label, (median, worst) in rows:
        print(f"  {label:49} {median * 1000:10.2f} {worst * 1000:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"duckdb {duckdb.__version__}; {len(args.scales)} scale(s); median of {args.repeat}")
    with tempfile.TemporaryDirectory() as folder:
        for scale in args.scales:
            path = Path(folder) / f"bench-{scale:g}.duckdb"
            start = time.perf_counter()
            database.build_database(path, seed=1, scale=scale)
            build = time.perf_counter() - start
            con = database.connect(path)
            records = con.execute(
                "SELECT (SELECT count(*) FROM contacts) + (SELECT count(*) FROM reports)"
            ).fetchall()[0][0]
            size = path.stat().st_size / 1024 / 1024
            print(
                f"\nscale {scale:g}: {records:,} records, file {size:.0f} MB, built "
                f"(generate + validate + load) in {build:.1f} s = {records / build:,.0f} "
                "records/s"
            )
            print(f"  {'query':40} {'filter':>8} {'median ms':>10} {'max ms':>8}")
            for label, filters in (("whole", WHOLE), ("narrow", NARROW)):
                for name, params in page_queries(filters).items():
                    params = dict(params)
                    query = params.pop("_name", name)
                    median, worst = timed(
                        lambda q=query, p=params, c=con: run_query(c, q, **p), args.repeat
                    )
                    print(f"  {name:40} {label:>8} {median * 1000:10.1f} {worst * 1000:8.1f}")
            kept = timed(lambda c=con: run_query(c, "data_status"), args.repeat)
            con.close()
            connection_costs(path, kept, args.repeat)


if __name__ == "__main__":
    main()
