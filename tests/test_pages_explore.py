"""The exploring pages (engagement map, trends, under-representation) under AppTest, on a
small database built here with hand-made rows, so every number shown is known exactly.

The fixture (areas are real Ashfield codes):
  Abbey Hill ward (E05010673), its LSOA Ashfield 007B (E01027951, 1,623 residents):
    contacts 2021-02-10: 4 Eastern European
    contacts 2021-05-14: 12 Eastern European, 20 none, 4 LGBTQ+
    contacts 2021-05-14 recorded at ward level only: 5 Eastern European
    reports 2021-01-15: 10 LGBTQ+; 2021-06-02: 3 Eastern European, 40 none
  Larwood ward (E05010686), its LSOA Ashfield 009D (E01027957, 1,310 residents):
    contacts 2021-02-10: 30 none, 6 not recorded
    contacts 2021-05-20: 2 Eastern European; 10 veterans by phone
    reports 2021-01-15: 50 none; 2021-06-02: 5 veterans
  No area: contacts 2021-05-14: 3 Eastern European
  Campaign launch: 2021-04-12.
The period therefore defaults to 15 Jan 2021 to 2 Jun 2021.
"""

from __future__ import annotations

import base64
import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from hidden_communities import registry, trends
from hidden_communities.disclosure import apply_disclosure
from hidden_communities.filters import Filters
from hidden_communities.text import people as text_of
from queries import run_query
from tests.conftest import PROJECT_ROOT, empty_database, load_frame

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
ABBEY_HILL, LARWOOD = "E05010673", "E05010686"
ABBEY_007B, LARWOOD_009D = "E01027951", "E01027957"

CONTACT_COLUMNS = [
    "contact_date",
    "area",
    "team",
    "communities",
    "channel",
    "direction",
    "place_type",
    "people_reached",
    "language",
    "topics",
    "follow_up_needed",
    "note",
]
REPORT_COLUMNS = [
    "reference",
    "reported_on",
    "occurred_on",
    "area",
    "team",
    "crime_type",
    "hate_strands",
    "victim_communities",
    "outcome",
]


def _contacts(spec) -> pd.DataFrame:
    """(date, area, communities, channel, how many) -> distinct contact rows."""
    rows, n = [], 0
    for day, area, communities, channel, times in spec:
        for _ in range(times):
            n += 1
            place = "phone" if channel == "phone" else "community_venue"
            rows.append(
                [
                    day,
                    area,
                    "",
                    communities,
                    channel,
                    "proactive",
                    place,
                    str(n),
                    "english",
                    "",
                    "no",
                    "",
                ]
            )
    return pd.DataFrame(rows, columns=CONTACT_COLUMNS)


def _reports(spec) -> pd.DataFrame:
    rows, n = [], 0
    for day, area, communities, times in spec:
        for _ in range(times):
            n += 1
            rows.append(
                [
                    f"21/{n:06d}",
                    day,
                    "",
                    area,
                    "",
                    "public_order",
                    "",
                    communities,
                    "under_investigation",
                ]
            )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


@pytest.fixture(scope="module")
def explore_db(tmp_path_factory, reference):
    path = tmp_path_factory.mktemp("explore") / "explore.duckdb"
    con = empty_database(path, reference)
    areas = reference["areas"]
    load_frame(
        con,
        _contacts(
            [
                ("2021-02-10", ABBEY_007B, "eastern_european", "face_to_face", 4),
                ("2021-05-14", ABBEY_007B, "eastern_european", "face_to_face", 12),
                ("2021-05-14", ABBEY_007B, "none", "face_to_face", 20),
                ("2021-05-14", ABBEY_007B, "lgbtq", "face_to_face", 4),
                ("2021-05-14", ABBEY_HILL, "eastern_european", "face_to_face", 5),
                ("2021-02-10", LARWOOD_009D, "none", "face_to_face", 30),
                ("2021-02-10", LARWOOD_009D, "not_recorded", "face_to_face", 6),
                ("2021-05-20", LARWOOD_009D, "eastern_european", "face_to_face", 2),
                ("2021-05-20", LARWOOD_009D, "armed_forces", "phone", 10),
                ("2021-05-14", "", "eastern_european", "face_to_face", 3),
            ]
        ),
        "contacts",
        areas,
        "contacts.csv",
    )
    load_frame(
        con,
        _reports(
            [
                ("2021-01-15", ABBEY_007B, "lgbtq", 10),
                ("2021-06-02", ABBEY_007B, "eastern_european", 3),
                ("2021-06-02", ABBEY_007B, "none", 40),
                ("2021-01-15", LARWOOD_009D, "none", 50),
                ("2021-06-02", LARWOOD_009D, "armed_forces", 5),
            ]
        ),
        "reports",
        areas,
        "reports.csv",
    )
    con.execute(
        "INSERT INTO campaign_events VALUES (DATE '2021-04-12', 'launch', "
        "'Campaign launched', NULL, ['eastern_european', 'armed_forces', 'lgbtq'], NULL)"
    )
    con.close()
    return path


def open_page(db, monkeypatch, page: str, **query) -> AppTest:
    """Run the dashboard (with the query string), switch to the page, run it."""
    monkeypatch.setenv("HC_DB_PATH", str(db))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.set_index(column)


def charts(at: AppTest) -> list[dict]:
    return [
        json.loads(el.proto.spec) for el in at.main if getattr(el, "type", "") == "plotly_chart"
    ]


def plotted(values) -> list[float]:
    """A chart's values from its JSON (plotly writes numeric arrays as base64)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return list(values)


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [m.value for m in at.info])


# ------------------------------------------------------------------------------ map


def test_map_shows_counts_where_the_census_has_no_area_baseline(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/map.py")
    shown = by(at.dataframe[0].value, "Area")
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
    assert "for the whole district only" in texts(at)
    assert "3 with no area recorded" in " ".join(c.value for c in at.caption)


def test_map_ratio_after_changing_the_measure(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/map.py")
    at.segmented_control(key="measure").set_value("ratio").run()
    assert not at.exception
    shown = by(at.dataframe[0].value, "Area")
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
    assert "Proxy" in texts(at)
    assert (
        "Representation read after allowing for 2 wards, at a false discovery rate of 5%: "
        "over-represented: Abbey Hill; under-represented: none."
    ) in texts(at)


def test_map_link_opens_lsoa_rates_for_all_residents(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/map.py", geo="LSOA", focus="All residents")
    assert at.segmented_control(key="geo").value == "lsoa"
    shown = by(at.dataframe[0].value, "Area")
    # Ashfield 007B: 4 + 12 + 20 + 4 = 40 contacts over 1,623 residents = 24.6 per 1,000;
    # Byar's 95%: 40 (1 - 1/360 - z/(3 sqrt 40))^3 = 28.57 and 41 (1 - 1/369 + z/(3 sqrt 41))^3
    # = 54.47, per 1,623 residents = 17.6 to 33.6 per 1,000.
    assert shown.loc["Ashfield 007B", "Per 1,000 (95% CI)"] == "24.6 (17.6 to 33.6)"
    assert shown.loc["Ashfield 007B", "Residents (Census 2021 baseline)"] == "1,623"
    # The 5 ward-only contacts cannot be placed in an LSOA: said so, not spread.
    assert shown.loc["Not on the map: recorded at ward level only", "All contacts"] == "5"
    spec = charts(at)[0]
    style = spec["layout"]["map"]["style"]
    assert "glyphs" not in style and "http" not in json.dumps(style)
    assert {t["type"] for t in spec["data"]} == {"choroplethmap", "scattermap"}


def test_map_follows_the_sidebar_filter(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/map.py", focus="Armed forces veterans")
    shown = by(at.dataframe[0].value, "Area")
    assert shown.loc["Larwood", "Contacts: Armed-forces veterans"] == "10"
    assert shown.loc["Larwood", "All contacts"] == "48"
    at.sidebar.multiselect(key="channel").select("phone").run()
    shown = by(at.dataframe[0].value, "Area")
    # Only the 10 phone contacts are left, all with veterans; Abbey Hill has none.
    assert shown.loc["Larwood", "All contacts"] == "10"
    assert shown.loc["Abbey Hill", "All contacts"] == "0"


# ------------------------------------------------------------------------------ trends


def test_trends_before_and_after_the_launch(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/trends.py")
    text = texts(at)
    # Contacts run from 10 Feb to 20 May 2021: 61 days before the launch (12 Apr), 39 from it.
    # Eastern European: 4 before, 12 + 5 + 3 + 2 = 22 after. A month (30.4375 days):
    # 4/61 = 2.0, 22/39 = 17.2. Rate ratio (22/39)/(4/61) = 8.60; with 4 before (under 10)
    # the exact interval: Clopper-Pearson for 22 of 26, Beta(0.025; 22, 5) = 0.65132 and
    # Beta(0.975; 23, 4) = 0.95644, as odds x 61/39: 2.92 to 34.34.
    table = at.dataframe[2].value
    ee = table[(table["Community"] == "Eastern European residents")].iloc[0]
    assert (ee["A month before"], ee["A month after"]) == ("2.0", "17.2")
    assert ee["Rate ratio after/before (95% CI)"] == "8.60 (2.92 to 34.34)"
    assert ee["Interval"] == "exact (conditional binomial)"
    phone = table[(table["Community"] == "Armed-forces veterans") & (table["Channel"] == "Phone")]
    assert phone.iloc[0]["Reading"] == "cannot be calculated: none before the launch"
    # The before/after sentence gave way to the interrupted time series, which needs 6
    # months before the launch month (the period starts in January: 3).
    assert "times as many" not in text
    assert (
        "Eastern European residents: the interrupted time series cannot be estimated: fewer "
        "than 6 months before the launch month."
    ) in text
    # The recent-trend test of the latest five months gave way to the SPC reading: four
    # complete months (February to May) for each community.
    assert "trend cannot be calculated" not in text
    assert "Unusual months (statistical process control" in text


def test_trends_switch_to_reports_changes_the_numbers(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/trends.py")
    at.segmented_control(key="records").set_value("reports").run()
    assert not at.exception
    table = at.dataframe[2].value.set_index("Community")
    # Reports run from 15 Jan to 2 Jun: Eastern European 0 before, 3 after.
    assert table.loc["Eastern European residents", "Before the launch"] == "0"
    assert table.loc["Eastern European residents", "After"] == "3"
    assert table.loc["LGBTQ+ residents", "Before the launch"] == "10"
    assert table.loc["All residents", "After"] == "48"


def test_trends_link_opens_monthly_rates(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/trends.py", scale="Per 1,000")
    assert at.segmented_control(key="scale").value == "rate"
    monthly = at.dataframe[0].value
    may = monthly[(monthly["Month"] == "May 2021")].set_index("Community")
    # May 2021: 12 + 5 + 3 + 2 = 22 Eastern European contacts / 2,885 residents = 7.6 per
    # 1,000; Byar's 95% for 22 (13.79 to 33.31) / 2,885 = 4.8 to 11.5.
    assert may.loc["Eastern European residents", "Count"] == "22"
    assert may.loc["Eastern European residents", "Per 1,000 (95% CI)"] == "7.6 (4.8 to 11.5)"
    assert charts(at)[0]["layout"]["title"]["text"] == "Monthly contacts per 1,000, by community"


# ------------------------------------------------------------------------------ representation


def test_representation_ratios_and_census_band(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/representation.py")
    forest = by(at.dataframe[0].value, "Community")
    # 90 contacts record who was involved (96 minus 6 not recorded); Eastern European
    # 4 + 12 + 5 + 3 + 2 = 26: 26/90 / (2,885/126,300) = 12.65.
    assert forest.loc["Eastern European", "Contact ratio (95% CI)"].startswith("12.65 (")
    # LGBTQ+: 4/90 = 4.4% against 2,871/102,851 = 2.79%: ratio 1.59; if all 8,351 census
    # non-respondents were LGBTQ+ the share would be 11,222/102,851 = 10.9%, ratio
    # 0.0444/0.1091 = 0.41.
    lgbtq = forest.loc["LGBTQ+"]
    assert lgbtq["Share if all of them were in the community"] == "10.9%"
    assert lgbtq["Contact ratio then"] == "0.41"
    assert lgbtq["Census non-respondents"] == "8,351"
    assert "8,351 adults answered neither way" in texts(at)


def test_representation_reporting_gap_with_a_risk_factor_from_the_link(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/representation.py")
    gap = by(at.dataframe[2].value, "Community")
    # 108 reports record the victim's community. LGBTQ+ expected: 108 x 2,871/102,851 = 3.0;
    # observed 10: 7.0 more; ratio (10/108)/0.027914 = 3.32, Wilson 1.83 to 5.81.
    assert gap.loc["LGBTQ+", "Expected"] == "3.0"
    assert gap.loc["LGBTQ+", "Difference"] == "7.0 more"
    assert gap.loc["LGBTQ+", "Observed / expected (95% CI)"] == "3.32 (1.83 to 5.81)"
    at = open_page(explore_db, monkeypatch, "pages/representation.py", rr="2.0")
    assert at.slider(key="rr").value == 2.0
    gap = by(at.dataframe[2].value, "Community")
    # Twice the risk: expected 6.0, ratio 3.32 / 2 = 1.66 (0.91 to 2.90), an interval that
    # includes 1 (10 reports: enough to say).
    assert gap.loc["LGBTQ+", "Expected"] == "6.0"
    assert gap.loc["LGBTQ+", "Observed / expected (95% CI)"] == "1.66 (0.91 to 2.90)"
    assert gap.loc["LGBTQ+", "Reading"] == "about as many as expected"


def test_representation_funnel_places_the_wards(explore_db, monkeypatch):
    # Unadjusted limits (the default widens them: see the next test).
    at = open_page(explore_db, monkeypatch, "pages/representation.py", limits="none")
    funnel = by(at.dataframe[1].value, "Area")
    # Only the two wards with recorded contacts are placed. Overall 23/87 = 0.2644.
    # Abbey Hill 21/45 = 0.467: 95% upper limit 0.2644 + 1.96 sqrt(0.2644 x 0.7356/45) = 0.393,
    # 99.8% 0.468, so above the 95% limit only. Larwood 2/42 = 0.048: below the 99.8% lower
    # limit 0.2644 - 3.09 sqrt(0.2644 x 0.7356/42) = 0.054.
    assert list(funnel.index) == ["Abbey Hill", "Larwood"]
    assert funnel.loc["Abbey Hill", "Funnel position"] == "above 95% limit"
    assert funnel.loc["Larwood", "Funnel position"] == "below 99.8% limit"
    assert funnel.loc["Abbey Hill", "All areas"] == "26.4%"


def test_representation_funnel_widens_its_limits_and_allows_for_every_area(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/representation.py")
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
    funnel = by(at.dataframe[1].value, "Area")
    assert funnel["Funnel position"].tolist() == ["within limits", "within limits"]
    header = "Compared with all areas shown, after allowing for 2 areas (false discovery rate 5%)"
    assert funnel[header].tolist() == ["no clear difference"] * 2
    names = {t["name"] for t in charts(at)[1]["data"]}
    assert "95% limits (Additive (random effects))" in names
    # The reporting gap by area says what it allowed for too.
    assert "By area, read after allowing for 2 wards, at a false discovery rate of 5%" in text


def test_public_audience_hides_small_numbers_on_every_explore_page(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "pages/map.py", audience="Public meeting")
    shown = by(at.dataframe[0].value, "Area")
    assert shown.loc["Larwood", "Contacts: Eastern European residents"] == "<5"
    at.switch_page("pages/representation.py").run()
    assert not at.exception
    gap = by(at.dataframe[2].value, "Community")
    assert gap.loc["Eastern European", "Crime reports: observed"] == "<5"
    assert gap.loc["Eastern European", "Observed / expected (95% CI)"] in (
        "<5",
        "suppressed",
        "too few to say",
    )
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    # 4 Eastern European contacts before the launch month: "<5" as a count, and no time
    # series reading on fewer than 10 (the reason it could not be fitted is not given
    # either: it would say whether the count was zero).
    assert (
        "Eastern European residents: the interrupted time series cannot be estimated: too few "
        "to say (fewer than 10 contacts before or after the launch)."
    ) in texts(at)
    its = at.dataframe[1].value.set_index(["Community", "Series"])
    assert its.loc[("Eastern European residents", "On its own"), "Contacts before"] == "<5"


def test_trends_page_reads_the_launch_as_an_interrupted_time_series(demo_db_path, monkeypatch):
    # The demonstration data: April 2020 to March 2022, the launch on 12 April 2021.
    at = open_page(demo_db_path, monkeypatch, "pages/trends.py")
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
    chart = charts(at)[0]
    name = "Earlier trend, projected past the launch (interrupted time series)"
    projected = [t for t in chart["data"] if t.get("name") == name]
    assert len(projected) == len(communities) + 1
    expected = lines.loc[lines["community"] == first, "counterfactual"].tolist()
    assert plotted(projected[0]["y"]) == pytest.approx(expected)
    # SPC: the mean, the limits and a sentence per community.
    assert {"SPC mean", "SPC process limits"} <= {t.get("name") for t in chart["data"]}
    assert "Unusual months (statistical process control: an XmR chart" in text
    # The table behind the reading.
    its = at.dataframe[1].value
    assert set(its["Series"]) == {"On its own", "Relative to all residents"}
