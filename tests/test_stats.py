"""Tests for hidden_communities.stats.

Where the expected values come from (none of them is produced by the code under test):

* [N98] Newcombe RG (1998) "Two-sided confidence intervals for the single proportion:
  comparison of seven methods", Statistics in Medicine 17:857-872, Table II, method 3
  (Wilson score without continuity correction), published to 4 decimal places.
* [G36] Garwood F (1936) exact Poisson limits, as tabulated in standard references
  (e.g. Ulm 1990, Am J Epidemiol 131:373), 4 decimal places.
* [PHE-P] PHEindicatormethods (ukhsa-collaboration/PHEindicatormethods),
  tests/testthat/testdata_funnel_prop_outputs.csv: published funnel limits for a
  proportion with baseline 80.642448%, given to 6 decimal places (percent).
  Their "2s" limits use p = 0.975 (our 95%), "3s" p = 0.999 (our 99.8%).
* [PHE-R] PHEindicatormethods tests/testthat/testdata_funnel_rate_outputs.csv:
  published exact-Poisson funnel limits per 100,000 for a baseline of 116.1720835 per
  100,000 and 3 years of data (population_1_year x 3 = the denominator at which the
  limit was computed). Their limits come from a bisection to about 1e-7, so we compare
  to a relative 1e-5.
* [R] R's stats::prop.trend.test help-page example (smokers/patients), whose output is
  "X-squared = 8.2249, df = 1, p-value = 0.004132".
* [IND] Computed independently for these tests in pure Python (decimal arithmetic at 40
  digits for Wilson and Byar's formulas; bisection on the Poisson distribution function
  summed term by term for exact limits; z by bisection on math.erfc), printed to 10-12
  decimal places and pasted here.
* [HAND] Worked by hand in the comment next to the assertion.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hidden_communities import stats, text
from hidden_communities.stats import (
    ABOVE_95,
    ABOVE_998,
    BELOW_95,
    BELOW_998,
    CANNOT_BE_CALCULATED,
    DECREASING,
    HIGHER,
    INCREASING,
    LOWER,
    NO_SIGNIFICANT_CHANGE,
    NOT_SIGNIFICANTLY_DIFFERENT,
    OVER_REPRESENTED,
    SIMILAR,
    TOO_FEW_TO_SAY,
    UNDER_REPRESENTED,
    WITHIN_LIMITS,
    add_benchmark_comparison,
    add_proportion_intervals,
    add_rate_intervals,
    add_representation_ratios,
    byars_interval,
    chi_square_trend,
    classify_funnel,
    classify_representation,
    compare_to_benchmark,
    exact_poisson_interval,
    funnel_limits,
    funnel_position,
    normalise_confidence,
    poisson_interval,
    rate_interval,
    rate_ratio,
    representation_ratio,
    trend_test,
    wilson_interval,
    z_value,
)

TIGHT = 1e-9
Z95 = 1.959963984540054  # [IND] bisection on erfc
Z998 = 3.090232306167813  # [IND]

PROPERTY = settings(max_examples=150, deadline=None)


# --------------------------------------------------------------------------------------
# Confidence levels and validation
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_level", "fraction"), [(0.95, 0.95), (95, 0.95), (0.998, 0.998), (99.8, 0.998)]
)
def test_confidence_as_fraction_or_percent(given_level, fraction):
    assert normalise_confidence(given_level) == pytest.approx(fraction, abs=1e-15)


def test_z_values():
    assert z_value(0.95) == pytest.approx(Z95, abs=1e-12)
    assert z_value(99.8) == pytest.approx(Z998, abs=1e-12)


@pytest.mark.parametrize("bad", [0.5, 150, 50, 1, 100, 0.89, 100.5, -95, math.nan, "95", True])
def test_bad_confidence_is_value_error(bad):
    with pytest.raises(ValueError, match="confidence"):
        normalise_confidence(bad)


@pytest.mark.parametrize("bad", [0.5, 150])
def test_every_method_rejects_bad_confidence(bad):
    with pytest.raises(ValueError):
        wilson_interval(5, 10, bad)
    with pytest.raises(ValueError):
        poisson_interval(5, bad)
    with pytest.raises(ValueError):
        exact_poisson_interval(5, bad)
    with pytest.raises(ValueError):
        rate_interval(5, 100, confidence=bad)
    with pytest.raises(ValueError):
        representation_ratio(5, 10, 1, 10, bad)
    with pytest.raises(ValueError):
        rate_ratio(5, 10, 6, 10, bad)
    with pytest.raises(ValueError):
        funnel_limits([10, 20], 0.5, levels=(bad,))
    with pytest.raises(ValueError):
        trend_test([1, 2, 3, 4, 5], [10] * 5, confidence=bad)


def test_negative_counts_zero_denominators_and_count_above_total_are_value_errors():
    with pytest.raises(ValueError, match="negative"):
        wilson_interval(-1, 10)
    with pytest.raises(ValueError, match="greater than zero"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="exceed"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="negative"):
        poisson_interval(-3)
    with pytest.raises(ValueError, match="negative"):
        rate_interval(-1, 100)
    with pytest.raises(ValueError, match="greater than zero"):
        rate_interval(1, 0)
    with pytest.raises(ValueError, match="greater than zero"):
        rate_interval(1, -100)
    with pytest.raises(ValueError, match="negative"):
        rate_ratio(-1, 10, 5, 10)
    with pytest.raises(ValueError, match="greater than zero"):
        rate_ratio(1, 0, 5, 10)
    with pytest.raises(ValueError):
        funnel_limits([100, 0], 0.2)
    with pytest.raises(ValueError):
        funnel_limits([100, -5], 0.2)
    with pytest.raises(ValueError):
        wilson_interval(math.nan, 10)


# --------------------------------------------------------------------------------------
# Wilson
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "lower", "upper"),
    [
        (81, 263, 0.2553, 0.3662),  # [N98] example (a)
        (15, 148, 0.0624, 0.1605),  # [N98] example (b)
        (0, 20, 0.0000, 0.1611),  # [N98] example (c)
        (1, 29, 0.0061, 0.1718),  # [N98] example (d)
    ],
)
def test_wilson_published_newcombe(x, n, lower, upper):
    lo, up = wilson_interval(x, n)
    assert lo == pytest.approx(lower, abs=5e-5)
    assert up == pytest.approx(upper, abs=5e-5)


@pytest.mark.parametrize(
    ("x", "n", "conf", "lower", "upper"),
    [
        # [IND]; 65/100 and 1045/5000 are PHEindicatormethods' own Wilson test cases.
        (65, 100, 0.95, 0.552544432969, 0.736357517569),
        (65, 100, 99.8, 0.495494657407, 0.778354061409),
        (1045, 5000, 95, 0.197955498800, 0.220491303732),
        (1045, 5000, 0.998, 0.191793817990, 0.227315629025),
        (81, 263, 0.95, 0.255288519878, 0.366209576983),
        (1, 29, 0.998, 0.003016001359, 0.296586458036),
    ],
)
def test_wilson_independent_values(x, n, conf, lower, upper):
    lo, up = wilson_interval(x, n, conf)
    assert lo == pytest.approx(lower, abs=1e-11)
    assert up == pytest.approx(upper, abs=1e-11)


def test_wilson_zero_and_all():
    # [HAND] x = 0: the limits are 0 and z^2 / (n + z^2); x = n: n / (n + z^2) and 1.
    lo, up = wilson_interval(0, 20)
    assert lo == 0.0
    assert up == pytest.approx(Z95**2 / (20 + Z95**2), abs=TIGHT)
    lo, up = wilson_interval(20, 20)
    assert up == 1.0
    assert lo == pytest.approx(20 / (20 + Z95**2), abs=TIGHT)
    lo, up = wilson_interval(0, 20, 99.8)
    assert lo == 0.0
    assert up == pytest.approx(0.323170414624, abs=1e-11)  # [IND]


# --------------------------------------------------------------------------------------
# Poisson: exact and Byar's
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "lower", "upper"),
    [(1, 0.0253, 5.5716), (2, 0.2422, 7.2247), (5, 1.6235, 11.6683), (9, 4.1154, 17.0848)],
)
def test_exact_poisson_published_garwood(x, lower, upper):  # [G36]
    lo, up = poisson_interval(x)
    assert lo == pytest.approx(lower, abs=5e-5)
    assert up == pytest.approx(upper, abs=5e-5)


@pytest.mark.parametrize(
    ("x", "conf", "lower", "upper"),
    [  # [IND] bisection on the Poisson distribution function
        (0, 0.95, 0.0, 3.6888794541),
        (0, 0.998, 0.0, 6.9077552790),
        (1, 0.95, 0.0253178080, 5.5716433909),
        (1, 0.998, 0.0010005003, 9.2334134765),
        (2, 0.998, 0.0454020178, 11.2288722424),
        (5, 99.8, 0.7393717319, 16.4547452037),
        (9, 0.95, 4.1153730974, 17.0848034514),
        (9, 0.998, 2.4524244044, 22.6573733091),
    ],
)
def test_exact_poisson_independent_values(x, conf, lower, upper):
    assert exact_poisson_interval(x, conf) == pytest.approx((lower, upper), abs=1e-9)
    assert poisson_interval(x, conf) == pytest.approx((lower, upper), abs=1e-9)


def test_exact_poisson_zero_and_one_analytically():
    # [HAND] x = 0: upper solves exp(-mu) = a/2, so mu = -ln(a/2); lower is 0.
    # x = 1: lower solves 1 - exp(-mu) = a/2, so mu = -ln(1 - a/2).
    assert poisson_interval(0) == (0.0, pytest.approx(-math.log(0.025), abs=TIGHT))
    assert poisson_interval(0, 99.8)[1] == pytest.approx(-math.log(0.001), abs=TIGHT)
    assert poisson_interval(1)[0] == pytest.approx(-math.log(0.975), abs=TIGHT)


@pytest.mark.parametrize(
    ("x", "conf", "lower", "upper"),
    [  # [IND] decimal arithmetic; 65 and 1045 are PHEindicatormethods' Byar's test cases.
        (10, 0.95, 4.7874499140, 18.3914586058),
        (10, 0.998, 2.9163183747, 24.1937249279),
        (65, 0.95, 50.1631877105, 82.8491385459),
        (65, 99.8, 42.8802614715, 94.0002908443),
        (1045, 0.95, 982.5932018073, 1110.3312129856),
        (1045, 0.998, 947.9407035610, 1148.8061609880),
    ],
)
def test_byars_independent_values(x, conf, lower, upper):
    assert byars_interval(x, conf) == pytest.approx((lower, upper), abs=1e-8)
    assert poisson_interval(x, conf) == pytest.approx((lower, upper), abs=1e-8)


def test_poisson_switches_from_exact_to_byars_at_ten():
    assert poisson_interval(9) == exact_poisson_interval(9)
    assert poisson_interval(10) == byars_interval(10)
    assert poisson_interval(10) != exact_poisson_interval(10)
    # Byar's agrees with the exact interval to within rounding from 10 events.
    for x in (10, 20, 65, 400):
        assert byars_interval(x) == pytest.approx(exact_poisson_interval(x), rel=2e-2)


def test_rate_interval_hand_worked():
    # [HAND] 65 events among 13,000 residents: 5.0 per 1,000; limits Byar's / 13.
    rate, lo, up = rate_interval(65, 13000)
    assert rate == pytest.approx(5.0, abs=TIGHT)
    assert lo == pytest.approx(50.1631877105 / 13, abs=1e-9)
    assert up == pytest.approx(82.8491385459 / 13, abs=1e-9)
    rate, lo, up = rate_interval(0, 500, per=100000)
    assert (rate, lo) == (0.0, 0.0)
    assert up == pytest.approx(3.6888794541 / 500 * 100000, abs=1e-6)


# --------------------------------------------------------------------------------------
# Representation ratio and rate ratio
# --------------------------------------------------------------------------------------


def test_representation_ratio_hand_worked():
    # [HAND] 65 of 100 contacts, 50% of the population: ratio 0.65 / 0.5 = 1.3, limits
    # the Wilson limits of 65/100 divided by 0.5.
    ratio, lo, up = representation_ratio(65, 100, 5000, 10000)
    assert ratio == pytest.approx(1.3, abs=TIGHT)
    assert lo == pytest.approx(0.552544432969 / 0.5, abs=1e-11)
    assert up == pytest.approx(0.736357517569 / 0.5, abs=1e-11)
    # 0 of 20 contacts, 10% of the population.
    ratio, lo, up = representation_ratio(0, 20, 100, 1000)
    assert (ratio, lo) == (0.0, 0.0)
    assert up == pytest.approx(0.161125158053 / 0.1, abs=1e-10)


def test_representation_ratio_errors():
    with pytest.raises(ValueError, match="exceed"):
        representation_ratio(11, 10, 1, 10)
    with pytest.raises(ValueError, match="total_count"):
        representation_ratio(0, 0, 1, 10)
    with pytest.raises(ValueError, match="exceed"):
        representation_ratio(1, 10, 11, 10)
    with pytest.raises(ValueError, match="group_population"):
        representation_ratio(1, 10, 0, 10)
    with pytest.raises(ValueError, match="total_population"):
        representation_ratio(1, 10, 1, 0)
    with pytest.raises(ValueError, match="negative"):
        representation_ratio(-1, 10, 1, 10)


def test_rate_ratio_katz_hand_worked():
    # [HAND] 20 vs 10 events over equal time: RR = 2, se(ln RR) = sqrt(1/20 + 1/10);
    # limits 2 exp(-/+ z se) = 0.9361836574, 4.2726659116 [IND].
    ratio, lo, up = rate_ratio(20, 10, 10, 10)
    assert ratio == pytest.approx(2.0, abs=TIGHT)
    assert lo == pytest.approx(0.9361836574114524, abs=1e-10)
    assert up == pytest.approx(4.272665911579785, abs=1e-10)
    # 45 contacts in 6 months after launch, 30 in 12 before: 7.5 vs 2.5 a month.
    ratio, lo, up = rate_ratio(45, 6, 30, 12)
    assert ratio == pytest.approx(3.0, abs=TIGHT)
    assert lo == pytest.approx(1.8901276136052674, abs=1e-10)
    assert up == pytest.approx(4.761583257774442, abs=1e-10)


def test_rate_ratio_with_zero_counts_cannot_be_calculated():
    ratio, lo, up = rate_ratio(0, 6, 30, 12)
    assert ratio == 0.0 and math.isnan(lo) and math.isnan(up)
    ratio, lo, up = rate_ratio(5, 6, 0, 12)
    assert ratio == math.inf and math.isnan(lo) and math.isnan(up)
    ratio, lo, up = rate_ratio(0, 6, 0, 12)
    assert math.isnan(ratio) and math.isnan(lo) and math.isnan(up)


# --------------------------------------------------------------------------------------
# Funnel plots
# --------------------------------------------------------------------------------------

# [PHE-P]: population, lower 95, upper 95, lower 99.8, upper 99.8 (percent)
PHE_PROPORTION_FUNNEL = [
    (1, 3.204264, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (10, 56.154344, 100, 42.03259, 100),
    (18, 62.390093, 98.894803, 51.864359, 100),
    (41, 68.548635, 92.73626, 61.574398, 99.710497),
    (260, 75.839936, 85.44496, 73.070432, 88.214464),
    (1008, 78.203374, 83.081521, 76.796814, 84.488082),
    (20742, 80.10476, 81.180135, 79.794688, 81.490208),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


@pytest.mark.parametrize(("n", "lo95", "up95", "lo998", "up998"), PHE_PROPORTION_FUNNEL)
def test_funnel_proportion_matches_phe(n, lo95, up95, lo998, up998):
    limits = funnel_limits([n], 80.642448, kind="proportion", per=100)
    assert list(limits.columns) == ["denominator", "level", "lower", "upper"]
    assert list(limits.level) == [0.95, 0.998]
    assert limits.lower.tolist() == pytest.approx([lo95, lo998], abs=1.5e-6)
    assert limits.upper.tolist() == pytest.approx([up95, up998], abs=1.5e-6)


# [PHE-R]: events, then (population_1_year, limit) for lower 95, upper 95, lower 99.8,
# upper 99.8.
PHE_RATE_FUNNEL = [
    (1, 1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525, 12.58170943),
    (10, 5276.757672, 63.17010446, 1375.943768, 242.2579623, 6924.776769, 48.13632908),
    (99, 34583.45945, 95.42133877, 23087.10848, 142.9369123, 38382.78582, 85.97604186),
    (1360, 411529.9259, 110.158048, 369759.5622, 122.6021934, 424043.2424, 106.9073359),
]
PHE_RATE_UPPER_998 = {1: (0.287087625, 116108.569), 10: (849.4639547, 392.4043292)}


@pytest.mark.parametrize(("events", "p_lo", "lo", "p_up", "up", "p_lo3", "lo3"), PHE_RATE_FUNNEL)
def test_funnel_rate_matches_phe(events, p_lo, lo, p_up, up, p_lo3, lo3):
    per, overall, years = 100000, 116.1720835, 3
    limits = funnel_limits([p_lo * years], overall, kind="rate", levels=(0.95,), per=per)
    assert limits.lower[0] == pytest.approx(lo, rel=1e-5)
    limits = funnel_limits([p_up * years], overall, kind="rate", levels=(95,), per=per)
    assert limits.upper[0] == pytest.approx(up, rel=1e-5)
    limits = funnel_limits([p_lo3 * years], overall, kind="rate", levels=(0.998,), per=per)
    assert limits.lower[0] == pytest.approx(lo3, rel=1e-5)
    if events in PHE_RATE_UPPER_998:
        p_up3, up3 = PHE_RATE_UPPER_998[events]
        limits = funnel_limits([p_up3 * years], overall, kind="rate", levels=(99.8,), per=per)
        assert limits.upper[0] == pytest.approx(up3, rel=1e-5)


def test_funnel_proportion_hand_worked():
    # [HAND] overall 0.2, n = 100: sd = sqrt(0.2 * 0.8 / 100) = 0.04.
    limits = funnel_limits([100], 0.2)
    assert limits.lower.tolist() == pytest.approx([0.2 - Z95 * 0.04, 0.2 - Z998 * 0.04], abs=1e-12)
    assert limits.upper.tolist() == pytest.approx([0.2 + Z95 * 0.04, 0.2 + Z998 * 0.04], abs=1e-12)
    # Clipped to 0..1: n = 2, overall 0.5: 0.5 -/+ 1.96 * 0.354 lies outside 0..1.
    limits = funnel_limits([2], 0.5, levels=(0.95,))
    assert (limits.lower[0], limits.upper[0]) == (0.0, 1.0)


def test_funnel_rate_hand_worked():
    # [HAND] An area with 1 event is exactly on the upper limit when its exact lower
    # bound, -ln(1 - a/2), equals the expected count overall * n / per. Overall 5 per
    # 1,000: n = -ln(0.975) / 0.005, and there the limit is 1 / n * 1,000.
    n = -math.log(0.975) / 0.005
    limits = funnel_limits([n], 5, kind="rate", levels=(0.95,), per=1000)
    assert limits.upper[0] == pytest.approx(1000 / n, rel=1e-9)
    # The lower limit is 0 until the expected count exceeds -ln(a/2) (the exact upper
    # bound for 0 events), and positive beyond it.
    n0 = -math.log(0.025) / 0.005
    limits = funnel_limits([n0 * 0.999, n0 * 1.001], 5, kind="rate", levels=(0.95,), per=1000)
    assert limits.lower[0] == 0.0
    assert limits.lower[1] > 0.0
    # And at an expected count where the exact upper bound of 2 events is reached, the
    # lower limit is 2 events: E = 7.2246876677 [IND].
    n2 = 7.2246876677 / 0.005
    limits = funnel_limits([n2], 5, kind="rate", levels=(0.95,), per=1000)
    assert limits.lower[0] == pytest.approx(2 / n2 * 1000, rel=1e-8)


def test_funnel_limits_shape_and_validation():
    limits = funnel_limits(np.array([10, 100, 1000]), 0.3, levels=(0.95, 0.998))
    assert len(limits) == 6
    assert limits.level.tolist() == [0.95] * 3 + [0.998] * 3
    assert limits.denominator.tolist() == [10, 100, 1000] * 2
    with pytest.raises(ValueError, match="kind"):
        funnel_limits([10], 0.3, kind="ratio")
    with pytest.raises(ValueError, match="exceed"):
        funnel_limits([10], 1.3)
    with pytest.raises(ValueError, match="negative"):
        funnel_limits([10], -0.1, kind="rate")
    zero = funnel_limits([10, 20], 0, kind="rate", per=1000)
    assert (zero.lower == 0).all() and (zero.upper == 0).all()


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.35, ABOVE_998),  # above 0.2 + 3.09 * 0.04 = 0.3236
        (0.30, ABOVE_95),  # between 0.2784 and 0.3236
        (0.25, WITHIN_LIMITS),
        (0.12, BELOW_95),  # below 0.1216, above 0.0764
        (0.05, BELOW_998),
    ],
)
def test_funnel_position_hand_worked(value, label):
    assert funnel_position(value, 100, 0.2) == label


def test_funnel_position_is_strict_on_the_limit():
    limits = funnel_limits([100], 0.2)
    assert limits["level"].tolist() == [0.95, 0.998]
    # A value equal to a limit is inside that limit: on a 95% limit it is within limits; on
    # a 99.8% limit it is inside that one but outside the 95% one.
    assert funnel_position(limits.upper[0], 100, 0.2) == WITHIN_LIMITS
    assert funnel_position(limits.lower[0], 100, 0.2) == WITHIN_LIMITS
    assert funnel_position(limits.upper[1], 100, 0.2) == ABOVE_95
    assert funnel_position(limits.lower[1], 100, 0.2) == BELOW_95
    # A rate of 0 is never below a lower limit of 0.
    assert funnel_position(0.0, 10, 5, kind="rate", per=1000) == WITHIN_LIMITS


def test_classify_funnel_frame():
    df = pd.DataFrame({"area": list("abcde"), "value": [0.35, 0.3, 0.25, 0.12, np.nan]})
    df["n"] = [100, 100, 100, 100, 100]
    before = df.copy()
    out = classify_funnel(df, "value", "n", 0.2)
    assert out.funnel_position.tolist() == [ABOVE_998, ABOVE_95, WITHIN_LIMITS, BELOW_95, None]
    pd.testing.assert_frame_equal(df, before)


# --------------------------------------------------------------------------------------
# Classifications
# --------------------------------------------------------------------------------------


def test_compare_to_benchmark():
    assert compare_to_benchmark(1.1, 1.5, 1.0) == HIGHER
    assert compare_to_benchmark(0.5, 0.9, 1.0) == LOWER
    assert compare_to_benchmark(0.8, 1.2, 1.0) == SIMILAR
    assert compare_to_benchmark(1.0, 1.2, 1.0) == SIMILAR  # touching counts as overlapping
    assert compare_to_benchmark(0.8, 1.0, 1.0) == SIMILAR
    assert compare_to_benchmark(math.nan, 1.0, 1.0) == CANNOT_BE_CALCULATED


def test_classify_representation():
    assert classify_representation(9, 0.1, 0.5) == TOO_FEW_TO_SAY
    assert classify_representation(10, 0.1, 0.5) == UNDER_REPRESENTED
    assert classify_representation(50, 1.1, 1.9) == OVER_REPRESENTED
    assert classify_representation(50, 0.9, 1.1) == NOT_SIGNIFICANTLY_DIFFERENT
    assert classify_representation(50, 1.0, 1.1) == NOT_SIGNIFICANTLY_DIFFERENT
    assert classify_representation(50, math.nan, math.nan) == TOO_FEW_TO_SAY
    assert classify_representation(math.nan, 0.1, 0.5) == TOO_FEW_TO_SAY


def test_labels_are_the_documented_strings():
    # The statistics return codes; the English catalogue gives the documented words.
    def words(kind, codes):
        return tuple(text.label(kind, c) for c in codes)

    assert words("funnel", stats.FUNNEL_LABELS) == (
        "above 99.8% limit",
        "above 95% limit",
        "within limits",
        "below 95% limit",
        "below 99.8% limit",
    )
    classes = (UNDER_REPRESENTED, NOT_SIGNIFICANTLY_DIFFERENT, OVER_REPRESENTED, TOO_FEW_TO_SAY)
    assert words("classification", classes) == (
        "under-represented",
        "not significantly different",
        "over-represented",
        "too few to say",
    )
    directions = (INCREASING, DECREASING, NO_SIGNIFICANT_CHANGE, CANNOT_BE_CALCULATED)
    assert words("trend", directions) == (
        "increasing",
        "decreasing",
        "no significant change",
        "cannot be calculated",
    )


# --------------------------------------------------------------------------------------
# Trend
# --------------------------------------------------------------------------------------


def test_chi_square_trend_matches_r_prop_trend_test():
    # [R] prop.trend.test(c(83, 90, 129, 70), c(86, 93, 136, 82)):
    # X-squared = 8.2249, p-value = 0.004132; [IND] 8.224922285198, 0.004131897478.
    statistic, p_value, t = chi_square_trend([83, 90, 129, 70], [86, 93, 136, 82])
    assert statistic == pytest.approx(8.2249, abs=5e-5)
    assert p_value == pytest.approx(0.004132, abs=5e-7)
    assert statistic == pytest.approx(8.224922285197677, abs=1e-9)
    assert t < 0  # the proportion falls


def test_trend_hand_worked_increasing():
    # [HAND] x = 10..50 of 100 each: p = 0.3, T = 550 - 0.3 * 1500 = 100,
    # V = 0.21 * (5500 - 1500^2 / 500) = 210, chi2 = 10000 / 210 = 47.619...,
    # p = erfc(sqrt(chi2 / 2)) = 5.176309057e-12 [IND].
    result = trend_test([10, 20, 30, 40, 50], [100] * 5)
    assert result.direction == INCREASING
    assert result.statistic == pytest.approx(10000 / 210, abs=1e-9)
    assert result.p_value == pytest.approx(5.176309056990185e-12, rel=1e-6)
    assert result.periods_used == 5
    direction, statistic, p_value, periods = result
    assert (direction, periods) == (INCREASING, 5)


def test_trend_decreasing_and_no_change():
    # [IND] chi2 = 12.286147168855, p = 0.000456332817 (< 0.002): decreasing.
    result = trend_test([60, 52, 45, 41, 30], [400, 410, 395, 405, 400])
    assert result.direction == DECREASING
    assert result.statistic == pytest.approx(12.28614716885459, abs=1e-9)
    assert result.p_value == pytest.approx(0.00045633281683153144, rel=1e-7)
    # [IND] chi2 = 4.748729531, p = 0.0293: significant at 95% but not at 99.8%.
    result = trend_test([30, 25, 22, 20, 18], [100] * 5)
    assert result.direction == NO_SIGNIFICANT_CHANGE
    assert result.statistic == pytest.approx(4.748729531338227, abs=1e-9)
    assert result.p_value == pytest.approx(0.029319933784675838, rel=1e-7)


def test_trend_uses_only_the_last_five_periods():
    last_five = trend_test([30, 25, 22, 20, 18], [100] * 5)
    longer = trend_test([100, 90, 30, 25, 22, 20, 18], [100] * 7)
    assert longer == last_five


def test_trend_cannot_be_calculated():
    assert trend_test([1, 2, 3, 4], [10] * 4).direction == CANNOT_BE_CALCULATED
    result = trend_test([1, 2, 0, 4, 5], [10, 10, 0, 10, 10])
    assert result.direction == CANNOT_BE_CALCULATED
    assert math.isnan(result.statistic) and math.isnan(result.p_value)
    assert result.periods_used == 0
    # A zero denominator before the last five periods does not matter.
    assert trend_test([0, 1, 2, 3, 4, 5], [0, 10, 10, 10, 10, 10]).direction != (
        CANNOT_BE_CALCULATED
    )


def test_trend_without_events_is_no_change():
    result = trend_test([0] * 5, [10] * 5)
    assert (result.direction, result.statistic, result.p_value) == (NO_SIGNIFICANT_CHANGE, 0, 1)


def test_trend_errors():
    with pytest.raises(ValueError):
        trend_test([1, 2, -3, 4, 5], [10] * 5)
    with pytest.raises(ValueError):
        trend_test([1, 2, 30, 4, 5], [10] * 5)
    with pytest.raises(ValueError):
        trend_test([1, 2, 3, 4, 5], [10, 10, -10, 10, 10])
    with pytest.raises(ValueError):
        trend_test([1, 2, 3, 4, 5], [10] * 4)


# --------------------------------------------------------------------------------------
# DataFrame helpers
# --------------------------------------------------------------------------------------


def test_add_rate_intervals_matches_scalar_and_leaves_input_alone():
    df = pd.DataFrame({"contacts": [0, 3, 65, 7], "residents": [500, 1000, 13000, 0]})
    before = df.copy()
    out = add_rate_intervals(df, "contacts", "residents", per=1000)
    pd.testing.assert_frame_equal(df, before)
    for i in range(3):
        expected = rate_interval(df.contacts[i], df.residents[i], per=1000)
        got = (out.rate[i], out.rate_lower[i], out.rate_upper[i])
        assert got == pytest.approx(expected, abs=1e-12)
    assert out.loc[3, ["rate", "rate_lower", "rate_upper"]].isna().all()
    with pytest.raises(ValueError):
        add_rate_intervals(pd.DataFrame({"c": [-1], "d": [10]}), "c", "d")


def test_add_proportion_intervals():
    df = pd.DataFrame({"x": [65, 0], "n": [100, 0]})
    out = add_proportion_intervals(df, "x", "n", per=100, prefix="pct")
    assert out.pct[0] == pytest.approx(65.0)
    assert out.pct_lower[0] == pytest.approx(55.2544432969, abs=1e-9)
    assert out.pct_upper[0] == pytest.approx(73.6357517569, abs=1e-9)
    assert out.loc[1, ["pct", "pct_lower", "pct_upper"]].isna().all()


def test_add_representation_ratios():
    df = pd.DataFrame(
        {
            "group": [65, 5, 0, 30],
            "total": [100, 100, 0, 100],
            "group_pop": [5000, 100, 100, 1000],
            "total_pop": [10000, 1000, 1000, 10000],
        }
    )
    before = df.copy()
    out = add_representation_ratios(df, "group", "total", "group_pop", "total_pop")
    pd.testing.assert_frame_equal(df, before)
    assert out.ratio[0] == pytest.approx(1.3)
    assert out.ratio_lower[0] == pytest.approx(0.552544432969 / 0.5, abs=1e-10)
    assert out.ratio_upper[0] == pytest.approx(0.736357517569 / 0.5, abs=1e-10)
    assert out.ratio_classification.tolist() == [
        OVER_REPRESENTED,
        TOO_FEW_TO_SAY,  # 5 contacts
        TOO_FEW_TO_SAY,  # no contacts at all: NaN, not an error
        OVER_REPRESENTED,  # 30% of contacts against 10% of residents
    ]
    assert out.loc[2, ["ratio", "ratio_lower", "ratio_upper"]].isna().all()
    with pytest.raises(ValueError):
        add_representation_ratios(df.assign(group=[101, 5, 0, 30]), *df.columns)


def test_add_benchmark_comparison():
    df = pd.DataFrame({"lo": [1.1, 0.5, 0.8, np.nan], "up": [1.5, 0.9, 1.2, np.nan]})
    out = add_benchmark_comparison(df, "lo", "up", 1.0)
    assert out.comparison.tolist() == [HIGHER, LOWER, SIMILAR, CANNOT_BE_CALCULATED]


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

counts_and_totals = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
levels = st.sampled_from([0.9, 0.95, 0.99, 0.998, 95, 99.8])


@PROPERTY
@given(counts_and_totals, levels)
def test_wilson_contains_the_proportion(xn, conf):
    x, n = xn
    lo, up = wilson_interval(x, n, conf)
    assert 0.0 <= lo <= x / n <= up <= 1.0


@PROPERTY
@given(counts_and_totals, st.integers(min_value=2, max_value=20), levels)
def test_wilson_narrows_as_counts_grow(xn, k, conf):
    x, n = xn
    lo, up = wilson_interval(x, n, conf)
    lo_k, up_k = wilson_interval(x * k, n * k, conf)
    assert up_k - lo_k < up - lo


@PROPERTY
@given(st.integers(min_value=0, max_value=100000), levels)
def test_poisson_contains_the_count(x, conf):
    lo, up = poisson_interval(x, conf)
    assert 0.0 <= lo <= x <= up
    assert lo < up
    if x == 0:
        assert lo == 0.0


@PROPERTY
@given(
    st.integers(min_value=0, max_value=5000),
    st.floats(min_value=1, max_value=1e6),
    st.integers(min_value=2, max_value=20),
    levels,
)
def test_rate_interval_contains_rate_and_narrows(x, denominator, k, conf):
    rate, lo, up = rate_interval(x, denominator, per=1000, confidence=conf)
    assert lo <= rate <= up
    rate_k, lo_k, up_k = rate_interval(x * k, denominator * k, per=1000, confidence=conf)
    assert rate_k == pytest.approx(rate, rel=1e-12)
    assert up_k - lo_k < up - lo


@PROPERTY
@given(counts_and_totals, st.floats(min_value=0.001, max_value=1.0), levels)
def test_representation_ratio_contains_ratio(xn, pop_share, conf):
    x, n = xn
    ratio, lo, up = representation_ratio(x, n, pop_share * 1e6, 1e6, conf)
    assert 0.0 <= lo <= ratio * (1 + 1e-12) and ratio <= up * (1 + 1e-12)


@PROPERTY
@given(
    st.integers(min_value=1, max_value=5000),
    st.integers(min_value=1, max_value=5000),
    st.floats(min_value=0.1, max_value=1e4),
    st.floats(min_value=0.1, max_value=1e4),
    st.integers(min_value=2, max_value=10),
)
def test_rate_ratio_contains_ratio_and_narrows(a, b, da, db, k):
    ratio, lo, up = rate_ratio(a, da, b, db)
    assert lo < ratio < up
    _, lo_k, up_k = rate_ratio(a * k, da, b * k, db)
    assert math.log(up_k) - math.log(lo_k) < math.log(up) - math.log(lo)


@PROPERTY
@given(
    st.integers(min_value=0, max_value=400),
    st.floats(min_value=1, max_value=1e5),
    st.floats(min_value=0.01, max_value=500),
    st.sampled_from([0.95, 0.998]),
)
def test_rate_funnel_outside_exactly_when_exact_interval_excludes_overall(x, n, overall, conf):
    per = 1000
    limits = funnel_limits([n], overall, kind="rate", levels=(conf,), per=per)
    lower_limit, upper_limit = limits.lower[0], limits.upper[0]
    rate = x / n * per
    lo, up = exact_poisson_interval(x, conf)
    # Stay clear of exact ties, where rounding in the last bit decides.
    assume(abs(lo / n * per - overall) > 1e-9 * overall)
    assume(abs(up / n * per - overall) > 1e-9 * overall)
    assert (rate > upper_limit) == (lo / n * per > overall)
    assert (rate < lower_limit) == (up / n * per < overall)


@PROPERTY
@given(counts_and_totals, st.floats(min_value=0.0, max_value=1.0), st.sampled_from([0.95, 0.998]))
def test_proportion_funnel_outside_exactly_when_wilson_excludes_overall(xn, overall, conf):
    x, n = xn
    limits = funnel_limits([n], overall, levels=(conf,))
    lo, up = wilson_interval(x, n, conf)
    assume(abs(lo - overall) > 1e-12 and abs(up - overall) > 1e-12)
    assert (x / n > limits.upper[0]) == (lo > overall)
    assert (x / n < limits.lower[0]) == (up < overall)


@PROPERTY
@given(
    st.lists(st.floats(min_value=1, max_value=1e5), min_size=2, max_size=10),
    st.floats(min_value=0.01, max_value=500),
    st.sampled_from(["rate", "proportion"]),
)
def test_funnel_limits_narrow_as_denominator_grows(denominators, overall, kind):
    if kind == "proportion":
        overall = overall / 500
    n = np.sort(np.unique(denominators))
    limits = funnel_limits(n, overall, kind=kind, per=1000 if kind == "rate" else 1)
    for _, part in limits.groupby("level"):
        assert np.all(np.diff(part.upper.to_numpy()) <= 1e-12 * (1 + overall))
        assert np.all(np.diff(part.lower.to_numpy()) >= -1e-12 * (1 + overall))
        assert np.all(part.lower <= overall + 1e-12) and np.all(part.upper >= overall - 1e-12)


@PROPERTY
@given(
    st.lists(st.integers(min_value=1, max_value=1000), min_size=5, max_size=8).flatmap(
        lambda ns: st.tuples(st.tuples(*[st.integers(0, n) for n in ns]), st.just(ns))
    )
)
def test_trend_reverses_with_time(data):
    counts, denominators = data
    forward = trend_test(list(counts), denominators)
    backward = trend_test(list(counts[-5:])[::-1], denominators[-5:][::-1])
    assert forward.statistic == pytest.approx(backward.statistic, rel=1e-9, abs=1e-12)
    flip = {INCREASING: DECREASING, DECREASING: INCREASING}
    assert backward.direction == flip.get(forward.direction, forward.direction)
    assert 0.0 <= forward.p_value <= 1.0
