"""Data access for the pages: the DuckDB connection, cached queries and writes.

Query results are cached by the data version, so any load or undo shows at once.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from hidden_communities import database, ingest, settings
from queries import run_query

_BUILD_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _open(path: str) -> duckdb.DuckDBPyConnection:
    return database.connect(Path(path))


def connection() -> duckdb.DuckDBPyConnection:
    """The one DuckDB connection of this process; builds the database on the first run."""
    path = settings.db_path()
    if not path.exists():
        with _BUILD_LOCK:
            if not path.exists():
                with st.status(
                    "First run: building the database (a few seconds)…", expanded=True
                ) as status:
                    bar = st.progress(0.0, text="Starting")
                    database.build_database(
                        path, progress=lambda f, text: bar.progress(min(f, 1.0), text=text)
                    )
                    status.update(label="Database ready", state="complete", expanded=False)
    return _open(str(path))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, db: str, version: str, params: dict) -> pd.DataFrame:
    return run_query(connection(), name, **params)


def data_status() -> pd.Series:
    """Counts, date range and data version (uncached: it is what invalidates the cache)."""
    return run_query(connection(), "data_status").iloc[0]


def query(name: str, **params) -> pd.DataFrame:
    """A query file's result, cached until the data changes (any load or undo)."""
    return _cached(name, str(settings.db_path()), str(data_status()["version"]), params)


def data_changed() -> None:
    """Call after any write, so every page shows the new records at once."""
    _cached.clear()


@st.cache_data(show_spinner="Checking the file…", max_entries=8)
def _check_upload(data: bytes, name: str, kind: str, db: str, version: str):
    return ingest.check_file(connection(), data, name, kind)


def check_upload(data: bytes, name: str, kind: str):
    """Read and validate an upload without loading it, once per file and data version."""
    return _check_upload(data, name, kind, str(settings.db_path()), str(data_status()["version"]))


@contextmanager
def writer():
    """A cursor of its own for one write (its transaction is isolated from other
    sessions'), closed afterwards; the cache is cleared so every page sees the change."""
    cursor = connection().cursor()
    try:
        yield cursor
    finally:
        cursor.close()
        data_changed()
