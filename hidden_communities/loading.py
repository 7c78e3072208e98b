"""Load validated rows into DuckDB: one transaction, idempotent, with provenance.

A load writes an `imports` row and the new records together or not at all. Records
already in the database (same key, see record_keys.py) are counted as duplicates and
skipped, so loading a file twice adds nothing; the load is noted as one more holder of
them (`record_holders`), so that undoing the load that added them first keeps them. A
report matched by its reference takes the file's outcome when it differs (a republished
data.police.uk month): `outcome_updates` keeps what an undo puts back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from queries import execute, run_query, scalar

from . import rollups
from .record_keys import contact_keys, report_keys, stored
from .validation import ValidationResult

TARGET_TABLE = {"contacts": "contacts", "reports": "reports", "police_uk": "reports"}


class ImportRejected(ValueError):
    """The file was not loaded; the message says why. Nothing was written."""


@dataclass(frozen=True)
class LoadResult:
    import_id: int | None
    rows_in_file: int
    rows_accepted: int
    rows_duplicate: int
    rows_rejected: int
    rows_outside_area: int
    already_loaded_as: int | None = None
    outside_detail: str = ""
    rows_updated: int = 0  # of the duplicates, the reports given the file's newer outcome

    @property
    def summary(self) -> str:
        if self.already_loaded_as is not None:
            return (
                f"This file was already loaded (import {self.already_loaded_as}); "
                "nothing was added."
            )
        parts = [f"{self.rows_accepted} new record(s) loaded"]
        if self.rows_duplicate and self.rows_updated:
            parts.append(
                f"{self.rows_duplicate} already in the database ({self.rows_updated} of them "
                "with a newer outcome, now updated)"
            )
        elif self.rows_duplicate:
            parts.append(f"{self.rows_duplicate} already in the database (skipped)")
        if self.rows_rejected:
            parts.append(f"{self.rows_rejected} rejected")
        if self.rows_outside_area:
            parts.append(f"{self.rows_outside_area} outside the district (counted, not loaded)")
            if self.outside_detail:
                parts[-1] = parts[-1][:-1] + f": {self.outside_detail})"
        return "; ".join(parts) + "."


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_previous_load(con: duckdb.DuckDBPyConnection, kind: str, file_sha256: str) -> int | None:
    found = previous_load(con, kind, file_sha256)
    return None if found is None else found.already_loaded_as


def previous_load(con: duckdb.DuckDBPyConnection, kind: str, file_sha256: str) -> LoadResult | None:
    """What loading a file with this content again comes to, when a live load of this kind
    already holds it: nothing added. Asked before the file is read (ingest.py), so a file
    loaded before is answered at once, however large."""
    found = run_query(con, "import_by_hash", kind=kind, file_sha256=file_sha256)
    if found.empty:
        return None
    first = found.iloc[0]
    rows = int(first["rows_in_file"])
    return LoadResult(None, rows, 0, 0, 0, 0, already_loaded_as=int(first["import_id"]))


def load_validated(
    con: duckdb.DuckDBPyConnection,
    result: ValidationResult,
    *,
    file_name: str,
    file_sha256: str,
    loaded_by: str,
    allow_partial: bool = False,
    import_kind: str | None = None,
    is_demonstration: bool = False,
    now: datetime | None = None,
) -> LoadResult:
    """Write the valid rows of `result` (all of them, or nothing unless `allow_partial`)."""
    if result.file_errors:
        raise ImportRejected("; ".join(result.file_errors))
    rejected = len(result.rejected_rows)
    if rejected and not allow_partial:
        raise ImportRejected(
            f"{rejected} row(s) broke the rules, so nothing was loaded. Fix them, or choose to "
            "load only the valid rows."
        )
    table = TARGET_TABLE[result.kind]
    # A file checked in DuckDB (staged_checks.py) comes with its rows keyed already.
    staged = (
        result.keyed_rows(table) if hasattr(result, "keyed_rows") else keyed(result.clean, table)
    )
    if len(staged) == 0:
        detail = f" ({result.outside_detail})" if result.outside_detail else ""
        raise ImportRejected(f"the file has no rows that can be loaded{detail}")
    kind = import_kind or result.kind
    previous = find_previous_load(con, kind, file_sha256)
    if previous is not None:
        return LoadResult(None, result.rows_in_file, 0, 0, 0, 0, already_loaded_as=previous)

    con.execute("BEGIN TRANSACTION")
    try:
        import_id = scalar(
            con,
            "INSERT INTO imports (kind, file_name, file_sha256, loaded_at, loaded_by, rows_in_file,"
            " rows_accepted, rows_duplicate, rows_rejected, rows_outside_area, is_demonstration)"
            " VALUES ($kind, $file_name, $sha, $at, $by, $rows, 0, 0, $rows, 0, $demo)"
            " RETURNING import_id",
            {
                "kind": kind,
                "file_name": file_name[:255],
                "sha": file_sha256,
                "at": now or datetime.now(),
                "by": loaded_by[:100],
                "rows": result.rows_in_file,
                "demo": is_demonstration,
            },
        )
        before = scalar(con, f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
        if len(staged):
            con.register("staged", staged)
            try:
                execute(con, f"load_{table}", import_id=import_id)
                execute(con, "hold_records", import_id=import_id)
                if table == "reports":
                    execute(con, "refresh_outcomes_note", import_id=import_id)
                    execute(con, "refresh_outcomes", import_id=import_id)
            finally:
                con.unregister("staged")
            rollups.loaded(con, import_id)
        accepted = scalar(con, f"SELECT count(*) FROM {table}") - before  # noqa: S608
        duplicate = len(staged) - accepted
        updated = scalar(
            con, "SELECT count(*) FROM outcome_updates WHERE import_id = $id", {"id": import_id}
        )
        con.execute(
            "UPDATE imports SET rows_accepted = $a, rows_duplicate = $d, rows_rejected = $r,"
            " rows_outside_area = $o, rows_updated = $u WHERE import_id = $id",
            {
                "a": accepted,
                "d": duplicate,
                "r": rejected,
                "o": result.rows_outside_area,
                "u": updated,
                "id": import_id,
            },
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LoadResult(
        import_id,
        result.rows_in_file,
        accepted,
        duplicate,
        rejected,
        result.rows_outside_area,
        outside_detail=result.outside_detail,
        rows_updated=updated,
    )


def keyed(rows: pd.DataFrame, table: str) -> pd.DataFrame:
    """The validated rows with their record keys as stored (record_keys.stored: 16 bytes),
    and, for reports, whether each is keyed by its reference."""
    staged = rows.copy()
    if staged.empty:
        staged["record_key"] = pd.Series(dtype=object)
    elif table == "contacts":
        staged["record_key"] = stored(contact_keys(staged))
    else:
        keys, staged["by_reference"] = report_keys(staged)
        staged["record_key"] = stored(keys)
    return staged


def undo_import(con: duckdb.DuckDBPyConnection, import_id: int, *, undone_by: str) -> int:
    """Undo one import in one transaction, all or nothing: put back the outcomes it
    updated, delete the records only it holds, pass those another live import also loaded
    to that import, and keep the import's row as the trail. Returns the number of records
    deleted."""
    con.execute("BEGIN TRANSACTION")
    try:
        updated = con.execute(
            "UPDATE imports SET undone_at = $at, undone_by = $by"
            " WHERE import_id = $id AND undone_at IS NULL RETURNING import_id",
            {"at": datetime.now(), "by": undone_by[:100], "id": import_id},
        ).fetchall()
        if not updated:
            raise ImportRejected(f"import {import_id} does not exist or was already undone")
        for statement in (
            "undo_outcomes_restore",
            "undo_outcomes_pass_on",
            "undo_pass_on_contacts",
            "undo_pass_on_reports",
            "undo_release_holders",
        ):
            execute(con, statement, import_id=import_id)
        rollups.undoing(con, import_id)
        params = {"id": import_id}
        removed = (
            scalar(con, "DELETE FROM contacts WHERE import_id = $id", params)
            + scalar(con, "DELETE FROM reports WHERE import_id = $id", params)
            + scalar(con, "DELETE FROM campaign_events WHERE import_id = $id", params)
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return removed


def frame_sha256(frame: pd.DataFrame) -> str:
    """A stable hash of a frame's content, for loads that do not come from a file."""
    return sha256_bytes(frame.to_csv(index=False).encode("utf-8"))
