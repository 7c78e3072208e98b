"""Nothing real is lost: record keys that cannot collide, old databases re-keyed on open,
an undo that keeps what another load still holds, newer outcomes taken from a republished
file (and put back by its undo)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hidden_communities import database, vocab
from hidden_communities.loading import ImportRejected, undo_import
from hidden_communities.schema import enum_ddl
from hidden_communities.validation import validate
from tests.test_ingest import GOOD_ROW, HEADER, POLICE_UK, REPORT_HEADER, TODAY, load, snapshot

V1 = Path(__file__).resolve().parent / "fixtures" / "schema_v1"

# --------------------------------------------------------------------------- record keys

# The fields between team and note, as the old key joined them (empty lists were skipped).
MIDDLE = "false|phone|reactive|phone|1|english|false"
PLAIN = "14/05/2021,E01027925,{team},not_recorded,phone,reactive,phone,1,english,,no,{note}\n"


def test_records_whose_fields_join_alike_are_two_records(con):
    """Team 'A' with note 'false|phone|...|Z', and team 'A|false|phone|...' with note 'Z',
    joined with '|' to the same text: the second was taken as already loaded."""
    first = load(con, HEADER + PLAIN.format(team="A", note=f"{MIDDLE}|Z"), name="a.csv")
    second = load(con, HEADER + PLAIN.format(team=f"A|{MIDDLE}", note="Z"), name="b.csv")
    assert (first.message, second.message) == ("1 new record(s) loaded.",) * 2
    assert con.execute("SELECT team, note FROM contacts ORDER BY contact_id").fetchall() == [
        ("A", f"{MIDDLE}|Z"),
        (f"A|{MIDDLE}", "Z"),
    ]


def contact(**fields) -> dict:
    """A contact as validation hands it to the load."""
    base = {
        "contact_date": date(2021, 5, 14),
        "area_code": None,
        "team": None,
        "community_recorded": False,
        "communities": [],
        "channel": "phone",
        "direction": "reactive",
        "place_type": "phone",
        "people_reached": 1,
        "language": "english",
        "topics": [],
        "follow_up_needed": False,
        "note": None,
        "entry_ref": "",
    }
    return {**base, **fields}


# Blank free text is null after validation; what is there may hold any separator.
free_text = st.one_of(
    st.none(), st.text(alphabet=st.sampled_from("A|Z-#:,;\"'[] 0x\\"), min_size=1, max_size=8)
)
contacts = st.builds(
    contact,
    contact_date=st.dates(date(2000, 1, 1), date(2026, 12, 31)),
    area_code=st.sampled_from([None, "E01027925", "E05010679"]),
    team=free_text,
    community_recorded=st.booleans(),
    communities=st.sets(st.sampled_from(list(vocab.COMMUNITIES))).map(sorted),
    channel=st.sampled_from(list(vocab.CHANNELS)[:2]),
    people_reached=st.integers(1, 3),
    topics=st.sets(st.sampled_from(list(vocab.TOPICS)[:3])).map(sorted),
    follow_up_needed=st.booleans(),
    note=free_text,
)


@settings(max_examples=300, deadline=None)
@given(first=contacts, second=contacts)
def test_different_contacts_never_share_a_key(first, second):
    from hidden_communities.record_keys import contact_identity, contact_keys, digest

    keys = contact_keys(pd.DataFrame([{**first, "file_row": 2}, {**second, "file_row": 3}]))
    hashes = [key.split("#")[0] for key in keys]
    # Keys of a whole file are built column by column: the same as one record at a time.
    assert hashes == ["c:" + digest(contact_identity(r)) for r in (first, second)]
    if first == second:  # two identical rows in one file are two records
        assert keys.tolist() == [hashes[0] + "#1", hashes[0] + "#2"]
    else:
        assert hashes[0] != hashes[1]
        assert keys.tolist() == [hashes[0] + "#1", hashes[1] + "#1"]


def report(**fields) -> dict:
    base = {
        "source": "records_system",
        "reference": None,
        "reported_on": date(2021, 6, 2),
        "date_precision": "day",
        "occurred_on": None,
        "area_code": None,
        "team": None,
        "crime_type": "burglary",
        "hate_strands": [],
        "victim_community_recorded": False,
        "victim_communities": [],
        "outcome": "no_suspect",
    }
    return {**base, **fields}


reports = st.builds(
    report,
    source=st.sampled_from(["records_system", "police_uk"]),
    reference=free_text,
    occurred_on=st.sampled_from([None, date(2021, 6, 1)]),
    area_code=st.sampled_from([None, "E01027925"]),
    team=free_text,
    hate_strands=st.sets(st.sampled_from(list(vocab.HATE_STRANDS)[:2])).map(sorted),
    outcome=st.sampled_from(["no_suspect", "under_investigation"]),
)


@settings(max_examples=300, deadline=None)
@given(first=reports, second=reports)
def test_different_reports_never_share_a_key(first, second):
    """A report with a reference is keyed by it (the same report in a later export is the
    same record); one without by every field."""
    from hidden_communities.record_keys import digest, report_identity, report_keys

    keys, by_reference = report_keys(
        pd.DataFrame([{**first, "file_row": 2}, {**second, "file_row": 3}])
    )
    assert by_reference.tolist() == [r["reference"] is not None for r in (first, second)]

    def identity(r: dict) -> tuple:
        if r["reference"] is None:
            return ("content", *(tuple(v) if isinstance(v, list) else v for v in r.values()))
        area = r["area_code"] if r["source"] == "police_uk" else None
        return ("reference", r["source"], r["reference"], area)

    hashes = [key.split("#")[0] for key in keys]
    assert hashes == ["r:" + digest(report_identity(r)[0]) for r in (first, second)]
    assert (hashes[0] == hashes[1]) == (identity(first) == identity(second))


# --------------------------------------------------------------------------- old databases

CONTACTS = HEADER + GOOD_ROW * 2 + GOOD_ROW.replace(",3,", ",4,")
REPORTS = (
    REPORT_HEADER
    + "21/000001,02/06/2021,01/06/2021,E01027925,Sutton,public_order,race_nationality,"
    "eastern_european,under_investigation\n"
    + "21/000001,02/06/2021,,E01027925,,burglary,,none,no_suspect\n"  # same reference twice
    + ",03/06/2021,,,,shoplifting,,,charged_summonsed\n"
)


def old_database(path: Path, reference) -> None:
    """A database as the code before schema versions built it: the v1 schema, keys from
    the v1 load statements, a file of contacts, one of reports, a data.police.uk file and
    two identical contacts logged through the form."""
    con = duckdb.connect(str(path))
    for statement in enum_ddl():
        con.execute(statement)
    con.execute((V1 / "schema.sql").read_text())
    database.load_reference(con, reference, with_districts=False)
    areas = reference["areas"]
    loads = [
        ("contacts", "contacts", CONTACTS, "contacts", ""),
        ("reports", "reports", REPORTS, "reports", ""),
        ("police_uk", "police_uk", POLICE_UK, "reports", ""),
        ("form", "contacts", HEADER + GOOD_ROW, "contacts", "4f1c"),
        ("form", "contacts", HEADER + GOOD_ROW, "contacts", "9a2e"),
    ]
    for number, (kind, rules, text, table, entry) in enumerate(loads, start=1):
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        staged = validate(frame, rules, areas, today=TODAY).clean
        if entry:
            staged["entry_ref"] = entry
        con.execute(
            "INSERT INTO imports (kind, file_name, file_sha256, loaded_at, loaded_by,"
            " rows_in_file, rows_accepted, rows_duplicate, rows_rejected, rows_outside_area)"
            " VALUES ($kind, $name, repeat($digit, 64), now(), 'v1', $n, $n, 0, 0, 0)",
            {"kind": kind, "name": f"{kind}-{number}", "digit": str(number), "n": len(staged)},
        )
        con.register("staged", staged)
        con.execute((V1 / f"load_{table}.sql").read_text(), {"import_id": number})
        con.unregister("staged")
    con.close()


def test_an_old_database_is_rekeyed_when_opened(tmp_path, reference):
    path = tmp_path / "old.duckdb"
    old_database(path, reference)
    con = database.connect(path)
    try:
        # Brought to the current version (3: records carry an age band, not_recorded for
        # every record loaded before it existed; 4: the rollups count them; 5: the national
        # districts; 6: keys are stored as the 16-byte MD5 of their text).
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(6,)]
        assert con.execute("SELECT sum(rows_updated) FROM imports").fetchall() == [(0,)]
        bands = "SELECT DISTINCT CAST(age_band AS VARCHAR) FROM {} ORDER BY 1"
        for table in ("contacts", "reports"):
            assert con.execute(bands.format(table)).fetchall() == [("not_recorded",)]
        keys = [
            k
            for (k,) in con.execute(
                "SELECT record_key FROM contacts UNION ALL SELECT record_key FROM reports"
            ).fetchall()
        ]
        # 3 contacts from the file, 2 identical ones from the form, 3 reports (two with the
        # same reference) and 4 data.police.uk rows in the district: all kept, all distinct.
        assert len(keys) == len(set(keys)) == 3 + 2 + 3 + 4
        assert all(isinstance(k, bytes) and len(k) == 16 for k in keys)
        # The same rows in new files are recognised: nothing is added twice.
        for text, kind in ((CONTACTS, "contacts"), (REPORTS, "reports"), (POLICE_UK, "police_uk")):
            again = load(con, text + "\n", kind=kind, name="again.csv")
            assert again.load.rows_accepted == 0, again.message
    finally:
        con.close()


def test_a_rekeyed_database_is_not_rekeyed_again(tmp_path, reference):
    path = tmp_path / "old.duckdb"
    old_database(path, reference)
    keys = "SELECT record_key FROM contacts UNION ALL SELECT record_key FROM reports ORDER BY 1"
    con = database.connect(path)
    first = con.execute(keys).fetchall()
    con.close()
    con = database.connect(path)
    assert con.execute(keys).fetchall() == first
    assert con.execute("SELECT count(*) FROM schema_version").fetchall() == [(1,)]
    con.close()


# --------------------------------------------------------------------------- undo


def numbered_rows(first: int, last: int) -> str:
    """Contacts told apart by people_reached: row n reached n people."""
    return "".join(GOOD_ROW.replace(",3,", f",{n},") for n in range(first, last + 1))


def people(con) -> list[int]:
    return [n for (n,) in con.execute("SELECT people_reached FROM contacts ORDER BY 1").fetchall()]


def orphans(con) -> int:
    """Records whose import_id is not a live import (tests/test_integrity.py's rule)."""
    return con.execute(
        "SELECT count(*) FROM contacts AS c LEFT JOIN imports AS i USING (import_id)"
        " WHERE i.import_id IS NULL OR i.undone_at IS NOT NULL"
    ).fetchall()[0][0]


def test_undo_keeps_the_records_another_live_import_holds(con):
    a = load(con, HEADER + numbered_rows(1, 10), name="a.csv")
    b = load(con, HEADER + numbered_rows(6, 15), name="b.csv")
    assert b.message == "5 new record(s) loaded; 5 already in the database (skipped)."
    # Undoing A removes only what no other load holds: B still holds rows 6 to 10.
    assert undo_import(con, a.load.import_id, undone_by="pytest") == 5
    assert people(con) == list(range(6, 16))
    assert orphans(con) == 0
    # A can be loaded again, and brings back exactly what it alone held.
    again = load(con, HEADER + numbered_rows(1, 10), name="a.csv")
    assert again.message == "5 new record(s) loaded; 5 already in the database (skipped)."
    assert people(con) == list(range(1, 16))
    # Undoing B now leaves A's ten, then undoing A's reload leaves nothing.
    assert undo_import(con, b.load.import_id, undone_by="pytest") == 5
    assert people(con) == list(range(1, 11))
    assert orphans(con) == 0
    assert undo_import(con, again.load.import_id, undone_by="pytest") == 10
    assert people(con) == []


def test_a_load_undone_can_be_loaded_again_beside_an_overlapping_one(con):
    load(con, HEADER + numbered_rows(1, 10), name="a.csv")
    b = load(con, HEADER + numbered_rows(6, 15), name="b.csv")
    undo_import(con, b.load.import_id, undone_by="pytest")
    assert people(con) == list(range(1, 11))
    again = load(con, HEADER + numbered_rows(6, 15), name="b.csv")
    assert again.message == "5 new record(s) loaded; 5 already in the database (skipped)."
    assert people(con) == list(range(1, 16))


def test_an_undo_that_fails_changes_nothing(con):
    a = load(con, HEADER + numbered_rows(1, 10), name="a.csv")
    load(con, HEADER + numbered_rows(6, 15), name="b.csv")
    undo_import(con, a.load.import_id, undone_by="pytest")
    before = snapshot(con), con.execute("SELECT * FROM imports ORDER BY 1").fetchall()
    with pytest.raises(ImportRejected, match="already undone"):
        undo_import(con, a.load.import_id, undone_by="pytest")
    assert (snapshot(con), con.execute("SELECT * FROM imports ORDER BY 1").fetchall()) == before


# --------------------------------------------------------------------------- refreshed files

# The same month as POLICE_UK, republished three months on: two outcomes have moved on,
# one crime is new, the anti-social behaviour rows (no Crime ID, no outcome) are the same.
REFRESHED = (
    POLICE_UK.replace(
        "Ashfield 002C,Other theft,Under investigation",
        "Ashfield 002C,Other theft,Investigation complete; no suspect identified",
    ).replace(
        "Ashfield 015A,Violence and sexual offences,Unable to prosecute suspect",
        "Ashfield 015A,Violence and sexual offences,Offender given a caution",
    )
    + "dd44,2024-02,Nottinghamshire Police,Nottinghamshire Police,-1.2,53.1,On or near X,"
    "E01027925,Ashfield 015A,Drugs,Local resolution,\n"
)
FIRST_OUTCOMES = [
    ("aa11", "under_investigation"),
    ("cc33", "evidential_difficulties"),
    (None, "not_recorded"),
    (None, "not_recorded"),
]


def outcomes(con) -> list[tuple]:
    return con.execute(
        "SELECT reference, outcome FROM reports ORDER BY reference NULLS LAST, report_id"
    ).fetchall()


def test_a_republished_police_uk_month_updates_outcomes_and_adds_no_duplicates(con):
    load(con, POLICE_UK, kind="police_uk", name="2024-02-street (March).csv")
    assert outcomes(con) == FIRST_OUTCOMES
    newer = load(con, REFRESHED, kind="police_uk", name="2024-02-street (June).csv")
    assert newer.message == (
        "1 new record(s) loaded; 4 already in the database (2 of them with a newer outcome, "
        "now updated); 2 outside the district (counted, not loaded: 1 in LSOAs outside the "
        "district, 1 with no location)."
    )
    assert outcomes(con) == [
        ("aa11", "no_suspect"),
        ("cc33", "out_of_court"),
        ("dd44", "out_of_court"),
        (None, "not_recorded"),
        (None, "not_recorded"),
    ]
    assert con.execute(
        "SELECT rows_in_file, rows_accepted, rows_duplicate, rows_updated, rows_outside_area"
        " FROM imports ORDER BY import_id"
    ).fetchall() == [(6, 4, 0, 0, 2), (7, 1, 4, 2, 2)]
    # Undoing the newer file takes its crime away and puts the outcomes back.
    undo_import(con, newer.load.import_id, undone_by="pytest")
    assert outcomes(con) == FIRST_OUTCOMES


def test_an_export_with_a_newer_outcome_updates_the_report(con):
    row = "21/000001,02/06/2021,,E01027925,,burglary,,none,{}\n"
    load(con, REPORT_HEADER + row.format("under_investigation"), kind="reports", name="may.csv")
    later = load(con, REPORT_HEADER + row.format("charged_summonsed"), kind="reports")
    assert later.message == (
        "0 new record(s) loaded; 1 already in the database (1 of them with a newer outcome, "
        "now updated)."
    )
    assert outcomes(con) == [("21/000001", "charged_summonsed")]


def test_undoing_an_update_in_the_middle_keeps_the_latest_outcome(con):
    row = "21/000001,02/06/2021,,E01027925,,burglary,,none,{}\n"
    steps = ["under_investigation", "evidential_difficulties", "charged_summonsed"]
    loads = [
        load(con, REPORT_HEADER + row.format(outcome), kind="reports", name=f"{n}.csv").load
        for n, outcome in enumerate(steps)
    ]
    undo_import(con, loads[1].import_id, undone_by="pytest")
    assert outcomes(con) == [("21/000001", "charged_summonsed")]
    undo_import(con, loads[2].import_id, undone_by="pytest")
    assert outcomes(con) == [("21/000001", "under_investigation")]
