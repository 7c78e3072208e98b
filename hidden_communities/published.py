"""Published crime: the data.police.uk street-level rows a user imports (source
'police_uk'), the all-resident comparator for crime: monthly counts by crime type and the
rate per 1,000 residents a year by LSOA or ward.

These rows are never mixed with the records system's reports: every frame here comes from
`queries/published_*.sql`, which read the police_uk rows only. data.police.uk gives a
month, not a day, so the period a rate covers is the whole months present (`covered`).
No streamlit here.
"""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from . import annual, stats, text, vocab
from .charts import OKABE_ITO, base_layout, separators
from .disclosure import DisclosureSpec
from .tables import Col, is_missing, note_of, readable

MONTHLY_SPEC = DisclosureSpec(
    counts=("crimes",),
    # The bars of a month stack to its total.
    groups=("month",),
    totals_shown=True,
)

AREA_SPEC = DisclosureSpec(
    counts=("crimes",),
    derived=dict.fromkeys(("rate", "rate_lower", "rate_upper"), "crimes"),
    totals_shown=True,
    area_level_column="area_level",
    public_columns=("residents",),
)


def covered(start: date, end: date) -> tuple[date, date, int] | None:
    """The whole months whose first day falls in the period (data.police.uk's months):
    their first day, last day and days; None when no month starts in the period."""
    first = start if start.day == 1 else _next_month(start)
    last_start = end.replace(day=1)
    if first > last_start:
        return None
    last = last_start.replace(day=calendar.monthrange(last_start.year, last_start.month)[1])
    return first, last, annual.days(first, last)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def monthly(raw: pd.DataFrame) -> pd.DataFrame:
    """Per month and crime type: the published crimes (codes; the rows as queried)."""
    out = pd.DataFrame(
        {
            "month": pd.to_datetime(raw["month"]),
            "crime_type": raw["crime_type"].astype(str),
            "crimes": raw["crimes"].astype("Int64"),
        }
    )
    return out.sort_values(["month", "crime_type"]).reset_index(drop=True)


def by_area(raw: pd.DataFrame, days: int | None) -> pd.DataFrame:
    """Per area: published crimes and the rate per 1,000 residents a year over `days`
    (the whole months covered), with 95% intervals (exact Poisson under 10, Byar's)."""
    out = pd.DataFrame(
        {
            "area_code": raw["area_code"].astype(str),
            "area_name": raw["area_name"].astype(str),
            "area_level": raw["area_level"].astype(str),
            "crimes": raw["crimes"].astype("Int64"),
            "residents": pd.to_numeric(raw["residents"]).astype(float),
        }
    )
    if not days:
        for col in ("rate", "rate_lower", "rate_upper"):
            out[col] = float("nan")
        return out
    return stats.add_rate_intervals(out, "crimes", "residents", per=annual.per_year(days))


_TYPE_COLOURS = tuple(
    OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "sky_blue", "purple", "black")
)


# At most this many month labels on the time axis (every month, every other, ...).
MAX_MONTH_TICKS = 12


def month_ticks(months) -> tuple[list, list[str]]:
    """Tick positions and labels for a monthly axis, in the current language ("Jan 2024",
    "sty 2024"): plotly's own date formats are English only. Each tick sits mid-month, under
    its bar (the bars are drawn at the middle of their month)."""
    firsts = sorted({pd.Timestamp(m).normalize().replace(day=1) for m in months})
    step = max(1, -(-len(firsts) // MAX_MONTH_TICKS))
    chosen = firsts[::step]
    positions = [m + (m + pd.offsets.MonthBegin(1) - m) / 2 for m in chosen]
    return positions, [text.date(m.date(), "month_short") for m in chosen]


def monthly_chart(shown: pd.DataFrame) -> go.Figure:
    """Stacked monthly bars, one colour a crime type (each named in the legend and hover)."""
    fig = go.Figure()
    for i, (code, rows) in enumerate(shown.groupby("crime_type", sort=True)):
        name = text.label("crime_type", code)
        # Fourteen types: seven colour-blind-safe colours, each plain and hatched, so no two
        # types look alike and colour is not the only cue (the legend and hover name them).
        colour = _TYPE_COLOURS[i % len(_TYPE_COLOURS)]
        hatch = "" if i < len(_TYPE_COLOURS) else "/"
        hovers = [
            text.t(
                "published_page.hover",
                type=name,
                month=text.date(pd.Timestamp(m).date(), "month"),
                n=_count_words(row, "crimes"),
            )
            for m, (_, row) in zip(rows["month"], rows.iterrows(), strict=True)
        ]
        fig.add_bar(
            x=rows["month"],
            y=pd.to_numeric(rows["crimes"], errors="coerce"),
            name=name,
            marker=dict(color=colour, pattern=dict(shape=hatch, fgcolor="#ffffff")),
            customdata=hovers,
            hovertemplate="%{customdata}<extra></extra>",
            xperiod="M1",
            xperiodalignment="middle",
        )
    base_layout(fig, title=text.t("published.chart_title"), height=560)
    fig.update_layout(
        barmode="stack",
        yaxis=dict(title=text.t("published.crimes")),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
        margin=dict(b=170),
        separators=separators(),
    )
    positions, labels = month_ticks(shown["month"])
    fig.update_xaxes(tickmode="array", tickvals=positions, ticktext=labels)
    return fig


def _count_words(row: pd.Series, col: str) -> str:
    """A count in the current language's digits, or the note that stands in for it."""
    value = row[col]
    return note_of(row, col) if is_missing(value) else text.number(int(value))


def monthly_alt(shown: pd.DataFrame) -> str:
    totals = shown.assign(_n=pd.to_numeric(shown["crimes"], errors="coerce")).groupby("month")["_n"]
    parts = [
        f"{text.date(pd.Timestamp(m).date(), 'month_short')} {text.number(int(n))}"
        for m, n in totals.sum(min_count=1).dropna().items()
    ]
    return text.t("published.alt", months="; ".join(parts) or text.t("published_page.none"))


def monthly_display(shown: pd.DataFrame) -> pd.DataFrame:
    frame = shown.copy()
    frame["month_label"] = [
        text.date(pd.Timestamp(m).date(), "month_short") for m in frame["month"]
    ]
    return readable(
        frame,
        [
            Col(text.t("published_page.month"), ("month_label",), "text"),
            Col(text.t("published.crime_type"), ("crime_type",), "text", "crime_type"),
            Col(text.t("published.crimes"), ("crimes",)),
        ],
    )


def area_display(shown: pd.DataFrame) -> pd.DataFrame:
    return readable(
        shown,
        [
            Col(text.t("published_page.area"), ("area_name",), "text"),
            Col(text.t("published.crimes"), ("crimes",)),
            Col(text.t("published_page.residents"), ("residents",)),
            Col(text.t("published.rate"), ("rate", "rate_lower", "rate_upper"), "rate"),
        ],
    )


def summary(shown_monthly: pd.DataFrame, period: tuple[date, date, int] | None) -> str:
    """One sentence: how many published crimes over which months, from which source."""
    counts = pd.to_numeric(shown_monthly["crimes"], errors="coerce")
    if shown_monthly.empty or period is None:
        return text.t("published.none")
    first, last, days = period
    return text.t(
        "published.summary",
        crimes=text.number(int(counts.sum())),
        first=text.date(first, "month_short"),
        last=text.date(last, "month_short"),
        days=text.number(days),
    )


def area_note(period: tuple[date, date, int]) -> str:
    """How the rates by area are worked out, over the whole months covered."""
    first, last, days = period
    return text.t(
        "published.area_note",
        days=text.number(days),
        first=text.date(first, "short"),
        last=text.date(last, "short"),
    )


# LSOAs (where data.police.uk places each crime), and wards and MSOAs (sums of their LSOAs).
LEVELS = vocab.LabelView("level", ("ward", "lsoa", "msoa"))
