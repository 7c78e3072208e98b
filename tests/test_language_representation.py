"""The Under-representation page's words in Polish, with exact strings: counts take the
Polish plural forms (1 / 2-4 / 5+), numbers are written 1 234,5 and 0,41, and the areas a
sentence names take the case it needs. The figures are those of tests/test_representation.py
(worked by hand there). Words another catalogue key gives (a community's name, a reading)
are read from the catalogue, so these tests follow its translation."""

from __future__ import annotations

import pandas as pd
import pytest

from hidden_communities import flags, indicators, stats, text
from hidden_communities import representation as rep
from hidden_communities.tables import Col, heading, readable

NBSP = "\xa0"  # Polish groups thousands with a no-break space


def _overview(contacts: dict, reports: dict) -> pd.DataFrame:
    """The overview of 90 contacts and 1,000 reports that say who was involved, on the real
    census baselines (as tests/test_representation.py)."""
    base = {
        "eastern_european": ("born_eu8_eu2", 2885, 126300),
        "armed_forces": ("veterans", 4325, 102846),
        "lgbtq": ("lgbtq_plus", 2871, 102851),
        "all_residents": ("usual_residents", 126300, 126300),
    }
    rows = [
        {
            "community": code,
            "measure": measure,
            "measure_label": measure,
            "universe": "",
            "residents": residents,
            "population_base": population,
            "contacts": 90 if code == "all_residents" else contacts.get(code, 0),
            "contacts_recorded": 90,
            "all_contacts": 90,
            "reports": 1000 if code == "all_residents" else reports.get(code, 0),
            "reports_recorded": 1000,
            "all_reports": 1000,
        }
        for code, (measure, residents, population) in base.items()
    ]
    return indicators.overview(pd.DataFrame(rows))


def _wards(rows) -> pd.DataFrame:
    """Areas shaped like queries/map_by_area.sql: (name, community contacts, recorded)."""
    return pd.DataFrame(
        [
            {
                "area_code": name,
                "area_name": name,
                "area_level": "ward",
                "unplaced_reason": None,
                "coverage": "all",
                "contacts": x,
                "contacts_recorded": n,
                "reports": 0,
                "reports_recorded": 0,
                "residents": 1000,
            }
            for name, x, n in rows
        ]
    )


def test_tables_write_numbers_and_intervals_in_each_language():
    frame = pd.DataFrame(
        {
            "count": [1234, None],
            "count_note": [None, "small_count"],
            "rate": [1234.5, 0.25],
            "share": [0.123, 0.5],
            "lower": [0.091, None],
            "upper": [0.16, None],
            "low": [0.5, 2.0],
            "high": [1.25, None],
        }
    )
    columns = [
        Col(heading("repr_table.residents"), ("count",)),
        Col(heading("repr_table.per_year"), ("rate",), "rate"),
        Col(heading("repr_table.share"), ("share", "lower", "upper"), "percent"),
        Col("Ratio", ("low", "high"), "ratio"),
    ]
    with text.language("en"):
        english = readable(frame, columns)
    with text.language("pl"):
        polish = readable(frame, columns)
    assert english.to_dict("list") == {
        "Residents (Census 2021)": ["1,234", "<5"],
        "Per 1,000 a year": ["1,234.5", "0.2"],
        "Share": ["12.3% (9.1% to 16.0%)", "50.0%"],
        "Ratio": ["0.50 to 1.25", "2.00"],
    }
    assert polish.to_dict("list") == {
        "Mieszkańcy (spis ludności 2021)": [f"1{NBSP}234", text.label("note", "small_count")],
        "Na 1000 rocznie": [f"1{NBSP}234,5", "0,2"],
        "Udział": ["12,3% (od 9,1% do 16,0%)", "50,0%"],
        "Ratio": ["od 0,50 do 1,25", "2,00"],
    }


@pytest.mark.parametrize(
    ("count", "level", "expected"),
    [
        (
            1,
            "ward",
            "z korektą na wielokrotne porównania 1 okręgu wyborczego (odsetek fałszywych odkryć 5%)",
        ),
        (
            2,
            "lsoa",
            "z korektą na wielokrotne porównania 2 obszarów LSOA (odsetek fałszywych odkryć 5%)",
        ),
        (
            5,
            "msoa",
            "z korektą na wielokrotne porównania 5 obszarów MSOA (odsetek fałszywych odkryć 5%)",
        ),
        (
            1234,
            "lsoa",
            f"z korektą na wielokrotne porównania 1{NBSP}234 obszarów LSOA (odsetek fałszywych odkryć 5%)",
        ),
    ],
)
def test_areas_allowed_for_are_counted_in_polish(count, level, expected):
    with text.language("pl"):
        assert flags.allowing(count, level=level) == expected
    with text.language("en"):
        noun = {"ward": "ward", "lsoa": "LSOA", "msoa": "MSOA"}[level] + ("" if count == 1 else "s")
        assert flags.allowing(count, level=level) == (
            f"after allowing for {count:,} {noun}, at a false discovery rate of 5%"
        )


def test_census_non_response_in_polish_plural_forms():
    # 1 adult / 2-4 / 5 and more (and 8,351: many, like 5).
    with text.language("pl"):
        answered = [text.plural("repr_band.answered.residents_16_plus", n) for n in (1, 2, 5, 8351)]
    assert answered == [
        "1 osoba dorosła nie odpowiedziała na to pytanie",
        "2 osoby dorosłe nie odpowiedziały na to pytanie",
        "5 osób dorosłych nie odpowiedziało na to pytanie",
        f"8{NBSP}351 osób dorosłych nie odpowiedziało na to pytanie",
    ]


def test_census_band_sentence_in_polish():
    overview = _overview({"lgbtq": 4}, {"lgbtq": 30})
    nonresponse = pd.DataFrame(
        {
            "community": ["armed_forces", "eastern_european", "lgbtq"],
            "not_answered": [None, None, 8351],
        }
    )
    out = rep.forest(overview, nonresponse, ("lgbtq",))
    with text.language("pl"):
        assert rep.band_sentence(out.iloc[0]) == (
            f"Braki odpowiedzi w spisie: 8{NBSP}351 osób dorosłych nie odpowiedziało na to "
            "pytanie; gdyby wszystkie te osoby należały do społeczności, udział grupy "
            f"„{text.people_mid('lgbtq')}” wyniósłby 10,9% dorosłych zamiast 2,8%, a "
            "współczynnik dla kontaktów 0,41 zamiast 1,59 i współczynnik dla zgłoszeń 0,27 "
            "zamiast 1,07. Wariant centralny, jeśli osoby bez odpowiedzi są podobne do tych, "
            "które odpowiedziały: 3,04% dorosłych: współczynnik dla kontaktów 1,46 i "
            "współczynnik dla zgłoszeń 0,99. " + text.t("census_band.source")
        )


@pytest.mark.parametrize(
    ("reports", "victims"),
    [(1, "w 1 zgłoszeniu przestępstwa"), (20, "w 20 zgłoszeniach przestępstw")],
)
def test_reporting_gap_sentence_in_polish(reports, victims):
    overview = _overview({}, {"armed_forces": reports})
    row = rep.reporting_gap(overview, 2.0, ("armed_forces",)).iloc[0]
    # 1,000 reports x 4,325/102,846 x 2 = 84.1 expected.
    with text.language("pl"):
        fewer = f"o {84 - reports} mniej"
        reading = text.label("gap_reading", row["classification"])
        ratio = {
            1: "0,01, 95% PU 0,00–0,07",
            20: "0,24, 95% PU 0,15–0,36",
        }
        assert rep.gap_sentence(row) == (
            f"{text.people('armed_forces')}: pokrzywdzonymi były osoby z tej społeczności {victims}, "
            "a oczekiwano 84 (4,2% dorosłych przy wskaźniku dla wszystkich mieszkańców, "
            f"pomnożonym przez czynnik 2): {fewer} (współczynnik {ratio[reports]}: {reading})."
        )
        table = rep.gap_display(rep.reporting_gap(overview, 2.0, ("armed_forces",)))
    assert table.loc[0, "Różnica"] == f"o {84.1 - reports:.1f} mniej".replace(".", ",")
    assert table.loc[0, "Oczekiwane"] == "84,1"


def test_funnel_in_polish():
    raw = _wards([("A", 35, 100), ("B", 5, 100), ("C", 60, 700), ("D", 0, 100)])
    shown = rep.funnel(raw, "eastern_european", "contacts", "additive")
    with text.language("pl"):
        above = text.t("funnel_sentence.above", names="A")
        sentence = rep.funnel_sentence(shown, "eastern_european", "contacts", "ward")
        assert sentence.startswith(f"W granicach 95%: 3 z 4 okręgów wyborczych; {above}. ")
        assert (
            "Oznaczone z korektą na wielokrotne porównania 4 okręgów wyborczych (odsetek "
            "fałszywych odkryć 5%): wyżej niż wszystkie okręgi wyborcze łącznie: A; niżej: "
            + text.t("flags.none")
            + ". Okręgi wyborcze różnią się bardziej, niż pozwala przypadek (nadmierna "
            "dyspersja φ = 10,5; k·φ = 42,2 wobec 7,81, czyli 95. percentyla rozkładu "
            "chi-kwadrat (df = 3)), więc granice poszerzono: addytywnie (efekty losowe), wariancja między obszarami τ² = 0,00734, odchylenie standardowe 8,6 "
            "punktu procentowego."
        ) in sentence
        table = rep.funnel_display(shown, "eastern_european").set_index("Obszar")
        fig = rep.funnel_chart(shown, "eastern_european", "contacts", "ward")
        people = text.people("eastern_european")
    header = (
        "Na tle wszystkich pokazanych obszarów, z korektą na wielokrotne porównania 4 obszarów "
        "(odsetek fałszywych odkryć 5%)"
    )
    assert header in table.columns
    assert table.loc["C", "Rekordy z informacją, kogo dotyczyły"] == "700"
    assert table.loc["A", "Udział"] == "35,0%"
    hovers = {d for trace in fig.data if trace.customdata is not None for d in trace.customdata}
    assert any(h.startswith("A: 35 z 100 = 35,00%<br>") for h in hovers)
    assert fig.layout.title.text == (
        f"{people}: udział w kontaktach w każdym obszarze, okręgi wyborcze"
    )
    assert fig.layout.separators == f",{NBSP}"


def test_forest_ticks_and_hovers_in_polish():
    nonresponse = pd.DataFrame({"community": ["eastern_european"], "not_answered": [None]})
    with text.language("pl"):  # the overview labels its communities as it is built
        overview = _overview({"eastern_european": 26}, {})
        fig = rep.forest_chart(rep.forest(overview, nonresponse, ("eastern_european",)))
        label = text.community("eastern_european")
        reading = text.label("classification", stats.OVER_REPRESENTED)
    assert list(fig.layout.xaxis.ticktext)[:5] == ["0,05", "0,1", "0,2", "0,5", "1"]
    # 26/90 against 2,885/126,300: 12.65 (8.99 to 17.06), over-represented.
    assert fig.data[0].customdata[0] == (f"{label}: 12,65 (95% PU 8,99–17,06)<br>{reading}")
    assert fig.data[0].name == "Kontakty (95% PU)"
