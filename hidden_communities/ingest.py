"""One code path for getting a file in: read, validate every row, load in one transaction.

The Data page calls `import_file` on the connection it writes with; `python -m
hidden_communities import ...` calls `import_into`, which checks the file before it takes
the write lock. Both run the same reading, validation and load:

- first the file's SHA-256, from its bytes: a file a live load already holds is answered
  ("already loaded") before it is read at all;
- then the file is read into a staging DuckDB of its own (staging.py) and every rule is
  checked there in SQL (staged_checks.py), with validation.py's messages;
- then the valid rows are loaded in one transaction (loading.py).

A contact logged on the form is one row, checked by validation.py in Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from queries import run_query

from . import access, staged_checks, staging
from .columns import CONTACT_COLUMNS
from .loading import ImportRejected, LoadResult, load_validated, previous_load, sha256_bytes
from .readers import FileProblem
from .staged_checks import StagedValidation
from .validation import FIRST_DATA_ROW, ValidationResult, validate

KINDS = ("contacts", "reports", "police_uk")


@dataclass
class ImportOutcome:
    kind: str
    file_name: str
    read_as: str = ""
    validation: ValidationResult | StagedValidation | None = None
    load: LoadResult | None = None
    errors: list[str] = field(default_factory=list)
    raw: pd.DataFrame | None = None  # the file's rows as written (at least the rejected ones)

    @property
    def loaded(self) -> bool:
        return self.load is not None

    @property
    def problems(self) -> pd.DataFrame:
        """Every problem: file-level ones first (row blank), then row by row."""
        rows = [{"row": None, "column": "", "value": "", "rule": e} for e in self.errors]
        frame = pd.DataFrame(rows, columns=["row", "column", "value", "rule"])
        if self.validation is not None and not self.validation.problems.empty:
            frame = pd.concat([frame, self.validation.problems], ignore_index=True)
        return frame

    @property
    def message(self) -> str:
        if self.load is not None:
            return self.load.summary
        if self.errors:
            return f"{self.file_name} was not loaded: " + "; ".join(self.errors)
        return f"{self.file_name} was not loaded."

    def rejected_rows(self) -> pd.DataFrame:
        """The rejected rows as they were in the file, with the spreadsheet row number and
        what was wrong, so they can be fixed and loaded again."""
        if self.raw is None or self.validation is None or self.validation.problems.empty:
            return pd.DataFrame()
        problems = self.validation.problems
        why = problems.groupby("row").apply(
            lambda g: "; ".join(f"{c}: {r}" for c, r in zip(g["column"], g["rule"], strict=True)),
            include_groups=False,
        )
        rows = self.raw.loc[why.index - FIRST_DATA_ROW].copy()
        rows.insert(0, "problems", why.to_numpy())
        rows.insert(0, "row", why.index)
        return rows.reset_index(drop=True)


def check_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    today: date | None = None,
    max_mb: float | None = None,
    max_rows: int | None = None,
) -> ImportOutcome:
    """Read and validate a file without loading it (the Data page shows this first)."""
    return import_file(
        con,
        data,
        file_name,
        kind,
        loaded_by="",
        today=today,
        max_mb=max_mb,
        max_rows=max_rows,
        dry_run=True,
    )


def read_and_check(
    data: bytes,
    file_name: str,
    kind: str,
    areas: pd.DataFrame,
    *,
    today: date | None = None,
    max_mb: float | None = None,
    max_rows: int | None = None,
) -> ImportOutcome:
    """Read a file and validate every row against the district's areas (the `areas` query).
    Needs no connection to the database, so a long check holds nobody up: the file is
    staged and checked in a DuckDB of its own, in memory, closed afterwards."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    outcome = ImportOutcome(kind=kind, file_name=file_name)
    con = duckdb.connect()
    try:
        try:
            staged = staging.stage_upload(
                con,
                data,
                file_name,
                names=lambda headers: staged_checks.column_names(headers, kind),
                max_mb=max_mb,
                max_rows=max_rows,
            )
        except FileProblem as problem:
            outcome.errors.append(str(problem))
            return outcome
        outcome.read_as = staged.read_as
        outcome.validation, outcome.raw = staged_checks.check_staged(
            con, staged, kind, areas, today=today
        )
    finally:
        con.close()
    outcome.errors.extend(outcome.validation.file_errors)
    return outcome


def already_loaded(
    con: duckdb.DuckDBPyConnection, file_sha256: str, file_name: str, kind: str
) -> ImportOutcome | None:
    """The outcome of loading a file a live load of this kind already holds (same bytes,
    any name): nothing added, said before the file is read."""
    found = previous_load(con, kind, file_sha256)
    return None if found is None else ImportOutcome(kind=kind, file_name=file_name, load=found)


def load_checked(
    con: duckdb.DuckDBPyConnection,
    outcome: ImportOutcome,
    data: bytes,
    *,
    loaded_by: str,
    allow_partial: bool = False,
    file_sha256: str | None = None,
) -> ImportOutcome:
    """Load a file `read_and_check` passed, in one transaction (nothing if it did not)."""
    if outcome.errors or outcome.validation is None:
        return outcome
    try:
        outcome.load = load_validated(
            con,
            outcome.validation,
            file_name=outcome.file_name,
            file_sha256=file_sha256 or sha256_bytes(data),
            loaded_by=loaded_by,
            allow_partial=allow_partial,
        )
    except ImportRejected as rejected:
        outcome.errors.append(str(rejected))
    return outcome


def import_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    loaded_by: str,
    allow_partial: bool = False,
    today: date | None = None,
    max_mb: float | None = None,
    max_rows: int | None = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Read, validate and load one file. Never raises for bad input: the outcome says."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    file_sha256 = sha256_bytes(data)
    if not dry_run and (done := already_loaded(con, file_sha256, file_name, kind)) is not None:
        return done
    outcome = read_and_check(
        data,
        file_name,
        kind,
        run_query(con, "areas"),
        today=today,
        max_mb=max_mb,
        max_rows=max_rows,
    )
    if dry_run:
        return outcome
    return load_checked(
        con,
        outcome,
        data,
        loaded_by=loaded_by,
        allow_partial=allow_partial,
        file_sha256=file_sha256,
    )


def import_into(
    db: Path,
    data: bytes,
    file_name: str,
    kind: str,
    *,
    loaded_by: str,
    allow_partial: bool = False,
    wait: float | None = None,
) -> ImportOutcome:
    """The import command's way in, beside a running dashboard or another import: the
    areas on a brief read-only connection, the check with no connection, and the write lock
    only for the load (see access.py). Raises access.DatabaseBusy if the waits run out."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")
    file_sha256 = sha256_bytes(data)
    with access.reading(db, wait=wait) as con:
        done = already_loaded(con, file_sha256, file_name, kind)
        areas = run_query(con, "areas") if done is None else None
    if done is not None:
        return done
    outcome = read_and_check(data, file_name, kind, areas)
    if outcome.errors:
        return outcome
    with access.writing(db, wait=wait) as con:
        return load_checked(
            con,
            outcome,
            data,
            loaded_by=loaded_by,
            allow_partial=allow_partial,
            file_sha256=file_sha256,
        )


def log_contact(
    con: duckdb.DuckDBPyConnection,
    entry: dict[str, str],
    *,
    loaded_by: str,
    today: date | None = None,
) -> ImportOutcome:
    """Record one contact from the form: the same validation as a file, its own import row.

    `entry` maps the contact columns to text, exactly as a one-row file would hold them.
    """
    frame = pd.DataFrame([{c.name: entry.get(c.name, "") for c in CONTACT_COLUMNS}])
    outcome = ImportOutcome(kind="contacts", file_name="log-a-contact form", raw=frame)
    outcome.validation = validate(frame, "contacts", run_query(con, "areas"), today=today)
    outcome.errors.extend(outcome.validation.file_errors)
    if outcome.errors or not outcome.validation.problems.empty:
        if not outcome.errors:
            outcome.errors.append("the contact was not saved: correct the fields listed")
        return outcome
    # Each submission is its own record, even if an identical one was logged before.
    submission = uuid.uuid4().hex
    outcome.validation.clean["entry_ref"] = submission
    outcome.load = load_validated(
        con,
        outcome.validation,
        file_name="log-a-contact form",
        file_sha256=sha256_bytes(submission.encode()),
        loaded_by=loaded_by,
        import_kind="form",
    )
    return outcome
