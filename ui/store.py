"""Data access for the pages: the database, cached queries and writes.

No connection is kept (see hidden_communities/access.py): each query or write opens one
and closes it, so the import command can load while the dashboard is serving. Query
results are cached by `access.data_version`, which reads no database, so a rerun whose
views are cached does not touch the database at all, and any load or undo, from this
server or from the command line, shows on the next rerun.

Every query goes through `query`, which knows the audience of the run: for the public, each
count a query returns is published (rounded to base 5, withheld from 1 to 9:
`disclosure.publish_query`) before the page sees it, so every share, rate, ratio, interval,
fit and total a page derives is made from published counts. The audience is part of the
cache key, so a public result is never served to an inspector, nor the other way round.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from hidden_communities import (
    access,
    baselines,
    database,
    disclosure,
    ingest,
    load_words,
    settings,
    snapshots,
    text,
)
from queries import declared, run_query

_BUILD_LOCK = threading.Lock()
# The audience of this run, set by the sidebar before any page queries (ui.sidebar).
AUDIENCE_KEY = "hc_audience"
_MACROS_REFRESHED: set[str] = set()


def _database() -> Path | str:
    """The database file, built on the first run with a progress bar; or, when
    HC_PARQUET_DIR is set, the Parquet snapshot served read-only (nothing to build)."""
    snapshot = settings.parquet_dir()
    if snapshot:
        return snapshot
    path = settings.db_path()
    if not path.exists():
        with _BUILD_LOCK:
            if not path.exists():
                with st.status(text.t("store.building"), expanded=True) as status:
                    bar = st.progress(0.0, text=_built(0.0))
                    try:
                        database.ensure_database(
                            path,
                            progress=lambda f, _step: bar.progress(min(f, 1.0), text=_built(f)),
                        )
                    except access.DatabaseBusy as busy:
                        _busy(busy)
                    status.update(label=text.t("store.ready"), state="complete", expanded=False)
    if str(path) not in _MACROS_REFRESHED:
        # Once per server: the code's filter macros into an older file (readers cannot).
        try:
            with access.writing(path, wait=0):
                pass
            _MACROS_REFRESHED.add(str(path))
        except access.DatabaseBusy:
            pass  # a load is running; the next rerun tries again
    return path


def _built(share: float) -> str:
    # The build's own step names are English (database.py): the bar says how far it is.
    return text.t("store.progress", share=text.percent(min(share, 1.0), 0))


def _busy(busy: access.DatabaseBusy, writing: bool = False) -> None:
    """Say in one plain sentence that a load kept the database busy, and stop the page."""
    said = text.t(
        "store.busy_writing" if writing else "store.busy_reading",
        seconds=load_words.setting(busy.wait),
    )
    st.warning(said, icon=":material/hourglass_top:")
    st.stop()


def connection() -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """Make sure the database exists (the first run builds it), and return a read-only
    connection for one short piece of work: `with store.connection() as con: ...`. It
    opens on entering the block and closes on leaving it; an open connection holds up
    imports, so keep the block short."""
    return access.reading(_database())


def held_open() -> AbstractContextManager[None]:
    """One read connection kept open for a run (`with store.held_open(): ...` around the
    page): every query of the run that misses the cache then opens at once instead of
    opening the file (40 to 100 ms each on DuckDB 2). Let go at the end of the run, before
    a write, and whenever an import is waiting (access.held_open)."""
    return access.held_open(_database())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(
    name: str, db: str, version: str, params: dict, audience: str = disclosure.INSPECTOR
) -> pd.DataFrame:
    with access.reading(db) as con:  # text: a snapshot's location may be a URL
        result = run_query(con, name, **params)
    if audience == disclosure.PUBLIC:
        found = declared(name)
        return disclosure.publish_query(name, result, found.counts, found.not_counts)
    return result


def set_audience(audience: str) -> None:
    """The audience every query of this run is for (the sidebar calls this first)."""
    st.session_state[AUDIENCE_KEY] = audience


def audience() -> str:
    """The audience of this run: a deployment locked to one audience (HC_AUDIENCE) always
    has it; before the sidebar has said, the public (the safe side)."""
    return settings.locked_audience() or st.session_state.get(AUDIENCE_KEY, disclosure.PUBLIC)


def query(name: str, **params) -> pd.DataFrame:
    """A query file's result, cached until the data changes (any load or undo); for the
    public audience, with every count published (see the module's docstring)."""
    path = _database()
    try:
        return _cached(name, str(path), access.data_version(path), params, audience())
    except access.DatabaseBusy as busy:
        _busy(busy)
    except snapshots.SnapshotError:
        st.error(text.t("snapshot_mode.unreadable", location=path), icon=":material/error:")
        st.stop()


def held_baselines() -> baselines.Held:
    """The (measure, area level) pairs the database's census reference has rows for: where
    a community's small-area baseline exists (queries/baseline_levels.sql), cached like
    every query."""
    return baselines.held(query("baseline_levels"))


def data_status() -> pd.Series:
    """Counts, date range and data version, cached like every query by the data version."""
    return query("data_status").iloc[0]


def data_changed() -> None:
    """Drop every cached result (a write changes the data version anyway)."""
    _cached.clear()


@st.cache_data(show_spinner=False, max_entries=8)
def _check_upload(data: bytes, name: str, kind: str, db: str, version: str, language: str):
    # `language`: the problems are worded in it, so a check is kept per language.
    areas = _cached("areas", db, version, {})
    with text.language(language):
        return ingest.read_and_check(data, name, kind, areas)


def check_upload(data: bytes, name: str, kind: str):
    """Read and validate an upload without loading it, once per file and data version.
    No connection is held while the file is checked."""
    path = _database()
    try:
        # A spinner of our own: the cache's would be fixed in one language at import.
        with st.spinner(text.t("store.checking")):
            return _check_upload(
                data, name, kind, str(path), access.data_version(path), text.current_language()
            )
    except access.DatabaseBusy as busy:
        _busy(busy)


@contextmanager
def writer():
    """A read-write connection for one write, as the only writer of the database, closed
    afterwards (see access.writing). If another load keeps the database busy for longer
    than HC_LOCK_WAIT_S seconds, the page says so and stops, with nothing written. A
    Parquet snapshot is read-only: the page says so and stops."""
    path = _database()
    if access.read_only(path):
        st.warning(text.t("snapshot_mode.write_refused"), icon=":material/lock:")
        st.stop()
    try:
        with access.writing(path) as con:
            yield con
    except access.DatabaseBusy as busy:
        _busy(busy, writing=True)
    finally:
        data_changed()
