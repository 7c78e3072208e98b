"""The scorecard's indicators: one record each, the only place an indicator code is defined.

Every indicator is built from the counts `queries/scorecard_counts.sql` returns for one
period (one row per community and one for all residents), in one of two ways:

- a **proportion**: `numerator / denominator`, both counts, times a fixed factor (the
  census population share's inverse for a representation ratio, 1 for a share). Interval:
  Wilson, times the factor. Change between two periods: Newcombe's interval for the
  difference of two proportions (stats.proportion_difference);
- a **rate**: `numerator` events over an exposure (residents x years, or months). Interval:
  exact Poisson under 10 events, Byar's from 10 (stats.poisson_interval). Change: the
  rate ratio with stats.rate_ratio(method="auto").

`unit` says how a value is written (and in which unit a target's value is given);
`higher_is_better` which way is good; `reference` the value that means "as expected"
(1 for a ratio, where a `within` target is a band around it); `comparator` how the value
for all residents is found (`reference`: the reference value itself; `all_residents`: the
same indicator for all residents; None: nothing to compare with); `scope` whether it has a
row per community or one for the whole district (all residents).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from . import registry, stats

PROPORTION = "proportion"
RATE = "rate"

RATIO = "ratio"
PERCENT = "percent"
PER_1000_YEAR = "per_1000_year"
PER_MONTH = "per_month"
UNITS = (RATIO, PERCENT, PER_1000_YEAR, PER_MONTH)

COMMUNITY = "community"
DISTRICT = "district"

BY_REFERENCE = "reference"
BY_ALL_RESIDENTS = "comparator_row"

DAYS_A_YEAR = 365.25
DAYS_A_MONTH = DAYS_A_YEAR / 12


def _population_factor(row: Mapping) -> float:
    """1 / the community's census share: turns a share of records into a ratio."""
    residents, base = _num(row.get("residents")), _num(row.get("population_base"))
    if not residents or not base or math.isnan(residents) or math.isnan(base):
        return math.nan
    return base / residents


def _one(_row: Mapping) -> float:
    return 1.0


def _resident_years_per_1000(row: Mapping) -> float:
    residents = _num(row.get("residents"))
    return residents * _num(row["days"]) / DAYS_A_YEAR / 1000


def _months(row: Mapping) -> float:
    return _num(row["days"]) / DAYS_A_MONTH


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str  # PROPORTION or RATE
    numerator: str  # count column of the scorecard_counts query
    denominator: str | None  # PROPORTION: count column
    factor: Callable[[Mapping], float] = _one  # PROPORTION: multiplies the share
    exposure: Callable[[Mapping], float] | None = None  # RATE: value = numerator / exposure
    unit: str = RATIO
    higher_is_better: bool = True
    reference: float | None = None
    comparator: str | None = None
    scope: str = COMMUNITY
    records: str = "contacts"  # which records its numerator counts (for sentences)
    # The page that explains it (a PageSpec url_path) and that page's own choices.
    page: str = ""
    page_params: Mapping[str, str] = field(default_factory=dict)

    @property
    def label_key(self) -> str:
        return f"indicator.{self.code}"

    def measure(self, row: Mapping) -> dict[str, float]:
        """Value, 95% interval, numerator and denominator for one row of counts (one
        community, one period). A period the data does not cover gives NaN throughout."""
        nan = math.nan
        events = _num(row.get(self.numerator))
        out = {"events": events, "base": nan, "value": nan, "lower": nan, "upper": nan}
        if not bool(row.get("covered", True)) or math.isnan(events):
            out["events"] = nan
            return out
        if self.kind == PROPORTION:
            total = _num(row.get(self.denominator))
            out["base"] = total
            factor = self.factor(row)
            if math.isnan(total) or total <= 0 or math.isnan(factor):
                return out
            lower, upper = stats.wilson_interval(events, total)
            out.update(value=events / total * factor, lower=lower * factor, upper=upper * factor)
            return out
        exposure = self.exposure(row)
        if math.isnan(exposure) or exposure <= 0:
            return out
        lower, upper = stats.poisson_interval(events)
        out.update(value=events / exposure, lower=lower / exposure, upper=upper / exposure)
        return out

    def change(self, now: Mapping, before: Mapping) -> tuple[str, float, float, float]:
        """(kind, estimate, lower, upper) of the change from `before` to `now`: the rate
        ratio now/before for a rate, the difference now - before of the values for a
        proportion (Newcombe). NaN where either period is not covered or empty."""
        nan = math.nan
        if not (bool(now.get("covered", True)) and bool(before.get("covered", True))):
            return ("none", nan, nan, nan)
        x1, x0 = _num(now.get(self.numerator)), _num(before.get(self.numerator))
        if self.kind == RATE:
            e1, e0 = self.exposure(now), self.exposure(before)
            if not (e1 > 0 and e0 > 0) or math.isnan(x1) or math.isnan(x0):
                return ("rate_ratio", nan, nan, nan)
            return ("rate_ratio", *stats.rate_ratio(x1, e1, x0, e0, method=stats.AUTO))
        n1, n0 = _num(now.get(self.denominator)), _num(before.get(self.denominator))
        factor = self.factor(now)
        if not (n1 > 0 and n0 > 0) or math.isnan(factor):
            return ("difference", nan, nan, nan)
        diff, lower, upper = stats.proportion_difference(x1, n1, x0, n0)
        return ("difference", diff * factor, lower * factor, upper * factor)

    def comparator_value(self, all_residents: Mapping) -> float:
        """The value for all residents to compare a community's with (NaN: none)."""
        if self.comparator == BY_REFERENCE:
            return float(self.reference)
        if self.comparator == BY_ALL_RESIDENTS:
            return self.measure(all_residents)["value"]
        return math.nan

    def drill_params(self) -> dict[str, str]:
        return dict(self.page_params)


_RATIO_PAGE = "under-representation"
_TRENDS_PAGE = "monthly-trends"

_INDICATORS = (
    Indicator(
        code="contact_ratio",
        kind=PROPORTION,
        numerator="contacts",
        denominator="contacts_recorded",
        factor=_population_factor,
        unit=RATIO,
        reference=1.0,
        comparator=BY_REFERENCE,
        page=_RATIO_PAGE,
    ),
    Indicator(
        code="report_ratio",
        kind=PROPORTION,
        numerator="reports",
        denominator="reports_recorded",
        factor=_population_factor,
        unit=RATIO,
        reference=1.0,
        comparator=BY_REFERENCE,
        records="reports",
        page=_RATIO_PAGE,
    ),
    Indicator(
        code="contacts_per_1000",
        kind=RATE,
        numerator="contacts",
        denominator=None,
        exposure=_resident_years_per_1000,
        unit=PER_1000_YEAR,
        comparator=BY_ALL_RESIDENTS,
        page=_TRENDS_PAGE,
        page_params={"records": "contacts", "scale": "rate"},
    ),
    Indicator(
        code="proactive_share",
        kind=PROPORTION,
        numerator="proactive",
        denominator="proactive_base",
        unit=PERCENT,
        comparator=BY_ALL_RESIDENTS,
        page=_TRENDS_PAGE,
        page_params={"records": "contacts", "direction": "proactive"},
    ),
    Indicator(
        code="proactive_per_month",
        kind=RATE,
        numerator="proactive",
        denominator=None,
        exposure=_months,
        unit=PER_MONTH,
        page=_TRENDS_PAGE,
        page_params={"records": "contacts", "direction": "proactive"},
    ),
    Indicator(
        code="reporting_gap",
        kind=PROPORTION,
        numerator="reports",
        denominator="reports_recorded",
        factor=_population_factor,
        unit=RATIO,
        reference=1.0,
        comparator=BY_REFERENCE,
        records="reports",
        page=_RATIO_PAGE,
    ),
    Indicator(
        code="recording_completeness",
        kind=PROPORTION,
        numerator="records_recorded",
        denominator="all_records",
        unit=PERCENT,
        scope=DISTRICT,
        records="records",
        page="data-quality",
    ),
)

INDICATORS: Mapping[str, Indicator] = MappingProxyType({i.code: i for i in _INDICATORS})


def codes() -> tuple[str, ...]:
    return tuple(INDICATORS)


def get(code: str) -> Indicator:
    try:
        return INDICATORS[code]
    except KeyError:
        raise ValueError(f"unknown indicator {code!r}; known: {codes()}") from None


def rows_for(indicator: Indicator) -> tuple[str, ...]:
    """The population codes an indicator has a scorecard row for."""
    if indicator.scope == DISTRICT:
        return (registry.ALL_RESIDENTS,)
    return registry.codes()


def expected_reports(row: Mapping) -> float:
    """Reports expected from the census share at the all-resident rate (the reporting gap's
    expected number, with a relative-risk factor of 1)."""
    factor = _population_factor(row)
    recorded = _num(row.get("reports_recorded"))
    if math.isnan(factor) or math.isnan(recorded) or not bool(row.get("covered", True)):
        return math.nan
    return recorded / factor


def counts_by_population(raw: pd.DataFrame) -> dict[str, dict]:
    """The query's rows keyed by population code (community codes and all residents)."""
    return {str(r["community"]): r for r in raw.to_dict("records")}
