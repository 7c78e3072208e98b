"""The database itself refuses values outside the rules (not only the Python validation)."""

from __future__ import annotations

import duckdb
import pytest

from hidden_communities import vocab

GOOD_CONTACT = {
    "record_key": "k1",
    "import_id": 1,
    "contact_date": "2021-05-01",
    "area_code": "E01027925",
    "team": "Sutton",
    "community_recorded": True,
    "communities": ["eastern_european"],
    "channel": "face_to_face",
    "direction": "proactive",
    "place_type": "specialist_food_shop",
    "people_reached": 2,
    "language": "polish",
    "topics": ["trust_in_police"],
    "follow_up_needed": False,
    "note": None,
}

GOOD_REPORT = {
    "record_key": "r1",
    "import_id": 1,
    "source": "records_system",
    "reference": "21/000001",
    "reported_on": "2021-05-02",
    "date_precision": "day",
    "occurred_on": "2021-05-01",
    "area_code": "E01027925",
    "team": None,
    "crime_type": "public_order",
    "hate_strands": ["race_nationality"],
    "victim_community_recorded": True,
    "victim_communities": ["eastern_european"],
    "outcome": "under_investigation",
}

CONTACT_TYPES = {"communities": "community[]", "topics": "topic[]"}
REPORT_TYPES = {"hate_strands": "hate_strand[]", "victim_communities": "community[]"}


@pytest.fixture
def db(con):
    con.execute(
        "INSERT INTO imports (kind, file_name, file_sha256, loaded_at, loaded_by, rows_in_file,"
        " rows_accepted, rows_duplicate, rows_rejected) VALUES"
        " ('contacts', 'f.csv', repeat('a', 64), now(), 'pytest', 1, 1, 0, 0)"
    )
    return con


def insert(con, table: str, row: dict, casts: dict) -> None:
    cols = ", ".join(row)
    values = ", ".join(f"CAST(${k} AS {casts[k]})" if k in casts else f"${k}" for k in row)
    con.execute(f"INSERT INTO {table} ({cols}) VALUES ({values})", row)


def test_good_rows_are_accepted(db):
    insert(db, "contacts", GOOD_CONTACT, CONTACT_TYPES)
    insert(db, "reports", GOOD_REPORT, REPORT_TYPES)
    assert db.execute("SELECT count(*) FROM contacts").fetchall() == [(1,)]
    assert db.execute("SELECT count(*) FROM reports").fetchall() == [(1,)]


@pytest.mark.parametrize(
    "change",
    [
        {"channel": "carrier_pigeon"},
        {"direction": "sideways"},
        {"place_type": "pub"},
        {"language": "klingon"},
        {"communities": ["vegans"]},
        {"topics": ["weather"]},
        {"people_reached": 0},
        {"people_reached": 5001},
        {"contact_date": "1999-12-31"},
        {"area_code": "E01999999"},  # not an area of the district
        {"community_recorded": False},  # not recorded, yet a community listed
        {"communities": ["lgbtq", "lgbtq"]},
        {"note": "x" * 501},
        {"team": "t" * 61},
    ],
)
def test_contacts_reject_bad_values(db, change):
    with pytest.raises(duckdb.Error):
        insert(db, "contacts", {**GOOD_CONTACT, **change}, CONTACT_TYPES)
    assert db.execute("SELECT count(*) FROM contacts").fetchall() == [(0,)]


@pytest.mark.parametrize(
    "change",
    [
        {"source": "twitter"},
        {"crime_type": "jaywalking"},
        {"hate_strands": ["age"]},
        {"outcome": "solved"},
        {"occurred_on": "2021-05-03"},  # after it was reported
        {"date_precision": "month"},  # month precision must be the 1st of the month
        {"victim_community_recorded": False},  # not recorded, yet a community listed
        {"reported_on": None},
    ],
)
def test_reports_reject_bad_values(db, change):
    with pytest.raises(duckdb.Error):
        insert(db, "reports", {**GOOD_REPORT, **change}, REPORT_TYPES)
    assert db.execute("SELECT count(*) FROM reports").fetchall() == [(0,)]


def test_record_keys_are_unique(db):
    insert(db, "contacts", GOOD_CONTACT, CONTACT_TYPES)
    with pytest.raises(duckdb.ConstraintException):
        insert(db, "contacts", GOOD_CONTACT, CONTACT_TYPES)


def test_population_count_cannot_exceed_its_denominator(db):
    with pytest.raises(duckdb.ConstraintException):
        db.execute("INSERT INTO population VALUES ('E01027925', 'lgbtq', 'lgb_plus', 11, 10, 'x')")


def test_imports_row_counts_must_add_up(db):
    with pytest.raises(duckdb.ConstraintException):
        db.execute(
            "INSERT INTO imports (kind, file_name, file_sha256, loaded_at, loaded_by,"
            " rows_in_file, rows_accepted, rows_duplicate, rows_rejected) VALUES"
            " ('contacts', 'f.csv', repeat('b', 64), now(), 'pytest', 5, 1, 0, 0)"
        )


def test_database_enums_are_the_vocabulary(con):
    for name, values in vocab.enums().items():
        got = con.execute(f"SELECT enum_range(NULL::{name})").fetchall()[0][0]
        assert tuple(got) == values, name
