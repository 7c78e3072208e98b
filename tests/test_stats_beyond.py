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

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta

from hidden_communities import stats

Z95 = 1.959963984540054
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
