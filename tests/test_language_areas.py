"""The Overview, the Engagement map and Published crime in Polish: exact sentences, plural
forms (1 ma, 2 mają, 5 ma), numbers (1 234,5) and dates (sty 2024), from the areas
catalogue (catalogues/pl/areas.toml). Words that come from the main catalogue (community
names, classifications) are read from it, so these tests hold whatever its translation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hidden_communities import areas_view as av
from hidden_communities import charts, indicators, published, text
from hidden_communities.disclosure import apply_disclosure
from tests.test_areas_view import FRAME, raw

NBSP = "\xa0"  # Polish groups thousands with a no-break space


@pytest.fixture(autouse=True)
def polish():
    with text.language("pl"):
        yield


# ------------------------------------------------------------------------------ the map


def test_map_titles_in_polish():
    view = av.map_view("eastern_european", "contacts", "ward", "count")
    assert (
        view.title
        == "Liczba kontaktów z udziałem mieszkańców z Europy Wschodniej, według okręgów wyborczych"
    )
    # A rate per 1,000 LGB+ residents a year by MSOA: the named proxy, in the genitive.
    view = av.map_view("lgbtq", "reports", "msoa", "rate", days=365)
    assert view.title == (
        "Zgłoszenia przestępstw z udziałem osób LGBTQ+ na 1000 osób LGB+ rocznie (przybliżenie), "
        "według obszarów MSOA"
    )
    view = av.map_view("all_residents", "reports", "lsoa", "count")
    assert view.title == "Liczba zgłoszeń przestępstw ogółem, według obszarów LSOA"
    view = av.map_view("armed_forces", "contacts", "lsoa", "ratio")
    people = text.people("armed_forces")
    assert view.title == f"Reprezentacja w kontaktach: {people}, według obszarów LSOA"


def test_map_hover_writes_polish_numbers():
    # 2,469 contacts over 2,000 residents: 1,234.5 per 1,000. Byar's for 2,469: lower
    # 2469 (1 - 1/22221 - 1.959964/(3 x 49.689))^3 = 2,372.56 -> 1,186.28 per 1,000;
    # upper 2470 (1 - 1/22230 + 1.959964/(3 x 49.699))^3 = 2,568.35 -> 1,284.18.
    frame = raw([("W1", "Ward one", "all", 2469, 3000, 12345, 2000, 2000, 2000)], (2000, 2000))
    view = av.map_view("all_residents", "contacts", "ward", "rate")
    out = av.map_frame(frame, view)
    lines = av.hover_text(out.iloc[0], view, "shown").split("<br>")
    assert lines[:4] == [
        "<b>Ward one</b>",
        f"Wszystkie kontakty: 2{NBSP}469",
        f"Mieszkańcy (punkt odniesienia ze spisu 2021): 2{NBSP}000",
        f"Na 1000: 1{NBSP}234,5 (95% PU 1{NBSP}186,3–1{NBSP}284,2)",
    ]
    assert av.map_sentence(out, view).startswith(f"Ward one: 1{NBSP}234,5 na 1000. ")


def test_ratio_hover_and_table_headers_in_polish():
    view = av.map_view("eastern_european", "contacts", "ward", "ratio")
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "inspector")
    # As in English (test_areas_view): 10 of 200 against 2,885 of 126,300.
    assert av.hover_text(shown.iloc[0], view, "shown").split("<br>")[1:5] == [
        "Kontakty z udziałem mieszkańców z Europy Wschodniej: 10",
        "Kontakty z informacją, kogo dotyczyły: 200",
        "Udział w populacji, z którym porównano: 2,3%",
        "Współczynnik: 2,19 (95% PU 1,20–3,92)",
    ]
    assert av.hover_text(shown.iloc[3], view, "outside") == (
        "<b>Ward four</b><br>Poza filtrem obszarów (kliknij, aby zawęzić do tego obszaru)"
    )
    columns = list(av.map_display(shown, view).columns)
    assert columns[:6] == [
        "Obszar",
        f"{text.label('records', 'contacts')}: {text.people('eastern_european')}",
        "Kontakty z odnotowaną informacją, kogo dotyczyły",
        "Wszystkie kontakty",
        "Udział w populacji, z którym porównano",
        "Współczynnik (95% PU)",
    ]
    assert columns[-1] == "Filtr obszarów"
    assert av.map_display(shown, view)["Filtr obszarów"].tolist() == [
        "",
        "",
        "częściowo w filtrze obszarów",
        "poza filtrem obszarów",
        "",
    ]


def _wards(too_few: int, outside: int = 0) -> pd.DataFrame:
    """Ward one with 10 of 200 contacts (ratio 2.19), then wards with 3 contacts each (too
    few to say), then wards outside the area filter."""
    rows = [("W1", "Ward one", "all", 10, 200, 240, 1600, None, None)]
    rows += [(f"F{i}", f"Few {i}", "all", 3, 100, 100, 1600, None, None) for i in range(too_few)]
    rows += [(f"O{i}", f"Out {i}", "none", 0, 0, 0, 1600, None, None) for i in range(outside)]
    return raw(rows)


@pytest.mark.parametrize(
    ("too_few", "outside", "tail"),
    [
        (1, 0, "1 z 2 ma za mało kontaktów, by ocenić."),
        (2, 0, "2 z 3 mają za mało kontaktów, by ocenić."),
        (5, 0, "5 z 6 ma za mało kontaktów, by ocenić."),
        (1, 2, "1 z 2 ma za mało kontaktów, by ocenić; 2 leżą poza filtrem obszarów."),
        (1, 5, "1 z 2 ma za mało kontaktów, by ocenić; 5 leży poza filtrem obszarów."),
    ],
)
def test_map_sentence_takes_the_polish_plural_forms(too_few, outside, tail):
    view = av.map_view("eastern_european", "contacts", "ward", "ratio")
    out = av.map_frame(_wards(too_few, outside), view)
    assert av.map_sentence(out, view).startswith(f"Ward one: współczynnik 2,19; {tail} ")


def test_map_sentence_in_english_keeps_its_words():
    view = av.map_view("eastern_european", "contacts", "ward", "ratio")
    out = av.map_frame(_wards(2, 1), view)
    with text.language("en"):
        assert av.map_sentence(out, view).startswith(
            "Ward one: ratio 2.19; 2 of 3 have too few contacts to say; 1 is outside the area "
            "filter. "
        )


def test_map_counts_and_unplaced_records_in_polish():
    view = av.map_view("eastern_european", "contacts", "ward", "count")
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "inspector")
    assert av.map_sentence(shown, view) == (
        "Najwięcej kontaktów z udziałem mieszkańców z Europy Wschodniej: Ward one (10); "
        "najmniej: Ward two (4), spośród 2 pokazanych okręgów wyborczych; 1 leży tylko "
        "częściowo w filtrze obszarów; 1 leży poza filtrem obszarów."
    )
    assert av.unplaced_sentence(shown, view) == (
        "Poza mapą (kontakty z udziałem mieszkańców z Europy Wschodniej, których nie da się "
        "przypisać do okręgu wyborczego): 3 bez odnotowanego obszaru."
    )
    # No rate by ward for them: the note says why, in Polish, naming what the census counts.
    rate = av.map_view("eastern_european", "contacts", "ward", "rate")
    described = text.community("eastern_european", "described")
    assert rate.notes[0].startswith(
        f"Brak wskaźnika na 1000 dla okręgów wyborczych: dane referencyjne ze spisu w tej "
        f"instalacji podają grupę „{described}” tylko dla całego dystryktu"
    )


def test_map_figure_writes_polish_ticks_and_names():
    view = av.map_view("eastern_european", "contacts", "ward", "ratio")
    shown = apply_disclosure(av.map_frame(FRAME, view), av.MAP_SPEC, "inspector")
    towns = pd.DataFrame({"town": ["Hucknall"], "label_lon": [-1.21], "label_lat": [53.03]})
    fig = av.map_figure(shown, view, towns)
    assert [t.name for t in fig.data][0] == "Współczynnik reprezentacji"
    assert [t.name for t in fig.data][-2:] == ["Granice okręgów wyborczych", "Miejscowości"]
    bar = fig.layout.coloraxis.colorbar
    assert bar.title.text == "Współczynnik<br>(1 = udział proporcjonalny)"
    # Ward one's ratio 2.19 is the only one drawn: log2 1.13, a reach of 2, ticks 0.25 to 4.
    assert list(bar.ticktext) == ["0,25", "0,5", "1", "2", "4"]
    assert av._tick(0.125) == "0,125"
    assert fig.layout.separators == f",{NBSP}"


# ------------------------------------------------------------------------------ the overview


@pytest.mark.parametrize(
    ("ratio", "words"),
    [
        (1.04, "mniej więcej tyle, ile wynika z ich udziału"),
        (2.97, "3,0 raza tyle, ile wynika z ich udziału"),
        (12.61, "12,6 raza tyle, ile wynika z ich udziału"),
        (0.52, "około połowy tego, co wynika z ich udziału"),
        (0.26, "około jednej czwartej tego, co wynika z ich udziału"),
        (0.12, "12% tego, co wynika z ich udziału"),
    ],
)
def test_ratio_words_in_polish(ratio, words):
    assert indicators.ratio_words(ratio) == words


def test_overview_sentence_in_polish():
    row = pd.Series(
        {
            "community": "armed_forces",
            "record_base": "adults",
            "contact_share": 0.125,
            "contact_ratio": 2.97,
            "population_share": 0.042053,
            "contact_classification": "too_few_to_say",
            "contact_ratio_if_adult": 3.4567,
        }
    )
    people = text.people("armed_forces")
    records = text.t("record_base_noun.contact_adults")
    universe = text.universe_noun("armed_forces")
    reading = text.label("classification", "too_few_to_say")
    contacts = text.label("kind_noun", "contact")
    assert indicators.overview_sentence(row, "contact") == (
        f"{people}: 12,5% rekordów ({records}) wobec 4,2% populacji ({universe}) — 3,0 raza "
        f"tyle, ile wynika z ich udziału ({reading}); gdyby wszystkie {contacts} bez "
        "odnotowanego wieku dotyczyły dorosłych, współczynnik wyniósłby 3,46."
    )
    hidden = row.drop(["contact_share", "contact_ratio"])
    assert indicators.overview_sentence(hidden, "contact") == (
        f"{people}: za mało rekordów ({records}), by porównać je z udziałem w populacji."
    )


def _overview_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "community": ["eastern_european", "all_residents"],
            "population_share": [0.022842, 1.0],
            "contact_share": [0.25, 1.0],
            "contact_share_lower": [0.10182, None],
            "contact_share_upper": [0.4951, None],
            "report_share": [None, 1.0],
            "report_share_lower": [None, None],
            "report_share_upper": [None, None],
        }
    )


def test_overview_chart_in_polish():
    fig = charts.share_comparison(_overview_rows())
    name = text.community("eastern_european")
    assert [t.name for t in fig.data] == [
        "Udział w populacji (spis ludności 2021)",
        "Udział w kontaktach",
        "Udział w zgłoszeniach przestępstw",
    ]
    assert list(fig.data[0].text) == ["2,3%"]
    assert list(fig.data[0].customdata) == [f"{name}: 2,28% populacji"]
    assert list(fig.data[1].customdata) == [f"{name}: 25,00% (95% PU 10,18%–49,51%)"]
    assert list(fig.data[2].customdata) == [f"{name}: nie pokazano"]
    assert fig.layout.title.text == "Udział w kontaktach i zgłoszeniach wobec udziału w populacji"
    assert fig.layout.xaxis.title.text == "Udział"
    assert fig.layout.separators == f",{NBSP}"


def test_overview_headers_in_polish_and_in_english():
    shown = pd.DataFrame(
        {"community": ["lgbtq"], "measure": ["lgbtq_plus"], "measure_label": ["LGB+ ..."]}
    )
    table = indicators.overview_display(shown)
    assert list(table.columns)[:5] == [
        "Społeczność",
        "Mieszkańcy (spis ludności 2021)",
        "Udział w populacji",
        "Porównywane rekordy",
        "Kontakty",
    ]
    assert table["Miara populacji"].tolist() == [
        "Orientacja seksualna LGB+ lub tożsamość płciowa inna niż płeć przypisana przy urodzeniu"
    ]
    with text.language("en"):
        table = indicators.overview_display(shown)
        assert list(table.columns)[-3:] == [
            "Report ratio if unrecorded community were none to all",
            "Report ratio if age not recorded were adults",
            "Population measure",
        ]
        # The measure's English words are the reference data's own label.
        assert table["Population measure"].tolist() == [
            "LGB+ sexual orientation or gender identity different from sex at birth"
        ]
    # A measure the catalogue does not know shows the data's label.
    other = shown.assign(measure="not_in_the_catalogue")
    assert indicators.overview_display(other)["Miara populacji"].tolist() == ["LGB+ ..."]


# ------------------------------------------------------------------------------ published crime


def _monthly() -> pd.DataFrame:
    return published.monthly(
        pd.DataFrame(
            {
                "month": ["2024-01-01", "2024-02-01", "2024-02-01"],
                "crime_type": ["burglary", "burglary", "violence_sexual_offences"],
                "crimes": [6, 5, 1234],
            }
        )
    )


def test_published_months_and_counts_in_polish():
    monthly = _monthly()
    table = published.monthly_display(monthly)
    assert table["Miesiąc"].tolist() == ["sty 2024", "lut 2024", "lut 2024"]
    fig = published.monthly_chart(monthly)
    burglary = text.label("crime_type", "burglary")
    violence = text.label("crime_type", "violence_sexual_offences")
    assert list(fig.data[0].customdata) == [
        f"{burglary}, styczeń 2024: 6",
        f"{burglary}, luty 2024: 5",
    ]
    assert list(fig.data[1].customdata) == [f"{violence}, luty 2024: 1{NBSP}234"]
    # Month ticks in Polish, each in the middle of its month, under its bar.
    assert list(fig.layout.xaxis.ticktext) == ["sty 2024", "lut 2024"]
    assert [pd.Timestamp(v) for v in fig.layout.xaxis.tickvals] == [
        pd.Timestamp("2024-01-16 12:00"),
        pd.Timestamp("2024-02-15 12:00"),
    ]
    assert f"sty 2024 6; lut 2024 1{NBSP}239" in published.monthly_alt(monthly)


def test_month_ticks_thin_out_over_long_periods():
    positions, labels = published.month_ticks(pd.date_range("2020-01-01", periods=30, freq="MS"))
    # 30 months, at most 12 labels: every third month.
    assert labels == [
        "sty 2020",
        "kwi 2020",
        "lip 2020",
        "paź 2020",
        "sty 2021",
        "kwi 2021",
        "lip 2021",
        "paź 2021",
        "sty 2022",
        "kwi 2022",
    ]
    with text.language("en"):
        assert published.month_ticks([dt.date(2024, 9, 1)])[1] == ["Sep 2024"]


def test_published_area_choice_and_dates_in_polish():
    # MSOAs too: the public audience sees published crime by MSOA only (issue 16).
    assert dict(published.LEVELS) == {
        "ward": text.label("level", "ward"),
        "lsoa": "LSOA",
        "msoa": "MSOA",
    }
    note = published.area_note((dt.date(2024, 1, 1), dt.date(2024, 3, 31), 91))
    assert "1 sty 2024" in note and "31 mar 2024" in note
