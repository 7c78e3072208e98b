"""Plotly figure builders. Each takes a DataFrame from `indicators` and returns a figure.

Colours are the Okabe-Ito palette, distinguishable with the common forms of colour
blindness; every series is also labelled in text, so colour is never the only cue.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7",
    "grey": "#6E6E6E",
}  # fmt: skip

SERIES_COLOURS = {
    "population": OKABE_ITO["grey"],
    "contacts": OKABE_ITO["blue"],
    "reports": OKABE_ITO["vermillion"],
}

# Text drawn on a bar: the colour with at least 4.5:1 contrast against it.
TEXT_ON = {"population": "#ffffff", "contacts": "#ffffff", "reports": "#000000"}

FONT = dict(family="Arial, Helvetica, sans-serif", size=15, color="#1a1a1a")


def base_layout(fig: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    # An explicit template: importing streamlit changes plotly's default one.
    fig.update_layout(
        template="plotly_white", title=dict(text=title, x=0, xanchor="left"), font=FONT,
        height=height, margin=dict(l=10, r=10, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        hoverlabel=dict(font_size=14),
    )  # fmt: skip
    return fig


def _error(values: pd.Series, lower: pd.Series, upper: pd.Series) -> dict:
    return dict(type="data", symmetric=False, array=(upper - values).tolist(),
                arrayminus=(values - lower).tolist(), color="#1a1a1a", thickness=1.5, width=5)  # fmt: skip


def share_comparison(table: pd.DataFrame) -> go.Figure:
    """Share of the population, of contacts and of reports, per community, with 95% CIs."""
    rows = table[table["community"] != "all_residents"]
    labels = rows["community_label"]
    fig = go.Figure()
    fig.add_bar(
        name="Share of population (Census 2021)", y=labels, x=rows["population_share"],
        orientation="h", marker_color=SERIES_COLOURS["population"],
        text=[f"{v:.1%}" for v in rows["population_share"]], textposition="inside",
        insidetextanchor="start", insidetextfont=dict(color=TEXT_ON["population"]),
        hovertemplate="%{y}: %{x:.2%} of the population<extra></extra>",
    )  # fmt: skip
    for kind, name, series in (("contact", "Share of contacts", "contacts"),
                               ("report", "Share of crime reports", "reports")):  # fmt: skip
        values = rows[f"{kind}_share"]
        fig.add_bar(
            name=name, y=labels, x=values, orientation="h", marker_color=SERIES_COLOURS[series],
            error_x=_error(values, rows[f"{kind}_share_lower"], rows[f"{kind}_share_upper"]),
            text=[("" if pd.isna(v) else f"{v:.1%}") for v in values], textposition="inside",
            insidetextanchor="start", insidetextfont=dict(color=TEXT_ON[series]),
            customdata=rows[[f"{kind}_share_lower", f"{kind}_share_upper"]].to_numpy(),
            hovertemplate="%{y}: %{x:.2%} (95% CI %{customdata[0]:.2%} to %{customdata[1]:.2%})"
                          "<extra>" + name + "</extra>",
        )  # fmt: skip
    base_layout(fig, title="Share of contacts and reports against share of the population")
    fig.update_layout(barmode="group", bargap=0.25, uniformtext=dict(minsize=12, mode="hide"),
                      xaxis=dict(tickformat=".1%", title="Share", rangemode="tozero"),
                      yaxis=dict(title="", autorange="reversed"))  # fmt: skip
    return fig
