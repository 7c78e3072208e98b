"""Trends: monthly contacts and crime reports per community, campaign events on the time
axis, statistical process control of the months (an XmR chart, `spc_limits` and each
month's `spc` code), the interrupted time series at the campaign launch (`interrupted`),
before/after the launch (a descriptive table), and the recent-trend arrow (kept for yearly
or quarterly points; the monthly page reads SPC instead).

Each function takes the frame a `queries/trend_*.sql` file returns; the chart builders take
the disclosed frame, so a chart never sees a hidden number. No streamlit here.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import numbers as babel_numbers
from plotly.subplots import make_subplots

from . import registry, stats, text, vocab
from .charts import base_layout_dict, white_template
from .disclosure import NOTE_SUFFIX, DisclosureSpec
from .tables import Col, is_missing, readable

SCALE_LABELS = vocab.TREND_SCALES
RECORD_NOUNS = vocab.RECORD_NOUNS
# A colour and a line style per community; each panel is also titled, so colour is never
# the only cue.
ARROWS = {
    stats.INCREASING: "↑",
    stats.DECREASING: "↓",
    stats.NO_SIGNIFICANT_CHANGE: "→",
    stats.CANNOT_BE_CALCULATED: "–",
}
# Days in an average month (365.25 / 12): per-day rates are shown "a month".
MONTH_DAYS = 365.25 / 12
ROLLING_MONTHS = 3


_people = text.people


def _month(value) -> str:
    """A month in the current language, shortened: "Sep 2021", "wrz 2021"."""
    return text.date(pd.Timestamp(value).date(), "month_short")


def _day(value) -> str:
    """A day in the current language, its month shortened: "12 Apr 2021", "12 kwi 2021"."""
    return text.date(pd.Timestamp(value).date(), "short")


def _noun_forms(records: str) -> dict[str, str]:
    """The records named in each form a sentence may need (the catalogue says which)."""
    return {
        "noun": RECORD_NOUNS[records],
        "noun_of": text.t(f"trends_noun.of.{records}"),
        "noun_in": text.t(f"trends_noun.in.{records}"),
        "noun_title": text.t(f"trends_noun.title.{records}"),
    }


def _order(communities) -> list[str]:
    return [*registry.ordered(communities), registry.ALL_RESIDENTS]


def _check_records(records: str) -> None:
    # The records choice picks columns by name: only the known ones.
    if records not in RECORD_NOUNS:
        raise ValueError(f"records must be one of {tuple(RECORD_NOUNS)}, got {records!r}")


# ------------------------------------------------------------------------------ monthly

MONTHLY_SPEC = DisclosureSpec(
    counts=("events", "recorded", "all_records"),
    # A month's SPC reading follows its count, like its rate.
    derived=dict.fromkeys(("rate", "rate_lower", "rate_upper", "spc", "spc_signals"), "events"),
    # A community's months add up to its total for the period, shown on the overview.
    groups=("community",),
    totals_shown=True,
    public_columns=("residents", "days", "month_days"),
)


def monthly(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per month and community: the count and the rate per 1,000 residents of the
    community in that month (where a census count exists), with 95% intervals.

    For all residents the count is the records that say who was involved (the community
    field filled in), as on the overview; for a community, the records that name it.
    `all_records` counts every record, including those that do not say.
    """
    _check_records(records)
    rows = raw[raw["community"].isin(_order(communities))].copy()
    out = pd.DataFrame(
        {
            "month": pd.to_datetime(rows["month"]),
            "community": rows["community"].astype(str),
            "days": rows["days"].astype("int64"),
            "month_days": rows["month_days"].astype("int64"),
            "events": rows[records].astype("Int64"),
            "recorded": rows[f"{records}_recorded"].astype("Int64"),
            "all_records": rows[f"all_{records}"].astype("Int64"),
            "residents": pd.to_numeric(rows["residents"]).astype("Float64"),
        }
    )
    out = stats.add_rate_intervals(out, "events", "residents", per=1000)
    order = {c: i for i, c in enumerate(_order(communities))}
    out["_order"] = out["community"].map(order)
    out = out.sort_values(["_order", "month"]).drop(columns="_order").reset_index(drop=True)
    out["spc"] = pd.Series(PARTIAL_MONTH, index=out.index, dtype=object)
    out["spc_signals"] = pd.Series("", index=out.index, dtype=object)
    for _, rows in out.groupby("community", sort=False):
        whole = rows[rows["days"] == rows["month_days"]]
        if whole["events"].isna().any():  # a month the public view withholds: no chart
            out.loc[whole.index, "spc"] = None
        elif len(whole):
            first, every = _spc_codes(whole["events"])
            out.loc[whole.index, "spc"] = first
            out.loc[whole.index, "spc_signals"] = every
    return out


# ------------------------------------------------------------------------------ SPC

# An XmR chart of each community's monthly counts (NHS England's Making Data Count rules,
# stats.spc): counts, because the chart shows counts (per 1,000 is the same count over a
# fixed number of residents, so the signals are the same). Limits come from the complete
# months shown; a part month (the period's first or last) has fewer days, so it is not
# judged. Each month gets one code: its first signal with its direction, "common_cause",
# or "partial_month".
SPC_KIND = "xmr"
PARTIAL_MONTH = "partial_month"
SPC_CODES = (
    "beyond_limit_high",
    "beyond_limit_low",
    "shift_high",
    "shift_low",
    "trend_rising",
    "trend_falling",
    "two_of_three_high",
    "two_of_three_low",
)
SPC_SYMBOLS = {
    "beyond_limit": "star",
    "shift": "square",
    "trend_rising": "triangle-up",
    "trend_falling": "triangle-down",
    "two_of_three": "diamond",
}


def _trend_directions(value: np.ndarray) -> list[list[str]]:
    """Per month, "trend_rising" / "trend_falling" for each run of stats.TREND_POINTS or
    more months it belongs to (the month at a peak can end a rising run and start a falling
    one), as stats.spc reads its ``trend`` signal."""
    found: list[list[str]] = [[] for _ in value]
    steps = np.sign(np.diff(value))
    start = 0
    for i in range(1, steps.size + 1):
        if i == steps.size or steps[i] != steps[start]:
            if steps[start] != 0 and i - start >= stats.TREND_POINTS - 1:
                code = "trend_rising" if steps[start] > 0 else "trend_falling"
                for month in range(start, i + 1):
                    found[month].append(code)
            start = i
    return found


def _spc_codes(counts: pd.Series) -> tuple[list[str], list[str]]:
    """Each month's first signal as a code with its direction, and all its signals (codes
    separated by spaces; "" for none)."""
    chart = stats.spc(counts.to_numpy(float), kind=SPC_KIND)
    value = chart["value"].to_numpy()
    centre = chart["centre"].to_numpy()
    runs = _trend_directions(value)
    codes_all = []
    for i in range(len(chart)):
        found = []
        for signal in stats.SPC_SIGNALS:
            if not chart[signal].iloc[i]:
                continue
            if signal == stats.TREND:
                found += runs[i]
            else:
                found.append(f"{signal}_{'high' if value[i] > centre[i] else 'low'}")
        codes_all.append(found)
    first = [found[0] if found else stats.COMMON_CAUSE for found in codes_all]
    return first, [" ".join(found) for found in codes_all]


def _symbol(code: str) -> str:
    return SPC_SYMBOLS.get(code) or SPC_SYMBOLS[code.rsplit("_", 1)[0]]


def spc_label(code: object) -> str:
    """A month's SPC code in words ("" for a hidden month)."""
    if is_missing(code):
        return ""
    return text.t(f"spc.{code}", shift=stats.SHIFT_POINTS, trend=stats.TREND_POINTS)


SPC_SPEC = DisclosureSpec(
    counts=("events",),
    derived=dict.fromkeys(("centre", "lower", "upper"), "events"),
    totals_shown=False,
    public_columns=("months",),
)


def spc_limits(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per community: the XmR chart's centre and process limits (counts a month) over the
    complete months, with the months and records they rest on."""
    _check_records(records)
    rows = []
    for community in _order(communities):
        series = raw[raw["community"] == community].sort_values("month")
        whole = series[series["days"] == series["month_days"]]
        values = whole[records].to_numpy(float)
        if not np.isfinite(values).all():  # a month the public view withholds: no chart
            values = values[:0]
        chart = stats.spc(values, kind=SPC_KIND)
        months = pd.to_datetime(whole["month"])
        rows.append(
            {
                "community": community,
                "first_month": months.min(),
                "last_month": months.max(),
                "months": len(whole),
                "events": _total(whole[records].to_numpy(float)),
                "centre": chart["centre"].iloc[0] if len(chart) else math.nan,
                "lower": chart["lower"].iloc[0] if len(chart) else math.nan,
                "upper": chart["upper"].iloc[0] if len(chart) else math.nan,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "community",
            "first_month",
            "last_month",
            "months",
            "events",
            "centre",
            "lower",
            "upper",
        ],
    )


def _month_runs(months: list[pd.Timestamp]) -> str:
    """ "Jun 2021, Aug 2021 to Feb 2022": consecutive months written as a run."""
    runs: list[list[pd.Timestamp]] = []
    for month in sorted(months):
        if (
            runs
            and (month.year * 12 + month.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) == 1
        ):
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = [
        _month(run[0])
        if len(run) == 1
        else text.t("spc_sentence.run", first=_month(run[0]), last=_month(run[-1]))
        for run in runs
    ]
    return ", ".join(parts)


def spc_reading(shown: pd.DataFrame, records: str) -> str:
    """Markdown: a heading line, then per community the months that signal special-cause
    variation, from the disclosed monthly frame (a hidden month's reading is not read)."""
    head = text.t("spc_sentence.head", noun=RECORD_NOUNS[records])
    return head + "\n" + "\n".join(f"- {line}" for line in spc_sentences(shown))


def spc_sentences(shown: pd.DataFrame) -> list[str]:
    """Per community, the months that signal special-cause variation."""
    lines = []
    for community, rows in shown.groupby("community", sort=False):
        read = rows[rows["spc"].notna() & (rows["spc"] != PARTIAL_MONTH)]
        people = _people(community)
        if len(read) < 2:
            lines.append(text.t("spc_sentence.too_few", people=people))
            continue
        every = read["spc_signals"].fillna("").str.split()
        signals = [
            text.t(
                "spc_sentence.signal",
                what=spc_label(code),
                months=_month_runs(list(read.loc[every.map(lambda c, k=code: k in c), "month"])),
            )
            for code in SPC_CODES
            if every.map(lambda c, k=code: k in c).any()
        ]
        if signals:
            lines.append(text.t("spc_sentence.signals", people=people, signals="; ".join(signals)))
        else:
            lines.append(text.t("spc_sentence.none", people=people))
    return lines


def with_rolling(shown: pd.DataFrame, scale: str) -> pd.DataFrame:
    """Adds `value` (count or rate) and `rolling`, its mean over the last three months.

    Computed from the disclosed frame: a hidden month leaves a gap in the line rather than
    letting the average give it away.
    """
    out = shown.copy()
    out["value"] = pd.to_numeric(out["events" if scale == "count" else "rate"]).astype(float)
    out["rolling"] = out.groupby("community", sort=False)["value"].transform(
        lambda s: s.rolling(ROLLING_MONTHS, min_periods=ROLLING_MONTHS).mean()
    )
    return out


def scale_note(raw: pd.DataFrame, scale: str, area_filtered: bool) -> str | None:
    """Why some per-1,000 rates are missing, in words (None when all are there)."""
    if scale != "rate" or not area_filtered:
        return None
    return text.t("trends_page.scale_note", count=SCALE_LABELS["count"])


def monthly_chart(
    shown: pd.DataFrame,
    events: pd.DataFrame,
    records: str,
    scale: str,
    limits: pd.DataFrame | None = None,
    counterfactual: pd.DataFrame | None = None,
) -> go.Figure:
    """One panel per community: monthly bars, the 3-month rolling mean as a line, the
    campaign events as dotted lines across every panel; with `limits` (`spc_limits`,
    disclosed) the SPC mean and process limits and a marker on each month with a signal
    (its symbol says which, its hover says so in words); with `counterfactual`
    (`interrupted`, disclosed) the earlier trend projected past the launch, one line a
    panel. Every number and month on it is written in the current language: hovers are
    made here, and the months under the axis are listed (plotly would write them in
    English)."""
    frame = with_rolling(shown, scale)
    communities = list(dict.fromkeys(frame["community"]))
    titles = [_people(c) for c in communities]
    # The figure is built from dicts in one go: plotly re-validates the whole layout on
    # every update_* call, which made up most of this chart's time (about 250 ms a rerun).
    layout = _panel_grid(tuple(titles))
    panels = _Panels()
    rolling_name = text.t("trends_chart.rolling")
    # Rates here are the calendar month's records per 1,000 residents: "a month", never
    # annualised (a part month at either end covers fewer days; the table says how many).
    for i, community in enumerate(communities, start=1):
        rows = frame[frame["community"] == community]
        colour = registry.colour(community)
        # Rows as plain dicts: iterrows builds a Series a month (most of the hovers' time).
        hover = [_month_hover(r, records, scale) for r in rows.to_dict("records")]
        panels.add(
            go.Bar,
            i,
            x=rows["month"],
            y=rows["value"],
            marker_color=colour,
            opacity=0.35,
            name=text.t("trends_chart.month" if scale == "count" else "trends_chart.month_rate"),
            legendgroup="month",
            showlegend=i == 1,
            hovertext=hover,
            hoverinfo="text",
            xperiod="M1",
            xperiodalignment="middle",
        )
        panels.add(
            go.Scatter,
            i,
            x=rows["month"],
            y=rows["rolling"],
            mode="lines",
            line=dict(color=colour, width=3),
            name=rolling_name,
            legendgroup="rolling",
            showlegend=i == 1,
            xperiod="M1",
            xperiodalignment="middle",
            hovertext=_value_hovers(rows["rolling"], rolling_name),
            hoverinfo="text",
        )
        per = _per_resident(rows, scale)
        if counterfactual is not None:
            _draw_counterfactual(panels, counterfactual, community, per, i)
        if limits is not None:
            _draw_spc(panels, rows, limits, community, per, i)
    traces = panels.placed()
    if limits is not None:
        traces += _spc_legend(frame)
    lines, labels = _event_marks(events, len(communities))
    key = "trends_chart.title_count" if scale == "count" else "trends_chart.title_rate"
    title = text.t(key, **_noun_forms(records))
    layout.update(base_layout_dict(title=title, height=190 * len(communities) + 230))
    # Panel titles on the left, event labels above the top panel, the legend below.
    panel_titles = set(titles)
    for note in layout.get("annotations", []):
        if note.get("text") in panel_titles:
            note.update(x=0, xanchor="left")
    layout["annotations"] = [*layout.get("annotations", []), *labels]
    layout["shapes"] = lines
    layout["margin"].update(t=150, b=70)
    layout.update(
        bargap=0.15,
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.05, xanchor="left", x=0),
    )
    ticks = _quarter_ticks(frame["month"])
    tick_text = [_month(m) for m in ticks]
    for row in range(1, len(communities) + 1):
        x, y = _axes(row)
        layout[f"{x[0]}axis{x[1:]}"].update(tickmode="array", tickvals=ticks, ticktext=tick_text)
        layout[f"{y[0]}axis{y[1:]}"].update(title=dict(text=""), rangemode="tozero")
    # Built unvalidated: every property is plotly's own name in its canonical form (the
    # same JSON as validated; validation cost 4 times the rest of the build).
    fig = go.Figure(data=traces, layout=layout, _validate=False)
    white_template(fig)
    return fig


@functools.lru_cache(maxsize=32)
def _grid(titles: tuple[str, ...]) -> str:
    # make_subplots costs about 50 ms; its layout depends only on the panel titles.
    grid = make_subplots(
        rows=len(titles),
        cols=1,
        shared_xaxes=True,
        subplot_titles=list(titles),
        vertical_spacing=0.22 / max(len(titles), 1),
    )
    layout = grid.layout.to_plotly_json()
    layout.pop("template", None)  # the chart's own is set after
    return json.dumps(layout)


def _panel_grid(titles: tuple[str, ...]) -> dict:
    """make_subplots' layout for one panel a title, stacked, sharing the months axis (the
    axes, their domains and the panel titles), as a fresh dict each time."""
    return json.loads(_grid(titles))


def _axes(row: int) -> tuple[str, str]:
    """The x and y axes of a panel as traces name them: "x", "y" for the first, then "x2"..."""
    return ("x", "y") if row == 1 else (f"x{row}", f"y{row}")


def _quarter_ticks(months: pd.Series) -> list[pd.Timestamp]:
    """The first of January, April, July and October in the months shown (as plotly's
    three-monthly ticks fall), or every month when the period holds none of them."""
    if months.empty:
        return []
    every = pd.date_range(months.min(), months.max(), freq="MS")
    quarters = [m for m in every if m.month % 3 == 1]
    return quarters or list(every)


def _value_hovers(values: pd.Series, what: str) -> list[str]:
    """ "12.35 (3-month average)": each value with two decimals in the current language."""
    return [
        "" if is_missing(v) else text.t("trends_chart.value", value=text.number(v, 2), what=what)
        for v in values
    ]


def _per_resident(rows: pd.DataFrame, scale: str) -> float:
    """What a count is multiplied by to draw it on this scale (NaN: no rate)."""
    if scale == "count":
        return 1.0
    residents = pd.to_numeric(rows["residents"], errors="coerce").dropna()
    return 1000 / float(residents.iloc[0]) if len(residents) and residents.iloc[0] > 0 else math.nan


class _Panels:
    """The chart's traces with their panels, built unvalidated: the figure validates each
    once when it is made from them (fig.add_scatter validates a trace twice)."""

    def __init__(self) -> None:
        self.traces: list = []
        self.rows: list[int] = []

    def add(self, kind: type, row: int, **properties) -> None:
        self.traces.append(kind(**properties, _validate=False))
        self.rows.append(row)

    def has(self, group: str) -> bool:
        return any(trace.legendgroup == group for trace in self.traces)

    def placed(self) -> list:
        """The traces, each on its panel's axes."""
        for trace, row in zip(self.traces, self.rows, strict=True):
            trace.xaxis, trace.yaxis = _axes(row)
        return list(self.traces)


def _draw_counterfactual(
    panels: _Panels, counterfactual: pd.DataFrame, community: str, per: float, row: int
) -> None:
    line = counterfactual[counterfactual["community"] == community]
    value = pd.to_numeric(line["counterfactual"], errors="coerce") * per
    if line.empty or value.isna().all():
        return
    panels.add(
        go.Scatter,
        row,
        x=line["month"],
        y=value,
        mode="lines",
        line=dict(color="#1a1a1a", width=2, dash="dash"),
        name=text.t("its.counterfactual"),
        legendgroup="counterfactual",
        showlegend=not panels.has("counterfactual"),
        xperiod="M1",
        xperiodalignment="middle",
        hovertext=_value_hovers(value, text.t("its.counterfactual_hover")),
        hoverinfo="text",
    )


def _draw_spc(
    panels: _Panels,
    rows: pd.DataFrame,
    limits: pd.DataFrame,
    community: str,
    per: float,
    row: int,
) -> None:
    """The SPC mean and process limits (one trace each), and one marker trace for the
    months with a signal."""
    found = limits[limits["community"] == community]
    if found.empty or is_missing(found.iloc[0]["centre"]) or math.isnan(per):
        return
    spc = found.iloc[0]
    ends = [spc["first_month"], spc["last_month"]]
    first = not panels.has("spc_mean")
    mean_name, limits_name = text.t("spc_sentence.mean"), text.t("spc_sentence.limits")
    centre = [spc["centre"] * per] * 2
    panels.add(
        go.Scatter,
        row,
        x=ends,
        y=centre,
        mode="lines",
        line=dict(color="#555555", width=1.2),
        name=mean_name,
        legendgroup="spc_mean",
        showlegend=first,
        xperiod="M1",
        xperiodalignment="middle",
        hovertext=_value_hovers(pd.Series(centre), mean_name),
        hoverinfo="text",
    )
    lower = max(float(spc["lower"]), 0.0) * per
    bands = [spc["upper"] * per] * 2 + [None] + [lower] * 2
    panels.add(
        go.Scatter,
        row,
        x=[*ends, None, *ends],
        y=bands,
        mode="lines",
        line=dict(color="#555555", width=1.2, dash="dot"),
        name=limits_name,
        legendgroup="spc_limits",
        showlegend=first,
        xperiod="M1",
        xperiodalignment="middle",
        hovertext=_value_hovers(pd.Series(bands, dtype=float), limits_name),
        hoverinfo="text",
    )
    signalled = rows[rows["spc"].isin(SPC_CODES)]
    if signalled.empty:
        return
    panels.add(
        go.Scatter,
        row,
        x=signalled["month"],
        y=signalled["value"],
        mode="markers",
        marker=dict(
            symbol=[_symbol(code) for code in signalled["spc"]],
            size=11,
            color="#1a1a1a",
            line=dict(color="#ffffff", width=1),
        ),
        showlegend=False,
        xperiod="M1",
        xperiodalignment="middle",
        hovertext=[
            text.t("trends_chart.signal", month=_month(month), reading=spc_label(code))
            for month, code in zip(signalled["month"], signalled["spc"], strict=True)
        ],
        hoverinfo="text",
        name=text.t("spc_sentence.signal_trace"),
    )


def _spc_legend(frame: pd.DataFrame) -> list:
    """One legend entry per signal symbol that appears (legend only, nothing drawn)."""
    present = {code for code in frame["spc"].dropna() if code in SPC_CODES}
    entries = []
    for key, symbol in SPC_SYMBOLS.items():
        if not any(_symbol(code) == symbol for code in present):
            continue
        entries.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker=dict(symbol=symbol, size=11, color="#1a1a1a"),
                name=text.t(
                    f"spc_legend.{key}", shift=stats.SHIFT_POINTS, trend=stats.TREND_POINTS
                ),
                legendgroup=f"spc_{key}",
                _validate=False,
            )
        )
    return entries


def _month_hover(row: Mapping, records: str, scale: str) -> str:
    month = _month(row["month"])
    if row["days"] < row["month_days"]:
        month = text.plural(
            "trends_chart.part_month",
            int(row["month_days"]),
            month=month,
            days=text.number(row["days"]),
        )
    count = row["events"]
    if is_missing(count):
        note = row.get(f"events{NOTE_SUFFIX}")
        count_text = text.t(
            "trends_chart.hidden_count",
            records=text.label("records", records),
            note="" if is_missing(note) else text.label("note", note),
        )
    else:
        count_text = text.plural(f"count.{records}", int(count))
    words = f"{month}<br>{count_text}"
    if not is_missing(row.get("spc")) and row["spc"] != PARTIAL_MONTH:
        words += "<br>" + text.t("spc_sentence.hover", reading=spc_label(row["spc"]))
    if scale == "rate":
        rate = row["rate"]
        if is_missing(rate):
            note = row.get(f"rate{NOTE_SUFFIX}")
            why = text.t("trends_chart.no_census") if is_missing(note) or not note else None
            why = why or text.label("note", note)
            words += "<br>" + text.t("trends_chart.no_rate", why=why)
        else:
            words += "<br>" + text.t(
                "trends_chart.rate",
                rate=text.number(rate, 2),
                lower=text.number(row["rate_lower"], 2),
                upper=text.number(row["rate_upper"], 2),
            )
    return words


def _event_marks(events: pd.DataFrame, panels: int) -> tuple[list[dict], list[dict]]:
    """Dotted lines at each campaign event across every panel, labelled in a band above the
    top panel; labels close in time are stacked so they do not overlap.

    Returned as the layout's shapes and annotations (dicts), set with the rest of the
    layout at once: plotly's add_vline and add_annotation re-validate the layout on every
    call (about a second a chart with six events)."""
    refs = [_axes(row) for row in range(1, panels + 1)]
    lines, labels = [], []
    last, level = None, 0
    for _, event in events.sort_values("event_date").iterrows():
        when = pd.Timestamp(event["event_date"])
        level = level + 1 if last is not None and (when - last).days < 75 else 0
        last = when
        lines += [
            dict(
                type="line",
                x0=when,
                x1=when,
                y0=0,
                y1=1,
                xref=x,
                yref=f"{y} domain",
                line=dict(color="#444444", width=1, dash="dot"),
            )
            for x, y in refs
        ]
        labels.append(
            dict(
                x=when,
                y=1.0,
                yshift=28 + 20 * (level % 3),
                xref="x",
                yref="paper",
                text=text.label("event_short", event["kind"]),
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                font=dict(size=12),
                hovertext=text.t(
                    "trends_chart.event",
                    date=_day(when),
                    name=text.label("event_kind", event["kind"]),
                ),
            )
        )
    return lines, labels


def events_note(events: pd.DataFrame) -> str:
    """The campaign events the dotted lines mark, in words, each named by its kind (the
    catalogue's words: an event's free-text title is in the language it was typed in)."""
    if events.empty:
        return text.t("trends_page.no_events")
    named = [
        text.t("trends_page.event", date=_day(e.event_date), name=text.label("event_kind", e.kind))
        for e in events.sort_values("event_date").itertuples()
    ]
    return text.t("trends_page.events", events="; ".join(named))


def spc_note(records: str) -> str:
    """How the SPC chart is read, under the chart."""
    return text.t(
        "trends_page.spc_note",
        factor=text.number(stats.XMR_LIMIT, 2),
        shift=stats.SHIFT_POINTS,
        trend=stats.TREND_POINTS,
        **_noun_forms(records),
    )


def monthly_display(shown: pd.DataFrame, scale: str) -> pd.DataFrame:
    frame = with_rolling(shown, scale)
    frame["month_label"] = [
        _month(m)
        if d == md
        else text.plural("trends_table.part_month", int(md), month=_month(m), days=text.number(d))
        for m, d, md in zip(frame["month"], frame["days"], frame["month_days"], strict=True)
    ]
    frame["community_label"] = frame["community"].map(_people)
    frame["spc_label"] = frame["spc"].map(spc_label)
    if "spc_note" in frame.columns:
        frame["spc_label_note"] = frame["spc_note"]
    fmt = "count" if scale == "count" else "rate"
    return readable(
        frame,
        [
            Col(text.t("trends_table.month"), ("month_label",), "text"),
            Col(text.t("trends_table.community"), ("community_label",), "text"),
            Col(text.t("trends_table.count"), ("events",)),
            Col(text.t("trends.all_records_column"), ("all_records",)),
            Col(text.t("trends_table.residents"), ("residents",)),
            Col(text.t("trends_table.rate"), ("rate", "rate_lower", "rate_upper"), "rate"),
            Col(text.t("trends_table.rolling"), ("rolling",), fmt if scale == "rate" else "rate"),
            Col(text.t("spc_sentence.column"), ("spc_label",), "text"),
        ],
    )


def monthly_sentence(shown: pd.DataFrame, records: str, scale: str) -> str:
    """Each community's latest 3-month average, against the same three months a year
    earlier where the period reaches back that far."""
    frame = with_rolling(shown, scale)
    unit = text.t("trends_sentence.unit_count" if scale == "count" else "trends_sentence.unit_rate")
    parts = []
    for community, rows in frame.groupby("community", sort=False):
        known = rows.dropna(subset=["rolling"])
        if known.empty:
            continue
        latest = known.iloc[-1]
        values = dict(
            people=_people(community),
            value=text.number(latest["rolling"], 1),
            unit=unit,
            month=_month(latest["month"]),
        )
        earlier = known[known["month"] == latest["month"] - pd.DateOffset(years=1)]
        if len(earlier):
            earlier_value = text.number(earlier.iloc[0]["rolling"], 1)
            parts.append(
                text.t("trends_sentence.monthly_part_year", earlier=earlier_value, **values)
            )
        else:
            parts.append(text.t("trends_sentence.monthly_part", **values))
    if not parts:
        return text.t("trends_sentence.monthly_none")
    return text.t("trends_sentence.monthly", parts="; ".join(parts), **_noun_forms(records))


# ------------------------------------------------------------------------------ ITS

NO_LAUNCH = "no_launch"
#: The model without a comparison series, and the one relative to all residents.
ALONE = "alone"
RELATIVE = "relative_to_all_residents"
_EFFECTS = ("level", "slope")
_EFFECT_COLUMNS = tuple(
    f"{effect}{part}" for effect in _EFFECTS for part in ("", "_lower", "_upper", "_p_value")
)
# Ratios on both sides of the launch: "too few to say" when either side has fewer than 10
# records (events_least is the smaller of the two).
_ITS_INPUTS = ("events_least", "events_before", "events_after")
ITS_SPEC = DisclosureSpec(
    counts=_ITS_INPUTS,
    derived=dict.fromkeys((*_EFFECT_COLUMNS, "dispersion", "status", "reason"), _ITS_INPUTS),
    totals_shown=False,
    public_columns=("months_before", "months_after"),
)
COUNTERFACTUAL_SPEC = DisclosureSpec(
    counts=("events_least",),
    derived={"counterfactual": "events_least"},
    totals_shown=False,
)


def _total(counts: np.ndarray) -> int | float:
    """The sum of counts; NaN when any is missing (a month the public view withholds)."""
    return int(counts.sum()) if np.isfinite(counts).all() else math.nan


def launch_date(events: pd.DataFrame) -> pd.Timestamp | None:
    """The first campaign launch among the period's events (None when there is none)."""
    launches = events.loc[events["kind"] == "launch", "event_date"]
    return pd.Timestamp(launches.min()) if len(launches) else None


def interrupted(
    raw: pd.DataFrame, records: str, communities, launch: pd.Timestamp | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The interrupted time series of each community's monthly records at the launch
    (stats.interrupted_time_series: quasi-Poisson segmented regression, the days each month
    covers as the offset, month-of-year terms from two years of months).

    Returns (readings, counterfactual). readings: one row per community and model, `ALONE`
    and (for the communities) `RELATIVE`, whose comparison series is the all-resident
    series of the same records; the level and slope changes with their 95% intervals and
    p-values, or `status` "not_estimable" and a `reason` code. counterfactual: per month
    and community, the alone model's fit with the launch terms removed (the earlier trend,
    projected), in records a month.
    """
    _check_records(records)
    everyone = raw[raw["community"] == vocab.ALL_RESIDENTS].set_index("month").sort_index()
    readings, lines = [], []
    for community in _order(communities):
        series = raw[raw["community"] == community].set_index("month").sort_index()
        months = pd.to_datetime(series.index)
        counts = series[records].to_numpy(float)
        days = series["days"].to_numpy(float)
        # As the model counts them: before the launch month, and from it on.
        start = None if launch is None else pd.Timestamp(launch).to_period("M").to_timestamp()
        before = months < start if start is not None else np.ones(len(months), dtype=bool)
        events_before, events_after = _total(counts[before]), _total(counts[~before])
        models = [(ALONE, {})]
        if community != vocab.ALL_RESIDENTS:
            control = everyone.loc[series.index]
            models.append(
                (RELATIVE, {"control": control[records].to_numpy(float), "control_offset": days})
            )
        for model, extra in models:
            row = {
                "community": community,
                "model": model,
                "events_before": events_before,
                "events_after": events_after,
                "events_least": min(events_before, events_after)
                if math.isfinite(events_before + events_after)
                else math.nan,
            }
            # A month the public view withholds leaves no whole series to fit (too few to say).
            withheld = not all(np.isfinite(v).all() for v in (counts, extra.get("control", 0)))
            if launch is None or len(series) == 0 or withheld:
                row.update(status=stats.NOT_ESTIMABLE, reason=NO_LAUNCH)
                readings.append(row)
                continue
            result = stats.interrupted_time_series(counts, months, launch, offset=days, **extra)
            row.update(
                status=result.status,
                reason=result.reason,
                intervention_month=result.intervention_month.to_timestamp(),
                months_before=result.months_before,
                months_after=result.months_after,
                seasonal=result.seasonal,
                dispersion=result.dispersion,
            )
            for name, effect in (("level", result.level_change), ("slope", result.slope_change)):
                row.update(
                    {
                        name: effect.ratio,
                        f"{name}_lower": effect.lower,
                        f"{name}_upper": effect.upper,
                        f"{name}_p_value": effect.p_value,
                    }
                )
            readings.append(row)
            if model == ALONE:
                own = result.series[result.series["series"] == stats.COMMUNITY]
                lines.append(
                    pd.DataFrame(
                        {
                            "month": own["month"].dt.to_timestamp().to_numpy(),
                            "community": community,
                            "counterfactual": own["counterfactual"].to_numpy(float),
                            "events_least": row["events_least"],
                        }
                    )
                )
    columns = [
        "community",
        "model",
        "status",
        "reason",
        "intervention_month",
        "months_before",
        "months_after",
        "seasonal",
        *_EFFECT_COLUMNS,
        "dispersion",
        "events_before",
        "events_after",
        "events_least",
    ]
    out = pd.DataFrame(readings).reindex(columns=columns)
    for col in (*_EFFECT_COLUMNS, "dispersion"):
        out[col] = pd.to_numeric(out[col]).astype(float)
    for col in ("months_before", "months_after"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    # With no model fitted (no launch in the period) these are all missing: still a month and
    # a yes/no, not numbers for disclosure control to refuse.
    out["intervention_month"] = pd.to_datetime(out["intervention_month"])
    out["seasonal"] = out["seasonal"].astype(object)
    line_columns = ["month", "community", "counterfactual", "events_least"]
    counterfactual = (
        pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=line_columns)
    )
    return out, counterfactual


def its_note(records: str) -> str:
    """How the interrupted time series is made, under its table."""
    return text.t("trends_page.its_note", **_noun_forms(records))


def _its_reading(lower: float, upper: float) -> str:
    if lower > 1:
        return "rise"
    if upper < 1:
        return "fall"
    return "no_clear_change"


def _its_values(row: pd.Series) -> dict[str, str]:
    values = {}
    for name in _EFFECTS:
        values[name] = text.number(row[name], 2)
        values[f"{name}_lower"] = text.number(row[f"{name}_lower"], 2)
        values[f"{name}_upper"] = text.number(row[f"{name}_upper"], 2)
        values[f"{name}_reading"] = text.label(
            "its_reading", _its_reading(row[f"{name}_lower"], row[f"{name}_upper"])
        )
    return values


def _its_why(row: pd.Series, noun: str) -> str:
    """Why a model has no reading: its disclosure note, or the reason it is not estimable."""
    note = row.get(f"level{NOTE_SUFFIX}")
    if not is_missing(note) and note:
        return text.t("its.hidden", note=text.label("note", note), n=stats.MIN_NUMERATOR, noun=noun)
    reason = row.get("reason")
    return text.t(f"its_reason.{reason}", n=stats.ITS_MIN_MONTHS, noun=noun)


def its_sentences(shown: pd.DataFrame, records: str) -> list[str]:
    """One reading per community: the level and slope change at the launch on its own, then
    relative to all residents (the same records)."""
    noun = RECORD_NOUNS[records]
    lines = []
    for community, rows in shown.groupby("community", sort=False):
        people = _people(community)
        parts = []
        for _, row in rows.iterrows():
            key = "alone" if row["model"] == ALONE else "relative"
            if is_missing(row["level"]):
                parts.append(
                    text.t(f"its.{key}_none", people=people, noun=noun, why=_its_why(row, noun))
                )
                continue
            month = (
                "" if is_missing(row["intervention_month"]) else _month(row["intervention_month"])
            )
            parts.append(
                text.t(f"its.{key}", people=people, noun=noun, month=month, **_its_values(row))
            )
        lines.append(" ".join(parts))
    return lines


def _p_text(value: object) -> object:
    if is_missing(value):
        return None
    if value < 0.001:
        return text.t("trends_table.p_below", p=text.number(0.001, 3))
    return text.number(value, 3)


def its_display(shown: pd.DataFrame, records: str) -> pd.DataFrame:
    noun = RECORD_NOUNS[records]
    frame = shown.copy()
    frame["community_label"] = frame["community"].map(_people)
    frame["model_label"] = frame["model"].map(lambda m: text.label("its_model", m))
    frame["why"] = [
        "" if not is_missing(r["level"]) else _its_why(r, noun) for _, r in frame.iterrows()
    ]
    for name in _EFFECTS:
        frame[f"{name}_p"] = frame[f"{name}_p_value"].map(_p_text)
        if f"{name}_p_value{NOTE_SUFFIX}" in frame.columns:
            frame[f"{name}_p{NOTE_SUFFIX}"] = frame[f"{name}_p_value{NOTE_SUFFIX}"]
    return readable(
        frame,
        [
            Col(text.t("its_table.community"), ("community_label",), "text"),
            Col(text.t("its_table.series"), ("model_label",), "text"),
            Col(text.t("its_table.months_before"), ("months_before",)),
            Col(text.t("its_table.months_after"), ("months_after",)),
            Col(text.t("its_table.events_before", noun=noun.capitalize()), ("events_before",)),
            Col(text.t("its_table.events_after", noun=noun.capitalize()), ("events_after",)),
            Col(text.t("its_table.level"), ("level", "level_lower", "level_upper"), "ratio"),
            Col(text.t("its_table.level_p"), ("level_p",), "text"),
            Col(text.t("its_table.slope"), ("slope", "slope_lower", "slope_upper"), "ratio"),
            Col(text.t("its_table.slope_p"), ("slope_p",), "text"),
            Col(text.t("its_table.dispersion"), ("dispersion",), "ratio"),
            Col(text.t("its_table.why"), ("why",), "text"),
        ],
    )


# ------------------------------------------------------------------------------ trend arrows

TREND_SPEC = DisclosureSpec(
    counts=("events", "recorded"),
    derived=dict.fromkeys(("direction", "statistic", "p_value"), "events"),
    totals_shown=False,
)


def recent_trends(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per community: the test for a linear trend in its share of the records over the
    latest five periods (stats.trend_test, 99.8%). For yearly or quarterly points only: the
    monthly page reads its months with SPC (`spc_sentences`) instead."""
    _check_records(records)
    rows = []
    for community in _order(communities)[:-1]:
        series = raw[raw["community"] == community].sort_values("month")
        last = series.tail(stats.TREND_PERIODS)
        result = stats.trend_test(
            series[records].to_numpy(float), series[f"{records}_recorded"].to_numpy(float)
        )
        months = pd.to_datetime(last["month"])
        rows.append(
            {
                "community": community,
                "first_month": months.min(),
                "last_month": months.max(),
                "events": int(last[records].sum()),
                "recorded": int(last[f"{records}_recorded"].sum()),
                "direction": result.direction,
                "statistic": result.statistic,
                "p_value": result.p_value,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "community",
            "first_month",
            "last_month",
            "events",
            "recorded",
            "direction",
            "statistic",
            "p_value",
        ],
    )


def trend_sentence(row: pd.Series, records: str) -> str:
    """E.g. "↑ Eastern European residents: their share of contacts rose over the five months
    Nov 2021 to Mar 2022 (chi-square for trend 12.3, p = 0.0004)."."""
    people, forms = _people(row["community"]), _noun_forms(records)
    direction = row["direction"]
    if is_missing(direction):
        note = text.label("note", row.get(f"direction{NOTE_SUFFIX}") or stats.TOO_FEW_TO_SAY)
        count = text.plural(f"count.{records}", stats.MIN_NUMERATOR)
        dash = ARROWS[stats.CANNOT_BE_CALCULATED]
        return text.t(
            "trends_sentence.trend_hidden", arrow=dash, people=people, note=note, count=count
        )
    if is_missing(row["first_month"]):
        span = text.t("trends_sentence.trend_span_unknown")
    else:
        span = text.t(
            "trends_sentence.trend_span",
            first=_month(row["first_month"]),
            last=_month(row["last_month"]),
        )
    if direction == stats.CANNOT_BE_CALCULATED:
        arrow = ARROWS[stats.CANNOT_BE_CALCULATED]
        return text.t("trends_sentence.trend_cannot", arrow=arrow, people=people, **forms)
    test = text.t(
        "trends_sentence.trend_test",
        statistic=text.number(row["statistic"], 1),
        p=_significant(row["p_value"]),
    )
    key = direction if direction in (stats.INCREASING, stats.DECREASING) else "none"
    return text.t(
        f"trends_sentence.trend_{key}",
        arrow=ARROWS.get(direction, ARROWS[stats.NO_SIGNIFICANT_CHANGE]),
        people=people,
        span=span,
        test=test,
        **forms,
    )


def _significant(value: float) -> str:
    """A p-value to three significant figures ("0.0638", "3.98e-17"), with the current
    language's decimal sign (Babel's patterns have no exponent form for this)."""
    decimal = babel_numbers.get_decimal_symbol(text.locale_code())
    return format(value, ".3g").replace(".", decimal)


# ------------------------------------------------------------------------------ before/after

BEFORE_AFTER_SPEC = DisclosureSpec(
    counts=("before", "after"),
    derived={
        "per_month_before": "before",
        "per_month_after": "after",
        **dict.fromkeys(
            ("rate_ratio", "rate_ratio_lower", "rate_ratio_upper", "reading", "method"),
            ("after", "before"),
        ),
    },
    # Channels add up to the community's all-channel row, which is shown.
    groups=("community",),
    totals_shown=True,
    public_columns=("days_before", "days_after"),
)


def before_after(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per community and channel: records a month before and after the campaign launch, and
    the rate ratio after/before with its 95% interval (stats.rate_ratio, method "auto": the
    exact conditional interval when either side has fewer than 10 records, Katz's otherwise;
    `method` says which)."""
    _check_records(records)
    rows = raw[(raw["records"] == records) & raw["community"].isin(_order(communities))].copy()
    order = {c: i for i, c in enumerate(_order(communities))}
    rows["_o"] = rows["community"].map(order)
    rows["_c"] = (rows["channel"] != "all").astype(int)
    rows = rows.sort_values(["_o", "_c", "channel"]).drop(columns=["_o", "_c"])
    out = pd.DataFrame(
        {
            "community": rows["community"].astype(str),
            "channel": rows["channel"].astype(str),
            "launch_date": pd.to_datetime(rows["launch_date"]),
            "before": rows["before"].astype("Int64"),
            "after": rows["after"].astype("Int64"),
            "days_before": rows["days_before"].astype("Int64"),
            "days_after": rows["days_after"].astype("Int64"),
        }
    ).reset_index(drop=True)
    results = [_rate_ratio(r) for _, r in out.iterrows()]
    out["per_month_before"] = [r[0] for r in results]
    out["per_month_after"] = [r[1] for r in results]
    out["rate_ratio"] = [r[2] for r in results]
    out["rate_ratio_lower"] = [r[3] for r in results]
    out["rate_ratio_upper"] = [r[4] for r in results]
    out["reading"] = pd.Series([r[5] for r in results], dtype=object)
    out["method"] = pd.Series([r[6] for r in results], dtype=object)
    return out


def _rate_ratio(row: pd.Series) -> tuple:
    nan = math.nan
    db, da = row["days_before"], row["days_after"]
    if is_missing(row["launch_date"]):
        return (nan, nan, nan, nan, nan, "no_launch", None)
    if is_missing(db) or is_missing(da) or db <= 0 or da <= 0:
        return (nan, nan, nan, nan, nan, "not_both_sides", None)
    if is_missing(row["before"]) or is_missing(row["after"]):  # withheld for the public
        before, after = (
            nan if is_missing(row[side]) else row[side] / days * MONTH_DAYS
            for side, days in (("before", db), ("after", da))
        )
        return (before, after, nan, nan, nan, None, None)
    before, after = row["before"] / db * MONTH_DAYS, row["after"] / da * MONTH_DAYS
    if row["before"] == 0 or row["after"] == 0:
        # No ratio against none: it would be 0 or infinite, whatever its interval.
        side = "none_before" if row["before"] == 0 else "none_after"
        if row["before"] == 0 and row["after"] == 0:
            side = "none_either"
        return (before, after, nan, nan, nan, side, None)
    method = stats.rate_ratio_method(row["after"], row["before"])
    ratio, lower, upper = stats.rate_ratio(row["after"], da, row["before"], db, method=stats.AUTO)
    if lower > 1:
        reading = "more_after"
    elif upper < 1:
        reading = "fewer_after"
    else:
        reading = "no_significant_change"
    return (before, after, ratio, lower, upper, reading, method)


def before_after_sentence(row: pd.Series, records: str) -> str:
    """E.g. "Contacts with Eastern European residents: 2.3 a month before the launch on
    12 Apr 2021 and 9.3 a month after: 4.04 times as many (95% CI 2.70 to 6.05)."."""
    forms = _noun_forms(records)
    if registry.is_community(row["community"]):
        head = text.t("trends_sentence.ba_head", people=text.people_mid(row["community"]), **forms)
    else:
        head = text.t("trends_sentence.ba_head_all", **forms)
    launch = row["launch_date"]
    if is_missing(launch):
        when = text.t("trends_sentence.ba_launch")
    else:
        when = text.t("trends_sentence.ba_launch_on", date=_day(launch))
    before, after = row["per_month_before"], row["per_month_after"]
    if is_missing(before) or is_missing(after):
        hidden = row.get(f"per_month_before{NOTE_SUFFIX}")
        reason = _note_or_reading(hidden, row.get("reading"))
        reason = reason or text.t("trends_sentence.ba_not_available")
        return text.t("trends_sentence.ba_missing", head=head, reason=reason)
    rates = text.t(
        "trends_sentence.ba_rates",
        head=head,
        before=text.number(before, 1),
        launch=when,
        after=text.number(after, 1),
    )
    ratio = row["rate_ratio"]
    if is_missing(ratio):
        note = _note_or_reading(row.get(f"rate_ratio{NOTE_SUFFIX}"), row.get("reading"))
        return text.t("trends_sentence.ba_no_ratio", rates=rates, reason=note)
    return text.t(
        "trends_sentence.ba_ratio",
        rates=rates,
        ratio=text.number(ratio, 2),
        lower=text.number(row["rate_ratio_lower"], 2),
        upper=text.number(row["rate_ratio_upper"], 2),
        reading=text.label("before_after", row["reading"]),
    )


def _note_or_reading(note: object, reading: object) -> str:
    """Why a figure is missing, in words: its disclosure note, else the reading."""
    if not is_missing(note) and note:
        return text.label("note", note)
    return "" if is_missing(reading) or not reading else text.label("before_after", reading)


def before_after_note(records: str) -> str:
    """How the before/after table is made, under it."""
    return text.t(
        "trends_page.before_after_note", n=stats.EXACT_RATE_RATIO_BELOW, **_noun_forms(records)
    )


def before_after_display(shown: pd.DataFrame) -> pd.DataFrame:
    frame = shown.copy()
    frame["community_label"] = frame["community"].map(_people)
    frame["channel_label"] = frame["channel"].map(
        lambda c: text.label("channel_all" if c == "all" else "channel", c)
    )
    return readable(
        frame,
        [
            Col(text.t("trends_table.community"), ("community_label",), "text"),
            Col(text.t("trends_table.channel"), ("channel_label",), "text"),
            Col(text.t("trends_table.before"), ("before",)),
            Col(text.t("trends_table.after"), ("after",)),
            Col(text.t("trends_table.per_month_before"), ("per_month_before",), "rate"),
            Col(text.t("trends_table.per_month_after"), ("per_month_after",), "rate"),
            Col(
                text.t("trends_table.rate_ratio"),
                ("rate_ratio", "rate_ratio_lower", "rate_ratio_upper"),
                "ratio",
            ),
            Col(text.t("trends_table.reading"), ("reading",), "text", "before_after"),
            Col(text.t("rate_ratio_method.column"), ("method",), "text", "rate_ratio_method"),
        ],
    )


def trends_alt(shown: pd.DataFrame, records: str, scale: str) -> str:
    names = text.join_names([_people(c) for c in dict.fromkeys(shown["community"])])
    return text.t(
        "trends_chart.alt",
        scale=SCALE_LABELS[scale].lower(),
        names=names,
        reading=monthly_sentence(shown, records, scale),
        **_noun_forms(records),
    )
