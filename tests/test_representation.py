"""Under-representation logic (hidden_communities/representation.py): the census sensitivity
band, the funnel of areas and the reporting gap, with exact values worked by hand.

z = 1.959964 (95%), 3.090232 (99.8%). Wilson: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n)))
/ (2(n + z^2)).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from hidden_communities import indicators
from hidden_communities import representation as rep
from hidden_communities.disclosure import apply_disclosure
from queries import run_query

COMMUNITIES = ("eastern_european", "armed_forces", "lgbtq")


def overview_raw(contacts, reports, contacts_recorded=90, reports_recorded=1000) -> pd.DataFrame:
    """A frame shaped like queries/overview_by_community.sql (the real census baselines)."""
    base = {
        "eastern_european": ("born_eu8_eu2", "All usual residents", 2885, 126300),
        "armed_forces": ("veterans", "Usual residents aged 16 and over", 4325, 102846),
        "lgbtq": ("lgbtq_plus", "Usual residents aged 16 and over", 2871, 102851),
        "all_residents": ("usual_residents", "All usual residents", 126300, 126300),
    }
    rows = []
    for community, (measure, universe, residents, population) in base.items():
        everyone = community == "all_residents"
        rows.append(
            {
                "community": community,
                "measure": measure,
                "measure_label": measure,
                "universe": universe,
                "residents": residents,
                "population_base": population,
                "contacts": contacts_recorded if everyone else contacts.get(community, 0),
                "contacts_recorded": contacts_recorded,
                "all_contacts": contacts_recorded,
                "reports": reports_recorded if everyone else reports.get(community, 0),
                "reports_recorded": reports_recorded,
                "all_reports": reports_recorded,
            }
        )
    return pd.DataFrame(rows)


NONRESPONSE = pd.DataFrame(
    {
        "community": ["all_residents", "armed_forces", "eastern_european", "lgbtq"],
        "not_answered": [None, None, None, 8351],
    }
)


# ------------------------------------------------------------------------------ forest


def test_sensitivity_band_if_every_non_respondent_were_lgbtq():
    overview = indicators.overview(overview_raw({"lgbtq": 4}, {"lgbtq": 30}))
    out = rep.forest(overview, NONRESPONSE, COMMUNITIES).set_index("community")
    lgbtq = out.loc["lgbtq"]
    # Census share 2,871/102,851 = 2.7914%; with the 8,351 non-respondents
    # (2,871 + 8,351)/102,851 = 10.9109%. Contacts 4/90 = 4.444%: ratio 1.5922 as published,
    # 0.04444/0.109109 = 0.40734 if every non-respondent were LGBTQ+.
    assert lgbtq["contact_ratio"] == pytest.approx(1.59218, abs=1e-5)
    assert lgbtq["population_share_if_all"] == pytest.approx(0.109109, abs=1e-6)
    assert lgbtq["contact_ratio_if_all"] == pytest.approx(0.40734, abs=1e-5)
    # Reports 30/1000 = 3%: 1.0747 published, 0.27495 at the other end.
    assert lgbtq["report_ratio_if_all"] == pytest.approx(0.03 / 0.109109, abs=1e-5)
    # Veterans and Eastern European residents answered compulsory questions: no band.
    assert out.loc[["armed_forces", "eastern_european"], "contact_ratio_if_all"].isna().all()
    assert rep.band_sentence(lgbtq.rename(None).to_frame().T.assign(community="lgbtq").iloc[0]) == (
        "Census non-response: 8,351 adults answered neither way; if every one were in the "
        "community, LGBTQ+ residents would be 10.9% of adults rather than 2.8%, and the "
        "contact ratio 0.41 rather than 1.59 and the report ratio 0.27 rather than 1.07."
    )
    # The chart: the bands are drawn as shapes on the LGBTQ+ rows, contacts from 0.407 to
    # 1.592 and reports from 0.03/0.109109 = 0.27495 to 0.03/0.027914 = 1.07472; no other
    # community has one.
    fig = rep.forest_chart(out.reset_index())
    bands = [(s.x0, s.x1) for s in fig.layout.shapes if s.type == "rect"]
    assert bands == [
        (pytest.approx(0.40734, abs=1e-5), pytest.approx(1.59218, abs=1e-5)),
        (pytest.approx(0.27495, abs=1e-5), pytest.approx(1.07472, abs=1e-5)),
    ]


def test_forest_in_public_says_too_few_instead_of_drawing():
    overview = indicators.overview(overview_raw({"lgbtq": 4, "eastern_european": 30}, {}))
    shown = apply_disclosure(
        rep.forest(overview, NONRESPONSE, COMMUNITIES), rep.FOREST_SPEC, "public"
    )
    lgbtq = shown.set_index("community").loc["lgbtq"]
    assert pd.isna(lgbtq["contact_ratio"]) and pd.isna(lgbtq["contact_ratio_if_all"])
    fig = rep.forest_chart(shown)
    notes = [a.text for a in fig.layout.annotations]
    # 4 contacts: "<5" as a count, and no ratio on fewer than 10: "too few to say". So for
    # the veterans' 0 contacts and every community's 0 reports; Eastern European residents'
    # 30 contacts are drawn. The last note labels the line at a ratio of 1.
    assert notes == [
        "contacts: too few to say",
        "contacts: too few to say",
        "crime reports: too few to say",
        "crime reports: too few to say",
        "crime reports: too few to say",
        "fair share (1)",
    ]


# ------------------------------------------------------------------------------ funnel


def by_area(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "area_code": code,
                "area_name": code,
                "area_level": "ward",
                "unplaced_reason": None,
                "coverage": "all",
                "contacts": x,
                "contacts_recorded": n,
                "all_contacts": n,
                "reports": 0,
                "reports_recorded": 0,
                "all_reports": 0,
                "residents": 1000,
                "base_count": None,
                "base_denominator": None,
                "district_count": 2885,
                "district_denominator": 126300,
            }
            for code, x, n in rows
        ]
    )


def test_funnel_positions_of_areas():
    raw = by_area([("A", 35, 100), ("B", 5, 100), ("C", 60, 700), ("D", 0, 100), ("E", 0, 0)])
    out = rep.funnel(raw, "eastern_european", "contacts").set_index("area_code")
    # Overall 100/1000 = 0.1. At n = 100: sqrt(0.1 x 0.9/100) = 0.03, so the 95% limits are
    # 0.1 -/+ 0.0588 (0.0412 to 0.1588) and the 99.8% ones 0.1 -/+ 0.0927 (0.0073 to 0.1927).
    # A 0.35 is above 99.8%; B 0.05 within; D 0 below 99.8%. C 60/700 = 0.0857 against
    # 0.1 -/+ 1.96 sqrt(0.09/700) = 0.0778 to 0.1222: within. E has no records: not placed.
    assert out["position"].to_dict() == {
        "A": "above_998",
        "B": "within_limits",
        "C": "within_limits",
        "D": "below_998",
    }
    assert (out["overall"] == 0.1).all()
    limits = rep.funnel_limits(out.reset_index(), "eastern_european")
    # Drawn from 0.8 x the smallest area (80) to 1.1 x the largest (770); at 80 the 95%
    # upper limit is 0.1 + 1.959964 sqrt(0.09/80) = 0.165739.
    first = limits[limits["level"] == 0.95].iloc[0]
    assert first["denominator"] == 80.0
    assert first["upper"] == pytest.approx(0.165739, abs=1e-6)
    assert limits["denominator"].max() == 770.0
    shown = apply_disclosure(out.reset_index(), rep.FUNNEL_SHARE_SPEC, "inspector")
    assert rep.funnel_sentence(shown, "eastern_european", "contacts", "ward") == (
        "2 of 4 wards sit within the 95% limits; below: D; above: A. Points outside the "
        "limits are prompts for questions, not verdicts."
    )


def test_funnel_for_all_residents_uses_rates_per_1000():
    raw = by_area([("A", 30, 40), ("B", 10, 20)])
    out = rep.funnel(raw, "all_residents", "contacts")
    # 30 and 10 contacts per 1,000 residents each; overall 40 per 2,000 = 20 per 1,000.
    assert out["value"].tolist() == [30.0, 10.0]
    assert out["overall"].iloc[0] == 20.0


# ------------------------------------------------------------------------------ reporting gap


def test_reporting_gap_for_veterans():
    overview = indicators.overview(overview_raw({}, {"armed_forces": 20}))
    out = rep.reporting_gap(overview, 1.0, ("armed_forces",)).iloc[0]
    # 1,000 reports record the victim's community; veterans are 4,325 of 102,846 adults
    # (4.2053%): 42.05 expected, 20 observed, 22.05 fewer. Ratio 0.02/0.042053 = 0.4756;
    # Wilson for 20/1000 = 0.012984 to 0.030690, / 0.042053 = 0.3087 to 0.7298.
    assert out["expected"] == pytest.approx(42.05317, abs=1e-5)
    assert out["gap"] == pytest.approx(-22.05317, abs=1e-5)
    assert out["ratio"] == pytest.approx(0.47559, abs=1e-5)
    assert (out["ratio_lower"], out["ratio_upper"]) == (
        pytest.approx(0.30874, abs=1e-5),
        pytest.approx(0.72979, abs=1e-5),
    )
    assert out["classification"] == "under_represented"
    assert rep.gap_sentence(out) == (
        "Armed-forces veterans were the victims in 20 crime reports where 42 were expected "
        "(4.2% of adults at the all-resident rate): 22 fewer (ratio 0.48, 95% CI 0.31 to 0.73: "
        "fewer reports than expected)."
    )
    # A risk factor of 2 doubles what is expected and halves the ratio.
    doubled = rep.reporting_gap(overview, 2.0, ("armed_forces",)).iloc[0]
    assert doubled["expected"] == pytest.approx(84.10633, abs=1e-5)
    assert doubled["ratio_upper"] == pytest.approx(0.36490, abs=1e-5)
    assert (
        rep.gap_display(rep.reporting_gap(overview, 2.0, ("armed_forces",))).iloc[0]["Difference"]
        == "64.1 fewer"
    )


def test_risk_factor_outside_its_range_is_refused():
    overview = indicators.overview(overview_raw({}, {"armed_forces": 20}))
    with pytest.raises(ValueError):
        rep.reporting_gap(overview, 5.0, ("armed_forces",))


def test_reporting_gap_by_area_names_its_baseline():
    raw = by_area([("W1", 0, 0)]).assign(reports=[3], reports_recorded=[108])
    out = rep.reporting_gap_by_area(raw, "eastern_european", 1.0).iloc[0]
    # District share 2,885/126,300 x 108 = 2.467 expected; 3 observed.
    assert out["expected"] == pytest.approx(2.46698, abs=1e-5)
    assert out["baseline"] == "district share (proxy: district mix assumed)"
    msoa = raw.assign(area_level="msoa", base_count=[161], base_denominator=[6268])
    out = rep.reporting_gap_by_area(msoa, "lgbtq", 1.0).iloc[0]
    # LGB+ 161 of 6,268 adults in the MSOA: 108 x 0.025686 = 2.774 expected.
    assert out["expected"] == pytest.approx(108 * 161 / 6268)
    assert out["baseline"] == "area: LGB+ residents aged 16+ (proxy)"
    assert rep.reporting_gap_by_area(raw, "all_residents", 1.0).empty
    assert rep.area_gap_note("armed_forces", "ward") == (
        "This build's census reference data has armed forces veterans for the whole district "
        "only, so each of the wards is given the district share. Proxy: it assumes every area "
        "has the district's mix of residents, which is not true everywhere; read these rows as "
        "prompts, not findings."
    )
    assert rep.area_gap_note("lgbtq", "msoa") == (
        "Each area's expected reports use its own census share. Proxy: LGB+ residents aged 16+ "
        "(Census 2021 TS077) stand in for LGBTQ+ residents: gender identity is published only "
        "as shares below the district, so trans residents who are not LGB+ are missing from "
        "this baseline."
    )


# ------------------------------------------------------------------------------ query


def test_census_nonresponse_query(explore_db):
    con = duckdb.connect(str(explore_db), read_only=True)
    try:
        out = run_query(con, "representation_census_nonresponse").set_index("community")
    finally:
        con.close()
    assert out.loc["lgbtq", ["residents", "population_base", "not_answered"]].tolist() == [
        2871,
        102851,
        8351,
    ]
    assert out.loc["lgbtq", "not_answered_measure"] == "lgbtq_plus_not_answered"
    assert (
        out.loc[["armed_forces", "eastern_european", "all_residents"], "not_answered"].isna().all()
    )


def test_public_funnel_hides_a_small_denominator_and_its_share():
    raw = by_area([("A", 35, 100), ("B", 1, 3), ("C", 60, 700)])
    out = rep.funnel(raw, "eastern_european", "contacts")
    shown = apply_disclosure(out, rep.funnel_spec("eastern_european"), "public")
    b = shown.set_index("area_code").loc["B"]
    # 1 of 3 records: both counts are "<5", and the share would give them back.
    assert b["events_note"] == "small_count" and b["denominator_note"] == "small_count"
    assert pd.isna(b["value"]) and pd.isna(b["position"])
    table = rep.funnel_display(shown, "eastern_european").set_index("Area")
    assert table.loc["B", "Records saying who was involved"] == "<5"
    # All residents: the denominator is the census population, public.
    assert rep.funnel_spec("all_residents").public_columns == ("denominator", "overall")
