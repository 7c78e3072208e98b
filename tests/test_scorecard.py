"""The leadership scorecard, its targets file and the one-page briefing.

The fixture database is built to hit every reading: green, amber, red, red-red (against a
target and against all residents) and too few to say. Census shares (Ashfield): Eastern
European 2,885 / 126,300 = 2.2842% of residents; veterans 4,325 / 102,846 = 4.2053% of
adults; LGBTQ+ 2,871 / 102,851 = 2.7914% of adults.

This period is 2021Q2..2022Q1, the previous one (and a year earlier) 2020Q2..2021Q1.
Contacts saying who was involved: 1,000 in each period (and 100 more each that do not say);
crime reports saying who the victim was: 2,000 in each period.
"""

from __future__ import annotations

import contextlib
import math
import re
import shutil
import subprocess
import sys
import zlib
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from hidden_communities import (
    briefing,
    disclosure,
    findings,
    periods,
    registry,
    scorecard,
    stats,
    targets,
)
from hidden_communities.cli import EXIT_LOADED, EXIT_MISSING_PIECE, EXIT_REJECTED, main
from queries import run_query
from tests.builders import PROJECT_ROOT, empty_database, load_frame

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
PERIOD = periods.parse("2021Q2..2022Q1")

# (community cell, how many) per period.
CONTACTS = {
    # 60 veterans of 1,000 = 6.0%: ratio 1.43 (1.11 to 1.82), green against at least 0.8.
    # 22 Eastern European = 2.2%: ratio 0.96 (0.64 to 1.45), amber against at least 1.0.
    # 5 LGBTQ+: too few to say.
    "now": [
        ("armed_forces", 60),
        ("eastern_european", 22),
        ("lgbtq", 5),
        ("none", 913),
        ("not_recorded", 100),
    ],
    "before": [
        ("armed_forces", 30),
        ("eastern_european", 20),
        ("lgbtq", 5),
        ("none", 945),
        ("not_recorded", 100),
    ],
}
REPORTS = {
    # Eastern European 12 of 2,000 = 0.6%: ratio 0.26 (0.15 to 0.46), red against at least
    # 0.8, down from 40 (2.0%): red-red. Veterans 40 = 2.0%: ratio 0.48 (0.35 to 0.65), red
    # against at least 1.0, unchanged. LGBTQ+ 30 = 1.5%: ratio 0.54, below all residents,
    # down from 60: red-red against all residents, with no target.
    "now": [
        ("eastern_european", 12),
        ("armed_forces", 40),
        ("lgbtq", 30),
        ("none", 1918),
    ],
    "before": [
        ("eastern_european", 40),
        ("armed_forces", 40),
        ("lgbtq", 60),
        ("none", 1860),
    ],
}
DAYS = {"now": "2021-05-14", "before": "2020-05-14"}

TARGETS = """\
# Fixture targets: one for each reading.
[[target]]
community = "armed_forces"
indicator = "contact_ratio"
comparison = "at_least"
value = 0.8
period = "2021-04-01..2022-03-31"
owner = "neighbourhood_inspector"

[[target]]
community = "eastern_european"
indicator = "contact_ratio"
comparison = "at_least"
value = 1.0
period = "2021Q2..2022Q1"
owner = "community_engagement_officer"

[[target]]
community = "lgbtq"
indicator = "contact_ratio"
comparison = "at_least"
value = 0.8
period = "2021..2022"
owner = "community_engagement_officer"

[[target]]
community = "armed_forces"
indicator = "report_ratio"
comparison = "at_least"
value = 1.0
period = "2021Q2..2022Q1"
owner = "district_commander"

[[target]]
community = "eastern_european"
indicator = "report_ratio"
comparison = "at_least"
value = 0.8
period = "2021Q2..2022Q1"
owner = "hate_crime_coordinator"

[[target]]
community = "all_residents"
indicator = "recording_completeness"
comparison = "at_least"
value = 90
period = "2021Q2..2022Q1"
owner = "performance_analyst"

# Not active for 2021Q2..2022Q1: it ended before.
[[target]]
community = "lgbtq"
indicator = "proactive_per_month"
comparison = "at_least"
value = 15
period = "2020Q2..2021Q1"
owner = "community_engagement_officer"
"""


def _contacts(spec, day: str, first: int) -> list[list[str]]:
    rows, n = [], first
    for communities, times in spec:
        for _ in range(times):
            n += 1
            rows.append(
                [day, "E01027925", "Sutton", communities, "face_to_face", "proactive"]
                + ["community_venue", str(n), "english", "", "no", "", "adult"]
            )
    return rows


# The columns of the rows below, in order. Every record is about an adult and every report
# is of victim-based crime, so the scorecard's like-for-like bases count them all.
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
    "age_band",
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
    "age_band",
]


def _reports(spec, day: str, prefix: str) -> list[list[str]]:
    rows, n = [], 0
    for communities, times in spec:
        for _ in range(times):
            n += 1
            rows.append(
                [f"{prefix}/{n:06d}", day, "", "E01027925", "", "burglary", ""]
                + [communities, "under_investigation", "adult"]
            )
    return rows


@pytest.fixture(scope="module")
def card_db(tmp_path_factory, reference):
    path = tmp_path_factory.mktemp("scorecard") / "scorecard.duckdb"
    con = empty_database(path, reference)
    contacts = _contacts(CONTACTS["before"], DAYS["before"], 0) + _contacts(
        CONTACTS["now"], DAYS["now"], 0
    )
    # The records span April 2020 to March 2022, so both periods are covered.
    contacts[-1][0] = "2022-03-31"
    contacts[0][0] = "2020-04-01"
    load_frame(con, pd.DataFrame(contacts, columns=CONTACT_COLUMNS), "contacts", reference["areas"])
    reports = _reports(REPORTS["before"], DAYS["before"], "20") + _reports(
        REPORTS["now"], DAYS["now"], "21"
    )
    load_frame(con, pd.DataFrame(reports, columns=REPORT_COLUMNS), "reports", reference["areas"])
    con.close()
    return path


@pytest.fixture(scope="module")
def fixture_targets():
    return targets.parse_targets(TARGETS)


@pytest.fixture(scope="module")
def query(card_db):
    import duckdb

    def run(name: str, **params):
        con = duckdb.connect(str(card_db), read_only=True)
        try:
            return run_query(con, name, **params)
        finally:
            con.close()

    return run


@pytest.fixture(scope="module")
def card(query, fixture_targets) -> pd.DataFrame:
    return scorecard.build(briefing.counts_for(query, PERIOD), fixture_targets, PERIOD)


def _row(frame: pd.DataFrame, community: str, indicator: str) -> pd.Series:
    rows = frame[(frame["community"] == community) & (frame["indicator"] == indicator)]
    assert len(rows) == 1
    return rows.iloc[0]


# ------------------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2021Q2..2022Q1", date(2021, 4, 1), date(2022, 3, 31)),
        ("2021-04-01..2022-03-31", date(2021, 4, 1), date(2022, 3, 31)),
        ("2021..2022", date(2021, 1, 1), date(2022, 12, 31)),
        ("2021-04..2021-06", date(2021, 4, 1), date(2021, 6, 30)),
        ("2021Q4", date(2021, 10, 1), date(2021, 12, 31)),
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
    ],
)
def test_period_forms(written, start, end):
    assert periods.parse(written) == periods.Period(start, end)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2021-02-30..2021-03-31", "'2021-02-30' is not a date"),
        ("2022Q2..2021Q1", "the period ends (2021-03-31) before it starts (2022-04-01)"),
        (
            "2021Q5",
            "'2021Q5' is not a period: write a quarter (2021Q2), a day (2021-04-01), "
            "a month (2021-04) or a year (2021), or two of them joined by '..'",
        ),
        ("", "the period is empty"),
        ("2021..2022..2023", "'2021..2022..2023' has more than one '..'"),
    ],
)
def test_period_errors_say_what_is_wrong(written, message):
    with pytest.raises(periods.PeriodError) as error:
        periods.parse(written)
    assert str(error.value) == message


def test_previous_and_year_earlier_periods():
    assert PERIOD.previous() == periods.parse("2020Q2..2021Q1")
    assert PERIOD.year_earlier() == periods.parse("2020Q2..2021Q1")
    quarter = periods.parse("2021Q3")
    assert (quarter.previous().code(), quarter.year_earlier().code()) == ("2021Q2", "2020Q3")
    days = periods.parse("2021-04-10..2021-04-19")
    assert days.previous() == periods.parse("2021-03-31..2021-04-09")
    assert periods.parse("2020-02-29").year_earlier() == periods.parse("2019-02-28")
    assert PERIOD.code() == "2021Q2..2022Q1"


def test_the_latest_full_year():
    assert periods.latest_full_year(date(2022, 3, 31)) == PERIOD
    assert periods.latest_full_year(date(2022, 4, 12)) == PERIOD
    assert [p.code() for p in periods.choices(date(2020, 4, 1), date(2022, 3, 31))] == [
        "2021Q2..2022Q1",
        "2020Q2..2021Q1",
        "2022Q1",
        "2021Q4",
        "2021Q3",
        "2021Q2",
    ]


# ------------------------------------------------------------------------------ targets


def test_the_districts_targets_file_is_valid_and_documented():
    found = targets.load_targets()
    assert len(found) >= 3
    assert {t.comparison for t in found} >= {"at_least", "within"}
    documented = (PROJECT_ROOT / "docs" / "targets.md").read_text(encoding="utf-8")
    for field in targets.FIELDS:
        assert f"`{field}`" in documented
    for code in (*targets.COMPARISONS, *targets.OWNER_ROLES):
        assert f"`{code}`" in documented


def _one_target(**changes) -> str:
    fields = {
        "community": '"armed_forces"',
        "indicator": '"contact_ratio"',
        "comparison": '"at_least"',
        "value": "0.8",
        "period": '"2021Q2..2022Q1"',
        "owner": '"neighbourhood_inspector"',
    }
    fields.update(changes)
    lines = "".join(f"{k} = {v}\n" for k, v in fields.items() if v is not None)
    return "# a comment\n\n[[target]]\n" + lines


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"community": '"armed_force"'},
            "targets.toml, line 4: unknown community 'armed_force' (known: eastern_european, "
            "armed_forces, lgbtq, all_residents)",
        ),
        (
            {"indicator": '"contact_rate"'},
            "targets.toml, line 5: unknown indicator 'contact_rate' (known: contact_ratio, "
            "report_ratio, contacts_per_1000, proactive_share, proactive_per_month, "
            "reporting_gap, recording_completeness)",
        ),
        (
            {"period": '"2021-04-01..2022-02-30"'},
            "targets.toml, line 8: '2022-02-30' is not a date",
        ),
        (
            {"period": '"2022-03-31..2021-04-01"'},
            "targets.toml, line 8: the period ends (2021-04-01) before it starts (2022-03-31)",
        ),
        (
            {"comparison": '"above"'},
            "targets.toml, line 6: unknown comparison 'above' (known: at_least, at_most, within)",
        ),
        (
            {"value": '"0.8"'},
            "targets.toml, line 7: the value '0.8' is not a number",
        ),
        (
            {"owner": '"chief"'},
            "targets.toml, line 9: unknown owner role 'chief' (known: district_commander, "
            "neighbourhood_inspector, community_engagement_officer, hate_crime_coordinator, "
            "performance_analyst)",
        ),
        ({"owner": None}, "targets.toml, line 3: the target has no 'owner'"),
        (
            {"indicator": '"contacts_per_1000"', "comparison": '"within"'},
            "targets.toml, line 6: 'within' needs an indicator with an expected value of 1 "
            "(a ratio); 'contacts_per_1000' has none",
        ),
        (
            {"indicator": '"recording_completeness"'},
            "targets.toml, line 4: indicator 'recording_completeness' is for the whole "
            "district: its community is 'all_residents'",
        ),
        (
            {"period": "2021-04-01"},
            "targets.toml, line 8: the period datetime.date(2021, 4, 1) is not text like "
            '"2021Q2..2022Q1"',
        ),
    ],
)
def test_a_bad_target_names_its_line_and_problem(changes, message):
    with pytest.raises(targets.TargetsError) as error:
        targets.parse_targets(_one_target(**changes))
    assert error.value.problems == [message]


def test_a_file_that_is_not_toml_names_the_line():
    with pytest.raises(targets.TargetsError) as error:
        targets.parse_targets("[[target]]\ncommunity = armed_forces\n")
    assert error.value.problems == ["targets.toml, line 2: not valid TOML (Invalid value)"]


def test_every_problem_of_a_file_is_listed_and_none_of_its_targets_is_kept(tmp_path):
    source = _one_target(community='"nobody"') + "\n" + _one_target(period='"2021-13-01"')
    path = tmp_path / "targets.toml"
    path.write_text(source)
    with pytest.raises(targets.TargetsError) as error:
        targets.load_targets(path)
    assert error.value.problems == [
        "targets.toml, line 4: unknown community 'nobody' (known: eastern_european, "
        "armed_forces, lgbtq, all_residents)",
        "targets.toml, line 18: '2021-13-01' is not a date",
    ]


def test_overlapping_targets_for_one_row_are_refused():
    with pytest.raises(targets.TargetsError) as error:
        targets.parse_targets(_one_target() + "\n" + _one_target(period='"2022Q1"'))
    assert error.value.problems == [
        "targets.toml, line 13: this target's period overlaps the one on line 3 for the "
        "same community and indicator"
    ]


def test_a_target_is_active_when_the_period_ends_within_it(fixture_targets):
    live = targets.active(fixture_targets, PERIOD)
    assert [(t.community, t.indicator) for t in live] == [
        ("armed_forces", "contact_ratio"),
        ("eastern_european", "contact_ratio"),
        ("lgbtq", "contact_ratio"),
        ("armed_forces", "report_ratio"),
        ("eastern_european", "report_ratio"),
        ("all_residents", "recording_completeness"),
    ]
    assert targets.active(fixture_targets, periods.parse("2020Q4"))[0].indicator == (
        "proactive_per_month"
    )


# ------------------------------------------------------------------------------ statistics


def test_newcombe_difference_of_proportions_matches_his_example():
    # Newcombe (1998) Table II, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339.
    diff, lower, upper = stats.proportion_difference(56, 70, 48, 80)
    assert round(diff, 4) == 0.2
    assert (round(lower, 4), round(upper, 4)) == (0.0524, 0.3339)


def _target(comparison: str, value: float, indicator: str = "contact_ratio"):
    return targets.Target("armed_forces", indicator, comparison, value, PERIOD, "x", 1)


@pytest.mark.parametrize(
    ("comparison", "value", "interval", "reading"),
    [
        ("at_least", 0.8, (0.81, 0.95), "green"),
        ("at_least", 0.8, (0.8, 0.95), "amber"),
        ("at_least", 0.8, (0.6, 0.79), "red"),
        ("at_most", 0.8, (0.6, 0.79), "green"),
        ("at_most", 0.8, (0.81, 0.95), "red"),
        ("within", 20, (0.85, 1.15), "green"),
        ("within", 20, (0.75, 1.15), "amber"),
        ("within", 20, (0.5, 0.79), "red"),
        ("within", 20, (1.21, 1.5), "red"),
    ],
)
def test_the_colour_against_a_target(comparison, value, interval, reading):
    from hidden_communities import indicator_registry as ir

    m = {"events": 50, "value": sum(interval) / 2, "lower": interval[0], "upper": interval[1]}
    indicator = ir.get("contact_ratio")
    assert scorecard.versus_target(indicator, _target(comparison, value), m) == reading
    assert scorecard.versus_target(indicator, _target(comparison, value), {**m, "events": 9}) == (
        "too_few_to_say"
    )
    assert scorecard.versus_target(indicator, None, m) == "no_target"


# ------------------------------------------------------------------------------ the scorecard


def test_the_fixture_scorecard_colours_and_flags(card):
    readings = {
        (r.community, r.indicator): (r.rag, r.vs_comparator, r.direction, r.flag)
        for r in card.itertuples()
    }
    assert readings[("armed_forces", "contact_ratio")] == ("green", "better", "improving", "")
    assert readings[("eastern_european", "contact_ratio")] == (
        "amber",
        "similar",
        "no_significant_change",
        "",
    )
    assert readings[("lgbtq", "contact_ratio")] == (
        "too_few_to_say",
        "too_few_to_say",
        "too_few_to_say",
        "",
    )
    assert readings[("armed_forces", "report_ratio")] == (
        "red",
        "worse",
        "no_significant_change",
        "",
    )
    assert readings[("eastern_european", "report_ratio")] == (
        "red",
        "worse",
        "worsening",
        "red_red",
    )
    assert readings[("lgbtq", "report_ratio")] == ("no_target", "worse", "worsening", "red_red")
    assert readings[("all_residents", "recording_completeness")] == (
        "green",
        "not_compared",
        "no_significant_change",
        "",
    )
    # Every community has a row for each community indicator; the district one row.
    assert len(card) == 3 * 6 + 1
    # Too few to say is never coloured or flagged.
    few = card[card["events"] < stats.MIN_NUMERATOR]
    assert set(few["rag"]) <= {"too_few_to_say", "no_target"}
    assert set(few["flag"]) == {""}


def test_the_fixture_scorecard_values(card):
    af = _row(card, "armed_forces", "contact_ratio")
    # 60 of 1,000 = 6.0%; Wilson 4.69% to 7.65%; / 4.2053% = 1.43 (1.12 to 1.82).
    assert (af["events"], af["base"]) == (60, 1000)
    assert (round(af["value"], 2), round(af["lower"], 2), round(af["upper"], 2)) == (
        1.43,
        1.12,
        1.82,
    )
    assert (round(af["value_previous"], 2), af["events_year"]) == (0.71, 30)
    ee = _row(card, "eastern_european", "report_ratio")
    assert (ee["events"], ee["events_previous"]) == (12, 40)
    assert round(ee["value"], 2) == 0.26
    # Newcombe: 0.6% - 2.0% = -1.4 points; upper = -0.014 + sqrt(0.004466^2 + 0.005285^2)
    # = -0.00708 (Wilson 12/2,000 up to 1.0466%, 40/2,000 down to 1.4715%); times 1 /
    # 2.2842%: -0.613 and -0.310, so the ratio fell significantly.
    assert (round(ee["change"], 3), round(ee["change_upper"], 3)) == (-0.613, -0.31)
    completeness = _row(card, "all_residents", "recording_completeness")
    # 1,000 + 2,000 saying who was involved of 1,100 + 2,000 records.
    assert (completeness["events"], completeness["base"]) == (3000, 3100)


def test_leadership_rules_show_counts_but_no_ratio_on_fewer_than_ten(card):
    shown = disclosure.apply_disclosure(card, scorecard.SCORECARD_SPEC, "leadership")
    lgbtq = _row(shown, "lgbtq", "contact_ratio")
    assert lgbtq["events"] == 5
    assert all(math.isnan(lgbtq[c]) for c in ("value", "lower", "upper", "value_previous"))
    assert lgbtq["value_note"] == "too_few_to_say"
    table = scorecard.display(shown, PERIOD).set_index(["Community", "Indicator"])
    row = table.loc[("LGBTQ+", "Contact representation ratio")]
    assert (row["Count"], row["This period (95% CI)"], row["Against target"]) == (
        "5",
        "too few to say",
        "too few to say",
    )
    assert table.loc[
        ("Armed forces veterans", "Contact representation ratio"), "Against target"
    ] == ("green")
    assert table.loc[("Eastern European", "Report representation ratio"), "Flag"] == "red-red"


def test_the_fixture_findings(card):
    shown = disclosure.apply_disclosure(card, scorecard.SCORECARD_SPEC, "leadership")
    # Most pressing first: the two red-red rows (against a target, then against all
    # residents only), red, amber, too few to say; at most five, so the greens wait.
    assert findings.findings(shown) == [
        "Reporting by Eastern European residents has fallen on the previous period (rate "
        "ratio 0.3, 95% CI 0.2–0.6) and is still below their share of residents: red against "
        "the target of at least 0.80, and getting significantly worse (red-red).",
        "Report representation ratio for LGBTQ+ residents is significantly worse than for "
        "all residents and getting worse (1.07 (0.84 to 1.38) in the previous period, 0.54 "
        "(0.38 to 0.76) now): red-red.",
        "Reporting by armed-forces veterans has not changed significantly on the previous "
        "period (rate ratio 1.0, 95% CI 0.6–1.6) and is still below their share of adults: "
        "red against the target of at least 1.00.",
        "Contact with Eastern European residents has not changed significantly on the "
        "previous period (rate ratio 1.1, 95% CI 0.6–2.0) and is in line with their share of "
        "residents: amber against the target of at least 1.00.",
        "Contact representation ratio for LGBTQ+ residents: too few contacts (5) to judge "
        "against the target of at least 0.80, so it is not coloured.",
    ]


def test_each_row_links_to_the_page_that_explains_it(card):
    page, params = scorecard.drill_down(
        _row(card, "lgbtq", "proactive_per_month"), PERIOD, "leadership"
    )
    assert page == "monthly-trends"
    assert params == {
        "period": ["2021-04-01", "2022-03-31"],
        "audience": ["leadership"],
        "community": ["lgbtq"],
        "records": ["contacts"],
        "direction": ["proactive"],
    }
    page, params = scorecard.drill_down(_row(card, "armed_forces", "contact_ratio"), PERIOD, "x")
    assert (page, params["focus"], params["records"]) == (
        "under-representation",
        ["armed_forces"],
        ["contacts"],
    )
    page, params = scorecard.drill_down(
        _row(card, "all_residents", "recording_completeness"), PERIOD, "x"
    )
    assert page == "data-quality" and "community" not in params


# ------------------------------------------------------------------------------ the briefing

PDF_TOOLS = shutil.which("pdftotext") and shutil.which("pdfinfo")
needs_pdf_tools = pytest.mark.skipif(not PDF_TOOLS, reason="poppler-utils not installed")


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _pdf_info(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def brief_pdf(card_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("briefing")
    (folder / "targets.toml").write_text(TARGETS)
    out = folder / "briefing.pdf"
    status = main(
        ["briefing", "--period", "2021Q2..2022Q1", "--out", str(out), "--db", str(card_db)]
        + ["--targets", str(folder / "targets.toml")]
    )
    assert status == EXIT_LOADED
    return out


@needs_pdf_tools
def test_the_briefing_is_one_a4_page_naming_every_community_and_target(
    brief_pdf, fixture_targets, card
):
    info = _pdf_info(brief_pdf)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert "595.276 x 841.89 pts (A4)" in info
    words = _pdf_text(brief_pdf)
    for name in ("Eastern European", "Armed forces veterans", "LGBTQ+", "All residents"):
        assert name in words
    shown = disclosure.apply_disclosure(card, scorecard.SCORECARD_SPEC, "leadership")
    colours = {}
    for target in targets.active(fixture_targets, PERIOD):
        colour = scorecard.rag_of(shown, target)
        colours[target.indicator + target.community] = colour
        assert f"{scorecard.active_target_sentence(target)}: {colour}" in words
    assert sorted(colours.values()) == [
        "amber",
        "green",
        "green",
        "red",
        "red",
        "too few to say",
    ]
    # The inactive target is not listed.
    assert "proactive contacts a month at least 15" not in words
    for sentence in findings.findings(shown):
        assert sentence in words
    assert "Records from 1 Apr 2020 to 31 Mar 2022." in words
    assert "Demonstration data" not in words  # the fixture is not demonstration data


def _pdf_objects(path) -> bytes:
    """The PDF's bytes with every compressed stream inflated (the structure tree, the alt
    texts and the text live in them)."""
    raw = path.read_bytes()
    found = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        with contextlib.suppress(zlib.error):
            found.append(zlib.decompress(match.group(1)))
    return b"\n".join(found)


@needs_pdf_tools
def test_the_briefing_is_tagged_with_headings_and_chart_alt_text(brief_pdf):
    assert re.search(r"^Tagged:\s+yes$", _pdf_info(brief_pdf), re.M)
    tree = subprocess.run(
        ["pdfinfo", "-struct", str(brief_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert tree.count("H1") == 1 and tree.count("H2") >= 4
    assert tree.count("Figure") == 2 and "Table" in tree and "TH" in tree
    objects = _pdf_objects(brief_pdf)
    assert b"/Alt (Chart of representation ratios with 95% intervals, this period:" in objects
    assert b"/Alt (Line chart of proactive contacts a month by community." in objects
    assert b"pdfuaid" in objects  # PDF/UA-1 identification in the metadata


def test_the_briefing_command_covers_the_latest_full_year_by_default(card_db, tmp_path, capsys):
    out = tmp_path / "default.pdf"
    assert main(["briefing", "--out", str(out), "--db", str(card_db)]) == EXIT_LOADED
    assert capsys.readouterr().out == f"wrote {out}\n"
    if PDF_TOOLS:
        assert "leadership briefing, Apr 2021 to Mar 2022" in _pdf_text(out)


def test_the_briefing_command_refuses_a_bad_period_or_targets_file(card_db, tmp_path, capsys):
    out = tmp_path / "never.pdf"
    status = main(
        ["briefing", "--period", "2022Q1..2021Q1", "--out", str(out), "--db", str(card_db)]
    )
    assert status == EXIT_REJECTED
    assert capsys.readouterr().err == (
        "--period '2022Q1..2021Q1': the period ends (2021-03-31) before it starts (2022-01-01)\n"
    )
    bad = tmp_path / "targets.toml"
    bad.write_text(_one_target(indicator='"nonsense"'))
    status = main(["briefing", "--out", str(out), "--db", str(card_db), "--targets", str(bad)])
    assert status == EXIT_REJECTED
    err = capsys.readouterr().err
    assert err.startswith("the targets file cannot be used:\n  targets.toml, line 5: unknown")
    assert not out.exists()


def test_a_missing_pdf_library_is_said_plainly(card_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import raises ImportError
    out = tmp_path / "never.pdf"
    assert main(["briefing", "--out", str(out), "--db", str(card_db)]) == EXIT_MISSING_PIECE
    err = capsys.readouterr().err
    assert err.startswith(
        "no briefing was written: the PDF library WeasyPrint cannot start, because the "
        "Pango text library is missing (on Debian: apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0; python3 dev.py run installs it)."
    )
    assert "Traceback" not in err and not out.exists()


def test_the_briefing_command_runs_as_documented(card_db, tmp_path):
    out = tmp_path / "cli.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "hidden_communities", "briefing", "--period", "2021Q2..2022Q1"]
        + ["--out", str(out), "--db", str(card_db)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"wrote {out}\n", "")
    assert out.read_bytes().startswith(b"%PDF-1.7")


# ------------------------------------------------------------------------------ the page


def _page(db, monkeypatch, targets_file, **query) -> AppTest:
    monkeypatch.setenv("HC_DB_PATH", str(db))
    monkeypatch.setattr(targets, "TARGETS_FILE", targets_file)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/scorecard.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def targets_file(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text(TARGETS)
    return path


def test_the_page_shows_the_colours_targets_findings_and_download(
    card_db, monkeypatch, targets_file
):
    at = _page(card_db, monkeypatch, targets_file, audience="leadership")
    assert [t.value for t in at.title] == ["Leadership scorecard"]
    table = at.dataframe[0].value
    frame = table.data if hasattr(table, "data") else table
    rows = frame.set_index(["Community", "Indicator"])
    assert rows.loc[
        ("Armed forces veterans", "Contact representation ratio"), "Against target"
    ] == ("green")
    assert rows.loc[("Eastern European", "Contact representation ratio"), "Against target"] == (
        "amber"
    )
    assert rows.loc[("Eastern European", "Report representation ratio"), "Flag"] == "red-red"
    assert rows.loc[("LGBTQ+", "Contact representation ratio"), "This period (95% CI)"] == (
        "too few to say"
    )
    link = rows.loc[("LGBTQ+", "Proactive contacts a month"), "Explained on"]
    assert link == (
        "./monthly-trends?period=2021-04-01&period=2022-03-31&audience=leadership"
        "&community=lgbtq&records=contacts&direction=proactive"
    )
    shown = "\n".join(m.value for m in at.markdown)
    assert "Armed-forces veterans: contact representation ratio at least 0.80" in shown
    assert "**green**" in shown and "**too few to say**" in shown
    assert "getting significantly worse (red-red)" in shown
    assert "**red-red**: significantly worse than the target or than all residents" in shown
    assert at.selectbox(key="card_period").value == "2021Q2..2022Q1"
    assert any(el.type == "download_button" for el in at.main)


def test_a_period_from_the_link_and_the_public_audience(card_db, monkeypatch, targets_file):
    at = _page(card_db, monkeypatch, targets_file, card_period="2022Q1")
    assert at.selectbox(key="card_period").value == "2022Q1"
    assert "1 Jan 2022 to 31 Mar 2022" in at.caption[0].value
    public = _page(card_db, monkeypatch, targets_file, audience="public")
    assert [i.value for i in public.info] == [
        "The scorecard is for inspectors and leadership reviews: choose another audience in "
        "the sidebar."
    ]


def test_a_bad_targets_file_is_named_on_the_page(card_db, monkeypatch, tmp_path):
    bad = tmp_path / "targets.toml"
    bad.write_text(_one_target(community='"nobody"'))
    at = _page(card_db, monkeypatch, bad)
    assert "targets.toml, line 4: unknown community 'nobody'" in at.error[0].value
    frame = at.dataframe[0].value
    frame = frame.data if hasattr(frame, "data") else frame
    assert set(frame["Against target"]) <= {"no target"}


def test_a_database_with_no_records_gives_no_briefing(tmp_path, reference, capsys):
    db = tmp_path / "empty.duckdb"
    empty_database(db, reference).close()
    out = tmp_path / "never.pdf"
    assert main(["briefing", "--out", str(out), "--db", str(db)]) == EXIT_REJECTED
    assert capsys.readouterr().err == (
        "no briefing was written: the database holds no records yet, so there is no period "
        "to brief on\n"
    )
    assert not out.exists()


def test_the_scorecard_counts_like_with_like(tmp_path, reference):
    """Veterans (a 16+ census universe) are counted in adults' records only, with adults'
    records as their total; reports count victim-based crime only; completeness counts
    every record."""
    path = tmp_path / "bases.duckdb"
    con = empty_database(path, reference)
    day = "2021-06-15"
    contacts = [
        row[:-1] + [age]
        for spec, age in (
            ([("armed_forces", 20), ("none", 80)], "adult"),
            ([("none", 50)], "under_16"),
        )
        for row in _contacts(spec, day, 0 if age == "adult" else 1000)
    ]
    load_frame(con, pd.DataFrame(contacts, columns=CONTACT_COLUMNS), "contacts", reference["areas"])
    reports = _reports([("armed_forces", 12), ("none", 88)], day, "21")
    drugs = [r[:5] + ["drugs"] + r[6:] for r in _reports([("none", 100)], day, "22")]
    load_frame(
        con, pd.DataFrame(reports + drugs, columns=REPORT_COLUMNS), "reports", reference["areas"]
    )
    rows = run_query(
        con, "scorecard_counts", start_date=date(2021, 6, 1), end_date=date(2021, 6, 30)
    ).set_index("community")
    con.close()
    veterans, everyone = rows.loc["armed_forces"], rows.loc[registry.ALL_RESIDENTS]
    # Veterans: 20 of the 100 adults' contacts (the 50 about children are left out), and
    # 12 of the 100 victim-based reports (the 100 drugs offences are left out).
    assert (veterans["contacts"], veterans["contacts_recorded"]) == (20, 100)
    assert (veterans["reports"], veterans["reports_recorded"]) == (12, 100)
    # All residents (an all-ages universe): every contact that says who was involved.
    assert (everyone["contacts"], everyone["contacts_recorded"]) == (150, 150)
    assert everyone["reports_recorded"] == 100
    # Completeness: every record, 150 contacts and 100 victim-based reports.
    assert (veterans["records_recorded"], veterans["all_records"]) == (250, 250)
