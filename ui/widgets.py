"""Output widgets: a chart with its text alternative, the table behind it with a
formula-safe download, and disclosure control on the way out; `figure` and `computed`
keep figures and results worked out from the same inputs, so a filter the user goes back
to costs nothing."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from hidden_communities import disclosure, exports, text

from . import store
from .sidebar import current_filters


def _frame_digest(frame: pd.DataFrame) -> bytes:
    """Every row and column of a frame, for a cache key. Streamlit's own hash of a frame
    of 50,000 rows or more reads a sample, and two views differing outside it would share
    a figure. Numbers and dates go in as their bytes, anything else pickled as Python
    values (pickling can differ for equal values, which only costs a miss: never two
    different frames under one key); twice as fast as pandas' row hash."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    for values in (frame.index, *(frame[c] for c in frame.columns)):
        array = values.to_numpy()
        digest.update(len(array).to_bytes(8, "little"))
        if array.dtype.kind in "biufcmM":
            digest.update(str(array.dtype).encode() + array.tobytes())
        else:
            digest.update(pickle.dumps(array.tolist(), protocol=5))
    return digest.digest()


# A disclosure spec holds read-only mappings, which streamlit's hash cannot copy: its
# repr names every field.
_KEYED = {pd.DataFrame: _frame_digest, disclosure.DisclosureSpec: repr}


@st.cache_resource(show_spinner=False, max_entries=128, hash_funcs=_KEYED)
def _figure(
    name: str, language: str, audience: str, args: tuple, kwargs: dict, _builder: Callable
) -> go.Figure:
    # A resource, not data: unpickling a figure would validate it all again. Nothing
    # changes a figure once built (st.plotly_chart draws a copy).
    return _builder(*args, **kwargs)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_KEYED)
def _computed(name: str, language: str, audience: str, args: tuple, kwargs: dict, _function):
    return _function(*args, **kwargs)


def _key(function: Callable) -> tuple[str, str, str]:
    """What a cached figure or result depends on beyond its arguments: which function, the
    language its words are in, and the audience (a public view never gets an inspector's
    figure, nor the other way round, even from the same inputs)."""
    return (
        f"{function.__module__}.{function.__qualname__}",
        text.current_language(),
        store.audience(),
    )


def figure(builder: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """`builder(*args, **kwargs)`, kept for the same inputs, language and audience (all
    the builders here take plain frames and values, and write their words in the current
    language)."""
    return _figure(*_key(builder), args, kwargs, builder)


def computed(function: Callable, *args, **kwargs):
    """`function(*args, **kwargs)` (a pure function of its inputs and the language), kept
    like `figure`; the caller gets a copy of the result, never the kept one."""
    return _computed(*_key(function), args, kwargs, function)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart(fig: go.Figure, *, alt: str, key: str) -> None:
    st.plotly_chart(fig, key=key, alt=alt, config={"displaylogo": False})


def table(
    frame: pd.DataFrame,
    *,
    file_name: str,
    key: str,
    column_config: dict | None = None,
    label: str | None = None,
    style: Callable[[pd.DataFrame], object] | None = None,
) -> None:
    """The table behind a chart, with a CSV download that cannot carry formulas. The grid
    shows the neutralised cells too (its own toolbar download exports what it shows);
    `style` turns that into a pandas Styler for the screen (cell colours); the download is
    the plain frame. The download button says "Download this table" unless `label` says
    otherwise."""
    safe = computed(exports.neutralise_frame, frame)
    shown = style(safe) if style else safe
    st.dataframe(shown, hide_index=True, column_config=column_config, key=f"{key}_table")
    download(frame, file_name=file_name, key=key, label=label or text.t("widgets.download_table"))


def download(frame: pd.DataFrame, *, file_name: str, key: str, label: str) -> None:
    """CSV download (formula-safe, UTF-8 with BOM); `.xlsx` names give a workbook."""
    if file_name.endswith(".xlsx"):
        data, mime = exports.to_xlsx_bytes(frame), XLSX_MIME
    else:
        data, mime = computed(exports.to_csv_bytes, frame), "text/csv"
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
    return computed(disclosure.apply_disclosure, frame, spec, current_filters().audience)


def notes(texts) -> None:
    for note in texts:
        st.info(note, icon=":material/info:")
