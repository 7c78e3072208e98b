"""The exploring pages (engagement map, trends, under-representation) under AppTest, on
the hand-made explore_db (tests/conftest.py), so every number shown is known exactly."""

from __future__ import annotations

import base64
import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from hidden_communities import registry, trends
from hidden_communities.disclosure import apply_disclosure
from hidden_communities.filters import Filters
from hidden_communities.text import people as text_of
from queries import run_query
from tests.builders import chart, open_page, table_with, texts


def plotted(values) -> list[float]:
    """A chart's values from its JSON (plotly writes numeric arrays as base64)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return list(values)


def map_table(at, *names: str):
    return table_with(at, "Area", *names).set_index("Area")


def gap_table(at):
    """The reporting gap by community (the table by area below it has the same columns
    but Area for Community)."""
    return table_with(at, "Community", "Expected", "Observed / expected (95% CI)").set_index(
        "Community"
    )


# ------------------------------------------------------------------------------ map


def test_map_shows_counts_where_the_census_has_no_area_baseline(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "map")
    shown = map_table(at, "Contacts: Eastern European residents", "All contacts")
    # Eastern European contacts by ward: Abbey Hill 4 + 12 (LSOA 007B) + 5 (ward only) = 21
    # of 4 + 12 + 20 + 4 + 5 = 45 recorded; Larwood 2 of 30 + 2 + 10 = 42 recorded, 48 in all.
    assert shown.loc["Abbey Hill", "Contacts: Eastern European residents"] == "21"
    assert shown.loc["Abbey Hill", "Contacts recording who was involved"] == "45"
    assert shown.loc["Larwood", "Contacts: Eastern European residents"] == "2"
    assert shown.loc["Larwood", "All contacts"] == "48"
    # The 3 with no area are counted and said to be off the map.
    assert (
        shown.loc["Not on the map: no area recorded", "Contacts: Eastern European residents"] == "3"
    )
    assert [i.value for i in at.info] == [
        "No rate per 1,000 for wards: this build's census reference data has Eastern European "
        "residents (born in an EU8 or EU2 country) for the whole district only (ONS publishes "
        "small-area tables too; the Methods page says how to add them), so the map shows the "
        "number of records instead. Counts follow where people live and how many live there; "
        "compare areas with the ratio instead."
    ]
    assert (
        "Not on the map (contacts with Eastern European residents that cannot be placed in a "
        "ward): 3 with no area recorded. Click an area to filter every page to it; clear it "
        "under Area in the sidebar."
    ) in [c.value for c in at.caption]


def test_map_ratio_after_changing_the_measure(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "map")
    at.segmented_control(key="measure").set_value("ratio").run()
    assert not at.exception
    shown = map_table(at, "Ratio (95% CI)")
    # Abbey Hill: 21 / 45 = 0.4667 against the district share 2,885 / 126,300 = 0.022842:
    # ratio 20.43. Wilson 95% for 21/45: (2*21 + z^2 -/+ z*sqrt(z^2 + 4*21*(1 - 21/45)))
    # / (2*(45 + z^2)) = 0.32935 to 0.60923, over 0.022842 = 14.42 to 26.67.
    assert shown.loc["Abbey Hill", "Ratio (95% CI)"] == "20.43 (14.42 to 26.67)"
    assert shown.loc["Abbey Hill", "Population share compared with"] == "2.3%"
    # Read after allowing for both wards (Benjamini-Hochberg): Abbey Hill's score test
    # p is far below 0.05 / 2.
    reading = "Reading, after allowing for 2 areas"
    assert shown.loc["Abbey Hill", reading] == "over-represented"
    # Larwood: 2 / 42 / 0.022842 = 2.08 (Wilson 0.0132 to 0.1579 -> 0.58 to 6.91), too few.
    assert shown.loc["Larwood", "Ratio (95% CI)"] == "2.08 (0.58 to 6.91)"
    assert shown.loc["Larwood", reading] == "too few to say"
    assert (
        "Representation read after allowing for 2 wards, at a false discovery rate of 5%: "
        "over-represented: Abbey Hill; under-represented: none."
    ) in texts(at)
    assert [i.value for i in at.info] == [
        "Proxy: each area's share of contacts involving Eastern European residents (born in "
        "an EU8 or EU2 country) is compared with their share of the whole district's "
        "population, because this build's census reference data has them for the district "
        "only. It assumes every area has the district's mix of residents, which is not true "
        "everywhere."
    ]


def test_map_link_opens_lsoa_rates_for_all_residents(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "map", geo="LSOA", focus="All residents")
    assert at.segmented_control(key="geo").value == "lsoa"
    shown = map_table(at, "Per 1,000 a year (95% CI)")
    # Ashfield 007B: 4 + 12 + 20 + 4 = 40 contacts over 1,623 residents = 24.6457 per 1,000
    # over the period, 15 Jan to 2 Jun 2021 = 17 + 28 + 31 + 30 + 31 + 2 = 139 days; a year:
    # x 365.25 / 139 = 64.76. Byar's 95%: 40 (1 - 1/360 - z/(3 sqrt 40))^3 = 28.57 and
    # 41 (1 - 1/369 + z/(3 sqrt 41))^3 = 54.47, per 1,623 residents x 365.25 / 139 = 46.3 to 88.2.
    assert shown.loc["Ashfield 007B", "Per 1,000 a year (95% CI)"] == "64.8 (46.3 to 88.2)"
    assert "the records over the 139 days from 15 Jan 2021 to 2 Jun 2021" in "\n".join(
        c.value for c in at.caption
    )
    assert shown.loc["Ashfield 007B", "Residents (Census 2021 baseline)"] == "1,623"
    # The 5 ward-only contacts cannot be placed in an LSOA: said so, not spread.
    assert shown.loc["Not on the map: recorded at ward level only", "All contacts"] == "5"
    spec = chart(at, "area_map")
    style = spec["layout"]["map"]["style"]
    assert "glyphs" not in style and "http" not in json.dumps(style)
    assert {t["type"] for t in spec["data"]} == {"choroplethmap", "scattermap"}


def test_map_follows_the_sidebar_filter(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "map", focus="Armed forces veterans")
    shown = map_table(at, "Contacts: Armed-forces veterans", "All contacts")
    assert shown.loc["Larwood", "Contacts: Armed-forces veterans"] == "10"
    assert shown.loc["Larwood", "All contacts"] == "48"
    at.sidebar.multiselect(key="channel").select("phone").run()
    shown = map_table(at, "Contacts: Armed-forces veterans", "All contacts")
    # Only the 10 phone contacts are left, all with veterans; Abbey Hill has none.
    assert shown.loc["Larwood", "All contacts"] == "10"
    assert shown.loc["Abbey Hill", "All contacts"] == "0"


# ------------------------------------------------------------------------------ trends


def test_trends_before_and_after_the_launch(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "trends")
    lines = texts(at).splitlines()
    # Contacts run from 10 Feb to 20 May 2021: 61 days before the launch (12 Apr), 39 from it.
    # Eastern European: 4 before, 12 + 5 + 3 + 2 = 22 after. A month (30.4375 days):
    # 4/61 = 2.0, 22/39 = 17.2. Rate ratio (22/39)/(4/61) = 8.60; with 4 before (under 10)
    # the exact interval: Clopper-Pearson for 22 of 26, Beta(0.025; 22, 5) = 0.65132 and
    # Beta(0.975; 23, 4) = 0.95644, as odds x 61/39: 2.92 to 34.34.
    table = table_with(at, "Community", "Channel", "Reading")
    ee = table[(table["Community"] == "Eastern European residents")].iloc[0]
    assert (ee["A month before"], ee["A month after"]) == ("2.0", "17.2")
    assert ee["Rate ratio after/before (95% CI)"] == "8.60 (2.92 to 34.34)"
    assert ee["Interval"] == "exact (conditional binomial)"
    phone = table[(table["Community"] == "Armed-forces veterans") & (table["Channel"] == "Phone")]
    assert phone["Reading"].tolist() == ["cannot be calculated: none before the launch"]
    # The before/after sentence gave way to the interrupted time series, which needs 6
    # months before the launch month (the period starts in January: 3).
    assert not any("times as many" in line for line in lines)
    assert any(
        "Eastern European residents: the interrupted time series cannot be estimated: fewer "
        "than 6 months before the launch month." in line
        for line in lines
    )
    # The recent-trend test of the latest five months gave way to the SPC reading.
    assert not any("trend cannot be calculated" in line for line in lines)
    assert any("Unusual months (statistical process control" in line for line in lines)


def test_trends_switch_to_reports_changes_the_numbers(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "trends")
    at.segmented_control(key="records").set_value("reports").run()
    assert not at.exception
    table = table_with(at, "Community", "Channel", "Before the launch", "After")
    table = table.set_index("Community")
    # Reports run from 15 Jan to 2 Jun: Eastern European 0 before, 3 after.
    assert table.loc["Eastern European residents", "Before the launch"] == "0"
    assert table.loc["Eastern European residents", "After"] == "3"
    assert table.loc["LGBTQ+ residents", "Before the launch"] == "10"
    assert table.loc["All residents", "After"] == "48"


def test_trends_link_opens_monthly_rates(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "trends", scale="Per 1,000")
    assert at.segmented_control(key="scale").value == "rate"
    monthly = table_with(at, "Month", "Community", "Count", "Per 1,000 a month (95% CI)")
    may = monthly[(monthly["Month"] == "May 2021")].set_index("Community")
    # May 2021: 12 + 5 + 3 + 2 = 22 Eastern European contacts / 2,885 residents = 7.6 per
    # 1,000; Byar's 95% for 22 (13.79 to 33.31) / 2,885 = 4.8 to 11.5.
    assert may.loc["Eastern European residents", "Count"] == "22"
    assert may.loc["Eastern European residents", "Per 1,000 a month (95% CI)"] == (
        "7.6 (4.8 to 11.5)"
    )
    assert (
        chart(at, "trend_chart")["layout"]["title"]["text"]
        == "Contacts per 1,000 residents a month, by community"
    )


# ------------------------------------------------------------------------------ representation


def test_representation_ratios_and_census_band(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "representation")
    forest = table_with(at, "Community", "Contact ratio (95% CI)", "Contact ratio then")
    forest = forest.set_index("Community")
    # 90 contacts record who was involved (96 minus 6 not recorded); Eastern European
    # 4 + 12 + 5 + 3 + 2 = 26: 26/90 / (2,885/126,300) = 12.65. Wilson 95% for 26/90:
    # 0.20542 to 0.38964, over 0.022842 = 8.99 to 17.06.
    assert forest.loc["Eastern European", "Contact ratio (95% CI)"] == "12.65 (8.99 to 17.06)"
    # LGBTQ+: 4/90 = 4.4% against 2,871/102,851 = 2.79%: ratio 1.59; if all 8,351 census
    # non-respondents were LGBTQ+ the share would be 11,222/102,851 = 10.9%, ratio
    # 0.0444/0.1091 = 0.41.
    lgbtq = forest.loc["LGBTQ+"]
    assert lgbtq["Share if all of them were in the community"] == "10.9%"
    assert lgbtq["Contact ratio then"] == "0.41"
    assert lgbtq["Census non-respondents"] == "8,351"
    # Reports: 10 of the 108 that record the victim's community, 9.26%: ratio 3.32 against
    # 2.79%, 0.0926/0.1091 = 0.85 against 10.9%.
    assert (
        "- Census non-response: 8,351 adults answered neither way; if every one were in the "
        "community, LGBTQ+ residents would be 10.9% of adults rather than 2.8%, and the contact "
        "ratio 0.41 rather than 1.59 and the report ratio 0.85 rather than 3.32. "
        # Issue 11: the central case, 2,871 of 94,500 answering adults = 3.04%: contacts
        # 0.0444/0.03038 = 1.46, reports 0.0926/0.03038 = 3.05; the ONS quality notes cited.
        "Central case, if the non-respondents were like those who answered: 3.04% of adults: "
        "the contact ratio 1.46 and the report ratio 3.05. Source: ONS, Sexual orientation and "
        "gender identity quality information for Census 2021 (the gender identity estimates "
        "are official statistics in development)."
    ) in texts(at).splitlines()


def test_representation_reporting_gap_with_a_risk_factor_from_the_link(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "representation")
    gap = gap_table(at)
    # 108 reports record the victim's community. LGBTQ+ expected: 108 x 2,871/102,851 = 3.0;
    # observed 10: 7.0 more; ratio (10/108)/0.027914 = 3.32, Wilson 1.83 to 5.81.
    assert gap.loc["LGBTQ+", "Expected"] == "3.0"
    assert gap.loc["LGBTQ+", "Difference"] == "7.0 more"
    assert gap.loc["LGBTQ+", "Observed / expected (95% CI)"] == "3.32 (1.83 to 5.81)"
    at = open_page(explore_db, monkeypatch, "representation", rr="2.0")
    assert at.slider(key="rr").value == 2.0
    gap = gap_table(at)
    # Twice the risk: expected 6.0, ratio 3.32 / 2 = 1.66 (0.91 to 2.90), an interval that
    # includes 1 (10 reports: enough to say).
    assert gap.loc["LGBTQ+", "Expected"] == "6.0"
    assert gap.loc["LGBTQ+", "Observed / expected (95% CI)"] == "1.66 (0.91 to 2.90)"
    assert gap.loc["LGBTQ+", "Reading"] == "about as many as expected"


def test_representation_funnel_places_the_wards(explore_db, monkeypatch):
    # Unadjusted limits (the default widens them: see the next test).
    at = open_page(explore_db, monkeypatch, "representation", limits="none")
    funnel = table_with(at, "Area", "Funnel position").set_index("Area")
    # Only the two wards with recorded contacts are placed. Overall 23/87 = 0.2644.
    # Abbey Hill 21/45 = 0.467: 95% upper limit 0.2644 + 1.96 sqrt(0.2644 x 0.7356/45) = 0.393,
    # 99.8% 0.468, so above the 95% limit only. Larwood 2/42 = 0.048: below the 99.8% lower
    # limit 0.2644 - 3.09 sqrt(0.2644 x 0.7356/42) = 0.054.
    assert list(funnel.index) == ["Abbey Hill", "Larwood"]
    assert funnel.loc["Abbey Hill", "Funnel position"] == "above 95% limit"
    assert funnel.loc["Larwood", "Funnel position"] == "below 99.8% limit"
    assert funnel.loc["Abbey Hill", "All areas"] == "26.4%"


def test_representation_funnel_widens_its_limits_and_allows_for_every_area(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "representation")
    assert at.segmented_control(key="limits").value == "additive"
    # Abbey Hill 21/45 and Larwood 2/42 against 23/87 = 0.26437: z = 3.0773 and -3.1853,
    # winsorised (two areas) to 2.4510 and -2.5590: phi = (6.0075 + 6.5486)/2 = 6.28,
    # k phi = 12.6 > 3.84 (chi-square 95%, df = 1). tau2 = 11.556 / (447.35 - 100179/447.35)
    # = 0.0517, a standard deviation of 22.7 percentage points.
    text = texts(at)
    assert (
        "The wards vary more than chance allows (overdispersion φ = 6.28; k·φ = 12.6 against "
        "3.84, the 95% point of chi-square (df = 1)), so the limits are widened: additive "
        "(random effects), between-area variance τ² = 0.0517, a standard deviation of 22.7 "
        "percentage points."
    ) in text
    # With the extra spread neither ward is flagged: z = 0.2023/0.2367 = 0.855 (p = 0.393)
    # and -0.913 (p = 0.361); both 0.393 after Benjamini-Hochberg over 2.
    assert (
        "Flagged after allowing for 2 wards, at a false discovery rate of 5%: higher than all "
        "the wards together: none; lower: none."
    ) in text
    funnel = table_with(at, "Area", "Funnel position").set_index("Area")
    assert funnel["Funnel position"].tolist() == ["within limits", "within limits"]
    header = "Compared with all areas shown, after allowing for 2 areas (false discovery rate 5%)"
    assert funnel[header].tolist() == ["no clear difference"] * 2
    names = {t["name"] for t in chart(at, "funnel_chart")["data"]}
    assert "95% limits (Additive (random effects))" in names
    # The reporting gap by area says what it allowed for too.
    assert "By area, read after allowing for 2 wards, at a false discovery rate of 5%" in text


def test_public_audience_hides_small_numbers_on_every_explore_page(explore_db, monkeypatch):
    # Issue 16: the public sees published views. The records run from 15 January to 2 June
    # 2021, so the one whole quarter they cover is Q1 2021; areas are MSOAs; counts are
    # rounded to the nearest 5 and 1 to 9 are withheld ("<10").
    at = open_page(explore_db, monkeypatch, "map", audience="Public meeting")
    assert at.selectbox(key="public_period").options == ["Q1 2021: Jan 2021 to Mar 2021"]
    assert [b.options for b in at.button_group if b.key == "geo"] == [["MSOA"]]
    shown = map_table(at, "Contacts: Eastern European residents", "All contacts")
    # The 4 Eastern European contacts of February in 007B: its MSOA, Ashfield 007, "<10";
    # Larwood's 36 contacts of February (009D, in Ashfield 009) are published as 35.
    assert shown.loc["Ashfield 007", "Contacts: Eastern European residents"] == "<10"
    assert shown.loc["Ashfield 009", "All contacts"] == "35"
    at.switch_page("pages/representation.py").run()
    assert not at.exception
    gap = gap_table(at)
    # No Eastern European report in Q1 (their 3 are of 2 June): a true zero stays 0, and
    # no ratio on it. LGBTQ+'s 10 reports of 15 January are published as 10: a ratio.
    assert gap.loc["Eastern European", "Crime reports: observed"] == "0"
    assert gap.loc["Eastern European", "Observed / expected (95% CI)"] == "too few to say"
    assert gap.loc["LGBTQ+", "Crime reports: observed"] == "10"
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    # The 4 Eastern European contacts of February: "<10" as a count, and no time series
    # reading on them (the reason it could not be fitted is not given either).
    assert (
        "Eastern European residents: the interrupted time series cannot be estimated: too few "
        "to say (fewer than 10 contacts before or after the launch)."
    ) in texts(at)
    its = table_with(at, "Community", "Series", "Contacts before")
    its = its.set_index(["Community", "Series"])
    assert its.loc[("Eastern European residents", "On its own"), "Contacts before"] == "<10"
    monthly = table_with(at, "Month", "Community", "Count").set_index(["Community", "Month"])
    assert monthly.loc[("Eastern European residents", "Feb 2021"), "Count"] == "<10"


def test_trends_page_reads_the_launch_as_an_interrupted_time_series(demo_db_path, monkeypatch):
    # The demonstration data: April 2020 to March 2022, the launch on 12 April 2021.
    at = open_page(demo_db_path, monkeypatch, "trends")
    text = texts(at)
    con = duckdb.connect(str(demo_db_path), read_only=True)
    try:
        status = run_query(con, "data_status").iloc[0]
        period = Filters(start=status["first_date"], end=status["last_date"])
        raw = run_query(con, "trend_monthly", **period.params())
    finally:
        con.close()
    communities = registry.codes()
    readings, lines = trends.interrupted(raw, "contacts", communities, pd.Timestamp("2021-04-12"))
    # Every community is read on its own and against all residents' contacts, in the words
    # the logic gives (tests/test_trends.py checks those against stats.interrupted_time_series).
    shown = apply_disclosure(readings, trends.ITS_SPEC, "inspector")
    for sentence in trends.its_sentences(shown, "contacts"):
        assert sentence in text
    first = registry.ordered(communities)[0]
    row = readings[(readings["community"] == first) & (readings["model"] == "alone")].iloc[0]
    assert row["status"] == "estimated" and (row["months_before"], row["months_after"]) == (12, 12)
    assert (
        f"{text_of(first)}: in the launch month (Apr 2021) contacts were {row['level']:.2f} times "
        "what the earlier trend projected"
    ) in text
    assert "times as many" not in text  # the before/after sentence is gone
    # The chart: one counterfactual line a panel, the first panel's being the model's.
    drawn = chart(at, "trend_chart")
    name = "Earlier trend, projected past the launch (interrupted time series)"
    projected = [t for t in drawn["data"] if t.get("name") == name]
    assert len(projected) == len(communities) + 1
    expected = lines.loc[lines["community"] == first, "counterfactual"].tolist()
    assert plotted(projected[0]["y"]) == pytest.approx(expected)
    # SPC: the mean, the limits and a sentence per community.
    assert {"SPC mean", "SPC process limits"} <= {t.get("name") for t in drawn["data"]}
    assert "Unusual months (statistical process control: an XmR chart" in text
    # The table behind the reading.
    its = table_with(at, "Community", "Series", "Contacts before")
    assert set(its["Series"]) == {"On its own", "Relative to all residents"}
