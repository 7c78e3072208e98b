"""Flagging areas among many: which funnel limits to draw, and which areas to flag.

Shared by the funnel plot and the reporting gap by area (Under-representation page) and
the engagement map, so that the three say the same thing about the same areas:

* **Overdispersion.** The areas' spread is measured with ``stats.overdispersion`` (phi
  from winsorised z-scores). The funnel limits are widened only when k phi exceeds the
  95% point of chi-square on k - 1 degrees of freedom (``Limits.overdispersed``), and
  then as the page asks: additive (random effects, the default: Spiegelhalter 2005
  recommends it when the extra spread is real variation between areas, as differences
  in age, deprivation and recording between neighbourhoods are) or multiplicative.
* **Exact limits for small areas.** When the limits are not widened, a share's limits
  are exact binomial wherever some area expects fewer than ``EXACT_EXPECTED_BELOW``
  records on either side (n p or n (1 - p)), as the count intervals turn exact below 10
  events. Rate limits are exact Poisson already.
* **False discovery control.** Each area gets a p-value against the overall value from
  the same limits (exact Poisson for rates, the score test for shares, the exact
  binomial test when the limits are exact, the widened normal test when they are
  widened), and areas are flagged after Benjamini-Hochberg control at q = 0.05
  (``FDR_Q``): "after allowing for N areas", N being the areas with a p-value
  (``{col}_tested`` in the frame).

Results are codes (``stats.HIGHER`` / ``LOWER`` / ``SIMILAR`` / ``CANNOT_BE_CALCULATED``
for comparisons with all areas; the representation classifications for ratios); the
words come from the catalogues. No streamlit here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom

from . import stats, text, vocab

#: The false discovery rate controlled whenever areas are flagged.
FDR_Q = 0.05
#: Share limits are exact binomial when some area expects fewer records than this.
EXACT_EXPECTED_BELOW = 10
#: The funnel limits the page offers (codes), the default first.
LIMIT_LABELS = vocab.LabelView(
    "funnel_limits", (stats.ADDITIVE, stats.MULTIPLICATIVE, stats.NO_ADJUSTMENT)
)
DEFAULT_LIMITS = stats.ADDITIVE

#: Columns a frame carries to say how its areas were judged (public: they describe the
#: spread of all areas together, not any one area's records).
LIMIT_COLUMNS = ("phi", "tau2", "dispersion_statistic", "dispersion_critical", "dispersion_areas")


@dataclass(frozen=True)
class Limits:
    """The limits chosen for a set of areas.

    requested: the adjustment asked for ("additive", "multiplicative" or "none").
    applied: the adjustment used: the one requested when the areas are overdispersed,
        otherwise "none".
    phi, tau2: from ``stats.overdispersion`` (tau2 in units of ``per`` squared); NaN when
        they cannot be estimated (fewer than two areas, or an overall value of 0 or 100%).
    k, statistic, critical_value: the areas used, k phi, and the 95% point of chi-square
        on k - 1 degrees of freedom.
    exact: whether share limits are exact binomial (only when not widened).
    """

    requested: str
    applied: str
    phi: float
    tau2: float
    k: int
    statistic: float
    critical_value: float
    exact: bool

    @property
    def estimable(self) -> bool:
        return self.k >= 2 and math.isfinite(self.phi) and math.isfinite(self.critical_value)

    @property
    def overdispersed(self) -> bool:
        return self.estimable and self.statistic > self.critical_value

    def columns(self) -> dict[str, object]:
        """Constant columns for a frame of areas (``from_frame`` reads them back)."""
        return {
            "limits": self.applied,
            "limits_requested": self.requested,
            "exact_limits": self.exact,
            "phi": self.phi,
            "tau2": self.tau2,
            "dispersion_statistic": self.statistic,
            "dispersion_critical": self.critical_value,
            "dispersion_areas": self.k,
        }


def from_frame(frame: pd.DataFrame) -> Limits | None:
    """The limits a frame of areas was judged with (None for an empty frame)."""
    if frame.empty or "limits" not in frame.columns:
        return None
    row = frame.iloc[0]
    return Limits(
        requested=str(row["limits_requested"]),
        applied=str(row["limits"]),
        phi=float(row["phi"]),
        tau2=float(row["tau2"]),
        k=int(row["dispersion_areas"]),
        statistic=float(row["dispersion_statistic"]),
        critical_value=float(row["dispersion_critical"]),
        exact=bool(row["exact_limits"]),
    )


def _usable(counts, denominators) -> tuple[np.ndarray, np.ndarray]:
    x = pd.to_numeric(pd.Series(np.asarray(counts, dtype=object)), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    n = pd.to_numeric(pd.Series(np.asarray(denominators, dtype=object)), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    return x[ok], n[ok]


def choose_limits(
    counts,
    denominators,
    overall: float,
    kind: str,
    per: float = 1,
    requested: str = DEFAULT_LIMITS,
) -> Limits:
    """The funnel limits for these areas: widened as ``requested`` only when they are
    overdispersed; exact binomial for shares with small areas when not widened.

    ``counts`` are the areas' events and ``denominators`` their records (shares) or
    residents (rates); ``overall`` is in units of ``per``. Rows with a missing count or
    a missing or non-positive denominator are left out.
    """
    if requested not in stats.FUNNEL_ADJUSTMENTS:
        raise ValueError(f"limits must be one of {stats.FUNNEL_ADJUSTMENTS}, got {requested!r}")
    x, n = _usable(counts, denominators)
    theta = overall / per if math.isfinite(overall) else math.nan
    can_estimate = (
        x.size >= 2 and theta > 0 and not (kind == "proportion" and theta >= 1)
    )  # NaN compares False
    if can_estimate:
        spread = stats.overdispersion(x, n, overall, kind=kind, per=per)
        phi, tau2, k = spread.phi, spread.tau2, spread.k
        statistic, critical = spread.statistic, spread.critical_value
        overdispersed = spread.overdispersed
    else:
        phi = tau2 = statistic = critical = math.nan
        k, overdispersed = int(x.size), False
    applied = requested if overdispersed else stats.NO_ADJUSTMENT
    exact = False
    if kind == "proportion" and applied == stats.NO_ADJUSTMENT and n.size and 0 <= theta <= 1:
        expected = np.minimum(n * theta, n * (1 - theta))
        exact = bool(np.min(expected) < EXACT_EXPECTED_BELOW)
    return Limits(requested, applied, phi, tau2, k, statistic, critical, exact)


def limit_arguments(limits: Limits) -> dict[str, object]:
    """Keyword arguments for ``stats.funnel_limits`` / ``classify_funnel``."""
    return {
        "adjustment": limits.applied,
        "phi": limits.phi if limits.applied == stats.MULTIPLICATIVE else None,
        "tau2": limits.tau2 if limits.applied == stats.ADDITIVE else None,
        "exact": limits.exact,
    }


def _exact_binomial_p(x: np.ndarray, n: np.ndarray, p0: float) -> np.ndarray:
    """Two-sided exact binomial test, twice the smaller tail (as ``poisson_p_value``)."""
    low = binom.cdf(x, n, p0)
    high = binom.sf(x - 1, n, p0)
    return np.minimum(1.0, 2 * np.minimum(low, high))


def compare_areas(
    df: pd.DataFrame,
    count_col: str,
    denom_col: str,
    overall: float,
    kind: str,
    per: float,
    limits: Limits,
    col: str = "flag",
    q: float = FDR_Q,
) -> pd.DataFrame:
    """Return a copy of ``df`` with each area compared with ``overall`` after false
    discovery control: ``{col}_p_value``, ``{col}_p_adjusted`` (Benjamini-Hochberg) and
    ``{col}``: "higher" / "lower" where flagged at ``q``, "similar" where not, "cannot be
    calculated" for a row without a count or denominator. The p-values come from the
    same ``limits`` as the funnel (see the module docstring).
    """
    out = df.copy()
    x = pd.to_numeric(out[count_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    n = pd.to_numeric(out[denom_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(x) & np.isfinite(n) & (n > 0)
    p = np.full(len(out), np.nan)
    if ok.any() and math.isfinite(overall):
        if limits.exact:
            p[ok] = _exact_binomial_p(x[ok], n[ok], overall / per)
        else:
            tested = stats.add_false_discovery(
                out.loc[ok, [count_col, denom_col]],
                count_col,
                denom_col,
                overall,
                kind=kind,
                per=per,
                q=q,
                prefix="_t",
                adjustment=limits.applied,
                phi=limits.phi if limits.applied == stats.MULTIPLICATIVE else None,
                tau2=limits.tau2 if limits.applied == stats.ADDITIVE else None,
            )
            p[ok] = tested["_t_p_value"].to_numpy(dtype=float)
    result = stats.false_discovery(p, q)
    value = np.where(ok, x / np.where(ok, n, 1.0) * per, np.nan)
    codes = np.where(value > overall, stats.HIGHER, stats.LOWER).astype(object)
    codes[~result.flagged] = stats.SIMILAR
    codes[np.isnan(p)] = stats.CANNOT_BE_CALCULATED
    out[f"{col}_p_value"] = p
    out[f"{col}_p_adjusted"] = result.adjusted
    out[col] = pd.Series(codes, index=out.index, dtype=object)
    out[f"{col}_tested"] = result.tests
    return out


def classify_shares(
    df: pd.DataFrame,
    count_col: str,
    total_col: str,
    share,
    col: str = "classification",
    q: float = FDR_Q,
) -> pd.DataFrame:
    """Return a copy of ``df`` with each area's share count/total read against its own
    benchmark ``share`` (a fraction, one per row) after false discovery control.

    ``{col}_p_value`` is the score test (``stats.proportion_p_value``, which matches the
    Wilson interval of the ratio), ``{col}_p_adjusted`` its Benjamini-Hochberg
    adjustment over every row with a p-value, and ``{col}`` "under_represented" /
    "over_represented" where flagged at ``q``, "not_significantly_different" where not,
    and "too_few_to_say" under 10 events or without a p-value (as
    ``stats.classify_representation``).
    """
    out = df.copy()
    x = pd.to_numeric(out[count_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    n = pd.to_numeric(out[total_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    s = pd.to_numeric(pd.Series(np.asarray(share, dtype=object)), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    ok = np.isfinite(x) & np.isfinite(n) & np.isfinite(s) & (n > 0) & (s > 0) & (s < 1)
    ok &= np.where(ok, x <= n, False)
    p = np.full(len(out), np.nan)
    for i in np.flatnonzero(ok):
        p[i] = stats.proportion_p_value(x[i], n[i], s[i])
    result = stats.false_discovery(p, q)
    codes = np.full(len(out), stats.NOT_SIGNIFICANTLY_DIFFERENT, dtype=object)
    flagged = result.flagged
    with np.errstate(invalid="ignore", divide="ignore"):
        below = x / n < s
    codes[flagged & below] = stats.UNDER_REPRESENTED
    codes[flagged & ~below] = stats.OVER_REPRESENTED
    codes[~ok | ~(x >= stats.MIN_NUMERATOR)] = stats.TOO_FEW_TO_SAY
    out[f"{col}_p_value"] = p
    out[f"{col}_p_adjusted"] = result.adjusted
    out[col] = pd.Series(codes, index=out.index, dtype=object)
    out[f"{col}_tested"] = result.tests
    return out


# ------------------------------------------------------------------------------ words


def number(value: float) -> str:
    """Three significant figures without an exponent, in the current language: 38.4,
    4,271, 0.00123 (Polish 38,4, 4 271, 0,00123)."""
    if not math.isfinite(value):
        return ""
    if value == 0:
        return text.number(0)
    places = max(0, 2 - math.floor(math.log10(abs(value))))
    return text.number(value, places)


def _rate() -> str:
    """The false discovery rate as a share ("5%", Polish "5%")."""
    return text.percent(FDR_Q, 0)


def level_words(level: str) -> dict[str, str]:
    """How a sentence names the areas of a level, in each grammatical role the catalogues
    ask for: `nouns` ("wards"; Polish nominative), `nouns_gen` (Polish genitive, after
    "of", "too few", "some") and `nouns_first` ("The wards", opening a sentence)."""
    return {
        "nouns": text.t(f"repr_nouns.{level}"),
        "nouns_gen": text.t(f"repr_nouns_gen.{level}"),
        "nouns_first": text.t(f"repr_nouns_first.{level}"),
    }


def counted_areas(tested: int, level: str = "area") -> str:
    """ "77 LSOAs", "1 ward", "2 areas" after "allowing for" (Polish genitive: "77 obszarów
    LSOA", "1 okręgu wyborczego")."""
    return text.plural(f"repr_count_gen.{level}", tested)


def allowing(tested: int, nouns: str | None = None, *, level: str | None = None) -> str:
    """ "after allowing for 77 LSOAs, at a false discovery rate of 5%".

    With `level` (a level code: "ward", "lsoa", "msoa") the count takes its noun's plural
    form in the current language; `nouns` (a plural noun in words) is the older form,
    kept for callers that pass words."""
    if level is not None:
        return text.t("repr_flags.allowing", areas=counted_areas(tested, level), q=_rate())
    return text.t("flags.allowing", n=text.number(tested), nouns=nouns, q=_rate())


def column_header(tested: int) -> str:
    """A table header: "Compared with all areas shown, after allowing for 77 areas (...)"."""
    return text.t("repr_flags.column", areas=counted_areas(tested), q=_rate())


def reading_header(tested: int) -> str:
    """A table header: "Reading, after allowing for 14 areas"."""
    return text.t("repr_flags.reading_column", areas=counted_areas(tested))


def tested_count(frame: pd.DataFrame, col: str) -> int:
    """How many areas the flags in ``col`` allowed for (0 when there are none)."""
    if frame.empty or f"{col}_tested" not in frame.columns:
        return 0
    value = pd.to_numeric(frame[f"{col}_tested"], errors="coerce").dropna()
    return int(value.iloc[0]) if len(value) else 0


def listed(names, cap: int = 5) -> str:
    """ "A, B and 3 more" (at most ``cap`` names), or "none"."""
    names = [str(name) for name in names]
    if not names:
        return text.t("flags.none")
    if len(names) > cap:
        return text.t(
            "repr_flags.list_more",
            names=text.name_separator(names[:cap]).join(names[:cap]),
            n=text.number(len(names) - cap),
        )
    return text.join_names(names)


def limits_sentence(limits: Limits, nouns: str, kind: str, *, level: str | None = None) -> str:
    """How the limits were chosen, in words: the overdispersion test, phi (and tau2 when
    additive), and whether the limits are exact. ``kind`` is "proportion" (tau in
    percentage points) or "rate" (tau per 1,000). With ``level`` (a level code) the
    sentence names the areas in the grammatical form each place needs; ``nouns`` (a plural
    noun in words) is the older form."""
    tau = math.sqrt(limits.tau2) if limits.tau2 >= 0 else math.nan
    tau_text = (
        text.t("repr_flags.tau_share", tau=text.number(tau * 100, 1))
        if kind == "proportion"
        else text.t("flags.tau_rate", tau=number(tau))
    )
    values = dict(
        phi=number(limits.phi),
        statistic=number(limits.statistic),
        critical=number(limits.critical_value),
        df=text.number(limits.k - 1),
        tau2=number(limits.tau2),
        tau=tau_text,
        limits=text.label("funnel_limits", limits.requested),
    )
    table = "repr_flags" if level is not None else "flags"
    values |= level_words(level) if level is not None else {"nouns": nouns}
    if not limits.estimable:
        sentence = text.t(f"{table}.not_estimable", **values)
    elif not limits.overdispersed:
        sentence = text.t(f"{table}.not_overdispersed", **values)
    elif limits.applied == stats.NO_ADJUSTMENT:
        sentence = text.t(f"{table}.overdispersed_unadjusted", **values)
    elif limits.applied == stats.ADDITIVE:
        sentence = text.t(f"{table}.overdispersed_additive", **values)
    else:
        sentence = text.t(f"{table}.overdispersed_multiplicative", **values)
    if limits.exact:
        sentence += " " + text.t(f"{table}.exact", n=text.number(EXACT_EXPECTED_BELOW))
    return sentence
