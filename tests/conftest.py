"""Shared fixtures: databases built in code into tmp paths, from fixed seeds or hand-made
rows (the builders are in tests/builders.py).

The hand-made databases are module-scoped, not session-scoped: a page test leaves the
app's cached read-write connection open on its file, and DuckDB refuses a read-only
connection to a file this process already holds with other settings, so each module
gets its own file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hidden_communities import database
from tests.builders import (
    ABBEY_007B,
    ABBEY_HILL,
    LARWOOD_009D,
    contacts,
    empty_database,
    load_frame,
    reports,
)


@pytest.fixture(scope="session")
def reference() -> dict[str, pd.DataFrame]:
    return database.read_reference()


@pytest.fixture(scope="session")
def areas(reference) -> pd.DataFrame:
    return reference["areas"]


@pytest.fixture
def con(tmp_path, reference):
    connection = empty_database(tmp_path / "test.duckdb", reference)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A small fixed-seed demonstration database (a tenth of the real volume)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    database.build_database(path, seed=7, scale=0.1)
    return path


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory, reference) -> Path:
    """One day of records in LSOA E01027925 (Sutton team), for the overview:
    20 contacts on 14 May 2021 (16 with the community recorded): 4 Eastern European,
      1 veterans and LGBTQ+, 1 veterans, 1 LGBTQ+, 9 none of them, 4 not recorded;
    30 reports on 2 Jun 2021 (20 recorded): 2 Eastern European, 3 veterans, 1 LGBTQ+,
      14 none of them, 10 not recorded.
    """
    path = tmp_path_factory.mktemp("pages") / "fixture.duckdb"
    con = empty_database(path, reference)
    areas = reference["areas"]
    load_frame(
        con,
        contacts(
            [
                ("eastern_european", 4),
                ("armed_forces;lgbtq", 1),
                ("armed_forces", 1),
                ("lgbtq", 1),
                ("none", 9),
                ("not_recorded", 4),
            ]
        ),
        "contacts",
        areas,
        "contacts.csv",
    )
    load_frame(
        con,
        reports(
            [
                ("eastern_european", 2),
                ("armed_forces", 3),
                ("lgbtq", 1),
                ("none", 14),
                ("not_recorded", 10),
            ]
        ),
        "reports",
        areas,
        "reports.csv",
    )
    con.close()
    return path


@pytest.fixture(scope="module")
def explore_db(tmp_path_factory, reference) -> Path:
    """Hand-made rows for the exploring pages, so every number shown is known exactly
    (areas are real Ashfield codes):

    Abbey Hill ward (E05010673), its LSOA Ashfield 007B (E01027951, 1,623 residents):
      contacts 2021-02-10: 4 Eastern European
      contacts 2021-05-14: 12 Eastern European, 20 none, 4 LGBTQ+
      contacts 2021-05-14 recorded at ward level only: 5 Eastern European
      reports 2021-01-15: 10 LGBTQ+; 2021-06-02: 3 Eastern European, 40 none
    Larwood ward (E05010686), its LSOA Ashfield 009D (E01027957, 1,310 residents):
      contacts 2021-02-10: 30 none, 6 not recorded
      contacts 2021-05-20: 2 Eastern European; 10 veterans by phone
      reports 2021-01-15: 50 none; 2021-06-02: 5 veterans
    No area: contacts 2021-05-14: 3 Eastern European
    Campaign launch: 2021-04-12.
    The period therefore defaults to 15 Jan 2021 to 2 Jun 2021. No team is recorded.
    """
    path = tmp_path_factory.mktemp("explore") / "explore.duckdb"
    con = empty_database(path, reference)
    areas = reference["areas"]
    load_frame(
        con,
        contacts(
            [
                ("2021-02-10", ABBEY_007B, "eastern_european", "face_to_face", 4),
                ("2021-05-14", ABBEY_007B, "eastern_european", "face_to_face", 12),
                ("2021-05-14", ABBEY_007B, "none", "face_to_face", 20),
                ("2021-05-14", ABBEY_007B, "lgbtq", "face_to_face", 4),
                ("2021-05-14", ABBEY_HILL, "eastern_european", "face_to_face", 5),
                ("2021-02-10", LARWOOD_009D, "none", "face_to_face", 30),
                ("2021-02-10", LARWOOD_009D, "not_recorded", "face_to_face", 6),
                ("2021-05-20", LARWOOD_009D, "eastern_european", "face_to_face", 2),
                ("2021-05-20", LARWOOD_009D, "armed_forces", "phone", 10),
                ("2021-05-14", "", "eastern_european", "face_to_face", 3),
            ],
            fields=("contact_date", "area", "communities", "channel"),
            team="",
        ),
        "contacts",
        areas,
        "contacts.csv",
    )
    load_frame(
        con,
        reports(
            [
                ("2021-01-15", ABBEY_007B, "lgbtq", 10),
                ("2021-06-02", ABBEY_007B, "eastern_european", 3),
                ("2021-06-02", ABBEY_007B, "none", 40),
                ("2021-01-15", LARWOOD_009D, "none", 50),
                ("2021-06-02", LARWOOD_009D, "armed_forces", 5),
            ],
            fields=("reported_on", "area", "victim_communities"),
        ),
        "reports",
        areas,
        "reports.csv",
    )
    con.execute(
        "INSERT INTO campaign_events VALUES (DATE '2021-04-12', 'launch', "
        "'Campaign launched', NULL, ['eastern_european', 'armed_forces', 'lgbtq'], NULL)"
    )
    con.close()
    return path
