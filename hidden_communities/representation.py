"""Under-representation: representation ratios per community (forest plot) with the census
baseline's own uncertainty, a funnel plot of areas, and the reporting gap.

The ratios are those of the overview (`indicators.overview`), so the two pages always agree.
The census baseline is treated as fixed inside every interval; where the census says how
many residents did not answer the question a baseline rests on (sexual orientation and
gender identity are voluntary), a sensitivity band shows how far the ratio would move if
every non-respondent were in the community, or none were. No streamlit here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import numbers as babel_numbers

from . import annual, flags, indicators, registry, stats, tables, text, vocab
from .areas_view import RECORD_NOUNS
from .charts import OKABE_ITO, SERIES_COLOURS, base_layout, base_layout_dict, white_template
from .disclosure import DisclosureSpec
from .tables import Col, heading, is_missing, note_of, numbers, readable

KINDS = {"contact": "contacts", "report": "reports"}
MARKERS = {"contact": "circle", "report": "diamond"}
# The user-set relative-risk factor of the reporting gap: its allowed range.
RISK_RANGE = (0.25, 4.0)


def _kind_noun(kind: str) -> str:
    """ "contacts" or "crime reports" in the current language."""
    return text.label("kind_noun", kind)


def _short(value: float) -> str:
    """A number with the decimals it needs, at most four (0.05, 0.25, 1, 2.5), in the
    current language: a tick or a factor the user chose, not a measured value."""
    places = next((d for d in range(4) if round(value, d) == value), 4)
    return text.number(value, places)


def _ratio(value: object) -> str:
    """A ratio as the tables write it (0.48; Polish 0,48); "" when missing."""
    return "" if is_missing(value) else text.number(value, 2)


def _localised(fig: go.Figure) -> go.Figure:
    """Axis numbers in the current language: plotly's decimal and group symbols."""
    locale = text.locale_code()
    symbols = babel_numbers.get_decimal_symbol(locale) + babel_numbers.get_group_symbol(locale)
    fig.update_layout(separators=symbols)
    return fig


def _reading(code: object) -> object:
    """A classification code in words (missing stays missing, for the chart to skip)."""
    return None if is_missing(code) else text.label("classification", code)


def _chosen(frame: pd.DataFrame, communities) -> pd.DataFrame:
    order = registry.ordered(communities)
    rows = frame[frame["community"].isin(order)].copy()
    rows["_o"] = rows["community"].map({c: i for i, c in enumerate(order)})
    return rows.sort_values("_o").drop(columns="_o").reset_index(drop=True)


# ------------------------------------------------------------------------------ forest

_BAND = [f"{k}_ratio_if_all" for k in KINDS]
FOREST_SPEC = DisclosureSpec(
    counts=indicators.OVERVIEW_SPEC.counts,
    derived={
        **indicators.OVERVIEW_SPEC.derived,
        "contact_ratio_if_all": ("contacts", "contacts_recorded"),
        "report_ratio_if_all": ("reports", "reports_recorded"),
        "contact_ratio_central": ("contacts", "contacts_recorded"),
        "report_ratio_central": ("reports", "reports_recorded"),
    },
    totals_shown=False,
    public_columns=(
        *indicators.OVERVIEW_SPEC.public_columns,
        "not_answered",
        "population_share_if_all",
        "population_share_central",
    ),
)


def forest(overview: pd.DataFrame, nonresponse: pd.DataFrame, communities) -> pd.DataFrame:
    """Per chosen community: the overview's ratios for contacts and reports, plus the ratio
    if every resident who did not answer the baseline's question were in the community
    (`{kind}_ratio_if_all`; "none were" is the ratio itself, the census count as published).

    `overview` is `indicators.overview(...)`; `nonresponse` is
    `queries/representation_census_nonresponse.sql`.
    """
    rows = _chosen(overview, communities)
    extra = nonresponse.set_index("community")
    not_answered = pd.to_numeric(rows["community"].map(extra["not_answered"]))
    # The band belongs to the primary measure's question: a community counted by another
    # census measure (census_measures) has none.
    if "measure" in rows and "measure" in extra:
        not_answered = not_answered.where(
            rows["measure"] == rows["community"].map(extra["measure"])
        )
    rows["not_answered"] = not_answered.astype("Float64")
    rows["population_share_if_all"] = (
        (rows["residents"] + rows["not_answered"]) / rows["population_base"]
    ).astype("Float64")
    # The central case: non-respondents resemble respondents, so the share is taken among
    # those who answered (LGBTQ+: 2,871 of 102,851 - 8,351 = 94,500, 3.04% of adults).
    rows["population_share_central"] = (
        rows["residents"] / (rows["population_base"] - rows["not_answered"])
    ).astype("Float64")
    for kind in KINDS:
        ratio = rows[f"{kind}_share"] / rows["population_share_if_all"]
        rows[f"{kind}_ratio_if_all"] = pd.to_numeric(ratio).astype(float)
        central = rows[f"{kind}_share"] / rows["population_share_central"]
        rows[f"{kind}_ratio_central"] = pd.to_numeric(central).astype(float)
    return rows


def forest_chart(shown: pd.DataFrame) -> go.Figure:
    """Ratios with 95% intervals on a log scale (0.5 and 2 equally far from 1), one row per
    community, contacts and reports side by side, and the census sensitivity band.

    Built from lists of traces, shapes and notes and one layout, in one go: each add_*
    or update_* call re-validates the layout (the chart took 60 ms that way)."""
    traces, shapes, notes = [], [], []
    n = len(shown)
    xs = [1.0]
    for kind, offset in (("contact", -0.15), ("report", 0.15)):
        ratio = pd.to_numeric(shown[f"{kind}_ratio"]).astype(float)
        lower = pd.to_numeric(shown[f"{kind}_ratio_lower"]).astype(float)
        upper = pd.to_numeric(shown[f"{kind}_ratio_upper"]).astype(float)
        few = pd.to_numeric(shown[KINDS[kind]], errors="coerce").fillna(0) < stats.MIN_NUMERATOR
        y = np.arange(n) + offset
        colour = SERIES_COLOURS[KINDS[kind]]
        readings = shown[f"{kind}_classification"].map(_reading).astype(object)
        hovers = [
            text.t(
                "repr_forest.hover",
                community=name,
                ratio=_ratio(r),
                lower=_ratio(lo),
                upper=_ratio(hi),
            )
            + ("" if is_missing(reading) else f"<br>{reading}")
            for name, r, lo, hi, reading in zip(
                shown["community_label"], ratio, lower, upper, readings, strict=True
            )
        ]
        _scatter(
            traces,
            x=ratio,
            y=y,
            mode="markers",
            name=text.t(f"repr_forest.trace.{kind}"),
            marker=dict(
                size=13,
                color=colour,
                line=dict(color=colour, width=2),
                symbol=[MARKERS[kind] + ("-open" if f else "") for f in few],
            ),
            error_x=dict(
                type="data",
                symmetric=False,
                array=(upper - ratio).tolist(),
                arrayminus=(ratio - lower).tolist(),
                color=colour,
                thickness=2,
                width=6,
            ),
            # Numbers written in the current language here, not by plotly's d3 formats.
            customdata=hovers,
            hovertemplate="%{customdata}<extra>" + _kind_noun(kind) + "</extra>",
        )
        xs += [v for v in (*lower, *upper) if np.isfinite(v) and v > 0]
        band = pd.to_numeric(shown[f"{kind}_ratio_if_all"]).astype(float)
        for i, (lo, hi) in enumerate(zip(band, ratio, strict=True)):
            if np.isfinite(lo) and np.isfinite(hi) and lo > 0:
                shapes.append(
                    dict(
                        type="rect",
                        x0=lo,
                        x1=hi,
                        y0=i + offset - 0.1,
                        y1=i + offset + 0.1,
                        fillcolor=colour,
                        opacity=0.18,
                        line=dict(width=0),
                        layer="below",
                    )
                )
                xs.append(lo)
        central = pd.to_numeric(shown[f"{kind}_ratio_central"]).astype(float)
        if np.isfinite(central).any():
            _scatter(
                traces,
                x=central,
                y=y,
                mode="markers",
                name=text.t("repr_forest.central"),
                legendgroup="central",
                showlegend=kind == "contact",
                marker=dict(symbol="line-ns-open", size=16, color="#1a1a1a", line=dict(width=2)),
                customdata=[
                    "" if is_missing(c) else text.t("repr_forest.central_hover", ratio=_ratio(c))
                    for c in central
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        _manski_lines(traces, shown, kind, y, colour, xs)
        for i, value in enumerate(ratio):
            if not np.isfinite(value):
                note = note_of(shown.iloc[i], f"{kind}_ratio") or text.t(
                    "repr_forest.not_available"
                )
                notes.append(
                    dict(
                        x=0,
                        xref="x domain",
                        y=i + offset,
                        text=f"{_kind_noun(kind)}: {note}",
                        showarrow=False,
                        xanchor="left",
                        font=dict(size=12),
                    )
                )
    if shown["population_share_if_all"].notna().any():
        _scatter(
            traces,
            x=[None],
            y=[None],
            mode="markers",
            name=text.t("repr_forest.band"),
            marker=dict(symbol="square", size=14, color="rgba(0,0,0,0.18)"),
        )
    # What add_vline draws: a line across the plot at 1.
    shapes.append(
        dict(
            type="line",
            x0=1,
            x1=1,
            xref="x",
            y0=0,
            y1=1,
            yref="y domain",
            line=dict(color="#1a1a1a", width=1.5, dash="dash"),
        )
    )
    notes.append(
        dict(
            x=math.log10(1),
            y=1,
            yref="paper",
            text=text.t("repr_forest.fair_share", one=text.number(1)),
            showarrow=False,
            yanchor="bottom",
            font=dict(size=12),
        )
    )
    lo, hi = min(xs), max(xs)
    reach = max(abs(math.log10(lo)), abs(math.log10(hi)), math.log10(2)) + 0.08
    # The classification in words, in a column at the right (colour is never the only cue).
    for kind, offset in (("contact", -0.15), ("report", 0.15)):
        words = shown[f"{kind}_classification"].map(_reading).astype(object)
        keep = words.notna().to_numpy()
        _scatter(
            traces,
            x=[10 ** (reach + 0.04)] * int(keep.sum()),
            y=(np.arange(n) + offset)[keep],
            mode="text",
            text=list(words[keep]),
            textposition="middle right",
            textfont=dict(size=12, color="#1a1a1a"),
            hoverinfo="skip",
            showlegend=False,
        )
    layout = base_layout_dict(title=text.t("repr_forest.title"), height=150 + 110 * max(n, 1))
    # Pairs either side of 1 (0.5 and 2, 0.2 and 5...), spaced so their labels never meet
    # (0.2 beside 0.25, or 4 beside 5, ran into each other).
    ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if abs(math.log10(t)) <= reach]
    layout["margin"]["b"] = 110
    layout.update(
        # Room on the right for the words; 1 stays where the ticks are symmetric about it.
        xaxis=dict(
            type="log",
            range=[-reach, reach + 0.6],
            tickvals=ticks,
            ticktext=[_short(t) for t in ticks],
            title=dict(text=text.t("repr_forest.axis", one=text.number(1))),
        ),
        yaxis=dict(
            tickvals=list(range(n)),
            ticktext=list(shown["community_label"]),
            autorange="reversed",
            title=dict(text=""),
            range=[n - 0.5, -0.5],
        ),
        legend=dict(orientation="h", yanchor="top", y=-0.25, xanchor="left", x=0),
        shapes=shapes,
        annotations=notes,
    )
    # Built unvalidated: every property is plotly's own name in its canonical form (the
    # same JSON as validated; validation cost 4 times the rest of the build).
    fig = go.Figure(data=traces, layout=layout, _validate=False)
    white_template(fig)
    return _localised(fig)


def _scatter(traces: list, **properties) -> None:
    """A scatter trace for a figure built in one go (validated once, when it is made)."""
    traces.append(go.Scatter(**properties, _validate=False))


def _manski_lines(traces: list, shown: pd.DataFrame, kind: str, y, colour: str, xs) -> None:
    """The Manski band, a thin dotted line from "none of the records that do not say who was
    involved were in the community" to "all of them were" (no chance in it)."""
    low = pd.to_numeric(shown.get(f"{kind}_ratio_none_unrecorded"), errors="coerce")
    high = pd.to_numeric(shown.get(f"{kind}_ratio_all_unrecorded"), errors="coerce")
    if low is None or high is None:
        return
    first = True
    for lo, hi, at in zip(low.astype(float), high.astype(float), y, strict=True):
        if not (np.isfinite(lo) and np.isfinite(hi) and lo > 0):
            continue
        _scatter(
            traces,
            x=[lo, hi],
            y=[at + 0.06, at + 0.06],
            mode="lines",
            line=dict(color=colour, width=1, dash="dot"),
            name=text.t("repr_forest.manski"),
            legendgroup=f"manski_{kind}",
            showlegend=first and kind == "contact",
            customdata=[_ratio(lo), _ratio(hi)],
            hovertemplate="%{customdata}<extra>" + text.t("repr_forest.manski_hover") + "</extra>",
        )
        first = False
        xs += [lo, hi]


def forest_sentences(shown: pd.DataFrame) -> list[str]:
    """One reading per community and kind (the overview's words), and the census band."""
    lines = []
    for _, row in shown.iterrows():
        for kind in KINDS:
            lines.append(indicators.overview_sentence(row, kind))
        band = band_sentence(row)
        if band:
            lines.append(band)
    return lines


def band_sentence(row: pd.Series) -> str | None:
    """E.g. "Census non-response: 8,351 adults answered neither way; if every one were in
    the community, LGBTQ+ residents would be 10.9% of adults rather than 2.8%, and the
    contact ratio 0.41 rather than 1.59 ...", then the central case and the source."""
    extra, high = row.get("not_answered"), row.get("population_share_if_all")
    if is_missing(extra) or is_missing(high):
        return None
    universe = registry.universe(row["community"])
    sentence = text.t(
        "repr_band.sentence",
        answered=text.plural(f"repr_band.answered.{universe}", int(extra)),
        people=text.people_mid(row["community"]),
        high=text.t(f"repr_share_of.{universe}", share=text.percent(high, 1)),
        share=text.percent(row["population_share"], 1),
    )
    ratios = [
        text.t(
            f"repr_band.ratio_then.{kind}",
            then=_ratio(row[f"{kind}_ratio_if_all"]),
            now=_ratio(row[f"{kind}_ratio"]),
        )
        for kind in KINDS
        if not (is_missing(row[f"{kind}_ratio"]) or is_missing(row[f"{kind}_ratio_if_all"]))
    ]
    if ratios:
        sentence += text.t("repr_band.ratios", ratios=text.join_names(ratios))
    sentence += "."
    central = row.get("population_share_central")
    if is_missing(central):
        return sentence
    centrals = [
        text.t(f"repr_band.ratio_central.{kind}", ratio=_ratio(row[f"{kind}_ratio_central"]))
        for kind in KINDS
        if not is_missing(row.get(f"{kind}_ratio_central"))
    ]
    share = text.t(f"repr_share_of.{universe}", share=text.percent(central, 2))
    return (
        f"{sentence} {text.t('repr_band.central', share=share)}"
        + (": " + text.join_names(centrals) if centrals else "")
        + ". "
        + text.t("census_band.source")
    )


def forest_columns() -> list[Col]:
    """The forest table's columns: the overview's, then the census band's. Built when the
    table is drawn, so every header is in the language of that run (a list built at import
    would keep the words of whichever session imported the module first)."""
    overview = list(indicators.OVERVIEW_COLUMNS)
    return [
        *overview[:-1],
        Col(heading("repr_table.nonrespondents"), ("not_answered",)),
        Col(heading("repr_table.share_if_all"), ("population_share_if_all",), "percent"),
        Col(heading("repr_table.contact_ratio_then"), ("contact_ratio_if_all",), "ratio"),
        Col(heading("repr_table.report_ratio_then"), ("report_ratio_if_all",), "ratio"),
        Col(heading("repr_table.share_central"), ("population_share_central",), "percent"),
        Col(heading("repr_table.contact_ratio_central"), ("contact_ratio_central",), "ratio"),
        Col(heading("repr_table.report_ratio_central"), ("report_ratio_central",), "ratio"),
        overview[-1],
    ]


def forest_display(shown: pd.DataFrame) -> pd.DataFrame:
    return readable(shown.assign(measure_label=indicators.measure_words(shown)), forest_columns())


def forest_alt(shown: pd.DataFrame) -> str:
    return text.t("repr_forest.alt", sentences=" ".join(forest_sentences(shown)))


# ------------------------------------------------------------------------------ funnel

# A community's share: the denominator is a count of records (hidden like any count). The
# p-values and flags are derived like the position; the spread of all the areas together
# (phi, tau2, the test for it, how many areas the flags allowed for) is public.
_FUNNEL_DERIVED = ("value", "position", "flag", "flag_p_value", "flag_p_adjusted")
FUNNEL_SHARE_SPEC = DisclosureSpec(
    counts=("events", "denominator"),
    derived=dict.fromkeys(_FUNNEL_DERIVED, ("events", "denominator")),
    totals_shown=True,
    area_level_column="area_level",
    public_columns=("overall", "flag_tested", *flags.LIMIT_COLUMNS),
)
# All residents' rate: the denominator is the census population (public).
FUNNEL_RATE_SPEC = DisclosureSpec(
    counts=("events",),
    derived=dict.fromkeys(_FUNNEL_DERIVED, "events"),
    totals_shown=True,
    area_level_column="area_level",
    public_columns=("denominator", "overall", "per", "days", "flag_tested", *flags.LIMIT_COLUMNS),
)


def funnel_spec(community: str) -> DisclosureSpec:
    return FUNNEL_RATE_SPEC if community == vocab.ALL_RESIDENTS else FUNNEL_SHARE_SPEC


LIMIT_LEVELS = (0.95, 0.998)


def limits_help() -> str:
    """What the funnel's limits choice does, for its help tooltip."""
    return text.t("funnel_sentence.limits_help")


def _kind(community: str, days: int | None = None) -> tuple[str, float]:
    """The funnel's kind and multiplier: rates per 1,000 residents a year over a period of
    `days` (per 1,000 over the records as given when no period is known); shares."""
    if community != vocab.ALL_RESIDENTS:
        return ("proportion", 1)
    return ("rate", annual.per_year(days) if days else annual.PER)


def _annualised(shown: pd.DataFrame) -> bool:
    days = shown["days"].dropna() if "days" in shown else pd.Series(dtype=float)
    return bool(len(days))


def rate_unit(shown: pd.DataFrame) -> str:
    """ "per 1,000 a year" for an annualised funnel of all residents, else "per 1,000"."""
    return text.t("repr_funnel.unit_year" if _annualised(shown) else "repr_funnel.unit")


def funnel(
    raw: pd.DataFrame,
    community: str,
    records: str,
    limits: str = stats.NO_ADJUSTMENT,
    days: int | None = None,
) -> pd.DataFrame:
    """Areas wholly inside the filter, each with its value, funnel position and flag.

    A community: its share of the area's records that say who was involved (denominator:
    those records), against the share over all the areas. It needs no census figure
    below the district, so it works for every community. All residents: records per
    1,000 residents (Census 2021) a year over the `days` the period covers
    (`annual.per_year`), against the rate over all the areas.

    `limits` is the adjustment asked for ("none", "additive" or "multiplicative"): it is
    used only when the areas are overdispersed (`flags.choose_limits`), and the frame
    says what was used (`limits`, `phi`, `tau2`, ...; `flags.from_frame`). `flag` is each
    area against all of them after false discovery control (`flags.compare_areas`):
    "higher", "lower", "similar" (not flagged) or "cannot_be_calculated".
    """
    if records not in RECORD_NOUNS:  # it picks columns by name: only the known ones
        raise ValueError(f"records must be one of {tuple(RECORD_NOUNS)}, got {records!r}")
    rows = raw[raw["unplaced_reason"].isna() & (raw["coverage"] == "all")]
    everyone = community == vocab.ALL_RESIDENTS
    out = pd.DataFrame(
        {
            "area_code": rows["area_code"],
            "area_name": rows["area_name"],
            "area_level": rows["area_level"],
            "events": rows[records].astype("Int64"),
            "denominator": (
                pd.to_numeric(rows["residents"]).astype(float)
                if everyone
                else rows[f"{records}_recorded"].astype("Int64")
            ),
        }
    ).reset_index(drop=True)
    # An area with no records saying who was involved has no share to place.
    out = out[out["denominator"] > 0].reset_index(drop=True)
    kind, per = _kind(community, days)
    total = out["denominator"].sum()
    overall = float(out["events"].sum() / total * per) if total > 0 else math.nan
    out["value"] = out["events"] / out["denominator"] * per
    out["overall"] = overall
    if kind == "rate":
        out["per"], out["days"] = per, days
    chosen = flags.choose_limits(out["events"], out["denominator"], overall, kind, per, limits)
    out = out.assign(**chosen.columns())
    out["position"] = None
    if not math.isnan(overall) and not out.empty:
        placed = stats.classify_funnel(
            out,
            "value",
            "denominator",
            overall,
            kind=kind,
            per=per,
            **flags.limit_arguments(chosen),
        )
        out["position"] = placed["funnel_position"]
    return flags.compare_areas(out, "events", "denominator", overall, kind, per, chosen)


def funnel_limits(shown: pd.DataFrame, community: str) -> pd.DataFrame:
    """The 95% and 99.8% control limits over the range of the areas' denominators, as the
    areas were judged (widened, or exact, as `funnel` chose)."""
    kind, per = _kind(community)
    if kind == "rate" and "per" in shown and len(shown):
        per = float(shown["per"].iloc[0])
    n = pd.to_numeric(shown["denominator"]).astype(float)
    n = n[n > 0]
    overall = float(shown["overall"].iloc[0]) if len(shown) else math.nan
    chosen = flags.from_frame(shown)
    if n.empty or math.isnan(overall) or chosen is None:
        return pd.DataFrame(columns=["denominator", "level", "lower", "upper"])
    grid = np.geomspace(max(n.min() * 0.8, 1), n.max() * 1.1, 120)
    # Exact binomial limits are for whole numbers of records.
    grid = np.unique(grid.round(0) if chosen.exact else grid.round(1))
    return stats.funnel_limits(
        grid, overall, kind=kind, levels=LIMIT_LEVELS, per=per, **flags.limit_arguments(chosen)
    )


_POSITION_STYLE = {
    stats.ABOVE_998: ("triangle-up", OKABE_ITO["vermillion"]),
    stats.ABOVE_95: ("triangle-up-open", OKABE_ITO["orange"]),
    stats.WITHIN_LIMITS: ("circle", OKABE_ITO["grey"]),
    stats.BELOW_95: ("triangle-down-open", OKABE_ITO["sky_blue"]),
    stats.BELOW_998: ("triangle-down", OKABE_ITO["blue"]),
}


def _flag_words(shown: pd.DataFrame, level: str) -> list[str]:
    """Each area's flag in words for its hover: flagged or not, after allowing for N."""
    allowing = flags.allowing(flags.tested_count(shown, "flag"), level=level)
    flagged = text.t("funnel_sentence.hover_flagged", allowing=allowing)
    words = {  # one sentence a code, not one an area (a national table has 35,000)
        stats.SIMILAR: text.t("funnel_sentence.hover_not_flagged", allowing=allowing),
        stats.CANNOT_BE_CALCULATED: "",
        **{code: f"{text.label('flag', code)}: {flagged}" for code in (stats.HIGHER, stats.LOWER)},
    }
    return ["" if is_missing(code) else words.get(code, "") for code in shown["flag"].tolist()]


def funnel_chart(shown: pd.DataFrame, community: str, records: str, level: str) -> go.Figure:
    everyone = community == vocab.ALL_RESIDENTS
    limits = funnel_limits(shown, community)
    chosen = flags.from_frame(shown)
    widened = chosen is not None and chosen.applied != stats.NO_ADJUSTMENT
    scale = 1 if everyone else 100  # shares drawn as percentages
    # Built in one go from lists, as the forest plot is (each add_* re-validates).
    traces, shapes, notes = [], [], []
    for level_value, dash in ((0.998, "dot"), (0.95, "dash")):
        rows = limits[limits["level"] == level_value]
        percent = text.percent(level_value, 0 if round(level_value, 2) == level_value else 1)
        label = (
            text.t(
                "funnel_sentence.limits_widened",
                level=percent,
                limits=text.label("funnel_limits", chosen.applied),
            )
            if widened
            else text.t("funnel_sentence.limits", level=percent)
        )
        for side in ("upper", "lower"):
            _scatter(
                traces,
                x=rows["denominator"],
                y=rows[side] * scale,
                mode="lines",
                line=dict(color="#555555", dash=dash, width=1.4),
                name=label,
                legendgroup=label,
                showlegend=side == "upper",
                hoverinfo="skip",
            )
    if len(shown):
        # What add_hline draws, with its note at the top left.
        overall = float(shown["overall"].iloc[0]) * scale
        shapes.append(
            dict(
                type="line",
                x0=0,
                x1=1,
                xref="x domain",
                y0=overall,
                y1=overall,
                yref="y",
                line=dict(color="#1a1a1a", width=1.5),
            )
        )
        notes.append(
            dict(
                showarrow=False,
                text=text.t("repr_funnel.all_areas"),
                x=0,
                xanchor="left",
                xref="x domain",
                y=overall,
                yanchor="bottom",
                yref="y",
            )
        )
    value = pd.to_numeric(shown["value"]).astype(float) * scale
    labelled = _labelled(shown)
    hover_flags = pd.Series(_flag_words(shown, level), index=shown.index)
    # Every number of a hover written in the current language (not by plotly's d3 formats).
    template = text.t("repr_funnel.hover")
    hovers = pd.Series(
        [
            template.format(area=name, events=x, denominator=n, value=v)
            + (f"<br>{flag}" if flag else "")
            for name, x, n, v, flag in zip(
                shown["area_name"].tolist(),
                numbers(pd.to_numeric(shown["events"]).astype(float)),
                numbers(pd.to_numeric(shown["denominator"]).astype(float)),
                numbers(pd.to_numeric(shown["value"]).astype(float), 2, percent=not everyone),
                hover_flags,
                strict=True,
            )
        ],
        index=shown.index,
        dtype=object,
    )
    for position in stats.FUNNEL_LABELS:
        rows = shown[shown["position"] == position]
        if rows.empty:
            continue
        symbol, colour = _POSITION_STYLE[position]
        names = [name if i in labelled else "" for i, name in rows["area_name"].items()]
        _scatter(
            traces,
            x=rows["denominator"],
            y=value[rows.index],
            mode="markers+text",
            text=names,
            textposition="top center",
            textfont=dict(size=12),
            marker=dict(symbol=symbol, size=12, color=colour, line=dict(color=colour, width=2)),
            name=text.label("funnel", position),
            customdata=hovers[rows.index].to_numpy(dtype=object),
            hovertemplate="%{customdata}<extra>" + text.label("funnel", position) + "</extra>",
        )
    nouns = text.t(f"repr_nouns.{level}")
    if everyone:
        unit = "unit_residents_year" if _annualised(shown) else "unit_residents"
        title = text.t(
            f"repr_funnel.title_rate.{records}", unit=text.t(f"repr_funnel.{unit}"), nouns=nouns
        )
    else:
        title = text.t(
            f"repr_funnel.title_share.{records}", people=text.people(community), nouns=nouns
        )
    layout = base_layout_dict(title=title, height=520)
    layout["margin"]["b"] = 110
    layout.update(
        xaxis=dict(
            title=dict(
                text=text.t("repr_funnel.x_residents" if everyone else f"repr_funnel.x.{records}")
            ),
            rangemode="tozero",
        ),
        yaxis=dict(
            title=dict(text=rate_unit(shown) if everyone else text.t("repr_funnel.y_share")),
            rangemode="tozero",
        ),
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0),
        shapes=shapes,
        annotations=notes,
    )
    # Built unvalidated: every property is plotly's own name in its canonical form (the
    # same JSON as validated; validation cost 4 times the rest of the build).
    fig = go.Figure(data=traces, layout=layout, _validate=False)
    white_template(fig)
    return _localised(fig)


MAX_LABELS = 8


def _labelled(shown: pd.DataFrame) -> set:
    """The areas named on the chart: those flagged after false discovery control, at most
    MAX_LABELS / 2 a side, the furthest from the overall value first; every point names
    itself on hover."""
    value = pd.to_numeric(shown["value"]).astype(float)
    overall = pd.to_numeric(shown["overall"]).astype(float)
    labelled = set()
    for side in (stats.HIGHER, stats.LOWER):
        distance = (value - overall).abs().where(shown["flag"] == side).dropna()
        labelled |= set(distance.sort_values(ascending=False).index[: MAX_LABELS // 2])
    return labelled


def funnel_sentence(shown: pd.DataFrame, community: str, records: str, level: str) -> str:
    """Where the areas sit, which are flagged after allowing for all of them, and how the
    limits were chosen (overdispersion, phi, tau2; exact or not)."""
    words = flags.level_words(level)
    placed = shown[shown["position"].notna()]
    if placed.empty:
        return text.t("repr_funnel.none_placed", **words)
    placed = placed.assign(_v=pd.to_numeric(placed["value"]).astype(float))
    high = placed[placed["position"].isin([stats.ABOVE_95, stats.ABOVE_998])]
    low = placed[placed["position"].isin([stats.BELOW_95, stats.BELOW_998])]
    parts = [
        text.t(
            "repr_funnel.within",
            within=text.number(len(placed) - len(high) - len(low)),
            placed=flags.counted_areas(len(placed), level),
        )
    ]
    if len(low):
        names = flags.listed(low.sort_values("_v")["area_name"])
        parts.append(text.t("funnel_sentence.below", names=names))
    if len(high):
        names = flags.listed(high.sort_values("_v", ascending=False)["area_name"])
        parts.append(text.t("funnel_sentence.above", names=names))
    lines = ["; ".join(parts) + "."]
    flagged = placed[placed["flag"].isin([stats.HIGHER, stats.LOWER])]
    lines.append(
        text.t(
            "repr_funnel.flagged",
            allowing=flags.allowing(flags.tested_count(shown, "flag"), level=level),
            **words,
            higher=flags.listed(
                flagged[flagged["flag"] == stats.HIGHER].sort_values("_v", ascending=False)[
                    "area_name"
                ]
            ),
            lower=flags.listed(
                flagged[flagged["flag"] == stats.LOWER].sort_values("_v")["area_name"]
            ),
        )
    )
    chosen = flags.from_frame(shown)
    if chosen is not None:
        lines.append(
            flags.limits_sentence(chosen, words["nouns"], _kind(community)[0], level=level)
        )
    lines.append(text.t("funnel_sentence.prompts"))
    return " ".join(lines)


def funnel_display(shown: pd.DataFrame, community: str) -> pd.DataFrame:
    everyone = community == vocab.ALL_RESIDENTS
    frame = shown.copy()
    if not everyone:
        for col in ("value", "overall"):
            frame[col] = pd.to_numeric(frame[col]).astype(float)
    fmt = "rate" if everyone else "percent"
    return readable(
        frame,
        [
            Col(heading("repr_table.area"), ("area_name",), "text"),
            Col(
                heading("repr_table.records" if everyone else "repr_table.records_community"),
                ("events",),
            ),
            Col(
                heading("repr_table.residents" if everyone else "repr_table.records_said_who"),
                ("denominator",),
            ),
            Col(
                heading(
                    ("repr_table.per_year" if _annualised(shown) else "repr_table.per")
                    if everyone
                    else "repr_table.share"
                ),
                ("value",),
                fmt,
            ),
            Col(heading("repr_table.all_areas"), ("overall",), fmt),
            Col(heading("repr_table.funnel_position"), ("position",), "text", "funnel"),
            Col(
                flags.column_header(flags.tested_count(shown, "flag")),
                ("flag",),
                "text",
                "flag",
            ),
        ],
    )


# ------------------------------------------------------------------------------ reporting gap

GAP_SPEC = DisclosureSpec(
    counts=("reports", "reports_recorded"),
    derived=dict.fromkeys(
        (
            "expected",
            "gap",
            "ratio",
            "ratio_lower",
            "ratio_upper",
            "classification",
            "classification_p_value",
            "classification_p_adjusted",
            "observed_lower",
            "observed_upper",
        ),
        ("reports", "reports_recorded"),
    ),
    totals_shown=False,
    area_level_column="area_level",
    public_columns=(
        "residents",
        "population_base",
        "population_share",
        "risk_factor",
        "classification_tested",
    ),
)


def _gap(
    frame: pd.DataFrame, group_pop: pd.Series, total_pop: pd.Series, risk: float
) -> pd.DataFrame:
    """Expected reports = reports that say who the victim was x the community's population
    share x the risk factor; the observed/expected ratio is the representation ratio with
    the population share multiplied by the factor (its Wilson interval, as everywhere)."""
    low, high = RISK_RANGE
    if not (low <= risk <= high):
        raise ValueError(f"the relative-risk factor must be between {low} and {high}, got {risk!r}")
    out = frame.copy()
    out["risk_factor"] = risk
    out["population_share"] = (group_pop / total_pop).astype(float)
    out["expected"] = out["reports_recorded"] * out["population_share"] * risk
    counts = out.assign(_gp=(group_pop * risk).astype(float), _tp=total_pop.astype(float))
    # A share times a large factor can pass 100%; such a row has no ratio.
    counts.loc[counts["_gp"] > counts["_tp"], ["_gp", "_tp"]] = np.nan
    ratios = stats.add_representation_ratios(counts, "reports", "reports_recorded", "_gp", "_tp")
    for col in ("ratio", "ratio_lower", "ratio_upper"):
        out[col] = ratios[col].to_numpy()
    out["classification"] = ratios["ratio_classification"]
    out["gap"] = out["reports"] - out["expected"]
    out["observed_lower"] = out["ratio_lower"] * out["expected"]
    out["observed_upper"] = out["ratio_upper"] * out["expected"]
    return out


def reporting_gap(overview: pd.DataFrame, risk: float, communities) -> pd.DataFrame:
    """Per chosen community, for the whole district: observed reports against the number
    expected from its census population and the all-resident reporting rate."""
    rows = _chosen(overview, communities)
    frame = pd.DataFrame(
        {
            "community": rows["community"],
            "community_label": rows["community_label"],
            "area_level": "district",
            "universe": rows["universe"],
            "reports": rows["reports"].astype("Int64"),
            "reports_recorded": rows["reports_recorded"].astype("Int64"),
            "residents": rows["residents"].astype(float),
            "population_base": rows["population_base"].astype(float),
            "baseline": indicators.measure_words(rows),
        }
    )
    return _gap(frame, frame["residents"], frame["population_base"], risk)


def _flagged_gap(
    frame: pd.DataFrame, group_pop: pd.Series, total_pop: pd.Series, risk: float
) -> pd.DataFrame:
    """`_gap` for areas: each reading after allowing for every area with a ratio
    (`flags.classify_shares`, the score test that matches the ratio's Wilson interval,
    then Benjamini-Hochberg)."""
    out = _gap(frame, group_pop, total_pop, risk)
    share = (pd.to_numeric(out["population_share"]).astype(float) * risk).where(
        pd.to_numeric(out["ratio"]).notna()
    )
    classified = flags.classify_shares(out, "reports", "reports_recorded", share)
    for col in (
        "classification",
        "classification_p_value",
        "classification_p_adjusted",
        "classification_tested",
    ):
        out[col] = classified[col]
    return out


def reporting_gap_by_area(raw: pd.DataFrame, community: str, risk: float) -> pd.DataFrame:
    """Per area wholly inside the filter, for one community: where the census has the
    community there (LGB+ by MSOA, a named proxy) its own share, elsewhere the district
    share, named as a proxy in the `baseline` column. The readings (`classification`) are
    made after allowing for all the areas (false discovery control)."""
    rows = raw[raw["unplaced_reason"].isna() & (raw["coverage"] == "all")].reset_index(drop=True)
    if community == vocab.ALL_RESIDENTS or rows.empty:
        return _flagged_gap(
            pd.DataFrame(
                columns=["area_name", "area_level", "reports", "reports_recorded", "baseline"]
            ),
            pd.Series(dtype=float),
            pd.Series(dtype=float),
            risk,
        )
    level = rows["area_level"].iloc[0]
    own = pd.to_numeric(rows["base_count"]).notna()
    proxy = text.proxy(community, level)
    frame = pd.DataFrame(
        {
            "area_name": rows["area_name"],
            "area_level": rows["area_level"],
            "reports": rows["reports"].astype("Int64"),
            "reports_recorded": rows["reports_recorded"].astype("Int64"),
            "baseline": np.where(
                own,
                text.t(f"community.{community}.proxy_baseline.{level}")
                if proxy
                else text.t("repr_gap.baseline_area"),
                text.t("repr_gap.baseline_district"),
            ),
        }
    )
    group = (
        pd.to_numeric(rows["base_count"])
        .astype(float)
        .where(own, float(rows["district_count"].iloc[0]))
    )
    total = (
        pd.to_numeric(rows["base_denominator"])
        .astype(float)
        .where(own, float(rows["district_denominator"].iloc[0]))
    )
    return _flagged_gap(frame, group, total, risk)


def _difference(gap: float, decimals: int) -> str:
    """ "22 fewer", "7.0 more": in words, not a signed number (a CSV cell starting with "-"
    is neutralised as a formula; `gap_display` writes a column of them at once)."""
    key = "repr_gap.fewer" if gap < 0 else "repr_gap.more"
    return text.t(key, n=text.number(abs(gap), decimals))


def gap_sentence(row: pd.Series) -> str:
    """E.g. "LGBTQ+ residents were the victims in 224 crime reports where 471 were expected
    (2.8% of adults at the all-resident rate): 247 fewer (ratio 0.48, 95% CI 0.42 to 0.54)."."""
    people = text.people(row["community"])
    if is_missing(row["reports"]):
        return text.t("repr_gap.hidden", people=people, note=note_of(row, "reports"))
    if is_missing(row["expected"]):
        return text.t(
            "repr_gap.no_expected",
            people=people,
            reports=text.plural("count.reports", int(row["reports"])),
            note=note_of(row, "expected") or text.t("repr_gap.no_expected_figure"),
        )
    ratio = (
        ""
        if is_missing(row["ratio"])
        else text.t(
            "repr_gap.ratio",
            ratio=_ratio(row["ratio"]),
            lower=_ratio(row["ratio_lower"]),
            upper=_ratio(row["ratio_upper"]),
            reading=text.label("gap_reading", row["classification"]),
        )
    )
    factor = (
        ""
        if row["risk_factor"] == 1
        else text.t("repr_gap.times_factor", factor=_short(row["risk_factor"]))
    )
    universe = registry.universe(row["community"])
    return text.t(
        "repr_gap.sentence",
        people=people,
        in_reports=text.plural("repr_gap.in_reports", int(row["reports"])),
        expected=text.number(row["expected"]),
        share=text.t(f"repr_share_of.{universe}", share=text.percent(row["population_share"], 1)),
        factor=factor,
        difference=_difference(row["gap"], 0),
        ratio=ratio,
    )


def gap_chart(shown: pd.DataFrame) -> go.Figure:
    """Expected and observed reports per community; the observed bar carries the 95%
    interval of the ratio, times the expected number."""
    fig = go.Figure()
    labels = shown["community_label"]
    expected = pd.to_numeric(shown["expected"]).astype(float)
    observed = pd.to_numeric(shown["reports"]).astype(float)

    def words(key: str, values: pd.Series, decimals: int) -> list[str]:
        return ["" if math.isnan(v) else text.t(key, n=text.number(v, decimals)) for v in values]

    def hovers(key: str, values: pd.Series, decimals: int) -> list[str]:
        return [
            text.t(key, community=name, n=text.number(v, decimals))
            for name, v in zip(labels, values, strict=True)
        ]

    fig.add_bar(
        name=text.t("repr_gap_chart.expected"),
        y=labels,
        x=expected,
        orientation="h",
        marker_color=SERIES_COLOURS["population"],
        text=words("repr_gap_chart.expected_text", expected, 0),
        textposition="inside",
        insidetextanchor="start",
        insidetextfont=dict(color="#ffffff"),
        customdata=hovers("repr_gap_chart.expected_hover", expected, 1),
        hovertemplate="%{customdata}<extra></extra>",
    )
    lo = pd.to_numeric(shown["observed_lower"]).astype(float)
    hi = pd.to_numeric(shown["observed_upper"]).astype(float)
    fig.add_bar(
        name=text.t("repr_gap_chart.observed"),
        y=labels,
        x=observed,
        orientation="h",
        marker_color=SERIES_COLOURS["reports"],
        error_x=dict(
            type="data",
            symmetric=False,
            array=(hi - observed).tolist(),
            arrayminus=(observed - lo).tolist(),
            color="#1a1a1a",
            thickness=1.5,
        ),
        text=words("repr_gap_chart.observed_text", observed, 0),
        textposition="inside",
        insidetextanchor="start",
        insidetextfont=dict(color="#000000"),
        customdata=hovers("repr_gap_chart.observed_hover", observed, 0),
        hovertemplate="%{customdata}<extra></extra>",
    )
    base_layout(fig, title=text.t("repr_gap_chart.title"), height=160 + 90 * max(len(shown), 1))
    fig.update_layout(
        barmode="group",
        bargap=0.3,
        xaxis=dict(title=text.t("repr_gap_chart.axis"), rangemode="tozero"),
        yaxis=dict(title="", autorange="reversed"),
        legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0),
        margin=dict(b=100),
        uniformtext=dict(minsize=11, mode="hide"),
    )
    return _localised(fig)


def gap_display(shown: pd.DataFrame, by_area: bool = False) -> pd.DataFrame:
    # The difference in words, or its note, a column at once (by area: every LSOA).
    gap = pd.to_numeric(shown["gap"], errors="coerce").astype(float)
    fewer, more = text.t("repr_gap.fewer"), text.t("repr_gap.more")
    shown = shown.assign(
        gap_words=[
            note if math.isnan(g) else (fewer if g < 0 else more).format(n=amount)
            for g, amount, note in zip(
                gap, numbers(gap.abs(), 1), tables.notes(shown, "gap"), strict=True
            )
        ]
    )
    first = (
        Col(heading("repr_table.area"), ("area_name",), "text")
        if by_area
        else Col(heading("repr_table.community"), ("community",), "text", "community")
    )
    return readable(
        shown,
        [
            first,
            Col(heading("repr_table.reports_observed"), ("reports",)),
            Col(heading("repr_table.reports_said_who"), ("reports_recorded",)),
            Col(heading("repr_table.population_share"), ("population_share",), "percent"),
            Col(heading("repr_table.risk_factor"), ("risk_factor",), "ratio"),
            Col(heading("repr_table.expected"), ("expected",), "rate"),
            Col(heading("repr_table.difference"), ("gap_words",), "text"),
            Col(
                heading("repr_table.observed_expected"),
                ("ratio", "ratio_lower", "ratio_upper"),
                "ratio",
            ),
            Col(
                flags.reading_header(flags.tested_count(shown, "classification"))
                if by_area
                else heading("repr_table.reading"),
                ("classification",),
                "text",
                "gap_reading",
            ),
            Col(heading("repr_table.baseline"), ("baseline",), "text"),
        ],
    )


def gap_alt(shown: pd.DataFrame) -> str:
    return text.t(
        "repr_gap_chart.alt", sentences=" ".join(gap_sentence(r) for _, r in shown.iterrows())
    )


def area_gap_sentence(shown: pd.DataFrame, level: str) -> str:
    """The areas whose reading is flagged after false discovery control, in words."""
    rows = shown.assign(_r=pd.to_numeric(shown["ratio"], errors="coerce"))
    names = [
        flags.listed(
            rows[rows["classification"] == code].sort_values(
                "_r", ascending=code == stats.UNDER_REPRESENTED
            )["area_name"]
        )
        for code in (stats.UNDER_REPRESENTED, stats.OVER_REPRESENTED)
    ]
    allowing = flags.allowing(flags.tested_count(shown, "classification"), level=level)
    return text.t("gap_by_area.flagged", allowing=allowing, fewer=names[0], more=names[1])


def area_gap_note(community: str, level: str) -> str:
    """Which population share each area's expected reports use, in words."""
    proxy = text.proxy(community, level)
    if proxy:
        return text.t("repr_gap.note_own_share", proxy=proxy)
    return text.t(
        "repr_gap.note_district_share",
        described=text.community(community, "described"),
        **flags.level_words(level),
    )
