"""The SQL files of the project and the one small function that runs them.

Each `queries/<name>.sql` holds one statement with `$named` parameters. Values are always
bound by DuckDB, never formatted into the SQL text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from hidden_communities import registry, vocab

QUERY_DIR = Path(__file__).resolve().parent
# The statements of the staging connection that reads and checks an upload
# (hidden_communities/staging.py, staged_checks.py), named `staging/<name>`: they run on a
# DuckDB of their own, never on the database.
STAGING_DIR = QUERY_DIR / "staging"

# Parameters every query may use without its caller passing them: what the community
# registry says, so no SQL file names a community.
AMBIENT = {
    "communities": lambda: list(registry.codes()),
    "comparator": lambda: registry.ALL_RESIDENTS,
    # The communities the census counts among residents aged 16+ (compared with adults).
    "adult_communities": lambda: [c.code for c in registry.communities() if c.adults_only],
    # Victim-based crime (Home Office Counting Rules): what report comparisons count.
    "victim_based_crime_types": lambda: list(vocab.VICTIM_BASED_CRIME_TYPES),
}


def _with_ambient(name: str, params: dict) -> dict:
    text = sql(name)
    extra = {k: f() for k, f in AMBIENT.items() if k not in params and f"${k}" in text}
    return {**params, **extra}


@cache
def sql(name: str) -> str:
    """The text of `queries/<name>.sql` (read once per process); `staging/<name>` is
    `queries/staging/<name>.sql`."""
    path = QUERY_DIR / f"{name}.sql"
    if path.parent not in (QUERY_DIR, STAGING_DIR) or not path.is_file():
        raise FileNotFoundError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a query file with bound parameters on its own cursor; return a DataFrame."""
    cursor = con.cursor()
    try:
        return cursor.execute(sql(name), _with_ambient(name, params) or None).df()
    finally:
        cursor.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    """Run a statement file on the given connection (so it joins its transaction)."""
    con.execute(sql(name), _with_ambient(name, params) or None)


def scalar(con: duckdb.DuckDBPyConnection, statement: str, params: dict | None = None):
    """The single value a fixed statement returns. DuckDB 2 wants every result fully
    fetched before the connection does anything else, hence fetchall, never fetchone."""
    rows = con.execute(statement, params).fetchall()
    return rows[0][0] if rows else None
