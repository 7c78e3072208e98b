"""Output widgets: a chart with its text alternative, the table behind it with a
formula-safe download, and disclosure control on the way out."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from hidden_communities import disclosure, exports, text

from .sidebar import current_filters

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
    safe = exports.neutralise_frame(frame)
    shown = style(safe) if style else safe
    st.dataframe(shown, hide_index=True, column_config=column_config, key=f"{key}_table")
    download(frame, file_name=file_name, key=key, label=label or text.t("widgets.download_table"))


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


def notes(texts) -> None:
    for note in texts:
        st.info(note, icon=":material/info:")
