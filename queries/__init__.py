"""The SQL files of the project and the one small function that runs them.

Each `queries/<name>.sql` holds one statement with `$named` parameters. Values are always
bound by DuckDB, never formatted into the SQL text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent


@cache
def sql(name: str) -> str:
    """The text of `queries/<name>.sql` (read once per process)."""
    path = QUERY_DIR / f"{name}.sql"
    if path.parent != QUERY_DIR or not path.is_file():
        raise FileNotFoundError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a query file with bound parameters on its own cursor; return a DataFrame."""
    cursor = con.cursor()
    try:
        return cursor.execute(sql(name), params or None).df()
    finally:
        cursor.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    """Run a statement file on the given connection (so it joins its transaction)."""
    con.execute(sql(name), params or None)


def scalar(con: duckdb.DuckDBPyConnection, statement: str, params: dict | None = None):
    """The single value a fixed statement returns. DuckDB 2 wants every result fully
    fetched before the connection does anything else, hence fetchall, never fetchone."""
    rows = con.execute(statement, params).fetchall()
    return rows[0][0] if rows else None
