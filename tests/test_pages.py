"""Pages under streamlit.testing.v1.AppTest, on databases built in the tests."""

from __future__ import annotations

from tests.builders import app, chart, chart_alt, table_with


def overview_table(at):
    return table_with(at, "Community", "Contacts", "Crime reports").set_index("Community")


def test_overview_shows_the_exact_figures(fixture_db, monkeypatch):
    at = app(fixture_db, monkeypatch)
    shown = overview_table(at)
    # Hand calculation. Eastern European: 4 of the 16 contacts whose community was recorded
    # = 25.0%; Wilson 95% interval for 4/16 = 10.2% to 49.5%; population share 2,885 /
    # 126,300 = 2.284%; ratio 0.25 / 0.02284 = 10.94, interval 0.1018/0.02284 = 4.46 to
    # 0.4950/0.02284 = 21.67.
    ee = shown.loc["Eastern European"]
    assert ee["Residents (Census 2021)"] == "2,885"
    assert ee["Share of population"] == "2.3%"
    assert ee["Contacts"] == "4"
    assert ee["Share of contacts (95% CI)"] == "25.0% (10.2% to 49.5%)"
    assert ee["Contact ratio (95% CI)"] == "10.94 (4.46 to 21.67)"
    assert ee["Contacts: reading"] == "too few to say"
    # Reports: 2 of the 20 recorded = 10.0%, Wilson 2.8% to 30.1%.
    assert ee["Crime reports"] == "2"
    assert ee["Share of reports (95% CI)"] == "10.0% (2.8% to 30.1%)"
    # Veterans: 2 of 16 contacts (one also LGBTQ+) = 12.5%; 3 of 20 reports = 15.0%;
    # population share 4,325 / 102,846 = 4.205%.
    af = shown.loc["Armed forces veterans"]
    assert (af["Contacts"], af["Share of contacts (95% CI)"]) == ("2", "12.5% (3.5% to 36.0%)")
    assert (af["Crime reports"], af["Share of reports (95% CI)"]) == ("3", "15.0% (5.2% to 36.0%)")
    assert af["Share of population"] == "4.2%"
    lgbtq = shown.loc["LGBTQ+"]
    assert (lgbtq["Contacts"], lgbtq["Crime reports"]) == ("2", "1")
    everyone = shown.loc["All residents"]
    assert (everyone["Contacts"], everyone["Crime reports"]) == ("16", "20")
    assert everyone["Residents (Census 2021)"] == "126,300"


def test_overview_in_public_mode_suppresses_small_numbers(fixture_db, monkeypatch):
    at = app(fixture_db, monkeypatch, audience="Public meeting")
    shown = overview_table(at)
    # Issue 16: the public sees published counts, rounded to the nearest 5 with 1 to 9
    # withheld ("<10"), over a published period (Q2 2021, the quarter of the records).
    # Every community has 1 to 9 contacts (4, 2, 2) and reports (2, 3, 1): each count is
    # "<10", and a share or ratio on fewer than 10 records is "too few to say". All
    # residents' 16 contacts are published as 15, their 20 reports as 20; the census
    # figures stay.
    assert shown["Contacts"].to_dict() == {
        "Armed forces veterans": "<10",
        "Eastern European": "<10",
        "LGBTQ+": "<10",
        "All residents": "15",
    }
    assert shown["Crime reports"].to_dict() == {
        "Armed forces veterans": "<10",
        "Eastern European": "<10",
        "LGBTQ+": "<10",
        "All residents": "20",
    }
    ee = shown.loc["Eastern European"]
    assert ee["Share of contacts (95% CI)"] == "too few to say"
    assert ee["Residents (Census 2021)"] == "2,885"
    # The chart's text alternative gives none of the hidden figures back.
    assert chart_alt(at, "overview_chart") == (
        # Each sentence names its base (issue 11): adults' records for the communities the
        # census counts among adults.
        "Bar chart: Armed-forces veterans: too few adults' contacts to compare with their share "
        "of the population. Eastern European residents: too few contacts (all ages) to compare "
        "with their share of the population. LGBTQ+ residents: too few adults' contacts to "
        "compare with their share of the population."
    )


def test_overview_chart_is_drawn_with_a_text_alternative(fixture_db, monkeypatch):
    at = app(fixture_db, monkeypatch)
    spec = chart(at, "overview_chart")
    names = [trace["name"] for trace in spec["data"]]
    assert names == [
        "Share of population (Census 2021)",
        "Share of contacts",
        "Share of crime reports",
    ]
    # A sentence a community, on its share of the 16 contacts that record the community:
    # veterans 2/16 = 12.5% against 4,325/102,846 = 4.2% of adults, ratio 0.125/0.042053
    # = 2.97; Eastern European 4/16 = 25.0% against 2,885/126,300 = 2.3% of residents,
    # 10.94; LGBTQ+ 2/16 = 12.5% against 2,871/102,851 = 2.8% of adults, 0.125/0.027914
    # = 4.48. Each rests on fewer than 10 contacts: too few to say. Every fixture record is
    # about an adult, so the adults' base is the same 16 contacts; the sentence names it.
    assert chart_alt(at, "overview_chart") == (
        "Bar chart: Armed-forces veterans made 12.5% of adults' contacts but are 4.2% of "
        "adults: 3.0 times their share (too few to say). Eastern European residents made 25.0% "
        "of contacts (all ages) but are 2.3% of residents: 10.9 times their share (too few to "
        "say). LGBTQ+ residents made 12.5% of adults' contacts but are 2.8% of adults: 4.5 "
        "times their share (too few to say)."
    )
