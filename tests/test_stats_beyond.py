"""Tests for the statistics beyond the Fingertips set (issue 12): exact rate ratios,
overdispersed funnel plots, false discovery control, interrupted time series and
statistical process control.

Where the expected values come from (none of them is produced by the code under test):

* [HAND] Worked by hand in the comment next to the assertion.
* [SCIPY] The textbook formula evaluated in the test with scipy's distribution
  functions (beta, binom, chi2, norm), not through hidden_communities.stats.
* [SM] statsmodels, called directly in the test: ``multipletests(method="fdr_bh")``
  for Benjamini-Hochberg, and a GLM built from a formula for the time series.
* [PTD] NHSRplotthedots (the NHS-R implementation of Making Data Count) vignette: the
  series 1, 2, 1, 2, 10, 1, 2, ... with moving ranges screened has UPL 4.6, mean 1.94,
  LPL -0.72 (printed to 2 decimals).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta, binom

from hidden_communities import stats

Z95 = 1.959963984540054
Z998 = 3.090232306167813
PROPERTY = settings(max_examples=150, deadline=None)


# --------------------------------------------------------------------------------------
# Rate ratio: exact (conditional binomial) interval
# --------------------------------------------------------------------------------------


def _exact_rr(a, b, da, db, conf=0.95):
    # [SCIPY] Clopper-Pearson on p = a / (a + b), then RR = p / (1 - p) * db / da.
    alpha = 1 - conf
    p_lo = beta.ppf(alpha / 2, a, b + 1) if a > 0 else 0.0
    p_up = beta.ppf(1 - alpha / 2, a + 1, b) if b > 0 else 1.0
    return p_lo / (1 - p_lo) * db / da, (p_up / (1 - p_up) * db / da if p_up < 1 else math.inf)


@pytest.mark.parametrize(
    ("a", "da", "b", "db"),
    [(20, 1, 1, 1), (3, 12, 7, 24), (9, 100, 40, 250), (15, 6, 12, 6), (1, 2, 1, 5)],
)
def test_exact_rate_ratio_matches_beta_quantiles(a, da, b, db):
    ratio, lower, upper = stats.rate_ratio(a, da, b, db, method="exact")
    assert ratio == pytest.approx(a / da / (b / db), rel=1e-12)
    lo, up = _exact_rr(a, b, da, db)
    assert lower == pytest.approx(lo, rel=1e-10)
    assert upper == pytest.approx(up, rel=1e-10)
    lo998, up998 = _exact_rr(a, b, da, db, 0.998)
    _, lower998, upper998 = stats.rate_ratio(a, da, b, db, confidence=99.8, method="exact")
    assert (lower998, upper998) == pytest.approx((lo998, up998), rel=1e-10)


def test_twenty_against_one():
    # [HAND] Katz: 20 * exp(+/- 1.959964 * sqrt(1/20 + 1/1)) = 20 * exp(+/- 2.008364):
    # 2.684157 .. 149.0226.
    _, lower, upper = stats.rate_ratio(20, 1, 1, 1)
    half = Z95 * math.sqrt(1 / 20 + 1)
    assert (lower, upper) == pytest.approx((20 * math.exp(-half), 20 * math.exp(half)), rel=1e-12)
    assert upper == pytest.approx(149.0226, abs=1e-4)
    # [HAND] Exact upper limit: with b = 1 the Beta(a + 1, 1) distribution function is
    # x^21, so p_U = 0.975^(1/21) = 0.998795117 and RR_U = p_U / (1 - p_U) = 828.956.
    p_up = 0.975 ** (1 / 21)
    _, lower_x, upper_x = stats.rate_ratio(20, 1, 1, 1, method="exact")
    assert upper_x == pytest.approx(p_up / (1 - p_up), rel=1e-9)
    assert upper_x == pytest.approx(828.956, abs=1e-3)
    # The lower limit solves 21 x^20 - 20 x^21 = 0.025 (Beta(20, 2)), x = 0.7618401:
    # RR_L = x / (1 - x) = 3.198859.
    assert lower_x == pytest.approx(3.198859, abs=1e-6)
    x = lower_x / (1 + lower_x)
    assert 21 * x**20 - 20 * x**21 == pytest.approx(0.025, abs=1e-12)
    # "auto" picks exact because one count is under 10.
    assert stats.rate_ratio(20, 1, 1, 1, method="auto") == (20.0, lower_x, upper_x)


def test_rate_ratio_method_rule_and_defaults():
    assert stats.rate_ratio_method(9, 50) == stats.EXACT
    assert stats.rate_ratio_method(50, 9.5) == stats.EXACT
    assert stats.rate_ratio_method(10, 10) == stats.KATZ
    # The default stays Katz, whatever the counts.
    assert stats.rate_ratio(3, 1, 2, 1) == stats.rate_ratio(3, 1, 2, 1, method="katz")
    assert stats.rate_ratio(40, 2, 30, 3, method="auto") == stats.rate_ratio(40, 2, 30, 3)
    with pytest.raises(ValueError, match="method"):
        stats.rate_ratio(3, 1, 2, 1, method="wald")


def test_exact_rate_ratio_with_a_zero_count():
    # [HAND] a = 0, b = 5, equal time: p_U = 1 - 0.025^(1/5) (Beta(1, 5) distribution
    # function 1 - (1 - x)^5), RR_U = p_U / (1 - p_U).
    p_up = 1 - 0.025 ** (1 / 5)
    assert stats.rate_ratio(0, 1, 5, 1, method="exact") == pytest.approx(
        (0.0, 0.0, p_up / (1 - p_up)), rel=1e-10
    )
    ratio, lower, upper = stats.rate_ratio(5, 2, 0, 1, method="exact")
    assert ratio == math.inf and upper == math.inf
    # By symmetry the lower limit is the reciprocal of the upper one above, rescaled by
    # the denominators (db / da = 1 / 2).
    assert lower == pytest.approx((1 - p_up) / p_up / 2, rel=1e-10)
    assert all(math.isnan(v) for v in stats.rate_ratio(0, 1, 0, 1, method="exact"))
    # Katz keeps saying it cannot be calculated.
    assert math.isnan(stats.rate_ratio(0, 1, 5, 1)[1])


@PROPERTY
@given(st.integers(1, 300), st.integers(1, 300), st.floats(0.5, 50), st.floats(0.5, 50))
def test_exact_rate_ratio_contains_the_estimate(a, b, da, db):
    ratio, lower, upper = stats.rate_ratio(a, da, b, db, method="exact")
    assert lower <= ratio * (1 + 1e-12) and ratio <= upper * (1 + 1e-12)


# --------------------------------------------------------------------------------------
# Overdispersion (Spiegelhalter 2005) and adjusted funnel limits
# --------------------------------------------------------------------------------------

# [HAND] Five areas of 100 records each against an overall share of 0.2:
# se = sqrt(0.2 * 0.8 / 100) = 0.04 for every area.
# counts 10, 16, 20, 28, 36 -> shares 0.10, 0.16, 0.20, 0.28, 0.36
# z = (share - 0.2) / 0.04 = -2.5, -1, 0, 2, 4.
# Winsorising at the 10% and 90% quantiles (linear interpolation, position (k-1)q):
# 10%: position 0.4 -> -2.5 + 0.4 * (-1 - -2.5) = -1.9
# 90%: position 3.6 -> 2 + 0.6 * (4 - 2) = 3.2
# winsorised z = -1.9, -1, 0, 2, 3.2; squares 3.61 + 1 + 0 + 4 + 10.24 = 18.85
# phi = 18.85 / 5 = 3.77.
# w = 1 / 0.04^2 = 625 each: sum w = 3125, sum w^2 / sum w = 5 * 625^2 / 3125 = 625,
# so the denominator is 3125 - 625 = 2500 and tau2 = (5 * 3.77 - 4) / 2500 = 0.00594.
# k phi = 18.85 > chi2(0.95; 4 df) = 9.4877: overdispersed.
PROPORTION_AREAS = ([10, 16, 20, 28, 36], [100] * 5, 0.2)

# [HAND] Rates: overall 10 per 1,000 (theta = 0.01 per person) in five areas of
# 100, 400, 900, 1600 and 2500 residents: expected counts E = 1, 4, 9, 16, 25 and
# z = (x/n - theta) / sqrt(theta / n) = (x - E) / sqrt(E).
# counts 3, 0, 15, 16, 10 -> z = 2/1, -4/2, 6/3, 0/4, -15/5 = 2, -2, 2, 0, -3.
# Sorted -3, -2, 0, 2, 2: 10% quantile -3 + 0.4 * 1 = -2.6; 90% 2 + 0.6 * 0 = 2.
# winsorised 2, -2, 2, 0, -2.6; squares 4 + 4 + 4 + 0 + 6.76 = 18.76; phi = 3.752.
# w = n / theta = 10,000, 40,000, 90,000, 160,000, 250,000; sum w = 550,000;
# sum w^2 = (1 + 16 + 81 + 256 + 625) * 10^8 = 9.79 * 10^10; / sum w = 178,000;
# denominator 550,000 - 178,000 = 372,000; tau2 = (18.76 - 4) / 372,000 per person^2,
# = 14.76 / 372,000 * 1,000^2 = 39.677419... (per 1,000)^2.
# Without winsorising: squares 4 + 4 + 4 + 0 + 9 = 21, phi = 4.2,
# tau2 = 17 / 372,000 * 10^6 = 45.698925...
RATE_AREAS = ([3, 0, 15, 16, 10], [100, 400, 900, 1600, 2500], 10.0)


def test_overdispersion_proportion_hand_worked():
    counts, n, overall = PROPORTION_AREAS
    result = stats.overdispersion(counts, n, overall)
    assert result.k == 5
    assert result.phi == pytest.approx(3.77, rel=1e-12)
    assert result.tau2 == pytest.approx(0.00594, rel=1e-12)
    assert result.statistic == pytest.approx(18.85, rel=1e-12)
    assert result.critical_value == pytest.approx(9.487729, abs=1e-6)
    assert result.overdispersed
    # Expressed as percentages (per = 100) tau2 scales by 100^2.
    in_percent = stats.overdispersion(counts, n, 20, per=100)
    assert in_percent.phi == pytest.approx(3.77, rel=1e-12)
    assert in_percent.tau2 == pytest.approx(59.4, rel=1e-12)


def test_overdispersion_rate_hand_worked():
    counts, n, overall = RATE_AREAS
    result = stats.overdispersion(counts, n, overall, kind="rate", per=1000)
    assert (result.k, result.phi) == (5, pytest.approx(3.752, rel=1e-12))
    assert result.tau2 == pytest.approx(14.76 / 372_000 * 1e6, rel=1e-12)
    assert result.tau2 == pytest.approx(39.677419, abs=1e-6)
    raw = stats.overdispersion(counts, n, overall, kind="rate", per=1000, winsor=0)
    assert raw.phi == pytest.approx(4.2, rel=1e-12)
    assert raw.tau2 == pytest.approx(45.698925, abs=1e-6)
    # The same areas per person (per = 1) give tau2 in per-person units.
    unit = stats.overdispersion(counts, n, 0.01, kind="rate")
    assert unit.tau2 == pytest.approx(14.76 / 372_000, rel=1e-12)


def test_no_overdispersion_when_areas_vary_as_chance():
    # [HAND] z = 1, -1, 0.5, -0.5, 0 (counts 24, 16, 22, 18, 20 of 100 against 0.2);
    # winsorised at -0.8 and 0.8: squares 0.64 + 0.64 + 0.25 + 0.25 + 0 = 1.78,
    # phi = 0.356; k phi = 1.78 < k - 1 = 4, so tau2 = 0; not overdispersed.
    result = stats.overdispersion([24, 16, 22, 18, 20], [100] * 5, 0.2)
    assert result.phi == pytest.approx(0.356, rel=1e-12)
    assert result.tau2 == 0.0
    assert not result.overdispersed


def test_overdispersion_edge_cases_and_validation():
    # Missing rows are left out; one area has no tau2 and cannot be tested.
    assert stats.overdispersion([10, np.nan], [100, 50], 0.2).k == 1
    one = stats.overdispersion([10], [100], 0.2)
    assert one.phi == pytest.approx(6.25) and math.isnan(one.tau2) and not one.overdispersed
    none = stats.overdispersion([], [], 0.2)
    assert none.k == 0 and math.isnan(none.phi) and not none.overdispersed
    with pytest.raises(ValueError, match="above 0"):
        stats.overdispersion([1, 2], [10, 10], 0)
    with pytest.raises(ValueError, match="below 100%"):
        stats.overdispersion([1, 2], [10, 10], 1)
    with pytest.raises(ValueError, match="winsor"):
        stats.overdispersion([1, 2], [10, 10], 0.2, winsor=0.5)
    with pytest.raises(ValueError, match="exceed"):
        stats.overdispersion([11, 2], [10, 10], 0.2)
    with pytest.raises(ValueError, match="negative"):
        stats.overdispersion([-1, 2], [10, 10], 0.2)
    with pytest.raises(ValueError, match="same length"):
        stats.overdispersion([1, 2], [10], 0.2)


def test_adjusted_limits_proportion():
    # [HAND] overall 0.2, n = 100, se = 0.04.
    # multiplicative, phi = 3.77: 0.2 -/+ 1.959964 * sqrt(3.77) * 0.04 = 0.2 -/+ 0.1522225
    # additive, tau2 = 0.00594: 0.2 -/+ 1.959964 * sqrt(0.0016 + 0.00594) = 0.2 -/+ 0.1701899
    mult = stats.funnel_limits([100], 0.2, levels=(0.95,), adjustment="multiplicative", phi=3.77)
    assert (mult.lower[0], mult.upper[0]) == pytest.approx((0.0477775, 0.3522225), abs=1e-7)
    assert mult.upper[0] == pytest.approx(0.2 + Z95 * math.sqrt(3.77) * 0.04, rel=1e-12)
    add = stats.funnel_limits([100], 0.2, levels=(0.95,), adjustment="additive", tau2=0.00594)
    assert (add.lower[0], add.upper[0]) == pytest.approx((0.0298101, 0.3701899), abs=1e-7)
    # Clipped to 0..1: a small area with a large tau2, 0.2 -/+ 3.090232 * sqrt(0.04 + 0.1)
    # = 0.2 -/+ 1.156, beyond both ends.
    wide = stats.funnel_limits([4], 0.2, levels=(0.998,), adjustment="additive", tau2=0.1)
    assert (wide.lower[0], wide.upper[0]) == (0.0, 1.0)
    # phi and tau2 are ignored without an adjustment: today's limits.
    plain = stats.funnel_limits([100], 0.2)
    pd.testing.assert_frame_equal(plain, stats.funnel_limits([100], 0.2, phi=3.77, tau2=1.0))


def test_adjusted_limits_rate():
    # [HAND] overall 10 per 1,000, n = 400 residents: se = 1,000 * sqrt(0.01 / 400) = 5
    # per 1,000. multiplicative, phi = 3.752: 10 -/+ 1.959964 * sqrt(3.752) * 5
    # = 10 -/+ 18.982330 -> lower clipped to 0. additive, tau2 = 39.677419:
    # 10 -/+ 1.959964 * sqrt(25 + 39.677419) = 10 -/+ 15.762476 -> lower 0.
    # At n = 10,000 (se = 1): additive 10 -/+ 1.959964 * sqrt(1 + 39.677419)
    # = 10 -/+ 12.500425: with this much variation no area is ever below the limit.
    kw = {"kind": "rate", "per": 1000, "levels": (0.95,)}
    mult = stats.funnel_limits([400], 10, adjustment="multiplicative", phi=3.752, **kw)
    assert (mult.lower[0], mult.upper[0]) == (0.0, pytest.approx(28.982330, abs=1e-6))
    tau2 = 14.76 / 372_000 * 1e6
    add = stats.funnel_limits([400, 10_000], 10, adjustment="additive", tau2=tau2, **kw)
    assert add.lower.tolist() == [0.0, 0.0]
    assert add.upper.tolist() == pytest.approx([25.762476, 22.500425], abs=1e-6)


def test_adjustment_validation():
    with pytest.raises(ValueError, match="adjustment"):
        stats.funnel_limits([100], 0.2, adjustment="random")
    with pytest.raises(ValueError, match="phi"):
        stats.funnel_limits([100], 0.2, adjustment="multiplicative")
    with pytest.raises(ValueError, match="tau2"):
        stats.funnel_limits([100], 0.2, adjustment="additive")
    with pytest.raises(ValueError, match="phi"):
        stats.funnel_limits([100], 0.2, adjustment="multiplicative", phi=0)
    with pytest.raises(ValueError, match="tau2"):
        stats.funnel_limits([100], 0.2, adjustment="additive", tau2=-0.1)
    with pytest.raises(ValueError, match="exact"):
        stats.funnel_limits([100], 0.2, adjustment="additive", tau2=0.1, exact=True)
    with pytest.raises(ValueError, match="whole-number"):
        stats.funnel_limits([10.5], 0.2, exact=True)


def _binomial_cdf(r, n, p):
    # [HAND] sum of binomial terms, math.comb only.
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(0, r + 1))


def _spiegelhalter_exact(n, p, prob):
    # Smallest r with F(r) >= prob, then interpolate: (r - (F(r) - prob) / (F(r) - F(r-1))) / n.
    r = next(r for r in range(n + 1) if _binomial_cdf(r, n, p) >= prob)
    f_r, f_before = _binomial_cdf(r, n, p), (_binomial_cdf(r - 1, n, p) if r else 0.0)
    return max((r - (f_r - prob) / (f_r - f_before)) / n, 0.0)


@pytest.mark.parametrize(("n", "p"), [(20, 0.3), (7, 0.1), (50, 0.55), (3, 0.8)])
def test_exact_binomial_funnel_limits(n, p):
    limits = stats.funnel_limits([n], p, exact=True)
    expected_lower = [_spiegelhalter_exact(n, p, 0.025), _spiegelhalter_exact(n, p, 0.001)]
    expected_upper = [_spiegelhalter_exact(n, p, 0.975), _spiegelhalter_exact(n, p, 0.999)]
    assert limits.lower.tolist() == pytest.approx(expected_lower, abs=1e-12)
    assert limits.upper.tolist() == pytest.approx(expected_upper, abs=1e-12)


def test_exact_binomial_hand_worked_example():
    # [HAND] n = 20, p = 0.3, upper 95%: F(9) = 0.952038, F(10) = 0.982855, so r = 10,
    # a = (0.982855 - 0.975) / (0.982855 - 0.952038) = 0.254898, limit (10 - a) / 20
    # = 0.487255.
    limits = stats.funnel_limits([20], 0.3, levels=(0.95,), exact=True)
    assert limits.upper[0] == pytest.approx(0.487255, abs=1e-6)
    # In percent (per = 100) the same limit is 48.7255; rates ignore exact (already exact).
    in_percent = stats.funnel_limits([20], 30, levels=(0.95,), per=100, exact=True)
    assert in_percent.upper[0] == pytest.approx(48.7255, abs=1e-4)
    rate = {"kind": "rate", "per": 1000}
    pd.testing.assert_frame_equal(
        stats.funnel_limits([500.5], 5, **rate), stats.funnel_limits([500.5], 5, exact=True, **rate)
    )


def test_funnel_position_and_classify_with_adjustment():
    counts, n, overall = PROPORTION_AREAS
    # [HAND] 0.36 (z = 4) is above the plain 99.8% limit 0.2 + 3.090232 * 0.04 = 0.3236.
    # With phi = 3.77 the 95% limit is 0.3522 and the 99.8% one 0.2 + 3.090232 *
    # sqrt(3.77) * 0.04 = 0.4400: above 95% only. With tau2 = 0.00594 the 95% limit is
    # 0.3702: within.
    assert stats.funnel_position(0.36, 100, 0.2) == stats.ABOVE_998
    assert stats.funnel_position(0.36, 100, 0.2, adjustment="multiplicative", phi=3.77) == (
        stats.ABOVE_95
    )
    assert (
        stats.funnel_position(0.36, 100, 0.2, adjustment="additive", tau2=0.00594)
        == stats.WITHIN_LIMITS
    )
    df = pd.DataFrame({"value": np.array(counts) / 100, "n": n})
    df.loc[5] = [np.nan, 100]
    explicit = stats.classify_funnel(df, "value", "n", 0.2, adjustment="additive", tau2=0.00594)
    estimated = stats.classify_funnel(df, "value", "n", 0.2, adjustment="additive")
    pd.testing.assert_frame_equal(explicit, estimated)
    assert estimated.funnel_position.tolist() == [stats.WITHIN_LIMITS] * 5 + [None]
    by_phi = stats.classify_funnel(df, "value", "n", 0.2, adjustment="multiplicative")
    assert by_phi.funnel_position.tolist() == [
        stats.WITHIN_LIMITS,
        stats.WITHIN_LIMITS,
        stats.WITHIN_LIMITS,
        stats.WITHIN_LIMITS,
        stats.ABOVE_95,
        None,
    ]
    # Fewer than two rows: nothing to estimate from, plain normal limits (phi = 1).
    single = stats.classify_funnel(df.iloc[[4]], "value", "n", 0.2, adjustment="multiplicative")
    assert single.funnel_position.tolist() == [stats.ABOVE_998]
    # An unadjusted classification is unchanged by the new arguments' defaults.
    plain = stats.classify_funnel(df, "value", "n", 0.2)
    assert plain.funnel_position.tolist()[4] == stats.ABOVE_998


@PROPERTY
@given(
    st.lists(st.floats(min_value=1, max_value=1e5), min_size=1, max_size=8),
    st.floats(min_value=0.001, max_value=0.999),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["proportion", "rate"]),
    st.sampled_from([0.95, 0.998]),
)
def test_additive_limits_never_narrower_than_unadjusted_normal(n, overall, tau2, kind, conf):
    per = 1000 if kind == "rate" else 1
    overall = overall * per
    tau2 = tau2 * per * per * overall / per / 50  # a range of sizes relative to overall
    kw = {"kind": kind, "levels": (conf,), "per": per}
    # The unadjusted normal-approximation limits: adjustment "none" for proportions;
    # for rates (whose unadjusted limits are exact Poisson) the multiplicative ones at phi 1.
    if kind == "proportion":
        plain = stats.funnel_limits(n, overall, **kw)
    else:
        plain = stats.funnel_limits(n, overall, adjustment="multiplicative", phi=1, **kw)
    add = stats.funnel_limits(n, overall, adjustment="additive", tau2=tau2, **kw)
    slack = 1e-12 * per
    assert np.all(add.lower.to_numpy() <= plain.lower.to_numpy() + slack)
    assert np.all(add.upper.to_numpy() >= plain.upper.to_numpy() - slack)


# --------------------------------------------------------------------------------------
# p-values and false discovery control
# --------------------------------------------------------------------------------------


def test_poisson_p_value_hand_worked():
    # [HAND] 0 events when 3 are expected: P(X <= 0) = e^-3 = 0.0497871, doubled 0.0995741.
    assert stats.poisson_p_value(0, 3) == pytest.approx(2 * math.exp(-3), rel=1e-12)
    # Mid-p: half of P(X = 0) in the lower tail, doubled: e^-3 = 0.0497871.
    assert stats.poisson_p_value(0, 3, mid_p=True) == pytest.approx(math.exp(-3), rel=1e-12)
    # [HAND] 5 events when 1 is expected: P(X >= 5) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24)
    # = 0.00365985, doubled 0.00731969.
    upper_tail = 1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24)
    assert stats.poisson_p_value(5, 1) == pytest.approx(2 * upper_tail, rel=1e-9)
    assert stats.poisson_p_value(5, 1) == pytest.approx(0.00731969, abs=1e-8)
    # Capped at 1 when both tails are large; 0 expected.
    assert stats.poisson_p_value(3, 3) == 1.0
    assert (stats.poisson_p_value(0, 0), stats.poisson_p_value(2, 0)) == (1.0, 0.0)
    with pytest.raises(ValueError, match="whole number"):
        stats.poisson_p_value(2.5, 1)


def test_proportion_p_value_hand_worked():
    # [HAND] 30 of 100 against 0.2: z = 0.1 / 0.04 = 2.5, p = 2 (1 - Phi(2.5)) = 0.0124193.
    assert stats.proportion_p_value(30, 100, 0.2) == pytest.approx(0.01241933065, rel=1e-9)
    assert stats.proportion_p_value(30, 100, 20, per=100) == pytest.approx(0.0124193307)
    assert stats.proportion_p_value(20, 100, 0.2) == 1.0
    assert (stats.proportion_p_value(0, 10, 0), stats.proportion_p_value(1, 10, 0)) == (1.0, 0.0)
    with pytest.raises(ValueError, match="exceed"):
        stats.proportion_p_value(11, 10, 0.2)


P_VALUES = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251]


@pytest.mark.parametrize("q", [0.05, 0.1, 0.25])
def test_false_discovery_matches_statsmodels(q):
    from statsmodels.stats.multitest import multipletests

    reject, corrected, _, _ = multipletests(P_VALUES, alpha=q, method="fdr_bh")  # [SM]
    result = stats.false_discovery(P_VALUES, q=q)
    assert result.flagged.tolist() == reject.tolist()
    assert result.adjusted == pytest.approx(corrected, rel=1e-12)
    assert (result.tests, result.q, result.flagged_count) == (12, q, int(reject.sum()))


def test_false_discovery_hand_worked_and_missing_values():
    # [HAND] m = 4 (the NaN is not counted): sorted 0.01, 0.02, 0.03, 0.5 ->
    # p m / i = 0.04, 0.04, 0.04, 0.5; all three small ones flagged at q = 0.05.
    result = stats.false_discovery([0.03, np.nan, 0.01, 0.5, 0.02], q=0.05)
    assert result.tests == 4
    np.testing.assert_allclose(result.adjusted, [0.04, np.nan, 0.04, 0.5, 0.04], rtol=1e-12)
    assert result.flagged.tolist() == [True, False, True, False, True]
    # [HAND] The NaN is really left out: at q = 0.04 the m = 4 set above flags three
    # (adjusted 0.04 each), while the same p-values with a fifth real one (0.9) have
    # m = 5 and adjusted 0.05, 0.05, 0.05, 0.625, 0.9: none flagged.
    assert stats.false_discovery([0.03, np.nan, 0.01, 0.5, 0.02], q=0.04).flagged_count == 3
    assert stats.false_discovery([0.03, 0.9, 0.01, 0.5, 0.02], q=0.04).flagged_count == 0
    empty = stats.false_discovery([])
    assert empty.tests == 0 and empty.flagged.tolist() == []
    with pytest.raises(ValueError, match="between 0 and 1"):
        stats.false_discovery([0.2, 1.2])
    with pytest.raises(ValueError, match="q"):
        stats.false_discovery([0.2], q=0)


def test_add_false_discovery_frame():
    df = pd.DataFrame(
        {
            "area": list("abcdef"),
            "events": [30, 20, 2, 45, 18, np.nan],
            "records": [100, 100, 40, 150, 100, 100],
        }
    )
    before = df.copy()
    out = stats.add_false_discovery(df, "events", "records", 0.2)
    pd.testing.assert_frame_equal(df, before)
    pairs = zip(df.events[:5], df.records[:5], strict=True)
    expected_p = [stats.proportion_p_value(x, n, 0.2) for x, n in pairs]
    np.testing.assert_allclose(out.fdr_p_value[:5], expected_p, rtol=1e-12)
    assert math.isnan(out.fdr_p_value[5]) and not out.fdr_flagged[5]
    control = stats.false_discovery(expected_p)
    np.testing.assert_allclose(out.fdr_p_adjusted[:5], control.adjusted, rtol=1e-12)
    assert out.fdr_flagged.tolist() == [*control.flagged.tolist(), False]
    # Rates: the count against overall / per x residents, exact Poisson test.
    rates = stats.add_false_discovery(
        df, "events", "records", 200, kind="rate", per=1000, prefix="x"
    )
    assert rates.x_p_value[0] == pytest.approx(stats.poisson_p_value(30, 20), rel=1e-12)


def test_add_false_discovery_with_overdispersion():
    counts, n, overall = PROPORTION_AREAS
    df = pd.DataFrame({"events": counts, "records": n})
    # [HAND] The area with 36 of 100 (z = 4 unadjusted): multiplicative, phi = 3.77,
    # z = 4 / sqrt(3.77) = 2.060105, p = 0.0393885; additive, tau2 = 0.00594,
    # z = 0.16 / sqrt(0.0016 + 0.00594) = 1.842614, p = 0.0653854.
    mult = stats.add_false_discovery(
        df, "events", "records", overall, adjustment="multiplicative", phi=3.77
    )
    assert mult.fdr_p_value[4] == pytest.approx(0.0393885221, rel=1e-8)
    add = stats.add_false_discovery(
        df, "events", "records", overall, adjustment="additive", tau2=0.00594
    )
    assert add.fdr_p_value[4] == pytest.approx(0.0653854236, rel=1e-8)
    # Estimated from the rows when not given (these areas give exactly 3.77 and 0.00594).
    estimated = stats.add_false_discovery(df, "events", "records", overall, adjustment="additive")
    pd.testing.assert_frame_equal(estimated, add)
    # Unadjusted, the same area has z = 4, p = 6.3e-5, and is flagged.
    plain = stats.add_false_discovery(df, "events", "records", overall)
    assert plain.fdr_flagged[4] and not add.fdr_flagged[4]


@PROPERTY
@given(
    st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(min_value=0.02, max_value=0.98),
    st.sampled_from(["multiplicative", "additive"]),
    st.floats(min_value=0.5, max_value=20),
    st.sampled_from(["proportion", "rate"]),
)
def test_adjusted_p_values_agree_with_the_adjusted_funnel(xn, theta, adjustment, spread, kind):
    x, n = xn
    per = 1000 if kind == "rate" else 1
    overall = theta * per
    extra = {"phi": spread} if adjustment == "multiplicative" else {"tau2": spread * 1e-4 * per**2}
    kw = {"kind": kind, "per": per, "adjustment": adjustment, **extra}
    limits = stats.funnel_limits([n], overall, levels=(0.95,), **kw)
    value = x / n * per
    frame = pd.DataFrame({"x": [x], "n": [n]})
    p = stats.add_false_discovery(frame, "x", "n", overall, **kw).fdr_p_value[0]
    if abs(p - 0.05) > 1e-9:
        assert (value > limits.upper[0] or value < limits.lower[0]) == (p < 0.05)


@PROPERTY
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=40), st.floats(0.01, 0.3))
def test_false_discovery_never_flags_more_than_unadjusted(p, q):
    result = stats.false_discovery(p, q=q)
    unadjusted = np.asarray(p) <= q  # (a p-value exactly equal to q can pass both)
    assert result.flagged_count <= int(unadjusted.sum())
    assert not np.any(result.flagged & ~unadjusted)


@PROPERTY
@given(
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.floats(min_value=0.01, max_value=0.99),
    st.sampled_from([0.95, 0.998]),
)
def test_proportion_p_value_agrees_with_the_funnel(xn, overall, conf):
    x, n = xn
    limits = stats.funnel_limits([n], overall, levels=(conf,))
    outside = x / n > limits.upper[0] or x / n < limits.lower[0]
    p = stats.proportion_p_value(x, n, overall)
    if abs(p - (1 - conf)) > 1e-9:  # away from exact ties
        assert outside == (p < 1 - conf)


@PROPERTY
@given(st.integers(0, 300), st.floats(1, 1e5), st.floats(0.05, 500), st.sampled_from([0.95, 0.998]))
def test_poisson_p_value_agrees_with_the_rate_funnel(x, n, overall, conf):
    limits = stats.funnel_limits([n], overall, kind="rate", levels=(conf,), per=1000)
    rate = x / n * 1000
    outside = rate > limits.upper[0] or rate < limits.lower[0]
    p = stats.poisson_p_value(x, overall / 1000 * n)
    if abs(p - (1 - conf)) > 1e-9 * (1 - conf):
        assert outside == (p < 1 - conf)


# --------------------------------------------------------------------------------------
# Statistical process control
# --------------------------------------------------------------------------------------


def test_xmr_limits_hand_worked():
    # [HAND] 5, 7, 6, 8, 4, 6: mean 36 / 6 = 6; moving ranges 2, 1, 2, 4, 2, mean 11 / 5
    # = 2.2; limits 6 -/+ 2.66 * 2.2 = 6 -/+ 5.852 -> 0.148 and 11.852.
    chart = stats.spc([5, 7, 6, 8, 4, 6])
    assert chart.centre.tolist() == [6.0] * 6
    assert chart.lower.tolist() == pytest.approx([0.148] * 6, abs=1e-12)
    assert chart.upper.tolist() == pytest.approx([11.852] * 6, abs=1e-12)
    assert chart.signal.tolist() == [stats.COMMON_CAUSE] * 6
    assert list(chart.columns) == [
        "value",
        "centre",
        "lower",
        "upper",
        "beyond_limit",
        "shift",
        "trend",
        "two_of_three",
        "signal",
    ]


def test_xmr_screened_moving_ranges_match_plot_the_dots():
    # [PTD] and [HAND]: 18 points, nine 1s, eight 2s and a 10: mean 35 / 18 = 1.9444.
    # Moving ranges: fifteen 1s, an 8 and a 9: mean 32 / 17 = 1.882; 3.267 * 1.882 = 6.15
    # screens out the 8 and the 9, leaving a mean of 1. Limits 1.9444 -/+ 2.66:
    # UPL 4.6044, LPL -0.7156 (Plot the Dots prints 4.6 and -0.72).
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    chart = stats.spc(data, screen_outliers=True)
    assert chart.centre[0] == pytest.approx(35 / 18, rel=1e-12)
    assert chart.upper[0] == pytest.approx(35 / 18 + 2.66, rel=1e-12)
    assert chart.lower[0] == pytest.approx(35 / 18 - 2.66, rel=1e-12)
    assert (round(chart.upper[0], 2), round(chart.lower[0], 2)) == (4.6, -0.72)
    assert chart.beyond_limit.tolist() == [i == 4 for i in range(18)]
    # Unscreened: 1.9444 -/+ 2.66 * 32 / 17.
    plain = stats.spc(data)
    assert plain.upper[0] == pytest.approx(35 / 18 + 2.66 * 32 / 17, rel=1e-12)


# A baseline for the rule tests: 11, 9, 11, 9, ... (10 points, ending below the centre).
# [HAND] mean 10; every moving range 2, so limits 10 -/+ 5.32 = 4.68 and 15.32; sigma
# = 2.66 * 2 / 3 = 1.77333, so "close to a limit" means above 13.54667 (below 15.32) or
# below 6.45333 (above 4.68). The baseline itself has no signal (it alternates).
BASELINE = [11.0, 9.0] * 5


def _chart(tail):
    return stats.spc(BASELINE + list(tail), baseline_points=len(BASELINE))


def _tail_flags(chart, column):
    return chart[column].tolist()[len(BASELINE) :]


def test_spc_baseline_alone_is_common_cause():
    chart = _chart([])
    assert (chart.centre[0], chart.lower[0], chart.upper[0]) == pytest.approx((10, 4.68, 15.32))
    assert set(chart.signal) == {stats.COMMON_CAUSE}


def test_beyond_limit_rule():
    chart = _chart([15.4, 15.3, 4.6, 4.7])
    assert _tail_flags(chart, "beyond_limit") == [True, False, True, False]
    assert _tail_flags(chart, "signal")[0] == stats.BEYOND_LIMIT


def test_shift_rule_and_close_miss():
    # Seven points just above the centre: a shift, all seven flagged.
    chart = _chart([10.5] * 7)
    assert _tail_flags(chart, "shift") == [True] * 7
    assert _tail_flags(chart, "signal") == [stats.SHIFT] * 7
    assert not any(chart["shift"][: len(BASELINE)])
    # Six, then a point below: no shift.
    assert not any(_chart([10.5] * 6 + [9.5])["shift"])
    # A point exactly on the centre line breaks the run: 4 + 3 either side of it.
    assert not any(_chart([10.5] * 4 + [10.0] + [10.5] * 3)["shift"])
    # Eight below (the baseline's last point, 9, is below too: a run of 8 + 1).
    below = _chart([9.5] * 7)
    assert below["shift"].tolist()[len(BASELINE) - 1 :] == [True] * 8


def test_trend_rule_and_close_misses():
    # 10.8 then six rising points 9.1 .. 10.1 (the fall from 10.8 starts the run): trend.
    rising = [10.8, 9.1, 9.3, 9.5, 9.7, 9.9, 10.1]
    assert _tail_flags(_chart(rising), "trend") == [False] + [True] * 6
    # Five rising, then a fall: no trend.
    assert not any(_chart([10.8, 9.1, 9.3, 9.5, 9.7, 9.9, 9.0])["trend"])
    # An equal pair breaks the run (3 + 4 points): no trend.
    assert not any(_chart([10.8, 9.1, 9.3, 9.5, 9.5, 9.7, 9.9, 10.1])["trend"])
    # Falling works the same way.
    falling = [9.2, 10.9, 10.7, 10.5, 10.3, 10.1, 9.9]
    assert _tail_flags(_chart(falling), "trend") == [False] + [True] * 6
    # Plot the Dots' seven-point trend: six rising points are then not enough.
    chart7 = stats.spc(BASELINE + rising, baseline_points=10, trend_points=7)
    assert not any(chart7["trend"])


def test_two_of_three_rule_and_close_misses():
    # Two of three above 13.54667 (and below 15.32): the two close points are flagged.
    chart = _chart([14.0, 10.2, 14.0, 10.2])
    assert _tail_flags(chart, "two_of_three") == [True, False, True, False]
    assert _tail_flags(chart, "signal")[0] == stats.TWO_OF_THREE
    # Three apart (14, 10.2, 10.2, 14): no window of three holds two.
    assert not any(_chart([14.0, 10.2, 10.2, 14.0])["two_of_three"])
    # Close to opposite limits: not the same side.
    assert not any(_chart([14.0, 6.0, 10.2])["two_of_three"])
    # Just inside 2 sigma does not count: 13.5 < 13.54667.
    assert not any(_chart([13.5, 10.2, 14.0])["two_of_three"])
    # A point beyond the limit is not "close"; it is flagged beyond_limit instead.
    beyond = _chart([16.0, 14.0, 10.2])
    assert _tail_flags(beyond, "two_of_three") == [False, False, False]
    assert _tail_flags(beyond, "beyond_limit") == [True, False, False]
    # Below the centre too.
    assert _tail_flags(_chart([6.0, 6.2, 10.2]), "two_of_three") == [True, True, False]


def test_p_chart_hand_worked():
    # [HAND] counts 10, 12, 8, 30, 1 of 100, 100, 100, 200, 5: p = 61 / 505 = 0.120792;
    # at n = 100 sigma = sqrt(p (1 - p) / 100) = 0.032589, limits p -/+ 0.097766, the
    # upper one 0.218558; at n = 200 sigma = 0.023044; at n = 5 the lower limit
    # p - 3 * 0.145740 = -0.316 is kept at 0.
    chart = stats.spc([10, 12, 8, 30, 1], [100, 100, 100, 200, 5], kind="p")
    p = 61 / 505
    assert chart.centre.tolist() == pytest.approx([p] * 5, rel=1e-12)
    assert chart.value.tolist() == pytest.approx([0.1, 0.12, 0.08, 0.15, 0.2], rel=1e-12)
    sigma = [math.sqrt(p * (1 - p) / n) for n in (100, 100, 100, 200, 5)]
    assert chart.upper.tolist() == pytest.approx([p + 3 * s for s in sigma], rel=1e-12)
    assert chart.lower.tolist()[:4] == pytest.approx([p - 3 * s for s in sigma[:4]], rel=1e-12)
    assert chart.lower[4] == 0.0
    assert chart.upper[0] == pytest.approx(0.218558, abs=1e-6)
    assert set(chart.signal) == {stats.COMMON_CAUSE}
    # [HAND] Add 30 of 100: p = 91 / 605 = 0.150413, upper limit at n = 100
    # 0.150413 + 3 sqrt(0.150413 * 0.849587 / 100) = 0.257656 < 0.30: beyond.
    high = stats.spc([10, 12, 8, 30, 1, 30], [100, 100, 100, 200, 5, 100], kind="p")
    assert high.upper.tolist()[-1] == pytest.approx(0.257656, abs=1e-6)
    assert high.beyond_limit.tolist() == [False] * 5 + [True]


def test_spc_keeps_the_series_index_and_validates():
    months = pd.period_range("2021-01", periods=4, freq="M")
    chart = stats.spc(pd.Series([3.0, 4.0, 3.0, 5.0], index=months))
    assert chart.index.equals(months)
    short = stats.spc([4.0])
    assert math.isnan(short.upper[0]) and short.signal.tolist() == [stats.COMMON_CAUSE]
    assert stats.spc([]).empty
    with pytest.raises(ValueError, match="kind"):
        stats.spc([1, 2], kind="c")
    with pytest.raises(ValueError, match="finite"):
        stats.spc([1, np.nan, 2])
    with pytest.raises(ValueError, match="denominators"):
        stats.spc([1, 2], kind="p")
    with pytest.raises(ValueError, match="no denominators"):
        stats.spc([1, 2], [3, 4])
    with pytest.raises(ValueError, match="between 0"):
        stats.spc([5, 2], [3, 4], kind="p")
    with pytest.raises(ValueError, match="baseline_points"):
        stats.spc([1, 2, 3], baseline_points=4)
    with pytest.raises(ValueError, match="shift_points"):
        stats.spc([1, 2, 3], shift_points=1)


# --------------------------------------------------------------------------------------
# Interrupted time series
# --------------------------------------------------------------------------------------

MONTHS = pd.period_range("2019-04", periods=36, freq="M")  # 24 months before April 2021
LAUNCH = "2021-04-12"


def _seasonal_counts(seed, level_change=1.0, slope_change=1.0, base=30.0, months=MONTHS):
    # Poisson draws around a seasonal mean with a known step (and slope change) from
    # April 2021.
    rng = np.random.default_rng(seed)
    t = np.arange(len(months))
    t0 = (pd.Period("2021-04", freq="M") - months[0]).n
    after = (t >= t0).astype(float)
    season = 0.25 * np.sin(2 * np.pi * np.asarray(months.month) / 12)
    mean = base * np.exp(0.005 * t + season) * level_change**after
    mean = mean * slope_change ** ((t - t0) * after)
    return rng.poisson(mean)


def _direct_glm(y, months, offset=None, control=None, control_offset=None):
    # [SM] The model written as a formula, independently of stats.interrupted_time_series.
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    frame = pd.DataFrame({"y": y, "t": np.arange(len(months)), "moy": months.month})
    t0 = (pd.Period("2021-04", freq="M") - months[0]).n
    frame["after"] = (frame.t >= t0).astype(int)
    frame["t_after"] = (frame.t - t0) * frame.after
    frame["g"] = 1
    off = None if offset is None else np.log(np.asarray(offset, dtype=float))
    formula = "y ~ t + after + t_after + C(moy)"
    if control is not None:
        other = frame.assign(y=control, g=0)
        frame = pd.concat([frame, other], ignore_index=True)
        if off is not None:
            off = np.concatenate([off, np.log(np.asarray(control_offset, dtype=float))])
        formula = "y ~ t + after + t_after + g + g:t + g:after + g:t_after + C(moy)"
    model = smf.glm(formula, data=frame, family=sm.families.Poisson(), offset=off)
    return model.fit(scale="X2")


def _assert_effect(effect, fit, term):
    low, high = fit.conf_int(alpha=0.05).loc[term]
    assert effect.ratio == pytest.approx(math.exp(fit.params[term]), rel=1e-7)
    assert (effect.lower, effect.upper) == pytest.approx((math.exp(low), math.exp(high)), rel=1e-7)
    assert effect.p_value == pytest.approx(fit.pvalues[term], rel=1e-6, abs=1e-12)


def test_its_matches_a_direct_glm_fit():
    y = _seasonal_counts(7, level_change=1.5)
    result = stats.interrupted_time_series(y, MONTHS, LAUNCH)
    assert result.status == stats.ESTIMATED and result.estimable and result.reason is None
    assert (result.months_before, result.months_after) == (24, 12)
    assert result.intervention_month == pd.Period("2021-04", freq="M")
    assert result.seasonal and not result.relative_to_control
    fit = _direct_glm(y, MONTHS)
    _assert_effect(result.level_change, fit, "after")
    _assert_effect(result.slope_change, fit, "t_after")
    assert result.dispersion == pytest.approx(fit.scale, rel=1e-7)
    # The step of 1.5 is found (this seeded series: the interval holds it).
    assert result.level_change.lower < 1.5 < result.level_change.upper
    assert result.level_change.p_value < 0.05
    # The chart frame: fitted values are the GLM's; before April 2021 the counterfactual
    # equals the fit, after it the fit without the two intervention terms.
    chart = result.series
    assert list(chart.columns) == ["month", "series", "observed", "fitted", "counterfactual"]
    assert chart.series.unique().tolist() == [stats.COMMUNITY]
    np.testing.assert_allclose(chart.fitted, fit.fittedvalues, rtol=1e-7)
    np.testing.assert_allclose(chart.counterfactual[:24], chart.fitted[:24], rtol=1e-12)
    b = fit.params
    expected = chart.fitted[24:] / np.exp(b["after"] + b["t_after"] * np.arange(12))
    np.testing.assert_allclose(chart.counterfactual[24:], expected, rtol=1e-7)


def test_its_with_offset_and_slope_change():
    y = _seasonal_counts(11, level_change=0.8, slope_change=1.03, base=60)
    days = np.asarray(MONTHS.days_in_month, dtype=float)
    result = stats.interrupted_time_series(y, MONTHS, LAUNCH, offset=days)
    fit = _direct_glm(y, MONTHS, offset=days)
    _assert_effect(result.level_change, fit, "after")
    _assert_effect(result.slope_change, fit, "t_after")


def test_its_with_a_control_series():
    y = _seasonal_counts(3, level_change=1.6, base=20)
    control = _seasonal_counts(4, level_change=1.1, base=200)
    result = stats.interrupted_time_series(y, MONTHS, LAUNCH, control=control)
    assert result.relative_to_control
    fit = _direct_glm(y, MONTHS, control=control)
    _assert_effect(result.level_change, fit, "g:after")
    _assert_effect(result.slope_change, fit, "g:t_after")
    chart = result.series
    assert chart.series.tolist() == [stats.COMMUNITY] * 36 + [stats.CONTROL] * 36
    assert chart.observed.tolist() == [*y, *control]
    np.testing.assert_allclose(chart.fitted, fit.fittedvalues, rtol=1e-7)
    assert chart.counterfactual[36:].isna().all()
    # With offsets (the community's and the control's own).
    pop, everyone = np.full(36, 5_000.0), np.linspace(100_000, 101_000, 36)
    with_off = stats.interrupted_time_series(
        y, MONTHS, LAUNCH, offset=pop, control=control, control_offset=everyone
    )
    fit_off = _direct_glm(y, MONTHS, offset=pop, control=control, control_offset=everyone)
    _assert_effect(with_off.level_change, fit_off, "g:after")
    with pytest.raises(ValueError, match="control's offset"):
        stats.interrupted_time_series(y, MONTHS, LAUNCH, offset=pop, control=control)


def test_its_months_in_any_form_and_order():
    y = _seasonal_counts(5, level_change=1.3)
    reference = stats.interrupted_time_series(y, MONTHS, LAUNCH)
    as_strings = [str(m) for m in MONTHS]  # "2019-04", ...
    as_dates = [m.to_timestamp().date() for m in MONTHS]
    as_days = [f"{m}-15" for m in MONTHS]
    for months in (as_strings, as_dates, as_days, MONTHS.to_timestamp()):
        other = stats.interrupted_time_series(y, months, pd.Timestamp(LAUNCH))
        assert other.level_change == reference.level_change
    shuffled = np.random.default_rng(0).permutation(36)
    other = stats.interrupted_time_series(y[shuffled], MONTHS[shuffled], LAUNCH)
    assert other.level_change.ratio == pytest.approx(reference.level_change.ratio, rel=1e-10)
    assert other.series.month.tolist() == list(MONTHS)


def test_its_zero_counts_and_not_estimable_cases():
    y = _seasonal_counts(9, base=2)  # small counts with zero months
    assert (y == 0).any()
    assert stats.interrupted_time_series(y, MONTHS, LAUNCH).estimable
    # Too short on either side.
    late = stats.interrupted_time_series(y, MONTHS, "2019-09-01")  # 5 months before
    assert (late.status, late.reason) == (stats.NOT_ESTIMABLE, stats.TOO_FEW_MONTHS_BEFORE)
    assert late.series.fitted.isna().all() and not late.estimable
    assert math.isnan(late.level_change.ratio)
    early = stats.interrupted_time_series(y, MONTHS, "2021-11-30")  # 5 months from it
    assert early.reason == stats.TOO_FEW_MONTHS_AFTER
    assert stats.interrupted_time_series(y, MONTHS, "2019-10-01").estimable  # 6 before
    # No events on one side.
    silent = y.copy()
    silent[:24] = 0
    assert stats.interrupted_time_series(silent, MONTHS, LAUNCH).reason == stats.NO_EVENTS_BEFORE
    silent = y.copy()
    silent[24:] = 0
    assert stats.interrupted_time_series(silent, MONTHS, LAUNCH).reason == stats.NO_EVENTS_AFTER
    no_control = stats.interrupted_time_series(y, MONTHS, LAUNCH, control=np.zeros(36))
    assert no_control.reason == stats.NO_EVENTS_BEFORE
    # 12 months: seasonal terms are left out by default; forcing them leaves no residual
    # degrees of freedom (4 + 11 terms for 12 months).
    short = MONTHS[18:30]
    assert not stats.interrupted_time_series(y[18:30], short, LAUNCH).seasonal
    assert stats.interrupted_time_series(y[18:30], short, LAUNCH).estimable
    forced = stats.interrupted_time_series(y[18:30], short, LAUNCH, seasonal=True)
    assert forced.reason == stats.TOO_FEW_MONTHS


def test_its_seasonal_terms_need_to_be_separable_from_the_trend():
    # [HAND] Exactly a year either side of April 2021 (April 2020 to March 2022): each
    # month's t is its place in the year (0 for April ... 11 for March) plus 12 after_t,
    # a sum of the month-of-year and after columns, so the design with seasons is
    # singular. By default the seasons are then left out; forcing them is "collinear".
    months = pd.period_range("2020-04", periods=24, freq="M")
    y = _seasonal_counts(2, level_change=1.4, months=months)
    default = stats.interrupted_time_series(y, months, LAUNCH)
    assert default.estimable and not default.seasonal
    forced = stats.interrupted_time_series(y, months, LAUNCH, seasonal=True)
    assert (forced.status, forced.reason) == (stats.NOT_ESTIMABLE, stats.COLLINEAR)
    # The default is then the plain segmented model: same as seasonal=False.
    plain = stats.interrupted_time_series(y, months, LAUNCH, seasonal=False)
    assert default.level_change == plain.level_change
    # One more month before (March 2020 to February 2022) separates them again.
    shifted = pd.period_range("2020-03", periods=24, freq="M")
    assert stats.interrupted_time_series(y, shifted, LAUNCH).seasonal


def test_its_validation():
    y = _seasonal_counts(1)
    with pytest.raises(ValueError, match="one value per month"):
        stats.interrupted_time_series(y[:-1], MONTHS, LAUNCH)
    with pytest.raises(ValueError, match="repeat"):
        stats.interrupted_time_series(y, [MONTHS[0]] * 36, LAUNCH)
    with pytest.raises(ValueError, match="negative"):
        stats.interrupted_time_series(-y, MONTHS, LAUNCH)
    with pytest.raises(ValueError, match="month"):
        stats.interrupted_time_series(y, MONTHS, "not a date")
    with pytest.raises(ValueError, match="greater than zero"):
        stats.interrupted_time_series(y, MONTHS, LAUNCH, offset=np.zeros(36))
    with pytest.raises(ValueError, match="control"):
        stats.interrupted_time_series(y, MONTHS, LAUNCH, control_offset=np.ones(36))


def test_its_finds_no_change_where_there_is_none():
    # Poisson draws from a seasonal mean with no step and no change of slope, 48 months
    # (24 either side), 200 seeds. At the 5% level a correct test flags about 5% of
    # them. Two honest allowances for the threshold:
    # * the Wald test uses the normal distribution with a scale estimated on 48 - 15 =
    #   33 residual degrees of freedom, so its real size is about P(|T_33| > 1.96) =
    #   0.059, not 0.05;
    # * with 200 draws the count of false flags is binomial: at p = 0.0586 its 99.9th
    #   percentile is 23 (mean 11.7, sd 3.3).
    # The test fails only if more than 23 draws (11.5%) show a "significant" level
    # change, i.e. if the false-positive rate is clearly above what the method promises
    # (a correct method fails this test less than once in a thousand seeds). These 200
    # seeded draws give 10 flags: 95% of them find no change.
    from scipy.stats import t as student_t

    months = pd.period_range("2019-04", periods=48, freq="M")
    draws = 200
    size = 2 * student_t.sf(Z95, 48 - 15)
    limit = binom.ppf(0.999, draws, size)
    rng = np.random.default_rng(20210412)
    season = 0.3 * np.sin(2 * np.pi * np.asarray(months.month) / 12)
    mean = 25 * np.exp(season)
    false_flags = 0
    for _ in range(draws):
        result = stats.interrupted_time_series(rng.poisson(mean), months, LAUNCH)
        assert result.estimable
        false_flags += result.level_change.p_value < 0.05
    assert size == pytest.approx(0.0586, abs=5e-4) and limit == 23
    assert false_flags <= limit


def test_its_with_a_series_that_stops_is_a_failed_fit_not_an_infinite_interval():
    """Records that stop a year after the launch (the rest of the months are zeros) drive
    the slope change towards minus infinity: its Wald bound on the log scale passes exp's
    range. That is reported as a failed fit, never as an interval up to infinity."""
    months = pd.period_range("2020-04", "2024-02", freq="M").to_timestamp()
    counts = np.zeros(len(months))
    counts[[3, 6, 14, 15, 16, 17, 21, 22]] = [1, 1, 1, 1, 1, 1, 2, 1]
    days = months.days_in_month.to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = stats.interrupted_time_series(counts, months, LAUNCH, offset=days)
    assert (result.status, result.reason) == (stats.NOT_ESTIMABLE, stats.FIT_FAILED)
    assert not result.estimable
