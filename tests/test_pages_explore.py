"""The exploring pages (engagement map, trends, under-representation) under AppTest, on
the hand-made explore_db (tests/conftest.py), so every number shown is known exactly."""

from __future__ import annotations

import json

from tests.builders import chart, open_page, table_with, texts


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
    assert shown.loc["Abbey Hill", "Reading"] == "over-represented"
    # Larwood: 2 / 42 / 0.022842 = 2.08 (Wilson 0.0132 to 0.1579 -> 0.58 to 6.91), too few.
    assert shown.loc["Larwood", "Ratio (95% CI)"] == "2.08 (0.58 to 6.91)"
    assert shown.loc["Larwood", "Reading"] == "too few to say"
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
    shown = map_table(at, "Per 1,000 (95% CI)")
    # Ashfield 007B: 4 + 12 + 20 + 4 = 40 contacts over 1,623 residents = 24.6 per 1,000;
    # Byar's 95%: 40 (1 - 1/360 - z/(3 sqrt 40))^3 = 28.57 and 41 (1 - 1/369 + z/(3 sqrt 41))^3
    # = 54.47, per 1,623 residents = 17.6 to 33.6 per 1,000.
    assert shown.loc["Ashfield 007B", "Per 1,000 (95% CI)"] == "24.6 (17.6 to 33.6)"
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
    # 4/61 = 2.0, 22/39 = 17.2. Rate ratio (22/39)/(4/61) = 8.60; Katz 95%:
    # exp(ln 8.6026 -/+ 1.96 sqrt(1/22 + 1/4)) = 2.96 to 24.96.
    assert (
        "- Contacts with Eastern European residents: 2.0 a month before the launch on "
        "12 Apr 2021 and 17.2 a month after: 8.60 times as many (95% CI 2.96 to 24.96), "
        "more after the launch."
    ) in lines
    table = table_with(at, "Community", "Channel", "Reading")
    phone = table[(table["Community"] == "Armed-forces veterans") & (table["Channel"] == "Phone")]
    assert phone["Reading"].tolist() == ["cannot be calculated: none before the launch"]
    # The latest five months (Feb to Jun) include March, April and June, with no contacts at
    # all: no community's trend can be calculated.
    for people in ("Eastern European residents", "Armed-forces veterans", "LGBTQ+ residents"):
        assert (
            f"– {people}: trend cannot be calculated (it needs five months, each with contacts "
            "that record who was involved)."
        ) in lines


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
    monthly = table_with(at, "Month", "Community", "Count", "Per 1,000 (95% CI)")
    may = monthly[(monthly["Month"] == "May 2021")].set_index("Community")
    # May 2021: 12 + 5 + 3 + 2 = 22 Eastern European contacts / 2,885 residents = 7.6 per
    # 1,000; Byar's 95% for 22 (13.79 to 33.31) / 2,885 = 4.8 to 11.5.
    assert may.loc["Eastern European residents", "Count"] == "22"
    assert may.loc["Eastern European residents", "Per 1,000 (95% CI)"] == "7.6 (4.8 to 11.5)"
    assert (
        chart(at, "trend_chart")["layout"]["title"]["text"]
        == "Monthly contacts per 1,000, by community"
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
        "ratio 0.41 rather than 1.59 and the report ratio 0.85 rather than 3.32."
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
    at = open_page(explore_db, monkeypatch, "representation")
    funnel = table_with(at, "Area", "Funnel position").set_index("Area")
    # Only the two wards with recorded contacts are placed. Overall 23/87 = 0.2644.
    # Abbey Hill 21/45 = 0.467: 95% upper limit 0.2644 + 1.96 sqrt(0.2644 x 0.7356/45) = 0.393,
    # 99.8% 0.468, so above the 95% limit only. Larwood 2/42 = 0.048: below the 99.8% lower
    # limit 0.2644 - 3.09 sqrt(0.2644 x 0.7356/42) = 0.054.
    assert list(funnel.index) == ["Abbey Hill", "Larwood"]
    assert funnel.loc["Abbey Hill", "Funnel position"] == "above 95% limit"
    assert funnel.loc["Larwood", "Funnel position"] == "below 99.8% limit"
    assert funnel.loc["Abbey Hill", "All areas"] == "26.4%"


def test_public_audience_hides_small_numbers_on_every_explore_page(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "map", audience="Public meeting")
    shown = map_table(at, "Contacts: Eastern European residents")
    assert shown.loc["Larwood", "Contacts: Eastern European residents"] == "<5"
    at.switch_page("pages/representation.py").run()
    assert not at.exception
    gap = gap_table(at)
    assert gap.loc["Eastern European", "Crime reports: observed"] == "<5"
    # 3 reports: the count is "<5" and a ratio on fewer than 10 is "too few to say".
    assert gap.loc["Eastern European", "Observed / expected (95% CI)"] == "too few to say"
