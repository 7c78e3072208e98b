"""Statistical disclosure control: one rule set, three audiences.

Every table, chart and export passes the DataFrame a query returned through
``apply_disclosure(df, spec, audience)`` before it is shown, so no page can bypass the
rules. ``DisclosureSpec`` says what each column is (a count, a rate/ratio/interval
derived from a count, free text, a point location, ...); the audience decides what
happens to it.

The public audience's counts are published before that, at source: the dashboard's data
access (ui/store.py) passes every query result through ``publish_query`` when the audience
is the public, so each count a query declares (queries/__init__.py) is rounded to the
nearest 5 and withheld from 1 to 9 before any page derives a share, rate, ratio, interval,
fit or total from it; together with the public's fixed views (hidden_communities/filters.py)
no difference of two public figures is an exact small count.

=================  =========================  ==================  ==============
rule               public                     leadership          inspector
=================  =========================  ==================  ==============
views              fixed and published:       any filter          any filter
                   whole quarters or years,
                   MSOA or district, no
                   channel, crime-type,
                   strand or area filter
counts             published at source        shown               shown
                   (``publish_query``):
                   rounded to base 5, 1 to 9
                   withheld ("<10"), 0 stays
rate, ratio,       "too few to say" where     as public           shown
interval           the (published) numerator
                   is under 10
free text          dropped                    dropped             shown
point locations    dropped                    dropped             shown
area level         census geography only      as public           any
numeric columns    every one declared in the  as public           -
                   spec (and, at source, in
                   the query's header)
small numbers      -                          -                   ``small_number``
                                                                  column (True/False)
=================  =========================  ==================  ==============

For a frame that reaches ``apply_disclosure`` unpublished (built outside the dashboard's
data access), the public rules keep the earlier second line: counts 1 to 4 shown as "<5",
with secondary suppression wherever a shown total would reveal one. Published counts
never trigger it (they are 0, missing or 10 and over); a missing public count says "<10".

Suppressed cells become missing (NaN / pd.NA), never the original value, and a
companion string column ``<column>_note`` says why ("<10", "<5", "suppressed",
"too few to say"; "" where shown), so charts skip missing values and tables can show
the note (``format_for_display``). ``disclosed_totals`` gives the group totals under
the same rules: pages that show totals must take them from there, not from raw data.

The rules are in ``RULES``, one row per audience: change them there and every page
follows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from . import text
from .stats import MIN_NUMERATOR, TOO_FEW_TO_SAY

__all__ = [
    "ALLOWED_AREA_LEVELS",
    "AUDIENCES",
    "CENSUS_GEOGRAPHIES",
    "INSPECTOR",
    "LEADERSHIP",
    "MIN_NUMERATOR_FOR_RATES",
    "NOTE_SECONDARY",
    "NOTE_SMALL_COUNT",
    "NOTE_SUFFIX",
    "NOTE_TOO_FEW",
    "NOTE_WITHHELD",
    "PUBLIC",
    "PUBLIC_ROWS",
    "PUBLISH_FROM",
    "ROUNDING_BASE",
    "RULES",
    "SMALL_COUNT_THRESHOLD",
    "SMALL_NUMBER_COLUMN",
    "SUMMARY_LEVELS",
    "AudienceRules",
    "DisclosureSpec",
    "apply_disclosure",
    "disclosed_totals",
    "format_for_display",
    "note_text",
    "publish_counts",
    "publish_query",
    "round_count",
]

INSPECTOR = "inspector"
LEADERSHIP = "leadership"
PUBLIC = "public"
AUDIENCES = (INSPECTOR, LEADERSHIP, PUBLIC)

#: Counts from 1 up to (not including) this are shown as "<5" in public output.
SMALL_COUNT_THRESHOLD = 5
#: No rate, ratio or interval is shown where its numerator is under this.
MIN_NUMERATOR_FOR_RATES = MIN_NUMERATOR

#: Census 2021 geographies an area may be reported at (finest first), and the levels of
#: summary rows ("all" areas, "total") that are allowed alongside them.
CENSUS_GEOGRAPHIES = ("lsoa", "msoa", "ward", "district")
SUMMARY_LEVELS = ("all", "total")
ALLOWED_AREA_LEVELS = CENSUS_GEOGRAPHIES + SUMMARY_LEVELS

NOTE_SMALL_COUNT = "small_count"
NOTE_SECONDARY = "suppressed"
NOTE_TOO_FEW = TOO_FEW_TO_SAY
NOTE_SUFFIX = "_note"


def note_text(note: str) -> str:
    """A note code in words ("small_count" -> "<5", "withheld" -> "<10"); "" stays ""."""
    return text.label("note", note) if note else ""


SMALL_NUMBER_COLUMN = "small_number"


@dataclass(frozen=True)
class AudienceRules:
    """What one audience may see. ``RULES`` holds one per audience."""

    suppress_small_counts: bool  # counts 1..4 -> missing, note "<5"
    secondary_suppression: bool  # protect "<5" cells from group totals
    suppress_small_numerators: bool  # rates/ratios/intervals with numerator < 10
    drop_free_text: bool
    drop_point_location: bool
    census_geography_only: bool  # every row's area level must be a census geography
    declared_numeric_only: bool  # every numeric column must be declared in the spec
    flag_small_numbers: bool  # add the boolean ``small_number`` column


RULES: Mapping[str, AudienceRules] = MappingProxyType(
    {
        INSPECTOR: AudienceRules(
            suppress_small_counts=False,
            secondary_suppression=False,
            suppress_small_numerators=False,
            drop_free_text=False,
            drop_point_location=False,
            census_geography_only=False,
            declared_numeric_only=False,
            flag_small_numbers=True,
        ),
        LEADERSHIP: AudienceRules(
            suppress_small_counts=False,
            secondary_suppression=False,
            suppress_small_numerators=True,
            drop_free_text=True,
            drop_point_location=True,
            census_geography_only=True,
            declared_numeric_only=True,
            flag_small_numbers=False,
        ),
        PUBLIC: AudienceRules(
            suppress_small_counts=True,
            secondary_suppression=True,
            suppress_small_numerators=True,
            drop_free_text=True,
            drop_point_location=True,
            census_geography_only=True,
            declared_numeric_only=True,
            flag_small_numbers=False,
        ),
    }
)


def _names(value: str | Iterable[str] | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    names = tuple(value)
    if not all(isinstance(n, str) for n in names):
        raise ValueError(f"{what} must be column names (strings), got {value!r}")
    return names


@dataclass(frozen=True)
class DisclosureSpec:
    """The role of each column of a query's DataFrame.

    counts: count columns (events: contacts, reports, people). 1..4 become "<5" in
        public output. List every count column: the numerator of every derived column
        must be one of them.
    derived: maps each rate / ratio / share / interval / classification column to the
        count column that is its numerator, e.g. ``{"rate": "contacts", "rate_lower":
        "contacts", "rate_upper": "contacts"}``. When a derived column is computed from
        other count columns too (a share: group_count / total_count), give them all,
        numerator first: ``{"share": ("group_count", "total_count")}``; the derived cell
        is then also hidden wherever any of them is hidden, since it would let a reader
        work the hidden count back out.
    groups: the columns whose values identify a group of rows whose total is shown
        (e.g. ``("month",)``: the monthly total over the communities). None means the
        whole frame is one group. For a two-way table with row and column totals give
        several groupings: ``(("month",), ("area_code",))``.
    totals_shown: whether group totals are visible anywhere (the table, a chart, a
        headline figure). When True, public output suppresses a second cell wherever a
        total would reveal a "<5" cell.
    free_text: free-text columns (notes, references): dropped for leadership and public.
    point_location: columns finer than census geography (latitude, longitude, street,
        postcode): dropped for leadership and public.
    area_level_column: the column naming each row's geography ("lsoa", "msoa", "ward",
        "district", or "all"/"total" for summary rows); for leadership and public any
        other value is a ValueError.
    public_columns: numeric columns that are already public and safe to show (census
        populations and shares, years, area sizes). For leadership and public every
        numeric column must be declared somewhere in the spec, so an undeclared count
        cannot slip through: an undeclared one is a ValueError.
    """

    counts: tuple[str, ...] = ()
    derived: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    groups: tuple[str, ...] | tuple[tuple[str, ...], ...] | None = None
    totals_shown: bool = True
    free_text: tuple[str, ...] = ()
    point_location: tuple[str, ...] = ()
    area_level_column: str | None = None
    public_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "counts", _names(self.counts, "counts"))
        set_(self, "free_text", _names(self.free_text, "free_text"))
        set_(self, "point_location", _names(self.point_location, "point_location"))
        set_(self, "public_columns", _names(self.public_columns, "public_columns"))
        derived = {
            col: (inputs if isinstance(inputs, str) else _names(inputs, "derived inputs"))
            for col, inputs in dict(self.derived or {}).items()
        }
        set_(self, "derived", MappingProxyType(derived))
        if self.groups is not None:
            groups = (self.groups,) if isinstance(self.groups, str) else tuple(self.groups)
            if groups and all(isinstance(g, str) for g in groups):
                normalised: tuple[tuple[str, ...], ...] = (groups,)
            else:
                normalised = tuple(_names(g, "groups") for g in groups)
            set_(self, "groups", normalised)
        for col, inputs in self.derived_inputs.items():
            if not inputs:
                raise ValueError(f"derived column {col!r} needs its numerator")
            for name in inputs:
                if name not in self.counts:
                    raise ValueError(
                        f"derived column {col!r} uses {name!r}, which is not listed in counts"
                    )
        roles = {
            "counts": set(self.counts),
            "derived": set(derived),
            "free_text": set(self.free_text),
            "point_location": set(self.point_location),
            "public_columns": set(self.public_columns),
        }
        seen: dict[str, str] = {}
        for role, cols in roles.items():
            for col in cols:
                if col in seen:
                    raise ValueError(f"column {col!r} is in both {seen[col]} and {role}")
                seen[col] = role

    def _key(self) -> tuple:
        return (
            self.counts,
            tuple(self.derived.items()),
            self.groups,
            self.totals_shown,
            self.free_text,
            self.point_location,
            self.area_level_column,
            self.public_columns,
        )

    def __hash__(self) -> int:  # the derived mapping is read-only, so the spec is hashable
        return hash(self._key())

    def __reduce__(self):  # picklable (e.g. for caching) despite the read-only mapping
        key = self._key()
        return (type(self), (key[0], dict(key[1]), *key[2:]))

    @property
    def derived_inputs(self) -> Mapping[str, tuple[str, ...]]:
        """Each derived column's count inputs as a tuple, numerator first."""
        return {
            col: (inputs,) if isinstance(inputs, str) else tuple(inputs)
            for col, inputs in self.derived.items()
        }

    @property
    def groupings(self) -> tuple[tuple[str, ...], ...]:
        """The groupings whose totals are shown; ``((),)`` (one group) when groups is None."""
        if self.groups is None:
            return ((),)
        return self.groups  # type: ignore[return-value]


def _rules(audience: str) -> AudienceRules:
    if audience not in RULES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")
    return RULES[audience]


def _values(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _check_count_values(name: str, values: np.ndarray) -> None:
    finite = values[np.isfinite(values)]
    if np.any(finite < 0):
        raise ValueError(f"count column {name!r} has negative values")
    if np.any(finite != np.floor(finite)):
        raise ValueError(f"count column {name!r} has values that are not whole numbers")


def _group_codes(df: pd.DataFrame, cols: tuple[str, ...]) -> np.ndarray:
    if not cols:
        return np.zeros(len(df), dtype=int)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"group columns {missing} are not in the frame")
    return df.groupby(list(cols), dropna=False, sort=False).ngroup().to_numpy()


# --------------------------------------------------------------------------------------
# Secondary suppression
# --------------------------------------------------------------------------------------
#
# What a reader of public output knows about one group of one count column: the group
# total (when totals are shown), every shown value, which cells are "<5" (so 1..4) and
# which are "suppressed" (so not 1..4: 0 or 5 and more). A suppressed cell is recoverable
# when those facts leave it a single possible value. With one suppressed cell that is
# always so (total minus the rest); with two "<5" cells summing to 2 or 8, or a "<5" cell
# whose partner can only be a zero, too. The checks below work on sets of whole numbers
# held as lists of closed intervals (hi may be infinite).

_Intervals = list[tuple[float, float]]


def _merge(intervals: _Intervals) -> _Intervals:
    merged: _Intervals = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _add(a: _Intervals, b: _Intervals) -> _Intervals:
    return _merge([(a0 + b0, a1 + b1) for a0, a1 in a for b0, b1 in b])


def _domain(primary: bool) -> _Intervals:
    if primary:
        return [(1, SMALL_COUNT_THRESHOLD - 1)]
    return [(0, 0), (SMALL_COUNT_THRESHOLD, math.inf)]


def _possible_values(target: float, cell: _Intervals, others: _Intervals, cap: int = 2) -> int:
    """How many whole values v in ``cell`` leave ``target - v`` in ``others`` (up to cap)."""
    found = 0
    for c0, c1 in cell:
        for o0, o1 in others:
            lo = max(c0, target - o1, 0)
            hi = min(c1, target - o0, target)
            if hi >= lo:
                found += int(min(hi - lo + 1, cap))
                if found >= cap:
                    return found
    return found


def _recoverable(values: np.ndarray, primary: np.ndarray, suppressed: np.ndarray) -> bool:
    """Whether the group total and the shown cells pin down any suppressed cell."""
    hidden = np.flatnonzero(suppressed)
    if hidden.size == 0:
        return False
    if hidden.size == 1:
        return True
    target = float(values[hidden].sum())
    domains = [_domain(bool(primary[i])) for i in hidden]
    for k in range(len(hidden)):
        others: _Intervals = [(0, 0)]
        for j, dom in enumerate(domains):
            if j != k:
                others = _add(others, dom)
        if _possible_values(target, domains[k], others) < 2:
            return True
    return False


def _pick_secondary(values: np.ndarray, idx: np.ndarray, suppressed: np.ndarray) -> int | None:
    """The cell to suppress next in a group: the smallest positive shown value; a zero
    only when no positive value is left (a hidden zero is weak protection: readers often
    know a cell is zero, e.g. a community with no contacts in an area, which would leave
    the "<5" cell recoverable).
    """
    candidates = [i for i in idx if not suppressed[i] and np.isfinite(values[i])]
    positive = [i for i in candidates if values[i] > 0]
    pool = positive or candidates
    if not pool:
        return None
    return min(pool, key=lambda i: (values[i], i))


def _suppress_secondary(
    values: np.ndarray, primary: np.ndarray, groupings: list[np.ndarray]
) -> tuple[np.ndarray, list[set[int]]]:
    """Secondary suppression for one count column.

    Returns the mask of secondary cells and, per grouping, the group codes whose
    suppressed cells could not be protected (every cell already hidden): their totals
    must not be shown (``disclosed_totals`` hides them).
    """
    suppressed = primary.copy()
    members = [_group_members(codes, np.isfinite(values)) for codes in groupings]
    changed = True
    while changed:
        changed = False
        for groups in members:
            for idx in groups.values():
                while _recoverable(values[idx], primary[idx], suppressed[idx]):
                    pick = _pick_secondary(values, idx, suppressed)
                    if pick is None:
                        break
                    suppressed[pick] = True
                    changed = True
    unprotected = [
        {
            code
            for code, idx in groups.items()
            if _recoverable(values[idx], primary[idx], suppressed[idx])
        }
        for groups in members
    ]
    return suppressed & ~primary, unprotected


def _group_members(codes: np.ndarray, keep: np.ndarray) -> dict[int, np.ndarray]:
    """Row positions of each group (only rows where ``keep``), by group code."""
    order = np.argsort(codes, kind="stable")
    order = order[keep[order]]
    sorted_codes = codes[order]
    starts = (
        np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if order.size else []
    )
    bounds = list(starts) + [order.size]
    return {
        int(sorted_codes[bounds[i]]): order[bounds[i] : bounds[i + 1]]
        for i in range(len(bounds) - 1)
    }


# --------------------------------------------------------------------------------------
# The rule set
# --------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """Which cells of which columns to hide, and why."""

    notes: dict[str, np.ndarray]  # column -> array of notes ("" = shown)
    unprotected: dict[str, list[set[int]]]  # count column -> per grouping, group codes


def _check_area_levels(df: pd.DataFrame, spec: DisclosureSpec) -> None:
    col = spec.area_level_column
    if col is None:
        return
    if col not in df.columns:
        raise ValueError(f"area level column {col!r} is not in the frame")
    levels = df[col].astype("string").str.strip().str.lower()
    bad = levels.isna() | ~levels.isin(ALLOWED_AREA_LEVELS)
    if bad.any():
        found = sorted({str(v) for v in df.loc[bad, col]})
        raise ValueError(
            f"rows at area levels {found} are finer than (or not) census geography; "
            f"allowed: {ALLOWED_AREA_LEVELS}"
        )


def _check_declared(df: pd.DataFrame, spec: DisclosureSpec) -> None:
    declared = set(spec.counts) | set(spec.derived) | set(spec.public_columns)
    for grouping in spec.groupings:
        declared |= set(grouping)
    if spec.area_level_column:
        declared.add(spec.area_level_column)
    undeclared = [
        c
        for c in df.columns
        if c not in declared
        and not str(c).endswith(NOTE_SUFFIX)
        and pd.api.types.is_numeric_dtype(df[c])
        and not pd.api.types.is_bool_dtype(df[c])
    ]
    if undeclared:
        raise ValueError(
            f"numeric columns {undeclared} are not declared in the DisclosureSpec: list "
            "them in counts, derived or public_columns"
        )


def _plan(df: pd.DataFrame, spec: DisclosureSpec, rules: AudienceRules) -> _Plan:
    n = len(df)
    counts = [c for c in spec.counts if c in df.columns]
    derived = {c: inputs for c, inputs in spec.derived_inputs.items() if c in df.columns}
    for col, inputs in derived.items():
        absent = [name for name in inputs if name not in df.columns]
        if absent:
            raise ValueError(
                f"derived column {col!r} needs its count columns {absent} in the frame"
            )
    needed = set(counts).union(*derived.values()) if derived else set(counts)
    values = {c: _values(df[c]) for c in needed}
    for c in counts:
        _check_count_values(c, values[c])

    notes: dict[str, np.ndarray] = {}
    hidden: dict[str, np.ndarray] = {}
    unprotected: dict[str, list[set[int]]] = {}
    groupings: list[np.ndarray] = []
    if rules.secondary_suppression and spec.totals_shown:
        groupings = [_group_codes(df, g) for g in spec.groupings]

    for c in counts:
        v = values[c]
        primary = np.zeros(n, dtype=bool)
        if rules.suppress_small_counts:
            primary = (v > 0) & (v < SMALL_COUNT_THRESHOLD)
        secondary = np.zeros(n, dtype=bool)
        if groupings:
            secondary, unprotected[c] = _suppress_secondary(v, primary, groupings)
        col_notes = np.full(n, "", dtype=object)
        if rules.suppress_small_counts:
            # A count the public view has no figure for was withheld when it was published
            # (ui.store publishes every count a query returns): it says "<10".
            col_notes[~np.isfinite(v)] = NOTE_WITHHELD
        col_notes[primary] = NOTE_SMALL_COUNT
        col_notes[secondary] = NOTE_SECONDARY
        notes[c] = col_notes
        hidden[c] = primary | secondary

    nothing = np.zeros(n, dtype=bool)
    for col, inputs in derived.items():
        col_notes = np.full(n, "", dtype=object)
        # Hidden wherever a count it is computed from is hidden (it would reveal it) ...
        input_hidden = np.logical_or.reduce([hidden.get(name, nothing) for name in inputs])
        col_notes[input_hidden] = NOTE_SECONDARY
        if rules.suppress_small_numerators:
            # ... and "too few to say" where the numerator is under 10 (or missing).
            too_few = ~(values[inputs[0]] >= MIN_NUMERATOR_FOR_RATES)
            col_notes[too_few] = NOTE_TOO_FEW
        notes[col] = col_notes
    return _Plan(notes=notes, unprotected=unprotected)


def _small_number_flag(df: pd.DataFrame, spec: DisclosureSpec) -> np.ndarray:
    flag = np.zeros(len(df), dtype=bool)
    for c in spec.counts:
        if c in df.columns:
            v = _values(df[c])
            flag |= (v > 0) & (v < SMALL_COUNT_THRESHOLD)
    for col, inputs in spec.derived_inputs.items():
        if col in df.columns and inputs[0] in df.columns:
            flag |= _values(df[inputs[0]]) < MIN_NUMERATOR_FOR_RATES
    return flag


def _hide(series: pd.Series, mask: np.ndarray, is_count: bool) -> pd.Series:
    """A copy of ``series`` with the cells in ``mask`` missing."""
    if is_count:
        v = _values(series)
        finite = v[np.isfinite(v)]
        if np.all(finite == np.floor(finite)):
            out = pd.array(np.where(np.isfinite(v), v, 0).astype("int64"), dtype="Int64")
            out[~np.isfinite(v) | mask] = pd.NA
            return pd.Series(out, index=series.index, name=series.name)
        return pd.Series(np.where(mask, np.nan, v), index=series.index, name=series.name)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return pd.Series(
            np.where(mask, np.nan, _values(series)), index=series.index, name=series.name
        )
    out = series.astype(object).copy()
    out[mask] = None
    return out


def apply_disclosure(df: pd.DataFrame, spec: DisclosureSpec, audience: str) -> pd.DataFrame:
    """Apply the disclosure rules for ``audience`` to a query result; return a NEW frame.

    * inspector: nothing hidden; a boolean ``small_number`` column is added (True where
      any count is 1..4 or any derived column's numerator is under 10).
    * leadership: counts shown; rates, ratios and intervals whose numerator is under 10
      become missing ("too few to say"); free text and point locations dropped; rows must
      be at a census geography (or a summary level).
    * public: as leadership, and counts 1..4 become missing ("<5"); where group totals
      are shown, further cells are suppressed ("suppressed") until no total, together
      with the shown cells, pins down a hidden one; the rates/ratios of those cells are
      hidden too.

    For every column with a hidden cell a string column ``<column>_note`` (placed right
    after it) says why; it is "" where the value is shown. Unknown audiences, rows at a
    non-census area level, derived columns without their numerator, undeclared numeric
    columns (leadership, public), negative or fractional counts are ValueErrors.
    """
    rules = _rules(audience)
    if not isinstance(df, pd.DataFrame):
        raise TypeError("apply_disclosure needs a pandas DataFrame")
    out = df.copy()
    if rules.flag_small_numbers:
        out[SMALL_NUMBER_COLUMN] = _small_number_flag(out, spec)
    drop = []
    if rules.drop_free_text:
        drop += [c for c in spec.free_text if c in out.columns]
    if rules.drop_point_location:
        drop += [c for c in spec.point_location if c in out.columns]
    out = out.drop(columns=drop)
    if rules.census_geography_only:
        _check_area_levels(out, spec)
    if rules.declared_numeric_only:
        _check_declared(out, spec)

    plan = _plan(out, spec, rules)
    counts = set(spec.counts)
    for col, col_notes in plan.notes.items():
        mask = col_notes != ""
        if not mask.any():
            continue
        out[col] = _hide(out[col], mask, col in counts)
        note_col = f"{col}{NOTE_SUFFIX}"
        if note_col in out.columns:  # a frame disclosed before: its notes (made with the
            # true values) take precedence
            earlier = out[note_col].astype("string").fillna("").to_numpy(dtype=object)
            col_notes = np.where(earlier != "", earlier, col_notes)
            out = out.drop(columns=[note_col])
        out.insert(
            out.columns.get_loc(col) + 1,
            note_col,
            pd.Series(list(col_notes), index=out.index, dtype="string"),
        )
    return out


def disclosed_totals(
    df: pd.DataFrame,
    spec: DisclosureSpec,
    audience: str,
    grouping: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Group totals of the count columns under the same rules, from the ORIGINAL frame.

    One row per group of ``grouping`` (default: the spec's first grouping; the whole
    frame when the spec has no groups), with the group columns and the summed count
    columns. For the public, a total of 1..4 is shown as "<5", and a total that would
    reveal a hidden cell that no other cell could protect (e.g. a group of one row) is
    "suppressed"; a ``<column>_note`` column says so, as in ``apply_disclosure``.
    """
    rules = _rules(audience)
    cols = tuple(grouping) if grouping is not None else spec.groupings[0]
    if cols not in spec.groupings and rules.secondary_suppression:
        raise ValueError(f"grouping {cols} is not one of the spec's groupings {spec.groupings}")
    counts = [c for c in spec.counts if c in df.columns]
    work = df[list(cols) + counts].copy()
    for c in counts:
        v = _values(work[c])
        _check_count_values(c, v)
        work[c] = v
    codes = _group_codes(work, cols)
    work["_group"] = codes
    totals = work.groupby("_group", sort=True)[counts].sum(min_count=1)
    keys = work.drop_duplicates("_group").set_index("_group")[list(cols)]
    out = keys.loc[totals.index].join(totals).reset_index(drop=True)
    for c in counts:
        out[c] = _hide(out[c], np.zeros(len(out), dtype=bool), True)
    group_codes = totals.index.to_numpy()
    if rules.flag_small_numbers:
        flag = np.zeros(len(out), dtype=bool)
        for c in counts:
            v = _values(out[c])
            flag |= (v > 0) & (v < SMALL_COUNT_THRESHOLD)
        out[SMALL_NUMBER_COLUMN] = flag
    if not (rules.suppress_small_counts or rules.secondary_suppression):
        return out
    plan = _plan(df, spec, rules) if (rules.secondary_suppression and spec.totals_shown) else None
    position = spec.groupings.index(cols) if cols in spec.groupings else None
    for c in counts:
        v = _values(out[c])
        col_notes = np.full(len(out), "", dtype=object)
        if rules.suppress_small_counts:
            col_notes[(v > 0) & (v < SMALL_COUNT_THRESHOLD)] = NOTE_SMALL_COUNT
        if plan is not None and position is not None:
            bad = plan.unprotected.get(c, [set()] * len(spec.groupings))[position]
            unsafe = np.isin(group_codes, list(bad)) & (col_notes == "")
            col_notes[unsafe] = NOTE_SECONDARY
        mask = col_notes != ""
        if mask.any():
            out[c] = _hide(out[c], mask, True)
            out.insert(
                out.columns.get_loc(c) + 1,
                f"{c}{NOTE_SUFFIX}",
                pd.Series(list(col_notes), index=out.index, dtype="string"),
            )
    return out


def format_for_display(
    df: pd.DataFrame,
    float_format: str = "{:,.2f}",
    formats: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A copy for tables and CSV: each column with a ``<column>_note`` companion becomes
    text, with the note ("<5", "suppressed", "too few to say") where the value is
    missing; the note columns are dropped.

    Whole-number columns are written as integers; other numbers with ``float_format``
    (or ``formats[column]``). A missing value without a note becomes "". Columns without
    a note companion are left as they are.
    """
    formats = dict(formats or {})
    out = df.copy()
    note_cols = []
    for col in df.columns:
        note_col = f"{col}{NOTE_SUFFIX}"
        if note_col not in df.columns or str(col).endswith(NOTE_SUFFIX):
            continue
        note_cols.append(note_col)
        series = df[col]
        notes = df[note_col].astype("string").fillna("")
        is_int = pd.api.types.is_integer_dtype(series)
        fmt = formats.get(col, float_format)
        text = []
        for value, note in zip(series.tolist(), notes.tolist(), strict=True):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                text.append(note_text(note))
            elif col in formats:
                text.append(fmt.format(value))
            elif is_int:
                text.append(str(int(value)))
            elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
                text.append(fmt.format(value))
            else:
                text.append(str(value))
        out[col] = pd.Series(text, index=df.index, dtype=object)
    return out.drop(columns=note_cols)


# ------------------------------------------------------------------------------ published counts

#: Public counts are published rounded to a multiple of this (Census 2021's flexible tables
#: round to base 5 too), so the difference of any two published figures is a multiple of 5
#: and can never be an exact small count.
ROUNDING_BASE = 5
#: Public counts under this (before rounding) are not published at all.
PUBLISH_FROM = 10
#: The note of a count the public view withholds (1 to 9): "<10".
NOTE_WITHHELD = "withheld"

#: Rows of a query's result that the public view keeps (column, value): a breakdown whose
#: total is a row of the same result is not published beside it, so no total stands next
#: to cells it could be compared with (the before/after table keeps every channel together).
PUBLIC_ROWS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {"trend_before_after": ("channel", "all")}
)


def round_count(value: object) -> object:
    """A count as published: rounded to the nearest multiple of 5, missing from 1 to 9; a
    true zero stays 0 (it says nothing about anyone); missing stays missing."""
    if value is None or pd.isna(value):
        return pd.NA
    count = int(value)
    if 0 < count < PUBLISH_FROM:
        return pd.NA
    return ((count + ROUNDING_BASE // 2) // ROUNDING_BASE) * ROUNDING_BASE


def publish_counts(frame: pd.DataFrame, counts: Iterable[str]) -> pd.DataFrame:
    """The public audience's view of raw counts, before anything is derived from them:
    each named count column rounded to base 5 and missing under 10, with `<column>_note`
    saying "withheld" where a count was withheld. Rates, ratios, shares, intervals and
    totals computed afterwards from these published cells carry no exact count. Publishing
    a published frame changes nothing."""
    published = frame.copy()
    for name in counts:
        raw = pd.to_numeric(frame[name])
        withheld = raw.notna() & (raw > 0) & (raw < PUBLISH_FROM)
        earlier = frame.get(f"{name}{NOTE_SUFFIX}")
        if earlier is not None:  # published before: its notes were made from the true counts
            withheld |= earlier.astype("string").fillna("").eq(NOTE_WITHHELD)
        published[name] = pd.array([round_count(v) for v in raw], dtype="Int64")
        published[f"{name}{NOTE_SUFFIX}"] = pd.Series(
            np.where(withheld, NOTE_WITHHELD, ""), index=frame.index, dtype="string"
        )
    return published


def publish_query(
    name: str, frame: pd.DataFrame, counts: Iterable[str], not_counts: Iterable[str] = ()
) -> pd.DataFrame:
    """A query's result as the public audience may see it, before any page derives anything
    from it: every count column published (`publish_counts`), only the rows `PUBLIC_ROWS`
    keeps. `counts` and `not_counts` are what the query declares (queries.declared); a
    numeric column declared in neither is a ValueError, so an undeclared count can never
    reach the public unrounded."""
    counts, not_counts = tuple(counts), tuple(not_counts)
    undeclared = [
        c
        for c in frame.columns
        if c not in counts
        and c not in not_counts
        and not str(c).endswith(NOTE_SUFFIX)
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if undeclared:
        raise ValueError(
            f"query {name!r} returns numeric columns {undeclared} that its header declares "
            "neither as counts nor as not counts (queries/__init__.py)"
        )
    published = publish_counts(frame, [c for c in counts if c in frame.columns])
    if name in PUBLIC_ROWS:
        column, kept = PUBLIC_ROWS[name]
        published = published[published[column] == kept].reset_index(drop=True)
    return published
