"""The census measure a community is counted by: its primary measure by default, or one of
its alternatives (`registry.Community.alternative_measures`) when the user chooses, and the
sensitivity of each ratio to that choice.

Only the baseline changes with the measure: the records compared stay the same. Each
measure keeps its own count and its own denominator (the population table's: main language
is a share of residents aged 3+, for instance). No streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from . import indicators, registry, text
from .disclosure import DisclosureSpec
from .tables import Col, readable


def with_alternatives(communities: Iterable[str]) -> list[str]:
    """The chosen communities that have more than one census measure, in order."""
    return [c for c in registry.ordered(communities) if registry.get(c).alternative_measures]


def choices(community: str) -> tuple[str, ...]:
    """The measures a community can be counted by: the primary first."""
    record = registry.get(community)
    return (record.primary_measure, *record.alternative_measures)


def options(community: str) -> dict[str, str]:
    """Measure code -> its words, for the control."""
    return {m: text.t(f"census_measure.{m}") for m in choices(community)}


def with_measures(
    raw: pd.DataFrame, baselines: pd.DataFrame, chosen: Mapping[str, str]
) -> pd.DataFrame:
    """The overview frame (`queries/overview_by_community.sql`) with each community in
    `chosen` counted by the chosen measure (`queries/measure_baselines.sql`): its residents,
    population base, measure and label replaced. Other communities are unchanged."""
    out = raw.copy()
    by_measure = baselines.set_index("measure")
    for community, measure in chosen.items():
        if measure not in choices(community):
            raise ValueError(f"{measure!r} is not a census measure of {community!r}")
        row = by_measure.loc[measure]
        where = out["community"] == community
        for col in ("residents", "population_base", "measure_label", "universe"):
            out.loc[where, col] = row[col]
        out.loc[where, "measure"] = measure
    return out


SENSITIVITY_SPEC = DisclosureSpec(
    counts=("contacts", "contacts_recorded", "reports", "reports_recorded"),
    derived={
        **dict.fromkeys(
            ("contact_ratio", "contact_ratio_lower", "contact_ratio_upper"),
            ("contacts", "contacts_recorded"),
        ),
        **dict.fromkeys(
            ("report_ratio", "report_ratio_lower", "report_ratio_upper"),
            ("reports", "reports_recorded"),
        ),
    },
    # The same records are repeated under each measure: no total is shown.
    totals_shown=False,
    public_columns=("residents", "population_base", "population_share"),
)


SENSITIVITY_COLUMNS = (
    "community",
    "measure",
    "measure_words",
    "primary",
    "residents",
    "population_base",
    "population_share",
    "contacts",
    "contacts_recorded",
    "contact_ratio",
    "contact_ratio_lower",
    "contact_ratio_upper",
    "reports",
    "reports_recorded",
    "report_ratio",
    "report_ratio_lower",
    "report_ratio_upper",
)


def sensitivity(raw: pd.DataFrame, baselines: pd.DataFrame, communities) -> pd.DataFrame:
    """Per community with alternatives and per measure (the primary first): the contact
    and report ratios with 95% intervals, the records the same under every measure."""
    frames = []
    for community in with_alternatives(communities):
        for measure in choices(community):
            one = with_measures(raw[raw["community"] == community], baselines, {community: measure})
            frames.append(one)
    if not frames:
        return pd.DataFrame(columns=list(SENSITIVITY_COLUMNS))
    out = indicators.overview(pd.concat(frames, ignore_index=True))
    out["primary"] = [
        m == registry.get(c).primary_measure
        for c, m in zip(out["community"], out["measure"], strict=True)
    ]
    out["measure_words"] = [text.t(f"census_measure.{m}") for m in out["measure"]]
    return out[list(SENSITIVITY_COLUMNS)].reset_index(drop=True)


def sensitivity_display(shown: pd.DataFrame) -> pd.DataFrame:
    frame = shown.copy()
    frame["default"] = frame["primary"].map({True: text.t("census_measure.default"), False: ""})
    # Worded again here: the frame may come from a cache filled in another language.
    frame["measure_words"] = [text.t(f"census_measure.{m}") for m in frame["measure"]]
    return readable(
        frame,
        [
            Col(text.t("overview_table.community"), ("community",), "text", "community"),
            Col(text.t("census_measure.column"), ("measure_words",), "text"),
            Col(text.t("census_measure.default_column"), ("default",), "text"),
            Col(text.t("overview_table.residents"), ("residents",)),
            Col(text.t("census_measure.base"), ("population_base",)),
            Col(text.t("overview_table.population_share"), ("population_share",), "percent"),
            Col(
                text.t("overview_table.contact_ratio"),
                ("contact_ratio", "contact_ratio_lower", "contact_ratio_upper"),
                "ratio",
            ),
            Col(
                text.t("overview_table.report_ratio"),
                ("report_ratio", "report_ratio_lower", "report_ratio_upper"),
                "ratio",
            ),
        ],
    )
