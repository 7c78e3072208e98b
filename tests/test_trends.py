"""Trends logic (hidden_communities/trends.py) and its queries (queries/trend_*.sql), with
exact expected values worked by hand."""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pandas as pd
import pytest

from hidden_communities import stats, text, trends
from hidden_communities.disclosure import apply_disclosure
from queries import run_query
from tests.builders import ABBEY_HILL


def monthly_raw(counts: dict[str, list[int]], recorded: list[int], residents=None) -> pd.DataFrame:
    """A frame shaped like queries/trend_monthly.sql: months from Jan 2021."""
    months = pd.date_range("2021-01-01", periods=len(recorded), freq="MS")
    residents = residents or {
        "eastern_european": 2885,
        "armed_forces": 4325,
        "lgbtq": 2871,
        "all_residents": 126300,
    }
    rows = []
    for i, month in enumerate(months):
        for community, values in counts.items():
            rows.append(
                {
                    "month": month,
                    "community": community,
                    "days": month.days_in_month,
                    "month_days": month.days_in_month,
                    "contacts": values[i],
                    "contacts_recorded": recorded[i],
                    "all_contacts": recorded[i],
                    "reports": 0,
                    "reports_recorded": 0,
                    "all_reports": 0,
                    "residents": residents.get(community),
                    "universe": "",
                }
            )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ monthly


def test_monthly_rate_uses_the_exact_interval_below_ten():
    raw = monthly_raw({"eastern_european": [3], "all_residents": [100]}, [100])
    out = trends.monthly(raw, "contacts", ("eastern_european",))
    ee = out[out["community"] == "eastern_european"].iloc[0]
    # 3 contacts / 2,885 residents = 1.0399 per 1,000. Exact Poisson for 3 (Garwood):
    # chi2(0.025; 6)/2 = 0.61867 and chi2(0.975; 8)/2 = 8.76727, / 2.885 = 0.21444 to 3.03892.
    assert ee["rate"] == pytest.approx(1.03986, abs=1e-5)
    assert ee["rate_lower"] == pytest.approx(0.21444, abs=1e-5)
    assert ee["rate_upper"] == pytest.approx(3.03892, abs=1e-5)
    # Communities come first, all residents last.
    assert list(out["community"]) == ["eastern_european", "all_residents"]


def test_rolling_mean_of_three_months_leaves_a_gap_where_a_month_is_hidden():
    raw = monthly_raw({"eastern_european": [20, 50, 20, 30, 2, 40]}, [500] * 6)
    shown = trends.monthly(raw, "contacts", ("eastern_european",))
    rolled = trends.with_rolling(shown, "count")
    # (20 + 50 + 20)/3 = 30; (50 + 20 + 30)/3 = 33.33; (20 + 30 + 2)/3 = 17.33; (30+2+40)/3 = 24.
    assert rolled["rolling"].tolist()[2:] == pytest.approx([30, 100 / 3, 52 / 3, 24])
    assert rolled["rolling"].iloc[:2].isna().all()
    # In public, 2 is "<5" (and the next smallest, 20, is suppressed so the period total
    # cannot give it back): no average may include a hidden month.
    public = apply_disclosure(shown, trends.MONTHLY_SPEC, "public")
    rolled = trends.with_rolling(public, "count")
    hidden = public["events"].isna()
    assert hidden.tolist() == [True, False, False, False, True, False]
    assert rolled["rolling"].tolist()[3] == pytest.approx((50 + 20 + 30) / 3)
    assert rolled["rolling"].iloc[[2, 4, 5]].isna().all()


def test_scale_note_only_with_an_area_filter_and_rates():
    assert trends.scale_note(None, "count", True) is None
    assert trends.scale_note(None, "rate", False) is None
    assert trends.scale_note(None, "rate", True) == (
        "Per 1,000 rates are shown for all residents only: with an area filter the chosen "
        "areas have no census count of the communities in this build's reference data (it has "
        "them for the whole district), so their panels show no rate. Switch to Count to see "
        "their numbers."
    )


# ------------------------------------------------------------------------------ trend arrows


def test_recent_trend_uses_the_last_five_months():
    # Six months; the first is left out. Last five: 1, 2, 3, 4, 5 of 100 each.
    # p = 15/500 = 0.03; T = (1 + 4 + 9 + 16 + 25) - 0.03 x 100 x 15 = 10;
    # V = 0.03 x 0.97 x (100 x 55 - 1500^2/500) = 29.1; chi-square = 100/29.1 = 3.436,
    # p = 0.0638: no significant change.
    raw = monthly_raw(
        {"eastern_european": [50, 1, 2, 3, 4, 5], "lgbtq": [0, 0, 5, 10, 20, 40]}, [100] * 6
    )
    out = trends.recent_trends(raw, "contacts", ("eastern_european", "lgbtq"))
    ee = out[out["community"] == "eastern_european"].iloc[0]
    assert ee["direction"] == "no_significant_change"
    assert ee["statistic"] == pytest.approx(3.43643, abs=1e-5)
    assert ee["p_value"] == pytest.approx(0.063774, abs=1e-6)
    assert (ee["events"], ee["recorded"]) == (15, 500)
    # LGBTQ+ 0, 5, 10, 20, 40 of 100: p = 0.15, T = 320 - 0.15 x 1500 = 95,
    # V = 0.15 x 0.85 x 1000 = 127.5, chi-square = 9025/127.5 = 70.78: increasing.
    lgbtq = out[out["community"] == "lgbtq"].iloc[0]
    assert lgbtq["direction"] == "increasing"
    assert lgbtq["statistic"] == pytest.approx(70.78431, abs=1e-5)
    assert trends.trend_sentence(lgbtq, "contacts") == (
        "↑ LGBTQ+ residents: their share of contacts rose over the five months Feb 2021 to "
        "Jun 2021 (chi-square for trend 70.8, p = 3.98e-17)."
    )


def test_recent_trend_cannot_be_calculated_with_fewer_than_five_months():
    raw = monthly_raw({"armed_forces": [1, 2, 3, 4]}, [100] * 4)
    row = trends.recent_trends(raw, "contacts", ("armed_forces",)).iloc[0]
    assert row["direction"] == "cannot_be_calculated"
    assert trends.trend_sentence(row, "contacts") == (
        "– Armed-forces veterans: trend cannot be calculated (it needs five months, each with "
        "contacts that record who was involved)."
    )


# ------------------------------------------------------------------------------ before/after


def ba_raw(before, after, days_before=100, days_after=200, launch="2021-04-12"):
    return pd.DataFrame(
        [
            {
                "records": "contacts",
                "community": "eastern_european",
                "channel": "all",
                "launch_date": pd.Timestamp(launch) if launch else pd.NaT,
                "before": before,
                "after": after,
                "days_before": days_before,
                "days_after": days_after,
            }
        ]
    )


def test_rate_ratio_after_against_before():
    row = trends.before_after(ba_raw(10, 40), "contacts", ("eastern_european",)).iloc[0]
    # A month = 30.4375 days: 10/100 x 30.4375 = 3.04375 before, 40/200 x 30.4375 = 6.0875
    # after. Ratio (40/200)/(10/100) = 2; Katz: exp(ln 2 -/+ 1.959964 sqrt(1/40 + 1/10))
    # = exp(0.693147 -/+ 0.692951) = 1.000195 to 3.999219: just above 1.
    assert row["per_month_before"] == pytest.approx(3.04375)
    assert row["per_month_after"] == pytest.approx(6.0875)
    assert row["rate_ratio"] == pytest.approx(2.0)
    assert row["rate_ratio_lower"] == pytest.approx(1.000195, abs=1e-6)
    assert row["rate_ratio_upper"] == pytest.approx(3.999219, abs=1e-6)
    assert row["reading"] == "more_after"
    assert text.label("before_after", row["reading"]) == "more after the launch"
    assert trends.before_after_sentence(row, "contacts") == (
        "Contacts with Eastern European residents: 3.0 a month before the launch on "
        "12 Apr 2021 and 6.1 a month after: 2.00 times as many (95% CI 1.00 to 4.00), more "
        "after the launch."
    )


@pytest.mark.parametrize(
    ("args", "reading"),
    [
        ((0, 5), "cannot be calculated: none before the launch"),
        ((0, 0), "cannot be calculated: none before or after the launch"),
        ((3, 5, 0, 30), "the period does not cover both sides of the launch"),
        ((3, 5, 10, 30, None), "no campaign launch recorded"),
    ],
)
def test_rate_ratio_that_cannot_be_calculated_says_why(args, reading):
    row = trends.before_after(ba_raw(*args), "contacts", ("eastern_european",)).iloc[0]
    assert text.label("before_after", row["reading"]) == reading
    assert math.isnan(row["rate_ratio_lower"])


# ------------------------------------------------------------------------------ queries

PARAMS = dict(
    start_date=date(2021, 1, 15),
    end_date=date(2021, 6, 2),
    area_codes=[],
    channels=[],
    directions=[],
    crime_types=[],
    hate_strands=[],
)


def _run(path, name, **params):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return run_query(con, name, **params)
    finally:
        con.close()


def test_monthly_query_lists_every_month_and_the_days_covered(explore_db):
    out = _run(explore_db, "trend_monthly", **PARAMS)
    assert len(out) == 6 * 4  # January to June 2021, three communities and all residents
    ee = out[out["community"] == "eastern_european"]
    ee = ee.set_index(ee["month"].dt.month)
    # 15 to 31 January is 17 days; 1 and 2 June are 2.
    assert ee.loc[1, "days"] == 17 and ee.loc[6, "days"] == 2 and ee.loc[3, "days"] == 31
    assert ee["contacts"].tolist() == [0, 4, 0, 0, 22, 0]
    assert ee["reports"].tolist() == [0, 0, 0, 0, 0, 3]
    assert (ee["residents"] == 2885).all()
    # With an area filter only all residents have a census count: the ward's 3,146.
    filtered = _run(explore_db, "trend_monthly", **{**PARAMS, "area_codes": [ABBEY_HILL]})
    assert filtered.loc[filtered["community"] == "all_residents", "residents"].eq(3146).all()
    assert filtered.loc[filtered["community"] != "all_residents", "residents"].isna().all()


def test_before_after_query_counts_days_the_records_cover(explore_db):
    out = _run(explore_db, "trend_before_after", **PARAMS)
    contacts = out[(out["records"] == "contacts") & (out["channel"] == "all")]
    ee = contacts.set_index("community").loc["eastern_european"]
    # Contacts run 10 Feb to 20 May: 10 Feb to 11 Apr = 61 days; 12 Apr to 20 May = 39.
    assert (ee["before"], ee["after"], ee["days_before"], ee["days_after"]) == (4, 22, 61, 39)
    reports = out[out["records"] == "reports"].set_index("community")
    # Reports run 15 Jan to 2 Jun: 87 days before, 52 from the launch.
    assert reports.loc["lgbtq", ["before", "after", "days_before", "days_after"]].tolist() == [
        10,
        0,
        87,
        52,
    ]
    phone = out[(out["channel"] == "phone")].set_index("community")
    assert phone.loc["armed_forces", "after"] == 10


def test_campaign_events_in_the_period(explore_db):
    out = _run(
        explore_db,
        "trend_campaign_events",
        start_date=date(2021, 1, 1),
        end_date=date(2021, 12, 31),
    )
    assert out[["kind", "title"]].values.tolist() == [["launch", "Campaign launched"]]
    none = _run(
        explore_db,
        "trend_campaign_events",
        start_date=date(2022, 1, 1),
        end_date=date(2022, 12, 31),
    )
    assert none.empty


def test_monthly_sentence_compares_with_a_year_before():
    # 15 months, Jan 2021 to Mar 2022: 1, 2, ..., 15 contacts. Latest 3-month average
    # (13 + 14 + 15)/3 = 14.0 to Mar 2022; a year before, to Mar 2021, (1 + 2 + 3)/3 = 2.0.
    raw = monthly_raw({"armed_forces": list(range(1, 16))}, [100] * 15)
    shown = trends.monthly(raw, "contacts", ("armed_forces",))
    assert trends.monthly_sentence(
        shown[shown["community"] == "armed_forces"], "contacts", "count"
    ) == (
        "Contacts, 3-month average: Armed-forces veterans 14.0 a month in the three months to "
        "Mar 2022 (a year before: 2.0)."
    )


def test_records_choice_is_an_allow_list():
    raw = monthly_raw({"eastern_european": [1]}, [10])
    with pytest.raises(ValueError):
        trends.monthly(raw, "contacts; DROP TABLE contacts", ("eastern_european",))


# ------------------------------------------------------------------------------ SPC


def test_spc_reads_each_communitys_monthly_counts_with_an_xmr_chart():
    raw = monthly_raw({"eastern_european": [5] * 9 + [30], "all_residents": [100] * 10}, [100] * 10)
    out = trends.monthly(raw, "contacts", ("eastern_european",))
    ee = out[out["community"] == "eastern_european"]
    # Mean 75/10 = 7.5; moving ranges 0 (x8) and 25: mean 25/9 = 2.7778; limits 7.5 -/+ 2.66 x
    # 2.7778 = 0.1111 to 14.8889. October's 30 is beyond the upper limit; January to
    # September (9 months at 5) sit on one side of the mean: a shift.
    assert ee["spc"].tolist() == ["shift_low"] * 9 + ["beyond_limit_high"]
    limits = trends.spc_limits(raw, "contacts", ("eastern_european",)).set_index("community")
    assert limits.loc["eastern_european", ["centre", "lower", "upper"]].tolist() == pytest.approx(
        [7.5, 0.111111, 14.888889], abs=1e-6
    )
    assert limits.loc["eastern_european", "months"] == 10
    assert trends.spc_sentences(out) == [
        "Eastern European residents: above the upper process limit: Oct 2021; 7 or more months "
        "in a row below the mean: Jan 2021 to Sep 2021.",
        "All residents: no signal; the months vary no more than usual (common-cause variation).",
    ]
    table = trends.monthly_display(out, "count")
    assert table["SPC (XmR chart of the counts)"].iloc[9] == "above the upper process limit"


def test_spc_trend_two_of_three_and_part_months():
    # 1, 2, 3, 4, 5, 6, 6 (complete months), then a part month that is not judged.
    raw = monthly_raw(
        {"eastern_european": [1, 2, 3, 4, 5, 6, 6, 1], "all_residents": [100] * 8}, [100] * 8
    )
    raw.loc[raw["month"] == raw["month"].max(), "days"] = 10
    out = trends.monthly(raw, "contacts", ("eastern_european",))
    ee = out[out["community"] == "eastern_european"]
    # Mean 27/7 = 3.857; moving ranges 1 (x5), 0: mean 0.8333; limits 3.857 -/+ 2.2167 =
    # 1.640 to 6.074, sigma 0.7389. January (1) is below the lower limit; January to June
    # rise five times in a row (6 months: a trend); June and July (6) are beyond 2 sigma
    # (5.335) but inside the limit: two of three. The first signal gives the marker.
    assert ee["spc"].tolist() == [
        "beyond_limit_low",
        *["trend_rising"] * 5,
        "two_of_three_high",
        "partial_month",
    ]
    assert ee["spc_signals"].tolist()[0] == "beyond_limit_low trend_rising"
    assert ee["spc_signals"].tolist()[5] == "trend_rising two_of_three_high"
    assert trends.spc_sentences(out)[0] == (
        "Eastern European residents: below the lower process limit: Jan 2021; 6 or more months "
        "in a row, each higher than the last: Jan 2021 to Jun 2021; 2 of 3 months close to the "
        "upper limit: Jun 2021 to Jul 2021."
    )
    limits = trends.spc_limits(raw, "contacts", ("eastern_european",))
    fig = trends.monthly_chart(
        out, pd.DataFrame(columns=["event_date", "kind"]), "contacts", "count", limits
    )
    markers = [t for t in fig.data if t.name == "SPC signal"]
    assert len(markers) == 1  # all residents: no signal, no marker trace
    assert list(markers[0].marker.symbol) == ["star", *["triangle-up"] * 5, "diamond"]
    assert markers[0].hovertext[6] == "Jul 2021: 2 of 3 months close to the upper limit"
    legend = {t.name for t in fig.data if t.showlegend is not False}
    assert {"SPC: beyond a process limit", "SPC: trend (6+ months rising)"} <= legend
    # The bars' hover says it in words too.
    bars = [t for t in fig.data if t.type == "bar"][0]
    assert "SPC: below the lower process limit" in bars.hovertext[0]


def test_spc_reading_of_a_hidden_month_is_hidden():
    raw = monthly_raw({"eastern_european": [20, 50, 20, 30, 2, 40]}, [500] * 6)
    shown = apply_disclosure(
        trends.monthly(raw, "contacts", ("eastern_european",)), trends.MONTHLY_SPEC, "public"
    )
    # 2 is "<5" and 20 suppressed (see above): their SPC readings go with them; so does any
    # month under 10 records for leadership and public, as a rate would.
    assert shown["spc"].isna().tolist() == [True, False, False, False, True, False]
    assert shown.loc[0, "spc_note"] == "suppressed"


# ------------------------------------------------------------------------------ ITS


def its_raw(noise: bool = True) -> pd.DataFrame:
    """24 months from Jan 2021: the community 1 record a day for a year, then 2; all
    residents 10 a day, then 15; with a fixed +/-10% wobble so the model has something to
    estimate."""
    months = pd.date_range("2021-01-01", periods=24, freq="MS")
    wobble = [1.1 if i % 2 else 0.9 for i in range(24)] if noise else [1.0] * 24
    ee = [
        round((1 if i < 12 else 2) * m.days_in_month * w)
        for i, (m, w) in enumerate(zip(months, wobble, strict=True))
    ]
    al = [
        round((10 if i < 12 else 15) * m.days_in_month * w)
        for i, (m, w) in enumerate(zip(months, wobble, strict=True))
    ]
    return monthly_raw({"eastern_european": ee, "all_residents": al}, [5000] * 24)


def test_interrupted_time_series_alone_and_against_all_residents():
    raw = its_raw()
    launch = pd.Timestamp("2022-01-10")
    readings, lines = trends.interrupted(raw, "contacts", ("eastern_european",), launch)
    rows = readings.set_index(["community", "model"])
    # The community's own model: the days each month covers as the offset.
    ee = raw[raw["community"] == "eastern_european"]
    everyone = raw[raw["community"] == "all_residents"]
    alone = stats.interrupted_time_series(ee["contacts"], ee["month"], launch, offset=ee["days"])
    relative = stats.interrupted_time_series(
        ee["contacts"],
        ee["month"],
        launch,
        offset=ee["days"],
        control=everyone["contacts"],
        control_offset=everyone["days"],
    )
    mine = rows.loc[("eastern_european", "alone")]
    assert mine["level"] == pytest.approx(alone.level_change.ratio)
    assert mine["slope_upper"] == pytest.approx(alone.slope_change.upper)
    theirs = rows.loc[("eastern_european", "relative_to_all_residents")]
    assert theirs["level"] == pytest.approx(relative.level_change.ratio)
    # The rate doubled at the launch (2 a day against 1): the level change is close to 2,
    # and against all residents (who rose by half) close to 2/1.5 = 1.33.
    assert mine["level"] == pytest.approx(2.0, abs=0.1)
    assert theirs["level"] == pytest.approx(4 / 3, abs=0.1)
    assert (mine["months_before"], mine["months_after"]) == (12, 12)
    # Records before the launch month and from it: the model's split.
    assert (mine["events_before"], mine["events_after"]) == (
        int(ee["contacts"][:12].sum()),
        int(ee["contacts"][12:].sum()),
    )
    assert ("all_residents", "relative_to_all_residents") not in rows.index
    # The counterfactual: the alone model's earlier trend, one value a month.
    line = lines[lines["community"] == "eastern_european"]
    assert len(line) == 24
    assert line["counterfactual"].tolist() == pytest.approx(alone.series["counterfactual"].tolist())
    sentences = trends.its_sentences(readings, "contacts")
    assert sentences[0].startswith(
        f"Eastern European residents: in the launch month (Jan 2022) contacts were "
        f"{mine['level']:.2f} times what the earlier trend projected (95% CI "
        f"{mine['level_lower']:.2f} to {mine['level_upper']:.2f}: a clear rise)"
    )
    assert "Relative to all residents' contacts (those that say who was involved): " in sentences[0]
    fig = trends.monthly_chart(
        trends.monthly(raw, "contacts", ("eastern_european",)),
        pd.DataFrame(columns=["event_date", "kind"]),
        "contacts",
        "count",
        counterfactual=lines,
    )
    projected = [t for t in fig.data if t.legendgroup == "counterfactual"]
    assert len(projected) == 2  # one a panel: the community and all residents
    assert [t.showlegend for t in projected] == [True, False]


def test_interrupted_time_series_says_why_it_cannot_be_estimated():
    raw = its_raw().iloc[: 2 * 16]  # January 2021 to April 2022: 4 months from the launch
    readings, _ = trends.interrupted(
        raw, "contacts", ("eastern_european",), pd.Timestamp("2022-01-10")
    )
    assert set(readings["reason"]) == {"too_few_months_after"}
    assert trends.its_sentences(readings, "contacts")[0] == (
        "Eastern European residents: the interrupted time series cannot be estimated: fewer "
        "than 6 months from the launch month on. Relative to all contacts: not estimated: "
        "fewer than 6 months from the launch month on."
    )
    readings, lines = trends.interrupted(its_raw(), "contacts", ("eastern_european",), None)
    assert set(readings["reason"]) == {"no_launch"} and lines.empty
    assert "no campaign launch in the period" in trends.its_sentences(readings, "contacts")[0]


def test_interrupted_time_series_follows_the_numerator_rule():
    raw = its_raw()
    small = raw.copy()
    # 9 records before the launch month: too few to say for leadership and public.
    ee = small["community"] == "eastern_european"
    small.loc[ee, "contacts"] = [1] * 9 + [0] * 3 + list(small.loc[ee, "contacts"][12:])
    readings, lines = trends.interrupted(
        small, "contacts", ("eastern_european",), pd.Timestamp("2022-01-10")
    )
    shown = apply_disclosure(readings, trends.ITS_SPEC, "leadership")
    row = shown[shown["community"] == "eastern_european"].iloc[0]
    assert row["events_least"] == 9 and pd.isna(row["level"])
    assert trends.its_sentences(shown, "contacts")[0].startswith(
        "Eastern European residents: the interrupted time series cannot be estimated: too few "
        "to say (fewer than 10 contacts before or after the launch)."
    )
    projected = apply_disclosure(lines, trends.COUNTERFACTUAL_SPEC, "leadership")
    assert (
        projected.loc[projected["community"] == "eastern_european", "counterfactual"].isna().all()
    )
    assert projected.loc[projected["community"] == "all_residents", "counterfactual"].notna().all()


def test_before_after_uses_the_exact_interval_under_ten():
    row = trends.before_after(ba_raw(4, 22, 61, 39), "contacts", ("eastern_european",)).iloc[0]
    # 22 of 26 after: Clopper-Pearson Beta(0.025; 22, 5) = 0.651321, Beta(0.975; 23, 4) =
    # 0.956437; RR = p/(1 - p) x 61/39: 2.921695 to 34.339886 (Katz would give 2.96 to 24.96).
    assert row["method"] == "exact"
    assert row["rate_ratio"] == pytest.approx(22 / 39 / (4 / 61))
    assert (row["rate_ratio_lower"], row["rate_ratio_upper"]) == (
        pytest.approx(2.921695, abs=1e-6),
        pytest.approx(34.339886, abs=1e-6),
    )
    table = trends.before_after_display(
        trends.before_after(ba_raw(4, 22, 61, 39), "contacts", ("eastern_european",))
    )
    assert table.iloc[0]["Interval"] == "exact (conditional binomial)"
    katz = trends.before_after(ba_raw(10, 40), "contacts", ("eastern_european",)).iloc[0]
    assert katz["method"] == "katz"
