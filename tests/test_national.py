"""The national reference (every district of England and Wales), its place in the
database, the district view and the national demonstration generator."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hidden_communities import registry, settings
from hidden_communities.reference_build import MERGED_2023, national_rows

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
