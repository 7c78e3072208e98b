"""Create the DuckDB schema: enum types from `vocab`, then the tables in queries/schema.sql."""

from __future__ import annotations

import duckdb

from queries import sql

from . import vocab

TABLES = (
    "imports",
    "areas",
    "measures",
    "population",
    "contacts",
    "reports",
    "campaign_events",
    "towns",
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
    existing = {
        row[0]
        for row in con.execute("SELECT type_name FROM duckdb_types() WHERE NOT internal").fetchall()
    }
    for name, statement in zip(vocab.enums(), enum_ddl(), strict=True):
        if name not in existing:
            con.execute(statement)
    con.execute(sql("schema"))
    create_macros(con)


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the shared filter macros, so a database always has the code's version."""
    con.execute(sql("macros"))
