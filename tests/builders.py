"""Everything the tests build, in one place: import files and record frames from compact
specs, databases, and the AppTest helpers that open pages and find what they show.

Fixtures live in tests/conftest.py; test modules import helpers from here and never from
one another.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from hidden_communities import columns, database
from hidden_communities.loading import frame_sha256, load_validated
from hidden_communities.schema import create_schema
from hidden_communities.validation import validate

if TYPE_CHECKING:  # imported when a page test runs, not by every module that builds data
    from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(PROJECT_ROOT / "dashboard.py")


def page_stems() -> tuple[str, ...]:
    """Every page's file stem (pages/<stem>.py), in navigation order, from ui/frame.py: a
    new page is covered by the tests that go through every page."""
    from ui import frame

    return tuple(spec.file.removesuffix(".py") for spec in frame.PAGES)


# Real Ashfield areas the hand-made databases use: two wards and one LSOA of each.
ABBEY_HILL, LARWOOD = "E05010673", "E05010686"
ABBEY_007B, LARWOOD_009D = "E01027951", "E01027957"

# ------------------------------------------------------------------------------ import files


def csv_header(kind: str) -> str:
    """The header line of an import file of this kind, as the column specs name it, without
    the optional age band added in issue 11: the hand-written rows have no cell for it, and
    a file without the column must still load (its records' age is not recorded)."""
    return ",".join(c.name for c in columns.SPECS[kind] if c.name != "age_band") + "\n"


# One phone contact with an LGBTQ+ resident, as a line of a contacts file.
CONTACT_ROW = "14/05/2021,E01027925,Sutton,lgbtq,phone,reactive,phone,1,english,,no,\n"

# ------------------------------------------------------------------------------ record frames

CONTACT_DEFAULTS = {
    "contact_date": "2021-05-14",
    "area": "E01027925",
    "team": "Sutton",
    "communities": "none",
    "channel": "face_to_face",
    "direction": "proactive",
    "language": "english",
    "topics": "",
    "follow_up_needed": "no",
    "note": "",
    # The hand-made records are about adults unless a test says otherwise, so that every
    # community (those the census counts among adults too) is compared with all of them.
    "age_band": "adult",
}
REPORT_DEFAULTS = {
    "reported_on": "2021-06-02",
    "occurred_on": "",
    "area": "E01027925",
    "team": "",
    # Victim-based crime (issue 11): the comparisons count it by default, so the hand-made
    # reports are of a type they count.
    "crime_type": "criminal_damage_arson",
    "hate_strands": "",
    "victim_communities": "none",
    "outcome": "under_investigation",
    "age_band": "adult",
}


def _records(kind: str, spec, fields: tuple[str, ...], fill) -> pd.DataFrame:
    """Rows of text cells in the column order of the kind's spec: each entry of `spec` is
    the values of `fields` followed by how many rows of them to make; `fill(cells, n)`
    completes the n-th row (numbered from 1 across the whole spec)."""
    names = [c.name for c in columns.SPECS[kind]]
    unknown = set(fields) - set(names)
    assert not unknown, f"no {kind} column {sorted(unknown)}"
    rows, n = [], 0
    for entry in spec:
        *values, times = entry
        assert len(values) == len(fields), f"{entry} does not give {fields} and a count"
        for _ in range(times):
            n += 1
            cells = fill(dict(zip(fields, values, strict=True)), n)
            rows.append([cells[name] for name in names])
    return pd.DataFrame(rows, columns=names)


def contacts(spec, fields: tuple[str, ...] = ("communities",), **defaults) -> pd.DataFrame:
    """Contact rows from a compact spec, e.g. contacts([("eastern_european", 4), ("none", 9)])
    or, with fields=("contact_date", "area", "communities", "channel"),
    contacts([("2021-02-10", "E01027951", "eastern_european", "face_to_face", 4)]).

    Other columns take CONTACT_DEFAULTS, overridden by keyword (contact_date="2021-03-10").
    people_reached numbers the rows 1, 2, 3, ... so identical rows stay distinct records;
    place_type is "phone" for phone contacts and "community_venue" otherwise."""

    def fill(cells: dict, n: int) -> dict:
        row = {**CONTACT_DEFAULTS, **defaults, **cells}
        row.setdefault("place_type", "phone" if row["channel"] == "phone" else "community_venue")
        row.setdefault("people_reached", str(n))
        return row

    return _records("contacts", spec, fields, fill)


def reports(spec, fields: tuple[str, ...] = ("victim_communities",), **defaults) -> pd.DataFrame:
    """Crime-report rows from a compact spec, as contacts(): reports([("lgbtq", 1)]) or, with
    fields=("reported_on", "area", "victim_communities"), reports([("2021-01-15", "E01027951",
    "lgbtq", 10)]). The reference numbers the rows 21/000001, 21/000002, ..."""

    def fill(cells: dict, n: int) -> dict:
        return {"reference": f"21/{n:06d}", **REPORT_DEFAULTS, **defaults, **cells}

    return _records("reports", spec, fields, fill)


# ------------------------------------------------------------------------------ databases


def empty_database(path: Path, reference: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """Schema and real reference tables, no records."""
    con = duckdb.connect(str(path))
    create_schema(con)
    database.load_reference(con, reference)
    return con


def load_frame(con, frame: pd.DataFrame, kind: str, areas: pd.DataFrame, name: str = "fixture"):
    """Validate and load a frame of text cells exactly as an import would."""
    result = validate(frame, kind, areas)
    assert result.ok, (result.file_errors, result.problems.to_dict("records"))
    return load_validated(
        con, result, file_name=name, file_sha256=frame_sha256(frame), loaded_by="pytest"
    )


# ------------------------------------------------------------------------------ AppTest


def app(db_path, monkeypatch, **query) -> AppTest:
    """Run the dashboard (its first page, the overview) on a database, with a query string."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HC_DB_PATH", str(db_path))
    # AppTest formats a widget's chosen value again in the test's own thread, in English:
    # the widgets keep their labels' language themselves (text.in_language_now).
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_page(db_path, monkeypatch, page: str, **query) -> AppTest:
    """Run the dashboard with the query string, then switch to pages/<page>.py and run it."""
    at = app(db_path, monkeypatch, **query)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def table_with(at: AppTest, *names: str, where: dict[str, str] | None = None) -> pd.DataFrame:
    """The one table on the page that has all these columns and, if `where` is given, a row
    with those values (two tables with the same columns are told apart by what they hold).
    AppTest does not keep the keys of read-only dataframes, so a table is known by its
    columns."""

    def matches(frame: pd.DataFrame) -> bool:
        if not set(names) <= set(frame.columns):
            return False
        if not where:
            return True
        if not set(where) <= set(frame.columns):
            return False
        return bool(frame[list(where)].eq(pd.Series(where)).all(axis=1).any())

    found = [el.value for el in at.dataframe if matches(el.value)]
    wanted = f"the columns {names}" + (f" and a row with {where}" if where else "")
    shown = [list(el.value.columns) for el in at.dataframe]
    assert found, f"no table has {wanted}; the tables have the columns {shown}"
    assert len(found) == 1, f"{len(found)} tables have {wanted}: {shown}"
    return found[0]


def _chart(at: AppTest, key: str):
    found = [el for el in at.main if getattr(el, "type", "") == "plotly_chart" and el.key == key]
    keys = [el.key for el in at.main if getattr(el, "type", "") == "plotly_chart"]
    assert len(found) == 1, f"{len(found)} charts have the key {key!r}; the charts are {keys}"
    return found[0]


def chart(at: AppTest, key: str) -> dict:
    """The figure spec of the chart with this key."""
    return json.loads(_chart(at, key).proto.spec)


def chart_alt(at: AppTest, key: str) -> str:
    """The text alternative of the chart with this key."""
    return _chart(at, key).proto.alt


def texts(at: AppTest) -> str:
    """The page's markdown and info boxes, a line each."""
    return "\n".join([m.value for m in at.markdown] + [m.value for m in at.info])


def submit(at: AppTest, label: str):
    """The form's submit button with this label (form submit buttons here have no key)."""
    found = [b for b in at.form_submit_button if b.label == label]
    assert len(found) == 1, f"{len(found)} form submit buttons labelled {label!r}"
    return found[0]


# ------------------------------------------------------------------------------ what a page says

_CHART_TEXT_KEYS = {"text", "title", "name", "hovertemplate", "hovertext", "label", "alt"}


def _chart_strings(node, found: list[str], key: str = "") -> None:
    """Every human-readable string of a figure spec (titles, axis titles, trace names,
    hovers, annotations, tick labels), not its colours, symbols or data columns."""
    if isinstance(node, dict):
        for name, value in node.items():
            _chart_strings(value, found, name)
    elif isinstance(node, list):
        for value in node:
            _chart_strings(value, found, key)
    elif isinstance(node, str) and key in _CHART_TEXT_KEYS | {"ticktext", "text", "customdata"}:
        found.append(node)


def page_strings(at: AppTest) -> list[str]:
    """Everything the page shows in words: headings, markdown, captions, notes, widget
    labels, help and options, metrics, table headers and text cells, chart text and each
    chart's text alternative."""
    found: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "exception",
    ):
        found += [str(el.value) for el in getattr(at, kind)]
    for kind in (
        "selectbox",
        "multiselect",
        "radio",
        "checkbox",
        "toggle",
        "slider",
        "select_slider",
        "date_input",
        "number_input",
        "text_input",
        "text_area",
        "button",
        "form_submit_button",
    ):
        for widget in getattr(at, kind):
            found.append(str(widget.label))
            found.append(str(getattr(widget, "help", "") or ""))
            for option in getattr(widget, "options", []) or []:
                found.append(str(option))
    for metric in at.metric:
        found += [str(metric.label), str(metric.value)]
    for table in at.dataframe:
        frame = table.value
        found += [str(c) for c in frame.columns]
        for column in frame.columns:
            found += [v for v in frame[column].tolist() if isinstance(v, str)]
    for element in at.get("plotly_chart"):
        _chart_strings(json.loads(element.proto.spec), found)
        found.append(element.proto.alt)
    for element in at.get("download_button"):
        found.append(str(element.proto.label))
    for element in at.get("expander"):
        found.append(str(element.proto.label))
    for element in at.get("tab"):
        found.append(str(element.proto.label))
    return [s for s in found if s]


# Words Polish shares with English (spelt the same, meaning the same): never leftovers.
SHARED_WORDS = {
    "zero",
    "model",
    "trend",
    "start",
    "status",
    "test",
    "problem",
    "plan",
    "minimum",
    "region",
    "bootstrap",
}


def english_only_words() -> set[str]:
    """Words of the English catalogue that the Polish one never uses: a page in Polish that
    shows one of them has English left on it. Built from the catalogues themselves, so the
    check follows them as they grow."""
    import re

    from hidden_communities import text

    def words(lang: str) -> set[str]:
        found = set()
        for value in text.catalogue(lang).values():
            plain = re.sub(r"\{[^}]*\}|<[^>]+>|%\{[^}]*\}", " ", value)
            found |= {w.lower() for w in re.findall(r"[^\W\d_]{3,}", plain)}
        return found

    return words("en") - words("pl") - SHARED_WORDS


def english_leftovers(strings, allowed: set[str] = frozenset()) -> dict[str, list[str]]:
    """English-only words found in these strings -> the words around each; `allowed` is
    proper names (places, teams, file and column names) that stay as they are. Links (and
    the app's own relative links), file names, code
    spans, titles in italics and reference paragraphs ("**Źródło:**", "**Source:**": the
    cited works keep their published titles) are proper names too."""
    import re

    english = english_only_words() - {w.lower() for w in allowed}
    found: dict[str, list[str]] = {}
    for value in strings:
        paragraphs = re.split(r"\n\s*\n", value)
        kept = "\n\n".join(p for p in paragraphs if not re.match(r"\s*\*\*(Źródł|Source)", p))
        plain = re.sub(
            r"https?://\S+|\./\S+|[\w.-]+\.(?:csv|xlsx)\b|`[^`]*`|(?<!\*)\*[^*\n]+\*(?!\*)|[\w.]+\.uk\b",
            " ",
            kept,
        )
        for match in re.finditer(r"[^\W\d_]{3,}", plain):
            if match.group().lower() in english:
                around = plain[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
                found.setdefault(match.group().lower(), []).append(around)
    return found
