"""Rates per 1,000 residents a year: a count over a period of any length, annualised.

rate = count / residents × 1,000 × 365.25 / days, where days is the number of days the
period covers (both ends included). Every page that shows a rate per 1,000 states the
period it covers (`period_note`). No streamlit here.
"""

from __future__ import annotations

from datetime import date

from . import text

YEAR_DAYS = 365.25
PER = 1000


def days(start: date, end: date) -> int:
    """Days from `start` to `end`, both included (0 for an empty period)."""
    return max((end - start).days + 1, 0)


def per_year(period_days: float) -> float:
    """What count / residents is multiplied by for a rate per 1,000 residents a year."""
    if period_days <= 0:
        raise ValueError(f"a period needs at least one day, got {period_days}")
    return PER * YEAR_DAYS / period_days


def period_note(start: date, end: date) -> str:
    """The period the annualised rates cover, in words."""
    return text.t(
        "annual.note",
        days=text.number(days(start, end)),
        start=text.date(start, "short"),
        end=text.date(end, "short"),
    )
