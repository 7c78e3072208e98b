"""The rollup tables (queries/schema.sql: `contact_rollup`, `report_rollup`): the records
counted by calendar month and by every field a page filters or splits them by.

They are kept equal to the record tables inside each write's own transaction:

- a load calls `loaded(con, import_id)` after inserting its records (every new record of
  a load carries the load's new import_id, so its counts are added once);
- an undo calls `undoing(con, import_id)` after passing shared records on to another live
  import and before deleting the records only it holds (the counts taken away are exactly
  those of the records about to be deleted);
- a migration or anything else that writes records in another way calls `refresh(con)`,
  which recounts every record.

No other write changes a field the rollups keep: an undo's pass-on changes import_id,
an outcome update changes the outcome, a rekey changes record_key. tests/test_rollups.py
checks the rollups against the records after random sequences of loads and undos.

What a change costs (scale 100: 0.8 M contacts, 2.4 M reports, on 2 shared cores): adding
or taking away one import reads that import's records and merges their groups into the
rollups (about 100 k and 190 k rows); `refresh` recounts every record.
"""

from __future__ import annotations

import duckdb

from queries import execute

TABLES = ("contact_rollup", "report_rollup")
_STATEMENTS = {"contact_rollup": "rollup_contacts", "report_rollup": "rollup_reports"}


def _merge(con: duckdb.DuckDBPyConnection, import_id: int | None, sign: int) -> None:
    for table in TABLES:
        execute(con, _STATEMENTS[table], import_id=import_id, sign=sign)


def loaded(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Add the records of a load just written (call it in the load's transaction, after
    its records are inserted)."""
    _merge(con, import_id, 1)


def undoing(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Take away the records an undo is about to delete (call it in the undo's
    transaction, after the pass-on and before the delete)."""
    _merge(con, import_id, -1)


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Recount the rollups from every record (a migration, or a write that is not a load
    or an undo). Runs in the caller's transaction when there is one."""
    for table in TABLES:
        con.execute(f"DELETE FROM {table}")  # noqa: S608 - names from TABLES
    _merge(con, None, 1)
