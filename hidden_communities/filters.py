"""The shared filters: one spec drives the sidebar widgets, the URL, the SQL parameters
and the description in words, and `Filters` is the value every page reads.

URLs carry codes (`?audience=public&community=eastern_european`); `parse_list` also
accepts the English labels older links carried, so a shared link still opens its view.

The public audience sees a fixed set of published views, not free filters: a period of
whole calendar quarters or years (`public_periods`), the communities, areas of MSOA size or
larger (`levels_for`), every channel, direction, crime type and strand together. Any other
filter a link carries (`PUBLIC_FIXED`) is ignored with a note, never applied; so no two
public views differ by a few days, one channel or one small area.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import periods, registry, text, vocab
from .periods import Period


@dataclass(frozen=True)
class ChoiceFilter:
    """A many-of filter on coded values.

    `key` is the widget key and the URL parameter; `field` the `Filters` attribute;
    `vocabulary` the allowed codes (a live view, so registered communities follow);
    `label_key` the widget's label in the catalogues; `sql_param` the SQL parameter
    (None: the filter chooses what is shown, not which records are counted);
    `records` which record tables it filters; `kind` the catalogue kind of its codes;
    `describe_key` the words for it in the filter's description.
    """

    key: str
    field: str
    vocabulary: Mapping[str, str]
    label_key: str
    sql_param: str | None
    records: tuple[str, ...]
    kind: str
    describe_key: str | None = None
    section: str = "main"  # main | contacts | reports: where the sidebar draws it

    def codes(self) -> tuple[str, ...]:
        return tuple(self.vocabulary)


CHOICE_FILTERS = (
    ChoiceFilter(
        "community",
        "communities",
        vocab.COMMUNITIES,
        "filter.communities",
        None,
        (),
        "community",
    ),
    ChoiceFilter(
        "channel",
        "channels",
        vocab.CHANNELS,
        "filter.channel",
        "channels",
        ("contacts",),
        "channel",
        "filter.channels_chosen",
        "contacts",
    ),
    ChoiceFilter(
        "direction",
        "directions",
        vocab.DIRECTIONS,
        "filter.direction",
        "directions",
        ("contacts",),
        "direction",
        "filter.directions_chosen",
        "contacts",
    ),
    ChoiceFilter(
        "crime",
        "crime_types",
        vocab.CRIME_TYPES,
        "filter.crime_type",
        "crime_types",
        ("reports",),
        "crime_type",
        "filter.crime_types_chosen",
        "reports",
    ),
    ChoiceFilter(
        "strand",
        "hate_strands",
        vocab.HATE_STRANDS,
        "filter.hate_strand",
        "hate_strands",
        ("reports",),
        "hate_strand",
        "filter.hate_strands_chosen",
        "reports",
    ),
)
CHOICES_BY_KEY = {spec.key: spec for spec in CHOICE_FILTERS}

AUDIENCES = vocab.AUDIENCES
DEFAULT_AUDIENCE = "inspector"
REPORT_SCOPES = vocab.REPORT_SCOPES
DEFAULT_REPORT_SCOPE = vocab.DEFAULT_REPORT_SCOPE
# Which records an area filter and the period apply to (every query).
PERIOD_PARAMS = ("start_date", "end_date")
AREA_PARAM = "area_codes"


def _all_communities() -> tuple[str, ...]:
    return registry.codes()


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    communities: tuple[str, ...] = field(default_factory=_all_communities)
    areas: tuple[str, ...] = ()  # ward or LSOA codes; empty = the whole district
    channels: tuple[str, ...] = ()  # empty = every channel
    directions: tuple[str, ...] = ()
    crime_types: tuple[str, ...] = ()
    hate_strands: tuple[str, ...] = ()
    audience: str = DEFAULT_AUDIENCE
    # victim_based: reports count victim-based crime only (Home Office Counting Rules)
    # unless crime types are chosen; all_reports: every crime type and anti-social behaviour.
    report_scope: str = DEFAULT_REPORT_SCOPE

    # ---- SQL parameters ------------------------------------------------------------
    def _params(self, records: str) -> dict:
        params = {"start_date": self.start, "end_date": self.end, AREA_PARAM: list(self.areas)}
        for spec in CHOICE_FILTERS:
            if spec.sql_param and records in spec.records:
                params[spec.sql_param] = list(getattr(self, spec.field))
        return params

    def contact_params(self) -> dict:
        return self._params("contacts")

    def report_params(self) -> dict:
        params = self._params("reports")
        if self.scope_applies():
            params["crime_types"] = list(vocab.VICTIM_BASED_CRIME_TYPES)
        return params

    def scope_applies(self) -> bool:
        """Whether the victim-based default narrows the reports (chosen crime types are
        counted as chosen)."""
        return self.report_scope == "victim_based" and not self.crime_types

    def params(self) -> dict:
        """Every SQL parameter a query over both tables needs."""
        return {**self.contact_params(), **self.report_params()}

    # ---- words ---------------------------------------------------------------------
    def describe(self, area_names: Mapping[str, str] | None = None) -> str:
        """The filter in one sentence, for the line above each chart."""
        area_names = area_names or {}
        parts = [
            text.t(
                "filter.period_range",
                start=text.date(self.start, "short"),
                end=text.date(self.end, "short"),
            )
        ]
        if self.areas:
            names = ", ".join(area_names.get(a, a) for a in self.areas)
            parts.append(text.t("filter.areas", names=names))
        else:
            parts.append(text.t("filter.whole_district"))
        for spec in CHOICE_FILTERS:
            chosen = getattr(self, spec.field)
            if spec.describe_key and chosen:
                names = ", ".join(text.label(spec.kind, c) for c in chosen)
                parts.append(text.t(spec.describe_key, names=names))
        if self.scope_applies():
            parts.append(text.t("filter.scope_victim_based"))
        elif not self.crime_types:
            parts.append(text.t("filter.scope_all_reports"))
        return "; ".join(parts)


# ---- reading a link ------------------------------------------------------------------


def parse_codes(values: Iterable[str], codes: Iterable[str], kind: str) -> tuple[list, list]:
    """The known codes among URL values, accepting the English labels of older links
    (case-insensitive); returns (codes, values not understood)."""
    codes = tuple(codes)
    by_label = text.old_labels(kind, codes)
    found, unknown = [], []
    for value in values:
        value = str(value).strip()
        code = value if value in codes else by_label.get(value.lower())
        if code is None:
            unknown.append(value)
        elif code not in found:
            found.append(code)
    return found, unknown


def parse_one(value: str | None, codes: Iterable[str], kind: str, default: str) -> str:
    """One code from a URL value (or an old label); the default when not understood."""
    if value is None:
        return default
    found, _ = parse_codes([value], codes, kind)
    return found[0] if found else default


def parse_period(values: Iterable[str], first: date, last: date) -> tuple[date, date, str | None]:
    """A period from URL dates (ISO or dd/mm/yyyy): two dates, in either order. Returns
    (start, end, note code): the data's span where the link has no usable period."""
    parsed = []
    for value in values:
        day = _date(value)
        if day is not None:
            parsed.append(day)
    if len(parsed) != 2:
        return first, last, None
    start, end = parsed
    if start > end:
        return end, start, "filter.period_reversed"
    return start, end, None


def _date(value: str) -> date | None:
    value = str(value).strip()
    for parse in (date.fromisoformat, _uk_date):
        try:
            day = parse(value)
        except (ValueError, TypeError):
            continue
        if date(1900, 1, 1) <= day <= date(2100, 12, 31):
            return day
    return None


def _uk_date(value: str) -> date:
    day, month, year = value.split("/")
    return date(int(year), int(month), int(day))


# ---- the public audience's published views ----------------------------------------------

PUBLIC = "public"
#: URL parameters a public view does not offer: a link that carries them is shown the
#: published view with a note, and they are never applied. (`period` is read only where it
#: names exactly a published period.)
PUBLIC_FIXED = ("start", "end", "channel", "direction", "crime", "strand", "ward", "lsoa", "scope")
#: Area levels a public view may show: MSOAs (about 7,000 residents) or the whole district.
PUBLIC_LEVELS = ("msoa", "district")
#: The page choices that pick an area level (the map and funnel's `geo`, the published
#: crime page's `published_geo`).
LEVEL_PARAMS = ("geo", "published_geo")


def levels_for(audience: str, levels: Mapping[str, str]) -> dict[str, str]:
    """The area levels of a page's choice (code -> label) an audience may see: for the
    public, only MSOAs and the whole district."""
    if audience != PUBLIC:
        return dict(levels.items())
    return {code: label for code, label in levels.items() if code in PUBLIC_LEVELS}


def _quarter(year: int, quarter: int) -> Period:
    return periods.parse(f"{year}Q{quarter}")


def _quarter_of(day: date) -> Period:
    return _quarter(day.year, (day.month - 1) // 3 + 1)


def public_periods(first_day: date, last_day: date) -> list[Period]:
    """The periods a public view offers over data from `first_day` to `last_day`, whole
    calendar quarters only, each within the whole months the data covers: the latest four
    quarters first (the default; a calendar year when they are one), then each calendar
    year, then each quarter, latest first. With less than a quarter of data, the quarters
    the data falls in."""
    first_month = date(first_day.year, first_day.month, 1)
    last_end = periods.latest_full_year(last_day).end  # the last whole month's last day
    quarters = []
    year, quarter = first_month.year, (first_month.month - 1) // 3 + 1
    while True:
        span = _quarter(year, quarter)
        if span.start > last_end:
            break
        if span.start >= first_month and span.end <= last_end:
            quarters.append(span)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    quarters.reverse()
    if not quarters:
        found, span = [], _quarter_of(first_day)
        while span.start <= last_day:
            found.append(span)
            span = _quarter_of(span.end + timedelta(days=1))
        return found[::-1]
    years = [
        Period(date(y, 1, 1), date(y, 12, 31))
        for y in range(quarters[0].end.year, quarters[-1].start.year - 1, -1)
        if date(y, 1, 1) >= first_month and date(y, 12, 31) <= last_end
    ]
    offered = []
    if len(quarters) >= 4:
        latest = Period(quarters[3].start, quarters[0].end)
        if latest not in years:
            offered.append(latest)
    return offered + years + quarters


def period_code(period: Period) -> str:
    """A published period as it goes in a link: "2021", "2021Q2" or "2021Q2..2022Q1"."""
    if period == Period(date(period.start.year, 1, 1), date(period.start.year, 12, 31)):
        return str(period.start.year)
    return period.code()


def period_label(period: Period) -> str:
    """A published period in words: "2021", "Q2 2021: Apr 2021 to Jun 2021", "Four
    quarters: Apr 2021 to Mar 2022"."""
    code = period_code(period)
    start, end = text.date(period.start, "month_short"), text.date(period.end, "month_short")
    if code.isdigit():
        return text.t("public_views.period_year", year=code)
    if "." not in code:
        quarter = (period.start.month - 1) // 3 + 1
        return text.t(
            "public_views.period_quarter",
            quarter=quarter,
            year=period.start.year,
            start=start,
            end=end,
        )
    return text.t("public_views.period_quarters", start=start, end=end)


def published_period(values: Iterable[str], offered: Iterable[Period]) -> Period | None:
    """The published period a link's `period` names exactly (a code such as "2021Q2", or
    the first and last day of one), or None: a public view takes no other period."""
    values = [str(v).strip() for v in values]
    offered = list(offered)
    wanted = None
    if len(values) == 1:
        try:
            wanted = periods.parse(values[0])
        except periods.PeriodError:
            return None
    elif len(values) == 2:
        days = [_date(v) for v in values]
        if None in days:
            return None
        wanted = Period(min(days), max(days))
    return wanted if wanted in offered else None


def public_filters(period: Period, communities: Iterable[str]) -> Filters:
    """The filters of a public view: the period and communities chosen, every channel,
    direction, crime type and strand, the whole district, the default report scope."""
    chosen = tuple(c for c in communities if c in registry.codes())
    return Filters(
        start=period.start,
        end=period.end,
        communities=chosen or registry.codes(),
        audience=PUBLIC,
    )
