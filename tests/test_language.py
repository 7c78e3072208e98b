"""English and Polish: the Polish catalogue covers every English key, counts, numbers and
dates follow each language's CLDR rules, and every page renders in Polish with no English
left on it (apart from proper names and the data dictionary's column names)."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import english_leftovers, open_page, page_stems, page_strings

from hidden_communities import columns, text


def test_polish_catalogue_covers_every_english_key():
    missing = sorted(set(text.catalogue("en")) - set(text.catalogue("pl")))
    assert missing == []


def test_polish_catalogue_keeps_every_placeholder():
    import re

    def holes(value: str) -> set[str]:
        return set(re.findall(r"\{(\w+)", value))

    english, polish = text.catalogue("en"), text.catalogue("pl")
    differ = {
        k: (holes(v), holes(polish[k]))
        for k, v in english.items()
        if k in polish and holes(v) != holes(polish[k])
    }
    assert differ == {}


@pytest.mark.parametrize(
    ("lang", "counts", "expected"),
    [
        ("en", (1, 2, 5, 22), ["1 contact", "2 contacts", "5 contacts", "22 contacts"]),
        ("pl", (1, 2, 5, 22), ["1 kontakt", "2 kontakty", "5 kontaktów", "22 kontakty"]),
        ("pl", (12, 112, 1234), ["12 kontaktów", "112 kontaktów", "1\xa0234 kontakty"]),
    ],
)
def test_counts_take_the_languages_plural_forms(lang, counts, expected):
    with text.language(lang):
        assert [text.plural("count.contacts", n) for n in counts] == expected


def test_numbers_dates_and_shares_follow_the_language():
    day = dt.date(2021, 4, 12)
    with text.language("en"):
        assert (text.number(1234.5, 1), text.date(day), text.percent(0.123)) == (
            "1,234.5",
            "12 April 2021",
            "12.3%",
        )
    with text.language("pl"):
        assert (text.number(1234.5, 1), text.date(day), text.percent(0.123)) == (
            "1\xa0234,5",
            "12 kwietnia 2021",
            "12,3%",
        )
        assert text.date(day, "month") == "kwiecień 2021"


def test_a_new_language_is_a_file_alone(tmp_path, monkeypatch):
    (tmp_path / "en.toml").write_text('[words]\nand = "and"\n', encoding="utf-8")
    (tmp_path / "ro.toml").write_text('[words]\nand = "și"\n', encoding="utf-8")
    monkeypatch.setattr(text, "CATALOGUE_DIR", tmp_path)
    text._file_catalogue.cache_clear()
    try:
        assert "ro" in text.languages()
        with text.language("ro"):
            assert text.t("words.and") == "și"
    finally:
        text._file_catalogue.cache_clear()


def _proper_names(db_path) -> set[str]:
    """Words that stay as they are in Polish: place and team names in the data, the data
    dictionary's column names, and the product's and sources' names."""
    import re

    import duckdb

    names: set[str] = {
        "Ashfield",
        "Nottinghamshire",
        "Nomis",
        "ONS",
        "Okabe",
        "Ito",
        "DuckDB",
        "Streamlit",
        "Wilson",
        "Byar",
        "Katz",
        "Newcombe",
        "Poisson",
        "Spiegelhalter",
        "Benjamini",
        "Hochberg",
        "Bernal",
        "Wald",
        "XmR",
        "CSV",
        "XLSX",
        "UTF",
        "LGBTQ",
        "MSOA",
        "LSOA",
        "Crown",
        "Government",
        "Licence",
        "Open",
    }
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for (name,) in con.sql("select distinct area_name from areas").fetchall():
            names |= set(re.findall(r"[^\W\d_]+", str(name)))
        for (team,) in con.sql("select distinct team from contacts").fetchall():
            names |= set(re.findall(r"[^\W\d_]+", str(team or "")))
    finally:
        con.close()
    # The language control names each language in itself ("English", "Polski").
    names |= {text.native_name(lang) for lang in text.languages()}
    for specs in columns.SPECS.values():
        for spec in specs:
            names |= set(spec.name.split("_"))
    return names


def _official_names(db_path) -> list[str]:
    """The districts' and forces' official names in the data, whole ("Newark and Sherwood"):
    proper names that stay as published. Masked as whole names only, so an English word of
    theirs ("and") is still caught anywhere else."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.sql("select district_name from districts union select force_name from districts")
        return sorted((name for (name,) in rows.fetchall()), key=len, reverse=True)
    finally:
        con.close()


@pytest.mark.parametrize("stem", page_stems())
def test_every_page_renders_in_polish_with_no_english_left(explore_db, monkeypatch, stem):
    at = open_page(explore_db, monkeypatch, stem, lang="pl", audience="inspector")
    strings = page_strings(at)
    for name in _official_names(explore_db):
        strings = [s.replace(name, " ") for s in strings]
    leftovers = english_leftovers(strings, _proper_names(explore_db))
    assert leftovers == {}


def test_september_is_three_letters_short_and_whole_long_in_english():
    day = dt.date(2021, 9, 3)
    with text.language("en"):
        assert [text.date(day, f) for f in ("short", "month_short", "month", "long")] == [
            "3 Sep 2021",
            "Sep 2021",
            "September 2021",
            "3 September 2021",
        ]
    with text.language("pl"):
        assert text.date(day, "long") == "3 września 2021"


def test_the_filter_line_writes_its_dates_in_the_language():
    from hidden_communities.filters import Filters

    chosen = Filters(start=dt.date(2020, 4, 1), end=dt.date(2022, 3, 31))
    with text.language("pl"):
        assert chosen.describe({}).startswith("1 kwi 2020 – 31 mar 2022; cały dystrykt")
    assert chosen.describe({}).startswith("1 Apr 2020 to 31 Mar 2022; whole district")


@pytest.mark.parametrize("audience", ["public", "leadership", "inspector"])
def test_a_polish_page_runs_again_after_a_choice(explore_db, monkeypatch, audience):
    """Every choice's label stays in the page's language between runs: the test harness
    (like a second look at the widget) formats the chosen value outside the run, and an
    English label missing from a Polish list of options stopped the next run."""
    at = open_page(explore_db, monkeypatch, "overview", lang="pl", audience=audience)
    assert at.selectbox(key="audience").value == audience
    at.selectbox(key="lang").set_value("pl").run()
    assert not at.exception
    other = "inspector" if audience == "public" else "public"
    at.selectbox(key="audience").set_value(other).run()
    assert not at.exception
    assert at.selectbox(key="audience").value == other
    assert "Spotkanie publiczne" in at.selectbox(key="audience").options
