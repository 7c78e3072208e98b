"""Tests for hidden_communities.disclosure.

The worked examples have their expected output written out by hand. The property tests
check public output against an independent model of what a reader knows: the group
total (when totals are shown), every shown value, that "<5" cells are 1..4 and that
"suppressed" cells are not 1..4 (0, or 5 and over). A suppressed cell is recoverable if
those facts leave it a single possible value; the check enumerates the possibilities by
brute-force dynamic programming over whole numbers, separately from the interval
arithmetic the module uses.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hidden_communities.disclosure import (
    ALLOWED_AREA_LEVELS,
    AUDIENCES,
    NOTE_SECONDARY,
    NOTE_SMALL_COUNT,
    NOTE_TOO_FEW,
    SMALL_NUMBER_COLUMN,
    DisclosureSpec,
    apply_disclosure,
    disclosed_totals,
    format_for_display,
)

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def monthly_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2024-01"] * 4 + ["2024-02"] * 3,
            "community": ["eastern_european", "armed_forces", "lgbtq", "none"]
            + ["eastern_european", "armed_forces", "lgbtq"],
            "contacts": [3, 12, 0, 40, 1, 1, 30],
            "rate": [0.3, 1.2, 0.0, 4.0, 0.1, 0.1, 3.0],
            "note": ["met at shop"] * 7,
            "latitude": [53.1] * 7,
            "area_level": ["district"] * 7,
            "population": [10000] * 7,
        }
    )


MONTHLY_SPEC = DisclosureSpec(
    counts=("contacts",),
    derived={"rate": "contacts"},
    groups=("month",),
    free_text=("note",),
    point_location=("latitude",),
    area_level_column="area_level",
    public_columns=("population",),
)


# --------------------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------------------


def test_spec_normalises_and_is_frozen():
    spec = DisclosureSpec(counts="contacts", derived={"rate": "contacts"}, groups=["month"])
    assert spec.counts == ("contacts",)
    assert spec.groups == (("month",),)
    assert spec.groupings == (("month",),)
    assert DisclosureSpec(counts=("c",)).groupings == ((),)
    two_way = DisclosureSpec(counts=("c",), groups=(("month",), ("area",)))
    assert two_way.groupings == (("month",), ("area",))
    with pytest.raises(AttributeError):
        spec.counts = ("x",)  # type: ignore[misc]
    with pytest.raises(TypeError):
        spec.derived["rate_upper"] = "contacts"  # type: ignore[index]


def test_spec_is_hashable_and_picklable():
    spec = DisclosureSpec(counts=("a", "b"), derived={"r": "a", "share": ("a", "b")}, groups="m")
    assert hash(spec) == hash(copy.deepcopy(spec))
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert spec.derived_inputs == {"r": ("a",), "share": ("a", "b")}


def test_spec_rejects_inconsistent_roles():
    with pytest.raises(ValueError, match="not listed in counts"):
        DisclosureSpec(counts=("contacts",), derived={"rate": "reports"})
    with pytest.raises(ValueError, match="not listed in counts"):
        DisclosureSpec(counts=("contacts",), derived={"share": ("contacts", "all_contacts")})
    with pytest.raises(ValueError, match="both"):
        DisclosureSpec(counts=("contacts",), free_text=("contacts",))


def test_unknown_audience_is_value_error():
    with pytest.raises(ValueError, match="audience"):
        apply_disclosure(monthly_frame(), MONTHLY_SPEC, "press")
    with pytest.raises(ValueError, match="audience"):
        apply_disclosure(monthly_frame(), MONTHLY_SPEC, "Public")


# --------------------------------------------------------------------------------------
# Worked examples, one per audience
# --------------------------------------------------------------------------------------


def test_inspector_sees_everything_with_small_number_flag():
    df = monthly_frame()
    out = apply_disclosure(df, MONTHLY_SPEC, "inspector")
    pd.testing.assert_frame_equal(out.drop(columns=SMALL_NUMBER_COLUMN), df)
    # 1..4 contacts, or a rate on fewer than 10 (the 0 too).
    assert out[SMALL_NUMBER_COLUMN].tolist() == [True, False, True, False, True, True, False]


def test_leadership_sees_counts_but_not_small_rates():
    df = monthly_frame()
    out = apply_disclosure(df, MONTHLY_SPEC, "leadership")
    assert out.contacts.tolist() == [3, 12, 0, 40, 1, 1, 30]
    assert out.rate.isna().tolist() == [True, False, True, False, True, True, False]
    assert out.rate[[1, 3, 6]].tolist() == [1.2, 4.0, 3.0]
    too_few = NOTE_TOO_FEW
    assert out.rate_note.tolist() == [too_few, "", too_few, "", too_few, too_few, ""]
    assert "note" not in out.columns and "latitude" not in out.columns
    assert "contacts_note" not in out.columns
    assert SMALL_NUMBER_COLUMN not in out.columns


def test_public_worked_example():
    df = monthly_frame()
    before = df.copy()
    out = apply_disclosure(df, MONTHLY_SPEC, "public")
    pd.testing.assert_frame_equal(df, before)  # input untouched
    # January: 3 is "<5"; the January total (55) would reveal it, so the smallest other
    # positive cell (12) is suppressed too; 0 stays. February: two "<5" cells that sum
    # to 2 (total 32 - 30) must both be 1, so the 30 is suppressed as well.
    assert out.contacts.isna().tolist() == [True, True, False, False, True, True, True]
    assert out.contacts.dropna().tolist() == [0, 40]
    assert out.contacts_note.tolist() == [
        NOTE_SMALL_COUNT,
        NOTE_SECONDARY,
        "",
        "",
        NOTE_SMALL_COUNT,
        NOTE_SMALL_COUNT,
        NOTE_SECONDARY,
    ]
    assert out.rate_note.tolist() == [
        NOTE_TOO_FEW,
        NOTE_SECONDARY,
        NOTE_TOO_FEW,
        "",
        NOTE_TOO_FEW,
        NOTE_TOO_FEW,
        NOTE_SECONDARY,
    ]
    assert out.rate.dropna().tolist() == [4.0]
    assert list(out.columns) == [
        "month",
        "community",
        "contacts",
        "contacts_note",
        "rate",
        "rate_note",
        "area_level",
        "population",
    ]
    assert str(out.contacts.dtype) == "Int64"


def test_disclosing_twice_changes_nothing():
    once = apply_disclosure(monthly_frame(), MONTHLY_SPEC, "public")
    twice = apply_disclosure(once, MONTHLY_SPEC, "public")
    pd.testing.assert_frame_equal(once, twice)


def test_format_for_display_public():
    out = format_for_display(apply_disclosure(monthly_frame(), MONTHLY_SPEC, "public"))
    assert out.contacts.tolist() == ["<5", "suppressed", "0", "40", "<5", "<5", "suppressed"]
    assert out.rate.tolist() == [
        "too few to say",
        "suppressed",
        "too few to say",
        "4.00",
        "too few to say",
        "too few to say",
        "suppressed",
    ]
    assert not any(c.endswith("_note") for c in out.columns)
    assert out.population.tolist() == [10000] * 7  # columns without notes untouched


def test_format_for_display_custom_formats():
    out = apply_disclosure(monthly_frame(), MONTHLY_SPEC, "leadership")
    shown = format_for_display(out, formats={"rate": "{:.1f}"})
    assert shown.rate.tolist()[:4] == ["too few to say", "1.2", "too few to say", "4.0"]


def test_disclosed_totals():
    df = monthly_frame()
    assert disclosed_totals(df, MONTHLY_SPEC, "public").contacts.tolist() == [55, 32]
    small = pd.DataFrame(
        {"month": ["a", "a", "b", "c"], "contacts": [1, 2, 7, 2], "area_level": "ward"}
    )
    spec = DisclosureSpec(counts=("contacts",), groups=("month",), area_level_column="area_level")
    totals = disclosed_totals(small, spec, "public")
    # a: total 3 is itself "<5"; b: a single row, shown (nothing hidden in it);
    # c: a single "<5" row, total "<5".
    assert totals.month.tolist() == ["a", "b", "c"]
    assert totals.contacts_note.tolist() == [NOTE_SMALL_COUNT, "", NOTE_SMALL_COUNT]
    assert totals.contacts.isna().tolist() == [True, False, True]
    # Two "<5" cells that are 4 and 4: the total 8 pins both; no other cell can be
    # hidden, so the total is withheld.
    pair = pd.DataFrame({"month": ["a", "a"], "contacts": [4, 4]})
    spec = DisclosureSpec(counts=("contacts",), groups=("month",))
    assert disclosed_totals(pair, spec, "public").contacts_note.tolist() == [NOTE_SECONDARY]
    assert disclosed_totals(pair, spec, "leadership").contacts.tolist() == [8]
    inspector = disclosed_totals(pair, spec, "inspector")
    assert inspector.contacts.tolist() == [8]
    assert inspector[SMALL_NUMBER_COLUMN].tolist() == [False]


# --------------------------------------------------------------------------------------
# Public rules in detail
# --------------------------------------------------------------------------------------


def test_secondary_prefers_smallest_positive_over_zero():
    df = pd.DataFrame({"g": ["a"] * 4, "contacts": [3, 0, 9, 7]})
    out = apply_disclosure(df, DisclosureSpec(counts=("contacts",), groups=("g",)), "public")
    assert out.contacts_note.tolist() == [NOTE_SMALL_COUNT, "", "", NOTE_SECONDARY]


def test_secondary_uses_a_zero_only_when_nothing_else_is_left():
    df = pd.DataFrame({"g": ["a", "a", "b", "b"], "contacts": [3, 0, 2, 3]})
    out = apply_disclosure(df, DisclosureSpec(counts=("contacts",), groups=("g",)), "public")
    # a: 3 with a zero: hiding the zero does not help (the reader knows a "suppressed"
    # cell is 0 or 5+, so with total 3 it is 0 and the 3 is revealed): the module still
    # hides it, and withholds the total instead. b: 2 + 3 = 5 is ambiguous (1+4, 2+3...).
    assert out.contacts_note.tolist() == [NOTE_SMALL_COUNT, NOTE_SECONDARY] + [NOTE_SMALL_COUNT] * 2
    totals = disclosed_totals(df, DisclosureSpec(counts=("contacts",), groups=("g",)), "public")
    assert totals.contacts_note.tolist() == [NOTE_SMALL_COUNT, ""]
    assert totals.contacts.tolist()[1] == 5


def test_no_secondary_suppression_without_totals():
    df = pd.DataFrame({"g": ["a"] * 3, "contacts": [3, 12, 40]})
    spec = DisclosureSpec(counts=("contacts",), groups=("g",), totals_shown=False)
    out = apply_disclosure(df, spec, "public")
    assert out.contacts_note.tolist() == [NOTE_SMALL_COUNT, "", ""]


def test_whole_frame_is_one_group_without_groups():
    df = pd.DataFrame({"area": ["x", "y", "z"], "contacts": [2, 50, 6]})
    out = apply_disclosure(df, DisclosureSpec(counts=("contacts",)), "public")
    assert out.contacts_note.tolist() == [NOTE_SMALL_COUNT, "", NOTE_SECONDARY]


def test_two_way_table_protects_rows_and_columns():
    df = pd.DataFrame(
        {
            "area": ["a", "a", "a", "b", "b", "b", "c", "c", "c"],
            "month": ["1", "2", "3"] * 3,
            "contacts": [2, 20, 30, 25, 35, 45, 15, 8, 50],
        }
    )
    spec = DisclosureSpec(counts=("contacts",), groups=(("month",), ("area",)))
    out = apply_disclosure(df, spec, "public")
    # a1 = 2 is "<5". Area a then needs a second hidden cell: its next smallest, a2 = 20.
    # Month 1 needs one too: c1 = 15 (b1 is 25); month 2 as well: c2 = 8. Area c now has
    # two (c1, c2), and every row and column has none or two, so nothing can be worked out.
    assert out.contacts_note.tolist() == [
        NOTE_SMALL_COUNT,
        NOTE_SECONDARY,
        "",
        "",
        "",
        "",
        NOTE_SECONDARY,
        NOTE_SECONDARY,
        "",
    ]
    assert out.contacts.isna().tolist() == [
        True,
        True,
        False,
        False,
        False,
        False,
        True,
        True,
        False,
    ]


def test_derived_columns_with_missing_numerators_are_hidden():
    df = pd.DataFrame({"contacts": [np.nan, 20.0], "rate": [0.5, 2.0]})
    spec = DisclosureSpec(counts=("contacts",), derived={"rate": "contacts"}, totals_shown=False)
    out = apply_disclosure(df, spec, "leadership")
    assert out.rate.isna().tolist() == [True, False]


def test_shares_are_hidden_where_their_denominator_count_is_hidden():
    # The share 12/15 would give away the hidden total of 15 (12 / 0.8); the 3 is "<5".
    df = pd.DataFrame(
        {
            "month": ["1", "1", "2", "2"],
            "group_contacts": [12, 3, 30, 40],
            "all_contacts": [15, 60, 50, 70],
        }
    )
    df["share"] = df.group_contacts / df.all_contacts
    spec = DisclosureSpec(
        counts=("group_contacts", "all_contacts"),
        derived={"share": ("group_contacts", "all_contacts")},
        groups="month",
    )
    out = apply_disclosure(df, spec, "public")
    # all_contacts: nothing under 5, so nothing hidden; group_contacts: 3 and then 12.
    assert out.group_contacts_note.tolist() == [NOTE_SECONDARY, NOTE_SMALL_COUNT, "", ""]
    assert out.share_note.tolist() == [NOTE_SECONDARY, NOTE_TOO_FEW, "", ""]
    hidden_total = pd.DataFrame({"g": [12, 30], "t": [4, 50]}).assign(share=[3.0, 0.6])
    spec = DisclosureSpec(counts=("g", "t"), derived={"share": ("g", "t")}, totals_shown=False)
    out = apply_disclosure(hidden_total, spec, "public")
    assert out.t_note.tolist() == [NOTE_SMALL_COUNT, ""]
    assert out.share_note.tolist() == [NOTE_SECONDARY, ""]


def test_object_derived_columns_are_hidden_too():
    df = pd.DataFrame({"contacts": [5, 20], "ratio_classification": ["x", "y"]})
    spec = DisclosureSpec(
        counts=("contacts",), derived={"ratio_classification": "contacts"}, totals_shown=False
    )
    out = apply_disclosure(df, spec, "public")
    assert out.ratio_classification.tolist() == [None, "y"]
    assert out.ratio_classification_note.tolist() == [NOTE_TOO_FEW, ""]


@pytest.mark.parametrize("level", ["LSOA", "msoa", " ward ", "district", "all", "total"])
def test_census_levels_are_allowed(level):
    df = pd.DataFrame({"area_level": [level], "contacts": [12]})
    spec = DisclosureSpec(counts=("contacts",), area_level_column="area_level")
    assert apply_disclosure(df, spec, "public").contacts.tolist() == [12]
    assert level.strip().lower() in ALLOWED_AREA_LEVELS


@pytest.mark.parametrize("audience", ["public", "leadership"])
@pytest.mark.parametrize("level", ["oa", "street", "postcode", None])
def test_finer_than_census_geography_is_value_error(level, audience):
    df = pd.DataFrame({"area_level": ["lsoa", level], "contacts": [12, 14]})
    spec = DisclosureSpec(counts=("contacts",), area_level_column="area_level")
    with pytest.raises(ValueError, match="census geography"):
        apply_disclosure(df, spec, audience)
    assert len(apply_disclosure(df, spec, "inspector")) == 2


def test_missing_area_level_column_is_value_error():
    spec = DisclosureSpec(counts=("contacts",), area_level_column="area_level")
    with pytest.raises(ValueError, match="area level column"):
        apply_disclosure(pd.DataFrame({"contacts": [12]}), spec, "public")


def test_undeclared_numeric_columns_are_value_errors():
    df = pd.DataFrame({"contacts": [12], "reports": [3], "period": ["2024"]})
    with pytest.raises(ValueError, match="reports"):
        apply_disclosure(df, DisclosureSpec(counts=("contacts",)), "public")
    with pytest.raises(ValueError, match="reports"):
        apply_disclosure(df, DisclosureSpec(counts=("contacts",)), "leadership")
    ok = DisclosureSpec(counts=("contacts",), public_columns=("reports",))
    assert apply_disclosure(df, ok, "public").reports.tolist() == [3]


def test_bad_frames_are_value_errors():
    spec = DisclosureSpec(counts=("contacts",), derived={"rate": "contacts"})
    with pytest.raises(ValueError, match="needs its count columns"):
        apply_disclosure(pd.DataFrame({"rate": [1.0]}), spec, "public")
    with pytest.raises(ValueError, match="negative"):
        apply_disclosure(pd.DataFrame({"contacts": [-1]}), spec, "public")
    with pytest.raises(ValueError, match="whole numbers"):
        apply_disclosure(pd.DataFrame({"contacts": [2.5]}), spec, "public")
    with pytest.raises(ValueError, match="group columns"):
        apply_disclosure(
            pd.DataFrame({"contacts": [2]}), DisclosureSpec(counts="contacts", groups="g"), "public"
        )


def test_empty_frame():
    df = pd.DataFrame({"month": pd.Series([], dtype=str), "contacts": pd.Series([], dtype=int)})
    for audience in AUDIENCES:
        out = apply_disclosure(df, DisclosureSpec(counts=("contacts",), groups="month"), audience)
        assert len(out) == 0


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

SMALL = 5


def possible_values(target: int, domains: list[list[int]], k: int) -> set[int]:
    """Values cell k can take so that all hidden cells sum to target (brute-force DP)."""
    reachable = {0}
    for j, dom in enumerate(domains):
        if j != k:
            reachable = {r + v for r in reachable for v in dom if r + v <= target}
    return {v for v in domains[k] if target - v in reachable}


def assert_not_recoverable(values: np.ndarray, notes: list[str]) -> None:
    hidden = [i for i, note in enumerate(notes) if note]
    if not hidden:
        return
    target = int(values[hidden].sum())  # group total minus the shown cells
    domains = [
        list(range(1, SMALL)) if notes[i] == NOTE_SMALL_COUNT else [0, *range(SMALL, target + 1)]
        for i in hidden
    ]
    for k in range(len(hidden)):
        options = possible_values(target, domains, k)
        assert values[hidden[k]] in options
        assert len(options) >= 2, (values.tolist(), notes, hidden[k], options)


cell = st.one_of(st.integers(0, 6), st.integers(0, 40))


@st.composite
def grouped_frames(draw):
    n_groups = draw(st.integers(1, 4))
    rows = []
    for g in range(n_groups):
        for _ in range(draw(st.integers(1, 6))):
            rows.append(
                {
                    "month": f"2024-0{g + 1}",
                    "contacts": draw(cell),
                    "reports": draw(cell),
                    "note": "free text",
                }
            )
    df = pd.DataFrame(rows)
    df["rate"] = df.contacts / 250 * 1000
    df["rate_upper"] = df.rate * 2 + 1
    return df


GROUPED_SPEC = DisclosureSpec(
    counts=("contacts", "reports"),
    derived={"rate": "contacts", "rate_upper": "contacts"},
    groups=("month",),
    free_text=("note",),
)


def total_shown_by_row(df: pd.DataFrame, spec: DisclosureSpec, grouping, count: str):
    """For each row of df, whether the public total of its group is shown."""
    totals = disclosed_totals(df, spec, "public", grouping=grouping)
    if not grouping:
        return np.full(len(df), bool(totals[count].notna().iloc[0]))
    flags = totals[list(grouping)].assign(_shown=totals[count].notna().to_numpy())
    merged = df[list(grouping)].merge(flags, on=list(grouping), how="left")
    return merged["_shown"].to_numpy(dtype=bool)


def check_public(df: pd.DataFrame, out: pd.DataFrame, spec: DisclosureSpec) -> None:
    assert "note" not in out.columns
    for c in spec.counts:
        shown = out[c].dropna().astype(int)
        # No value 1..4 is left, and every shown value is the true one.
        assert not shown.between(1, SMALL - 1).any()
        assert (shown == df.loc[shown.index, c]).all()
        note_col = f"{c}_note"
        notes = out[note_col].tolist() if note_col in out.columns else [""] * len(out)
        assert [bool(n) for n in notes] == out[c].isna().tolist()
        values = df[c].to_numpy()
        for grouping in spec.groupings:
            total_shown = total_shown_by_row(df, spec, grouping, c)
            labels = (
                df.groupby(list(grouping), sort=False).ngroup().to_numpy()
                if grouping
                else np.zeros(len(df), dtype=int)
            )
            for label in np.unique(labels):
                rows = np.flatnonzero(labels == label)
                if total_shown[rows[0]]:
                    assert_not_recoverable(values[rows], [notes[r] for r in rows])
    for col, numerator in spec.derived.items():
        ok = out[col].notna()
        # Rates only where the count is 10+ and shown.
        assert (df.loc[ok, numerator] >= 10).all()
        assert out.loc[ok, numerator].notna().all()
        assert (out.loc[ok, col] == df.loc[ok, col]).all()


@PROPERTY
@given(grouped_frames())
def test_public_output_never_shows_or_reveals_small_counts(df):
    before = df.copy()
    out = apply_disclosure(df, GROUPED_SPEC, "public")
    pd.testing.assert_frame_equal(df, before)
    check_public(df, out, GROUPED_SPEC)
    shown = format_for_display(out)
    for c in GROUPED_SPEC.counts:
        assert not shown[c].astype(str).isin([str(v) for v in range(1, SMALL)]).any()


@PROPERTY
@given(grouped_frames())
def test_whole_frame_group_is_protected(df):
    spec = DisclosureSpec(
        counts=("contacts", "reports"),
        free_text=("note",),
        derived={"rate": "contacts", "rate_upper": "contacts"},
    )
    check_public(df, apply_disclosure(df, spec, "public"), spec)


@st.composite
def grids(draw):
    n_areas = draw(st.integers(2, 4))
    n_months = draw(st.integers(2, 4))
    rows = [
        {"area": f"a{a}", "month": f"m{m}", "contacts": draw(cell), "reports": draw(cell)}
        for a in range(n_areas)
        for m in range(n_months)
    ]
    return pd.DataFrame(rows)


GRID_SPEC = DisclosureSpec(counts=("contacts", "reports"), groups=(("month",), ("area",)))


@PROPERTY
@given(grids())
def test_two_way_tables_protect_every_row_and_column(df):
    check_public(df, apply_disclosure(df, GRID_SPEC, "public"), GRID_SPEC)


@PROPERTY
@given(grouped_frames())
def test_inspector_and_leadership_counts_unchanged(df):
    inspector = apply_disclosure(df, GROUPED_SPEC, "inspector")
    pd.testing.assert_frame_equal(inspector.drop(columns=SMALL_NUMBER_COLUMN), df)
    expected = df.contacts.between(1, 4) | df.reports.between(1, 4) | (df.contacts < 10)
    assert inspector[SMALL_NUMBER_COLUMN].tolist() == expected.tolist()
    leadership = apply_disclosure(df, GROUPED_SPEC, "leadership")
    assert leadership.contacts.tolist() == df.contacts.tolist()
    assert leadership.rate.isna().tolist() == (df.contacts < 10).tolist()


def test_published_counts_are_rounded_to_base_5_and_withheld_under_10():
    import pandas as pd

    from hidden_communities.disclosure import publish_counts

    frame = pd.DataFrame({"contacts": [0, 1, 4, 9, 10, 12, 13, 17, 18, 1234, None]})
    published = publish_counts(frame, ["contacts"])
    assert published["contacts"].tolist() == [
        0,
        pd.NA,
        pd.NA,
        pd.NA,
        10,
        10,
        15,
        15,
        20,
        1235,
        pd.NA,
    ]
    # Withheld counts are 1 to 9: their note reads "<10", not "<5".
    assert published["contacts_note"].tolist() == ["", *["withheld"] * 3, *[""] * 7]
