"""Plotly figure builders. Each takes a DataFrame from `indicators` and returns a figure.

Colours are the Okabe-Ito palette, distinguishable with the common forms of colour
blindness; every series is also labelled in text, so colour is never the only cue.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from babel import numbers as babel_numbers

from . import registry, text

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#6E6E6E",
}

SERIES_COLOURS = {
    "population": OKABE_ITO["grey"],
    "contacts": OKABE_ITO["blue"],
    "reports": OKABE_ITO["vermillion"],
}

# Text drawn on a bar: the colour with at least 4.5:1 contrast against it.
TEXT_ON = {"population": "#ffffff", "contacts": "#ffffff", "reports": "#000000"}

FONT = dict(family="Arial, Helvetica, sans-serif", size=15, color="#1a1a1a")


def white_template(fig: go.Figure) -> None:
    """plotly's "plotly_white" template on the figure. Setting a template validates every
    property in it, which costs about 60 ms a figure on plotly 7 (measured: 3 s of 21 s on
    Under-representation's reruns); plotly's own template is valid already, so it is set
    unvalidated (still a copy: the shared template is never changed through a figure)."""
    layout = fig.layout
    validating = layout._validate
    layout._validate = False
    try:
        layout.template = pio.templates["plotly_white"]
    finally:
        layout._validate = validating


def base_layout(fig: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    # An explicit template: importing streamlit changes plotly's default one.
    white_template(fig)
    fig.update_layout(base_layout_dict(title=title, height=height))
    return fig


def base_layout_dict(*, title: str, height: int = 420) -> dict:
    """What base_layout sets, but the template, as a layout dict (for a figure built from
    dicts in one go)."""
    return dict(
        # The numbers plotly writes itself (axis ticks) in the language's signs.
        separators=separators(),
        title=dict(text=title, x=0, xanchor="left"),
        font=dict(FONT),
        height=height,
        margin=dict(l=10, r=10, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        hoverlabel=dict(font=dict(size=14)),
    )


def _error(values: pd.Series, lower: pd.Series, upper: pd.Series) -> dict:
    return dict(
        type="data",
        symmetric=False,
        array=(upper - values).tolist(),
        arrayminus=(values - lower).tolist(),
        color="#1a1a1a",
        thickness=1.5,
        width=5,
    )


def separators() -> str:
    """Plotly's decimal and thousands separators in the current language (".," in English,
    ",\u00a0" in Polish), for the tick labels plotly writes itself from a tickformat."""
    locale = text.locale_code()
    return babel_numbers.get_decimal_symbol(locale) + babel_numbers.get_group_symbol(locale)


def _share_hover(community: str, share, lower, upper) -> str:
    """One bar's hover in the current language: the share and its 95% interval."""
    if pd.isna(share):
        return text.t("overview_chart.hover_hidden", community=community)
    if pd.isna(lower) or pd.isna(upper):
        return f"{community}: {text.percent(share, 2)}"
    return text.t(
        "overview_chart.hover_share",
        community=community,
        share=text.percent(share, 2),
        lower=text.percent(lower, 2),
        upper=text.percent(upper, 2),
    )


def share_comparison(table: pd.DataFrame) -> go.Figure:
    """Share of the population, of contacts and of reports, per community, with 95% CIs.
    Bar labels and hovers are written here, in the current language (plotly's own number
    formats know only one language)."""
    rows = table[table["community"] != registry.ALL_RESIDENTS]
    labels = [text.community(code) for code in rows["community"]]
    fig = go.Figure()
    fig.add_bar(
        name=text.t("overview_chart.population"),
        y=labels,
        x=rows["population_share"],
        orientation="h",
        marker_color=SERIES_COLOURS["population"],
        text=[text.percent(v, 1) for v in rows["population_share"]],
        textposition="inside",
        insidetextanchor="start",
        insidetextfont=dict(color=TEXT_ON["population"]),
        customdata=[
            text.t("overview_chart.hover_population", community=c, share=text.percent(v, 2))
            for c, v in zip(labels, rows["population_share"], strict=True)
        ],
        hovertemplate="%{customdata}<extra></extra>",
    )
    for kind, series in (("contact", "contacts"), ("report", "reports")):
        name = text.t(f"overview_chart.{series}")
        values = rows[f"{kind}_share"]
        lower, upper = rows[f"{kind}_share_lower"], rows[f"{kind}_share_upper"]
        fig.add_bar(
            name=name,
            y=labels,
            x=values,
            orientation="h",
            marker_color=SERIES_COLOURS[series],
            error_x=_error(values, lower, upper),
            text=[("" if pd.isna(v) else text.percent(v, 1)) for v in values],
            textposition="inside",
            insidetextanchor="start",
            insidetextfont=dict(color=TEXT_ON[series]),
            customdata=[
                _share_hover(c, v, lo, hi)
                for c, v, lo, hi in zip(labels, values, lower, upper, strict=True)
            ],
            hovertemplate="%{customdata}<extra>" + name + "</extra>",
        )
    base_layout(fig, title=text.t("overview_chart.title"))
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        uniformtext=dict(minsize=12, mode="hide"),
        xaxis=dict(tickformat=".1%", title=text.t("overview_chart.axis"), rangemode="tozero"),
        yaxis=dict(title="", autorange="reversed"),
        separators=separators(),
    )
    return fig
