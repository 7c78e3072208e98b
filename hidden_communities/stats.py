"""Statistics used by every page, export and presentation of the dashboard.

The methods follow the conventions of UK public-health indicators (the OHID/UKHSA
Fingertips technical guidance and the PHEindicatormethods R package), so that an
analyst who knows those tools gets the same numbers here:

* proportions (a community's share of contacts or reports): Wilson score interval;
* counts and crude rates: exact Poisson interval below 10 events, Byar's
  approximation from 10 events;
* representation ratio: the share of contacts divided by the share of the population,
  with the census share treated as fixed;
* rate ratio (after against before): log-normal (Katz) interval;
* funnel plots: control limits where an area's own interval just touches the overall
  value (Wilson for proportions, exact Poisson for rates);
* recent trend: chi-square test for linear trend (Cochran-Armitage) over the last five
  periods, at 99.8%.

Beyond the Fingertips set:

* overdispersed funnel plots (Spiegelhalter 2005): phi and tau2, multiplicative and
  additive limits; exact binomial limits for small denominators;
* many areas at once: exact Poisson and score-test p-values, Benjamini-Hochberg false
  discovery control;
* rate ratio with few events: the exact conditional (binomial) interval;
* interrupted time series: quasi-Poisson segmented regression (Bernal, Cummins &
  Gasparrini 2017), optionally against a control series;
* statistical process control: XmR and p-charts with the Making Data Count signals.

Everything here is plain Python, numpy, pandas, scipy and (for the time series)
statsmodels: no streamlit. Scalar functions take and return plain numbers; the ``add_*``
helpers take a DataFrame and return a new one with extra columns (they never modify
their input). Classifications and signals added for issue 12 are snake_case codes, not
display text. The docs page ``docs/methods.md`` explains each method in plain English.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd
from scipy.special import chdtriv
from scipy.stats import beta, binom, chi2, false_discovery_control, norm, poisson

__all__ = [
    "ABOVE_998",
    "ABOVE_95",
    "ADDITIVE",
    "AUTO",
    "BELOW_95",
    "BELOW_998",
    "BEYOND_LIMIT",
    "CANNOT_BE_CALCULATED",
    "COLLINEAR",
    "COMMON_CAUSE",
    "COMMUNITY",
    "CONTROL",
    "DECREASING",
    "ESTIMATED",
    "EXACT",
    "EXACT_POISSON_BELOW",
    "EXACT_RATE_RATIO_BELOW",
    "FIT_FAILED",
    "FUNNEL_ADJUSTMENTS",
    "FUNNEL_LABELS",
    "HIGHER",
    "INCREASING",
    "ITS_MIN_MONTHS",
    "ITS_SEASONAL_MONTHS",
    "KATZ",
    "LOWER",
    "MIN_NUMERATOR",
    "MOVING_RANGE_LIMIT",
    "MULTIPLICATIVE",
    "NO_ADJUSTMENT",
    "NO_EVENTS_AFTER",
    "NO_EVENTS_BEFORE",
    "NO_SIGNIFICANT_CHANGE",
    "NOT_ESTIMABLE",
    "NOT_SIGNIFICANTLY_DIFFERENT",
    "OVER_REPRESENTED",
    "OVERDISPERSION_CONFIDENCE",
    "RATE_RATIO_METHODS",
    "SHIFT",
    "SHIFT_POINTS",
    "SIMILAR",
    "SPC_KINDS",
    "SPC_SIGNALS",
    "TOO_FEW_MONTHS",
    "TOO_FEW_MONTHS_AFTER",
    "TOO_FEW_MONTHS_BEFORE",
    "TOO_FEW_TO_SAY",
    "TREND",
    "TREND_CONFIDENCE",
    "TREND_PERIODS",
    "TREND_POINTS",
    "TWO_OF_THREE",
    "UNDER_REPRESENTED",
    "WINSOR",
    "WITHIN_LIMITS",
    "XMR_LIMIT",
    "Effect",
    "FalseDiscovery",
    "InterruptedTimeSeries",
    "Overdispersion",
    "TrendResult",
    "add_benchmark_comparison",
    "add_false_discovery",
    "add_proportion_intervals",
    "add_rate_intervals",
    "add_representation_ratios",
    "byars_interval",
    "chi_square_trend",
    "classify_funnel",
    "classify_representation",
    "compare_to_benchmark",
    "exact_poisson_interval",
    "false_discovery",
    "funnel_limits",
    "funnel_position",
    "interrupted_time_series",
    "normalise_confidence",
    "overdispersion",
    "poisson_interval",
    "poisson_p_value",
    "proportion_difference",
    "proportion_p_value",
    "rate_interval",
    "rate_ratio",
    "rate_ratio_method",
    "representation_ratio",
    "spc",
    "trend_test",
    "wilson_interval",
    "z_value",
]

# --------------------------------------------------------------------------------------
# Codes of classifications and readings (the text catalogues hold their words)
# --------------------------------------------------------------------------------------

#: Benchmark comparison (overlapping-interval rule).
LOWER = "lower"
SIMILAR = "similar"
HIGHER = "higher"

#: Representation-ratio classification.
UNDER_REPRESENTED = "under_represented"
NOT_SIGNIFICANTLY_DIFFERENT = "not_significantly_different"
OVER_REPRESENTED = "over_represented"
TOO_FEW_TO_SAY = "too_few_to_say"

#: Funnel-plot positions, from highest to lowest.
ABOVE_998 = "above_998"
ABOVE_95 = "above_95"
WITHIN_LIMITS = "within_limits"
BELOW_95 = "below_95"
BELOW_998 = "below_998"
FUNNEL_LABELS = (ABOVE_998, ABOVE_95, WITHIN_LIMITS, BELOW_95, BELOW_998)

#: Recent-trend directions.
INCREASING = "increasing"
DECREASING = "decreasing"
NO_SIGNIFICANT_CHANGE = "no_significant_change"
CANNOT_BE_CALCULATED = "cannot_be_calculated"

#: Below this many events a rate, ratio or interval is "too few to say".
MIN_NUMERATOR = 10
#: Counts below this use the exact Poisson interval, from it Byar's approximation.
EXACT_POISSON_BELOW = 10
#: The recent trend uses the most recent five periods, at 99.8% confidence.
TREND_PERIODS = 5
TREND_CONFIDENCE = 0.998

_FUNNEL_KINDS = ("proportion", "rate")

#: Rate-ratio interval methods (codes).
KATZ = "katz"
EXACT = "exact"
AUTO = "auto"
RATE_RATIO_METHODS = (KATZ, EXACT, AUTO)
#: ``rate_ratio(method="auto")`` uses the exact interval when either count is below this.
EXACT_RATE_RATIO_BELOW = 10

#: Funnel-plot limits for overdispersed areas (codes): none, multiplicative (scaled by
#: sqrt(phi)) or additive (random effects, tau2).
NO_ADJUSTMENT = "none"
MULTIPLICATIVE = "multiplicative"
ADDITIVE = "additive"
FUNNEL_ADJUSTMENTS = (NO_ADJUSTMENT, MULTIPLICATIVE, ADDITIVE)
#: ``overdispersion`` winsorises z-scores at this quantile and its complement.
WINSOR = 0.1
#: Overdispersion is significant when k phi exceeds this quantile of chi-square(k - 1).
OVERDISPERSION_CONFIDENCE = 0.95

#: Statistical process control: chart kinds and the signal codes ``spc`` returns.
SPC_KINDS = ("xmr", "p")
BEYOND_LIMIT = "beyond_limit"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two_of_three"
COMMON_CAUSE = "common_cause"
SPC_SIGNALS = (BEYOND_LIMIT, SHIFT, TREND, TWO_OF_THREE)
#: XmR limits: mean +/- 2.66 x mean moving range; moving ranges screened at 3.267 x.
XMR_LIMIT = 2.66
MOVING_RANGE_LIMIT = 3.267
#: Run lengths for a shift (points on one side) and a trend (points rising or falling).
SHIFT_POINTS = 7
TREND_POINTS = 6

#: Interrupted time series: status and reason codes, series codes and thresholds.
ESTIMATED = "estimated"
NOT_ESTIMABLE = "not_estimable"
TOO_FEW_MONTHS_BEFORE = "too_few_months_before"
TOO_FEW_MONTHS_AFTER = "too_few_months_after"
TOO_FEW_MONTHS = "too_few_months"
NO_EVENTS_BEFORE = "no_events_before"
NO_EVENTS_AFTER = "no_events_after"
COLLINEAR = "collinear"
FIT_FAILED = "fit_failed"
COMMUNITY = "community"
CONTROL = "control"
#: At least this many months before, and from, the intervention month.
ITS_MIN_MONTHS = 6
#: Month-of-year terms are fitted by default when the series spans this many months.
ITS_SEASONAL_MONTHS = 24


# --------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------


def normalise_confidence(confidence: float) -> float:
    """Return the confidence level as a fraction (0.95 for both 0.95 and 95).

    Accepted: 0.9 <= confidence < 1, or 90 <= confidence < 100 (0.998 and 99.8 are the
    same level). Anything else, including 1 / 100 (which would give infinitely wide
    intervals), is a ValueError.
    """
    if isinstance(confidence, bool) or not isinstance(confidence, Real):
        raise ValueError(f"confidence must be a number, got {confidence!r}")
    c = float(confidence)
    if math.isfinite(c):
        if 0.9 <= c < 1:
            return c
        if 90 <= c < 100:
            return c / 100
    raise ValueError(
        f"confidence must be between 0.9 and 1 (or 90 and 100), below 100%; got {confidence!r}"
    )


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile: z = Phi^-1(1 - (1 - confidence) / 2)."""
    c = normalise_confidence(confidence)
    return float(norm.ppf(1 - (1 - c) / 2))


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def _count(value: object, name: str = "count") -> float:
    v = _number(value, name)
    if v < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return v


def _positive(value: object, name: str) -> float:
    v = _number(value, name)
    if v <= 0:
        raise ValueError(f"{name} must be greater than zero, got {value!r}")
    return v


def _not_above(count: float, total: float, count_name: str, total_name: str) -> None:
    if count > total:
        raise ValueError(f"{count_name} ({count:g}) must not exceed {total_name} ({total:g})")


# --------------------------------------------------------------------------------------
# Array cores (one implementation; the scalar functions and DataFrame helpers use them)
# --------------------------------------------------------------------------------------


def _wilson_arrays(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits for arrays with 0 <= x <= n and n > 0 (NaN passes through)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        centre = 2 * x + z * z
        spread = z * np.sqrt(z * z + 4 * x * (1 - p))
        denom = 2 * (n + z * z)
        lower = (centre - spread) / denom
        upper = (centre + spread) / denom
    lower = np.where(x == 0, 0.0, np.clip(lower, 0.0, 1.0))
    upper = np.where(x == n, 1.0, np.clip(upper, 0.0, 1.0))
    return lower, upper


def _exact_poisson_arrays(x: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    alpha = 1 - conf
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(x > 0, chi2.ppf(alpha / 2, 2 * np.where(x > 0, x, 1)) / 2, 0.0)
        upper = chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
    lower = np.where(np.isnan(x), np.nan, lower)
    return lower, upper


def _byars_arrays(x: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    z = z_value(conf)
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(x > 0, x, 1.0)
        lower = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3
        lower = np.where(x > 0, np.maximum(lower, 0.0), 0.0)
        upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    lower = np.where(np.isnan(x), np.nan, lower)
    return lower, upper


def _poisson_arrays(x: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    el, eu = _exact_poisson_arrays(x, conf)
    bl, bu = _byars_arrays(x, conf)
    small = x < EXACT_POISSON_BELOW
    return np.where(small, el, bl), np.where(small, eu, bu)


# --------------------------------------------------------------------------------------
# Intervals
# --------------------------------------------------------------------------------------


def wilson_interval(count: float, total: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the proportion count/total, as fractions 0..1.

    No continuity correction (as PHEindicatormethods ``wilson_lower``/``wilson_upper``).
    A count of 0 gives a lower limit of exactly 0; count == total an upper limit of
    exactly 1.
    """
    conf = normalise_confidence(confidence)
    x = _count(count)
    n = _positive(total, "total")
    _not_above(x, n, "count", "total")
    lower, upper = _wilson_arrays(np.array([x]), np.array([n]), z_value(conf))
    return float(lower[0]), float(upper[0])


def exact_poisson_interval(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count, through the chi-square distribution.

    lower = chi2.ppf(alpha/2, 2x) / 2 (0 when x == 0), upper = chi2.ppf(1 - alpha/2, 2x + 2) / 2.
    Used by ``poisson_interval`` below 10 events and by the funnel-plot rate limits.
    """
    conf = normalise_confidence(confidence)
    x = _count(count)
    lower, upper = _exact_poisson_arrays(np.array([x]), conf)
    return float(lower[0]), float(upper[0])


def byars_interval(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval (Breslow & Day 1987).

    lower = x (1 - 1/(9x) - z/(3 sqrt x))^3, upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3.
    ``poisson_interval`` uses it from 10 events; for 0 events the lower limit is 0.
    """
    conf = normalise_confidence(confidence)
    x = _count(count)
    lower, upper = _byars_arrays(np.array([x]), conf)
    return float(lower[0]), float(upper[0])


def poisson_interval(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for an observed count of events.

    Exact (chi-square based) when count < 10, Byar's approximation when count >= 10
    (the PHE/OHID convention; the two agree closely from 10 events). A count of 0 gives
    a lower limit of 0.
    """
    conf = normalise_confidence(confidence)
    x = _count(count)
    lower, upper = _poisson_arrays(np.array([x]), conf)
    return float(lower[0]), float(upper[0])


def rate_interval(
    count: float, denominator: float, per: float = 1000, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Crude rate per ``per`` of the denominator, with the ``poisson_interval`` of the count.

    Returns (rate, lower, upper). The denominator (residents, or person-time) is taken
    as known exactly.
    """
    conf = normalise_confidence(confidence)
    x = _count(count)
    d = _positive(denominator, "denominator")
    k = _positive(per, "per")
    lower, upper = poisson_interval(x, conf)
    return x / d * k, lower / d * k, upper / d * k


def representation_ratio(
    group_count: float,
    total_count: float,
    group_population: float,
    total_population: float,
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """The group's share of contacts (or reports) divided by its share of the population.

    ratio = (group_count / total_count) / (group_population / total_population).
    1 means proportionate, below 1 under-represented, above 1 over-represented.

    Interval: the Wilson interval of the share group_count/total_count, divided by the
    population share. The census baseline is treated as fixed (no sampling error): the
    census has its own error (perturbation, non-response to the voluntary questions on
    sexual orientation and gender identity) which the app shows separately as a
    sensitivity band, not inside this interval.

    ValueError for negative counts, group_count > total_count, total_count == 0,
    populations that are not positive, or group_population > total_population.
    """
    conf = normalise_confidence(confidence)
    g = _count(group_count, "group_count")
    t = _count(total_count, "total_count")
    if t == 0:
        raise ValueError("total_count must be greater than zero to compute a share")
    _not_above(g, t, "group_count", "total_count")
    gp = _positive(group_population, "group_population")
    tp = _positive(total_population, "total_population")
    _not_above(gp, tp, "group_population", "total_population")
    pop_share = gp / tp
    lower, upper = wilson_interval(g, t, conf)
    return (g / t) / pop_share, lower / pop_share, upper / pop_share


def rate_ratio_method(count_a: float, count_b: float) -> str:
    """The interval method ``rate_ratio(method="auto")`` uses for these two counts.

    "exact" when either count is under ``EXACT_RATE_RATIO_BELOW`` (10), where the
    log-normal interval is too narrow at the upper end; "katz" otherwise.
    """
    a = _count(count_a, "count_a")
    b = _count(count_b, "count_b")
    return EXACT if min(a, b) < EXACT_RATE_RATIO_BELOW else KATZ


def _exact_rate_ratio_limits(
    a: float, b: float, da: float, db: float, conf: float
) -> tuple[float, float]:
    # Conditional on a + b, a is binomial with p = RR da / (RR da + db); Clopper-Pearson
    # limits for p, turned back into rate ratios by RR = p / (1 - p) * db / da.
    alpha = 1 - conf
    p_lower = 0.0 if a == 0 else float(beta.ppf(alpha / 2, a, b + 1))
    p_upper = 1.0 if b == 0 else float(beta.ppf(1 - alpha / 2, a + 1, b))
    lower = p_lower / (1 - p_lower) * db / da
    upper = math.inf if p_upper >= 1 else p_upper / (1 - p_upper) * db / da
    return lower, upper


def rate_ratio(
    count_a: float,
    denom_a: float,
    count_b: float,
    denom_b: float,
    confidence: float = 0.95,
    method: str = "katz",
) -> tuple[float, float, float]:
    """Ratio of two crude rates, (count_a/denom_a) / (count_b/denom_b), with an interval.

    E.g. contacts per month after the campaign launch (a) against before (b).

    ``method="katz"`` (the default): log-normal, exp(ln RR +/- z sqrt(1/count_a +
    1/count_b)), the variance of ln RR for two independent Poisson counts over known
    person-time (Katz et al. 1978). It cannot be calculated when either count is zero:
    the ratio is then 0 (count_a == 0), infinite (count_b == 0) or NaN (both), and the
    interval is (NaN, NaN).

    ``method="exact"``: the conditional binomial interval. Given the total count_a +
    count_b, count_a is binomial with p = RR denom_a / (RR denom_a + denom_b); the
    Clopper-Pearson limits of p, p_L = Beta(alpha/2; a, b + 1) and p_U = Beta(1 - alpha/2;
    a + 1, b), become RR = p / (1 - p) * denom_b / denom_a. It works with a zero count:
    count_a == 0 gives (0, 0, upper), count_b == 0 gives (inf, lower, inf); both zero
    give NaN throughout.

    ``method="auto"``: "exact" when either count is under 10, else "katz" (see
    ``rate_ratio_method``). For 20 events against 1 over equal time, the Katz upper
    limit is 149 and the exact one 829.
    """
    if method not in RATE_RATIO_METHODS:
        raise ValueError(f"method must be one of {RATE_RATIO_METHODS}, got {method!r}")
    conf = normalise_confidence(confidence)
    a = _count(count_a, "count_a")
    b = _count(count_b, "count_b")
    da = _positive(denom_a, "denom_a")
    db = _positive(denom_b, "denom_b")
    if method == AUTO:
        method = rate_ratio_method(a, b)
    if a == 0 and b == 0:
        return math.nan, math.nan, math.nan
    if a == 0 or b == 0:
        ratio = 0.0 if a == 0 else math.inf
        if method == KATZ:
            return ratio, math.nan, math.nan
        return (ratio, *_exact_rate_ratio_limits(a, b, da, db, conf))
    ratio = (a / da) / (b / db)
    if method == EXACT:
        return (ratio, *_exact_rate_ratio_limits(a, b, da, db, conf))
    half_width = z_value(conf) * math.sqrt(1 / a + 1 / b)
    log_ratio = math.log(ratio)
    return ratio, math.exp(log_ratio - half_width), math.exp(log_ratio + half_width)


def proportion_difference(
    count_a: float, total_a: float, count_b: float, total_b: float, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Difference of two independent proportions, count_a/total_a - count_b/total_b, with
    Newcombe's hybrid score interval (his method 10), built from the two Wilson intervals:

    lower = d - sqrt((p_a - l_a)^2 + (u_b - p_b)^2), upper = d + sqrt((u_a - p_a)^2 +
    (p_b - l_b)^2).

    It matches the Wilson intervals used for every share, stays within -1..1 and behaves
    with small counts. E.g. a share this period against the same share last period: an
    interval wholly above 0 means a significant rise. Newcombe RG (1998) Stat Med
    17:873-890.
    """
    conf = normalise_confidence(confidence)
    xa, xb = _count(count_a, "count_a"), _count(count_b, "count_b")
    na, nb = _positive(total_a, "total_a"), _positive(total_b, "total_b")
    _not_above(xa, na, "count_a", "total_a")
    _not_above(xb, nb, "count_b", "total_b")
    pa, pb = xa / na, xb / nb
    la, ua = wilson_interval(xa, na, conf)
    lb, ub = wilson_interval(xb, nb, conf)
    diff = pa - pb
    lower = diff - math.sqrt((pa - la) ** 2 + (ub - pb) ** 2)
    upper = diff + math.sqrt((ua - pa) ** 2 + (pb - lb) ** 2)
    return diff, lower, upper


# --------------------------------------------------------------------------------------
# Funnel plots
# --------------------------------------------------------------------------------------


def _check_adjustment(
    adjustment: str, phi: float | None, tau2: float | None, exact: bool
) -> tuple[float, float]:
    """Validate the overdispersion arguments; return (phi, tau2) as plain floats."""
    if adjustment not in FUNNEL_ADJUSTMENTS:
        raise ValueError(f"adjustment must be one of {FUNNEL_ADJUSTMENTS}, got {adjustment!r}")
    if exact and adjustment != NO_ADJUSTMENT:
        raise ValueError("exact limits are for unadjusted funnels (adjustment='none') only")
    f, t = 1.0, 0.0
    if adjustment == MULTIPLICATIVE:
        if phi is None:
            raise ValueError("a multiplicative adjustment needs phi")
        f = _positive(phi, "phi")
    if adjustment == ADDITIVE:
        if tau2 is None:
            raise ValueError("an additive adjustment needs tau2")
        t = _count(tau2, "tau2")
    return f, t


def _binomial_limit(n: np.ndarray, p: float, prob: float) -> np.ndarray:
    # Spiegelhalter (2005, Stat Med 24:1185, appendix): r is the smallest count
    # with P(R <= r) >= prob for R ~ Binomial(n, p); the limit is interpolated between
    # r - 1 and r by how far P(R <= r) overshoots prob, a = (F(r) - prob) / (F(r) -
    # F(r - 1)), giving (r - a) / n.
    r = binom.ppf(prob, n, p)
    f_r = binom.cdf(r, n, p)
    f_before = binom.cdf(r - 1, n, p)
    with np.errstate(invalid="ignore", divide="ignore"):
        a = (f_r - prob) / (f_r - f_before)
    return np.clip((r - a) / n, 0.0, 1.0)


def _funnel_arrays(
    n: np.ndarray,
    overall: float,
    kind: str,
    conf: float,
    per: float,
    adjustment: str = NO_ADJUSTMENT,
    phi: float = 1.0,
    tau2: float = 0.0,
    exact: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper control limits (in units of ``per``) at denominators ``n``.

    ``tau2`` is in units of ``per`` squared (as ``overdispersion`` reports it).
    """
    if adjustment != NO_ADJUSTMENT:
        # Spiegelhalter (2005, Qual Saf Health Care 14:347): normal limits around the
        # overall value, widened by sqrt(phi) (multiplicative) or by adding the
        # between-area variance tau2 to each area's sampling variance (additive).
        theta = overall / per
        z = z_value(conf)
        variance = theta * (1 - theta) / n if kind == "proportion" else theta / n
        if adjustment == MULTIPLICATIVE:
            half = z * np.sqrt(phi * variance)
        else:
            half = z * np.sqrt(variance + tau2 / (per * per))
        lower = np.maximum(theta - half, 0.0)
        upper = theta + half
        if kind == "proportion":
            upper = np.minimum(upper, 1.0)
        return lower * per, upper * per
    if kind == "proportion":
        p = overall / per
        if exact:
            if p <= 0 or p >= 1:
                same = np.full(n.shape, float(p))
                return same * per, same.copy() * per
            alpha = 1 - conf
            lower = _binomial_limit(n, p, alpha / 2)
            upper = _binomial_limit(n, p, 1 - alpha / 2)
            return lower * per, upper * per
        z = z_value(conf)
        half = z * np.sqrt(p * (1 - p) / n)
        return np.clip(p - half, 0.0, 1.0) * per, np.clip(p + half, 0.0, 1.0) * per
    # Rates: exact Poisson limits with continuous degrees of freedom. An area with O
    # events is above the limit when its exact lower bound chi2.ppf(a/2, 2O)/2 exceeds
    # the expected count E; the limit is the O where they are equal, i.e. the 2O
    # degrees of freedom at which chi2.cdf(2E, 2O) = a/2. Likewise below: the O where
    # the exact upper bound chi2.ppf(1 - a/2, 2O + 2)/2 equals E (0 when even O = 0's
    # upper bound exceeds E).
    alpha = 1 - conf
    expected = overall / per * n
    if overall == 0:
        zeros = np.zeros_like(n, dtype=float)
        return zeros, zeros.copy()
    upper_events = chdtriv(alpha / 2, 2 * expected) / 2
    lower_events = np.maximum(chdtriv(1 - alpha / 2, 2 * expected) / 2 - 1, 0.0)
    return lower_events / n * per, upper_events / n * per


def _check_kind(kind: str) -> None:
    if kind not in _FUNNEL_KINDS:
        raise ValueError(f"kind must be one of {_FUNNEL_KINDS}, got {kind!r}")


def _check_overall(overall: float, kind: str, per: float) -> float:
    o = _number(overall, "overall")
    if o < 0:
        raise ValueError(f"overall must not be negative, got {overall!r}")
    if kind == "proportion" and o > per:
        raise ValueError(f"overall proportion ({o:g}) must not exceed per ({per:g})")
    return o


def _check_exact_denominators(n: np.ndarray, kind: str, exact: bool) -> None:
    if exact and kind == "proportion" and np.any(n != np.round(n)):
        raise ValueError("exact binomial limits need whole-number denominators")


def funnel_limits(
    denominators: Sequence[float] | np.ndarray | pd.Series,
    overall: float,
    kind: str = "proportion",
    levels: Sequence[float] = (0.95, 0.998),
    per: float = 1,
    adjustment: str = NO_ADJUSTMENT,
    phi: float | None = None,
    tau2: float | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """Control limits for a funnel plot of areas, one row per (level, denominator).

    Columns: ``denominator, level, lower, upper``; ``level`` is a fraction (0.95, 0.998)
    and the limits are in the same units as ``overall`` (per ``per``).

    With ``adjustment="none"`` (the default) the limit at a denominator n is the observed
    value whose own confidence interval just touches the overall value, so an area lies
    outside the 99.8% limits exactly when its 99.8% interval excludes the overall value:

    * ``kind="proportion"`` (Wilson): overall +/- z sqrt(overall (1 - overall) / n),
      clipped to 0..1 (times ``per``), no continuity correction. ``overall`` is in units
      of ``per`` (per=1: a fraction; per=100: a percentage).
    * ``kind="rate"``: ``denominators`` in person-years (or residents), ``overall`` and
      the limits per ``per``; the exact Poisson interval through the chi-square
      distribution with continuous degrees of freedom. The lower limit is 0 where no
      count reaches it.

    ``exact=True`` (proportions, unadjusted only) draws exact binomial limits instead,
    interpolated between whole counts as in Spiegelhalter (2005, Stat Med 24:1185,
    appendix): the better choice where denominators are small (the normal limits then
    ignore the skew of the binomial). The denominators must be whole numbers. Rate
    limits are exact Poisson already, so ``exact`` changes nothing for rates.

    Overdispersion (Spiegelhalter 2005, Qual Saf Health Care 14:347): when areas vary
    more than chance allows (see ``overdispersion``), the limits can be widened, around
    the overall value with the normal standard error se = sqrt(overall (1 - overall) / n)
    for proportions or sqrt(overall / n) for rates (in units of ``per``):

    * ``adjustment="multiplicative"``: overall +/- z sqrt(phi) se;
    * ``adjustment="additive"`` (random effects): overall +/- z sqrt(se^2 + tau2), with
      ``tau2`` in units of ``per`` squared, as ``overdispersion`` reports it for the
      same ``per``.

    Adjusted limits are clipped at 0 (and at 1 times ``per`` for proportions). ``phi``
    and ``tau2`` are ignored when ``adjustment="none"``.
    """
    _check_kind(kind)
    k = _positive(per, "per")
    o = _check_overall(overall, kind, k)
    f, t = _check_adjustment(adjustment, phi, tau2, exact)
    n = np.asarray(denominators, dtype=float).ravel()
    if n.size and (not np.all(np.isfinite(n)) or np.any(n <= 0)):
        raise ValueError("denominators must all be finite and greater than zero")
    _check_exact_denominators(n, kind, exact)
    frames = []
    for level in levels:
        conf = normalise_confidence(level)
        lower, upper = _funnel_arrays(n, o, kind, conf, k, adjustment, f, t, exact)
        frames.append(
            pd.DataFrame(
                {
                    "denominator": n,
                    "level": np.full(n.shape, conf),
                    "lower": lower,
                    "upper": upper,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["denominator", "level", "lower", "upper"], dtype=float)
    return pd.concat(frames, ignore_index=True)


def _funnel_labels(
    value: np.ndarray,
    n: np.ndarray,
    overall: float,
    kind: str,
    per: float,
    adjustment: str = NO_ADJUSTMENT,
    phi: float = 1.0,
    tau2: float = 0.0,
    exact: bool = False,
) -> np.ndarray:
    extra = (adjustment, phi, tau2, exact)
    lo95, up95 = _funnel_arrays(n, overall, kind, 0.95, per, *extra)
    lo998, up998 = _funnel_arrays(n, overall, kind, 0.998, per, *extra)
    return np.select(
        [value > up998, value > up95, value < lo998, value < lo95],
        [ABOVE_998, ABOVE_95, BELOW_998, BELOW_95],
        default=WITHIN_LIMITS,
    )


def funnel_position(
    value: float,
    denominator: float,
    overall: float,
    kind: str = "proportion",
    per: float = 1,
    adjustment: str = NO_ADJUSTMENT,
    phi: float | None = None,
    tau2: float | None = None,
    exact: bool = False,
) -> str:
    """Where one area sits on the funnel plot: one of ``FUNNEL_LABELS``.

    ``value`` is the area's proportion or rate in the same units as ``overall`` (per
    ``per``). Comparisons are strict: a value exactly on a limit is within it.
    ``adjustment``, ``phi``, ``tau2`` and ``exact`` choose the limits as in
    ``funnel_limits`` (one area cannot estimate its own overdispersion: pass ``phi`` or
    ``tau2`` from ``overdispersion`` over all the areas).
    """
    _check_kind(kind)
    k = _positive(per, "per")
    o = _check_overall(overall, kind, k)
    f, t = _check_adjustment(adjustment, phi, tau2, exact)
    v = _number(value, "value")
    n = _positive(denominator, "denominator")
    _check_exact_denominators(np.array([n]), kind, exact)
    labels = _funnel_labels(np.array([v]), np.array([n]), o, kind, k, adjustment, f, t, exact)
    return str(labels[0])


def _estimate_spread(
    value: np.ndarray,
    n: np.ndarray,
    overall: float,
    kind: str,
    per: float,
    phi: float | None,
    tau2: float | None,
) -> tuple[float | None, float | None]:
    """Fill in a missing phi / tau2 from the areas themselves (see ``classify_funnel``)."""
    theta = overall / per
    usable = value.size >= 2 and theta > 0 and not (kind == "proportion" and theta >= 1)
    if usable:
        counts = value * n / per
        if kind == "proportion":  # undo rounding in value = count / n * per
            counts = np.clip(counts, 0.0, n)
        spread = overdispersion(counts, n, overall, kind=kind, per=per)
    else:
        spread = Overdispersion(1.0, 0.0, int(value.size))
    return (spread.phi if phi is None else phi), (spread.tau2 if tau2 is None else tau2)


def classify_funnel(
    df: pd.DataFrame,
    value_col: str,
    denom_col: str,
    overall: float,
    kind: str = "proportion",
    per: float = 1,
    label_col: str = "funnel_position",
    adjustment: str = NO_ADJUSTMENT,
    phi: float | None = None,
    tau2: float | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``label_col`` holding each area's funnel position.

    Rows with a missing value or a missing / non-positive denominator get a missing
    label (None).

    ``adjustment``, ``phi``, ``tau2`` and ``exact`` choose the limits as in
    ``funnel_limits``. With an adjustment and no ``phi`` (multiplicative) or ``tau2``
    (additive), they are estimated from the rows themselves with ``overdispersion``
    (each row's count being value x denominator / per). With fewer than two usable rows,
    or an overall value of 0 (or 100% for a proportion), there is nothing to estimate
    from, and the limits are the unadjusted normal ones (phi = 1, tau2 = 0).
    """
    _check_kind(kind)
    k = _positive(per, "per")
    o = _check_overall(overall, kind, k)
    out = df.copy()
    value = pd.to_numeric(out[value_col], errors="coerce").to_numpy(dtype=float)
    n = pd.to_numeric(out[denom_col], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(value) & np.isfinite(n) & (n > 0)
    needs_phi = adjustment == MULTIPLICATIVE and phi is None
    needs_tau2 = adjustment == ADDITIVE and tau2 is None
    if needs_phi or needs_tau2:
        phi, tau2 = _estimate_spread(value[ok], n[ok], o, kind, k, phi, tau2)
    f, t = _check_adjustment(adjustment, phi, tau2, exact)
    _check_exact_denominators(n[ok], kind, exact)
    labels = np.full(len(out), None, dtype=object)
    if ok.any():
        labels[ok] = _funnel_labels(value[ok], n[ok], o, kind, k, adjustment, f, t, exact)
    out[label_col] = pd.Series(labels, index=out.index, dtype=object)
    return out


@dataclass(frozen=True)
class Overdispersion:
    """Result of ``overdispersion``.

    phi: the overdispersion factor, the mean of the squared winsorised z-scores (1 when
        areas vary exactly as chance predicts). NaN with no usable area.
    tau2: the between-area variance of the additive (random-effects) model, in units of
        ``per`` squared; 0 when k phi <= k - 1; NaN with fewer than two areas.
    k: the number of areas used.

    ``overdispersed`` says whether k phi exceeds the 95th percentile of chi-square on
    k - 1 degrees of freedom: only then do the funnel limits need widening.
    """

    phi: float
    tau2: float
    k: int

    @property
    def statistic(self) -> float:
        """k phi: under no overdispersion roughly chi-square on k - 1 degrees of freedom."""
        return self.k * self.phi

    @property
    def critical_value(self) -> float:
        """The 95th percentile of chi-square on k - 1 degrees of freedom (NaN if k < 2)."""
        if self.k < 2:
            return math.nan
        return float(chi2.ppf(OVERDISPERSION_CONFIDENCE, self.k - 1))

    @property
    def overdispersed(self) -> bool:
        """True when the areas vary significantly more than chance (95% level)."""
        return self.k >= 2 and self.statistic > self.critical_value


def overdispersion(
    observed: Sequence[float] | np.ndarray | pd.Series,
    denominators: Sequence[float] | np.ndarray | pd.Series,
    overall: float,
    kind: str = "proportion",
    winsor: float = WINSOR,
    per: float = 1,
) -> Overdispersion:
    """How much more the areas vary than chance alone would make them (Spiegelhalter
    2005, Qual Saf Health Care 14:347).

    ``observed`` are the areas' counts (events), ``denominators`` their sizes (records
    for a proportion, residents or person-time for a rate); ``overall`` is the value the
    funnel is centred on, in units of ``per`` as in ``funnel_limits``.

    1. Each area's z-score against the overall value theta = overall / per:
       z = (x/n - theta) / se, with se = sqrt(theta (1 - theta) / n) for proportions
       and sqrt(theta / n) for rates.
    2. The z-scores are winsorised: those below the ``winsor`` quantile (default 10%)
       are raised to it and those above the 1 - ``winsor`` quantile lowered to it
       (quantiles by linear interpolation, numpy's default and R's type 7), so a few
       extreme areas do not inflate the estimate. ``winsor=0`` keeps them as they are.
    3. phi = mean of the squared winsorised z-scores.
    4. tau2 = max(0, (k phi - (k - 1)) / (sum(w) - sum(w^2) / sum(w))), w = 1 / se^2:
       the between-area variance in the additive model, reported in units of ``per``
       squared (multiply through by per^2) so that it goes straight into
       ``funnel_limits(..., per=per, adjustment="additive", tau2=tau2)``.

    Rows with a missing count or a missing or non-positive denominator are left out.
    Negative counts, a count above its denominator (proportions), a ``winsor`` outside
    0 <= winsor < 0.5, or an overall value at which se is 0 (0, or 100% for a
    proportion) are a ValueError.
    """
    _check_kind(kind)
    k_per = _positive(per, "per")
    o = _check_overall(overall, kind, k_per)
    w_level = _number(winsor, "winsor")
    if not 0 <= w_level < 0.5:
        raise ValueError(f"winsor must be at least 0 and below 0.5, got {winsor!r}")
    theta = o / k_per
    if theta <= 0 or (kind == "proportion" and theta >= 1):
        raise ValueError(
            f"overall must be above 0{' and below 100%' if kind == 'proportion' else ''}"
            f" for z-scores, got {overall!r}"
        )
    x = np.asarray(observed, dtype=float).ravel()
    n = np.asarray(denominators, dtype=float).ravel()
    if x.shape != n.shape:
        raise ValueError("observed and denominators must have the same length")
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    x, n = x[ok], n[ok]
    if np.any(x < 0):
        raise ValueError("observed counts must not be negative")
    if kind == "proportion" and np.any(x > n):
        raise ValueError("an observed count must not exceed its denominator")
    k = int(x.size)
    if k == 0:
        return Overdispersion(math.nan, math.nan, 0)
    variance = theta * (1 - theta) / n if kind == "proportion" else theta / n
    z = (x / n - theta) / np.sqrt(variance)
    if w_level > 0:
        low, high = np.quantile(z, [w_level, 1 - w_level])
        z = np.clip(z, low, high)
    phi = float(np.mean(z * z))
    if k < 2:
        return Overdispersion(phi, math.nan, k)
    w = 1 / variance
    spread = float(np.sum(w) - np.sum(w * w) / np.sum(w))
    tau2 = max(0.0, (k * phi - (k - 1)) / spread) if spread > 0 else 0.0
    return Overdispersion(phi, tau2 * k_per * k_per, k)


# --------------------------------------------------------------------------------------
# Comparisons and classifications
# --------------------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(np.isnan(value))  # type: ignore[arg-type]
    except TypeError:
        return False


def compare_to_benchmark(lower: float, upper: float, benchmark: float) -> str:
    """Overlapping-interval rule: "higher" if lower > benchmark, "lower" if upper <
    benchmark, otherwise "similar". A missing limit gives "cannot be calculated".
    """
    if _is_missing(lower) or _is_missing(upper) or _is_missing(benchmark):
        return CANNOT_BE_CALCULATED
    if lower > benchmark:
        return HIGHER
    if upper < benchmark:
        return LOWER
    return SIMILAR


def classify_representation(numerator: float, lower: float, upper: float) -> str:
    """Classify a representation ratio by its interval against 1 (proportionate).

    "too few to say" when the numerator is under 10 (or missing, or the interval could
    not be computed); "under-represented" when upper < 1; "over-represented" when
    lower > 1; otherwise "not significantly different".
    """
    if _is_missing(numerator) or numerator < MIN_NUMERATOR:
        return TOO_FEW_TO_SAY
    if _is_missing(lower) or _is_missing(upper):
        return TOO_FEW_TO_SAY
    if upper < 1:
        return UNDER_REPRESENTED
    if lower > 1:
        return OVER_REPRESENTED
    return NOT_SIGNIFICANTLY_DIFFERENT


# --------------------------------------------------------------------------------------
# Many areas at once: p-values and false discovery control
# --------------------------------------------------------------------------------------


def _poisson_p_arrays(x: np.ndarray, expected: np.ndarray, mid_p: bool) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        at = poisson.pmf(x, expected)
        if mid_p:
            low = poisson.cdf(x - 1, expected) + at / 2
            high = poisson.sf(x, expected) + at / 2
        else:
            low = poisson.cdf(x, expected)
            high = poisson.sf(x - 1, expected)
        p = np.minimum(1.0, 2 * np.minimum(low, high))
    # Nothing expected: only zero events are consistent with it.
    p = np.where(expected == 0, np.where(x == 0, 1.0, 0.0), p)
    return np.where(np.isnan(x) | np.isnan(expected), np.nan, p)


def _proportion_p_arrays(x: np.ndarray, n: np.ndarray, p0: float) -> np.ndarray:
    if p0 <= 0 or p0 >= 1:
        return np.where(np.isnan(x) | np.isnan(n), np.nan, np.where(x / n == p0, 1.0, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x / n - p0) / np.sqrt(p0 * (1 - p0) / n)
    return 2 * norm.sf(np.abs(z))


def poisson_p_value(observed: float, expected: float, mid_p: bool = False) -> float:
    """Two-sided p-value for an observed count of events against the expected count.

    Exact Poisson test, two-sided by doubling the smaller tail: p = min(1, 2 min(P(X <=
    O), P(X >= O))) for X ~ Poisson(E). This is the test that matches the exact Poisson
    intervals and the rate funnel limits: p < 1 - confidence exactly when the exact
    interval of the count excludes E (when the area is outside the funnel). ``mid_p=True``
    counts half the probability of the observed count in each tail (less conservative).

    ``observed`` must be a whole number; ``expected`` may be 0 (then the p-value is 1 for
    0 events and 0 otherwise).
    """
    o = _count(observed, "observed")
    if o != round(o):
        raise ValueError(f"observed must be a whole number of events, got {observed!r}")
    e = _count(expected, "expected")
    return float(_poisson_p_arrays(np.array([o]), np.array([e]), mid_p)[0])


def proportion_p_value(count: float, total: float, benchmark: float, per: float = 1) -> float:
    """Two-sided p-value for count/total against a benchmark proportion (in units of
    ``per``).

    Score test: z = (count/total - p0) / sqrt(p0 (1 - p0) / total), p = 2 (1 - Phi(|z|)),
    with p0 = benchmark / per. It matches the Wilson interval and the proportion funnel
    limits: p < 1 - confidence exactly when the Wilson interval excludes the benchmark
    (when the area is outside the funnel). A benchmark of 0 or 100% gives 1 when the
    share equals it and 0 otherwise.
    """
    x = _count(count)
    n = _positive(total, "total")
    _not_above(x, n, "count", "total")
    k = _positive(per, "per")
    b = _check_overall(benchmark, "proportion", k)
    return float(_proportion_p_arrays(np.array([x]), np.array([n]), b / k)[0])


@dataclass(frozen=True, eq=False)
class FalseDiscovery:
    """Result of ``false_discovery``.

    adjusted: Benjamini-Hochberg adjusted p-values (q-values), NaN where the p-value was
        missing.
    flagged: True where adjusted <= q (never for a missing p-value).
    tests: how many p-values were tested (the missing ones are not counted): the N of
        "after allowing for N areas".
    q: the false discovery rate controlled.
    """

    adjusted: np.ndarray
    flagged: np.ndarray
    tests: int
    q: float

    @property
    def flagged_count(self) -> int:
        return int(self.flagged.sum())


def false_discovery(
    p_values: Sequence[float] | np.ndarray | pd.Series, q: float = 0.05
) -> FalseDiscovery:
    """Benjamini-Hochberg (1995) control of the false discovery rate over many tests.

    When many areas are each tested at 5%, about one in twenty areas with no real
    difference is flagged by chance. Flagging the areas whose adjusted p-value is at most
    ``q`` instead keeps the expected share of false flags among the flagged areas at or
    below ``q``. The adjusted p-values are ``scipy.stats.false_discovery_control(p,
    method="bh")``: p_(i) m / i for the i-th smallest of m p-values, made monotone from
    the largest down and capped at 1.

    Missing (NaN) p-values are left out: not flagged, not counted in m. Any other value
    outside 0..1 is a ValueError, as is q outside (0, 1).
    """
    level = _number(q, "q")
    if not 0 < level < 1:
        raise ValueError(f"q must be between 0 and 1, got {q!r}")
    p = np.asarray(p_values, dtype=float).ravel()
    present = ~np.isnan(p)
    if np.any((p[present] < 0) | (p[present] > 1)):
        raise ValueError("p-values must be between 0 and 1 (or missing)")
    adjusted = np.full(p.shape, np.nan)
    if present.any():
        adjusted[present] = false_discovery_control(p[present], method="bh")
    flagged = np.zeros(p.shape, dtype=bool)
    flagged[present] = adjusted[present] <= level
    return FalseDiscovery(adjusted, flagged, int(present.sum()), level)


def _adjusted_p_arrays(
    x: np.ndarray, n: np.ndarray, theta: float, kind: str, adjustment: str, phi: float, tau2: float
) -> np.ndarray:
    # Normal test against the overdispersion-adjusted spread of the funnel limits; tau2
    # per person (per = 1).
    variance = theta * (1 - theta) / n if kind == "proportion" else theta / n
    spread = np.sqrt(phi * variance if adjustment == MULTIPLICATIVE else variance + tau2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (x / n - theta) / spread
    p = 2 * norm.sf(np.abs(z))
    return np.where(spread > 0, p, np.where(x / n == theta, 1.0, 0.0))


def add_false_discovery(
    df: pd.DataFrame,
    count_col: str,
    denom_col: str,
    overall: float,
    kind: str = "proportion",
    per: float = 1,
    q: float = 0.05,
    prefix: str = "fdr",
    mid_p: bool = False,
    adjustment: str = NO_ADJUSTMENT,
    phi: float | None = None,
    tau2: float | None = None,
) -> pd.DataFrame:
    """Return a copy of ``df`` with each area tested against the overall value and the
    tests controlled for false discoveries.

    Adds ``{prefix}_p_value``, ``{prefix}_p_adjusted`` and ``{prefix}_flagged`` (see
    ``false_discovery``). The p-values are those of the funnel plot's limits, so that at
    the same level an area's p-value is small exactly when it is outside the funnel:

    * ``adjustment="none"``: ``proportion_p_value`` of count/denominator against
      ``overall`` for proportions; ``poisson_p_value`` (exact; ``mid_p`` as there) of the
      count against overall / per x denominator for rates.
    * ``"multiplicative"`` / ``"additive"``: the normal test z = (count/denominator -
      theta) / sd, with sd = sqrt(phi) se or sqrt(se^2 + tau2) as in ``funnel_limits``
      (``tau2`` in units of ``per`` squared). Without ``phi`` / ``tau2`` they are
      estimated from the rows, as ``classify_funnel`` does. Use these when the areas are
      overdispersed: unadjusted tests then flag areas that are merely ordinary.

    Rows with a missing count or a missing or non-positive denominator get a missing
    p-value and are not flagged; the number of areas allowed for is
    ``df[f"{prefix}_p_value"].notna().sum()``. Negative counts (or a count above its
    denominator, for proportions) are a ValueError.
    """
    _check_kind(kind)
    k = _positive(per, "per")
    o = _check_overall(overall, kind, k)
    x = _numeric_column(df, count_col)
    n = _numeric_column(df, denom_col)
    _check_counts(x, count_col)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    if kind == "proportion" and np.any(x[ok] > n[ok]):
        raise ValueError(f"column {count_col!r} exceeds {denom_col!r} in some rows")
    if (adjustment == MULTIPLICATIVE and phi is None) or (adjustment == ADDITIVE and tau2 is None):
        phi, tau2 = _estimate_spread(x[ok] / n[ok] * k, n[ok], o, kind, k, phi, tau2)
    f, t = _check_adjustment(adjustment, phi, tau2, False)
    xs = np.where(ok, x, 0.0)
    ns = np.where(ok, n, 1.0)
    if adjustment != NO_ADJUSTMENT:
        p = _adjusted_p_arrays(xs, ns, o / k, kind, adjustment, f, t / (k * k))
    elif kind == "proportion":
        p = _proportion_p_arrays(xs, ns, o / k)
    else:
        p = _poisson_p_arrays(xs, o / k * ns, mid_p)
    p = np.where(ok, p, np.nan)
    result = false_discovery(p, q)
    out = df.copy()
    out[f"{prefix}_p_value"] = p
    out[f"{prefix}_p_adjusted"] = result.adjusted
    out[f"{prefix}_flagged"] = result.flagged
    return out


# --------------------------------------------------------------------------------------
# Trend
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendResult:
    """Result of ``trend_test``.

    direction: "increasing", "decreasing", "no significant change" or "cannot be calculated".
    statistic: chi-square statistic for linear trend (1 degree of freedom), NaN when it
        cannot be calculated.
    p_value: two-sided p-value, NaN when it cannot be calculated.
    periods_used: number of periods tested (5, or 0 when it cannot be calculated).

    It unpacks in that order: ``direction, statistic, p_value, periods_used = trend_test(...)``.
    """

    direction: str
    statistic: float
    p_value: float
    periods_used: int

    def __iter__(self) -> Iterator[object]:
        return iter((self.direction, self.statistic, self.p_value, self.periods_used))


def chi_square_trend(
    counts: Sequence[float], denominators: Sequence[float], scores: Sequence[float] | None = None
) -> tuple[float, float, float]:
    """Chi-square test for linear trend in proportions (Armitage 1955; Cochran 1954).

    With p = sum(x)/sum(n), N = sum(n):
    T = sum(x_i s_i) - p sum(n_i s_i),
    V = p (1 - p) [sum(n_i s_i^2) - (sum(n_i s_i))^2 / N],
    statistic = T^2 / V on 1 degree of freedom (the form of R's ``prop.trend.test``).
    Scores default to 1, 2, 3, ... (equally spaced periods).

    Returns (statistic, p_value, T); T > 0 means an increasing proportion. When V is 0
    (no events at all, or every trial an event) the statistic is 0 and the p-value 1.
    """
    x = np.asarray(counts, dtype=float)
    n = np.asarray(denominators, dtype=float)
    if x.shape != n.shape or x.ndim != 1:
        raise ValueError("counts and denominators must be 1-D and the same length")
    s = np.arange(1, len(x) + 1, dtype=float) if scores is None else np.asarray(scores, float)
    if s.shape != x.shape:
        raise ValueError("scores must have one value per period")
    if len(x) < 2:
        raise ValueError("the test for trend needs at least two periods")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(n)) and np.all(np.isfinite(s))):
        raise ValueError("counts, denominators and scores must be finite")
    if np.any(x < 0):
        raise ValueError("counts must not be negative")
    if np.any(n <= 0):
        raise ValueError("denominators must be greater than zero")
    if np.any(x > n):
        raise ValueError("a count must not exceed its denominator")
    total_n = n.sum()
    p_bar = x.sum() / total_n
    t = float(np.sum(x * s) - p_bar * np.sum(n * s))
    spread = float(np.sum(n * s * s) - np.sum(n * s) ** 2 / total_n)
    variance = p_bar * (1 - p_bar) * spread
    if variance <= 0:
        return 0.0, 1.0, 0.0
    statistic = t * t / variance
    return float(statistic), float(chi2.sf(statistic, 1)), t


def trend_test(
    counts: Sequence[float],
    denominators: Sequence[float],
    confidence: float = TREND_CONFIDENCE,
) -> TrendResult:
    """Recent trend of a proportion: the chi-square test for linear trend over the most
    recent five periods (equally spaced, scores 1..5), as the Fingertips trend markers.

    ``counts`` and ``denominators`` are in time order, oldest first; only the last five
    are used. The direction is "increasing" / "decreasing" when p < 1 - confidence
    (99.8% by default, i.e. p < 0.002), otherwise "no significant change". Fewer than
    five periods, or a zero or missing denominator among the five used, gives
    "cannot be calculated". Five periods with no events at all (or every trial an event)
    give "no significant change" with statistic 0 and p-value 1. Negative counts or a
    count above its denominator are a ValueError.
    """
    conf = normalise_confidence(confidence)
    x_all = np.asarray(counts, dtype=float).ravel()
    n_all = np.asarray(denominators, dtype=float).ravel()
    if x_all.shape != n_all.shape:
        raise ValueError("counts and denominators must have the same length")
    if len(x_all) < TREND_PERIODS:
        return TrendResult(CANNOT_BE_CALCULATED, math.nan, math.nan, 0)
    x = x_all[-TREND_PERIODS:]
    n = n_all[-TREND_PERIODS:]
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(n))) or np.any(n == 0):
        return TrendResult(CANNOT_BE_CALCULATED, math.nan, math.nan, 0)
    if np.any(x < 0):
        raise ValueError("counts must not be negative")
    if np.any(n < 0):
        raise ValueError("denominators must not be negative")
    if np.any(x > n):
        raise ValueError("a count must not exceed its denominator")
    statistic, p_value, t = chi_square_trend(x, n)
    if p_value < 1 - conf:
        direction = INCREASING if t > 0 else DECREASING
    else:
        direction = NO_SIGNIFICANT_CHANGE
    return TrendResult(direction, statistic, p_value, TREND_PERIODS)


# --------------------------------------------------------------------------------------
# Interrupted time series
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """A multiplicative effect: ``ratio`` with its Wald interval and two-sided p-value."""

    ratio: float
    lower: float
    upper: float
    p_value: float


_NO_EFFECT = Effect(math.nan, math.nan, math.nan, math.nan)


@dataclass(frozen=True, eq=False)
class InterruptedTimeSeries:
    """Result of ``interrupted_time_series``.

    status: "estimated" or "not_estimable".
    reason: why it is not estimable (None when estimated): "too_few_months_before",
        "too_few_months_after", "too_few_months" (fewer months than the model has terms),
        "collinear" (the model's terms cannot be told apart, e.g. month-of-year terms
        asked for with exactly a year either side of the intervention), "no_events_before",
        "no_events_after" (in the series or in the control), "fit_failed".
    level_change: the ratio of the expected count in the intervention month to the one
        the pre-intervention trend projects (exp(b2)); with a control, the community's
        ratio divided by the control's.
    slope_change: the change in the monthly trend, as a ratio per month (exp(b3));
        with a control, relative to the control's.
    intervention_month: the calendar month containing the intervention date.
    months_before, months_after: months in the series before / from that month.
    seasonal: whether month-of-year terms were fitted.
    relative_to_control: whether a control series was used.
    dispersion: the quasi-Poisson scale (Pearson chi-square / residual df); NaN when not
        estimated.
    series: one row per month and series for a chart: ``month`` (a monthly Period),
        ``series`` ("community", and "control" with a control), ``observed``,
        ``fitted`` and ``counterfactual`` (the fit with the intervention's terms set to
        0; with a control, the community following the control's change; missing for
        the control's own rows). ``fitted`` and ``counterfactual`` are missing when not
        estimated.
    """

    status: str
    reason: str | None
    level_change: Effect
    slope_change: Effect
    intervention_month: pd.Period
    months_before: int
    months_after: int
    seasonal: bool
    relative_to_control: bool
    dispersion: float
    series: pd.DataFrame

    @property
    def estimable(self) -> bool:
        return self.status == ESTIMATED


def _month(value: object) -> pd.Period:
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    try:
        return pd.Period(pd.Timestamp(value), freq="M")
    except (ValueError, TypeError) as error:
        raise ValueError(f"cannot read {value!r} as a month") from error


def _series_values(values: object, size: int, name: str, positive: bool = False) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    if v.size != size:
        raise ValueError(f"{name} must have one value per month ({size}), got {v.size}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must all be finite")
    if positive and np.any(v <= 0):
        raise ValueError(f"{name} must all be greater than zero")
    if np.any(v < 0):
        raise ValueError(f"{name} must not be negative")
    return v


def interrupted_time_series(
    counts: Sequence[float] | np.ndarray | pd.Series,
    months: Sequence[object] | pd.Index | pd.Series,
    intervention: object,
    offset: Sequence[float] | np.ndarray | pd.Series | None = None,
    control: Sequence[float] | np.ndarray | pd.Series | None = None,
    *,
    control_offset: Sequence[float] | np.ndarray | pd.Series | None = None,
    seasonal: bool | None = None,
    confidence: float = 0.95,
) -> InterruptedTimeSeries:
    """Segmented Poisson regression of monthly counts around an intervention (Bernal,
    Cummins & Gasparrini 2017, Int J Epidemiol 46:348).

    log E[y_t] = b0 + b1 t + b2 after_t + b3 (t - t0) after_t + month-of-year terms
    (+ log offset_t), where t counts calendar months from the first month (0, 1, ...),
    after_t is 1 from the month that contains the ``intervention`` date on, and t0 is
    that month's t. exp(b2) is the level change (a ratio, at the intervention month) and
    exp(b3) the slope change (a ratio per month). The model is fitted as quasi-Poisson
    (statsmodels GLM, Poisson family, scale from Pearson's chi-square) so that
    overdispersion widens the intervals; the intervals are Wald intervals at
    ``confidence`` and the p-values two-sided Wald tests against the normal
    distribution.

    ``months`` are dates, Timestamps, monthly Periods or strings such as "2021-04"
    (any day of the month names the month), one per count, in any order but without
    repeats; gaps are allowed (t follows the calendar). ``offset`` (e.g. residents or
    days in the month) enters as log(offset). ``seasonal``: fit the 11 month-of-year
    indicators. None (the default) fits them when the series spans at least 24 months,
    so that each calendar month is seen at least twice, and they can be told apart from
    the trend. With exactly one year before and one year from the intervention month
    they cannot (t is then the month's place in the year plus 12 after_t), and the model
    is fitted without them (``seasonal`` is False in the result).

    With ``control`` (counts for the same months, e.g. all residents), the two series
    are stacked with a group indicator g (1 for the counts, 0 for the control) and the
    interactions g, g t, g after_t, g (t - t0) after_t (difference-in-differences; the
    seasonal terms are shared). The level and slope changes are then the coefficients of
    g after_t and g (t - t0) after_t: the change in the community relative to the change
    in the control. ``control_offset`` is the control's offset (required when
    ``offset`` is given with a control).

    Instead of raising, a series that cannot support the model is returned with status
    "not_estimable" and a reason code: fewer than 6 months before or from the
    intervention month, fewer months than terms, terms that cannot be told apart, no
    events before or after (in either series), or a fit that fails. Malformed input (lengths, negative counts, unreadable
    months, repeated months) is a ValueError.
    """
    import statsmodels.api as sm  # here, so pages that never fit a model load faster

    conf = normalise_confidence(confidence)
    periods = [_month(m) for m in months]
    size = len(periods)
    y = _series_values(counts, size, "counts")
    start = _month(intervention)
    ordinals = np.array([p.ordinal for p in periods], dtype=np.int64)
    if np.unique(ordinals).size != size:
        raise ValueError("months must not repeat")
    if control_offset is not None and control is None:
        raise ValueError("control_offset needs a control series")
    if control is not None and offset is not None and control_offset is None:
        raise ValueError("with an offset and a control, give the control's offset too")
    off = None if offset is None else _series_values(offset, size, "offset", positive=True)
    ctl = None if control is None else _series_values(control, size, "control")
    ctl_off = (
        None
        if control_offset is None
        else _series_values(control_offset, size, "control_offset", positive=True)
    )
    order = np.argsort(ordinals)
    ordinals, y = ordinals[order], y[order]
    periods = [periods[i] for i in order]
    off = None if off is None else off[order]
    ctl = None if ctl is None else ctl[order]
    ctl_off = None if ctl_off is None else ctl_off[order]

    first = int(ordinals[0]) if size else start.ordinal
    t = (ordinals - first).astype(float)
    t0 = float(start.ordinal - first)
    after = (ordinals >= start.ordinal).astype(float)
    t_after = (t - t0) * after
    months_before = int(size - after.sum())
    months_after = int(after.sum())
    with_control = ctl is not None
    use_season = bool(t.max() + 1 >= ITS_SEASONAL_MONTHS) if seasonal is None and size else False
    if seasonal is not None:
        use_season = bool(seasonal)

    month_col = pd.PeriodIndex(periods, freq="M") if size else pd.PeriodIndex([], freq="M")
    frames = [
        pd.DataFrame({"month": month_col, "series": COMMUNITY, "observed": y}),
    ]
    if with_control:
        frames.append(pd.DataFrame({"month": month_col, "series": CONTROL, "observed": ctl}))
    chart = pd.concat(frames, ignore_index=True)
    chart["fitted"] = np.nan
    chart["counterfactual"] = np.nan

    def result(
        reason: str | None,
        level: Effect = _NO_EFFECT,
        slope: Effect = _NO_EFFECT,
        dispersion: float = math.nan,
    ) -> InterruptedTimeSeries:
        return InterruptedTimeSeries(
            status=NOT_ESTIMABLE if reason else ESTIMATED,
            reason=reason,
            level_change=level,
            slope_change=slope,
            intervention_month=start,
            months_before=months_before,
            months_after=months_after,
            seasonal=use_season,
            relative_to_control=with_control,
            dispersion=dispersion,
            series=chart,
        )

    if months_before < ITS_MIN_MONTHS:
        return result(TOO_FEW_MONTHS_BEFORE)
    if months_after < ITS_MIN_MONTHS:
        return result(TOO_FEW_MONTHS_AFTER)
    before = after == 0
    for series in (y, ctl):
        if series is None:
            continue
        if series[before].sum() == 0:
            return result(NO_EVENTS_BEFORE)
        if series[~before].sum() == 0:
            return result(NO_EVENTS_AFTER)

    # Design: intercept, t, after, (t - t0) after, then (with a control) g and its
    # interactions, then the month-of-year indicators (the first month present is the
    # reference).
    def design(season: bool) -> np.ndarray:
        columns = [np.ones(size), t, after, t_after]
        if season:
            month_of_year = np.array([p.month for p in periods])
            for m in np.unique(month_of_year)[1:]:
                columns.append((month_of_year == m).astype(float))
        x_one = np.column_stack(columns)
        if not with_control:
            return x_one
        community = np.column_stack([x_one[:, :4], x_one[:, :4], x_one[:, 4:]])
        reference = np.column_stack([x_one[:, :4], np.zeros((size, 4)), x_one[:, 4:]])
        return np.vstack([community, reference])

    def unusable(x: np.ndarray) -> str | None:
        if x.shape[0] - x.shape[1] < 1:
            return TOO_FEW_MONTHS
        if np.linalg.matrix_rank(x) < x.shape[1]:
            return COLLINEAR
        return None

    x = design(use_season)
    if seasonal is None and use_season and unusable(x):
        # E.g. exactly a year either side of the intervention month: the month-of-year
        # terms and the trend cannot be told apart. Fit without the seasonal terms.
        use_season = False
        x = design(False)
    problem = unusable(x)
    if problem:
        return result(problem)
    if with_control:
        yy = np.concatenate([y, ctl])
        log_off = None if off is None else np.log(np.concatenate([off, ctl_off]))
        level_col, slope_col = 6, 7
    else:
        yy = y
        log_off = None if off is None else np.log(off)
        level_col, slope_col = 2, 3
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = sm.GLM(yy, x, family=sm.families.Poisson(), offset=log_off)
            fit = model.fit(scale="X2")
    except (ValueError, np.linalg.LinAlgError, FloatingPointError):
        return result(FIT_FAILED)
    params = np.asarray(fit.params, dtype=float)
    bounds = np.asarray(fit.conf_int(alpha=1 - conf), dtype=float)
    p_values = np.asarray(fit.pvalues, dtype=float)
    wanted = [level_col, slope_col]
    if not (
        getattr(fit, "converged", True)
        and np.all(np.isfinite(params[wanted]))
        and np.all(np.isfinite(bounds[wanted]))
        and math.isfinite(float(fit.scale))
        # A bound past exp's range (a log-scale bound over 709: near-empty series) would
        # show as an infinite interval; such a fit says nothing, so it is reported as failed.
        and np.all(np.abs(bounds[wanted]) < np.log(np.finfo(float).max))
    ):
        return result(FIT_FAILED)

    def effect(col: int) -> Effect:
        return Effect(
            float(np.exp(params[col])),
            float(np.exp(bounds[col, 0])),
            float(np.exp(bounds[col, 1])),
            float(p_values[col]),
        )

    counterfactual_x = x.copy()
    counterfactual_x[:size, wanted] = 0.0
    linear = counterfactual_x @ params + (0.0 if log_off is None else log_off)
    counterfactual = np.exp(linear)
    if with_control:
        counterfactual[size:] = np.nan
    chart["fitted"] = np.asarray(fit.fittedvalues, dtype=float)
    chart["counterfactual"] = counterfactual
    return result(None, effect(level_col), effect(slope_col), float(fit.scale))


# --------------------------------------------------------------------------------------
# Statistical process control (Making Data Count)
# --------------------------------------------------------------------------------------


def _run_flags(labels: np.ndarray, min_length: int) -> np.ndarray:
    """True for every member of a run of at least ``min_length`` equal, non-zero labels."""
    flags = np.zeros(labels.shape, dtype=bool)
    start = 0
    for i in range(1, labels.size + 1):
        if i == labels.size or labels[i] != labels[start]:
            if labels[start] != 0 and i - start >= min_length:
                flags[start:i] = True
            start = i
    return flags


def _two_of_three(close: np.ndarray) -> np.ndarray:
    """Flag the close points of every window of three with at least two of them."""
    flags = np.zeros(close.shape, dtype=bool)
    for i in range(close.size - 2):
        window = close[i : i + 3]
        if window.sum() >= 2:
            flags[i : i + 3] |= window
    return flags


def spc(
    values: Sequence[float] | np.ndarray | pd.Series,
    denominators: Sequence[float] | np.ndarray | pd.Series | None = None,
    kind: str = "xmr",
    *,
    baseline_points: int | None = None,
    shift_points: int = SHIFT_POINTS,
    trend_points: int = TREND_POINTS,
    screen_outliers: bool = False,
) -> pd.DataFrame:
    """A statistical process control chart with the signals NHS England's "Making Data
    Count" reads from it. ``values`` are in time order, oldest first.

    ``kind="xmr"`` (an XmR chart of the values, e.g. monthly counts): centre = the mean;
    limits = mean +/- 2.66 x the mean moving range (the mean absolute difference between
    consecutive points; 2.66 = 3 / 1.128, so the limits are at 3 sigma). With
    ``screen_outliers=True`` moving ranges of 3.267 x the mean moving range or more are
    left out of the mean and it is recomputed, as the NHS-R "Plot the Dots" package does
    by default; the default here keeps every moving range.

    ``kind="p"`` (a p-chart of proportions): ``values`` are counts and ``denominators``
    the totals they are out of; value = count / total; centre p = sum(counts) /
    sum(totals); each point's limits p +/- 3 sqrt(p (1 - p) / n_i) with its own
    denominator, kept within 0..1.

    ``baseline_points``: compute the centre and limits from the first that many points
    only (a baseline period), and judge every point against them.

    Signals (one boolean column each, all points of a run or pattern flagged):

    * ``beyond_limit``: a point above the upper or below the lower limit (strictly).
    * ``shift``: ``shift_points`` (7) or more consecutive points on the same side of the
      centre line. A point exactly on the centre line breaks the run (as Plot the Dots).
    * ``trend``: ``trend_points`` (6) or more consecutive points each higher than the
      one before, or each lower. Two equal consecutive points break the run (as Plot
      the Dots, which compares the signs of successive differences). Plot the Dots
      counts 7 points for a trend; pass ``trend_points=7`` to match it.
    * ``two_of_three``: two (or three) out of three consecutive points close to the same
      limit, i.e. in the outer third between the centre line and that limit (beyond 2
      sigma, but not beyond the limit itself: those are ``beyond_limit``). The close
      points are flagged, not the third. Unlike Plot the Dots, the third point may lie on
      either side of the centre line.

    Returns a frame (with the index of ``values`` if it is a Series) with columns
    ``value, centre, lower, upper, beyond_limit, shift, trend, two_of_three, signal``;
    ``signal`` is the first of "beyond_limit", "shift", "trend", "two_of_three" that
    applies to the point, or "common_cause". Fewer than two points (or baseline points)
    give missing limits and no signals. Missing values are a ValueError: leave the
    period out, or fill it, before charting.
    """
    if kind not in SPC_KINDS:
        raise ValueError(f"kind must be one of {SPC_KINDS}, got {kind!r}")
    for name, points in (("shift_points", shift_points), ("trend_points", trend_points)):
        if isinstance(points, bool) or not isinstance(points, int) or points < 2:
            raise ValueError(f"{name} must be a whole number of at least 2, got {points!r}")
    index = values.index if isinstance(values, pd.Series) else None
    x = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(x)):
        raise ValueError("values must all be finite (no missing periods)")
    size = x.size
    base = size if baseline_points is None else int(baseline_points)
    if baseline_points is not None and not 1 <= base <= size:
        raise ValueError(f"baseline_points must be between 1 and {size}, got {baseline_points!r}")
    if kind == "xmr":
        if denominators is not None:
            raise ValueError("an XmR chart takes no denominators")
        value = x
        centre = np.full(size, float(np.mean(x[:base])) if size else math.nan)
        ranges = np.abs(np.diff(x[:base]))
        mean_range = float(np.mean(ranges)) if ranges.size else math.nan
        if screen_outliers and ranges.size:
            kept = ranges[ranges < MOVING_RANGE_LIMIT * mean_range]
            mean_range = float(np.mean(kept)) if kept.size else mean_range
        sigma = np.full(size, XMR_LIMIT * mean_range / 3)
        lower, upper = centre - 3 * sigma, centre + 3 * sigma
    else:
        if denominators is None:
            raise ValueError("a p-chart needs the denominators")
        n = np.asarray(denominators, dtype=float).ravel()
        if n.shape != x.shape:
            raise ValueError("values and denominators must have the same length")
        if not np.all(np.isfinite(n)) or np.any(n <= 0):
            raise ValueError("denominators must all be finite and greater than zero")
        if np.any(x < 0) or np.any(x > n):
            raise ValueError("counts must be between 0 and their denominators")
        value = x / n
        p_bar = float(x[:base].sum() / n[:base].sum()) if size else math.nan
        centre = np.full(size, p_bar)
        sigma = np.sqrt(p_bar * (1 - p_bar) / n)
        if base < 2:
            sigma = np.full(size, math.nan)
        lower = np.clip(centre - 3 * sigma, 0.0, 1.0)
        upper = np.clip(centre + 3 * sigma, 0.0, 1.0)
    if base < 2:
        lower, upper = np.full(size, math.nan), np.full(size, math.nan)
    with np.errstate(invalid="ignore"):
        beyond = (value > upper) | (value < lower)
        close_high = (value > centre + 2 * sigma) & ~(value > upper)
        close_low = (value < centre - 2 * sigma) & ~(value < lower)
    side = np.sign(value - centre) if base >= 2 else np.zeros(size)
    shift = _run_flags(side, shift_points)
    steps = np.sign(np.diff(value))
    trend_steps = _run_flags(steps, trend_points - 1)
    trend = np.zeros(size, dtype=bool)
    trend[:-1] |= trend_steps
    trend[1:] |= trend_steps
    two = _two_of_three(close_high) | _two_of_three(close_low)
    signal = np.select([beyond, shift, trend, two], list(SPC_SIGNALS), default=COMMON_CAUSE).astype(
        object
    )
    return pd.DataFrame(
        {
            "value": value,
            "centre": centre,
            "lower": lower,
            "upper": upper,
            BEYOND_LIMIT: beyond,
            SHIFT: shift,
            TREND: trend,
            TWO_OF_THREE: two,
            "signal": signal,
        },
        index=index,
    )


# --------------------------------------------------------------------------------------
# DataFrame helpers (return new frames; never modify the input)
# --------------------------------------------------------------------------------------


def _numeric_column(df: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _check_counts(x: np.ndarray, name: str) -> None:
    if np.any(x[np.isfinite(x)] < 0):
        raise ValueError(f"column {name!r} has negative counts")


def add_rate_intervals(
    df: pd.DataFrame,
    count_col: str,
    denom_col: str,
    per: float = 1000,
    prefix: str = "rate",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``{prefix}``, ``{prefix}_lower``, ``{prefix}_upper``:
    the crude rate per ``per`` and its ``poisson_interval`` limits.

    Missing counts, and missing, zero or negative denominators, give NaN (filtered data
    can legitimately be empty). Negative counts are a ValueError.
    """
    conf = normalise_confidence(confidence)
    k = _positive(per, "per")
    x = _numeric_column(df, count_col)
    d = _numeric_column(df, denom_col)
    _check_counts(x, count_col)
    ok = np.isfinite(x) & np.isfinite(d) & (d > 0)
    xs = np.where(ok, x, 0.0)
    ds = np.where(ok, d, 1.0)
    lower, upper = _poisson_arrays(xs, conf)
    out = df.copy()
    out[prefix] = np.where(ok, xs / ds * k, np.nan)
    out[f"{prefix}_lower"] = np.where(ok, lower / ds * k, np.nan)
    out[f"{prefix}_upper"] = np.where(ok, upper / ds * k, np.nan)
    return out


def add_proportion_intervals(
    df: pd.DataFrame,
    count_col: str,
    total_col: str,
    per: float = 1,
    prefix: str = "proportion",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``{prefix}``, ``{prefix}_lower``, ``{prefix}_upper``:
    count/total (times ``per``, e.g. 100 for a percentage) and its Wilson limits.

    Missing values or a zero total give NaN; a negative count or a count above its
    total is a ValueError.
    """
    conf = normalise_confidence(confidence)
    k = _positive(per, "per")
    x = _numeric_column(df, count_col)
    n = _numeric_column(df, total_col)
    _check_counts(x, count_col)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    if np.any(x[ok] > n[ok]):
        raise ValueError(f"column {count_col!r} exceeds {total_col!r} in some rows")
    xs = np.where(ok, x, 0.0)
    ns = np.where(ok, n, 1.0)
    lower, upper = _wilson_arrays(xs, ns, z_value(conf))
    out = df.copy()
    out[prefix] = np.where(ok, xs / ns * k, np.nan)
    out[f"{prefix}_lower"] = np.where(ok, lower * k, np.nan)
    out[f"{prefix}_upper"] = np.where(ok, upper * k, np.nan)
    return out


def add_representation_ratios(
    df: pd.DataFrame,
    group_count_col: str,
    total_count_col: str,
    group_population_col: str,
    total_population_col: str,
    prefix: str = "ratio",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Return a copy of ``df`` with representation ratios (see ``representation_ratio``).

    Adds ``{prefix}``, ``{prefix}_lower``, ``{prefix}_upper`` and
    ``{prefix}_classification`` (``classify_representation``). Rows with a zero or
    missing total count or population give NaN and "too few to say" instead of raising,
    because pages feed this filtered data that can legitimately be empty. Negative
    counts, group count above total count, or group population above total population
    are a ValueError.
    """
    conf = normalise_confidence(confidence)
    g = _numeric_column(df, group_count_col)
    t = _numeric_column(df, total_count_col)
    gp = _numeric_column(df, group_population_col)
    tp = _numeric_column(df, total_population_col)
    _check_counts(g, group_count_col)
    _check_counts(t, total_count_col)
    ok = (
        np.isfinite(g)
        & np.isfinite(t)
        & np.isfinite(gp)
        & np.isfinite(tp)
        & (t > 0)
        & (gp > 0)
        & (tp > 0)
    )
    if np.any(g[ok] > t[ok]):
        raise ValueError(f"column {group_count_col!r} exceeds {total_count_col!r} in some rows")
    if np.any(gp[ok] > tp[ok]):
        raise ValueError(
            f"column {group_population_col!r} exceeds {total_population_col!r} in some rows"
        )
    gs = np.where(ok, g, 0.0)
    ts = np.where(ok, t, 1.0)
    share_pop = np.where(ok, gp, 1.0) / np.where(ok, tp, 1.0)
    lower, upper = _wilson_arrays(gs, ts, z_value(conf))
    ratio = np.where(ok, gs / ts / share_pop, np.nan)
    lo = np.where(ok, lower / share_pop, np.nan)
    up = np.where(ok, upper / share_pop, np.nan)
    out = df.copy()
    out[prefix] = ratio
    out[f"{prefix}_lower"] = lo
    out[f"{prefix}_upper"] = up
    labels = [
        classify_representation(num, low, high) if good else TOO_FEW_TO_SAY
        for num, low, high, good in zip(g, lo, up, ok, strict=True)
    ]
    out[f"{prefix}_classification"] = pd.Series(labels, index=out.index, dtype=object)
    return out


def add_benchmark_comparison(
    df: pd.DataFrame,
    lower_col: str,
    upper_col: str,
    benchmark: float,
    col: str = "comparison",
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``col`` = ``compare_to_benchmark`` for each row."""
    lower = _numeric_column(df, lower_col)
    upper = _numeric_column(df, upper_col)
    out = df.copy()
    out[col] = pd.Series(
        [compare_to_benchmark(lo, up, benchmark) for lo, up in zip(lower, upper, strict=True)],
        index=out.index,
        dtype=object,
    )
    return out
