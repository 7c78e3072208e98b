"""Findings for the briefing and the scorecard page, written from the numbers by fixed
rules (no language model): the same scorecard always gives the same sentences.

Input: the scorecard after disclosure control, so a hidden figure is never written out.
The rules, in order of priority (at most MAX_FINDINGS, at least MIN_FINDINGS when the
scorecard has that many things to say):

1. every red-red row, then every red, amber, too-few-to-say and green row with an active
   target: for a representation ratio or the reporting gap, how the records changed on the
   previous period (rate ratio and interval) and where the ratio stands against the
   community's share of the population, then the colour against the target (the briefing's
   example sentence); for any other indicator, its value and interval against the target;
2. then, to reach MIN_FINDINGS: rows significantly worse than all residents, and recording
   completeness.
"""

from __future__ import annotations

import math

import pandas as pd

from . import indicator_registry as ir
from . import registry, scorecard, text
from .tables import is_missing

MAX_FINDINGS = 5
MIN_FINDINGS = 3
_ORDER = {scorecard.RED: 1, scorecard.AMBER: 2, scorecard.TOO_FEW: 3, scorecard.GREEN: 4}
_RATIO_INDICATORS = ("contact_ratio", "report_ratio", "reporting_gap")
# With a relative-risk factor of 1 the reporting gap's ratio is the report representation
# ratio: without a target of its own it would repeat that row's finding word for word.
_SAME_AS_ANOTHER = ("reporting_gap",)


def _num(value: float) -> str:
    return text.number(value, 1)


def _people(code: str) -> str:
    return text.people_mid(code)


def _rag_words(row: pd.Series) -> str:
    value = row.get("rag")
    if is_missing(value):
        return text.label("note", row.get("rag_note") or scorecard.TOO_FEW)
    return scorecard.status_words(value)


def _value(row: pd.Series, suffix: str = "") -> str:
    return scorecard.value_text(
        row[f"value{suffix}"], row["unit"], row[f"lower{suffix}"], row[f"upper{suffix}"]
    ) or text.label("note", scorecard.TOO_FEW)


def _extra(row: pd.Series) -> str:
    return text.t("finding.red_red_clause") if row.get("flag") == scorecard.RED_RED else ""


def _ratio_finding(row: pd.Series) -> str:
    indicator = ir.get(row["indicator"])
    ratio = row["count_ratio"]
    if is_missing(ratio):
        change = text.t("finding.change_unknown")
        rising = None
    elif row["count_ratio_lower"] > 1:
        change, rising = text.t("finding.change_rose"), True
    elif row["count_ratio_upper"] < 1:
        change, rising = text.t("finding.change_fell"), False
    else:
        change, rising = text.t("finding.change_flat"), None
    position_code = {
        scorecard.WORSE: "worse",
        scorecard.SIMILAR: "similar",
        scorecard.BETTER: "better",
    }.get(row.get("vs_comparator"), "unknown")
    position = text.t(
        f"finding.position_{position_code}", universe=text.universe_noun(row["community"])
    )
    contrary = (rising is True and position_code == "worse") or (
        rising is False and position_code == "better"
    )
    values = {
        "records": text.t(f"finding.records.{indicator.records}"),
        "people": _people(row["community"]),
        "change": change,
        "joint": text.t("finding.but" if contrary else "finding.and"),
        "position": position,
        "rag": _rag_words(row),
        "target": scorecard.target_text(row),
        "extra": _extra(row),
    }
    if is_missing(ratio):
        return text.t("finding.ratio_target_no_ratio", **values)
    values["ratio"] = text.t(
        "finding.rate_ratio",
        ratio=_num(ratio),
        lower=_num(row["count_ratio_lower"]),
        upper=_num(row["count_ratio_upper"]),
    )
    return text.t("finding.ratio_target", **values)


def _indicator_words(row: pd.Series) -> str:
    return text.t(f"indicator.{row['indicator']}")


def _target_finding(row: pd.Series) -> str:
    rag = row.get("rag")
    if (is_missing(rag) and row.get("rag_note")) or rag == scorecard.TOO_FEW:
        events = row["events"]
        return text.t(
            "finding.too_few",
            indicator=_indicator_words(row),
            people=_people(row["community"]),
            records=text.t(f"finding.records_noun.{ir.get(row['indicator']).records}"),
            count=text.number(0 if is_missing(events) else int(events)),
            target=scorecard.target_text(row),
        )
    if row["indicator"] in _RATIO_INDICATORS and registry.is_community(row["community"]):
        return _ratio_finding(row)
    extra = _extra(row)
    trend = row.get("direction")
    if not extra and trend in (scorecard.IMPROVING, scorecard.WORSENING, scorecard.NO_CHANGE):
        extra = text.t("finding.direction_clause", direction=scorecard.status_words(trend))
    return text.t(
        "finding.other_target",
        indicator=_indicator_words(row),
        people=_people(row["community"]),
        value=_value(row),
        target=scorecard.target_text(row),
        rag=_rag_words(row),
        extra=extra,
    )


def _has_target(row: pd.Series) -> bool:
    return not is_missing(row.get("target_comparison")) and bool(row.get("target_comparison"))


def findings(shown: pd.DataFrame) -> list[str]:
    """Three to five sentences from a (disclosed) scorecard, most pressing first."""
    ranked = []
    for position, (_, row) in enumerate(shown.iterrows()):
        flagged = row.get("flag") == scorecard.RED_RED
        if _has_target(row):
            rank = 0 if flagged else _ORDER.get(row.get("rag"), 3)
            ranked.append((rank, position, _target_finding(row)))
        elif flagged and row["indicator"] not in _SAME_AS_ANOTHER:
            ranked.append(
                (
                    0,
                    position,
                    text.t(
                        "finding.red_red_comparator",
                        indicator=_indicator_words(row),
                        people=_people(row["community"]),
                        previous=_value(row, "_previous"),
                        value=_value(row),
                    ),
                )
            )
    found = [sentence for _, _, sentence in sorted(ranked)][:MAX_FINDINGS]
    for sentence in _fillers(shown):
        if len(found) >= MIN_FINDINGS:
            break
        if sentence not in found:
            found.append(sentence)
    return found


def _fillers(shown: pd.DataFrame) -> list[str]:
    out = []
    for _, row in shown.iterrows():
        if _has_target(row) or row.get("flag") == scorecard.RED_RED:
            continue
        if row.get("vs_comparator") == scorecard.WORSE:
            out.append(
                text.t(
                    "finding.below_comparator",
                    indicator=_indicator_words(row),
                    people=_people(row["community"]),
                    value=_value(row),
                    comparator=scorecard.value_text(row["comparator_value"], row["unit"]),
                )
            )
    completeness = shown[shown["indicator"] == "recording_completeness"]
    if len(completeness):
        row = completeness.iloc[0]
        if not is_missing(row["value"]):
            previous = row["value_previous"]
            out.append(
                text.t(
                    "finding.completeness",
                    share=text.percent(row["value"], 0),
                    previous=text.t("scorecard.no_data")
                    if is_missing(previous) or math.isnan(previous)
                    else text.percent(previous, 0),
                )
            )
    return out
