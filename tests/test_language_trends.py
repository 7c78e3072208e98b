"""The Trends page in Polish (and English unchanged): exact sentences, hovers, tick labels
and table headers, numbers written 1 234,5, months and days in Polish, and the plural forms
of a count's noun. Also how the campaign events are drawn: lists of lines and labels made
at once, not one add_vline and add_annotation each (issue 15)."""

from __future__ import annotations

import pandas as pd
import pytest

from hidden_communities import text, trends
from tests.test_trends import ba_raw, monthly_raw

NO_EVENTS = pd.DataFrame(columns=["event_date", "kind"])
EVENTS = pd.DataFrame(
    {
        "event_date": pd.to_datetime(["2021-04-12", "2021-05-10", "2021-11-11"]),
        "kind": ["launch", "video", "public_meeting"],
        "title": ["Campaign launched", "Polish-language video", "Remembrance drop-in"],
    }
)


def _bars(fig):
    return [t for t in fig.data if t.type == "bar"]


# ------------------------------------------------------------------------------ sentences


def test_monthly_sentence_in_polish_groups_thousands_with_a_space():
    # 15 months, Jan 2021 to Mar 2022. Latest 3-month average (1,234 + 1,234 + 1,236)/3 =
    # 1,234.67 to Mar 2022; a year before, to Mar 2021, (1 + 2 + 3)/3 = 2.0.
    raw = monthly_raw({"armed_forces": [1, 2, 3, *[10] * 9, 1234, 1234, 1236]}, [5000] * 15)
    shown = trends.monthly(raw, "contacts", ("armed_forces",))
    veterans = shown[shown["community"] == "armed_forces"]
    with text.language("pl"):
        people = text.people("armed_forces")
        assert trends.monthly_sentence(veterans, "contacts", "count") == (
            f"Kontakty, średnia z 3 miesięcy: {people}: 1\xa0234,7 miesięcznie w trzech "
            "miesiącach do mar 2022 (rok wcześniej: 2,0)."
        )
        # Per 1,000 of the 4,325 veterans: 1,234.67 / 4.325 = 285.5; a year before 0.5.
        assert trends.monthly_sentence(veterans, "reports", "rate") == (
            f"Zgłoszenia przestępstw, średnia z 3 miesięcy: {people}: 285,5 na 1000 "
            "miesięcznie w trzech miesiącach do mar 2022 (rok wcześniej: 0,5)."
        )
    with text.language("en"):
        assert trends.monthly_sentence(veterans, "contacts", "count") == (
            "Contacts, 3-month average: Armed-forces veterans 1,234.7 a month in the three "
            "months to Mar 2022 (a year before: 2.0)."
        )


def test_before_after_sentence_in_polish():
    row = trends.before_after(ba_raw(10, 40), "contacts", ("eastern_european",)).iloc[0]
    with text.language("pl"):
        people = text.people_mid("eastern_european")
        reading = text.label("before_after", "more_after")
        assert trends.before_after_sentence(row, "contacts") == (
            f"Kontakty – {people}: 3,0 miesięcznie przed startem kampanii 12 kwi 2021 i 6,1 "
            f"miesięcznie po nim: 2,00 razy tyle (95% PU 1,00–4,00), {reading}."
        )


def test_recent_trend_sentence_in_polish_keeps_the_p_value_exponent():
    raw = monthly_raw(
        {"eastern_european": [50, 1, 2, 3, 4, 5], "lgbtq": [0, 0, 5, 10, 20, 40]}, [100] * 6
    )
    lgbtq = trends.recent_trends(raw, "contacts", ("eastern_european", "lgbtq")).iloc[1]
    with text.language("pl"):
        people = text.people("lgbtq")
        assert trends.trend_sentence(lgbtq, "contacts") == (
            f"↑ {people}: ich udział w kontaktach wzrósł w ciągu pięciu miesięcy lut 2021 – "
            "cze 2021 (chi-kwadrat dla trendu 70,8, p = 3,98e-17)."
        )


def test_campaign_events_are_named_by_their_kind_and_date():
    with text.language("pl"):
        launch, video = text.label("event_kind", "launch"), text.label("event_kind", "video")
        assert trends.events_note(EVENTS.iloc[:2]) == (
            f"Wydarzenia kampanii (linie kropkowane): 12 kwi 2021 – {launch}; 10 maj 2021 – {video}"
        )
        assert trends.events_note(NO_EVENTS) == "W tym okresie nie było wydarzeń kampanii."
    september = pd.DataFrame({"event_date": [pd.Timestamp("2021-09-01")], "kind": ["other"]})
    # English writes every month in three letters (CLDR's en_GB would say "Sept").
    assert trends.events_note(september) == (
        "Campaign events (dotted lines): 1 Sep 2021 Other milestone"
    )


def test_captions_say_the_rule_constants_in_the_language():
    with text.language("pl"):
        note = trends.spc_note("reports")
    assert note.startswith("SPC: karta kontrolna XmR miesięcznej liczby zgłoszeń przestępstw")
    assert "średnia ± 2,66 × średnia zmiana" in note and "■ 7 mies. z rzędu" in note
    assert "mean ± 2.66 × the average" in trends.spc_note("contacts")


# ------------------------------------------------------------------------------ chart


def test_chart_title_ticks_and_number_signs_in_polish():
    raw = monthly_raw({"eastern_european": list(range(1, 16))}, [100] * 15)
    shown = trends.monthly(raw, "contacts", ("eastern_european",))
    with text.language("pl"):
        count = trends.monthly_chart(shown, NO_EVENTS, "contacts", "count")
        rate = trends.monthly_chart(shown, NO_EVENTS, "reports", "rate")
    assert count.layout.title.text == "Miesięczna liczba kontaktów według społeczności"
    assert rate.layout.title.text == (
        "Zgłoszenia przestępstw na 1000 mieszkańców w miesiącu, według społeczności"
    )
    # Every three months from January, as plotly's own ticks fell, in Polish.
    assert count.layout.xaxis.ticktext == (
        "sty 2021",
        "kwi 2021",
        "lip 2021",
        "paź 2021",
        "sty 2022",
    )
    # Plotly writes the axis numbers itself: a decimal comma, thousands after a no-break space.
    assert count.layout.separators == ",\xa0"
    # The 3-month average's hover: (1 + 2 + 3)/3 = 2 in March, two decimals.
    rolling = [t for t in count.data if t.legendgroup == "rolling"][0]
    assert list(rolling.hovertext[:3]) == ["", "", "2,00 (Średnia z 3 miesięcy)"]
    english = trends.monthly_chart(shown, NO_EVENTS, "contacts", "count")
    assert english.layout.xaxis.ticktext == (
        "Jan 2021",
        "Apr 2021",
        "Jul 2021",
        "Oct 2021",
        "Jan 2022",
    )
    assert english.layout.separators == ".,"
    assert english.layout.title.text == "Monthly contacts, by community"


def test_bar_hover_in_polish_rate_and_part_month():
    # 3 contacts / 2,885 residents = 1.04 per 1,000 (exact Poisson 0.21 to 3.04); February
    # is covered for 10 of its 28 days.
    raw = monthly_raw({"eastern_european": [3, 4], "all_residents": [100, 100]}, [100, 100])
    raw.loc[raw["month"] == raw["month"].max(), "days"] = 10
    shown = trends.monthly(raw, "contacts", ("eastern_european",))
    with text.language("pl"):
        fig = trends.monthly_chart(shown, NO_EVENTS, "contacts", "rate")
        table = trends.monthly_display(shown, "count")
    january, february = _bars(fig)[0].hovertext
    assert january.split("<br>")[0] == "sty 2021"
    assert january.split("<br>")[-1] == "1,04 na 1000 (95% PU 0,21–3,04)"
    assert february.split("<br>")[0] == "lut 2021 (niepełny miesiąc: 10 z 28 dni)"
    assert list(table.columns[:3]) == ["Miesiąc", "Społeczność", "Liczba"]
    assert table["Miesiąc"].tolist()[:2] == ["sty 2021", "lut 2021 (niepełny: 10 z 28 dni)"]


def test_part_month_takes_the_polish_plural_forms():
    with text.language("pl"):
        assert [
            text.plural("trends_table.part_month", n, month="lut 2021", days="1")
            for n in (1, 2, 5, 22)
        ] == [
            "lut 2021 (niepełny: 1 z 1 dnia)",
            "lut 2021 (niepełny: 1 z 2 dni)",
            "lut 2021 (niepełny: 1 z 5 dni)",
            "lut 2021 (niepełny: 1 z 22 dni)",
        ]
    with text.language("en"):
        assert text.plural("trends_table.part_month", 1, month="Feb 2021", days="1") == (
            "Feb 2021 (part: 1 of 1 day)"
        )


@pytest.mark.skipif(
    "count.contacts.few" not in text.catalogue("pl"),
    reason="the Polish count forms come with the translated pl.toml",
)
def test_bar_hover_counts_take_the_polish_plural_forms():
    raw = monthly_raw({"eastern_european": [2, 5, 22]}, [100] * 3)
    shown = trends.monthly(raw, "contacts", ("eastern_european",))
    with text.language("pl"):
        fig = trends.monthly_chart(shown, NO_EVENTS, "contacts", "count")
    counts = [hover.split("<br>")[1] for hover in _bars(fig)[0].hovertext]
    assert counts == ["2 kontakty", "5 kontaktów", "22 kontakty"]


def test_before_after_headers_in_polish_and_english():
    frame = trends.before_after(ba_raw(10, 40), "contacts", ("eastern_european",))
    with text.language("pl"):
        polish = list(trends.before_after_display(frame).columns)[:8]
    assert polish == [
        "Społeczność",
        "Kanał",
        "Przed startem kampanii",
        "Po starcie",
        "Miesięcznie przed",
        "Miesięcznie po",
        "Iloraz częstości po/przed (95% PU)",
        "Ocena",
    ]
    assert list(trends.before_after_display(frame).columns)[:8] == [
        "Community",
        "Channel",
        "Before the launch",
        "After",
        "A month before",
        "A month after",
        "Rate ratio after/before (95% CI)",
        "Reading",
    ]


def test_campaign_events_are_one_list_of_lines_and_labels():
    raw = monthly_raw({"eastern_european": [1] * 12, "all_residents": [5] * 12}, [100] * 12)
    shown = trends.monthly(raw, "contacts", ("eastern_european",))
    fig = trends.monthly_chart(shown, EVENTS, "contacts", "count")
    # Three events across two panels: a dotted line in each panel, no other shapes.
    lines = fig.layout.shapes
    assert len(lines) == 6
    assert {(s.type, s.line.dash, s.y0, s.y1) for s in lines} == {("line", "dot", 0, 1)}
    assert sorted({(s.xref, s.yref) for s in lines}) == [("x", "y domain"), ("x2", "y2 domain")]
    labels = [a for a in fig.layout.annotations if a.hovertext]
    assert [(a.text, a.hovertext, a.yshift) for a in labels] == [
        ("Launch", "12 Apr 2021: Campaign launch", 28),
        ("Video", "10 May 2021: Polish-language video", 48),  # 28 days later: stacked
        ("Meeting", "11 Nov 2021: Public meeting", 28),
    ]
    with text.language("pl"):
        polish = trends.monthly_chart(shown, EVENTS, "contacts", "count")
        launch = text.label("event_kind", "launch")
    assert [a for a in polish.layout.annotations if a.hovertext][0].hovertext == (
        f"12 kwi 2021: {launch}"
    )
