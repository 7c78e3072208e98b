"""Indicators built from query results with the `stats` methods.

Each function takes the DataFrame a `queries/*.sql` file returns and adds the shares,
ratios, intervals and classifications, with column names the charts, tables and
disclosure spec share. No streamlit here.
"""

from __future__ import annotations

import math

import pandas as pd

from . import stats, vocab
from .disclosure import DisclosureSpec
from .tables import Col, is_missing, readable


def _derived(prefix: str, count: str, total: str) -> dict[str, tuple[str, str]]:
    """Shares and ratios hide with their numerator and with their denominator."""
    names = [
        f"{prefix}_{what}{end}" for what in ("share", "ratio") for end in ("", "_lower", "_upper")
    ]
    names.append(f"{prefix}_classification")
    return dict.fromkeys(names, (count, total))


OVERVIEW_SPEC = DisclosureSpec(
    counts=(
        "contacts",
        "contacts_recorded",
        "all_contacts",
        "reports",
        "reports_recorded",
        "all_reports",
    ),
    derived={
        **_derived("contact", "contacts", "contacts_recorded"),
        **_derived("report", "reports", "reports_recorded"),
    },
    # A contact can involve several communities and most involve none, so the community
    # counts are not parts of a shown total: no secondary suppression is needed.
    totals_shown=False,
    public_columns=("residents", "population_base", "population_share"),
)

OVERVIEW_COLUMNS = [
    Col("Community", ("community_label",), "text"),
    Col("Residents (Census 2021)", ("residents",)),
    Col("Share of population", ("population_share",), "percent"),
    Col("Contacts", ("contacts",)),
    Col(
        "Share of contacts (95% CI)",
        ("contact_share", "contact_share_lower", "contact_share_upper"),
        "percent",
    ),
    Col(
        "Contact ratio (95% CI)",
        ("contact_ratio", "contact_ratio_lower", "contact_ratio_upper"),
        "ratio",
    ),
    Col("Contacts: reading", ("contact_classification",), "text"),
    Col("Crime reports", ("reports",)),
    Col(
        "Share of reports (95% CI)",
        ("report_share", "report_share_lower", "report_share_upper"),
        "percent",
    ),
    Col(
        "Report ratio (95% CI)",
        ("report_ratio", "report_ratio_lower", "report_ratio_upper"),
        "ratio",
    ),
    Col("Reports: reading", ("report_classification",), "text"),
    Col("Population measure", ("measure_label",), "text"),
]


def overview_display(shown: pd.DataFrame) -> pd.DataFrame:
    return readable(shown, OVERVIEW_COLUMNS)


def _share_with_interval(count: int, total: int) -> tuple[float, float, float]:
    if total <= 0:
        return (math.nan, math.nan, math.nan)
    lower, upper = stats.wilson_interval(count, total)
    return (count / total, lower, upper)


def _ratio(count: int, total: int, group_pop: int, total_pop: int) -> tuple[float, float, float]:
    if total <= 0:
        return (math.nan, math.nan, math.nan)
    return stats.representation_ratio(count, total, group_pop, total_pop)


def overview(raw: pd.DataFrame) -> pd.DataFrame:
    """Per community: population share, shares of contacts and reports, representation
    ratios with 95% intervals and their classification."""
    out = raw.copy()
    out["community_label"] = out["community"].map(
        lambda c: vocab.label(vocab.POPULATION_COMMUNITIES, c)
    )
    out["population_share"] = out["residents"] / out["population_base"]
    for prefix, count, total in (
        ("contact", "contacts", "contacts_recorded"),
        ("report", "reports", "reports_recorded"),
    ):
        shares = [_share_with_interval(c, t) for c, t in zip(out[count], out[total], strict=True)]
        out[[f"{prefix}_share", f"{prefix}_share_lower", f"{prefix}_share_upper"]] = shares
        ratios = [
            _ratio(c, t, g, p)
            for c, t, g, p in zip(
                out[count], out[total], out["residents"], out["population_base"], strict=True
            )
        ]
        out[[f"{prefix}_ratio", f"{prefix}_ratio_lower", f"{prefix}_ratio_upper"]] = ratios
        out[f"{prefix}_classification"] = [
            stats.classify_representation(c, lo, hi)
            for c, lo, hi in zip(
                out[count], out[f"{prefix}_ratio_lower"], out[f"{prefix}_ratio_upper"], strict=True
            )
        ]
    # The comparator is everyone: its share is 100% by definition, with nothing to estimate.
    comparator = out["community"] == vocab.ALL_RESIDENTS
    for prefix in ("contact", "report"):
        interval = [f"{prefix}_{w}{e}" for w in ("share", "ratio") for e in ("_lower", "_upper")]
        out.loc[comparator, interval + [f"{prefix}_ratio"]] = math.nan
        out.loc[comparator, f"{prefix}_classification"] = "comparator"
    return out


def overview_sentence(row: pd.Series, kind: str = "contact") -> str:
    """A plain-English reading of one community's representation, e.g. "Armed-forces
    veterans made 2.1% of contacts but are 4.0% of adults: about half their share"."""
    noun = "contacts" if kind == "contact" else "crime reports"
    people = vocab.label(vocab.COMMUNITY_PEOPLE, row["community"])
    share, ratio = row.get(f"{kind}_share"), row.get(f"{kind}_ratio")
    universe = "adults" if "16" in str(row.get("universe", "")) else "residents"
    if is_missing(share) or is_missing(ratio):
        return f"{people}: too few {noun} to compare with their share of the population."
    return (
        f"{people} made {share:.1%} of {noun} but are {row['population_share']:.1%} of "
        f"{universe}: {ratio_words(ratio)} ({row[f'{kind}_classification']})."
    )


_FRACTIONS = (
    (1 / 4, "a quarter of"),
    (1 / 3, "a third of"),
    (1 / 2, "half"),
    (2 / 3, "two-thirds of"),
    (3 / 4, "three-quarters of"),
)


def ratio_words(ratio: float) -> str:
    """0.52 -> "about half their share"; 1.8 -> "1.8 times their share"."""
    if 0.9 <= ratio <= 1.1:
        return "about their share"
    if ratio > 1.1:
        return f"{ratio:.1f} times their share"
    for value, words in _FRACTIONS:
        if abs(ratio - value) <= 0.04:
            return f"about {words} their share"
    return f"{ratio:.0%} of their share"
