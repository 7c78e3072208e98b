"""The SQL files of the project and the one small function that runs them.

Each `queries/<name>.sql` holds one statement with `$named` parameters. Values are always
bound by DuckDB, never formatted into the SQL text.

A query that returns numbers says in its header comment which of its columns are counts of
records (`-- Counts: contacts, reports`) and which numbers are not (`-- Not counts:
residents, days`: census figures, lengths of periods, identifiers); a long list goes on
over lines that start `--` and an indent. `declared(name)` reads them: the public audience's
figures are published from the counts before anything is derived from them
(hidden_communities/disclosure.py), and a numeric column declared in neither list is refused
there, so a new query cannot reach the public without saying what its numbers are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Declared:
    """What a query's header says its numeric columns are."""

    counts: tuple[str, ...] = ()
    not_counts: tuple[str, ...] = ()


_DECLARATION = re.compile(r"--\s*(Counts|Not counts):(.*)")
_CONTINUED = re.compile(r"--\s{3,}(\S.*)")


@cache
def declared(name: str) -> Declared:
    """The count and not-count columns `queries/<name>.sql` declares in its header."""
    found: dict[str, list[str]] = {"Counts": [], "Not counts": []}
    current = None
    for line in sql(name).splitlines():
        if not line.startswith("--"):
            if line.strip():
                break  # the header is over
            continue
        if match := _DECLARATION.match(line):
            current = match[1]
            found[current] += _names(match[2])
        elif current and (match := _CONTINUED.match(line)):
            found[current] += _names(match[1])
        else:
            current = None
    return Declared(tuple(found["Counts"]), tuple(found["Not counts"]))


def _names(listed: str) -> list[str]:
    return [name.strip() for name in listed.split(",") if name.strip()]


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
