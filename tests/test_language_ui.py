"""The data pages' and leadership pages' own words in English and Polish, exact: load
summaries and the loads list, the data dictionary, completeness flags and chart, ranks and
moves on the Priorities page, scorecard numbers and targets-file problems. Only words of
the ui.toml fragments are checked in Polish (en.toml's are translated elsewhere)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hidden_communities import (
    columns,
    load_words,
    priorities,
    quality,
    scorecard,
    targets,
    text,
)
from hidden_communities import indicator_registry as ir
from hidden_communities.loading import LoadResult
from tests.test_quality import months

NBSP = "\xa0"


def _load(accepted, duplicate=0, rejected=0, outside=0, updated=0) -> LoadResult:
    return LoadResult(
        import_id=1,
        rows_in_file=accepted + duplicate + rejected + outside,
        rows_accepted=accepted,
        rows_duplicate=duplicate,
        rows_rejected=rejected,
        rows_outside_area=outside,
        rows_updated=updated,
    )


@pytest.mark.parametrize(
    "load",
    [
        _load(1),
        _load(3, rejected=1),
        _load(2, duplicate=4),
        _load(0, duplicate=5, updated=2),
        _load(7, outside=2),
        LoadResult(None, 3, 0, 3, 0, 0, already_loaded_as=4),
    ],
)
def test_a_loads_english_summary_is_the_import_commands(load):
    assert load_words.load_summary(load) == load.summary


def test_a_loads_summary_in_polish_takes_the_plural_forms():
    with text.language("pl"):
        said = [load_words.load_summary(_load(n)) for n in (1, 2, 5, 22, 1234)]
        mixed = load_words.load_summary(_load(2, duplicate=5, rejected=1))
    assert said == [
        "Wczytano 1 nowy rekord.",
        "Wczytano 2 nowe rekordy.",
        "Wczytano 5 nowych rekordów.",
        "Wczytano 22 nowe rekordy.",
        f"Wczytano 1{NBSP}234 nowe rekordy.",
    ]
    assert mixed == (
        "Wczytano 2 nowe rekordy; 5 rekordów było już w bazie (pominięte); odrzucono 1 wiersz."
    )


def test_an_undone_load_and_a_setting_in_polish():
    with text.language("pl"):
        assert [load_words.undone_sentence(3, n) for n in (1, 2, 5)] == [
            "Cofnięto wczytanie 3: usunięto 1 rekord.",
            "Cofnięto wczytanie 3: usunięto 2 rekordy.",
            "Cofnięto wczytanie 3: usunięto 5 rekordów.",
        ]
        assert (load_words.setting(0.5), load_words.setting(50.0)) == ("0,5", "50")
        assert load_words.numeric_date(dt.date(2021, 5, 14)) == "14.05.2021"
    assert load_words.numeric_date(dt.date(2021, 5, 14)) == "14/05/2021"


def test_the_loads_list_keeps_its_english_headers_and_names_kinds_in_polish():
    imports = pd.DataFrame({c: [None] for c in load_words.IMPORT_COLUMNS}).assign(
        import_id=[1], kind=["contacts"], file_name=["log.csv"]
    )
    assert list(load_words.imports_table(imports).columns) == list(load_words.IMPORT_COLUMNS)
    with text.language("pl"):
        shown = load_words.imports_table(imports)
    assert list(shown.columns[:3]) == ["nr wczytania", "rodzaj", "plik"]
    assert shown["plik"].tolist() == ["log.csv"]


def test_the_data_dictionary_in_polish_and_the_docs_in_english():
    with text.language("pl"):
        table = columns.dictionary("contacts", literal=lambda v: f"`{v}`").set_index("kolumna")
        docs = columns.dictionary_markdown("contacts").splitlines()
    assert table.loc["team", "wartości"] == "tekst, najwyżej 60 znaków"
    assert table.loc["follow_up_needed", "wartości"] == "`yes` / `no`"
    assert table.loc["channel", "nagłówek wymagany"] == "tak"
    assert table.loc["people_reached", "znaczenie"] == (
        "Liczba osób, do których dotarto (od 1 do 5000)."
    )
    assert table.loc["channel", "przykład"] == "`face_to_face`"
    # docs/data-dictionary.md is English whatever the language in use.
    assert docs[0].startswith("| column | header needed |")
    with text.language("pl"):
        assert [text.plural("data_dictionary.up_to", n, values="tekst") for n in (1, 2, 5)] == [
            "tekst, najwyżej 1 znak",
            "tekst, najwyżej 2 znaki",
            "tekst, najwyżej 5 znaków",
        ]


def test_completeness_flags_in_polish():
    # As tests/test_quality.py: March has 8 of 40 contacts saying their community, against
    # 78% overall; April's reports fall to 50 against a typical 100.
    rows = [("contacts", f"2021-0{m}", 40, 36, 40, 40) for m in (1, 2, 4, 5, 6)]
    rows.insert(2, ("contacts", "2021-03", 40, 8, 40, 40))
    rows += [
        ("reports", m, n, n, n, n)
        for m, n in (("2024-01", 100), ("2024-02", 100), ("2024-03", 100), ("2024-04", 50))
    ]
    with text.language("pl"):
        flags = quality.flag_months(months(rows)).set_index("month")["flag"]
        names = [text.plural("quality.flag_volume", n, typical="100") for n in (1, 3, 50)]
    assert flags["2021-03"] == "pole „społeczność” wypełnione w 20% przypadków (zwykle w 78%)"
    assert flags["2024-04"] == "tylko 50 rekordów (w typowym miesiącu 100)"
    assert names == [
        "tylko 1 rekord (w typowym miesiącu 100)",
        "tylko 3 rekordy (w typowym miesiącu 100)",
        "tylko 50 rekordów (w typowym miesiącu 100)",
    ]


def test_the_completeness_chart_writes_months_and_shares_in_polish():
    counts = months(
        [("contacts", "2021-03", 40, 8, 40, 40), ("contacts", "2021-04", 1234, 1234, 1234, 1234)]
    )
    long = quality.completeness(counts)
    with text.language("pl"):
        fig = quality.completeness_chart(long, quality.flag_months(counts)).to_dict()
    community = next(t for t in fig["data"] if t["name"] == "społeczność")
    assert list(community["customdata"]) == [
        "marzec 2021: 20,0% (8 z 40; 95% PU od 10,5% do 34,8%)",
        f"kwiecień 2021: 100,0% (1{NBSP}234 z 1{NBSP}234; 95% PU od 99,7% do 100,0%)",
    ]
    assert list(fig["layout"]["xaxis"]["ticktext"]) == ["mar 2021", "kwi 2021"]
    assert fig["layout"]["separators"] == f",{NBSP}"
    assert fig["layout"]["title"]["text"] == (
        "Odsetek rekordów z wypełnioną społecznością, obszarem i datą"
    )


def test_ranks_and_moves_in_english_and_polish():
    assert [priorities.ordinal(n) for n in (1, 2, 3, 11, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "22nd",
    ]
    assert [priorities.move_words("up", 3, 2), priorities.move_words("down", 1, 6)] == [
        "▲ up 1 place",
        "▼ down 5 places",
    ]
    with text.language("pl"):
        assert [priorities.ordinal(n) for n in (1, 2, 22)] == ["1.", "2.", "22."]
        assert [
            priorities.move_words("up", 2, 1),
            priorities.move_words("up", 5, 3),
            priorities.move_words("down", 1, 6),
            priorities.move_words("down", 1, 23),
        ] == [
            "▲ w górę o 1 pozycję",
            "▲ w górę o 2 pozycje",
            "▼ w dół o 5 pozycji",
            "▼ w dół o 22 pozycje",
        ]


def test_objectives_in_the_language_of_the_page():
    with text.language("pl"):
        named = [o.words() for o in priorities.load_objectives()]
    assert named[-1] == "Bezpieczniejsze drogi wokół szkół"
    assert priorities.load_objectives()[-1].words() == "Safer roads around schools"


def test_scorecard_numbers_in_polish():
    with text.language("pl"):
        assert scorecard.value_text(1234.5, ir.PER_1000_YEAR) == f"1{NBSP}234,5"
        assert scorecard.value_text(0.8234, ir.RATIO) == "0,82"
        assert scorecard.value_text(0.123, ir.PERCENT) == "12,3%"
        assert targets.as_written(12.5) == "12,5"
    assert scorecard.value_text(1234.5, ir.PER_1000_YEAR) == "1,234.5"
    assert targets.as_written(40.0) == "40"


def test_a_targets_file_problem_in_polish():
    source = (
        '[[target]]\ncommunity = "lgbtq"\nindicator = "contact_ratio"\n'
        'comparison = "at_least"\nvalue = -0.5\nperiod = "2021Q2..2022Q1"\n'
        'owner = "chief"\n'
    )
    with text.language("pl"), pytest.raises(targets.TargetsError) as error:
        targets.parse_targets(source)
    assert error.value.problems == [
        "targets.toml, wiersz 5: wartość -0,5 jest mniejsza od zera",
        "targets.toml, wiersz 7: nieznana rola odpowiedzialnego 'chief' (znane: "
        "district_commander, neighbourhood_inspector, community_engagement_officer, "
        "hate_crime_coordinator, performance_analyst)",
    ]


def test_briefing_monthly_chart_text_in_each_language():
    """The briefing chart's text alternative writes its numbers, months and event dates in
    the briefing's language (matplotlib's own month names are English)."""
    from hidden_communities import briefing_charts, registry

    community = registry.codes()[0]
    monthly = pd.DataFrame(
        {
            "community": [community] * 3,
            "month": ["2021-03-01", "2021-04-01", "2021-05-01"],
            "events": [1200, 40, 7],
        }
    )
    events = pd.DataFrame({"event_date": [dt.date(2021, 4, 12)], "kind": ["launch"]})
    with text.language("en"):
        people = text.people(community)
        english = briefing_charts.monthly_alt(monthly, events)
    assert english == (
        "Line chart of proactive contacts a month by community. "
        f"{people}: 1,247 from Mar 2021 to May 2021, at most 1,200 in a month. "
        "Campaign events: 12 Apr 2021 campaign launch."
    )
    with text.language("pl"):
        people = text.people(community)
        polish = briefing_charts.monthly_alt(monthly, events)
        empty = briefing_charts.monthly_alt(monthly.iloc[:0], events.iloc[:0])
    assert polish == (
        "Wykres liniowy miesięcznej liczby kontaktów z inicjatywy policji według "
        f"społeczności. {people}: łącznie 1{NBSP}247 w okresie mar 2021 – maj 2021, "
        f"najwyżej 1{NBSP}200 w jednym miesiącu. Wydarzenia kampanii: 12 kwi 2021 "
        "start kampanii."
    )
    assert empty.endswith("Wydarzenia kampanii: brak.")
