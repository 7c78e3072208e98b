"""The public presentation (issue 16) and its Priorities slide (issue 14): the slides built
from published counts, the PowerPoint and PDF files opened and read back in English and
Polish, the page under AppTest and the `present` command.

The hand-made database has deliberately small cells, each a number no date or label on
the slides contains, so a raw count that leaked would be found by its digits:

  1 Jan 2021 (before the launch): 7 Eastern European, 23 veterans, 11 LGBTQ+, 40 none
  14 May 2021: 23 Eastern European raising hate crime; 7 veterans raising mental health;
               13 LGBTQ+ raising hate crime and trust in police; 42 none raising
               anti-social behaviour; 4 not recorded raising road safety
  31 Mar 2022: 33 Eastern European (no topic)
  Campaign launch: 12 Apr 2021. Every contact face to face, about an adult.

Published (rounded to 5, withheld under 10) for 2021Q2..2022Q1: Eastern European 56 ->
55, veterans 7 -> withheld, LGBTQ+ 13 -> 15, contacts that say who was involved 118 -> 120.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import duckdb
import pytest

from hidden_communities import presentation, slides_export, text
from hidden_communities.cli import main
from queries import run_query
from tests.builders import (
    PROJECT_ROOT,
    contacts,
    empty_database,
    english_leftovers,
    load_frame,
    open_page,
)

PERIOD = "2021Q2..2022Q1"
RAW = {"7", "11", "13", "23", "33", "42", "56", "76", "118", "36", "4"}  # never shown
PDF_TOOLS = shutil.which("pdftotext") and shutil.which("pdfinfo")
needs_pdf_tools = pytest.mark.skipif(not PDF_TOOLS, reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def small_db(tmp_path_factory, reference) -> Path:
    path = tmp_path_factory.mktemp("slides") / "small.duckdb"
    con = empty_database(path, reference)
    rows = [
        ("2021-01-01", "eastern_european", "", 7),
        ("2021-01-01", "armed_forces", "", 23),
        ("2021-01-01", "lgbtq", "", 11),
        ("2021-01-01", "none", "", 40),
        ("2021-05-14", "eastern_european", "hate_crime", 23),
        ("2021-05-14", "armed_forces", "mental_health", 7),
        ("2021-05-14", "lgbtq", "hate_crime;trust_in_police", 13),
        ("2021-05-14", "none", "anti_social_behaviour", 42),
        ("2021-05-14", "not_recorded", "road_safety", 4),
        ("2022-03-31", "eastern_european", "", 33),
    ]
    frame = contacts(rows, fields=("contact_date", "communities", "topics"))
    load_frame(con, frame, "contacts", reference["areas"], "contacts.csv")
    con.execute(
        "INSERT INTO campaign_events VALUES (DATE '2021-04-12', 'launch', "
        "'Campaign launched', NULL, ['eastern_european', 'armed_forces', 'lgbtq'], NULL)"
    )
    con.close()
    return path


def _query(db: Path):
    def query(name: str, **params):
        con = duckdb.connect(str(db), read_only=True)
        try:
            return run_query(con, name, **params)
        finally:
            con.close()

    return query


@pytest.fixture(scope="module")
def decks(small_db) -> dict[str, presentation.Deck]:
    period = presentation.parse_period(PERIOD)
    return {lang: presentation.build(_query(small_db), period, lang) for lang in ("en", "pl")}


@pytest.fixture(scope="module")
def files(decks, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each deck as PowerPoint and PDF, its charts drawn once for both."""
    folder = tmp_path_factory.mktemp("slide-files")
    out = {}
    for lang, deck in decks.items():
        pictures = slides_export._pictures(deck)
        for suffix, write in ((".pptx", slides_export.to_pptx), (".pdf", slides_export.to_pdf)):
            path = folder / f"slides-{lang}{suffix}"
            path.write_bytes(write(deck, pictures))
            out[lang, suffix] = path
    return out


def _slide(deck, code):
    return next(s for s in deck.slides if s.code == code)


def _table(deck, code) -> list[list[str]]:
    table = _slide(deck, code).table
    return [list(table.columns), *[list(row) for row in table.itertuples(index=False)]]


# ------------------------------------------------------------------------------ the slides


def test_the_slides_show_published_figures_only(decks):
    deck = decks["en"]
    assert [s.code for s in deck.slides] == list(presentation.SLIDES)
    assert deck.period.code() == PERIOD
    # Shares from published counts: 55 of 120 and 15 of 120; veterans' 7 are withheld.
    # Census shares: 2,885 of 126,300; 4,325 of 102,846; LGBTQ+ 2,842 of 102,846.
    assert _table(deck, "heard") == [
        ["Group", "Share of residents", "Share of contacts"],
        ["Eastern European", "2.3%", "45.8%"],
        ["Armed forces veterans", "4.2%", "too few to say"],
        ["LGBTQ+", "2.8%", "12.5%"],
    ]
    # Quarters (published): Q1 2021 EE withheld, veterans 25, LGBTQ+ 10; Q2 2021 EE 25,
    # veterans withheld, LGBTQ+ 15; Q1 2022 EE 35. Averages a quarter: EE after
    # (25 + 0 + 0 + 35) / 4 = 15; veterans before 25; LGBTQ+ before 10, after 15 / 4 < 10.
    assert _table(deck, "change") == [
        ["Group", "A quarter before", "A quarter since"],
        ["Eastern European", "fewer than 10", "about 15"],
        ["Armed forces veterans", "about 25", "fewer than 10"],
        ["LGBTQ+", "about 10", "fewer than 10"],
    ]
    assert _table(deck, "topics") == [
        ["Group", "Topics raised most, in order"],
        ["Eastern European", "Hate crime"],
        ["Armed forces veterans", "too few to say"],
        ["LGBTQ+", "Hate crime, Trust in police"],
        ["Everyone else", "Anti-social behaviour"],
    ]
    assert _slide(deck, "topics").reading == (
        "The topic people raise most often: Anti-social behaviour."
    )
    doing = _slide(deck, "doing")
    assert doing.figure.alt == (
        "Bar chart of contacts with these groups by the way we made contact: Face-to-face: 75."
    )
    assert _table(deck, "doing") == [
        ["Date", "Campaign event"],
        ["12 April 2021", "Campaign launch"],
    ]


def test_the_priorities_slide_reweights_published_mentions(decks):
    deck = decks["en"]
    slide = _slide(deck, "priorities")
    # Veterans' 7 mentions are withheld: too few to say, their weight shared out. Everyone
    # else raises anti-social behaviour, which an objective covers; hate crime and trust in
    # police follow, and no objective covers them.
    assert _table(deck, "priorities") == [
        ["Rank by who lives here", "Concern", "Covered by an objective"],
        ["1", "Anti-social behaviour", "Yes"],
        ["2", "Hate crime", "No"],
        ["3", "Trust in police", "No"],
    ]
    assert slide.reading == (
        "If every group were heard in proportion to how many live here, the top concern "
        "would be: Anti-social behaviour; no current objective covers: Hate crime and Trust "
        "in police."
    )
    assert slide.notes[0] == (
        "Too few to say for: Armed forces veterans; their share of residents was spread over "
        "the other groups."
    )


def test_readings_follow_the_figures_in_plain_words(decks):
    en, pl = decks["en"], decks["pl"]
    assert _slide(en, "heard").reading == (
        "We do not hear clearly less from any group than its share of the people who live here."
    )
    # Eastern European: fewer than 10 a quarter before the launch, about 15 since.
    assert _slide(en, "change").reading == (
        "Since the campaign began on 12 April 2021, we have had more contact with this "
        "group: Eastern European."
    )
    with text.language("pl"):
        name = text.community("eastern_european")
    assert _slide(pl, "change").reading == (
        f"Od startu kampanii 12 kwietnia 2021 mamy więcej kontaktów z tą grupą: {name}."
    )
    assert _slide(pl, "about").notes[0] == "Okres danych: od 1 kwietnia 2021 do 31 marca 2022."
    # The title slide says when the data are a demonstration: these are not.
    assert not en.demonstration and len(_slide(en, "title").notes) == 1


def test_only_whole_quarters_are_presented():
    assert presentation.parse_period("2021").code() == "2021Q1..2021Q4"
    assert presentation.parse_period("2021Q2..2022Q1").days == 365
    for bad in ("2021-04-03..2022-03-31", "2021-05..2021-07", "nonsense"):
        with pytest.raises(presentation.PresentationError):
            presentation.parse_period(bad)
    # The default is the latest full year, ended with the last whole quarter.
    from datetime import date

    assert presentation.default_period(date(2022, 3, 31)).code() == "2021Q2..2022Q1"
    assert presentation.default_period(date(2024, 5, 15)).code() == "2023Q2..2024Q1"


def test_a_period_with_no_records_still_makes_plain_slides(small_db):
    deck = presentation.build(_query(small_db), presentation.parse_period("2019"), "en")
    assert _slide(deck, "heard").reading == (
        "There were too few contacts to compare with who lives here."
    )
    assert _slide(deck, "change").reading == (
        "No campaign launch is recorded up to the end of this period, so there is no before "
        "and after to compare."
    )
    assert _slide(deck, "doing").figure is None  # no bar to draw
    assert slides_export.overflows(deck) == []


def test_the_demonstration_deck_publishes_counts_in_fives(demo_db_path):
    deck = presentation.build(_query(demo_db_path), None, "en")
    assert deck.demonstration
    assert _slide(deck, "title").notes[1].startswith("Demonstration data:")
    counts = []
    for code in ("change", "doing"):
        alt = _slide(deck, code).figure.alt
        alt = re.sub(r"Q[1-4] \d{4}|\d{1,2} \w+ \d{4}", " ", alt)  # quarters and dates
        counts += [int(n) for n in re.findall(r"\b\d+\b", alt)]
    counts += [
        int(n)
        for row in _table(deck, "change")[1:]
        for cell in row[1:]
        for n in re.findall(r"\d+", cell)
        if "fewer" not in cell
    ]
    assert counts and all(n == 0 or (n >= 10 and n % 5 == 0) for n in counts), counts
    # Every word fits its box at the sizes a hall needs, in both languages.
    assert slides_export.overflows(deck) == []
    assert slides_export.overflows(presentation.build(_query(demo_db_path), None, "pl")) == []


# ------------------------------------------------------------------------------ the files


def _pptx_words(path: Path) -> tuple[list[list[str]], list]:
    from pptx import Presentation

    pres = Presentation(str(path))
    slides, runs = [], []
    for slide in pres.slides:
        words = []
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if getattr(shape, "has_table", False) and shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                words.append(frame.text)
                runs += [run for p in frame.paragraphs for run in p.runs]
        slides.append(words)
    return slides, runs


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _pdf_objects(path: Path) -> bytes:
    raw = path.read_bytes()
    found = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        with contextlib.suppress(zlib.error):
            found.append(zlib.decompress(match.group(1)))
    return b"\n".join(found)


def _no_raw_counts(words: str) -> None:
    tokens = set(re.findall(r"(?<![\w.,])\d+(?![\w.,%])", words))
    assert not tokens & RAW, sorted(tokens & RAW)
    assert {"10", "15", "25"} <= tokens  # the published averages are there


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_the_powerpoint_is_large_accessible_and_safe(files, decks, lang):
    from pptx import Presentation

    path = files[lang, ".pptx"]
    slides, runs = _pptx_words(path)
    assert len(slides) == len(presentation.SLIDES)
    words = "\n".join(w for slide in slides for w in slide)
    _no_raw_counts(words)
    # Large type: nothing under 20 points (the 28 pixels of a 1920x1080 slide and more).
    assert min(run.font.size.pt for run in runs) >= 20
    pres = Presentation(str(path))
    assert (pres.slide_width.inches, pres.slide_height.inches) == (20, 11.25)
    pictures = [s for slide in pres.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == sum(1 for s in decks[lang].slides if s.figure)
    for picture in pictures:
        assert picture._element.nvPicPr.cNvPr.get("descr"), "a picture without alt text"
    last = "\n".join(slides[-1])
    assert "Open Government Licence v3.0" in last
    with text.language(lang):
        assert presentation.period_words(decks[lang].period) in last
    assert all(slide.shapes.title.text for slide in pres.slides)  # every slide has a title


@needs_pdf_tools
@pytest.mark.parametrize("lang", ["en", "pl"])
def test_the_pdf_is_tagged_landscape_and_safe(files, decks, lang):
    path = files[lang, ".pdf"]
    words = _pdf_text(path)
    _no_raw_counts(words)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+8$", info, re.M)
    assert re.search(r"^Page size:\s+1440 x 810 pts", info, re.M)  # 1920 x 1080 px, 16:9
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    figures = sum(1 for s in decks[lang].slides if s.figure)
    tree = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True)
    assert tree.stdout.count("Figure") == figures
    assert _pdf_objects(path).count(b"/Alt") == figures
    assert "Open Government Licence v3.0" in words
    with text.language(lang):
        assert presentation.period_words(decks[lang].period) in words


def _deck_words(deck) -> list[str]:
    found = []
    for slide in deck.slides:
        found += [slide.title, slide.reading, *slide.notes]
        if slide.table is not None:
            found += [str(c) for c in slide.table.columns]
            found += [str(v) for row in slide.table.itertuples(index=False) for v in row]
        if slide.figure is not None:
            found.append(slide.figure.alt)
            found += [str(v) for v in slide.figure.words.values()]
    return found


# Words of the slides that stay as they are in Polish: place, product and source names,
# the district's contact details (data/presentation.toml) and the licence's name.
PROPER_NAMES = {
    "LGBTQ",
    "ONS",
    "Open",
    "Government",
    "Licence",
    "Relay",
    "True",
    "Vision",
    "Crimestoppers",
    "PowerPoint",
    "PDF",
}
# Labels the slides share with the rest of the dashboard (en.toml): until the Polish
# catalogue translates them, they show in English, and only these may.
SHARED = ("community.", "topic.", "channel.", "event_kind.", "priorities.group_")


def test_the_polish_deck_is_polish(decks, files):
    english, polish = text.catalogue("en"), text.catalogue("pl")
    shared = [v for k, v in english.items() if k.startswith(SHARED) and k not in polish]
    allowed = PROPER_NAMES | {w for v in shared for w in re.findall(r"[^\W\d_]{3,}", v)}
    words = _deck_words(decks["pl"])
    assert english_leftovers(words, allowed) == {}
    joined = " ".join(words)
    assert all(letter in joined for letter in "ąęłńóśżź")
    assert "Ukryte społeczności: kogo słyszymy" in joined
    if PDF_TOOLS:  # the letters survive the PDF as real text
        assert "Kogo słyszymy, a kto tu mieszka" in _pdf_text(files["pl", ".pdf"])
    slides, _ = _pptx_words(files["pl", ".pptx"])
    assert "Czyj głos wyznacza nasze priorytety" in slides[5]


def _fragment(lang: str) -> dict[str, str]:
    import tomllib

    path = PROJECT_ROOT / "hidden_communities" / "catalogues" / lang / "presentation.toml"
    with path.open("rb") as handle:
        return text._flatten(tomllib.load(handle))


def test_every_presentation_word_is_in_both_languages():
    english, polish = _fragment("en"), _fragment("pl")

    def base(key: str) -> str:  # a plural key's forms differ by language
        return key.rsplit(".", 1)[0] if key.endswith((".one", ".few", ".many", ".other")) else key

    def holes(value: str) -> set[str]:
        return set(re.findall(r"\{(\w+)", value))

    assert {base(k) for k in english} == {base(k) for k in polish}
    assert [
        k for k in english.keys() & polish.keys() if holes(english[k]) != holes(polish[k])
    ] == []


# ------------------------------------------------------------------------------ the page


def test_the_page_steps_through_the_slides_with_the_slide_in_the_url(small_db, monkeypatch):
    # The inspector's audience is chosen: the page still shows the public published view.
    at = open_page(small_db, monkeypatch, "presentation", audience="inspector", slide="2")
    assert [t.value for t in at.title] == ["Who we hear from, and who lives here"]
    table = at.table[0].value
    assert list(table.loc["Eastern European"]) == ["2.3%", "45.8%"]
    at.button(key="slides_next").click().run()
    assert [t.value for t in at.title] == ["How contact has changed since the campaign began"]
    assert at.query_params["slide"] == "3"
    images = at.get("image")
    assert len(images) == 1 and images[0].proto.imgs[0].alt.startswith("Line chart of contacts")
    at.button(key="slides_previous").click().run()
    at.button(key="slides_previous").click().run()
    assert at.button(key="slides_previous").disabled
    assert "slide" not in at.query_params  # the first slide is the default
    assert [el.proto.label for el in at.get("download_button")] == ["PowerPoint", "PDF"]


# ------------------------------------------------------------------------------ the command


def test_the_present_command_writes_slides_and_refuses_plainly(small_db, tmp_path, capsys):
    out = tmp_path / "slajdy.pptx"
    argv = ["present", "--lang", "pl", "--period", PERIOD, "--db", str(small_db)]
    assert main([*argv, "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    from pptx import Presentation

    assert (
        Presentation(str(out)).slides[0].shapes.title.text == "Ukryte społeczności: kogo słyszymy"
    )
    refusals = {
        "--period": (["--period", "2021-04-03..2022-03-31"], "is not whole quarters"),
        "--lang": (["--lang", "xx"], "--lang 'xx' is not one of en, pl"),
        "--out": (["--out", str(tmp_path / "slides.docx")], "must end in .pptx or .pdf"),
        "--db": (["--db", str(tmp_path / "none.duckdb")], "no database at"),
    }
    for option, (change, words) in refusals.items():
        args = [*argv, "--out", str(tmp_path / "never.pdf")]
        at = args.index(option) if option in args else len(args)
        args[at : at + 2] = change
        assert main(args) == 2, option
        err = capsys.readouterr().err
        # One plain line, never a traceback (main would have raised).
        assert err.count("\n") == 1 and words in err, err
    assert not (tmp_path / "never.pdf").exists()


def test_a_missing_piece_is_said_plainly(decks, monkeypatch):
    import builtins

    real = builtins.__import__

    def without_pptx(name, *args, **kwargs):
        if name == "pptx" or name.startswith("pptx."):
            raise ImportError("No module named 'pptx'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pptx)
    with pytest.raises(slides_export.SlidesUnavailable) as missing:
        slides_export.to_pptx(decks["pl"], {s.code: b"" for s in decks["pl"].slides})
    assert str(missing.value).startswith("biblioteka python-pptx")
    assert dict(slides_export.unavailable("en"))[".pptx"].startswith("the PowerPoint library")
