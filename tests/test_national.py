"""The national reference (every district of England and Wales), its place in the
database, the district view and the national demonstration generator."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hidden_communities import database, registry, settings
from hidden_communities import district_view as dv
from hidden_communities.filters import Filters
from hidden_communities.reference_build import MERGED_2023, national_rows
from hidden_communities.schema import SCHEMA_VERSION
from queries import run_query
from tests.builders import open_page, table_with, texts
from tests.test_rollups import RAW as ROLLUP_SOURCES

REF = settings.REFERENCE_DIR
RAW = settings.RAW_REFERENCE_DIR


@pytest.fixture(scope="module")
def districts() -> pd.DataFrame:
    return pd.read_csv(REF / "districts.csv", dtype=str)


@pytest.fixture(scope="module")
def district_population() -> pd.DataFrame:
    return pd.read_csv(REF / "district_population.csv", dtype={"area_code": str})


def _figure(population: pd.DataFrame, code: str, measure: str) -> tuple[int, int]:
    row = population[(population["area_code"] == code) & (population["measure"] == measure)]
    assert len(row) == 1
    return int(row["count"].iloc[0]), int(row["denominator"].iloc[0])


def test_every_district_of_england_and_wales_once(districts):
    """318 districts of May 2023 (the census's 331 less 17 merged into 4), in 43 forces,
    each with a label point inside England and Wales."""
    assert len(districts) == 318
    assert districts["district_code"].is_unique
    assert districts["district_code"].str.match(r"^[EW]0[6-9]\d{6}$").all()
    assert districts["force_code"].nunique() == 43
    assert districts.set_index("district_code").loc["E07000170", "force_name"] == (
        "Nottinghamshire"
    )
    lon, lat = districts["label_lon"].astype(float), districts["label_lat"].astype(float)
    assert lon.between(-6.5, 1.8).all() and lat.between(49.8, 55.9).all()
    census = districts["census_codes"].str.split(";").explode()
    assert census.nunique() == len(census) == 331


def test_veterans_equal_the_nomis_figures(district_population):
    """TS071 read by hand: Hartlepool 3,031 regular + 654 reserve + 159 both of 74,686
    residents 16+; Birmingham 12,256 + 4,814 + 701 of 889,623. England and Wales: the sum
    of the 331 Nomis rows, 1,853,104 veterans of 48,566,363 residents 16+."""
    assert _figure(district_population, "E06000001", "veterans") == (3_844, 74_686)
    assert _figure(district_population, "E08000025", "veterans") == (17_771, 889_623)
    veterans = district_population[district_population["measure"] == "veterans"]
    assert int(veterans["count"].sum()) == 1_853_104
    assert int(veterans["denominator"].sum()) == 48_566_363


def test_a_merged_district_sums_its_2021_districts(district_population):
    """Cumberland (E06000063) = Allerdale 96,157 + Carlisle 110,024 + Copeland 67,076
    usual residents (TS001), and says so in its source."""
    assert _figure(district_population, "E06000063", "usual_residents") == (273_257, 273_257)
    row = district_population[
        (district_population["area_code"] == "E06000063")
        & (district_population["measure"] == "usual_residents")
    ]
    assert "E07000026, E07000028, E07000029" in row["source"].iloc[0]
    assert MERGED_2023["E06000063"] == ("E07000026", "E07000028", "E07000029")


def test_ashfield_national_row_is_the_district_row(district_population):
    """The national build reuses the district build's code: Ashfield's rows are the
    population.csv district rows, figure for figure."""
    local = pd.read_csv(REF / "population.csv", dtype={"area_code": str})
    local = local[local["area_code"] == "E07000170"].reset_index(drop=True)
    national = district_population[district_population["area_code"] == "E07000170"]
    pd.testing.assert_frame_equal(local, national.reset_index(drop=True))


def test_every_district_has_every_district_measure(district_population):
    district_measures = {m for c in registry.communities() for m in c.measures()}
    counts = district_population.groupby("area_code")["measure"].apply(set)
    assert len(counts) == 318
    for measures in counts:
        assert {registry.ALL_AGES, registry.ADULTS} <= measures
        assert {c.primary_measure for c in registry.communities()} <= measures
        assert district_measures <= measures
    assert (district_population["count"] <= district_population["denominator"]).all()


def test_district_boundaries_match_the_districts_and_are_small(districts):
    path = REF / "districts_ew.geojson"
    assert path.stat().st_size < 400_000
    features = json.loads(path.read_text())["features"]
    assert sorted(f["id"] for f in features) == sorted(districts["district_code"])


@pytest.mark.skipif(not RAW.is_dir(), reason=f"raw reference files not present at {RAW}")
def test_national_build_reads_331_census_districts():
    assert national_rows(RAW).census_codes == 331


# ------------------------------------------------------------------------------ database


@pytest.fixture(scope="module")
def national_db(tmp_path_factory) -> Path:
    """A national demonstration database at a small size (fixed seed)."""
    path = tmp_path_factory.mktemp("national") / "national.duckdb"
    return database.build_database(path, seed=7, scale=0.01, national=True)


def test_the_default_database_holds_every_district(demo_db_path):
    con = duckdb.connect(str(demo_db_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM districts").fetchall() == [(318,)]
        assert con.execute(
            "SELECT count, denominator FROM district_population "
            "WHERE district_code = 'E08000025' AND measure = 'veterans'"
        ).fetchall() == [(17_771, 889_623)]
        # The pages' own tables are as before: one district in areas and population.
        assert con.execute(
            "SELECT count(*) FROM areas WHERE area_level = 'district'"
        ).fetchall() == [(1,)]
        assert con.execute(
            "SELECT count(DISTINCT p.area_code) FROM population AS p "
            "JOIN areas AS a USING (area_code) WHERE a.area_level = 'district'"
        ).fetchall() == [(1,)]
    finally:
        con.close()


def test_a_version_4_database_gains_the_districts_when_opened(tmp_path):
    path = database.build_database(tmp_path / "v4.duckdb", demo_data=False)
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE district_population")
    con.execute("DROP TABLE districts")
    con.execute("UPDATE schema_version SET version = 4")
    con.close()
    con = database.connect(path)
    try:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert con.execute("SELECT count(*) FROM district_population").fetchall() == [(6_678,)]
    finally:
        con.close()


def _view(con, community: str, **chosen) -> pd.DataFrame:
    params = dict(
        start_date=date(2020, 4, 1),
        end_date=date(2022, 3, 31),
        channels=[],
        directions=[],
        crime_types=[],
        hate_strands=[],
    )
    return run_query(con, "district_view", **{**params, **chosen}, community=community)


def test_the_default_database_shows_the_force_with_one_district_of_records(demo_db_path):
    con = duckdb.connect(str(demo_db_path), read_only=True)
    try:
        raw = _view(con, "armed_forces")
    finally:
        con.close()
    # Nottinghamshire's eight districts; only Ashfield has records.
    assert len(raw) == 8 and set(raw["force_name"]) == {"Nottinghamshire"}
    assert dv.one_district(raw)
    ashfield = raw.set_index("district_code").loc["E07000170"]
    assert (ashfield["residents"], ashfield["population_base"]) == (4_325, 102_846)
    shown = dv.map_frame(raw, "contacts", 730)
    assert list(dv.status(shown).value_counts().sort_index().items()) == [
        ("no_data", 7),
        ("shown", 1),
    ]
    assert shown.set_index("area_code")["value"].isna().sum() == 7  # no data, not zero


def test_the_national_generator_rows_for_a_fixed_seed(national_db):
    con = duckdb.connect(str(national_db), read_only=True)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM reports), "
            "(SELECT count(DISTINCT area_code) FROM contacts), "
            "(SELECT count(*) FROM imports WHERE is_demonstration)"
        ).fetchall()
        assert counts == [(36_971, 111_933, 318, 2)]
        status = run_query(con, "data_status").iloc[0]
        assert int(status["demonstration_imports"]) == 2  # the banner shows
        # The rollups equal the records' own counts.
        for table, raw in ROLLUP_SOURCES.items():
            for first, second in ((f"SELECT * FROM {table}", raw), (raw, f"SELECT * FROM {table}")):
                assert con.execute(f"({first}) EXCEPT ALL ({second})").fetchall() == []
        # Proactive contact with the communities rises after the launch.
        before, after = con.execute(
            "SELECT count(*) FILTER (WHERE contact_date < DATE '2021-04-12'), "
            "count(*) FILTER (WHERE contact_date >= DATE '2021-10-12') FROM contacts "
            "WHERE direction = 'proactive' AND len(communities) > 0"
        ).fetchall()[0]
        assert after > 2 * before
        raw = _view(con, "armed_forces")
    finally:
        con.close()
    assert len(raw) == 318 and not dv.one_district(raw)
    shown = dv.funnel(raw, "contacts", "none", 730)
    assert len(shown) == 318 and shown["position"].notna().all()
    # Each district's residents are its census veterans.
    assert raw.set_index("district_code").loc["E08000025", "residents"] == 17_771


def test_the_same_seed_gives_the_same_national_rows(national_db, tmp_path):
    again = database.build_database(tmp_path / "again.duckdb", seed=7, scale=0.01, national=True)
    query = "SELECT * EXCLUDE (contact_id) FROM contacts ORDER BY record_key"
    first, second = (duckdb.connect(str(p), read_only=True) for p in (national_db, again))
    try:
        pd.testing.assert_frame_equal(first.execute(query).df(), second.execute(query).df())
    finally:
        first.close()
        second.close()


def test_district_view_page_on_a_national_database(national_db, monkeypatch):
    at = open_page(national_db, monkeypatch, "district_view")
    assert not at.info  # no "one district" note
    funnel = table_with(at, "District", "Funnel position")
    assert len(funnel) == 318
    mapped = table_with(at, "District", "Police force area", "Shown as")
    assert len(mapped) == 318 and mapped["Police force area"].nunique() == 43
    assert "On the funnel: 318 districts" in texts(at)


def test_district_view_page_on_the_default_database_says_one_district(demo_db_path, monkeypatch):
    at = open_page(demo_db_path, monkeypatch, "district_view")
    assert any("cover one district" in i.value for i in at.info)
    mapped = table_with(at, "District", "Police force area", "Shown as")
    assert sorted(mapped["Shown as"]) == ["coloured by its rate"] + ["no data"] * 7


HOME = "E07000170"  # Ashfield, the district the census tables of `population` are for


def _home_and_everywhere(con, sql: str, params: list) -> tuple[int, int]:
    """A count of contacts over the home district's areas and over every area."""
    return con.execute(
        f"SELECT count(*) FILTER (WHERE a.district_code = '{HOME}'), count(*) "
        f"FROM contacts AS c JOIN areas AS a USING (area_code) WHERE {sql}",
        params,
    ).fetchone()


def test_the_record_by_record_queries_of_a_national_database_count_their_own_district(
    national_db,
):
    """The queries that read records one by one (the launch month of before-and-after,
    the priorities' topics, the presentation's slides) count the home district's records
    too: they once counted the whole country's against Ashfield's residents."""
    launch_day = date(2021, 4, 12)
    period = dict(start_date=date(2020, 4, 1), end_date=date(2022, 3, 31))
    con = duckdb.connect(str(national_db), read_only=True)
    try:
        (launch,) = con.execute(
            "SELECT min(event_date) FROM campaign_events WHERE kind = 'launch'"
        ).fetchone()
        assert launch == launch_day
        home_after, everywhere_after = _home_and_everywhere(
            con,
            "c.contact_date BETWEEN ? AND ? AND c.community_recorded",
            [launch_day, period["end_date"]],
        )
        home_all, everywhere_all = _home_and_everywhere(
            con, "c.contact_date BETWEEN ? AND ?", [period["start_date"], period["end_date"]]
        )
        changes = run_query(
            con,
            "trend_before_after",
            **Filters(start=period["start_date"], end=period["end_date"]).params(),
        )
        channels = run_query(con, "presentation_channels", **period)
        any_community = con.execute(
            f"SELECT count(*) FROM contacts AS c JOIN areas AS a USING (area_code) "
            f"WHERE a.district_code = '{HOME}' AND c.contact_date BETWEEN ? AND ? "
            "AND len(c.communities) > 0",
            [period["start_date"], period["end_date"]],
        ).fetchone()[0]
        topics = run_query(
            con,
            "presentation_topics",
            remainder="other",
            unrecorded="unrecorded",
            everyone="everyone",
            **period,
        )
        everyone_contacts = con.execute(
            f"SELECT sum(len(c.topics)) FROM contacts AS c JOIN areas AS a USING (area_code) "
            f"WHERE a.district_code = '{HOME}' AND c.contact_date BETWEEN ? AND ?",
            [period["start_date"], period["end_date"]],
        ).fetchone()[0]
    finally:
        con.close()
    assert 0 < home_after < everywhere_after and 0 < home_all < everywhere_all
    comparator = changes[
        (changes["records"] == "contacts")
        & (changes["community"] == registry.ALL_RESIDENTS)
        & (changes["channel"] == "all")
    ]
    assert comparator["after"].tolist() == [home_after]
    assert int(channels["contacts"].sum()) == any_community
    assert int(topics.loc[topics["community"] == "everyone", "mentions"].sum()) == everyone_contacts


def test_the_district_pages_of_a_national_database_count_their_own_district(national_db):
    """Every other page compares records with the home district's census baselines, so in a
    national database it counts the home district's records only (like for like); the
    Districts compared page counts every district."""
    from hidden_communities.filters import Filters

    period = Filters(start=date(2020, 4, 1), end=date(2022, 3, 31)).params()
    con = duckdb.connect(str(national_db), read_only=True)
    try:
        home, everywhere = con.execute(
            "SELECT count(*) FILTER (WHERE a.district_code = 'E07000170'), count(*) "
            "FROM contacts AS c JOIN areas AS a USING (area_code) "
            "WHERE c.contact_date BETWEEN ? AND ?",
            [date(2020, 4, 1), date(2022, 3, 31)],
        ).fetchone()
        overview = run_query(con, "overview_by_community", **period)
        district_rows = _view(con, "armed_forces")
    finally:
        con.close()
    assert 0 < home < everywhere
    assert set(overview["all_contacts"]) == {home}
    assert len(district_rows) == 318
    assert int(district_rows["all_contacts"].sum()) > home
