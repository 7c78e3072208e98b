"""The rollup tables (hidden_communities/rollups.py) and the page queries that read them.

- The rollups equal the records counted afresh after the demonstration build, a
  migration, imports and undos, including random sequences of them (hypothesis), with
  records held by several imports and outcomes updated by a later file.
- The queries rewritten to read the rollups return exactly what the SQL before them
  returned (its text is kept in tests/fixtures/before_rollups/), column for column, type
  for type, on a grid of filters: whole and day-precise periods, periods cut by the
  campaign launch, area filters by ward and LSOA, channels, directions, crime types, hate
  strands, every community on the map at every level, an empty database, a database with
  no reports, no launch event, and a period with no records.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import queries
from hidden_communities import database, registry, rollups
from hidden_communities.areas_view import area_measure
from hidden_communities.filters import Filters
from hidden_communities.loading import frame_sha256, load_validated, undo_import
from hidden_communities.schema import SCHEMA_VERSION
from hidden_communities.validation import validate
from tests.builders import (
    ABBEY_007B,
    ABBEY_HILL,
    LARWOOD,
    LARWOOD_009D,
    contacts,
    empty_database,
    reports,
)

BEFORE = Path(__file__).resolve().parent / "fixtures" / "before_rollups"

# ---------------------------------------------------------------------------- the rollups

# The rollups' rows counted afresh from the records (what rollups.refresh puts in them).
RAW = {
    "contact_rollup": """
        SELECT CAST(date_trunc('month', contact_date) AS DATE) AS month, area_code, channel,
               direction, age_band, community_recorded, communities, count(*) AS n
        FROM contacts GROUP BY ALL""",
    "report_rollup": """
        SELECT CAST(date_trunc('month', reported_on) AS DATE) AS month, area_code, source,
               crime_type, hate_strands, age_band, victim_community_recorded,
               victim_communities, count(*) AS n
        FROM reports GROUP BY ALL""",
}


def assert_rollups_exact(con: duckdb.DuckDBPyConnection) -> None:
    """Each rollup holds exactly the records' counts: the same rows both ways (multisets),
    no group twice, no group of zero."""
    for table, raw in RAW.items():
        for first, second in ((f"SELECT * FROM {table}", raw), (raw, f"SELECT * FROM {table}")):
            extra = con.execute(f"({first}) EXCEPT ALL ({second})").fetchall()
            assert extra == [], (table, extra[:5])


def load(con, frame: pd.DataFrame, kind: str, areas: pd.DataFrame, name: str = "f.csv"):
    result = validate(frame, kind, areas, today=date(2025, 1, 1))
    assert result.ok, (result.file_errors, result.problems.to_dict("records"))
    return load_validated(
        con, result, file_name=name, file_sha256=frame_sha256(frame), loaded_by="pytest"
    )


# Pools of records the imports draw from: the same pool entry in two files is the same
# record (held by both), a report's reference keeps it the same record with another
# outcome (an outcome update). Dates straddle month ends; areas are LSOAs, wards and none.
CONTACT_FIELDS = (
    "contact_date",
    "area",
    "communities",
    "channel",
    "direction",
    "age_band",
    "people_reached",
)
CONTACT_POOL = [
    ("2021-01-31", ABBEY_007B, "eastern_european", "face_to_face", "proactive", "adult"),
    ("2021-02-01", ABBEY_007B, "eastern_european", "face_to_face", "proactive", "adult"),
    ("2021-02-01", ABBEY_HILL, "armed_forces;lgbtq", "phone", "reactive", "adult"),
    ("2021-02-28", LARWOOD_009D, "none", "phone", "reactive", "not_recorded"),
    ("2021-03-01", "", "not_recorded", "social_media", "proactive", "under_16"),
    ("2021-03-15", LARWOOD, "lgbtq", "face_to_face", "reactive", "adult"),
    ("2021-04-11", ABBEY_007B, "none", "face_to_face", "proactive", "adult"),
    ("2021-04-12", ABBEY_007B, "eastern_european", "face_to_face", "proactive", "adult"),
]
REPORT_FIELDS = (
    "reference",
    "reported_on",
    "area",
    "crime_type",
    "hate_strands",
    "victim_communities",
    "age_band",
    "outcome",
)
REPORT_POOL = [
    ("21/000001", "2021-01-31", ABBEY_007B, "public_order", "race_nationality", "eastern_european"),
    ("21/000002", "2021-02-01", LARWOOD, "violence_and_sexual_offences", "", "none"),
    ("21/000003", "2021-02-14", "", "criminal_damage_arson", "sexual_orientation", "lgbtq"),
    ("21/000004", "2021-03-31", LARWOOD_009D, "burglary", "", "not_recorded"),
    ("21/000005", "2021-04-12", ABBEY_HILL, "public_order", "", "armed_forces;lgbtq"),
]
OUTCOMES = ("under_investigation", "no_suspect")
POLICE_UK_POOL = [
    ("aa11", "2024-02", "E01027925", "Ashfield 015A", "Other theft"),
    ("bb22", "2024-02", "E01027951", "Ashfield 007B", "Burglary"),
    ("cc33", "2024-03", "E01027925", "Ashfield 015A", "Criminal damage and arson"),
]
POLICE_UK_OUTCOMES = ("Under investigation", "Investigation complete; no suspect identified")


def contact_frame(picks: list[int]) -> pd.DataFrame:
    # people_reached is the pool index, so each pool entry is one record wherever it is.
    spec = [(*CONTACT_POOL[i], str(i + 1), 1) for i in picks]
    return contacts(spec, fields=CONTACT_FIELDS)


def report_frame(picks: list[tuple[int, int]]) -> pd.DataFrame:
    spec = [(*REPORT_POOL[i], "adult", OUTCOMES[o], 1) for i, o in picks]
    return reports(spec, fields=REPORT_FIELDS)


def police_uk_frame(picks: list[tuple[int, int]]) -> pd.DataFrame:
    rows = [
        {
            "Crime ID": crime_id,
            "Month": month,
            "Reported by": "Nottinghamshire Police",
            "Falls within": "Nottinghamshire Police",
            "Longitude": "-1.21",
            "Latitude": "53.03",
            "Location": "On or near Supermarket",
            "LSOA code": lsoa,
            "LSOA name": name,
            "Crime type": crime_type,
            "Last outcome category": POLICE_UK_OUTCOMES[o],
            "Context": "",
        }
        for (crime_id, month, lsoa, name, crime_type), o in (
            (POLICE_UK_POOL[i], o) for i, o in picks
        )
    ]
    return pd.DataFrame(rows)


def test_the_demonstration_build_keeps_the_rollups(demo_db_path):
    con = duckdb.connect(str(demo_db_path), read_only=True)
    try:
        assert_rollups_exact(con)
        # Grouping pays: far fewer rows than records.
        records, grouped = con.execute(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM report_rollup)"
        ).fetchall()[0]
        assert 0 < grouped < records
    finally:
        con.close()


def test_loads_and_undos_keep_the_rollups(con, areas):
    first = load(con, contact_frame([0, 1, 2, 3, 4, 5]), "contacts", areas, "a.csv")
    assert_rollups_exact(con)
    # Half of it again: those records are now held by both loads.
    second = load(con, contact_frame([3, 4, 5, 6, 7, 7]), "contacts", areas, "b.csv")
    assert second.rows_duplicate == 3
    reports_a = load(con, report_frame([(0, 0), (1, 0), (2, 0)]), "reports", areas, "r.csv")
    # The same reports with another outcome: updated, not added.
    reports_b = load(con, report_frame([(1, 1), (2, 1), (3, 0)]), "reports", areas, "s.csv")
    assert (reports_b.rows_accepted, reports_b.rows_updated) == (1, 2)
    published = load(con, police_uk_frame([(0, 0), (1, 0), (2, 0)]), "police_uk", areas)
    assert_rollups_exact(con)
    for import_id in (first.import_id, reports_a.import_id, published.import_id):
        undo_import(con, import_id, undone_by="pytest")
        assert_rollups_exact(con)
    assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(6,)]
    for import_id in (second.import_id, reports_b.import_id):
        undo_import(con, import_id, undone_by="pytest")
    assert con.execute(
        "SELECT (SELECT count(*) FROM contact_rollup) + (SELECT count(*) FROM report_rollup)"
    ).fetchall() == [(0,)]


def test_a_rollup_out_of_step_stops_the_undo_and_changes_nothing(con, areas):
    loaded = load(con, contact_frame([0, 1]), "contacts", areas)
    con.execute("DELETE FROM contact_rollup")  # as a write that bypassed rollups.py would
    with pytest.raises(duckdb.ConstraintException):
        undo_import(con, loaded.import_id, undone_by="pytest")
    assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(2,)]
    assert con.execute("SELECT count(undone_at) FROM imports").fetchall() == [(0,)]
    rollups.refresh(con)  # the way back: count every record again
    assert_rollups_exact(con)
    undo_import(con, loaded.import_id, undone_by="pytest")
    assert_rollups_exact(con)


def test_a_version_3_database_gains_its_rollups_when_opened(tmp_path, reference):
    path = tmp_path / "v3.duckdb"
    con = empty_database(path, reference)
    load(con, contact_frame([0, 1, 2, 5]), "contacts", reference["areas"])
    load(con, report_frame([(0, 0), (3, 1)]), "reports", reference["areas"])
    con.execute("DROP TABLE contact_rollup")
    con.execute("DROP TABLE report_rollup")
    con.execute("UPDATE schema_version SET version = 3")
    con.close()
    con = database.connect(path)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT sum(n) FROM contact_rollup").fetchall() == [(4,)]
        assert_rollups_exact(con)
    finally:
        con.close()


# One step of an import-and-undo history: load some pool records of one kind (each with
# the outcome drawn), or undo the n-th import still live.
loads = st.one_of(
    st.tuples(
        st.just("contacts"),
        st.lists(st.integers(0, len(CONTACT_POOL) - 1), min_size=1, max_size=6),
    ),
    st.tuples(
        st.just("reports"),
        st.lists(
            st.tuples(st.integers(0, len(REPORT_POOL) - 1), st.integers(0, 1)),
            min_size=1,
            max_size=4,
            unique_by=lambda pick: pick[0],
        ),
    ),
    st.tuples(
        st.just("police_uk"),
        st.lists(
            st.tuples(st.integers(0, len(POLICE_UK_POOL) - 1), st.integers(0, 1)),
            min_size=1,
            max_size=3,
            unique_by=lambda pick: pick[0],
        ),
    ),
)
undos = st.tuples(st.just("undo"), st.integers(0, 20))
FRAMES = {"contacts": contact_frame, "reports": report_frame, "police_uk": police_uk_frame}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=st.lists(st.one_of(loads, loads, undos), min_size=1, max_size=10))
def test_random_loads_and_undos_keep_the_rollups(reference, history):
    areas = reference["areas"]
    con = empty_database(":memory:", reference)
    try:
        live: list[int] = []
        for step, (action, what) in enumerate(history):
            if action == "undo":
                if live:
                    undo_import(con, live.pop(what % len(live)), undone_by="pytest")
            else:
                frame = FRAMES[action](what)
                result = load(con, frame, action, areas, name=f"{step}.csv")
                if result.import_id is not None:
                    live.append(result.import_id)
            assert_rollups_exact(con)
    finally:
        con.close()


# ------------------------------------------------------------------ the rewritten queries

REWRITTEN = (
    "overview_by_community",
    "trend_monthly",
    "trend_before_after",
    "map_by_area",
    "scorecard_counts",
)
WHOLE = (date(2020, 4, 1), date(2022, 3, 31))
FILTERS = [
    Filters(*WHOLE),
    Filters(date(2020, 4, 15), date(2022, 3, 10)),  # day-precise at both ends
    Filters(date(2021, 1, 10), date(2021, 1, 20)),  # inside one month
    Filters(date(2021, 1, 31), date(2021, 2, 1)),  # two partial months, nothing whole
    Filters(date(2021, 2, 1), date(2021, 2, 28)),  # one whole month
    Filters(date(2021, 3, 31), date(2021, 5, 1)),  # the launch month whole, ends partial
    Filters(date(2021, 4, 12), date(2021, 12, 31)),  # from the launch day
    Filters(date(2021, 4, 1), date(2021, 4, 11)),  # ends the day before the launch
    Filters(date(2021, 4, 13), date(2021, 4, 30)),  # after the launch, inside its month
    Filters(date(2010, 1, 1), date(2010, 12, 31)),  # no records at all
    Filters(*WHOLE, areas=(ABBEY_HILL,)),
    Filters(date(2020, 4, 3), date(2022, 3, 31), areas=(ABBEY_007B, LARWOOD)),
    Filters(*WHOLE, areas=(LARWOOD_009D,)),
    Filters(date(2020, 4, 1), date(2022, 3, 30), channels=("face_to_face", "phone")),
    Filters(*WHOLE, directions=("proactive",)),
    Filters(date(2020, 5, 2), date(2021, 6, 30), crime_types=("public_order",)),
    Filters(*WHOLE, hate_strands=("race_nationality", "sexual_orientation")),
    Filters(*WHOLE, report_scope="all_reports"),
    Filters(
        date(2021, 1, 1),
        date(2021, 6, 30),
        areas=("E05010679",),
        channels=("face_to_face", "phone"),
        crime_types=("public_order",),
    ),
]
EVERYONE = (*registry.codes(), registry.ALL_RESIDENTS)


def run_sql(con, text: str, params: dict) -> pd.DataFrame:
    """A statement with its parameters and the ambient ones it names, as run_query does."""
    ambient = {k: f() for k, f in queries.AMBIENT.items() if k not in params and f"${k}" in text}
    return con.execute(text, {**params, **ambient} or None).df()


LEVELS = ("lsoa", "ward", "msoa")


def parameter_sets(name: str, filters: Filters, number: int):
    """The parameters of the query for the filters (the number-th of the grid): the map
    for every community, at every level for the first filters and then at one level a
    filter in turn."""
    if name == "scorecard_counts":
        yield {"start_date": filters.start, "end_date": filters.end}
    elif name == "map_by_area":
        levels = LEVELS if number < 2 else (LEVELS[number % 3],)
        for level in levels:
            for community in EVERYONE:
                yield {
                    **filters.params(),
                    "level": level,
                    "community": community,
                    "area_measure": area_measure(community, level),
                }
    else:
        yield filters.params()


def assert_same_as_before(con, filters: list[Filters] = FILTERS, names=REWRITTEN) -> int:
    """Every rewritten query returns the frame its earlier SQL returned; how many cases."""
    cases = 0
    for name in names:
        before = (BEFORE / f"{name}.sql").read_text(encoding="utf-8")
        for number, f in enumerate(filters):
            for params in parameter_sets(name, f, number):
                expected = run_sql(con, before, params)
                got = queries.run_query(con, name, **params)
                pd.testing.assert_frame_equal(got, expected, obj=f"{name} {params}")
                cases += 1
    return cases


def test_the_queries_are_unchanged_on_the_demonstration(demo_db_path):
    con = duckdb.connect(str(demo_db_path), read_only=True)
    try:
        map_cases = (len(FILTERS) + 2 * (len(LEVELS) - 1)) * len(EVERYONE)
        assert assert_same_as_before(con) == len(FILTERS) * 4 + map_cases
    finally:
        con.close()


@pytest.fixture(scope="module")
def handmade(tmp_path_factory, reference):
    """Every pool record, one outcome update, a data.police.uk file and the launch."""
    path = tmp_path_factory.mktemp("rollups") / "handmade.duckdb"
    con = empty_database(path, reference)
    areas = reference["areas"]
    load(con, contact_frame(list(range(len(CONTACT_POOL))) * 2), "contacts", areas)
    load(con, report_frame([(i, 0) for i in range(len(REPORT_POOL))]), "reports", areas)
    load(con, report_frame([(1, 1)]), "reports", areas, "update.csv")
    load(con, police_uk_frame([(0, 0), (1, 1), (2, 0)]), "police_uk", areas)
    yield con
    con.close()


def test_the_queries_are_unchanged_on_records_at_month_ends(handmade):
    assert_rollups_exact(handmade)
    handmade.execute(
        "INSERT INTO campaign_events VALUES (DATE '2021-04-12', 'launch', "
        "'Campaign launched', NULL, [], NULL)"
    )
    try:
        assert_same_as_before(handmade)
    finally:
        handmade.execute("DELETE FROM campaign_events")
    # With no launch event every record is on neither side of it, as before.
    assert_same_as_before(handmade, names=("trend_before_after",))


def test_the_queries_are_unchanged_on_an_empty_database(con):
    assert_same_as_before(con, FILTERS[:3])


def test_the_queries_are_unchanged_with_no_reports(con, areas):
    load(con, contact_frame([0, 2, 4, 6]), "contacts", areas)
    assert_same_as_before(con, FILTERS[:8])
