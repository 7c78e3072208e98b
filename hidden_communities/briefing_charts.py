"""The briefing's two small charts as PNG images, drawn with matplotlib (Agg: no screen, no
browser, no network), from frames that have been through disclosure control.

Colour is never the only cue: each community has its own marker shape too, and every
chart has a text alternative built from the same numbers (`*_alt`).
"""

from __future__ import annotations

import io
import math

import pandas as pd

from . import registry, scorecard, text
from .tables import is_missing

MARKERS = ("o", "s", "^", "D", "v", "P")
DPI = 200


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 7,
            "axes.titlesize": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",
        }
    )
    return plt


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return out.getvalue()


def _marker(code: str) -> str:
    codes = registry.codes()
    return MARKERS[codes.index(code) % len(MARKERS)] if code in codes else "o"


def ratio_rows(card: pd.DataFrame) -> pd.DataFrame:
    """The contact and report representation ratios of each community, this period."""
    wanted = ("contact_ratio", "report_ratio")
    rows = card[card["indicator"].isin(wanted) & card["community"].map(registry.is_community)]
    return rows.reset_index(drop=True)


def ratio_chart(card: pd.DataFrame) -> bytes:
    """Forest plot: contact and report representation ratios with 95% intervals, a line at
    1 (their share of the population) and each ratio target as a tick."""
    plt = _pyplot()
    rows = ratio_rows(card)
    fig, ax = plt.subplots(figsize=(3.8, 1.7))
    labels = []
    for y, (_, row) in enumerate(rows.iterrows()):
        label = (
            f"{text.community(row['community'])}: {text.t('briefing.chart.' + row['indicator'])}"
        )
        labels.append(label)
        colour, marker = registry.colour(row["community"]), _marker(row["community"])
        if is_missing(row["value"]):
            ax.text(1, y, text.label("note", "too_few_to_say"), va="center", ha="center", size=6)
        else:
            ax.errorbar(
                row["value"],
                y,
                xerr=[[row["value"] - row["lower"]], [row["upper"] - row["value"]]],
                fmt=marker,
                color=colour,
                ecolor="#1a1a1a",
                elinewidth=1,
                capsize=2,
                markersize=4,
            )
        if not is_missing(row.get("target_comparison")) and row.get("target_comparison"):
            target = _target_value(row)
            if target is not None:
                ax.plot([target], [y], marker="|", color="#1a1a1a", markersize=9)
    ax.axvline(1, color="#444444", linewidth=0.8, linestyle="--")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(left=0)
    ax.set_xlabel(text.t("briefing.chart.ratio_axis"))
    ax.set_title(text.t("briefing.chart.ratio_title"), loc="left")
    return _png(fig)


def _target_value(row: pd.Series) -> float | None:
    if row["target_comparison"] == "within":
        return None
    value = row["target_value"]
    return None if is_missing(value) else float(value)


def ratio_alt(card: pd.DataFrame) -> str:
    parts = []
    for _, row in ratio_rows(card).iterrows():
        what = f"{text.people(row['community'])}, {text.t('briefing.chart.' + row['indicator'])}"
        if is_missing(row["value"]):
            parts.append(f"{what}: {text.label('note', 'too_few_to_say')}")
        else:
            shown = scorecard.value_text(row["value"], row["unit"], row["lower"], row["upper"])
            parts.append(f"{what}: {shown}")
    return text.t("briefing.chart.ratio_alt", values="; ".join(parts))


def monthly_chart(monthly: pd.DataFrame, events: pd.DataFrame) -> bytes:
    """Proactive contacts a month by community, with the campaign events as dotted lines."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(3.8, 1.7))
    for community, rows in monthly.groupby("community", sort=False):
        if not registry.is_community(community):
            continue
        values = pd.to_numeric(rows["events"], errors="coerce").astype(float)
        ax.plot(
            pd.to_datetime(rows["month"]),
            values,
            marker=_marker(community),
            markersize=2.5,
            linewidth=1.2,
            color=registry.colour(community),
            label=text.community(community),
        )
    top = ax.get_ylim()[1]
    for i, event in enumerate(events.sort_values("event_date").itertuples()):
        when = pd.Timestamp(event.event_date)
        ax.axvline(when, color="#444444", linewidth=0.6, linestyle=":")
        ax.text(
            when,
            top * (0.98 - 0.09 * (i % 3)),
            " " + text.label("event_short", event.kind),
            size=5.5,
            va="top",
        )
    ax.set_ylim(bottom=0)
    ax.set_ylabel(text.t("briefing.chart.monthly_axis"))
    ax.set_title(text.t("briefing.chart.monthly_title"), loc="left")
    ax.legend(frameon=False, fontsize=5.5, loc="upper left")
    fig.autofmt_xdate(rotation=0, ha="center")
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    # Month names in the briefing's language (matplotlib's own are English).
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda x, _pos: text.date(mdates.num2date(x).date(), "month_short").replace(" ", "\n")
        )
    )
    return _png(fig)


def monthly_alt(monthly: pd.DataFrame, events: pd.DataFrame) -> str:
    parts = []
    for community, rows in monthly.groupby("community", sort=False):
        if not registry.is_community(community) or rows.empty:
            continue
        values = pd.to_numeric(rows["events"], errors="coerce")
        first, last = pd.to_datetime(rows["month"]).min(), pd.to_datetime(rows["month"]).max()
        peak = values.max()
        parts.append(
            text.t(
                "briefing.chart.monthly_alt_part",
                people=text.people(community),
                total=text.number(int(values.sum())),
                first=text.date(first.date(), "month_short"),
                last=text.date(last.date(), "month_short"),
                peak=text.number(0 if math.isnan(peak) else int(peak)),
            )
        )
    named = "; ".join(
        f"{text.date(pd.Timestamp(e.event_date).date(), 'short')} "
        f"{text.label('event_kind', e.kind).lower()}"
        for e in events.sort_values("event_date").itertuples()
    )
    return text.t(
        "briefing.chart.monthly_alt",
        parts=" ".join(parts),
        events=named or text.t("briefing.chart.no_events"),
    )
