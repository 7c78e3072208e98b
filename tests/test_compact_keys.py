"""Record keys stored as 16 bytes (schema version 6): a version 4 database keeps every
record, holder, outcome update and import when opened; a duplicate key cannot get in,
whichever way it comes; and the same rows are the same records before and after."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hidden_communities import database, rollups
from hidden_communities.loading import undo_import
from hidden_communities.record_keys import contact_keys, report_keys, stored
from hidden_communities.schema import enum_ddl
from hidden_communities.validation import validate
from tests.test_ingest import GOOD_ROW, HEADER, REPORT_HEADER, TODAY, load

V4 = Path(__file__).resolve().parent / "fixtures" / "schema_v4"

CONTACTS = HEADER + GOOD_ROW * 2 + GOOD_ROW.replace(",3,", ",4,")
REPORTS = (
    REPORT_HEADER
    + "21/000001,02/06/2021,01/06/2021,E01027925,Sutton,public_order,race_nationality,"
    "eastern_european,under_investigation\n" + ",03/06/2021,,,,shoplifting,,,charged_summonsed\n"
)
# The same reference with a newer outcome, and one new report.
REPORTS_LATER = (
    REPORT_HEADER
    + "21/000001,02/06/2021,01/06/2021,E01027925,Sutton,public_order,race_nationality,"
    "eastern_european,charged_summonsed\n"
    + "21/000002,04/06/2021,,E01027925,,burglary,,none,no_suspect\n"
)
# Import 1: contacts; 2: reports; 3: the contacts again with one more (it holds three of
# import 1's); 4: the republished reports (it holds one of import 2's, with a newer outcome).
LOADS = [
    ("contacts", CONTACTS),
    ("reports", REPORTS),
    ("contacts", CONTACTS + GOOD_ROW.replace(",3,", ",5,")),
    ("reports", REPORTS_LATER),
]
RECORD_COLUMNS = {
    "contacts": "contact_id, import_id, contact_date, area_code, team, community_recorded,"
    " communities, channel, direction, place_type, people_reached, language, topics,"
    " follow_up_needed, note, age_band",
    "reports": "report_id, import_id, source, reference, reported_on, date_precision,"
    " occurred_on, area_code, team, crime_type, hate_strands, victim_community_recorded,"
    " victim_communities, outcome, age_band",
}


def version_4_database(path: Path, reference) -> dict[str, list[str]]:
    """A database as version 4 of the code left it (tests/fixtures/schema_v4/schema.sql:
    record keys as their 68-character text), with LOADS written as that code wrote them.
    Returns each table's keys, in id order."""
    con = duckdb.connect(str(path))
    for statement in enum_ddl():
        con.execute(statement)
    con.execute((V4 / "schema.sql").read_text())
    con.execute("INSERT INTO schema_version VALUES (4)")
    database.load_reference(con, reference, with_districts=False)
    keys: dict[str, list[str]] = {"contacts": [], "reports": []}
    for number, (kind, text) in enumerate(LOADS, start=1):
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        clean = validate(frame, kind, reference["areas"], today=TODAY).clean
        clean["record_key"] = contact_keys(clean) if kind == "contacts" else report_keys(clean)[0]
        con.execute(
            "INSERT INTO imports (kind, file_name, file_sha256, loaded_at, loaded_by,"
            " rows_in_file, rows_accepted, rows_duplicate, rows_rejected)"
            " VALUES ($kind, $name, repeat($digit, 64), TIMESTAMP '2024-01-01', 'v4', $n, 0, 0, $n)",
            {"kind": kind, "name": f"{kind}-{number}", "digit": str(number), "n": len(clean)},
        )
        con.register("staged", clean)
        new = con.execute(
            f"SELECT * FROM staged WHERE record_key NOT IN (SELECT record_key FROM {kind})"  # noqa: S608
            " ORDER BY file_row"
        ).df()
        held = con.execute(
            f"SELECT record_key FROM staged WHERE record_key IN (SELECT record_key FROM {kind})"  # noqa: S608
        ).df()
        con.unregister("staged")
        if kind == "reports":  # the newer outcome, noted as version 4 noted it
            con.register("staged", clean)
            con.execute(
                "INSERT INTO outcome_updates SELECT $id, r.record_key, r.outcome,"
                " CAST(s.outcome AS outcome) FROM staged AS s JOIN reports AS r USING (record_key)"
                " WHERE r.outcome <> CAST(s.outcome AS outcome)",
                {"id": number},
            )
            con.execute(
                "UPDATE reports SET outcome = u.outcome_after FROM outcome_updates AS u"
                " WHERE u.import_id = $id AND reports.record_key = u.record_key",
                {"id": number},
            )
            con.unregister("staged")
        new["import_id"] = number
        con.register(
            "new_rows", new.drop(columns=["file_row", "entry_ref", "by_reference"], errors="ignore")
        )
        con.execute(f"INSERT INTO {kind} BY NAME SELECT * FROM new_rows")  # noqa: S608
        con.unregister("new_rows")
        for key in held["record_key"]:
            con.execute("INSERT INTO record_holders VALUES ($k, $id)", {"k": key, "id": number})
        keys[kind] += new["record_key"].tolist()
        con.execute(
            "UPDATE imports SET rows_accepted = $a, rows_duplicate = $d, rows_rejected = 0,"
            " rows_updated = (SELECT count(*) FROM outcome_updates WHERE import_id = $id)"
            " WHERE import_id = $id",
            {"a": len(new), "d": len(clean) - len(new), "id": number},
        )
    rollups.refresh(con)
    con.close()
    return keys


def everything(con, key_as: str) -> dict[str, list]:
    """Every row a migration must keep, the keys shown as `key_as` makes them."""
    out = {
        table: con.execute(
            f"SELECT {RECORD_COLUMNS[table]}, {key_as.format('record_key')} FROM {table}"  # noqa: S608
            " ORDER BY 1"
        ).fetchall()
        for table in RECORD_COLUMNS
    }
    out["imports"] = con.execute("SELECT * FROM imports ORDER BY import_id").fetchall()
    out["record_holders"] = con.execute(
        f"SELECT {key_as.format('record_key')}, import_id FROM record_holders ORDER BY ALL"  # noqa: S608
    ).fetchall()
    out["outcome_updates"] = con.execute(
        f"SELECT import_id, {key_as.format('record_key')}, outcome_before, outcome_after"  # noqa: S608
        " FROM outcome_updates ORDER BY ALL"
    ).fetchall()
    for table in rollups.TABLES:
        out[table] = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608
    return out


def test_a_version_4_database_keeps_every_record_and_import_when_opened(tmp_path, reference):
    path = tmp_path / "v4.duckdb"
    keys = version_4_database(path, reference)
    con = duckdb.connect(str(path))
    before = everything(con, "unhex(md5({}))")
    con.close()
    assert [len(before[t]) for t in ("contacts", "reports", "imports")] == [4, 3, 4]
    assert (len(before["record_holders"]), len(before["outcome_updates"])) == (4, 1)

    con = database.connect(path)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(6,)]
        assert everything(con, "{}") == before
        for table, id_column in (("contacts", "contact_id"), ("reports", "report_id")):
            by_id = f"SELECT record_key FROM {table} ORDER BY {id_column}"  # noqa: S608
            got = [k for (k,) in con.execute(by_id).fetchall()]
            assert got == [hashlib.md5(k.encode()).digest() for k in keys[table]]
        types = con.execute(
            "SELECT DISTINCT data_type FROM duckdb_columns() WHERE column_name = 'record_key'"
        ).fetchall()
        assert types == [("BLOB",)]
        # The same files are the same records: nothing is added, every row a duplicate.
        for kind, text in LOADS:
            again = load(con, text + "\n", kind=kind, name="again.csv")
            assert again.load.rows_accepted == 0, again.message
            assert again.load.rows_duplicate == again.load.rows_in_file
        # An undo still passes a record another live load holds to that load.
        undo_import(con, 1, undone_by="pytest")
        assert con.execute("SELECT count(*), min(import_id) FROM contacts").fetchall() == [(4, 3)]
    finally:
        con.close()


def test_a_version_5_database_is_not_migrated_again(tmp_path, reference):
    path = tmp_path / "v4.duckdb"
    version_4_database(path, reference)
    database.connect(path).close()
    con = database.connect(path)
    try:
        assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(4,)]
        assert con.execute("SELECT count(*) FROM schema_version").fetchall() == [(1,)]
    finally:
        con.close()


# --------------------------------------------------------------------------- duplicates


def test_a_key_already_stored_cannot_be_inserted_again(con):
    """The load skips keys already stored (its anti-join, under the write lock); the
    database itself refuses one that got past it."""
    load(con, CONTACTS)
    key = con.execute("SELECT record_key FROM contacts ORDER BY contact_id LIMIT 1").fetchall()
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO contacts BY NAME SELECT * EXCLUDE (contact_id)"
            " REPLACE ($key AS record_key) FROM contacts LIMIT 1",
            {"key": key[0][0]},
        )
    assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(3,)]


def test_duplicates_are_counted_and_identical_rows_stay_separate(con):
    first = load(con, CONTACTS)
    assert first.message == "3 new record(s) loaded."
    again = load(con, CONTACTS + GOOD_ROW.replace(",3,", ",5,"), name="more.csv")
    assert again.message == "1 new record(s) loaded; 3 already in the database (skipped)."
    assert con.execute("SELECT count(DISTINCT record_key) FROM contacts").fetchall() == [(4,)]


def test_the_stored_key_is_the_md5_of_the_key_text(con):
    """Python (record_keys.stored) and SQL (queries/staging/clean_*.sql) store the same
    bytes for the same row."""
    load(con, CONTACTS)
    frame = pd.read_csv(io.StringIO(CONTACTS), dtype=str, keep_default_na=False)
    clean = validate(frame, "contacts", con.execute("SELECT * FROM areas").df(), today=TODAY).clean
    expected = stored(contact_keys(clean)).tolist()
    got = [
        k for (k,) in con.execute("SELECT record_key FROM contacts ORDER BY contact_id").fetchall()
    ]
    assert got == expected
    assert all(len(k) == 16 for k in got)
