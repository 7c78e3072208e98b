"""The Methods page in Polish: docs/methods.pl.md and data/README.pl.md follow the English
files section for section (headings, formulas, code, tables), write numbers and counts as
the text layer does in Polish, and the page shows them under ?lang=pl while the English
page stays as it was."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from builders import PROJECT_ROOT, english_leftovers, open_page

from hidden_communities import methods_text, text

METHODS_EN = PROJECT_ROOT / "docs" / "methods.md"
METHODS_PL = PROJECT_ROOT / "docs" / "methods.pl.md"
NOTES_EN = PROJECT_ROOT / "data" / "README.md"
NOTES_PL = PROJECT_ROOT / "data" / "README.pl.md"

EN_SECTION = "## What the census can and cannot say"
PL_SECTION = "## Co spis powszechny może, a czego nie może tu powiedzieć"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _section(notes: str, heading: str) -> str:
    assert heading in notes
    return notes[notes.index(heading) :]


def _prose_lines(markdown: str) -> list[str]:
    """The lines outside indented code blocks (a `#` there is not a heading)."""
    return [line for line in markdown.splitlines() if not line.startswith("    ")]


def _headings(markdown: str) -> Counter:
    return Counter(
        len(m.group(1)) for line in _prose_lines(markdown) if (m := re.match(r"(#+) ", line))
    )


def _code_spans(markdown: str) -> Counter:
    return Counter(re.findall(r"`[^`]+`", markdown))


def _signature(formula: str) -> str:
    """A formula without its words: operators, digits, sub- and superscripts, brackets and
    Greek letters in order. Words are translated; the mathematics must not change."""
    kept = []
    for char in formula:
        if char.isspace() or char in "-'’>" or char == "\xa0":
            continue
        if unicodedata.category(char).startswith("L") and not "α" <= char.lower() <= "ω":
            continue
        kept.append(char)
    return "".join(kept)


def _formulas(markdown: str) -> list[str]:
    """Each block-quoted formula (consecutive `>` lines) and each indented code line."""
    found: list[str] = []
    quote: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith(">"):
            quote.append(line)
            continue
        if quote:
            found.append(_signature(" ".join(quote)))
            quote = []
        if line.startswith("    ") and line.strip():
            found.append(_signature(line))
    return found


def _table_shapes(markdown: str) -> list[int]:
    """The number of cells of every table row, in order."""
    return [line.count("|") for line in _prose_lines(markdown) if line.startswith("|")]


def test_the_census_section_heading_is_a_catalogue_key_in_each_language():
    with text.language("en"):
        assert text.t("methods_page.census_section") == EN_SECTION
        assert text.t("methods_page.baselines_heading") == "The population baselines"
    with text.language("pl"):
        assert text.t("methods_page.census_section") == PL_SECTION
        assert (
            text.t("methods_page.baselines_heading") == "Punkty odniesienia ze spisu powszechnego"
        )
    assert PL_SECTION in _read(NOTES_PL).splitlines()


@pytest.mark.parametrize(
    ("english", "polish"),
    [
        (_read(METHODS_EN), _read(METHODS_PL)),
        (_section(_read(NOTES_EN), EN_SECTION), _section(_read(NOTES_PL), PL_SECTION)),
    ],
    ids=["methods", "census_section"],
)
def test_the_polish_text_follows_the_english_section_for_section(english, polish):
    assert _headings(polish) == _headings(english)
    assert _formulas(polish) == _formulas(english)
    assert _table_shapes(polish) == _table_shapes(english)
    # Every code name and path is kept; the census section may point to the English notes
    # for what it leaves out (the Polish file holds only the section).
    missing = _code_spans(english) - _code_spans(polish)
    assert missing == Counter()


def test_the_polish_methods_keep_every_code_span_exactly():
    assert _code_spans(_read(METHODS_PL)) == _code_spans(_read(METHODS_EN))


def test_the_formula_check_sees_a_changed_formula():
    english = "> (2x + z² ± z·√(z² + 4x(1 − x/n))) / (2(n + z²))"
    assert _formulas(english) == ["(2+²±·√(²+4(1−/)))/(2(+²))"]
    assert _formulas(english.replace("4x", "2x")) != _formulas(english)
    assert _formulas("> oczekiwana = a × b ×\n> c") == _formulas("> expected = a × b's ×\n> c-d")


def _numbers_in_english_prose(markdown: str) -> list[str]:
    """Numbers written with a thousands comma or a decimal point, outside code."""
    plain = re.sub(r"`[^`]*`", " ", markdown)
    return re.findall(
        r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]\d)|(?<![\w.])\d+\.\d+", plain
    )


def test_every_number_is_written_as_the_text_layer_writes_it_in_polish():
    english = _read(METHODS_EN) + _section(_read(NOTES_EN), EN_SECTION)
    polish = _read(METHODS_PL) + _section(_read(NOTES_PL), PL_SECTION)
    numbers = sorted(set(_numbers_in_english_prose(english)))
    assert {"1,000", "102,843", "365.25", "2.66", "3.267", "0.002"} <= set(numbers)
    with text.language("pl"):
        written = {}
        for number in numbers:
            decimals = len(number.split(".")[1]) if "." in number else 0
            written[number] = text.number(float(number.replace(",", "")), decimals)
        missing = {en: pl for en, pl in written.items() if pl not in polish}
        assert missing == {}
        # Exact strings: a no-break space groups thousands and a comma marks decimals.
        assert (written["102,843"], written["365.25"], written["1,000"]) == (
            "102\xa0843",
            "365,25",
            "1\xa0000",
        )


def test_counts_take_the_polish_plural_forms_the_text_layer_gives():
    methods, notes = _read(METHODS_PL), _read(NOTES_PL)
    with text.language("pl"):
        # "65 z 1 000 kontaktów", "mniej niż 10 kontaktów", "126 306 mieszkańców": the many
        # form, where 2 takes the few form.
        assert text.plural("count.contacts", 1000) == "1\xa0000 kontaktów"
        assert f"z {text.plural('count.contacts', 1000)}" in methods
        assert f"mniej niż {text.plural('count.contacts', 10)}" in methods
        assert text.plural("count.residents", 126306) == "126\xa0306 mieszkańców"
        assert text.plural("count.residents", 126306) in notes
        assert text.plural("count.contacts", 2) == "2 kontakty"
        assert text.plural("count.residents", 2) == "2 mieszkańcy"


def test_a_language_without_its_own_file_reads_english(tmp_path, monkeypatch):
    page = tmp_path / "methods.md"
    page.write_text("# Methods\n", encoding="utf-8")
    (tmp_path / "methods.pl.md").write_text("# Metody\n", encoding="utf-8")
    assert methods_text.localised(page, "pl") == tmp_path / "methods.pl.md"
    assert methods_text.localised(page, "ro") == page
    assert methods_text.localised(page, "en") == page
    monkeypatch.setattr(methods_text, "METHODS", page)
    assert methods_text.methods("pl") == "# Metody\n"
    assert methods_text.methods("ro") == "# Methods\n"


def test_the_census_section_in_polish_falls_back_to_the_english_notes(tmp_path, monkeypatch):
    notes = tmp_path / "README.md"
    notes.write_text(f"# data/\n\nFiles.\n\n{EN_SECTION} here\n\nTable.\n", encoding="utf-8")
    monkeypatch.setattr(methods_text, "DATA_NOTES", notes)
    # No README.pl.md: the English section, under the Polish page heading.
    assert methods_text.census_section("pl") == (
        f"# Punkty odniesienia ze spisu powszechnego\n\n{EN_SECTION} here\n\nTable.\n"
    )
    (tmp_path / "README.pl.md").write_text(f"# data/\n\n{PL_SECTION}\n\nTabela.\n", "utf-8")
    assert methods_text.census_section("pl") == (
        f"# Punkty odniesienia ze spisu powszechnego\n\n{PL_SECTION}\n\nTabela.\n"
    )
    notes.write_text("# data/\n\nNo census section.\n", encoding="utf-8")
    assert methods_text.census_section("en") is None


def test_the_methods_page_in_polish_shows_the_polish_files(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "methods_and_sources", lang="pl")
    shown = [m.value for m in at.markdown]
    # st.markdown strips the closing newline.
    assert shown[0] == _read(METHODS_PL).strip()
    assert shown[1] == (
        "# Punkty odniesienia ze spisu powszechnego\n\n"
        + _section(_read(NOTES_PL), PL_SECTION).strip()
    )


def test_the_methods_page_in_english_is_unchanged(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "methods_and_sources", lang="en")
    shown = [m.value for m in at.markdown]
    assert shown[0] == _read(METHODS_EN).strip()
    assert shown[1] == (
        "# The population baselines\n\n" + _section(_read(NOTES_EN), EN_SECTION).strip()
    )


# Words the Polish files keep as they are: names of people, bodies, software and census
# geographies, and Polish words spelt like English ones (trend, model, start, bootstrap).
KEPT_AS_THEY_ARE = {
    "Wilson",
    "Byar",
    "Katz",
    "Newcombe",
    "Poisson",
    "Spiegelhalter",
    "Benjamini",
    "Hochberg",
    "Wald",
    "Ashfield",
    "Nomis",
    "ONS",
    "NHS",
    "LGB",
    "LGBTQ",
    "LSOA",
    "MSOA",
    "XmR",
    "SPC",
    "PDF",
    "WeasyPrint",
    "matplotlib",
    "trend",
    "model",
    "start",
    "bootstrap",
}


def _without_citations(markdown: str) -> str:
    """The text without its references, which keep the cited works' English titles as
    published (the "Źródło:" paragraphs, and a title in italics word for word as the English
    file has it, such as *Making Data Count*), and without host names (data.police.uk)."""
    paragraphs = [p for p in markdown.split("\n\n") if not p.startswith("**Źródł")]
    titles = set(re.findall(r"\*[^*\n]+\*", _read(METHODS_EN)))
    kept = re.sub(
        r"\*[^*\n]+\*", lambda m: " " if m.group() in titles else m.group(), "\n\n".join(paragraphs)
    )
    return re.sub(r"\b[\w.]+\.uk\b", " ", kept)


def test_no_english_is_left_in_the_polish_methods_outside_the_references(explore_db, monkeypatch):
    at = open_page(explore_db, monkeypatch, "methods_and_sources", lang="pl")
    shown = [_without_citations(m.value) for m in at.markdown[:2]]  # the two files
    assert english_leftovers(shown, KEPT_AS_THEY_ARE) == {}
    # The check finds English: the English page's text is flagged.
    assert english_leftovers([_without_citations(_read(METHODS_EN))], KEPT_AS_THEY_ARE)
