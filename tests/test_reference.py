"""The derived baselines and boundaries in data/reference against the published figures."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from hidden_communities import settings
from hidden_communities.reference_build import (
    EE_ETHNIC_GROUPS,
    EE_OTHER_ETHNIC_GROUPS,
    build_reference,
)

REF = settings.REFERENCE_DIR
RAW = settings.RAW_REFERENCE_DIR
DISTRICT = "E07000170"

# Ashfield's published Census 2021 figures, read off the Nomis LTLA bulk files and the ONS
# custom cross-table (and quoted in the raw folder's PROVENANCE.md): TS001 total; TS071
# regular 3,324 + reserve 801 + both 200; TS077 gay or lesbian 1,451 + bisexual 987 +
# other 203, not answered 6,964; TS078 no specific identity 146 + trans woman 61 + trans
# man 63 + other 68, not answered 5,799; TS004 EU8 2,134 + EU2 751; TS024 Polish 1,218 +
# Slovak 99 + Czech 28 + Romanian 561 + Lithuanian 165 + Latvian 162 + Hungarian 65 +
# Bulgarian 104 + Estonian 5 + Slovenian 3 + Russian 89 + Ukrainian 1; TS005 Poland 1,445
# + Romania 636 + Lithuania 286.
PUBLISHED_DISTRICT = {
    "usual_residents": (126_300, 126_300),
    "residents_16_plus": (102_846, 126_300),
    "veterans": (3_324 + 801 + 200, 102_846),
    "veterans_regular": (3_324, 102_846),
    "lgb_plus": (1_451 + 987 + 203, 102_843),
    "lgb_not_answered": (6_964, 102_843),
    "trans": (146 + 61 + 63 + 68, 102_846),
    "trans_not_answered": (5_799, 102_846),
    "born_eu8_eu2": (2_134 + 751, 126_300),
    "main_language_eastern_european": (
        1_218 + 99 + 28 + 561 + 165 + 162 + 65 + 104 + 5 + 3 + 89 + 1,
        122_414,
    ),
    "passport_poland_romania_lithuania": (1_445 + 636 + 286, 126_297),
    "ethnic_group_eastern_european": (2_519, 126_293),
}

# TS022 detailed ethnic group, Ashfield, read by hand off the raw Nomis LTLA file
# (census2021-ts022-ltla.csv, columns "Ethnic group (detailed): <category>"): the Eastern
# European identities under White, and the same identities written in under "Other ethnic
# group" (57 people). 2,462 + 57 = 2,519 of the table's 126,293 usual residents.
TS022_FILE = "ons-census2021-ltla-nomis/census2021-ts022-ltla.csv"
TS022_EASTERN_EUROPEAN = {
    "White: Polish": 1_223,
    "White: Romanian": 438,
    "White: Lithuanian": 159,
    "White: Latvian": 230,
    "White: Slovakian": 63,
    "White: Czech": 20,
    "White: Hungarian": 48,
    "White: Bulgarian": 82,
    "White: Estonian": 7,
    "White: Slovenian": 4,
    "White: Russian": 31,
    "White: Ukrainian": 5,
    "White: Moldovan": 3,
    "White: Other Eastern European": 149,
    "Other ethnic group: Polish": 10,
    "Other ethnic group: Romanian": 33,
    "Other ethnic group: Lithuanian": 0,
    "Other ethnic group: Slovakian": 0,
    "Other ethnic group: Czech": 2,
    "Other ethnic group: Bulgarian": 7,
    "Other ethnic group: Other Eastern European": 5,
}


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return pd.read_csv(REF / "population.csv")


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return pd.read_csv(REF / "areas.csv", dtype=str, keep_default_na=False)


def district_rows(population):
    return population[population["area_code"] == DISTRICT].set_index("measure")


@pytest.mark.parametrize("measure", sorted(PUBLISHED_DISTRICT))
def test_district_baselines_equal_the_published_totals(population, measure):
    row = district_rows(population).loc[measure]
    assert (int(row["count"]), int(row["denominator"])) == PUBLISHED_DISTRICT[measure]


def test_the_ethnic_group_measure_takes_the_hand_listed_categories():
    """The build sums exactly the categories listed above, under both headings."""
    taken = {f"White: {g}" for g in EE_ETHNIC_GROUPS} | {
        f"Other ethnic group: {g}" for g in EE_OTHER_ETHNIC_GROUPS
    }
    assert taken == set(TS022_EASTERN_EUROPEAN)
    assert sum(TS022_EASTERN_EUROPEAN.values()) == 2_519
    assert sum(n for c, n in TS022_EASTERN_EUROPEAN.items() if c.startswith("Other")) == 57


@pytest.mark.skipif(not (RAW / TS022_FILE).is_file(), reason="raw TS022 file not present")
def test_the_ethnic_group_breakdown_against_the_raw_ts022(population):
    """Each category, read straight off the raw file, is the hand-listed figure; the
    committed district row is their sum, of the table's own total."""
    row = pd.read_csv(RAW / TS022_FILE).set_index("geography code").loc[DISTRICT]
    prefix = "Ethnic group (detailed): "
    found = {c: int(row[prefix + c]) for c in TS022_EASTERN_EUROPEAN}
    assert found == TS022_EASTERN_EUROPEAN
    # No other Eastern European write-in hides under "Other ethnic group".
    other = {c[len(prefix) :] for c in row.index if c.startswith(prefix + "Other ethnic group: ")}
    eastern = {c for c in other if c.split(": ", 1)[1] in EE_ETHNIC_GROUPS}
    assert eastern == {c for c in TS022_EASTERN_EUROPEAN if c.startswith("Other")}
    committed = district_rows(population).loc["ethnic_group_eastern_european"]
    total = int(row[prefix + "Total: All usual residents"])
    assert (int(committed["count"]), int(committed["denominator"])) == (2_519, total)
    assert total == 126_293


def test_lgbtq_union_from_the_cross_table(population):
    # LGB+ in any gender identity (2,469 + 14 + 22 + 21 + 53 + 62) plus trans residents who
    # answered straight or did not answer (119 + 13 + 33 + 6 + 35 + 7 + 9 + 8).
    row = district_rows(population).loc["lgbtq_plus"]
    assert int(row["count"]) == 2_641 + 230
    # Not identifiable either way: cis and orientation not answered 2,614; gender identity
    # not answered and straight 1,419; both not answered 4,318.
    assert int(district_rows(population).loc["lgbtq_plus_not_answered", "count"]) == 8_351


def test_every_community_has_exactly_one_primary_measure():
    measures = pd.read_csv(REF / "measures.csv")
    primary = measures[measures["is_primary"]].set_index("community")["measure"].to_dict()
    assert primary == {
        "all_residents": "usual_residents",
        "armed_forces": "veterans",
        "lgbtq": "lgbtq_plus",
        "eastern_european": "born_eu8_eu2",
    }


def test_area_counts(areas):
    assert areas["area_level"].value_counts().to_dict() == {
        "lsoa": 77,
        "ward": 23,
        "msoa": 16,
        "district": 1,
    }


def test_every_lsoa_has_a_polygon_a_population_a_ward_and_an_msoa(areas, population):
    lsoas = set(areas.loc[areas["area_level"] == "lsoa", "area_code"])
    geo = json.loads((REF / "boundaries_lsoa.geojson").read_text())
    assert {f["id"] for f in geo["features"]} == lsoas
    residents = population[population["measure"] == "usual_residents"]
    assert lsoas <= set(residents["area_code"])
    assert (residents[residents["area_code"].isin(lsoas)]["count"] > 0).all()
    lsoa_rows = areas[areas["area_level"] == "lsoa"]
    assert (lsoa_rows["ward_code"] != "").all() and (lsoa_rows["msoa_code"] != "").all()
    # An LSOA's name is its MSOA's name plus a letter.
    msoa_name = areas.set_index("area_code")["area_name"]
    for name, msoa in lsoa_rows[["area_name", "msoa_code"]].itertuples(index=False):
        assert msoa_name[msoa] == name[:-1]


def test_every_ward_and_msoa_has_a_polygon(areas):
    for level in ("ward", "msoa", "district"):
        codes = set(areas.loc[areas["area_level"] == level, "area_code"])
        geo = json.loads((REF / f"boundaries_{level}.geojson").read_text())
        assert {f["id"] for f in geo["features"]} == codes


def test_boundaries_are_small_enough_for_the_browser():
    total = sum(p.stat().st_size for p in REF.glob("boundaries_*.geojson"))
    assert total < 300_000


def test_lsoa_sum_is_the_small_area_table_total(population, areas):
    """LSOA counts sum to 126,306: six more than TS001, the ONS cell-key perturbation of
    a separately published table. Kept as published, and documented in data/README.md."""
    lsoas = set(areas.loc[areas["area_level"] == "lsoa", "area_code"])
    residents = population[
        (population["measure"] == "usual_residents") & population["area_code"].isin(lsoas)
    ]
    assert int(residents["count"].sum()) == 126_306


@pytest.mark.skipif(not RAW.is_dir(), reason=f"raw reference files not present at {RAW}")
def test_the_build_script_reproduces_the_committed_files(tmp_path):
    """data/reference is exactly what the script makes from the raw files: the same
    files, byte for byte, and no file more or less."""
    build_reference(RAW, DISTRICT, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in REF.iterdir())
    for path in sorted(REF.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.skipif(not RAW.is_dir(), reason=f"raw reference files not present at {RAW}")
def test_the_build_accepts_a_district_by_name(tmp_path):
    counts = build_reference(RAW, "Ashfield", tmp_path)
    assert counts["areas"] == 117
    shutil.rmtree(tmp_path)


@pytest.mark.skipif(not RAW.is_dir(), reason=f"raw reference files not present at {RAW}")
def test_the_same_build_serves_another_district(tmp_path):
    """The district is a setting: Gedling builds from the same code, with its own totals
    (TS001: 117,264 usual residents)."""
    build_reference(RAW, "Gedling", tmp_path)
    population = pd.read_csv(tmp_path / "population.csv")
    row = population[(population["area_code"] == "E07000173")].set_index("measure")
    assert int(row.loc["usual_residents", "count"]) == 117_264
