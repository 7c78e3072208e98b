"""Issue 16: disclosure that holds across every view.

The public audience ("Public meeting") sees a fixed set of published views (whole quarters or
years, MSOAs or the whole district, no channel, crime-type, strand or area filter), and every
count it sees was published before anything was derived from it: rounded to the nearest 5,
withheld from 1 to 9 ("<10"). These tests build a database of deliberately small cells with
the five attacks of the issue in it, open every page under `?audience=public` with every
option a public user can choose, collect every count shown (tables, text, chart data and
hovers, downloads) and check that none can be worked out by differencing two views.

The database (every record in 2021, so the published periods are 2021 and its four
quarters; the campaign launch on 12 April 2021):

Eastern European contacts, 12 from March to May (the attacks):
  10 Mar, Ashfield 005A (Carsic ward, MSOA 005), by phone: 3  (before the launch)
  20 Apr, Ashfield 007C (Abbey Hill ward, MSOA 007), face to face: 6
  17 May, Ashfield 007B (Abbey Hill ward, MSOA 007), face to face: 3  (15 to 20 May)
Other contacts: none of the communities 5 (1 Jan, 009A), 23 (15 Jan, 007B), 31 (10 Feb,
  009D), 17 (15 Jun, 005B), 12 (20 Jul, 007A), 14 (5 Sep, 009D), 26 (11 Nov, 007B),
  8 (31 Dec, 005A); LGBTQ+ 11 (10 May, 007D) and 4 (10 Aug, 007B); veterans 13 by phone
  (10 Oct, 009D); community not recorded 6 (14 May, 007B) and 5 (10 Aug, 007B, with a note).
  Every contact and report is logged by the "Osprey neighbourhood team".
Crime reports: Eastern European 11 (5 May, 009D), 3 (2 Jun, 007B), 8 (3 Jun, 005A);
  LGBTQ+ 2 (3 Mar, 007C); none 40 (20 Jan, 009D), 35 (7 Jul, 007B), 27 (30 Nov, 005B);
  not recorded 9 (8 Aug, 007B).
data.police.uk rows: burglary 12 (007B) and 3 (007C) in February; vehicle crime 7 (005A)
  and 16 (007B) in May.
"""

from __future__ import annotations

import base64
import io
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hidden_communities import disclosure, filters, periods, quality, settings, text
from hidden_communities.ingest import import_file
from queries import declared, run_query
from tests.builders import (
    PROJECT_ROOT,
    app,
    contacts,
    empty_database,
    load_frame,
    page_stems,
    page_strings,
    reports,
    table_with,
)

B7, C7, D7, A7 = "E01027951", "E01027953", "E01027954", "E01027949"  # MSOA 007
A5, B5 = "E01027964", "E01027965"  # MSOA 005 (005A is Carsic ward's)
D9, A9 = "E01027957", "E01027947"  # MSOA 009
TEAM = "Osprey neighbourhood team"
NOTE = "Met the owner of the Baltic food shop"
POLICE_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
FORCE = "Nottinghamshire Police,Nottinghamshire Police,-1.25,53.13,On or near Park"


def _police(month: str, lsoa: str, name: str, crime: str, n: int, tag: str) -> str:
    return "".join(
        f"{tag}{i:03d},{month},{FORCE},{lsoa},{name},{crime},Under investigation,\n"
        for i in range(n)
    )


@pytest.fixture(scope="module")
def small_db(tmp_path_factory, reference) -> Path:
    path = tmp_path_factory.mktemp("public") / "small.duckdb"
    con = empty_database(path, reference)
    areas = reference["areas"]
    fields = ("contact_date", "area", "communities", "channel")
    load_frame(
        con,
        contacts(
            [
                ("2021-01-01", A9, "none", "face_to_face", 5),
                ("2021-01-15", B7, "none", "face_to_face", 23),
                ("2021-02-10", D9, "none", "face_to_face", 31),
                ("2021-03-10", A5, "eastern_european", "phone", 3),
                ("2021-04-20", C7, "eastern_european", "face_to_face", 6),
                ("2021-05-10", D7, "lgbtq", "face_to_face", 11),
                ("2021-05-14", B7, "not_recorded", "face_to_face", 6),
                ("2021-05-17", B7, "eastern_european", "face_to_face", 3),
                ("2021-06-15", B5, "none", "face_to_face", 17),
                ("2021-07-20", A7, "none", "face_to_face", 12),
                ("2021-08-10", B7, "lgbtq", "face_to_face", 4),
                ("2021-09-05", D9, "none", "face_to_face", 14),
                ("2021-10-10", D9, "armed_forces", "phone", 13),
                ("2021-11-11", B7, "none", "face_to_face", 26),
                ("2021-12-31", A5, "none", "face_to_face", 8),
            ],
            fields=fields,
            team=TEAM,
        ),
        "contacts",
        areas,
        "contacts.csv",
    )
    load_frame(
        con,
        contacts(
            [("2021-08-10", B7, "not_recorded", "face_to_face", 5)],
            fields=fields,
            team=TEAM,
            note=NOTE,
        ),
        "contacts",
        areas,
        "contacts-with-notes.csv",
    )
    load_frame(
        con,
        reports(
            [
                ("2021-01-20", D9, "none", 40),
                ("2021-03-03", C7, "lgbtq", 2),
                ("2021-05-05", D9, "eastern_european", 11),
                ("2021-06-02", B7, "eastern_european", 3),
                ("2021-06-03", A5, "eastern_european", 8),
                ("2021-07-07", B7, "none", 35),
                ("2021-08-08", B7, "not_recorded", 9),
                ("2021-11-30", B5, "none", 27),
            ],
            fields=("reported_on", "area", "victim_communities"),
            team=TEAM,
        ),
        "reports",
        areas,
        "reports.csv",
    )
    police = (
        POLICE_HEADER
        + _police("2021-02", B7, "Ashfield 007B", "Burglary", 12, "a")
        + _police("2021-02", C7, "Ashfield 007C", "Burglary", 3, "b")
        + _police("2021-05", A5, "Ashfield 005A", "Vehicle crime", 7, "c")
        + _police("2021-05", B7, "Ashfield 007B", "Vehicle crime", 16, "d")
    )
    outcome = import_file(
        con,
        police.encode("utf-8"),
        "2021-02-nottinghamshire-street.csv",
        "police_uk",
        loaded_by="pytest",
        today=date(2022, 1, 1),
        allow_partial=True,
    )
    assert outcome.loaded, outcome
    con.execute(
        "INSERT INTO campaign_events VALUES (DATE '2021-04-12', 'launch', "
        "'Campaign launched', NULL, ['eastern_european', 'armed_forces', 'lgbtq'], NULL)"
    )
    con.close()
    return path


# ------------------------------------------------------------------------------ what a view shows

# Table columns that hold counts of records (the headers as the pages write them in English),
# and the columns that hold anything else: every column a public view shows must be one or
# the other, so a new column cannot slip past these tests unclassified.
COUNT_HEADER = re.compile(
    r"^(Count|Contacts|Crime reports|Reports|Records)(: (?!reading)| recording| saying"
    r"| before| from it|$)|^All (contacts|crime reports|reports|records)\b"
    r"|^Published crimes|^Before the launch$|^After$|^Records of the community$"
)
OTHER_HEADER = re.compile(
    r"^(Community|Area|Month|Series|Channel|Crime type|Baseline|Reading|Interval|Default"
    r"|Census measure|Population measure|Records compared|Area filter|Not estimated"
    r"|Funnel position|Expected|Difference|Dispersion|Relative-risk factor|All areas"
    r"|Compared with all areas|Compared with all districts|All districts shown|Months before|Months from it|A month before|A month after"
    r"|3-month average|SPC|Share|Population share|Census non-respondents|Base \(residents)"
    r"|Residents \(Census 2021|[Rr]atio|Per 1,000|p \((level|slope)\)|Level change"
    r"|Slope change|Contacts: reading|Reports: reading|Observed / expected"
    r"|District$|Police force area$|Residents of the community \(Census 2021|Shown as$"
)
_NUMBER = r"(\d[\d,]*)(?![\d,]*[.]\d)"
_COUNT_NOUN = r"(?:contacts?|crime reports?|reports?|records?|crimes?|incidents?)\b"
# "20 crime reports", "40 crimes and anti-social behaviour incidents", "fewer than 10 contacts",
# "4 adults' contacts"; not "16 have too few contacts" (areas) or "a factor of 1 every
# community is expected to report".
_GLUE = r"(?!(?:have|has|had|too|few|fewer|than|of|is|are|was|were|the|a|an|to|for|and|or|with|in|on|at|by|every|expected|more|less)\b)"
COUNT_BEFORE_NOUN = re.compile(
    _NUMBER + r"[ \t]+(?:" + _GLUE + r"[A-Za-z+'\-]+[ \t]+){0,3}?" + _COUNT_NOUN
)
# Hovers and sentences: "Contacts with Eastern European residents: 0", "Contacts saying who
# was involved: 30"
COUNT_AFTER_NOUN = re.compile(
    r"(?i:contacts|reports|crimes|records)[^:<>.;%\n]{0,60}:[ \t]*" + _NUMBER
)
# The published-crime alternative text: "Totals: Feb 2021 15; May 2021 25."
MONTH_TOTAL = re.compile(r"\b[A-Z][a-z]{2,3} \d{4} " + _NUMBER + r"(?=[;.]|$)")
WITHHELD = "<10"


def _numbers(spec) -> list[float]:
    """Every number in a plotly array (plain lists, or plotly 7's base64 typed arrays)."""
    if isinstance(spec, dict) and "bdata" in spec:
        values = np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]))
        return [float(v) for v in values]
    if isinstance(spec, list):
        found = []
        for value in spec:
            found += _numbers(value) if isinstance(value, list | dict) else []
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.append(float(value))
        return found
    return []


def _count(cell: str) -> int | None | str:
    """A count cell as a number, None for a withheld one; the cell itself if it is neither."""
    cell = cell.strip()
    if cell == WITHHELD:
        return None
    if re.fullmatch(r"\d[\d,]*", cell):
        return int(cell.replace(",", ""))
    return cell


class Downloads:
    """The bytes of every download a run offers (AppTest keeps them in a media store)."""

    def __init__(self, monkeypatch):
        from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
        from streamlit.testing.v1 import app_test

        stores = self.stores = []

        class Kept(MemoryMediaFileStorage):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                stores.append(self)

        monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Kept)

    def csv(self, at) -> list[pd.DataFrame]:
        frames = []
        for button in at.get("download_button"):
            if not button.proto.url:
                # Made only when clicked (the presentation's PowerPoint and PDF): their
                # text is checked for published counts in tests/test_presentation.py.
                continue
            name = button.proto.url.rsplit("/", 1)[-1]
            data = self.stores[-1].get_file(name).content
            frames.append(pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))
        return frames


def _count_data(at, key: str, trace: dict):
    """The data of a chart trace that holds counts, or []: the monthly bars (and the SPC
    signals drawn on them) of the trends at the count scale, the published crime bars, the
    observed reports of the reporting gap, the areas of the map drawn by count."""
    name, kind = str(trace.get("name") or ""), trace.get("type")
    counted = {
        "trend_chart": lambda: (
            at.button_group(key="scale").value == "count" and (kind == "bar" or "signal" in name)
        ),
        "published_chart": lambda: kind == "bar",
        "gap_chart": lambda: name.startswith("Observed"),
        "area_map": lambda: (
            at.button_group(key="measure").value == "count"
            and kind == "choroplethmap"
            and trace.get("showscale") is not False
        ),
    }
    if key not in counted or not counted[key]():
        return []
    return trace.get("x" if key == "gap_chart" else "z" if key == "area_map" else "y", [])


def shown_counts(at, downloads: Downloads) -> list[tuple[str, int | None]]:
    """Every count a page shows, with where it was: (place, value), None when withheld."""
    found: list[tuple[str, int | None]] = []
    tables = [el.value for el in at.dataframe] + downloads.csv(at)
    for table in tables:
        for header in table.columns:
            assert COUNT_HEADER.search(header) or OTHER_HEADER.search(header), (
                f"column {header!r} is neither a count nor known to be something else"
            )
            if not COUNT_HEADER.search(header):
                continue
            for cell in table[header].astype(str):
                value = _count(cell)
                if isinstance(value, str):
                    assert not re.search(r"\d", value), (header, value)  # words only
                    continue
                found.append((f"table {header}", value))
    strings = page_strings(at)
    for string in strings:
        plain = re.sub(r"<[^>]+>", "\n", string)  # hover lines are apart
        for pattern in (COUNT_BEFORE_NOUN, COUNT_AFTER_NOUN, MONTH_TOTAL):
            for match in pattern.finditer(plain):
                found.append((f"text {match.group(0)[:80]!r}", int(match[1].replace(",", ""))))
    for element in at.get("plotly_chart"):
        for trace in json.loads(element.proto.spec)["data"]:
            for value in _numbers(_count_data(at, element.key, trace)):
                if np.isfinite(value) and value == int(value):
                    found.append((f"chart {element.key} {trace.get('name')}", int(value)))
    return found


# ------------------------------------------------------------------------------ every public view

# The published periods of the database, the year last (each page's other choices are then
# run through over the year).
PERIODS = ("2021Q1", "2021Q2", "2021Q3", "2021Q4", "2021")
COMMUNITIES = ("eastern_european", "armed_forces", "lgbtq")
FOCUS = (*COMMUNITIES, "all_residents")


def _widget(at, key: str):
    for kind in ("selectbox", "multiselect", "button_group", "slider", "radio"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            return found[0]
    raise AssertionError(f"no widget with the key {key!r} on the page")


def _choose(at, **choices) -> None:
    for key, value in choices.items():
        _widget(at, key).set_value(value)
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def _keys(at) -> set[str]:
    return {
        w.key
        for kind in ("selectbox", "multiselect", "button_group", "slider", "radio")
        for w in getattr(at, kind)
    }


# Pages the public audience cannot open (they say so and stop) and the Methods page: what
# they show does not depend on the period.
CLOSED = ("priorities", "scorecard", "load_data", "log_contact", "data_quality")
STATIC = ("methods_and_sources",)


def public_views(at):
    """Open every page and every choice a public user has on it; yield a name per view,
    with the view drawn in `at`. The period and the records kind (which change the counts)
    are crossed on every page; the page's other choices are each run through over 2021."""
    for page in page_stems():
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
        if page in CLOSED + STATIC:
            yield f"{page} 2021"
            continue
        keys = _keys(at)
        kinds = ("contacts", "reports") if "records" in keys else (None,)
        for period in PERIODS:
            for kind in kinds:
                _choose(at, public_period=period, **({"records": kind} if kind else {}))
                yield f"{page} {period} {kind or ''}".strip()
        if "focus" in keys:
            for community in FOCUS:
                for kind in kinds:
                    _choose(at, focus=community, records=kind)
                    yield f"{page} 2021 {community} {kind}"
        # Choices that change no count, only what is derived from the counts: each once.
        for key in sorted(k for k in keys if k.startswith("census_measure_")):
            label = _widget(at, key).options[-1]
            _choose(at, **{key: _measure_code(key, label)})
            yield f"{page} 2021 {key} {label}"
        for key, values in (
            ("measure", ("ratio", "count")),
            ("scale", ("rate",)),
            ("limits", ("multiplicative",)),
            ("rr", (2.0,)),
        ):
            for value in values if key in keys else ():
                _choose(at, **{key: value})
                yield f"{page} 2021 {key} {value}"
        _choose(at, community=["eastern_european"])
        yield f"{page} 2021 eastern_european only"
        _choose(at, community=[])


def _measure_code(key: str, label: str) -> str:
    from hidden_communities import census_measures

    options = census_measures.options(key.removeprefix("census_measure_"))
    return next(code for code, words in options.items() if words == label)


@pytest.fixture(scope="module")
def every_public_view(small_db, tmp_path_factory) -> dict[str, dict]:
    """Every public view and what it shows: the counts (place, value; None when withheld),
    the page's strings and its tables."""
    mp = pytest.MonkeyPatch()
    try:
        downloads = Downloads(mp)
        at = app(small_db, mp, audience="public")
        seen = {}
        for view in public_views(at):
            seen[view] = {
                # The Methods page's worked examples are not data.
                "counts": [] if view.startswith(STATIC) else shown_counts(at, downloads),
                "strings": page_strings(at),
                "tables": [el.value for el in at.dataframe],
                "keys": _keys(at) | {w.key for w in at.date_input},
            }
        return seen
    finally:
        mp.undo()


def test_every_page_and_choice_of_the_public_is_covered(every_public_view):
    opened = {view.split()[0] for view in every_public_view}
    assert opened == set(page_stems())
    assert len(every_public_view) > 60  # periods x records x pages, then each page's choices


def test_no_public_count_is_small_or_unrounded(every_public_view):
    bad = {
        view: [
            (place, value)
            for place, value in shown["counts"]
            if value is not None
            and (value % disclosure.ROUNDING_BASE or 0 < value < disclosure.PUBLISH_FROM)
        ]
        for view, shown in every_public_view.items()
    }
    assert {view: found for view, found in bad.items() if found} == {}
    # Something was found on every page that shows counts: the collection works.
    counted = {view.split()[0] for view, shown in every_public_view.items() if shown["counts"]}
    assert counted >= {"overview", "map", "trends", "representation", "published_crime"}
    for view, shown in every_public_view.items():
        if view.startswith(STATIC):
            continue  # the Methods page explains the notes, in words
        strings = "\n".join(shown["strings"])
        assert "<5" not in strings, view  # the old note: counts are published now
        assert not re.search(r"\b(withheld|small_count)\b", strings), view  # codes, not words


def test_no_two_public_figures_differ_by_a_small_count(every_public_view):
    """Nested views (a period and its quarters, the district and its MSOAs, a total and its
    cells, all communities and one): no two published counts differ by 1 to 4, so no
    difference of two views is an exact small count."""
    values = sorted(
        {v for shown in every_public_view.values() for _, v in shown["counts"] if v is not None}
    )
    close = [(a, b) for a in values for b in values if 0 < b - a < disclosure.ROUNDING_BASE]
    assert close == []
    assert {0, 10, 175} <= set(values)


def _table(shown: dict, *columns: str) -> pd.DataFrame:
    found = [t for t in shown["tables"] if set(columns) <= set(t.columns)]
    assert len(found) == 1, [list(t.columns) for t in shown["tables"]]
    return found[0]


def _cell(shown: dict, row_column: str, row: str, column: str) -> str:
    table = _table(shown, row_column, column)
    return table.set_index(row_column).loc[row, column]


def test_attack_a_period_difference_fails(every_public_view):
    # 12 Eastern European contacts from March to May, 3 of them on 15 to 20 May. The public
    # can only choose whole quarters and the year: 3 in Q1, 9 in Q2, 12 in 2021.
    contacts = {
        period: _cell(
            every_public_view[f"overview {period}"], "Community", "Eastern European", "Contacts"
        )
        for period in PERIODS
    }
    assert contacts == {
        "2021Q1": "<10",
        "2021Q2": "<10",
        "2021Q3": "0",
        "2021Q4": "0",
        "2021": "10",
    }
    # No view shows 12, 9 or 3 of them, nor a figure 1 to 4 away from another.
    for view, shown in every_public_view.items():
        assert not {v for _, v in shown["counts"]} & {3, 9, 12}, view


def test_attack_b_before_and_after_against_the_total_fails(every_public_view):
    # 3 before the launch and 9 after: both withheld; the year's 12 is published as 10.
    shown = every_public_view["trends 2021 contacts"]
    table = _table(shown, "Community", "Channel", "Before the launch", "After")
    row = table.set_index("Community").loc["Eastern European residents"]
    assert (row["Before the launch"], row["After"]) == ("<10", "<10")
    assert row["Rate ratio after/before (95% CI)"] == "too few to say"
    assert (
        _cell(every_public_view["overview 2021"], "Community", "Eastern European", "Contacts")
        == "10"
    )


def test_attack_c_channel_against_all_channels_fails(every_public_view):
    # 9 face to face and 3 by phone: a public view has no channel filter, and the before and
    # after table gives every channel together only (its channels would stand beside the
    # all-channel total).
    for view, shown in every_public_view.items():
        # No free filter at all: the period is a published one, the rest fixed.
        assert shown["keys"] & {*filters.PUBLIC_FIXED, "period"} == set(), view
        if view.startswith("trends"):
            table = _table(shown, "Channel", "Before the launch")
            assert set(table["Channel"]) == {text.t("channel_all.all")}, view


def test_attack_d_ward_against_lsoa_fails(every_public_view):
    # Abbey Hill ward: 007B 3 and 007C 6; Carsic ward: 005A 3. The public sees MSOAs only:
    # Ashfield 007 (007B and 007C: 9) and Ashfield 005 (005A: 3) are withheld.
    shown = every_public_view["map 2021 eastern_european contacts"]
    table = _table(shown, "Area", "Contacts: Eastern European residents").set_index("Area")
    column = table["Contacts: Eastern European residents"]
    assert (column["Ashfield 007"], column["Ashfield 005"], column["Ashfield 009"]) == (
        "<10",
        "<10",
        "0",
    )
    for view, shown in every_public_view.items():
        strings = "\n".join(shown["strings"])
        for name in ("Abbey Hill", "Carsic", "Ashfield 007B", "Ashfield 007C", "Ashfield 005A"):
            assert name not in strings, (view, name)


def test_attack_e_reporting_gap_by_area_against_the_district_fails(every_public_view):
    # Eastern European reports: 11 in 009D, 3 in 007B, 8 in 005A, 22 in all. Every row is
    # published (10, <10, <10) and so is the district (20): the difference of the district
    # and the rows shown is 10, never the 3 or the 8.
    shown = every_public_view["representation 2021 eastern_european reports"]
    district = _cell(shown, "Community", "Eastern European", "Crime reports: observed")
    by_area = _table(shown, "Area", "Crime reports: observed").set_index("Area")
    observed = by_area["Crime reports: observed"]
    assert district == "20"
    assert (observed["Ashfield 009"], observed["Ashfield 007"], observed["Ashfield 005"]) == (
        "10",
        "<10",
        "<10",
    )
    assert set(observed.drop(["Ashfield 009", "Ashfield 007", "Ashfield 005"])) == {"0"}


# ------------------------------------------------------------------------------ links and kiosks


def _landing(db, monkeypatch, **query):
    """Open a link; the sidebar's notes of that first run, then the app."""
    at = app(db, monkeypatch, **query)
    return [w.value for w in at.sidebar.warning], at


def _params(at) -> dict[str, list[str]]:
    return {
        key: list(at.query_params[key])
        if isinstance(at.query_params[key], list | tuple)
        else [at.query_params[key]]
        for key in at.query_params
    }


def test_a_hostile_link_gets_the_published_view_with_a_note(small_db, monkeypatch):
    notes, at = _landing(
        small_db,
        monkeypatch,
        audience="public",
        start="2021-05-15",
        end="2021-05-20",
        channel="phone",
        lsoa=B7,
    )
    assert notes == [
        "This public view is fixed, so these parts of the link were not applied: start, end, "
        "channel, lsoa."
    ]
    # The published view: the default period (the year 2021), every channel, the district.
    assert at.selectbox(key="public_period").value == "2021"
    assert _keys(at) & {"channel", "lsoa", "ward", "period"} == set()
    table = table_with(at, "Community", "Contacts").set_index("Community")
    assert table.loc["Eastern European", "Contacts"] == "10"
    # What was not applied is gone from the link; the audience stays.
    assert _params(at) == {"audience": ["public"]}


def test_a_link_with_a_period_gets_it_only_when_it_is_published(small_db, monkeypatch):
    # The first and last day of a published quarter: that quarter.
    notes, at = _landing(
        small_db, monkeypatch, audience="public", period=["2021-04-01", "2021-06-30"]
    )
    assert notes == []
    assert at.selectbox(key="public_period").value == "2021Q2"
    assert _params(at) == {"audience": ["public"], "public_period": ["2021Q2"]}
    # 1 March to 20 May (attack A): not a published period.
    notes, at = _landing(
        small_db, monkeypatch, audience="public", period=["2021-03-01", "2021-05-20"]
    )
    assert notes == [
        "This public view is fixed, so these parts of the link were not applied: period."
    ]
    assert at.selectbox(key="public_period").value == "2021"
    notes, at = _landing(small_db, monkeypatch, audience="public", public_period="2021-05")
    assert notes == [
        "The link's period (2021-05) is not one of the published periods, so the latest one is "
        "shown."
    ]
    # A map of LSOAs: the public map has MSOAs only.
    notes, at = _landing(small_db, monkeypatch, audience="public", geo="lsoa")
    assert notes == ["This public view is fixed, so these parts of the link were not applied: geo."]


def test_a_kiosk_offers_the_public_audience_only(small_db, monkeypatch):
    monkeypatch.setenv("HC_AUDIENCE", "public")
    assert settings.locked_audience() == "public"
    notes, at = _landing(small_db, monkeypatch, audience="inspector")
    assert notes == [
        "This screen shows only the figures published for a public meeting (Public meeting), "
        "so the audience in the link was not applied."
    ]
    assert at.selectbox(key="audience").options == ["Public meeting"]
    assert at.selectbox(key="audience").value == "public"
    assert _keys(at) & {"channel", "lsoa", "ward", "period"} == set()
    at.switch_page("pages/load_data.py").run()
    assert not at.exception
    assert [i.value for i in at.info] == [
        text.t("filter.inspector_only", what="Loading and undoing data")
    ]


def test_the_audience_lock_setting():
    import os

    saved = os.environ.pop("HC_AUDIENCE", None)
    try:
        assert settings.locked_audience() is None
        for value, locked in (
            ("public", "public"),
            (" Public ", "public"),
            ("leadership", "leadership"),
            ("pubilc", "public"),
            ("", None),
        ):
            os.environ["HC_AUDIENCE"] = value
            assert settings.locked_audience() == locked, value
    finally:
        os.environ.pop("HC_AUDIENCE", None)
        if saved is not None:
            os.environ["HC_AUDIENCE"] = saved


# ------------------------------------------------------------------------------ the views, exactly


def test_the_published_periods():
    def codes(first, last):
        return [filters.period_code(p) for p in filters.public_periods(first, last)]

    # The demonstration data: April 2020 to March 2022.
    assert codes(date(2020, 4, 1), date(2022, 3, 31)) == [
        "2021Q2..2022Q1",
        "2021",
        "2022Q1",
        "2021Q4",
        "2021Q3",
        "2021Q2",
        "2021Q1",
        "2020Q4",
        "2020Q3",
        "2020Q2",
    ]
    # A calendar year of data: the year is the latest four quarters.
    assert codes(date(2021, 1, 1), date(2021, 12, 31)) == [
        "2021",
        "2021Q4",
        "2021Q3",
        "2021Q2",
        "2021Q1",
    ]
    # Data to 30 December: December is not whole, so neither is the fourth quarter.
    assert codes(date(2021, 1, 3), date(2021, 12, 30)) == ["2021Q3", "2021Q2", "2021Q1"]
    # Mid-month to mid-month: the whole quarters between.
    assert codes(date(2020, 2, 10), date(2021, 8, 20)) == [
        "2020Q3..2021Q2",
        "2021Q2",
        "2021Q1",
        "2020Q4",
        "2020Q3",
        "2020Q2",
    ]
    # Less than a whole quarter: the quarters the records fall in, latest first.
    assert codes(date(2021, 3, 1), date(2021, 5, 20)) == ["2021Q2", "2021Q1"]
    assert codes(date(2021, 5, 14), date(2021, 6, 2)) == ["2021Q2"]


def test_published_periods_in_words_and_in_links():
    year, quarter = periods.parse("2021"), periods.parse("2021Q2")
    four = periods.parse("2021Q2..2022Q1")
    assert [filters.period_code(p) for p in (year, quarter, four)] == [
        "2021",
        "2021Q2",
        "2021Q2..2022Q1",
    ]
    assert [filters.period_label(p) for p in (year, quarter, four)] == [
        "2021",
        "Q2 2021: Apr 2021 to Jun 2021",
        "Four quarters: Apr 2021 to Mar 2022",
    ]
    with text.language("pl"):
        assert [filters.period_label(p) for p in (year, quarter, four)] == [
            "2021",
            "2. kwartał 2021: kwi 2021 – cze 2021",
            "Cztery kwartały: kwi 2021 – mar 2022",
        ]
    offered = filters.public_periods(date(2021, 1, 1), date(2021, 12, 31))
    assert filters.published_period(["2021Q2"], offered) == quarter
    assert filters.published_period(["2021-04-01", "2021-06-30"], offered) == quarter
    assert filters.published_period(["2021-06-30", "2021-04-01"], offered) == quarter
    assert filters.published_period(["2021-03-01", "2021-05-20"], offered) is None
    assert filters.published_period(["2021-05"], offered) is None
    assert filters.published_period(["nonsense"], offered) is None


def test_area_levels_for_each_audience():
    levels = {"ward": "Ward", "lsoa": "LSOA", "msoa": "MSOA"}
    assert filters.levels_for("public", levels) == {"msoa": "MSOA"}
    assert filters.levels_for("leadership", levels) == levels
    assert filters.levels_for("inspector", levels) == levels
    public = filters.public_filters(periods.parse("2021Q2"), ["lgbtq", "nonsense"])
    assert (public.start, public.end, public.communities, public.areas, public.channels) == (
        date(2021, 4, 1),
        date(2021, 6, 30),
        ("lgbtq",),
        (),
        (),
    )
    assert public.audience == "public" and public.report_scope == "victim_based"


# ------------------------------------------------------------------------------ published at source


def test_every_query_declares_what_its_numbers_are(small_db):
    """Each query a page runs says which numeric columns are counts; a numeric column it
    declares as neither is refused for the public, so none can reach it unrounded."""
    import duckdb

    period = dict(start_date=date(2021, 1, 1), end_date=date(2021, 12, 31))
    chosen = filters.Filters(**{k.removesuffix("_date"): v for k, v in period.items()})
    params = {
        "overview_by_community": chosen.params(),
        "trend_monthly": chosen.params(),
        "trend_before_after": chosen.params(),
        "map_by_area": {
            **chosen.params(),
            "level": "msoa",
            "community": "lgbtq",
            "area_measure": None,
        },
        "district_view": {
            **{k: v for k, v in chosen.params().items() if k != "area_codes"},
            "community": "lgbtq",
        },
        "published_monthly": {**period, "area_codes": [], "crime_types": []},
        "published_by_area": {**period, "area_codes": [], "crime_types": [], "level": "msoa"},
        "priority_contacts": {**chosen.contact_params(), "by_people": False},
        "quality_by_month": {**period, "group_by": "month"},
        "scorecard_counts": period,
        "trend_campaign_events": period,
        "import_by_hash": {"kind": "contacts", "file_sha256": "x"},
        "presentation_channels": period,
        "presentation_quarters": period,
        "presentation_topics": {
            **period,
            "remainder": "rest",
            "unrecorded": "unknown",
            "everyone": "everyone",
        },
    }
    # The Parquet export reads whole records for a snapshot (export-parquet); no page runs it.
    snapshot_only = {"snapshot_contacts", "snapshot_reports", "snapshot_forces"}
    read = sorted(
        path.stem
        for path in (PROJECT_ROOT / "queries").glob("*.sql")
        if path.stem not in snapshot_only
        if path.read_text(encoding="utf-8").lstrip("-").find("SELECT") >= 0
        and not re.search(
            r"^\s*(INSERT|UPDATE|DELETE|CREATE|MERGE)", path.read_text(encoding="utf-8"), re.M
        )
    )
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        for name in read:
            frame = run_query(con, name, **params.get(name, {}))
            found = declared(name)
            numeric = {
                c
                for c in frame.columns
                if pd.api.types.is_numeric_dtype(frame[c])
                and not pd.api.types.is_bool_dtype(frame[c])
            }
            assert numeric == set(found.counts) | set(found.not_counts), name
            published = disclosure.publish_query(name, frame, found.counts, found.not_counts)
            for column in found.counts:
                values = pd.to_numeric(published[column]).dropna()
                assert (values % 5 == 0).all() and not values.between(1, 9).any(), name
    finally:
        con.close()
    assert declared("overview_by_community").counts[:3] == (
        "contacts",
        "contacts_recorded",
        "contacts_unrecorded",
    )
    assert declared("map_by_area").not_counts == (
        "residents",
        "base_count",
        "base_denominator",
        "district_count",
        "district_denominator",
    )


def test_publishing_a_query_result():
    frame = pd.DataFrame(
        {
            "community": ["a", "a", "a", "b"],
            "channel": ["all", "phone", "face_to_face", "all"],
            "before": [12, 3, 9, 0],
            "after": [27, 18, 9, 1234],
            "days_before": [100, 100, 100, 100],
        }
    )
    published = disclosure.publish_query(
        "trend_before_after", frame, ("before", "after"), ("days_before",)
    )
    # Only the rows of every channel together: no breakdown beside its total.
    assert published["channel"].tolist() == ["all", "all"]
    assert published["before"].tolist() == [10, 0]
    assert published["after"].tolist() == [25, 1235]
    assert published["before_note"].tolist() == ["", ""]
    again = disclosure.publish_query(
        "trend_before_after", published, ("before", "after"), ("days_before",)
    )
    pd.testing.assert_frame_equal(again, published)  # publishing twice changes nothing
    with pytest.raises(ValueError, match=r"\['days_before'\]"):
        disclosure.publish_query("trend_before_after", frame, ("before", "after"))
    shown = disclosure.format_for_display(
        disclosure.publish_counts(pd.DataFrame({"n": [4, 12]}), ["n"])
    )
    assert shown["n"].tolist() == ["<10", "10"]
    with text.language("pl"):
        assert disclosure.note_text(disclosure.NOTE_WITHHELD) == "<10"


# ------------------------------------------------------------------------------ leadership


def test_leadership_sees_no_free_text_and_no_rate_on_fewer_than_10(small_db, monkeypatch):
    at = app(small_db, monkeypatch, audience="leadership")
    for page in page_stems():
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.message for e in at.exception])
        strings = "\n".join(page_strings(at))
        for free_text in (TEAM, NOTE, "21/0000"):  # a team, a contact's note, a reference
            assert free_text not in strings, (page, free_text)
    # Data quality: the months of fewer than 10 contacts are judged on their volume only
    # (under 60% of the median month, 13.5), without a share: August's 9 contacts, 4 of
    # them saying who was involved (176 of all 187 do), are flagged for inspectors but not
    # for leadership.
    at.switch_page("pages/data_quality.py").run()
    flags = [w.value for w in at.warning if w.value.startswith("**2021-")]
    small = ("2021-03", "2021-04", "2021-08", "2021-12")
    assert [f for f in flags if f.startswith(tuple(f"**{m}, contacts" for m in small))] == [
        "**2021-03, contacts:** only 3 records against a typical 14.",
        "**2021-04, contacts:** only 6 records against a typical 14.",
        "**2021-12, contacts:** only 8 records against a typical 14.",
    ]
    _choose(at, audience="inspector")
    inspector = [w.value for w in at.warning if w.value.startswith("**2021-08, contacts")]
    assert inspector == ["**2021-08, contacts:** community filled in for 44% (usually 94%)."]
    _choose(at, audience="leadership")
    table = table_with(at, "Dataset", "Month or team", "Records", "Share filled in (95% CI)")
    few = table[table["Records"].astype(int) < 10]
    assert set(few["Share filled in (95% CI)"]) == {"too few to say"}


def test_month_flags_give_leadership_no_share_on_fewer_than_10():
    counts = pd.DataFrame(
        {
            "dataset": ["contacts"] * 5,
            "grouping": ["2021-01", "2021-02", "2021-03", "2021-04", "2021-05"],
            "records": [40, 40, 40, 9, 30],
            "community_recorded": [40, 40, 40, 2, 6],
            "area_recorded": [40, 40, 40, 9, 30],
            "date_recorded": [40, 40, 40, 9, 30],
        }
    )
    inspector = quality.flag_months(counts)["flag"].tolist()
    leadership = quality.flag_months(counts, "leadership")["flag"].tolist()
    # April: 9 records, under 60% of the typical 40; 2 of 9 and 6 of 30 against 128 of 159.
    assert inspector[3:] == [
        "only 9 records against a typical 40; community filled in for 22% (usually 81%)",
        "community filled in for 20% (usually 81%)",
    ]
    assert leadership[3:] == [
        "only 9 records against a typical 40",
        "community filled in for 6 of 30 records (usually 81%)",
    ]
