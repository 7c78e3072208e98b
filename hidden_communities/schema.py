"""Create the DuckDB schema (enum types from `vocab`, then the tables in queries/schema.sql)
and bring a database built by an older version of the code up to date.

`SCHEMA_VERSION` is the one place the schema's version is set. A new database records it
in `schema_version`; `upgrade_schema` (run by `database.connect` on every read-write open)
finds an older one and runs the migrations in order, in one transaction.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from queries import scalar, sql

from . import rollups, vocab
from .record_keys import contact_keys, report_keys

# 1: before versions were recorded (record keys: md5 of the fields joined with '|').
# 2: record keys are the SHA-256 of a canonical, typed encoding (record_keys.py); records
#    held by more than one load (record_holders); outcomes updated by a later file
#    (outcome_updates, imports.rows_updated).
# 3: contacts and reports carry an age band (adult, under_16, not_recorded), so that a
#    community counted among adults is compared with adults' records.
# 4: rollup tables (contact_rollup, report_rollup: rollups.py), which the page queries
#    read for whole calendar months.
# 5: every district of England and Wales with its force (districts) and its Census 2021
#    baselines (district_population), for the district view.
# 6: record keys are stored as 16 bytes (the MD5 of the key's text: record_keys.stored),
#    not the 68-character text, so a large load writes and indexes them several times faster.
SCHEMA_VERSION = 6

# The tables that hold record keys (schema version 6 stores them as BLOB).
KEYED_TABLES = ("contacts", "reports", "record_holders", "outcome_updates")

TABLES = (
    "imports",
    "areas",
    "measures",
    "population",
    "contacts",
    "reports",
    "campaign_events",
    "towns",
    "schema_version",
    "contact_rollup",
    "report_rollup",
    "districts",
    "district_population",
)


def _sql_literal(text: str) -> str:
    # Enum members are constants from vocab.py, never user input; quoting is still exact.
    return "'" + text.replace("'", "''") + "'"


def enum_ddl() -> list[str]:
    return [
        f"CREATE TYPE {name} AS ENUM ({', '.join(_sql_literal(v) for v in values)})"
        for name, values in vocab.enums().items()
    ]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema in a new database at the current version, or bring an existing
    database's schema up to date (creating what is missing, then migrating)."""
    version = stored_version(con)
    existing = {
        row[0]
        for row in con.execute("SELECT type_name FROM duckdb_types() WHERE NOT internal").fetchall()
    }
    for name, statement in zip(vocab.enums(), enum_ddl(), strict=True):
        if name not in existing:
            con.execute(statement)
    con.execute(sql("schema"))
    if version is None:
        con.execute("INSERT INTO schema_version VALUES ($v)", {"v": SCHEMA_VERSION})
    else:
        _migrate(con, version)
    create_macros(con)


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the shared filter macros, so a database always has the code's version."""
    con.execute(sql("macros"))


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version of the database: None when it has no tables yet, 1 when it was
    built before versions were recorded."""
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "imports" not in tables:
        return None
    if "schema_version" not in tables:
        return 1
    return scalar(con, "SELECT max(version) FROM schema_version") or 1


def upgrade_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Bring an older database up to the current version; a current one, or a file with
    no schema at all, is left as it is."""
    version = stored_version(con)
    if version is not None and version != SCHEMA_VERSION:
        create_schema(con)


def _migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"the database is at schema version {version}, newer than this code "
            f"({SCHEMA_VERSION}): update the code before opening it"
        )
    if version == SCHEMA_VERSION:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](con)
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES ($v)", {"v": SCHEMA_VERSION})
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _rekey(con: duckdb.DuckDBPyConnection, table: str, id_column: str) -> None:
    """Replace every record's key with the current kind. The occurrence number ('#n') is
    renumbered among records that now share an identity, in their old order, which is
    what loading their file again gives."""
    rows = con.execute(sql(f"rekey_{table}_source")).df()
    if rows.empty:
        return
    old_occurrence = rows["old_key"].str.rsplit("#", n=1).str[-1].astype("int64")
    sequence = rows.assign(o=old_occurrence).sort_values(["o", id_column]).index
    rows["file_row"] = pd.Series(range(len(rows)), index=sequence).reindex(rows.index)
    keys = contact_keys(rows) if table == "contacts" else report_keys(rows)[0]
    con.register("rekeyed", pd.DataFrame({id_column: rows[id_column], "record_key": keys}))
    try:
        con.execute(sql(f"rekey_{table}"))
    finally:
        con.unregister("rekeyed")


def _version_1_to_2(con: duckdb.DuckDBPyConnection) -> None:
    """Record keys from md5 of '|'-joined fields to SHA-256 of a typed encoding, and the
    imports' count of updated outcomes. (schema.sql has already created record_holders
    and outcome_updates; which later loads repeated a record was never kept, so holders
    are known from now on.)"""
    _rekey(con, "contacts", "contact_id")
    _rekey(con, "reports", "report_id")
    # DuckDB cannot add a column with a CHECK constraint; new databases have both checks.
    con.execute("ALTER TABLE imports ADD COLUMN rows_updated INTEGER NOT NULL DEFAULT 0")


def _version_2_to_3(con: duckdb.DuckDBPyConnection) -> None:
    """Every contact and report gains an age band; records loaded before it existed did
    not say, so they are not_recorded (create_schema has created the enum type). Record
    keys are unchanged: an unrecorded age band is not part of a record's identity."""
    for table in ("contacts", "reports"):
        con.execute(
            f"ALTER TABLE {table} ADD COLUMN age_band age_band NOT NULL DEFAULT 'not_recorded'"
        )


def _version_3_to_4(con: duckdb.DuckDBPyConnection) -> None:
    """The rollup tables (create_schema has created them, empty) are filled by counting
    every record once; from now on every load and undo keeps them up to date."""
    rollups.refresh(con)


def _version_4_to_5(con: duckdb.DuckDBPyConnection) -> None:
    """The national districts and their baselines (create_schema has created the tables,
    empty, or left filled by a database that held them already) from the committed
    reference files; nothing else changes."""
    from .database import load_districts, read_reference  # database imports this module

    # DuckDB cannot delete referenced rows in the transaction that deletes their references,
    # so tables already filled are kept as they are.
    if not scalar(con, "SELECT count(*) FROM districts"):
        load_districts(con, read_reference())


def _version_5_to_6(con: duckdb.DuckDBPyConnection) -> None:
    """Record keys from their text to the 16 bytes the database now stores
    (record_keys.stored, which is what `unhex(md5(text))` gives). DuckDB cannot change the
    type of a column under a UNIQUE constraint, so each table holding keys as text is moved
    aside, created again from schema.sql and refilled, every other value as it was (ids,
    import ids, outcomes). A table created at version 6 already (record_holders and
    outcome_updates of a version 1 database) is left as it is."""
    keyed_as_text = [
        table
        for table in KEYED_TABLES
        if scalar(
            con,
            "SELECT data_type FROM duckdb_columns() WHERE table_name = $t"
            " AND column_name = 'record_key' AND schema_name = 'main'"
            " AND database_name = current_database()",
            {"t": table},
        )
        == "VARCHAR"
    ]
    for table in keyed_as_text:
        con.execute(f"ALTER TABLE {table} RENAME TO {table}_text_keys")  # names from KEYED_TABLES
    con.execute(sql("schema"))  # creates the tables just moved aside, at version 6
    for table in keyed_as_text:
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * REPLACE (unhex(md5(record_key)) AS record_key)"  # noqa: S608
            f" FROM {table}_text_keys"
        )
        con.execute(f"DROP TABLE {table}_text_keys")


# MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS = {
    1: _version_1_to_2,
    2: _version_2_to_3,
    3: _version_3_to_4,
    4: _version_4_to_5,
    5: _version_5_to_6,
}
