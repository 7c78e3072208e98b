"""Plotly figure builders. Each takes a DataFrame from `indicators` and returns a figure.

Colours are the Okabe-Ito palette, distinguishable with the common forms of colour
blindness; every series is also labelled in text, so colour is never the only cue.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
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


def separators() -> str:
    """Plotly's decimal and thousands signs for the current language (".," in English,
    ", " in Polish, whose thousands are grouped by a no-break space), so the numbers plotly
    writes itself (axis ticks) read as the rest of the page."""
    locale = text.locale_code()
    return babel_numbers.get_decimal_symbol(locale) + babel_numbers.get_group_symbol(locale)


def base_layout(fig: go.Figure, *, title: str, height: int = 420) -> go.Figure:
    # An explicit template: importing streamlit changes plotly's default one.
    fig.update_layout(
        template="plotly_white",
        separators=separators(),
        title=dict(text=title, x=0, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        hoverlabel=dict(font_size=14),
    )
    return fig


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


def share_comparison(table: pd.DataFrame) -> go.Figure:
    """Share of the population, of contacts and of reports, per community, with 95% CIs."""
    rows = table[table["community"] != registry.ALL_RESIDENTS]
    labels = rows["community_label"]
    fig = go.Figure()
    # Hovers are written here, in the current language, rather than by plotly's formats.
    fig.add_bar(
        name=text.t("charts_share.population"),
        y=labels,
        x=rows["population_share"],
        orientation="h",
        marker_color=SERIES_COLOURS["population"],
        text=[text.percent(v, 1) for v in rows["population_share"]],
        textposition="inside",
        insidetextanchor="start",
        insidetextfont=dict(color=TEXT_ON["population"]),
        hovertext=[
            text.t("charts_share.population_hover", community=label, share=text.percent(v, 2))
            for label, v in zip(labels, rows["population_share"], strict=True)
        ],
        hoverinfo="text",
    )
    for kind, series in (("contact", "contacts"), ("report", "reports")):
        name = text.t(f"charts_share.{series}")
        values = rows[f"{kind}_share"]
        bounds = zip(rows[f"{kind}_share_lower"], rows[f"{kind}_share_upper"], strict=True)
        fig.add_bar(
            name=name,
            y=labels,
            x=values,
            orientation="h",
            marker_color=SERIES_COLOURS[series],
            error_x=_error(values, rows[f"{kind}_share_lower"], rows[f"{kind}_share_upper"]),
            text=[text.percent(v, 1) for v in values],
            textposition="inside",
            insidetextanchor="start",
            insidetextfont=dict(color=TEXT_ON[series]),
            hovertext=[
                text.t(
                    "charts_share.hover",
                    community=label,
                    share=text.percent(v, 2),
                    lower=text.percent(lower, 2),
                    upper=text.percent(upper, 2),
                )
                for label, v, (lower, upper) in zip(labels, values, bounds, strict=True)
            ],
            hovertemplate="%{hovertext}<extra>" + name + "</extra>",
        )
    base_layout(fig, title=text.t("charts_share.title"))
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        uniformtext=dict(minsize=12, mode="hide"),
        xaxis=dict(tickformat=".1%", title=text.t("charts_share.axis"), rangemode="tozero"),
        yaxis=dict(title="", autorange="reversed"),
    )
    return fig


FIELD_STYLES = {
    "community": (OKABE_ITO["blue"], "solid", "circle"),
    "area": (OKABE_ITO["vermillion"], "dash", "square"),
    "date of occurrence": (OKABE_ITO["green"], "dot", "diamond"),
}


def completeness_chart(long: pd.DataFrame, flags: pd.DataFrame) -> go.Figure:
    """Share of records with each field filled in, per month; flagged months shaded.

    Hovers and the months under the axis are written here in the current language (plotly
    would write them in English); the shading is one list of shapes assigned at once, as
    plotly's add_vrect re-validates the whole layout on every call."""
    from plotly.subplots import make_subplots

    datasets = [d for d in ("contacts", "reports") if d in set(long["dataset"])]
    fig = make_subplots(
        rows=len(datasets) or 1,
        cols=1,
        shared_xaxes=True,
        subplot_titles=[text.label("records", d) for d in datasets],
        vertical_spacing=0.12,
    )
    shading, marks = [], []
    for row, dataset in enumerate(datasets, start=1):
        part = long[long["dataset"] == dataset]
        for field, (colour, dash, symbol) in FIELD_STYLES.items():
            series = part[part["field"] == field]
            if dataset == "contacts" and field == "date of occurrence":
                continue  # a contact's date is required, so always 100%
            name = text.label("charts_quality.field", field)
            fig.add_scatter(
                x=series["grouping"],
                y=series["share"],
                name=name,
                legendgroup=field,
                showlegend=row == 1 or (dataset == "reports" and field == "date of occurrence"),
                mode="lines+markers",
                line=dict(color=colour, dash=dash, width=2.5),
                marker=dict(symbol=symbol, size=7),
                row=row,
                col=1,
                hovertext=[_completeness_hover(r) for r in series.itertuples()],
                hovertemplate="%{hovertext}<extra>" + name + "</extra>",
            )
        axes = fig.get_subplot(row, 1)
        xref = axes.xaxis.plotly_name.replace("axis", "")
        yref = axes.yaxis.plotly_name.replace("axis", "") + " domain"
        for month in flags.loc[(flags["dataset"] == dataset) & (flags["flag"] != ""), "month"]:
            x0, x1 = _month_offset(month, -0.5), _month_offset(month, 0.5)
            shading.append(
                dict(
                    type="rect",
                    x0=x0,
                    x1=x1,
                    y0=0,
                    y1=1,
                    xref=xref,
                    yref=yref,
                    fillcolor="#d9d9d9",
                    opacity=0.6,
                    line_width=0,
                    layer="below",
                )
            )
            marks.append(
                dict(
                    x=x0,
                    y=1,
                    xref=xref,
                    yref=yref,
                    text=text.t("charts_quality.flagged"),
                    showarrow=False,
                    xanchor="left",
                    yanchor="top",
                )
            )
        fig.update_yaxes(
            tickformat=".0%",
            range=[0, 1.05],
            title=text.t("charts_quality.axis"),
            row=row,
            col=1,
        )
    base_layout(
        fig,
        title=text.t("charts_quality.title"),
        height=300 * max(len(datasets), 1) + 80,
    )
    fig.update_layout(
        shapes=[*fig.layout.shapes, *shading],
        annotations=[*fig.layout.annotations, *marks],
    )
    ticks = month_ticks(long["grouping"])
    fig.update_xaxes(
        type="date",
        tickmode="array",
        tickvals=ticks,
        ticktext=[short_month(m) for m in ticks],
    )
    return fig


def _completeness_hover(row) -> str:
    return text.t(
        "charts_quality.hover",
        month=short_month(row.grouping),
        share=text.percent(row.share, 1),
        filled=text.number(row.filled),
        records=text.number(row.records),
        lower=text.percent(row.lower, 1),
        upper=text.percent(row.upper, 1),
    )


def _english_sep(words: str) -> str:
    # CLDR's British English shortens September to "Sept"; the pages write every month in
    # three letters ("Sep 2021"), as they always have. Other languages are left alone.
    return words.replace("Sept", "Sep") if text.current_language() == "en" else words


def short_month(value) -> str:
    """A month (a date, or a 'yyyy-mm' string) in the current language, shortened, for tick
    labels, hovers and tables: "Sep 2021", "wrz 2021"."""
    day = pd.Timestamp(value + "-01" if isinstance(value, str) and len(value) == 7 else value)
    return _english_sep(text.date(day.date(), "month_short"))


def short_day(value) -> str:
    """A day in the current language, its month shortened: "12 Apr 2021", "12 kwi 2021"."""
    return _english_sep(text.date(pd.Timestamp(value).date(), "short"))


def month_ticks(months, most: int = 12) -> list:
    """At most `most` of these months, evenly spaced from the first, for tick labels."""
    months = sorted(set(months))
    step = max(1, -(-len(months) // most))
    return months[::step]


def _month_offset(month: str, months: float) -> str:
    """A date half a month either side of a 'yyyy-mm' month's first day, for shading."""
    start = pd.Timestamp(month + "-01")
    return (start + pd.Timedelta(days=15 + 30.4 * months)).strftime("%Y-%m-%d")
