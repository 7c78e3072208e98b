"""Nomis bulk small-area files, when a user supplies them: the reference build finds them
anywhere under the raw folder, writes per-area rows for the measures they give (LSOAs,
MSOAs, and wards as sums of LSOAs), and the map then has a baseline there.

The files here are small, written in the Nomis bulk layout with made-up counts for
Ashfield's areas (plus one Welsh LSOA the build must skip):

- census2021-ts071-lsoa.csv (veterans): LSOA number k, in code order, has 10 + k regular,
  3 reserve, 1 both and 1,000 + 2k never served, so 14 + k veterans of 1,014 + 3k
  residents aged 16+ (TS071's total).
- census2021-ts004-msoa.csv (country of birth): MSOA number j has 20 + j born in EU8 and
  5 + j in EU2, of 7,000 + j residents.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hidden_communities import areas_view as av
from hidden_communities import baselines, database, registry, settings
from hidden_communities.reference_build import (
    District,
    ReferenceBuildError,
    build_reference,
    find_small_area_files,
    small_area_rows,
)
from queries import run_query

RAW = settings.RAW_REFERENCE_DIR
REF = settings.REFERENCE_DIR
DISTRICT = "E07000170"
needs_raw = pytest.mark.skipif(not RAW.is_dir(), reason=f"raw reference files not present at {RAW}")

VETERANS = registry.community_of_measure("veterans")
EASTERN_EUROPEAN = registry.community_of_measure("born_eu8_eu2")
LGBTQ = registry.community_of_measure("lgb_plus")

TS071_HEADER = [
    "date",
    "geography",
    "geography code",
    "UK armed forces veteran indicator: Total: All usual residents",
    "UK armed forces veteran indicator: Previously served in UK armed forces",
    "UK armed forces veteran indicator: Previously served in UK reserve armed forces",
    "UK armed forces veteran indicator: Previously served in both regular and reserve UK "
    "armed forces",
    "UK armed forces veteran indicator: Has not previously served in any UK armed forces",
]
TS004_HEADER = [
    "date",
    "geography",
    "geography code",
    "Country of birth: Total; measures: Value",
    "Country of birth: Europe: United Kingdom; measures: Value",
    "Country of birth: Europe: EU countries: European Union EU8; measures: Value",
    "Country of birth: Europe: EU countries: European Union EU2; measures: Value",
    "Country of birth: All other countries; measures: Value",
]

# Hand-worked from the counts above (areas in data/reference/areas.csv):
# LSOA E01027925 (Ashfield 015A) is k = 1: 11 + 3 + 1 = 15 veterans of 1,017.
# Ward Abbey Hill (E05010673) holds k = 25 and 27: 39 + 41 = 80 veterans of
# 1,089 + 1,095 = 2,184; 35 + 37 = 72 regular, 6 reserve, 2 both.
# MSOA Ashfield 001 (E02005819) holds k = 53, 54, 55, 57: 67 + 68 + 69 + 71 = 275 veterans
# of 4 x 1,014 + 3 x 219 = 4,713.
# MSOA Ashfield 001 is j = 1 for TS004: 21 EU8 + 6 EU2 = 27 of 7,001.
TS071_LSOA = "ONS Census 2021 TS071, LSOA21 (Nomis bulk file)"


def _write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def fake_raw(root: Path) -> Path:
    """The real raw folder (linked, not copied) plus two Nomis bulk files, nested."""
    raw = root / "raw"
    raw.mkdir()
    for entry in RAW.iterdir():
        (raw / entry.name).symlink_to(entry)
    areas = pd.read_csv(REF / "areas.csv", dtype=str, keep_default_na=False)
    lsoas = areas[areas["area_level"] == "lsoa"].sort_values("area_code")
    msoas = areas[areas["area_level"] == "msoa"].sort_values("area_code")
    ts071 = [
        [2021, name, code, 1014 + 3 * k, 10 + k, 3, 1, 1000 + 2 * k]
        for k, (code, name) in enumerate(lsoas[["area_code", "area_name"]].itertuples(False), 1)
    ]
    ts071.append([2021, "Cardiff 001A", "W01001690", 2000, 900, 50, 50, 1000])
    _write(raw / "nomis" / "census2021-ts071" / "census2021-ts071-lsoa.csv", TS071_HEADER, ts071)
    ts004 = [
        [2021, name, code, 7000 + j, 6500, 20 + j, 5 + j, 7000 + j - 6500 - 25 - 2 * j]
        for j, (code, name) in enumerate(msoas[["area_code", "area_name"]].itertuples(False), 1)
    ]
    _write(raw / "downloads" / "2021" / "census2021-ts004-msoa.csv", TS004_HEADER, ts004)
    return raw


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """The reference built from the fake raw folder, and a database built from it."""
    root = tmp_path_factory.mktemp("nomis")
    raw = fake_raw(root)
    reference = root / "reference"
    build_reference(raw, DISTRICT, reference)
    db = database.build_database(root / "db.duckdb", seed=3, scale=0.3, reference_dir=reference)
    return {"raw": raw, "reference": reference, "db": db}


@pytest.fixture(scope="module")
def population(built) -> pd.DataFrame:
    return pd.read_csv(built["reference"] / "population.csv", dtype={"area_code": str})


def _rows(population, measure, level_codes=None) -> pd.DataFrame:
    rows = population[population["measure"] == measure]
    if level_codes is not None:
        rows = rows[rows["area_code"].isin(level_codes)]
    return rows.set_index("area_code")


def _codes(level: str) -> set[str]:
    areas = pd.read_csv(REF / "areas.csv", dtype=str, keep_default_na=False)
    return set(areas.loc[areas["area_level"] == level, "area_code"])


# --------------------------------------------------------------------------- the build


@needs_raw
def test_the_files_are_found_at_any_depth(built):
    found = find_small_area_files(built["raw"])
    assert {k: p.relative_to(built["raw"]).as_posix() for k, p in found.items()} == {
        ("ts071", "lsoa"): "nomis/census2021-ts071/census2021-ts071-lsoa.csv",
        ("ts004", "msoa"): "downloads/2021/census2021-ts004-msoa.csv",
    }
    info = json.loads((built["reference"] / "build_info.json").read_text())
    assert info["small_area_files"] == {
        "census2021-ts004-msoa.csv": "downloads/2021/census2021-ts004-msoa.csv",
        "census2021-ts071-lsoa.csv": "nomis/census2021-ts071/census2021-ts071-lsoa.csv",
    }


@needs_raw
def test_veterans_by_lsoa_with_their_16_plus_denominator(population):
    lsoa = _rows(population, "veterans", _codes("lsoa"))
    assert len(lsoa) == 77
    assert lsoa.loc["E01027925", ["community", "count", "denominator", "source"]].tolist() == [
        VETERANS,
        15,
        1017,
        TS071_LSOA,
    ]
    assert (
        _rows(population, "veterans_regular").loc["E01027925", "count"],
        _rows(population, "veterans_reserve").loc["E01027925", "count"],
        _rows(population, "veterans_both").loc["E01027925", "count"],
    ) == (11, 3, 1)
    # The Welsh LSOA in the national file is not the district's.
    assert "W01001690" not in set(population["area_code"])


@needs_raw
def test_wards_and_msoas_are_sums_of_their_lsoas(population):
    wards = _rows(population, "veterans", _codes("ward"))
    assert len(wards) == 23
    abbey_hill = wards.loc["E05010673"]
    assert (abbey_hill["count"], abbey_hill["denominator"]) == (80, 2184)
    assert abbey_hill["source"] == (
        TS071_LSOA + "; sum of its LSOA21 counts (best-fit LSOA to ward lookup, 2024)"
    )
    assert [
        _rows(population, m).loc["E05010673", "count"]
        for m in ("veterans_regular", "veterans_reserve", "veterans_both")
    ] == [72, 6, 2]
    msoas = _rows(population, "veterans", _codes("msoa"))
    assert len(msoas) == 16
    assert msoas.loc["E02005819", ["count", "denominator", "source"]].tolist() == [
        275,
        4713,
        TS071_LSOA + "; sum of its LSOA21 counts",
    ]
    # Every LSOA is in one ward and one MSOA: k = 1..77 gives 77 x 14 + 3,003 veterans.
    lsoa = _rows(population, "veterans", _codes("lsoa"))
    for level in (wards, msoas, lsoa):
        assert int(level["count"].sum()) == 77 * 14 + 77 * 78 // 2


@needs_raw
def test_country_of_birth_by_msoa_only(population):
    born = population[population["measure"].isin(["born_eu8_eu2", "born_eu8", "born_eu2"])]
    levels = {c: lv for lv in ("lsoa", "msoa", "ward") for c in _codes(lv)}
    assert born["area_code"].map(levels).fillna("district").value_counts().to_dict() == {
        "msoa": 48,
        "district": 3,
    }
    row = _rows(population, "born_eu8_eu2").loc["E02005819"]
    assert (row["community"], row["count"], row["denominator"], row["source"]) == (
        EASTERN_EUROPEAN,
        27,
        7001,
        "ONS Census 2021 TS004, MSOA21 (Nomis bulk file)",
    )
    assert (
        _rows(population, "born_eu8").loc["E02005819", "count"],
        _rows(population, "born_eu2").loc["E02005819", "count"],
    ) == (21, 6)


@needs_raw
def test_the_real_figures_are_untouched(built, population):
    """Every committed row comes out the same, first and in order; the added rows follow."""
    committed = pd.read_csv(REF / "population.csv", dtype={"area_code": str})
    head = population.iloc[: len(committed)].reset_index(drop=True)
    pd.testing.assert_frame_equal(head, committed)
    assert len(population) == len(committed) + 4 * (77 + 16 + 23) + 3 * 16


@needs_raw
def test_measures_say_where_they_now_exist(built):
    measures = pd.read_csv(built["reference"] / "measures.csv").set_index("measure")
    assert measures.loc["veterans", "geography"] == "LSOA, MSOA, ward, district"
    assert measures.loc["veterans_both", "geography"] == "LSOA, MSOA, ward, district"
    assert measures.loc["born_eu8_eu2", "geography"] == "MSOA, district"
    assert measures.loc["ethnic_group_eastern_european", "geography"] == "district only"
    assert measures.loc["trans", "geography"] == "MSOA (implied), district"


# --------------------------------------------------------------------------- the map


def _held(db: Path) -> baselines.Held:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return baselines.held(run_query(con, "baseline_levels"))
    finally:
        con.close()


def _map_raw(db: Path, community: str, level: str, measure: str | None) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return run_query(
            con,
            "map_by_area",
            start_date=date(2000, 1, 1),
            end_date=date(2030, 12, 31),
            area_codes=[],
            channels=[],
            directions=[],
            crime_types=[],
            hate_strands=[],
            level=level,
            community=community,
            area_measure=measure,
        )
    finally:
        con.close()


@needs_raw
def test_the_database_says_which_baselines_it_holds(built):
    held = _held(built["db"])
    assert {("veterans", lv) for lv in ("lsoa", "msoa", "ward", "district")} <= held
    assert ("born_eu8_eu2", "msoa") in held
    assert ("born_eu8_eu2", "lsoa") not in held
    assert av.area_measure(VETERANS, "lsoa", held) == "veterans"
    assert av.area_measure(VETERANS, "ward", held) == "veterans"
    assert av.area_measure(EASTERN_EUROPEAN, "msoa", held) == "born_eu8_eu2"
    assert av.area_measure(EASTERN_EUROPEAN, "lsoa", held) is None
    # LGBTQ+: the LGB+ proxy by MSOA, as before, and nothing elsewhere.
    assert av.area_measure(LGBTQ, "msoa", held) == "lgb_plus"
    assert av.area_measure(LGBTQ, "ward", held) is None
    # The committed reference (the default) has neither community below the district.
    assert av.area_measure(VETERANS, "lsoa") is None
    assert av.area_measure(EASTERN_EUROPEAN, "msoa") is None


@needs_raw
def test_the_map_gives_veterans_a_rate_by_lsoa(built):
    held = _held(built["db"])
    view = av.map_view(VETERANS, "contacts", "lsoa", "rate", held)
    assert (view.measure, view.notes) == ("rate", ())
    assert (
        view.title == "Contacts with armed-forces veterans per 1,000 armed-forces veterans, by LSOA"
    )
    raw = _map_raw(built["db"], VETERANS, "lsoa", av.area_measure(VETERANS, "lsoa", held))
    frame = av.map_frame(raw, view)
    areas = frame[frame["unplaced_reason"].isna()].set_index("area_code")
    assert len(areas) == 77
    first = areas.loc["E01027925"]
    assert (first["base_count"], first["base_denominator"]) == (15, 1017)
    assert first["rate"] == pytest.approx(first["events"] / 15 * 1000)
    assert (areas["base_count"] > 0).all() and areas["rate"].notna().all()
    assert (areas["rate"] > 0).any()
    # The ratio compares with the area's own share of adults, not the district's.
    ratio = av.map_frame(raw, av.map_view(VETERANS, "contacts", "lsoa", "ratio", held))
    assert ratio.set_index("area_code").loc["E01027925", "population_share"] == pytest.approx(
        15 / 1017
    )
    # Without the files (the committed reference) the same choice falls back to the count.
    assert av.map_view(VETERANS, "contacts", "lsoa", "rate").measure == "count"


@needs_raw
def test_a_level_without_the_file_says_where_the_baseline_is(built):
    held = _held(built["db"])
    view = av.map_view(EASTERN_EUROPEAN, "contacts", "lsoa", "rate", held)
    assert view.measure == "count"
    assert "by MSOAs but not by LSOAs" in view.notes[0]
    assert av.map_view(EASTERN_EUROPEAN, "contacts", "msoa", "rate", held).measure == "rate"


# --------------------------------------------------------------------------- refusals


TINY = District(
    code="E07000170",
    name="Tiny",
    lsoa_names={"E01000001": "Tiny 001A", "E01000002": "Tiny 001B"},
    lsoa_ward={"E01000001": "E05000001", "E01000002": "E05000001"},
    ward_names={"E05000001": "Ward"},
    lsoa_msoa={"E01000001": "E02000001", "E01000002": "E02000001"},
    msoa_names={"E02000001": "Tiny 001"},
)


def test_a_file_missing_one_of_the_districts_areas_is_refused(tmp_path):
    path = tmp_path / "census2021-ts071-lsoa.csv"
    _write(path, TS071_HEADER, [[2021, "Tiny 001A", "E01000001", 10, 1, 1, 1, 7]])
    with pytest.raises(ReferenceBuildError, match="no row for 1 of the district's LSOAs"):
        small_area_rows(TINY, find_small_area_files(tmp_path))


def test_two_files_of_one_name_are_refused(tmp_path):
    for folder in ("a", "b"):
        _write(tmp_path / folder / "census2021-ts004-msoa.csv", TS004_HEADER, [])
    with pytest.raises(ReferenceBuildError, match="found twice"):
        find_small_area_files(tmp_path)


def test_a_tiny_district_from_its_lsoa_file(tmp_path):
    path = tmp_path / "x" / "census2021-ts071-lsoa.csv"
    _write(
        path,
        TS071_HEADER,
        [
            [2021, "Tiny 001A", "E01000001", 100, 4, 2, 1, 93],
            [2021, "Tiny 001B", "E01000002", 200, 5, 0, 0, 195],
        ],
    )
    _write(tmp_path / "census2021-ts999-lsoa.csv", ["date"], [])  # a table the build skips
    rows = pd.DataFrame(small_area_rows(TINY, find_small_area_files(tmp_path)))
    veterans = rows[rows["measure"] == "veterans"].set_index("area_code")
    assert veterans[["count", "denominator"]].to_dict("index") == {
        "E01000001": {"count": 7, "denominator": 100},
        "E01000002": {"count": 5, "denominator": 200},
        "E02000001": {"count": 12, "denominator": 300},
        "E05000001": {"count": 12, "denominator": 300},
    }
    assert set(rows["measure"]) == {
        "veterans",
        "veterans_regular",
        "veterans_reserve",
        "veterans_both",
    }
