"""Trends: monthly contacts and crime reports per community, campaign events on the time
axis, before/after the campaign launch, and the recent-trend arrow.

Each function takes the frame a `queries/trend_*.sql` file returns; the chart builders take
the disclosed frame, so a chart never sees a hidden number. No streamlit here.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import registry, stats, text, vocab
from .charts import base_layout
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


def _order(communities) -> list[str]:
    return [*registry.ordered(communities), registry.ALL_RESIDENTS]


def _check_records(records: str) -> None:
    # The records choice picks columns by name: only the known ones.
    if records not in RECORD_NOUNS:
        raise ValueError(f"records must be one of {tuple(RECORD_NOUNS)}, got {records!r}")


# ------------------------------------------------------------------------------ monthly

MONTHLY_SPEC = DisclosureSpec(
    counts=("events", "recorded"),
    derived=dict.fromkeys(("rate", "rate_lower", "rate_upper"), "events"),
    # A community's months add up to its total for the period, shown on the overview.
    groups=("community",),
    totals_shown=True,
    public_columns=("residents", "days", "month_days"),
)


def monthly(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per month and community: the count and the rate per 1,000 residents of the
    community in that month (where a census count exists), with 95% intervals.

    For all residents the count is every record; for a community, the records that name it.
    """
    _check_records(records)
    rows = raw[raw["community"].isin(_order(communities))].copy()
    out = pd.DataFrame(
        {
            "month": pd.to_datetime(rows["month"]),
            "community": rows["community"].astype(str),
            "days": rows["days"].astype("int64"),
            "month_days": rows["month_days"].astype("int64"),
            "events": rows[records].astype("int64"),
            "recorded": rows[f"{records}_recorded"].astype("int64"),
            "residents": pd.to_numeric(rows["residents"]).astype("Float64"),
        }
    )
    out = stats.add_rate_intervals(out, "events", "residents", per=1000)
    order = {c: i for i, c in enumerate(_order(communities))}
    out["_order"] = out["community"].map(order)
    return out.sort_values(["_order", "month"]).drop(columns="_order").reset_index(drop=True)


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
    return (
        "Per 1,000 rates are shown for all residents only: with an area filter the chosen "
        "areas have no census count of the communities in this build's reference data (it "
        "has them for the whole district), so their panels show no rate. Switch to Count to "
        "see their numbers."
    )


def monthly_chart(shown: pd.DataFrame, events: pd.DataFrame, records: str, scale: str) -> go.Figure:
    """One panel per community: monthly bars, the 3-month rolling mean as a line, and the
    campaign events as dotted lines across every panel."""
    frame = with_rolling(shown, scale)
    communities = list(dict.fromkeys(frame["community"]))
    titles = [_people(c) for c in communities]
    fig = make_subplots(
        rows=len(communities),
        cols=1,
        shared_xaxes=True,
        subplot_titles=titles,
        vertical_spacing=0.22 / max(len(communities), 1),
    )
    unit = RECORD_NOUNS[records] if scale == "count" else f"{RECORD_NOUNS[records]} per 1,000"
    for i, community in enumerate(communities, start=1):
        rows = frame[frame["community"] == community]
        colour = registry.colour(community)
        hover = [_month_hover(r, records, scale) for _, r in rows.iterrows()]
        fig.add_bar(
            x=rows["month"],
            y=rows["value"],
            marker_color=colour,
            opacity=0.35,
            name="Month" if scale == "count" else "Month (per 1,000)",
            legendgroup="month",
            showlegend=i == 1,
            row=i,
            col=1,
            hovertext=hover,
            hoverinfo="text",
            xperiod="M1",
            xperiodalignment="middle",
        )
        fig.add_scatter(
            x=rows["month"],
            y=rows["rolling"],
            mode="lines",
            row=i,
            col=1,
            line=dict(color=colour, width=3),
            name="3-month average",
            legendgroup="rolling",
            showlegend=i == 1,
            xperiod="M1",
            xperiodalignment="middle",
            hovertemplate="%{y:,.2f} (3-month average)<extra></extra>",
        )
        fig.update_yaxes(title_text="", rangemode="tozero", row=i, col=1)
    _mark_events(fig, events)
    base_layout(fig, title=f"Monthly {unit}, by community", height=190 * len(communities) + 230)
    # Panel titles on the left, event labels above the top panel, the legend below.
    fig.update_annotations(selector=dict(text=titles[0]), x=0, xanchor="left")
    for title in titles[1:]:
        fig.update_annotations(selector=dict(text=title), x=0, xanchor="left")
    fig.update_layout(
        bargap=0.15,
        margin=dict(t=150, b=70),
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.05, xanchor="left", x=0),
    )
    fig.update_xaxes(dtick="M3", tickformat="%b %Y")
    return fig


def _month_hover(row: pd.Series, records: str, scale: str) -> str:
    month = f"{row['month']:%b %Y}"
    if row["days"] < row["month_days"]:
        month += f" (part month: {row['days']} of {row['month_days']} days)"
    count = row["events"]
    count_text = row.get(f"events{NOTE_SUFFIX}") or "" if is_missing(count) else f"{int(count):,}"
    text = f"{month}<br>{count_text} {RECORD_NOUNS[records]}"
    if scale == "rate":
        rate = row["rate"]
        if is_missing(rate):
            text += "<br>no rate: " + (
                str(row.get(f"rate{NOTE_SUFFIX}") or "") or "no census count"
            )
        else:
            text += (
                f"<br>{rate:.2f} per 1,000 (95% CI {row['rate_lower']:.2f} to "
                f"{row['rate_upper']:.2f})"
            )
    return text


def _mark_events(fig: go.Figure, events: pd.DataFrame) -> None:
    """Dotted lines at each campaign event across every panel, labelled in a band above the
    top panel; labels close in time are stacked so they do not overlap."""
    last, level = None, 0
    for _, event in events.sort_values("event_date").iterrows():
        when = pd.Timestamp(event["event_date"])
        level = level + 1 if last is not None and (when - last).days < 75 else 0
        last = when
        fig.add_vline(x=when.timestamp() * 1000, line=dict(color="#444444", width=1, dash="dot"))
        fig.add_annotation(
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
            hovertext=f"{when:%-d %b %Y}: {event['title']}",
        )


def monthly_display(shown: pd.DataFrame, scale: str) -> pd.DataFrame:
    frame = with_rolling(shown, scale)
    frame["month_label"] = [
        f"{m:%b %Y}" + ("" if d == md else f" (part: {d} of {md} days)")
        for m, d, md in zip(frame["month"], frame["days"], frame["month_days"], strict=True)
    ]
    frame["community_label"] = frame["community"].map(_people)
    fmt = "count" if scale == "count" else "rate"
    return readable(
        frame,
        [
            Col("Month", ("month_label",), "text"),
            Col("Community", ("community_label",), "text"),
            Col("Count", ("events",)),
            Col("Residents (Census 2021)", ("residents",)),
            Col("Per 1,000 (95% CI)", ("rate", "rate_lower", "rate_upper"), "rate"),
            Col("3-month average", ("rolling",), fmt if scale == "rate" else "rate"),
        ],
    )


def monthly_sentence(shown: pd.DataFrame, records: str, scale: str) -> str:
    """Each community's latest 3-month average, against the same three months a year
    earlier where the period reaches back that far."""
    frame = with_rolling(shown, scale)
    unit = "a month" if scale == "count" else "per 1,000 a month"
    parts = []
    for community, rows in frame.groupby("community", sort=False):
        known = rows.dropna(subset=["rolling"])
        if known.empty:
            continue
        latest = known.iloc[-1]
        text = (
            f"{_people(community)} {latest['rolling']:,.1f} {unit} in the three months to "
            f"{latest['month']:%b %Y}"
        )
        earlier = known[known["month"] == latest["month"] - pd.DateOffset(years=1)]
        if len(earlier):
            text += f" (a year before: {earlier.iloc[0]['rolling']:,.1f})"
        parts.append(text)
    if not parts:
        return "Too few months with figures to show a 3-month average."
    return f"{RECORD_NOUNS[records].capitalize()}, 3-month average: " + "; ".join(parts) + "."


# ------------------------------------------------------------------------------ trend arrows

TREND_SPEC = DisclosureSpec(
    counts=("events", "recorded"),
    derived=dict.fromkeys(("direction", "statistic", "p_value"), "events"),
    totals_shown=False,
)


def recent_trends(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per community: the test for a linear trend in its share of the records over the
    latest five months of the period (stats.trend_test, 99.8%)."""
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
    people, noun = _people(row["community"]), RECORD_NOUNS[records]
    direction = row["direction"]
    if is_missing(direction):
        note = text.label("note", row.get(f"direction{NOTE_SUFFIX}") or stats.TOO_FEW_TO_SAY)
        return (
            f"– {people}: {note} (fewer than {stats.MIN_NUMERATOR} {noun} in the last five months)."
        )
    span = "the five months " + (
        f"{row['first_month']:%b %Y} to {row['last_month']:%b %Y}"
        if not is_missing(row["first_month"])
        else "available"
    )
    if direction == stats.CANNOT_BE_CALCULATED:
        return (
            f"– {people}: trend cannot be calculated (it needs five months, each with "
            f"{noun} that record who was involved)."
        )
    test = f"chi-square for trend {row['statistic']:.1f}, p = {row['p_value']:.3g}"
    words = {stats.INCREASING: "rose", stats.DECREASING: "fell"}.get(direction)
    if words:
        return f"{ARROWS[direction]} {people}: their share of {noun} {words} over {span} ({test})."
    return f"→ {people}: no significant change in their share of {noun} over {span} ({test})."


# ------------------------------------------------------------------------------ before/after

BEFORE_AFTER_SPEC = DisclosureSpec(
    counts=("before", "after"),
    derived={
        "per_month_before": "before",
        "per_month_after": "after",
        **dict.fromkeys(
            ("rate_ratio", "rate_ratio_lower", "rate_ratio_upper", "reading"), ("after", "before")
        ),
    },
    # Channels add up to the community's all-channel row, which is shown.
    groups=("community",),
    totals_shown=True,
    public_columns=("days_before", "days_after"),
)


def before_after(raw: pd.DataFrame, records: str, communities) -> pd.DataFrame:
    """Per community and channel: records a month before and after the campaign launch, and
    the rate ratio after/before with its 95% Katz interval (stats.rate_ratio)."""
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
            "before": rows["before"].astype("int64"),
            "after": rows["after"].astype("int64"),
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
    return out


def _rate_ratio(row: pd.Series) -> tuple:
    nan = math.nan
    db, da = row["days_before"], row["days_after"]
    if is_missing(row["launch_date"]):
        return (nan, nan, nan, nan, nan, "no_launch")
    if is_missing(db) or is_missing(da) or db <= 0 or da <= 0:
        return (nan, nan, nan, nan, nan, "not_both_sides")
    before, after = row["before"] / db * MONTH_DAYS, row["after"] / da * MONTH_DAYS
    ratio, lower, upper = stats.rate_ratio(row["after"], da, row["before"], db)
    if math.isnan(lower):
        side = "none_before" if row["before"] == 0 else "none_after"
        if row["before"] == 0 and row["after"] == 0:
            side = "none_either"
        return (before, after, nan, nan, nan, side)
    if lower > 1:
        reading = "more_after"
    elif upper < 1:
        reading = "fewer_after"
    else:
        reading = "no_significant_change"
    return (before, after, ratio, lower, upper, reading)


def before_after_sentence(row: pd.Series, records: str) -> str:
    """E.g. "Contacts with Eastern European residents: 2.3 a month before the launch on
    12 Apr 2021 and 9.3 a month after: 4.04 times as many (95% CI 2.70 to 6.05)."."""
    noun = RECORD_NOUNS[records]
    head = f"{noun[0].upper() + noun[1:]} " + (
        f"with {text.people_mid(row['community'])}"
        if registry.is_community(row["community"])
        else "(all residents)"
    )
    launch = row["launch_date"]
    when = "the launch" if is_missing(launch) else f"the launch on {launch:%-d %b %Y}"
    before, after = row["per_month_before"], row["per_month_after"]
    if is_missing(before) or is_missing(after):
        hidden = row.get(f"per_month_before{NOTE_SUFFIX}")
        reason = _note_or_reading(hidden, row.get("reading")) or "not available"
        return f"{head}: {reason}."
    sentence = f"{head}: {before:,.1f} a month before {when} and {after:,.1f} a month after"
    ratio = row["rate_ratio"]
    if is_missing(ratio):
        note = _note_or_reading(row.get(f"rate_ratio{NOTE_SUFFIX}"), row.get("reading"))
        return f"{sentence}; no ratio ({note})."
    return (
        f"{sentence}: {ratio:.2f} times as many (95% CI {row['rate_ratio_lower']:.2f} to "
        f"{row['rate_ratio_upper']:.2f}), {text.label('before_after', row['reading'])}."
    )


def _note_or_reading(note: object, reading: object) -> str:
    """Why a figure is missing, in words: its disclosure note, else the reading."""
    if not is_missing(note) and note:
        return text.label("note", note)
    return "" if is_missing(reading) or not reading else text.label("before_after", reading)


def before_after_display(shown: pd.DataFrame) -> pd.DataFrame:
    frame = shown.copy()
    frame["community_label"] = frame["community"].map(_people)
    frame["channel_label"] = frame["channel"].map(
        lambda c: text.label("channel_all" if c == "all" else "channel", c)
    )
    return readable(
        frame,
        [
            Col("Community", ("community_label",), "text"),
            Col("Channel", ("channel_label",), "text"),
            Col("Before the launch", ("before",)),
            Col("After", ("after",)),
            Col("A month before", ("per_month_before",), "rate"),
            Col("A month after", ("per_month_after",), "rate"),
            Col(
                "Rate ratio after/before (95% CI)",
                ("rate_ratio", "rate_ratio_lower", "rate_ratio_upper"),
                "ratio",
            ),
            Col("Reading", ("reading",), "text", "before_after"),
        ],
    )


def trends_alt(shown: pd.DataFrame, records: str, scale: str) -> str:
    names = ", ".join(_people(c) for c in dict.fromkeys(shown["community"]))
    return (
        f"Bar charts of monthly {RECORD_NOUNS[records]} ({SCALE_LABELS[scale].lower()}) for "
        f"{names}, with a 3-month average line and dotted lines at campaign events. "
        + monthly_sentence(shown, records, scale)
    )
