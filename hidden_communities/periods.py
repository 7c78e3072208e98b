"""Periods written as text, read in one place: the targets file, the scorecard page's
period and the briefing command all use `parse`.

Forms (each side of ".." may use any of them; a single form alone is one period):

- a quarter of the calendar year: `2021Q2` (April to June 2021); `2021Q2..2022Q1` runs
  from the first day of the first quarter to the last day of the second;
- a day: `2021-04-01..2022-03-31`;
- a month: `2021-04..2022-03`;
- a year: `2021..2022` (1 January 2021 to 31 December 2022), `2021` alone.

A period includes both its first and its last day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"(\d{4})[Qq]([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


class PeriodError(ValueError):
    """A period that cannot be read; the message says why in one plain sentence."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"the period ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def whole_months(self) -> int | None:
        """How many calendar months the period is, when it is whole months; else None."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        after = self.end + timedelta(days=1)
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> Period:
        """The period of the same length just before this one (whole months stay whole
        months: the quarter before a quarter, the year before a year)."""
        months = self.whole_months()
        if months is not None:
            start = _add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_earlier(self) -> Period:
        """The same period a year earlier (29 February becomes the 28th)."""
        return Period(_minus_year(self.start), _minus_year(self.end))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def code(self) -> str:
        """The shortest text `parse` reads back as this period (quarters where it can)."""
        months = self.whole_months()
        if months is not None and months % 3 == 0 and self.start.month % 3 == 1:
            last = _add_months(self.start, months - 3)
            first_q, last_q = _quarter(self.start), _quarter(last)
            return first_q if months == 3 else f"{first_q}..{last_q}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _month_end(year: int, month: int) -> date:
    return _add_months(date(year, month, 1), 1) - timedelta(days=1)


def _bounds(part: str) -> tuple[date, date]:
    """The first and last day one form stands for."""
    part = part.strip()
    try:
        if match := _QUARTER.fullmatch(part):
            year, quarter = int(match[1]), int(match[2])
            first = date(year, 3 * quarter - 2, 1)
            return first, _month_end(year, 3 * quarter)
        if _DAY.fullmatch(part):
            year, month, day = (int(x) for x in part.split("-"))
            return (found := date(year, month, day)), found
        if match := _MONTH.fullmatch(part):
            year, month = int(match[1]), int(match[2])
            return date(year, month, 1), _month_end(year, month)
        if _YEAR.fullmatch(part):
            year = int(part)
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise PeriodError(f"{part!r} is not a date") from None
    raise PeriodError(
        f"{part!r} is not a period: write a quarter (2021Q2), a day (2021-04-01), a month "
        "(2021-04) or a year (2021), or two of them joined by '..'"
    )


def parse(value: str) -> Period:
    """A period from text (see the module's forms). PeriodError says what is wrong."""
    if not isinstance(value, str) or not value.strip():
        raise PeriodError("the period is empty")
    parts = value.split("..")
    if len(parts) > 2:
        raise PeriodError(f"{value!r} has more than one '..'")
    first, _ = _bounds(parts[0])
    _, last = _bounds(parts[-1])
    return Period(first, last)


def latest_full_year(last_day: date) -> Period:
    """The twelve whole calendar months ending with the last month the data covers to its
    end (the month before `last_day`'s month, unless `last_day` is a month's last day)."""
    after = last_day + timedelta(days=1)
    end_month_start = date(after.year, after.month, 1)  # first day after the last whole month
    return Period(_add_months(end_month_start, -12), end_month_start - timedelta(days=1))


def choices(first_day: date, last_day: date) -> list[Period]:
    """Periods to offer for a scorecard over data from `first_day` to `last_day`: the latest
    full year first (the default), then each earlier full year the data covers, then the
    latest year's four quarters, latest first. Only whole months the data spans."""
    latest = latest_full_year(last_day)
    first_month = date(first_day.year, first_day.month, 1)
    years, year = [], latest
    while year.start >= first_month:
        years.append(year)
        year = year.previous()
    quarters = []
    quarter_end = latest.end
    for _ in range(4):
        start = _add_months(quarter_end + timedelta(days=1), -3)
        if start < first_month:
            break
        quarters.append(Period(start, quarter_end))
        quarter_end = start - timedelta(days=1)
    return years + quarters if years else quarters
