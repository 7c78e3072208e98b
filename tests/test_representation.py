"""Under-representation logic (hidden_communities/representation.py): the census sensitivity
band, the funnel of areas and the reporting gap, with exact values worked by hand.

z = 1.959964 (95%), 3.090232 (99.8%). Wilson: (2x + z^2 -/+ z sqrt(z^2 + 4x(1 - x/n)))
/ (2(n + z^2)).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from hidden_communities import indicators, stats
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
        "contact ratio 0.41 rather than 1.59 and the report ratio 0.27 rather than 1.07. "
        # The central case (issue 11): non-respondents like respondents, 2,871 of
        # 102,851 - 8,351 = 94,500 adults = 3.04%; contacts 0.04444/0.030381 = 1.46,
        # reports 0.03/0.030381 = 0.99; with the ONS quality notes cited.
        "Central case, if the non-respondents were like those who answered: 3.04% of adults: "
        "the contact ratio 1.46 and the report ratio 0.99. Source: ONS, Sexual orientation and "
        "gender identity quality information for Census 2021 (the gender identity estimates "
        "are official statistics in development)."
    )
    assert lgbtq["population_share_central"] == pytest.approx(0.0303810, abs=1e-7)
    assert lgbtq["contact_ratio_central"] == pytest.approx(1.46290, abs=1e-5)
    assert lgbtq["report_ratio_central"] == pytest.approx(0.98746, abs=1e-5)
    # It lies inside the band, between the published-count and all-non-respondents values.
    assert lgbtq["contact_ratio_if_all"] < lgbtq["contact_ratio_central"] < lgbtq["contact_ratio"]
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
    # Score tests (the Wilson rule): A z = 0.25/0.03 = 8.33, p = 7.9e-17; D z = -3.33,
    # p = 0.00086; B z = -1.67, p = 0.0956; C z = -1.26, p = 0.208. Benjamini-Hochberg over
    # the 4 wards: A 3.1e-16, D 0.00086 x 4/2 = 0.0017, B 0.0956 x 4/3 = 0.127, C 0.208:
    # A and D are flagged. The wards are overdispersed (see the test below), but no
    # widening was asked for, and the sentence says so.
    assert rep.funnel_sentence(shown, "eastern_european", "contacts", "ward") == (
        "2 of 4 wards sit within the 95% limits; below: D; above: A. Flagged after allowing "
        "for 4 wards, at a false discovery rate of 5%: higher than all the wards together: A; "
        "lower: D. The wards vary more than chance allows (overdispersion φ = 10.5; k·φ = "
        "42.2 against 7.81, the 95% point of chi-square (df = 3)), but the limits are not "
        "widened (Unadjusted chosen), so some wards fall outside them for ordinary reasons. "
        "Points outside the limits are prompts for questions, not verdicts."
    )


def test_funnel_for_all_residents_uses_rates_per_1000():
    raw = by_area([("A", 30, 40), ("B", 10, 20)])
    out = rep.funnel(raw, "all_residents", "contacts")
    # 30 and 10 contacts per 1,000 residents each; overall 40 per 2,000 = 20 per 1,000.
    assert out["value"].tolist() == [30.0, 10.0]
    assert out["overall"].iloc[0] == 20.0


def test_funnel_for_all_residents_is_per_1000_a_year_over_the_period():
    raw = by_area([("A", 30, 40), ("B", 10, 20)])
    # Over 730 days (two years): x 365.25 / 730 = 0.500342. A 30 per 1,000 over the period
    # = 15.0103 a year; B 5.0034; overall 20 per 1,000 = 10.0068.
    out = rep.funnel(raw, "all_residents", "contacts", days=730)
    assert out["value"].tolist() == pytest.approx([15.010274, 5.003425], abs=1e-6)
    assert out["overall"].iloc[0] == pytest.approx(10.006849, abs=1e-6)
    assert rep.rate_unit(out) == "per 1,000 a year"
    assert "Per 1,000 a year" in rep.funnel_display(out, "all_residents").columns
    # The limits are drawn on the same scale: at 1,000 residents the 95% limits sit around
    # the overall a-year rate, not the period's.
    limits = rep.funnel_limits(out, "all_residents")
    assert limits["lower"].max() < 10.006849 < limits["upper"].min()
    assert limits["upper"].max() < 20


def test_funnel_widens_its_limits_when_the_areas_are_overdispersed():
    raw = by_area([("A", 35, 100), ("B", 5, 100), ("C", 60, 700), ("D", 0, 100)])
    out = rep.funnel(raw, "eastern_european", "contacts", "additive").set_index("area_code")
    # z-scores against 0.1: A 0.25/0.03 = 8.3333, B -1.6667, C -0.0142857/sqrt(0.09/700) =
    # -1.2599, D -3.3333. Winsorised at the 10% and 90% quantiles (-3.3333 + 0.3 x 1.6667 =
    # -2.8333 and -1.2599 + 0.7 x 9.5932 = 5.4554): squares 29.761, 2.778, 1.587, 8.028,
    # phi = 42.154/4 = 10.5385. k phi = 42.15 > 7.8147 (chi-square 95%, 3 df): widened.
    assert out["phi"].iloc[0] == pytest.approx(10.53848, abs=1e-5)
    assert out["dispersion_statistic"].iloc[0] == pytest.approx(42.15391, abs=1e-5)
    assert out["dispersion_critical"].iloc[0] == pytest.approx(7.814728, abs=1e-6)
    # tau2 = (42.154 - 3) / (sum w - sum w^2 / sum w), w = n / 0.09 = 1111.1 (x3), 7777.8:
    # 11111.1 - 64197531/11111.1 = 5333.3; tau2 = 39.154/5333.3 = 0.0073414.
    assert out["tau2"].iloc[0] == pytest.approx(0.0073414, abs=1e-7)
    assert set(out["limits"]) == {"additive"} and not out["exact_limits"].any()
    # At n = 100 the spread is sqrt(0.0009 + 0.0073414) = 0.090782: 95% limits 0.1 +/-
    # 0.17793 (0 to 0.27793), 99.8% up to 0.1 + 3.090232 x 0.090782 = 0.38054. A 0.35 is
    # above 95% only; D 0 is within (the lower limit is 0).
    assert out["position"].to_dict() == {
        "A": "above_95",
        "B": "within_limits",
        "C": "within_limits",
        "D": "within_limits",
    }
    limits = rep.funnel_limits(out.reset_index(), "eastern_european")
    at_100 = stats.funnel_limits([100], 0.1, adjustment="additive", tau2=0.0073414)
    assert at_100["upper"].tolist() == pytest.approx([0.27793, 0.38054], abs=1e-5)
    # The curve drawn starts at 80 records: 0.1 + 1.959964 sqrt(0.09/80 + 0.0073414) = 0.28034.
    first = limits[limits["level"] == 0.95].iloc[0]
    assert (first["denominator"], first["upper"]) == (80.0, pytest.approx(0.280342, abs=1e-6))
    # Flags from the same spread: A z = 0.25/0.090782 = 2.7539, p = 0.00589; D 1.1015,
    # p = 0.2707; B 0.5508, p = 0.5818; C 0.0142857/0.086428 = 0.1653, p = 0.8687. BH over 4:
    # A 0.0236 (flagged), D 0.541, B 0.776, C 0.869.
    assert out["flag_p_value"].to_dict() == pytest.approx(
        {"A": 0.005890, "B": 0.581791, "C": 0.868717, "D": 0.270661}, abs=1e-6
    )
    assert out["flag_p_adjusted"]["A"] == pytest.approx(0.023559, abs=1e-6)
    assert out["flag"].to_dict() == {"A": "higher", "B": "similar", "C": "similar", "D": "similar"}
    assert (out["flag_tested"] == 4).all()
    shown = apply_disclosure(out.reset_index(), rep.FUNNEL_SHARE_SPEC, "inspector")
    sentence = rep.funnel_sentence(shown, "eastern_european", "contacts", "ward")
    assert (
        "Flagged after allowing for 4 wards, at a false discovery rate of 5%: higher than all "
        "the wards together: A; lower: none." in sentence
    )
    assert (
        "so the limits are widened: additive (random effects), between-area variance τ² = "
        "0.00734, a standard deviation of 8.6 percentage points." in sentence
    )
    table = rep.funnel_display(shown, "eastern_european").set_index("Area")
    header = "Compared with all areas shown, after allowing for 4 areas (false discovery rate 5%)"
    assert table[header].to_dict() == {
        "A": "higher",
        "B": "no clear difference",
        "C": "no clear difference",
        "D": "no clear difference",
    }
    fig = rep.funnel_chart(shown, "eastern_european", "contacts", "ward")
    assert "95% limits (Additive (random effects))" in {t.name for t in fig.data}
    # Only the flagged area is named on the chart.
    named = {name for t in fig.data if t.text is not None for name in t.text if name}
    assert named == {"A"}
    # Multiplicative: the 95% limits are 0.1 +/- 1.959964 x sqrt(10.5385) x 0.03.
    mult = rep.funnel(raw, "eastern_european", "contacts", "multiplicative")
    wide = rep.funnel_limits(mult, "eastern_european")
    first = wide[wide["level"] == 0.95].iloc[0]
    assert first["upper"] == pytest.approx(0.1 + 1.959964 * (10.53848 * 0.09 / 80) ** 0.5)


def test_small_areas_get_exact_binomial_limits_when_not_overdispersed():
    raw = by_area([("A", 6, 20), ("B", 3, 30), ("C", 5, 50), ("D", 6, 100)])
    out = rep.funnel(raw, "eastern_european", "contacts", "additive").set_index("area_code")
    # Overall 20/200 = 0.1. z: A 0.2/sqrt(0.09/20) = 2.9814, B 0, C 0, D -1.3333;
    # winsorised to 2.0870 and -0.9333: phi = (4.3555 + 0.8711)/4 = 1.3067, k phi = 5.23 <
    # 7.81: not overdispersed, so no widening even though additive was asked for. A expects
    # 20 x 0.1 = 2 records, under 10: exact binomial limits.
    assert out["phi"].iloc[0] == pytest.approx(1.306667, abs=1e-6)
    assert set(out["limits"]) == {"none"} and out["exact_limits"].all()
    # Exact upper limits at n = 20 (Spiegelhalter's interpolation): 95% 0.22847, 99.8%
    # 0.33517. A (0.3) lies between them.
    limits = rep.funnel_limits(out.reset_index(), "eastern_european")
    assert (limits["denominator"] == limits["denominator"].round()).all()
    assert out.loc["A", "position"] == "above_95"
    # The flags use the exact binomial test: A P(X >= 6 | 20, 0.1) = 0.011253, p = 0.022506;
    # D P(X <= 6 | 100, 0.1) = 0.117156, p = 0.234311; B and C 1. BH over 4: A 0.0900 and D
    # 0.4686: outside the 95% limits, but not flagged after allowing for 4 areas.
    assert out.loc["A", "flag_p_value"] == pytest.approx(0.022506, abs=1e-6)
    assert out.loc["A", "flag_p_adjusted"] == pytest.approx(0.090025, abs=1e-6)
    assert out.loc["D", "flag_p_value"] == pytest.approx(0.234311, abs=1e-6)
    assert (out["flag"] == "similar").all()
    sentence = rep.funnel_sentence(out.reset_index(), "eastern_european", "contacts", "ward")
    assert (
        "The wards vary no more than chance allows (overdispersion φ = 1.31; k·φ = 5.23, below "
        "7.81, the 95% point of chi-square (df = 3)): ordinary limits. Exact "
        "binomial limits, as some areas expect fewer than 10 records." in sentence
    )


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


def test_reporting_gap_by_area_reads_each_area_after_allowing_for_all_of_them():
    rows = [("W1", 0, 0), ("W2", 0, 0), ("W3", 0, 0), ("W4", 0, 0), ("W5", 0, 0)]
    raw = by_area(rows).assign(
        reports=[30, 19, 12, 11, 10], reports_recorded=[500, 500, 500, 500, 400]
    )
    out = rep.reporting_gap_by_area(raw, "eastern_european", 1.0).set_index("area_name")
    # District share 2,885/126,300 = 0.022842. Score tests: W1 30/500 = 0.06, z = 0.037158 /
    # sqrt(0.022842 x 0.977158/500) = 5.561, p = 2.7e-8; W2 19/500 = 0.038, z = 2.269,
    # p = 0.02329 (its Wilson interval, 1.07 to 2.56 times expected, excludes 1); W3 0.862,
    # W4 0.900, W5 0.773. Benjamini-Hochberg over 5: W1 1.3e-7; W2 0.02329 x 5/2 = 0.0582,
    # not flagged.
    assert out.loc["W2", "ratio_lower"] == pytest.approx(1.070819, abs=1e-6)
    assert out.loc["W2", "classification_p_value"] == pytest.approx(0.023292, abs=1e-6)
    assert out.loc["W2", "classification_p_adjusted"] == pytest.approx(0.058229, abs=1e-6)
    assert out["classification"].to_dict() == {
        "W1": "over_represented",
        "W2": "not_significantly_different",
        "W3": "not_significantly_different",
        "W4": "not_significantly_different",
        "W5": "not_significantly_different",
    }
    assert (out["classification_tested"] == 5).all()
    assert rep.area_gap_sentence(out.reset_index(), "ward") == (
        "By area, read after allowing for 5 wards, at a false discovery rate of 5%: fewer "
        "reports than expected: none; more than expected: W1."
    )
    table = rep.gap_display(out.reset_index(), by_area=True).set_index("Area")
    assert table.loc["W2", "Reading, after allowing for 5 areas"] == "about as many as expected"
    # Leadership: the p-values follow the reports' numerator rule like the ratio.
    few = raw.assign(reports=[30, 9, 12, 11, 10])
    shown = apply_disclosure(
        rep.reporting_gap_by_area(few, "eastern_european", 1.0), rep.GAP_SPEC, "leadership"
    )
    assert pd.isna(shown.loc[1, "classification_p_value"])
    assert shown.loc[1, "classification_p_value_note"] == "too_few_to_say"


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
    assert {"denominator", "overall"} <= set(rep.funnel_spec("all_residents").public_columns)
    assert "denominator" not in rep.funnel_spec("eastern_european").public_columns
