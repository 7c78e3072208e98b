"""Issue 11 item 8: the data.police.uk rows a user imports are shown, on a page of their
own, never mixed with the records system's reports. The file is built here and imported
through `ingest.import_file`, as the Data page does; every figure is worked by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from hidden_communities import published
from hidden_communities.ingest import import_file
from queries import run_query
from tests.builders import chart, empty_database, open_page, table_with

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
FORCE = "Nottinghamshire Police,Nottinghamshire Police,-1.25,53.13,On or near Park"


def _rows(month: str, lsoa: str, name: str, crime: str, n: int, tag: str) -> str:
    outcome = "" if crime == "Anti-social behaviour" else "Under investigation"
    lines = []
    for i in range(n):
        crime_id = "" if crime == "Anti-social behaviour" else f"{tag}{i:03d}"
        lines.append(f"{crime_id},{month},{FORCE},{lsoa},{name},{crime},{outcome},\n")
    return "".join(lines)


# Ashfield 007B (E01027951, 1,623 residents, Abbey Hill ward: 3,146 residents) and
# Ashfield 009D (E01027957, 1,310 residents, Larwood ward).
A, AN = "E01027951", "Ashfield 007B"
B, BN = "E01027957", "Ashfield 009D"
CSV = (
    HEADER
    + _rows("2024-01", A, AN, "Burglary", 6, "ja")
    + _rows("2024-01", A, AN, "Anti-social behaviour", 1, "")
    + _rows("2024-01", B, BN, "Vehicle crime", 3, "jb")
    + _rows("2024-02", A, AN, "Burglary", 5, "fa")
    + _rows("2024-02", B, BN, "Violence and sexual offences", 10, "fb")
    + _rows("2024-03", B, BN, "Violence and sexual offences", 12, "mb")
    # Outside the district: counted by the import, not loaded.
    + _rows("2024-03", "E01027302", "West Northamptonshire 047E", "Burglary", 2, "out")
)


@pytest.fixture(scope="module")
def published_db(tmp_path_factory, reference) -> Path:
    path = tmp_path_factory.mktemp("published") / "published.duckdb"
    con = empty_database(path, reference)
    outcome = import_file(
        con,
        CSV.encode("utf-8"),
        "2024-01-nottinghamshire-street.csv",
        "police_uk",
        loaded_by="pytest",
        today=date(2024, 6, 1),
        allow_partial=True,
    )
    assert outcome.loaded, outcome
    con.close()
    return path


PARAMS = dict(start_date=date(2024, 1, 1), end_date=date(2024, 3, 1), area_codes=[], crime_types=[])


def test_the_whole_months_covered():
    # data.police.uk months: a month counts when its first day is in the period.
    assert published.covered(date(2024, 1, 1), date(2024, 3, 1)) == (
        date(2024, 1, 1),
        date(2024, 3, 31),
        91,  # 31 + 29 + 31
    )
    assert published.covered(date(2024, 1, 2), date(2024, 3, 15))[:2] == (
        date(2024, 2, 1),
        date(2024, 3, 31),
    )
    assert published.covered(date(2024, 1, 2), date(2024, 1, 31)) is None


def test_published_rows_are_counted_apart_from_the_records_system(published_db):
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        monthly = run_query(con, "published_monthly", **PARAMS)
        wards = run_query(con, "published_by_area", **PARAMS, level="ward")
        lsoas = run_query(con, "published_by_area", **PARAMS, level="lsoa")
        records = run_query(
            con,
            "overview_by_community",
            **{**PARAMS, "channels": [], "directions": [], "hate_strands": []},
        )
    finally:
        con.close()
    # Jan: 6 burglary + 1 ASB + 3 vehicle; Feb: 5 burglary + 10 violence; Mar: 12 violence.
    got = {(f"{m:%Y-%m}", t): n for m, t, n in monthly.itertuples(index=False)}
    assert got == {
        ("2024-01", "anti_social_behaviour"): 1,
        ("2024-01", "burglary"): 6,
        ("2024-01", "vehicle_crime"): 3,
        ("2024-02", "burglary"): 5,
        ("2024-02", "violence_sexual_offences"): 10,
        ("2024-03", "violence_sexual_offences"): 12,
    }
    lsoas = lsoas.set_index("area_code")
    assert (lsoas.loc[A, "crimes"], lsoas.loc[B, "crimes"]) == (12, 25)
    assert lsoas["crimes"].sum() == 37  # the 2 outside the district are not loaded
    wards = wards.set_index("area_name")
    assert (wards.loc["Abbey Hill", "crimes"], wards.loc["Abbey Hill", "residents"]) == (12, 3146)
    # The records system's comparisons never count them.
    assert records["all_reports"].eq(0).all()


def test_the_published_crime_page_shows_real_figures(published_db, monkeypatch):
    at = open_page(published_db, monkeypatch, "published_crime")
    page = "\n".join(m.value for m in at.markdown)
    assert (
        "37 crimes and anti-social behaviour incidents published by data.police.uk over "
        "Jan 2024 to Mar 2024 (91 days of whole months)."
    ) in page
    assert any("Source: data.police.uk" in i.value for i in at.info)
    monthly = table_with(at, "Month", "Crime type", "Published crimes (data.police.uk)")
    row = monthly[(monthly["Month"] == "Feb 2024") & (monthly["Crime type"] == "Burglary")]
    assert row["Published crimes (data.police.uk)"].tolist() == ["5"]
    bars = chart(at, "published_chart")["data"]
    assert sorted(t["name"] for t in bars) == [
        "Anti-social behaviour",
        "Burglary",
        "Vehicle crime",
        "Violence and sexual offences",
    ]
    # Abbey Hill ward: 12 crimes over 3,146 residents in 91 days: 12 / 3,146 x 1,000 x
    # 365.25 / 91 = 15.31 a year. Larwood: 25 crimes (its residents from the census).
    areas = table_with(at, "Area", "Per 1,000 residents a year (95% CI)").set_index("Area")
    assert areas.loc["Abbey Hill", "Published crimes (data.police.uk)"] == "12"
    assert areas.loc["Abbey Hill", "Per 1,000 residents a year (95% CI)"].startswith("15.3 (")
    assert areas.loc["Larwood", "Published crimes (data.police.uk)"] == "25"
    captions = "\n".join(c.value for c in at.caption)
    assert "over the 91 days of the whole months 1 Jan 2024 to 31 Mar 2024" in captions
    # LSOAs: Ashfield 007B 12 / 1,623 x 1,000 x 365.25 / 91 = 29.68 a year.
    at = open_page(published_db, monkeypatch, "published_crime", published_geo="lsoa")
    areas = table_with(at, "Area", "Per 1,000 residents a year (95% CI)").set_index("Area")
    assert areas.loc[AN, "Per 1,000 residents a year (95% CI)"].startswith("29.7 (")


def test_with_nothing_imported_the_page_says_so(demo_db_path, monkeypatch):
    # The demonstration holds no data.police.uk rows: a sentence, no tables of zeros.
    at = open_page(demo_db_path, monkeypatch, "published_crime")
    assert any(m.value.startswith("No data.police.uk rows in this period") for m in at.markdown)
    assert not [d for d in at.dataframe if "Per 1,000 residents a year (95% CI)" in d.value]
