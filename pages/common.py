"""Streamlit glue shared by the pages: the connection, cached queries, the shared sidebar
filters, the demonstration banner, tables with downloads and the footer.

Only this layer (pages/ and dashboard.py) imports streamlit.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from hidden_communities import database, disclosure, exports, ingest, settings, vocab
from hidden_communities.filters import AUDIENCE_LABELS, Filters
from queries import run_query

_BUILD_LOCK = threading.Lock()
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS_KEY = "hc_filters"
ICON = settings.PROJECT_ROOT / "hidden_communities" / "assets" / "icon.png"


# --------------------------------------------------------------------------- data


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


def inspector_only(what: str) -> None:
    """Stop the page unless the audience is the inspector (who may see records' detail)."""
    if current_filters().audience != "inspector":
        st.info(
            f"{what} is for the Inspector audience only: choose it under Audience in the sidebar."
        )
        st.stop()


# --------------------------------------------------------------------------- filters


def _labels(mapping):
    return lambda code: vocab.label(mapping, code)


PENDING_AREAS = "hc_pending_areas"


def request_area_filter(level: str, codes: list[str]) -> None:
    """Filter every page to these wards or LSOAs (e.g. after a click on the map).

    The sidebar widgets already exist when a page runs, and streamlit refuses changes to
    a drawn widget's state, so the request is parked and applied before the next run
    draws them.
    """
    if level not in ("ward", "lsoa"):
        raise ValueError(f"area filters are by ward or LSOA, not {level!r}")
    st.session_state[PENDING_AREAS] = (level, list(codes))
    st.rerun()


def _apply_pending_area_filter(areas: pd.DataFrame) -> None:
    pending = st.session_state.pop(PENDING_AREAS, None)
    if not pending:
        return
    level, codes = pending
    if level == "ward":
        st.session_state["ward"], st.session_state["lsoa"] = codes, []
    else:
        wards = areas.set_index("area_code").loc[codes, "ward_code"].unique().tolist()
        st.session_state["ward"], st.session_state["lsoa"] = wards, codes


def _follow_the_data(first: date, last: date) -> None:
    """Keep an untouched period equal to the data's whole span as records arrive (a
    contact logged today must show at once); a period the user chose stays as chosen."""
    previous = st.session_state.get("hc_period_default")
    st.session_state["hc_period_default"] = (first, last)
    if (
        previous
        and previous != (first, last)
        and tuple(st.session_state.get("period", ())) == previous
    ):
        st.session_state["period"] = (first, last)


def sidebar_filters() -> Filters:
    """The shared filters, drawn in the sidebar and bound to the URL query string."""
    status = data_status()
    if pd.isna(status["first_date"]):  # no records yet: the last twelve months
        first, last = date.today() - timedelta(days=365), date.today()
    else:
        first, last = (
            pd.Timestamp(status["first_date"]).date(),
            pd.Timestamp(status["last_date"]).date(),
        )
    areas = query("area_options")
    wards = areas[areas["area_level"] == "ward"]
    area_label = dict(zip(areas["area_code"], areas["label"], strict=True))
    _apply_pending_area_filter(areas)

    _follow_the_data(first, last)
    with st.sidebar:
        st.header("Filters")
        period = st.date_input(
            "Period",
            value=(first, last),
            min_value=date(2000, 1, 1),
            format="DD/MM/YYYY",
            key="period",
            bind="query-params",
        )
        start, end = (
            period if isinstance(period, tuple | list) and len(period) == 2 else (first, last)
        )
        communities = st.multiselect(
            "Communities",
            list(vocab.COMMUNITIES),
            default=list(vocab.COMMUNITIES),
            format_func=_labels(vocab.COMMUNITIES),
            key="community",
            bind="query-params",
            help="All residents are always shown as the comparator.",
        )
        with st.expander("Area", expanded=False):
            chosen_wards = st.multiselect(
                "Wards",
                list(wards["area_code"]),
                format_func=area_label.get,
                key="ward",
                bind="query-params",
            )
            lsoas = areas[
                (areas["area_level"] == "lsoa")
                & (areas["ward_code"].isin(chosen_wards) if chosen_wards else True)
            ]
            chosen_lsoas = st.multiselect(
                "LSOAs (neighbourhoods) within the wards",
                list(lsoas["area_code"]),
                format_func=area_label.get,
                key="lsoa",
                bind="query-params",
            )
        with st.expander("Contacts", expanded=False):
            channels = st.multiselect(
                "Channel",
                list(vocab.CHANNELS),
                format_func=_labels(vocab.CHANNELS),
                key="channel",
                bind="query-params",
            )
            directions = st.multiselect(
                "Direction",
                list(vocab.DIRECTIONS),
                format_func=_labels(vocab.DIRECTIONS),
                key="direction",
                bind="query-params",
            )
        with st.expander("Crime reports", expanded=False):
            crimes = st.multiselect(
                "Crime type",
                list(vocab.CRIME_TYPES),
                format_func=_labels(vocab.CRIME_TYPES),
                key="crime",
                bind="query-params",
            )
            strands = st.multiselect(
                "Hate-crime strand",
                list(vocab.HATE_STRANDS),
                format_func=_labels(vocab.HATE_STRANDS),
                key="strand",
                bind="query-params",
            )
        audience = st.selectbox(
            "Audience",
            list(AUDIENCE_LABELS),
            format_func=AUDIENCE_LABELS.get,
            key="audience",
            bind="query-params",
            help="Inspector: everything, small numbers flagged. Leadership: "
            "rates and ratios need 10 or more. Public meeting: counts under "
            "5 shown as <5, no free text.",
        )

    filters = Filters(
        start=start,
        end=end,
        communities=tuple(communities or vocab.COMMUNITIES),
        areas=tuple(chosen_lsoas or chosen_wards),
        channels=tuple(channels),
        directions=tuple(directions),
        crime_types=tuple(crimes),
        hate_strands=tuple(strands),
        audience=audience,
    )
    st.session_state[FILTERS_KEY] = filters
    st.session_state["hc_area_labels"] = area_label
    return filters


def current_filters() -> Filters:
    return st.session_state[FILTERS_KEY]


def describe_filters(filters: Filters) -> None:
    """The current filter in words, above a chart."""
    st.caption("Showing: " + filters.describe(st.session_state.get("hc_area_labels", {})))


# --------------------------------------------------------------------------- frame


def demonstration_banner() -> None:
    if data_status()["demonstration_imports"]:
        st.warning(
            "**Demonstration data.** The contacts and crime reports shown are generated from a "
            "fixed seed to show how the dashboard works; they are not real records. The Census "
            "2021 population figures and the boundaries are real.",
            icon=":material/science:",
        )


def footer() -> None:
    st.divider()
    st.caption(
        "Population baselines: Office for National Statistics, Census 2021. Boundaries: Office "
        "for National Statistics licensed under the Open Government Licence v3.0; contains OS "
        "data © Crown copyright and database right 2021–2023. Contains public sector "
        "information licensed under the Open Government Licence v3.0. Methods: see the "
        "Methods page."
    )


# --------------------------------------------------------------------------- output


def chart(fig: go.Figure, *, alt: str, key: str) -> None:
    st.plotly_chart(fig, key=key, alt=alt, config={"displaylogo": False})


def table(
    frame: pd.DataFrame,
    *,
    file_name: str,
    key: str,
    column_config: dict | None = None,
    label: str = "Download this table",
) -> None:
    """The table behind a chart, with a CSV download that cannot carry formulas."""
    st.dataframe(frame, hide_index=True, column_config=column_config, key=f"{key}_table")
    download(frame, file_name=file_name, key=key, label=label)


def download(frame: pd.DataFrame, *, file_name: str, key: str, label: str) -> None:
    """CSV download (formula-safe, UTF-8 with BOM); `.xlsx` names give a workbook."""
    if file_name.endswith(".xlsx"):
        data, mime = exports.to_xlsx_bytes(frame), XLSX_MIME
    else:
        data, mime = exports.to_csv_bytes(frame), "text/csv"
    st.download_button(
        f"{label} ({file_name.rsplit('.', 1)[-1].upper()})",
        data,
        file_name=file_name,
        mime=mime,
        key=f"{key}_download",
        icon=":material/download:",
    )


def disclose(frame: pd.DataFrame, spec: disclosure.DisclosureSpec) -> pd.DataFrame:
    """Apply the audience's disclosure rules; every page goes through here."""
    return disclosure.apply_disclosure(frame, spec, current_filters().audience)
