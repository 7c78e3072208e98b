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

from . import stats
from .disclosure import INSPECTOR, MIN_NUMERATOR_FOR_RATES, RULES, DisclosureSpec
from .tables import Col

FIELDS = {
    "community_recorded": "community",
    "area_recorded": "area",
    "date_recorded": "date of occurrence",
}
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
COLUMNS = [
    Col("Dataset", ("dataset",), "text"),
    Col("Month or team", ("grouping",), "text"),
    Col("Field", ("field",), "text"),
    Col("Records", ("records",)),
    Col("Filled in", ("filled",)),
    Col("Share filled in (95% CI)", ("share", "lower", "upper"), "percent"),
]
VOLUME_DROP = 0.6  # a month under 60% of the median month is flagged
FLAG_CONFIDENCE = 0.998


def completeness(counts: pd.DataFrame) -> pd.DataFrame:
    """Long format: one row per dataset, grouping and field, with share and 95% interval."""
    rows = []
    for rec in counts.itertuples(index=False):
        for col, field in FIELDS.items():
            filled = getattr(rec, col)
            lower, upper = stats.wilson_interval(filled, rec.records)
            rows.append(
                {
                    "dataset": rec.dataset,
                    "grouping": rec.grouping,
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
    words the audience may see (see the module's docstring)."""
    careful = RULES[audience].suppress_small_numerators
    out = []
    for dataset, months in counts.groupby("dataset", sort=True):
        median = months["records"].median()
        totals = {col: months[col].sum() / months["records"].sum() for col in FIELDS}
        for rec in months.itertuples(index=False):
            reasons = []
            if rec.records < VOLUME_DROP * median:
                reasons.append(f"only {rec.records} records against a typical {median:.0f}")
            for col, field in FIELDS.items():
                filled = getattr(rec, col)
                if careful and rec.records < MIN_NUMERATOR_FOR_RATES:
                    continue  # no share, and no judgement of one, on fewer than 10 records
                _, upper = stats.wilson_interval(filled, rec.records, FLAG_CONFIDENCE)
                if upper < totals[col]:
                    share = (
                        f"{filled} of {rec.records} records"
                        if careful and filled < MIN_NUMERATOR_FOR_RATES
                        else f"{filled / rec.records:.0%}"
                    )
                    reasons.append(f"{field} filled in for {share} (usually {totals[col]:.0%})")
            out.append(
                {
                    "dataset": dataset,
                    "month": rec.grouping,
                    "records": rec.records,
                    "flag": "; ".join(reasons),
                }
            )
    return pd.DataFrame(out, columns=["dataset", "month", "records", "flag"])
