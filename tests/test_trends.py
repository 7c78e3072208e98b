"""Trends logic (hidden_communities/trends.py) and its queries (queries/trend_*.sql), with
exact expected values worked by hand."""

from __future__ import annotations

import math
from datetime import date

import duckdb
import pandas as pd
import pytest

from hidden_communities import text, trends
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
