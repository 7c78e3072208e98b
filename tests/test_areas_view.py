"""The engagement map's logic (hidden_communities/areas_view.py) and its query
(queries/map_by_area.sql), with exact expected values worked by hand.

z = 1.959964 (95%). Wilson: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n))) / (2(n + z^2)).
Byar's: lower = x (1 - 1/(9x) - z/(3 sqrt x))^3, upper = (x+1)(1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd
import pytest

from hidden_communities import areas_view as av
from hidden_communities.disclosure import apply_disclosure
from queries import run_query
from tests.builders import ABBEY_007B, ABBEY_HILL, LARWOOD

EE_SHARE = 2885 / 126300  # Eastern European residents (born EU8/EU2) of all residents


def raw(rows, district=(2885, 126300)) -> pd.DataFrame:
    """A frame shaped like queries/map_by_area.sql from (code, name, coverage, contacts,
    contacts_recorded, all_contacts, residents, base_count, base_denominator) rows."""
    records = []
    for code, name, coverage, c, rec, all_c, residents, base, base_den in rows:
        unplaced = None if code else "no_area"
        records.append(
            {
                "area_code": code,
                "area_name": name,
                "area_level": "ward" if code else "district",
                "unplaced_reason": unplaced,
                "coverage": coverage,
                "contacts": c,
                "contacts_recorded": rec,
                "all_contacts": all_c,
                "reports": 0,
                "reports_recorded": 0,
                "all_reports": 0,
                "residents": residents,
                "base_count": base,
                "base_denominator": base_den,
                "district_count": district[0],
                "district_denominator": district[1],
            }
        )
    return pd.DataFrame(records)


FRAME = raw(
    [
        ("W1", "Ward one", "all", 10, 200, 240, 1600, None, None),
        ("W2", "Ward two", "all", 4, 150, 160, 2500, None, None),
        ("W3", "Ward three", "part", 30, 300, 320, 3000, None, None),
        ("W4", "Ward four", "none", 0, 0, 0, 2000, None, None),
        (None, None, "all", 3, 20, 25, None, None, None),
    ]
)


# ------------------------------------------------------------------------------ the view


def test_a_rate_without_an_area_baseline_falls_back_to_the_count_and_says_why():
    view = av.map_view("eastern_european", "contacts", "ward", "rate")
    assert (view.measure, view.requested) == ("count", "rate")
    assert view.notes == (
        "No rate per 1,000 for wards: this build's census reference data has Eastern European "
        "residents (born in an EU8 or EU2 country) for the whole district only (ONS publishes "
        "small-area tables too; the Methods page says how to add them), so the map shows the "
        "number of records instead. Counts follow where people live and how many live there; "
        "compare areas with the ratio instead.",
    )
    assert view.title == "Number of contacts with Eastern European residents, by ward"


def test_lgbtq_by_msoa_uses_the_named_lgb_proxy():
    assert av.area_measure("lgbtq", "msoa") == "lgb_plus"
    assert av.area_measure("lgbtq", "ward") is None
    assert av.area_measure("armed_forces", "lsoa") is None
    assert av.area_measure("all_residents", "lsoa") == "usual_residents"
    view = av.map_view("lgbtq", "reports", "msoa", "rate")
    assert view.measure == "rate"
    assert view.notes == (
        "Proxy: LGB+ residents aged 16+ (Census 2021 TS077) stand in for LGBTQ+ residents: "
        "gender identity is published only as shares below the district, so trans residents "
        "who are not LGB+ are missing from this baseline.",
    )
    assert view.title == (
        "Crime reports with LGBTQ+ residents per 1,000 LGB+ residents (proxy), by MSOA"
    )


def test_the_district_share_proxy_is_named_for_ratios():
    view = av.map_view("armed_forces", "contacts", "lsoa", "ratio")
    assert view.notes == (
        "Proxy: each area's share of contacts involving armed forces veterans is compared with "
        "their share of the whole district's population, because this build's census reference "
        "data has them for the district only. It assumes every area has the district's mix of "
        "residents, which is not true everywhere.",
    )
    with pytest.raises(ValueError):
        av.map_view("eastern_european", "contacts", "postcode", "rate")
    with pytest.raises(ValueError):
        av.map_view("everyone", "contacts", "ward", "rate")


# ------------------------------------------------------------------------------ indicators


def test_ratio_against_the_district_share():
    out = av.map_frame(FRAME, av.map_view("eastern_european", "contacts", "ward", "ratio"))
    w1 = out.iloc[0]
    # 10 of 200 = 0.05 against 2,885/126,300 = 0.022842: ratio 2.1889. Wilson for 10/200:
    # (20 + 3.8415 -/+ 1.96 sqrt(3.8415 + 38)) / 407.683 = 0.027383 to 0.089578, over the
    # share: 1.1988 to 3.9216; all above 1, so over-represented.
    assert w1["ratio"] == pytest.approx(2.18891, abs=1e-5)
    assert (w1["ratio_lower"], w1["ratio_upper"]) == (
        pytest.approx(1.19876, abs=1e-5),
        pytest.approx(3.92157, abs=1e-5),
    )
    assert w1["classification"] == "over_represented"
    assert w1["population_share"] == pytest.approx(EE_SHARE)
    # No rate: Eastern European residents have no census count by ward.
    assert pd.isna(w1["rate"])
    # The partly covered and the outside areas, and the not-placed row, get no ratio.
    assert out.iloc[2:]["ratio"].isna().all()
    assert out.iloc[2:]["classification"].isna().all()


def test_all_residents_ratio_is_the_areas_share_of_records_against_its_share_of_residents():
    # For all residents the query counts every record as the community's.
    frame = raw(
        [
            ("W1", "Ward one", "all", 240, 200, 240, 1600, 1600, 1600),
            ("W2", "Ward two", "all", 160, 150, 160, 2500, 2500, 2500),
            ("W3", "Ward three", "part", 320, 300, 320, 3000, 3000, 3000),
        ],
        district=(126300, 126300),
    )
    out = av.map_frame(frame, av.map_view("all_residents", "contacts", "ward", "ratio"))
    # Wards wholly in the filter: W1 240 contacts of 240 + 160 = 400, residents 1,600 of
    # 4,100: (240/400) / (1600/4100) = 0.6 / 0.390244 = 1.5375. W3 is left out of both.
    assert out.iloc[0]["ratio"] == pytest.approx(1.5375)
    assert out.iloc[1]["ratio"] == pytest.approx((160 / 400) / (2500 / 4100))
    assert pd.isna(out.iloc[2]["ratio"])


def test_rate_per_1000_with_byars_interval():
    frame = raw([("W1", "Ward one", "all", 20, 30, 20, 1600, 1600, 1600)])
    out = av.map_frame(frame, av.map_view("all_residents", "contacts", "ward", "rate"))
    # 20 per 1,600 = 12.5 per 1,000; Byar's for 20: 12.2114 to 30.8899 -> 7.632 to 19.306.
    row = out.iloc[0]
    assert row["rate"] == pytest.approx(12.5)
    assert row["rate_lower"] == pytest.approx(7.63214, abs=1e-5)
    assert row["rate_upper"] == pytest.approx(19.30618, abs=1e-5)
    # One area: its interval includes the overall rate (its own), so "similar".
    assert row["comparison"] == "similar"


def test_comparison_with_all_areas_allows_for_overdispersion_and_for_every_area():
    frame = raw(
        [
            ("W1", "Ward one", "all", 20, 20, 20, 1600, 1600, 1600),
            ("W2", "Ward two", "all", 80, 80, 80, 1600, 1600, 1600),
            ("W3", "Ward three", "all", 50, 50, 50, 1600, 1600, 1600),
            ("W4", "Ward four", "all", 40, 40, 40, 1600, 1600, 1600),
        ],
        district=(126300, 126300),
    )
    view = av.map_view("all_residents", "contacts", "ward", "rate")
    out = av.map_frame(frame, view)
    # Overall 190 per 6,400 = 29.6875 per 1,000. z against it, se = sqrt(0.0296875/1600) =
    # 0.0043075: -3.990, 4.716, 0.363, -1.088; winsorised to -3.119 and 3.410: phi =
    # (9.731 + 11.628 + 0.132 + 1.184)/4 = 5.6684, k phi = 22.67 > 7.81: overdispersed, so the
    # comparison uses the additive limits, tau2 = (22.674 - 3)/(4w - w) with w = 1600/0.0296875,
    # = 1.2168e-4 per resident squared = 121.68 per 1,000 squared.
    assert out["phi"].iloc[0] == pytest.approx(5.668421, abs=1e-6)
    assert out["tau2"].iloc[0] == pytest.approx(121.6797, abs=1e-4)
    assert set(out["limits"]) == {"additive"}
    # Ward two: (0.05 - 0.0296875)/sqrt(1.8555e-5 + 1.21680e-4) = 1.7153, p = 0.0863; Ward
    # one p = 0.1467. BH over 4: both 0.2933; nothing flagged. (Each ward's own 95% interval
    # excludes 29.7, so the old overlapping-interval rule called Ward two higher and Ward one
    # lower.)
    assert out["comparison_p_value"].tolist() == pytest.approx(
        [0.146670, 0.086293, 0.895028, 0.692227], abs=1e-6
    )
    assert out["comparison_p_adjusted"].tolist()[:2] == pytest.approx([0.29334, 0.29334], abs=1e-5)
    assert out["comparison"].tolist() == ["similar"] * 4
    assert out["rate_lower"][1] > 29.6875 > out["rate_upper"][0]
    assert av.hover_text(out.iloc[1], view, "shown").endswith(
        "<br>Compared with all areas shown: no clear difference (after allowing for 4 wards, at a "
        "false discovery rate of 5%)"
    )
    assert av.map_sentence(out, view) == (
        "Highest per 1,000: Ward two (50.0); lowest: Ward one (12.5), among 4 wards shown. "
        "Compared with all the wards shown, after allowing for 4 wards, at a false discovery "
        "rate of 5%, with the limits widened because the wards vary more than chance allows "
        "(additive random effects, φ = 5.67): higher: none; lower: none."
    )
    header = "Compared with all areas shown, after allowing for 4 areas (false discovery rate 5%)"
    assert av.map_display(out, view)[header].tolist() == ["no clear difference"] * 4
    # The leadership audience sees no comparison on fewer than 10 records.
    few = raw([("W1", "Ward one", "all", 8, 8, 8, 1600, 1600, 1600)], district=(126300, 126300))
    shown = apply_disclosure(av.map_frame(few, view), av.MAP_SPEC, "leadership")
    assert pd.isna(shown.loc[0, "comparison"]) and pd.isna(shown.loc[0, "comparison_p_value"])


def test_lgbtq_msoa_rate_and_ratio_use_the_lgb_baseline():
    frame = raw([("M1", "MSOA one", "all", 12, 300, 320, 7795, 161, 6268)], district=(2871, 102851))
    view = av.map_view("lgbtq", "contacts", "msoa", "ratio")
    out = av.map_frame(frame, view)
    # 12/300 = 0.04 against 161/6,268 = 0.025686: 1.5573; Wilson 12/300 -> 0.8965 to 2.6709.
    assert out.iloc[0]["ratio"] == pytest.approx(1.55727, abs=1e-5)
    assert out.iloc[0]["ratio_lower"] == pytest.approx(0.89649, abs=1e-5)
    # 12 per 161 LGB+ residents = 74.53 per 1,000.
    assert out.iloc[0]["rate"] == pytest.approx(74.5342, abs=1e-4)


# ------------------------------------------------------------------------------ readings


def test_status_hover_and_sentences():
    view = av.map_view("eastern_european", "contacts", "ward", "ratio")
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "inspector")
    areas = shown[shown["unplaced_reason"].isna()]
    assert list(av.area_status(areas, view)) == ["shown", "too_few", "partial", "outside"]
    hover = av.hover_text(shown.iloc[0], view, "shown")
    assert hover == (
        "<b>Ward one</b><br>Contacts with Eastern European residents: 10<br>Contacts saying "
        "who was involved: 200<br>Population share compared with: 2.3%<br>Ratio: 2.19 (95% CI "
        "1.20 to 3.92)<br>over-represented (after allowing for 2 wards, at a false discovery "
        "rate of 5%)"
    )
    # Ward two: 4 of 150 = 0.026667 / 0.022842 = 1.1674; Wilson for 4/150 over the share:
    # 0.4561 to 2.9136. The inspector sees the figures, flagged as too few.
    assert av.hover_text(shown.iloc[1], view, "too_few") == (
        "<b>Ward two</b><br>Contacts with Eastern European residents: 4<br>Contacts saying "
        "who was involved: 150<br>Population share compared with: 2.3%<br>Ratio: 1.17 (95% CI "
        "0.46 to 2.91)<br>too few to say<br>too few to say (fewer than 10)"
    )
    # Score tests against the district share: Ward one z = 0.027158/0.010565 = 2.571,
    # p = 0.0101; Ward two 4/150, p = 0.75. BH over the 2 wards with a ratio: 0.0203, flagged.
    assert av.map_sentence(shown, view) == (
        "Ward one: ratio 2.19; 1 of 3 has too few contacts to say; 1 is only partly in the "
        "area filter; 1 is outside the area filter. Representation read after allowing for 2 "
        "wards, at a false discovery rate of 5%: over-represented: Ward one; under-represented: "
        "none."
    )
    assert av.unplaced_sentence(shown, view) == (
        "Not on the map (contacts with Eastern European residents that cannot be placed in a "
        "ward): 3 with no area recorded."
    )


def test_public_map_hides_small_counts_and_greys_them():
    view = av.map_view("eastern_european", "contacts", "ward", "count")
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "public")
    assert pd.isna(shown.iloc[1]["events"]) and shown.iloc[1]["events_note"] == "small_count"
    areas = shown[shown["unplaced_reason"].isna()]
    assert av.area_status(areas, view).iloc[1] == "too_few"
    table = av.map_display(shown, view)
    assert table.iloc[1]["Contacts: Eastern European residents"] == "<5"


# ------------------------------------------------------------------------------ figure


def test_figure_draws_offline_with_outlines_labels_and_greyed_areas():
    view = av.map_view("eastern_european", "contacts", "ward", "ratio")
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "inspector")
    towns = pd.DataFrame({"town": ["Hucknall"], "label_lon": [-1.21], "label_lat": [53.03]})
    fig = av.map_figure(shown, view, towns)
    names = [t.name for t in fig.data]
    assert names == [
        "Representation ratio",
        "Too few to say (fewer than 10) or hidden",
        "Partly in the area filter: no value",
        "Outside the area filter",
        "Ward boundaries",
        "Towns",
    ]
    assert fig.data[-1].mode == "text" and list(fig.data[-1].text) == ["Hucknall"]
    style = fig.layout.map.style
    # No tile, glyph or sprite source anywhere: nothing is fetched.
    spec = json.dumps(style)
    assert "http" not in spec and "glyphs" not in spec and "sprite" not in spec
    # A non-empty source, so a redraw does not see a changed style (see OFFLINE_WHITE_STYLE).
    assert style["sources"]
    # The ratio colour is log2 of the ratio on a range symmetric about 0 (ratio 1).
    assert fig.layout.coloraxis.cmin == -fig.layout.coloraxis.cmax


def test_fit_view_for_a_one_degree_square():
    square = {
        "features": [
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[-1, 0], [0, 0], [0, 1], [-1, 1], [-1, 0]]],
                }
            }
        ]
    }
    centre, zoom = av.fit_view(square, width=760, height=660)
    # Across: log2(760 x 360 / (512 x 1)) = 9.0617. Up: Mercator y of 1 degree is
    # ln tan(45.5 deg) = 0.0174542, so log2(660 x 2 pi / (512 x 0.0174542)) = 8.8581: the
    # smaller wins. The centre is the Mercator midpoint, 0.50002 degrees north.
    assert zoom == 8.86
    assert centre["lon"] == -0.5
    assert centre["lat"] == pytest.approx(0.50002, abs=1e-5)


def test_a_click_becomes_an_area_filter(areas):
    assert av.clicked_filter([{"location": ABBEY_HILL}], "ward", areas) == ("ward", [ABBEY_HILL])
    assert av.clicked_filter([], "ward", areas) is None
    # Towns and outlines carry no location: nothing to filter.
    assert av.clicked_filter([{"curveNumber": 5}], "ward", areas) is None
    # An MSOA is a set of LSOAs.
    level, codes = av.clicked_filter([{"customdata": ["E02005825", "x"]}], "msoa", areas)
    expected = sorted(
        areas.loc[areas["msoa_code"].eq("E02005825") & areas["area_level"].eq("lsoa"), "area_code"]
    )
    assert level == "lsoa" and codes == expected and ABBEY_007B in codes


# ------------------------------------------------------------------------------ the query

PERIOD = dict(
    start_date=date(2021, 1, 1),
    end_date=date(2021, 12, 31),
    channels=[],
    directions=[],
    crime_types=[],
    hate_strands=[],
)


def _query(path, **params):
    # The fixture file was built with the schema, so it holds the filter macros.
    con = duckdb.connect(str(path), read_only=True)
    try:
        return run_query(con, "map_by_area", **{**PERIOD, **params})
    finally:
        con.close()


def test_query_places_records_at_each_level(explore_db):
    wards = _query(
        explore_db, area_codes=[], level="ward", community="eastern_european", area_measure=None
    ).set_index("area_name")
    # Abbey Hill: 4 + 12 in its LSOA and 5 recorded at ward level.
    assert wards.loc["Abbey Hill", ["contacts", "contacts_recorded", "all_contacts"]].tolist() == [
        21,
        45,
        45,
    ]
    assert wards.loc[
        "Larwood", ["contacts", "all_contacts", "reports", "all_reports"]
    ].tolist() == [2, 48, 0, 55]
    unplaced = wards[wards.index.isna()].set_index("unplaced_reason")
    assert unplaced.loc["no_area", "contacts"] == 3
    assert set(unplaced.index) == {"no_area", "msoa_only"}
    assert (wards["district_count"] == 2885).all()
    lsoas = _query(
        explore_db,
        area_codes=[],
        level="lsoa",
        community="all_residents",
        area_measure="usual_residents",
    )
    ward_only = lsoas[lsoas["unplaced_reason"] == "ward_only"].iloc[0]
    assert ward_only["all_contacts"] == 5
    row = lsoas[lsoas["area_code"] == ABBEY_007B].iloc[0]
    assert (row["all_contacts"], row["base_count"], row["residents"]) == (40, 1623, 1623)


def test_query_coverage_under_an_lsoa_filter(explore_db):
    wards = _query(
        explore_db, area_codes=[ABBEY_007B], level="ward", community="lgbtq", area_measure=None
    ).set_index("area_code")
    # Abbey Hill has two LSOAs and only one is in the filter; the ward-only records do not
    # match an LSOA filter.
    assert wards.loc[ABBEY_HILL, "coverage"] == "part"
    assert wards.loc[ABBEY_HILL, "all_contacts"] == 40
    assert wards.loc[LARWOOD, "coverage"] == "none"
    msoas = _query(
        explore_db, area_codes=[], level="msoa", community="lgbtq", area_measure="lgb_plus"
    ).set_index("area_code")
    assert msoas.loc["E02005825", ["contacts", "base_count", "base_denominator"]].tolist() == [
        4,
        161,
        6268,
    ]
    # Ward-only records cannot be placed in an MSOA either.
    reasons = msoas[msoas["unplaced_reason"].notna()].set_index("unplaced_reason")
    assert reasons.loc["ward_only", "all_contacts"] == 5
