"""Recording completeness: how often community, area and date are filled in, and which
months look incomplete.

Missing identity fields distort every disparity figure (a report that does not say the
victim's community counts for no community), so the share filled in is shown per month
and per team, with Wilson intervals, and a month is flagged when
- its number of records is under 60% of the dataset's median month (a feed that stopped
  part-way, like data.police.uk's anti-social behaviour in January 2024), or
- a field is filled in significantly less often than in the dataset as a whole: the
  month's 99.8% Wilson interval lies wholly below the overall share (the funnel-plot
  rule, so ordinary month-to-month noise does not raise a flag).

For an audience that sees no rate on fewer than 10 records (leadership: disclosure.RULES),
a month of fewer than 10 records is judged on its volume only, and a share filled in is
given as a count ("4 of 12 records") when fewer than 10 were filled in.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from babel import numbers as babel_numbers

from . import stats, text
from .charts import OKABE_ITO, base_layout
from .disclosure import INSPECTOR, MIN_NUMERATOR_FOR_RATES, RULES, DisclosureSpec
from .tables import Col

WORDS = "quality"
# The query's count column of each field -> the field's code (its words are in the
# catalogues, under quality.field).
FIELDS = {
    "community_recorded": "community",
    "area_recorded": "area",
    "date_recorded": "date_of_occurrence",
}
DATASETS = ("contacts", "reports")
# Completeness goes through disclosure control like every other table: the share filled
# in is derived from the filled-in and record counts.
COMPLETENESS_SPEC = DisclosureSpec(
    counts=("records", "filled"),
    derived=dict.fromkeys(("share", "lower", "upper"), ("filled", "records")),
    totals_shown=False,
)
# By team, the grouping is a team name: free text from the imports, for inspectors only.
TEAM_SPEC = DisclosureSpec(
    counts=COMPLETENESS_SPEC.counts,
    derived=COMPLETENESS_SPEC.derived,
    totals_shown=False,
    free_text=("grouping",),
)


def columns() -> list[Col]:
    """The completeness table's columns, headed in the current language."""
    return [
        Col(text.t(f"{WORDS}.col.dataset"), ("dataset",), "text", vocabulary=f"{WORDS}.dataset"),
        Col(text.t(f"{WORDS}.col.grouping"), ("grouping",), "text"),
        Col(text.t(f"{WORDS}.col.field"), ("field",), "text", vocabulary=f"{WORDS}.field"),
        Col(text.t(f"{WORDS}.col.records"), ("records",)),
        Col(text.t(f"{WORDS}.col.filled"), ("filled",)),
        Col(text.t(f"{WORDS}.col.share"), ("share", "lower", "upper"), "percent"),
    ]


VOLUME_DROP = 0.6  # a month under 60% of the median month is flagged
FLAG_CONFIDENCE = 0.998


def completeness(counts: pd.DataFrame) -> pd.DataFrame:
    """Long format: one row per dataset, grouping and field, with share and 95% interval.
    Records with no team (a missing grouping) are named "(no team)" in the current language."""
    rows = []
    for rec in counts.itertuples(index=False):
        grouping = text.t(f"{WORDS}.no_team") if pd.isna(rec.grouping) else rec.grouping
        for col, field in FIELDS.items():
            filled = getattr(rec, col)
            lower, upper = stats.wilson_interval(filled, rec.records)
            rows.append(
                {
                    "dataset": rec.dataset,
                    "grouping": grouping,
                    "field": field,
                    "records": rec.records,
                    "filled": filled,
                    "share": filled / rec.records,
                    "lower": lower,
                    "upper": upper,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["dataset", "grouping", "field", "records", "filled", "share", "lower", "upper"],
    )


def flag_months(counts: pd.DataFrame, audience: str = INSPECTOR) -> pd.DataFrame:
    """One row per dataset and month with the reasons it looks incomplete ("" when fine), in
    words of the current language that the audience may see (see the module's docstring)."""
    careful = RULES[audience].suppress_small_numerators
    out = []
    for dataset, months in counts.groupby("dataset", sort=True):
        median = months["records"].median()
        totals = {col: months[col].sum() / months["records"].sum() for col in FIELDS}
        for rec in months.itertuples(index=False):
            reasons = []
            if rec.records < VOLUME_DROP * median:
                reasons.append(
                    text.plural(f"{WORDS}.flag_volume", rec.records, typical=text.number(median))
                )
            for col, field in FIELDS.items():
                filled = getattr(rec, col)
                if careful and rec.records < MIN_NUMERATOR_FOR_RATES:
                    continue  # no share, and no judgement of one, on fewer than 10 records
                _, upper = stats.wilson_interval(filled, rec.records, FLAG_CONFIDENCE)
                if upper < totals[col]:
                    # A share on fewer than 10 filled-in records is written as the count, for
                    # an audience that sees no rate on fewer than 10.
                    share = (
                        text.t(f"{WORDS}.filled_of", filled=filled, records=rec.records)
                        if careful and filled < MIN_NUMERATOR_FOR_RATES
                        else text.percent(filled / rec.records, 0)
                    )
                    reasons.append(
                        text.t(
                            f"{WORDS}.flag_field",
                            field=text.t(f"{WORDS}.field.{field}"),
                            share=share,
                            usual=text.percent(totals[col], 0),
                        )
                    )
            out.append(
                {
                    "dataset": dataset,
                    "month": rec.grouping,
                    "records": rec.records,
                    "flag": text.t(f"{WORDS}.flag_joiner").join(reasons),
                }
            )
    return pd.DataFrame(out, columns=["dataset", "month", "records", "flag"])


# ------------------------------------------------------------------------------ the chart

# Each field's colour, dash and marker: told apart by more than colour.
FIELD_STYLES = {
    "community": (OKABE_ITO["blue"], "solid", "circle"),
    "area": (OKABE_ITO["vermillion"], "dash", "square"),
    "date_of_occurrence": (OKABE_ITO["green"], "dot", "diamond"),
}


def _month_offset(month: str, months: float) -> str:
    """A date half a month either side of a 'yyyy-mm' month's first day, for shading."""
    start = pd.Timestamp(month + "-01")
    return (start + pd.Timedelta(days=15 + 30.4 * months)).strftime("%Y-%m-%d")


def _separators() -> str:
    """Plotly's decimal and thousands separators in the current language."""
    locale = text.locale_code()
    return babel_numbers.get_decimal_symbol(locale) + babel_numbers.get_group_symbol(locale)


def completeness_chart(long: pd.DataFrame, flags: pd.DataFrame) -> go.Figure:
    """Share of records with each field filled in, per month, flagged months shaded; every
    word, number and month in the current language."""
    from plotly.subplots import make_subplots

    datasets = [d for d in DATASETS if d in set(long["dataset"])]
    fig = make_subplots(
        rows=len(datasets) or 1,
        cols=1,
        shared_xaxes=True,
        subplot_titles=[text.t(f"{WORDS}.dataset_title.{d}") for d in datasets],
        vertical_spacing=0.12,
    )
    shapes, notes = [], []
    for row, dataset in enumerate(datasets, start=1):
        part = long[long["dataset"] == dataset]
        for field, (colour, dash, symbol) in FIELD_STYLES.items():
            series = part[part["field"] == field]
            if dataset == "contacts" and field == "date_of_occurrence":
                continue  # a contact's date is required, so always 100%
            name = text.t(f"{WORDS}.field.{field}")
            hover = [
                text.t(
                    f"{WORDS}.hover",
                    month=text.date(pd.Timestamp(f"{r.grouping}-01").date(), "month"),
                    share=text.percent(r.share, 1),
                    filled=text.number(r.filled),
                    records=text.number(r.records),
                    lower=text.percent(r.lower, 1),
                    upper=text.percent(r.upper, 1),
                )
                for r in series.itertuples(index=False)
            ]
            fig.add_scatter(
                x=series["grouping"],
                y=series["share"],
                name=name,
                legendgroup=field,
                showlegend=row == 1 or (dataset == "reports" and field == "date_of_occurrence"),
                mode="lines+markers",
                line=dict(color=colour, dash=dash, width=2.5),
                marker=dict(symbol=symbol, size=7),
                row=row,
                col=1,
                customdata=hover,
                hovertemplate="%{customdata}<extra>" + name + "</extra>",
            )
        axis = "" if row == 1 else str(row)
        for month in flags.loc[(flags["dataset"] == dataset) & (flags["flag"] != ""), "month"]:
            # One list of shapes set at once: an add_vrect call each costs a lot on plotly 7.
            shapes.append(
                dict(
                    type="rect",
                    xref=f"x{axis}",
                    yref=f"y{axis} domain",
                    x0=_month_offset(month, -0.5),
                    x1=_month_offset(month, 0.5),
                    y0=0,
                    y1=1,
                    fillcolor="#d9d9d9",
                    opacity=0.6,
                    line_width=0,
                    layer="below",
                )
            )
            notes.append(
                dict(
                    xref=f"x{axis}",
                    yref=f"y{axis} domain",
                    x=_month_offset(month, -0.5),
                    y=1,
                    text=text.t(f"{WORDS}.flagged"),
                    showarrow=False,
                    xanchor="left",
                    yanchor="top",
                )
            )
        fig.update_yaxes(
            tickformat=".0%", range=[0, 1.05], title=text.t(f"{WORDS}.axis"), row=row, col=1
        )
    base_layout(fig, title=text.t(f"{WORDS}.title"), height=300 * max(len(datasets), 1) + 80)
    fig.update_layout(
        shapes=shapes,
        annotations=[*fig.layout.annotations, *notes],
        separators=_separators(),
    )
    months = sorted(set(long["grouping"]))
    ticks = months if len(months) <= 12 else months[:: -(-len(months) // 12)]
    fig.update_xaxes(
        type="date",
        tickvals=[f"{m}-01" for m in ticks],
        ticktext=[text.date(pd.Timestamp(f"{m}-01").date(), "month_short") for m in ticks],
    )
    return fig
