"""The leadership scorecard: one row per community and indicator, for a period against the
previous period of the same length and the same period a year earlier, with significance
against all residents and against the district's targets, the recent direction, a
red/amber/green colour and the red-red flag. No streamlit here.

The rules (docs/methods.md, "The leadership scorecard and the one-page briefing"; the page
says them too):

- **Against the target** (`rag`): green when the 95% interval lies wholly on the meeting
  side of the target (significantly meeting it), red when wholly on the missing side
  (significantly missing it), amber when it spans the target. For a `within` target the
  meeting side is the band around the expected value: green when the interval lies inside
  it, red when wholly outside, amber otherwise. `too_few_to_say` (never coloured) when the
  numerator is under 10 or there is no figure; `no_target` when no target is active.
- **Against all residents** (`vs_comparator`): better, similar or worse when the interval
  lies wholly above, across or below the value for all residents (the overlapping-interval
  rule of stats.compare_to_benchmark, turned by the indicator's good direction).
- **Direction** (`direction`): this period against the previous one of the same length,
  at 95%: a rate ratio for a rate, Newcombe's difference for a proportion. Improving or
  worsening when the interval excludes no change, by the indicator's good direction.
- **Red-red** (`flag`): significantly worse than the target or than all residents, and
  getting significantly worse (as Fingertips flags it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from . import indicator_registry as ir
from . import registry, stats, text
from .disclosure import DisclosureSpec
from .periods import Period
from .tables import Col, is_missing, note_of, readable
from .targets import AT_LEAST, AT_MOST, WITHIN, Target, active, as_written

GREEN, AMBER, RED = "green", "amber", "red"
TOO_FEW = stats.TOO_FEW_TO_SAY
NO_TARGET = "no_target"
RAG = (GREEN, AMBER, RED, TOO_FEW, NO_TARGET)
BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not_compared"
IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no_significant_change"
CANNOT = stats.CANNOT_BE_CALCULATED
RED_RED = "red_red"

# Cell colours: pale fills with near-black text (contrast well above WCAG AA's 4.5:1),
# and a dark red with white text for red-red. The word is always in the cell as well.
RAG_STYLE = {
    GREEN: ("#CDEBD3", "#0B1F10"),
    AMBER: ("#FFE3A3", "#1F1600"),
    RED: ("#F6C6C0", "#2B0500"),
    RED_RED: ("#8B1A1A", "#FFFFFF"),
}

PERIODS = ("", "_previous", "_year")
_VALUES = ("value", "lower", "upper")

SCORECARD_SPEC = DisclosureSpec(
    counts=tuple(f"{c}{p}" for p in PERIODS for c in ("events", "base")) + ("comparator_events",),
    derived={
        **{f"{v}{p}": (f"events{p}", f"base{p}") for p in PERIODS for v in _VALUES},
        **dict.fromkeys(("expected", "rag", "vs_comparator", "flag"), "events"),
        **dict.fromkeys(("direction", "change", "change_lower", "change_upper"), "events"),
        **dict.fromkeys(("count_ratio", "count_ratio_lower", "count_ratio_upper"), "events"),
        "comparator_value": "comparator_events",
    },
    totals_shown=False,
    public_columns=("target_value", "target_line"),
)


def versus_target(indicator: ir.Indicator, target: Target | None, m: Mapping) -> str:
    """green / amber / red against a target, too_few_to_say or no_target (see the module)."""
    if target is None:
        return NO_TARGET
    if _too_few(m):
        return TOO_FEW
    low, high = target.band()
    lower, upper = m["lower"], m["upper"]
    if target.comparison == AT_LEAST:
        meets, misses = lower > low, upper < low
    elif target.comparison == AT_MOST:
        meets, misses = upper < high, lower > high
    else:  # within: the interval inside the band, or wholly outside it
        meets, misses = low <= lower and upper <= high, upper < low or lower > high
    if meets:
        return GREEN
    return RED if misses else AMBER


def _too_few(m: Mapping) -> bool:
    return (
        is_missing(m["events"])
        or m["events"] < stats.MIN_NUMERATOR
        or any(is_missing(m[k]) for k in _VALUES)
    )


def versus_comparator(indicator: ir.Indicator, comparator: float, m: Mapping) -> str:
    if indicator.comparator is None:
        return NOT_COMPARED
    if _too_few(m):
        return TOO_FEW
    side = stats.compare_to_benchmark(m["lower"], m["upper"], comparator)
    if side == stats.CANNOT_BE_CALCULATED:
        return CANNOT
    if side == stats.SIMILAR:
        return SIMILAR
    return BETTER if (side == stats.HIGHER) == indicator.higher_is_better else WORSE


def direction(indicator: ir.Indicator, now: Mapping, before: Mapping, change: tuple) -> str:
    kind, estimate, lower, upper = change
    if _too_few(now) or _too_few(before):
        return TOO_FEW
    if any(is_missing(v) or math.isinf(v) for v in (estimate, lower, upper)):
        return CANNOT
    no_change = 1.0 if kind == "rate_ratio" else 0.0
    if lower > no_change:
        rising = True
    elif upper < no_change:
        rising = False
    else:
        return NO_CHANGE
    return IMPROVING if rising == indicator.higher_is_better else WORSENING


def red_red(rag: str, vs_comparator: str, trend: str) -> bool:
    return trend == WORSENING and (rag == RED or vs_comparator == WORSE)


def build(
    counts: Mapping[str, pd.DataFrame],
    targets: list[Target],
    period: Period,
    communities=None,
) -> pd.DataFrame:
    """The scorecard from the `scorecard_counts` results of the three periods (`counts`
    keyed "now", "previous" and "year"), the targets and the period shown."""
    by = {k: ir.counts_by_population(v) for k, v in counts.items()}
    live = {(t.community, t.indicator): t for t in active(targets, period)}
    chosen = registry.ordered(communities or registry.codes())
    rows = []
    for population in (*chosen, registry.ALL_RESIDENTS):
        for indicator in ir.INDICATORS.values():
            if population not in ir.rows_for(indicator):
                continue
            rows.append(_row(indicator, population, by, live.get((population, indicator.code))))
    return pd.DataFrame(rows, columns=COLUMNS)


COLUMNS = [
    "community",
    "indicator",
    "unit",
    *[f"{c}{p}" for p in PERIODS for c in ("events", "base", *_VALUES)],
    "expected",
    "comparator_events",
    "comparator_value",
    "vs_comparator",
    "change_kind",
    "change",
    "change_lower",
    "change_upper",
    "direction",
    "count_ratio",
    "count_ratio_lower",
    "count_ratio_upper",
    "target_comparison",
    "target_value",
    "target_owner",
    "target_line",
    "rag",
    "flag",
]


def _row(indicator: ir.Indicator, population: str, by: Mapping, target: Target | None) -> dict:
    empty: dict = {"covered": False}
    now = by["now"].get(population, empty)
    previous = by["previous"].get(population, empty)
    measured = {p: indicator.measure(by[k].get(population, empty)) for p, k in _KEYS}
    comparator_row = by["now"].get(registry.ALL_RESIDENTS, empty)
    comparator = indicator.comparator_value(comparator_row)
    comparator_events = (
        math.nan if indicator.comparator is None else indicator.measure(comparator_row)["events"]
    )
    change = indicator.change(now, previous)
    m = measured[""]
    rag = versus_target(indicator, target, m)
    vs_comparator = versus_comparator(indicator, comparator, m)
    trend = direction(indicator, m, measured["_previous"], change)
    count_ratio = _count_ratio(m, measured["_previous"], now, previous)
    row = {
        "community": population,
        "indicator": indicator.code,
        "unit": indicator.unit,
        "expected": ir.expected_reports(now) if indicator.code == "reporting_gap" else math.nan,
        "comparator_events": comparator_events,
        "comparator_value": comparator,
        "vs_comparator": vs_comparator,
        "change_kind": change[0],
        "change": change[1],
        "change_lower": change[2],
        "change_upper": change[3],
        "direction": trend,
        "count_ratio": count_ratio[0],
        "count_ratio_lower": count_ratio[1],
        "count_ratio_upper": count_ratio[2],
        "target_comparison": target.comparison if target else None,
        "target_value": target.value if target else math.nan,
        "target_owner": target.owner if target else None,
        "target_line": target.line if target else None,
        "rag": rag,
        "flag": RED_RED if red_red(rag, vs_comparator, trend) else "",
    }
    for suffix, values in measured.items():
        for key in ("events", "base", *_VALUES):
            row[f"{key}{suffix}"] = values[key]
    return row


_KEYS = (("", "now"), ("_previous", "previous"), ("_year", "year"))


def _count_ratio(m: Mapping, before: Mapping, now: Mapping, previous: Mapping) -> tuple:
    """Records a day this period against the previous one (the numerator's own change),
    with its 95% interval (exact under 10 events, else Katz): for the findings."""
    nan = (math.nan, math.nan, math.nan)
    if _too_few(m) or is_missing(before["events"]) or before["events"] <= 0:
        return nan
    ratio, lower, upper = stats.rate_ratio(
        m["events"], now["days"], before["events"], previous["days"], method=stats.AUTO
    )
    return (
        nan
        if any(math.isinf(v) or math.isnan(v) for v in (ratio, lower, upper))
        else (
            ratio,
            lower,
            upper,
        )
    )


# ------------------------------------------------------------------------------ in words


def _formatted(value, fmt: str) -> str:
    """A number in the current language: a ratio to 2 places, a percentage or rate to 1."""
    if fmt == "percent":
        return text.percent(value, 1)
    return text.number(value, 2 if fmt == "ratio" else 1)


def value_text(value, unit: str, lower=None, upper=None, form: str = "interval") -> str:
    """A value in its unit, with its interval when given: "0.82 (0.71 to 0.94)"."""
    if is_missing(value):
        return ""
    fmt = {ir.RATIO: "ratio", ir.PERCENT: "percent"}.get(unit, "rate")
    shown = _formatted(value, fmt)
    if lower is None or is_missing(lower) or is_missing(upper):
        return shown
    if form == "interval_short" and fmt == "percent":  # "80.0% (71.6–86.4)"
        lower, upper, fmt = lower * 100, upper * 100, "rate"
    return text.t(
        f"scorecard.{form}",
        value=shown,
        lower=_formatted(lower, fmt),
        upper=_formatted(upper, fmt),
    )


def target_text(row: Mapping) -> str:
    """ "at least 0.80", "within 20% of expected", or "" with no target."""
    comparison = row.get("target_comparison")
    if is_missing(comparison) or not comparison:
        return ""
    value = row["target_value"]
    if comparison == WITHIN or row["unit"] == ir.PERCENT:
        shown = text.t("scorecard_words.percent", value=as_written(value))
    elif row["unit"] == ir.RATIO:
        shown = text.number(value, 2)
    else:
        shown = as_written(value)
    return text.t(f"comparison.{comparison}", value=shown)


def status_words(code) -> str:
    """A RAG, comparison or direction code in words ("" for none)."""
    if is_missing(code) or code == "":
        return ""
    return text.label("scorecard_status", code)


def _cell(row: pd.Series, column: str, note_default: str = "") -> str:
    """A code column in words, or why it is hidden. A row with no target reads "no target"
    and a hidden flag reads nothing (too few to say is never flagged)."""
    if column == "rag" and not _has_target(row):
        return status_words(NO_TARGET)
    value = row.get(column)
    if is_missing(value):
        note = row.get(f"{column}_note")
        if column == "flag":
            return ""
        return text.label("note", note) if not is_missing(note) and note else note_default
    return status_words(value)


def _has_target(row) -> bool:
    comparison = row.get("target_comparison")
    return not is_missing(comparison) and bool(comparison)


def display(
    shown: pd.DataFrame,
    period: Period,
    links: Mapping[int, str] | None = None,
    compact: bool = False,
) -> pd.DataFrame:
    """The scorecard as a text table (headers from the catalogue). `links` maps a row to
    the URL of the page that explains it; `compact` (the briefing) uses short indicator
    names and puts the all-resident value and its comparison in one cell."""
    frame = shown.copy()
    form = "interval_short" if compact else "interval"
    names = "indicator_short" if compact else "indicator"
    frame["community_words"] = [text.community(c) for c in frame["community"]]
    frame["events_words"] = [
        note_of(r, "events") if is_missing(r["events"]) else text.number(int(r["events"]))
        for _, r in frame.iterrows()
    ]
    frame["indicator_words"] = [text.t(f"{names}.{c}") for c in frame["indicator"]]
    for suffix in PERIODS:
        frame[f"shown{suffix}"] = [
            value_text(
                r[f"value{suffix}"], r["unit"], r[f"lower{suffix}"], r[f"upper{suffix}"], form
            )
            or _hidden_note(r, f"value{suffix}")
            for _, r in frame.iterrows()
        ]
    frame["comparator_words"] = [
        ""
        if ir.get(r["indicator"]).comparator is None
        else value_text(r["comparator_value"], r["unit"]) or _hidden_note(r, "comparator_value")
        for _, r in frame.iterrows()
    ]
    frame["target_words"] = [target_text(r) for _, r in frame.iterrows()]
    for column in ("vs_comparator", "direction", "rag", "flag"):
        frame[f"{column}_words"] = [_cell(r, column) for _, r in frame.iterrows()]
    if compact:  # the briefing: "at least 0.80: green" in one cell, nothing without a target
        frame["rag_words"] = [
            text.t("scorecard.compared", value=target, reading=rag) if target else ""
            for target, rag in zip(frame["target_words"], frame["rag_words"], strict=True)
        ]
        frame["comparator_words"] = [
            text.t("scorecard.compared", value=value, reading=reading)
            if value and reading != text.label("note", TOO_FEW)
            else value
            for value, reading in zip(
                frame["comparator_words"], frame["vs_comparator_words"], strict=True
            )
        ]
    frame["link"] = [(links or {}).get(i, "") for i in range(len(frame))]
    t = text.t
    columns = [
        Col(t("scorecard.col.community"), ("community_words",), "text"),
        Col(t("scorecard.col.indicator"), ("indicator_words",), "text"),
        Col(t("scorecard.col.count"), ("events_words",), "text"),
        Col(t("scorecard.col.now"), ("shown",), "text"),
        Col(t("scorecard.col.previous"), ("shown_previous",), "text"),
        Col(t("scorecard.col.year"), ("shown_year",), "text"),
        Col(t("scorecard.col.comparator"), ("comparator_words",), "text"),
        Col(t("scorecard.col.vs_comparator"), ("vs_comparator_words",), "text"),
        Col(t("scorecard.col.direction"), ("direction_words",), "text"),
        Col(t("scorecard.col.target"), ("target_words",), "text"),
        Col(t("scorecard.col.rag"), ("rag_words",), "text"),
        Col(t("scorecard.col.flag"), ("flag_words",), "text"),
    ]
    if compact:
        del columns[9]  # the target is in the "against target" cell
        del columns[7]  # the comparison is in the "all residents" cell
    else:  # on screen the colours come first, so they show without scrolling sideways
        columns = columns[:2] + columns[9:12] + columns[2:9]
    if links is not None:
        columns.append(Col(t("scorecard.col.link"), ("link",), "text"))
    return readable(frame, columns)


def _hidden_note(row: pd.Series, column: str) -> str:
    note = row.get(f"{column}_note")
    if not is_missing(note) and note:
        return text.label("note", note)
    if is_missing(row.get("events")) or not is_missing(row.get(column)):
        return text.t("scorecard.no_data")
    return text.label("note", TOO_FEW)


def colour_of(words: str) -> tuple[str, str] | None:
    """The fill and text colours of a RAG or flag cell from its words, alone or after the
    target ("at least 0.80: green"); None: no colour."""
    for code, colours in RAG_STYLE.items():
        said = status_words(code)
        if words == said or words.endswith(text.t("scorecard.compared", value="", reading=said)):
            return colours
    return None


def active_target_sentence(target: Target) -> str:
    """E.g. "Armed-forces veterans: contact representation ratio at least 0.80, 1 Apr 2021 to
    31 Mar 2022 (owner: neighbourhood inspector)"."""
    row = {
        "target_comparison": target.comparison,
        "target_value": target.value,
        "unit": ir.get(target.indicator).unit,
    }
    return text.t(
        "scorecard.target_line",
        people=text.people(target.community),
        indicator=text.t(f"indicator.{target.indicator}").lower(),
        target=target_text(row),
        start=text.date(target.period.start, "short"),
        end=text.date(target.period.end, "short"),
        owner=text.label("owner_role", target.owner),
    )


def rag_of(shown: pd.DataFrame, target: Target) -> str:
    """The colour of one active target in the (disclosed) scorecard, in words."""
    rows = shown[
        (shown["community"] == target.community) & (shown["indicator"] == target.indicator)
    ]
    if rows.empty:
        return ""
    return _cell(rows.iloc[0], "rag")


def drill_down(row: Mapping, period: Period, audience: str) -> tuple[str, dict[str, list[str]]]:
    """The page and URL parameters (codes) that explain a scorecard row."""
    indicator = ir.get(row["indicator"])
    params: dict[str, list[str]] = {
        "period": [period.start.isoformat(), period.end.isoformat()],
        "audience": [audience],
    }
    if registry.is_community(row["community"]):
        params["community"] = [row["community"]]
        if indicator.page == "under-representation":
            params["focus"] = [row["community"]]
            params["records"] = [indicator.records]
    for key, value in indicator.drill_params().items():
        params[key] = [value]
    return indicator.page, params


def period_label(period: Period) -> str:
    """A period as a choice: "Apr 2021 to Mar 2022"."""
    return text.t(
        "scorecard.period_option",
        start=text.date(period.start, "month_short"),
        end=text.date(period.end, "month_short"),
    )


def period_words(period: Period) -> str:
    """What the scorecard covers and compares with, in one sentence."""
    previous, year = period.previous(), period.year_earlier()
    days = {}
    for name, span in (("", period), ("previous_", previous), ("year_", year)):
        days[f"{name}start"] = text.date(span.start, "short")
        days[f"{name}end"] = text.date(span.end, "short")
    return text.t("scorecard.showing", **days)


def style(table: pd.DataFrame):
    """A pandas Styler colouring the RAG and flag cells of `display`'s table (the words stay
    in every cell: colour never carries the meaning alone)."""

    def paint(words: str) -> str:
        colours = colour_of(words)
        return f"background-color: {colours[0]}; color: {colours[1]}" if colours else ""

    columns = [c for c in (text.t("scorecard.col.rag"), text.t("scorecard.col.flag")) if c in table]
    return table.style.map(paint, subset=columns)
