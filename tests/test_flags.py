"""Flagging areas among many (hidden_communities/flags.py): the choice of funnel limits,
false discovery control and their words, with exact values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hidden_communities import flags


def test_limits_are_widened_only_when_the_areas_are_overdispersed():
    # Rates: 10, 10 and 10 events per 1,000 residents: z = 0 everywhere, phi = 0.
    same = flags.choose_limits([10, 10, 10], [1000, 1000, 1000], 10.0, "rate", 1000)
    assert (same.phi, same.tau2, same.k) == (0.0, 0.0, 3)
    assert same.requested == "additive" and same.applied == "none"
    assert not same.overdispersed and not same.exact  # rates are exact Poisson already
    # 5 and 45 of 100 against 25%: z = -/+ 0.2/sqrt(0.1875/100) = -/+ 4.6188; with two areas
    # the winsorised values are -/+ 0.8 x 4.6188 = 3.6950, phi = 13.653 > chi-square(0.95; 1)
    # = 3.841: widened as asked.
    apart = flags.choose_limits([5, 45], [100, 100], 0.25, "proportion", 1, "multiplicative")
    assert apart.phi == pytest.approx(13.65333, abs=1e-5)
    assert apart.critical_value == pytest.approx(3.841459, abs=1e-6)
    assert apart.applied == "multiplicative" and not apart.exact
    assert flags.limit_arguments(apart) == {
        "adjustment": "multiplicative",
        "phi": apart.phi,
        "tau2": None,
        "exact": False,
    }


def test_too_few_areas_or_no_events_give_ordinary_limits():
    one = flags.choose_limits([3], [40], 0.075, "proportion")
    assert not one.estimable and one.applied == "none" and math.isnan(one.phi)
    # One area expects 40 x 0.075 = 3 records: exact binomial limits.
    assert one.exact
    none = flags.choose_limits([0, 0], [50, 60], 0.0, "rate", 1000)
    assert not none.estimable and none.applied == "none"
    with pytest.raises(ValueError):
        flags.choose_limits([1], [2], 0.5, "proportion", 1, "sideways")


def test_exact_limits_from_ten_expected_records_down():
    # 0.1 x 100 = 10 expected: enough for the normal limits; 0.1 x 99 = 9.9 is not. The
    # smaller side counts too: 0.9 x 99 = 89.1, 0.1 x 99 = 9.9.
    assert not flags.choose_limits([10, 10], [100, 100], 0.1, "proportion").exact
    assert flags.choose_limits([10, 10], [100, 99], 0.1, "proportion").exact
    assert flags.choose_limits([90, 89], [100, 99], 0.9, "proportion").exact


def test_compare_areas_with_exact_binomial_p_values():
    frame = pd.DataFrame({"x": [6, 3, None], "n": [20, 30, 10]})
    limits = flags.choose_limits(frame["x"], frame["n"], 9 / 50, "proportion")
    assert limits.exact
    out = flags.compare_areas(frame, "x", "n", 9 / 50, "proportion", 1, limits)
    # Against 0.18: 6 of 20, P(X >= 6) = 0.135598 (P(X <= 6) = 0.946327): p = 0.271195;
    # 3 of 30, P(X <= 3) = 0.185636 (P(X >= 3) = 0.925875): p = 0.371271. BH over 2: 0.371271
    # for both. The third row has no count: not tested.
    assert out["flag_p_value"].tolist()[:2] == pytest.approx([0.271195, 0.371271], abs=1e-6)
    assert out["flag_p_adjusted"].tolist()[:2] == pytest.approx([0.371271] * 2, abs=1e-6)
    assert out["flag"].tolist() == ["similar", "similar", "cannot_be_calculated"]
    assert (out["flag_tested"] == 2).all()


def test_classify_shares_keeps_too_few_to_say_and_counts_every_area_tested():
    frame = pd.DataFrame({"x": [40, 4, 10], "n": [100, 100, 100]})
    out = flags.classify_shares(frame, "x", "n", [0.2, 0.2, 1.5])
    # 40 of 100 against 20%: z = 0.2/0.04 = 5, p = 5.7e-7: over-represented. 4 of 100: z =
    # -4, p = 6.3e-5 but under 10 events: too few to say (still one of the 2 areas tested).
    # A benchmark share above 100% has no test.
    assert out["classification"].tolist() == [
        "over_represented",
        "too_few_to_say",
        "too_few_to_say",
    ]
    assert out["classification_p_value"][0] == pytest.approx(5.733e-7, rel=1e-3)
    assert np.isnan(out["classification_p_value"][2])
    assert (out["classification_tested"] == 2).all()


def test_words():
    assert [flags.number(v) for v in (38.39, 4271.02, 0.0073414, 0)] == [
        "38.4",
        "4,271",
        "0.00734",
        "0",
    ]
    assert flags.listed([]) == "none"
    assert flags.listed(["A", "B"]) == "A and B"
    assert flags.listed(list("ABCDEFG")) == "A, B, C, D, E and 2 more"
    # A name with a comma of its own: the names are told apart by semicolons.
    assert flags.listed(["Pendle", "Herefordshire, County of", "Bristol, City of"]) == (
        "Pendle; Herefordshire, County of and Bristol, City of"
    )
    assert flags.listed(["A", "Herefordshire, County of", "C", "D", "E", "F"]) == (
        "A; Herefordshire, County of; C; D; E and 1 more"
    )
    assert flags.allowing(77, "LSOAs") == (
        "after allowing for 77 LSOAs, at a false discovery rate of 5%"
    )
    assert flags.LIMIT_LABELS["additive"] == "Additive (random effects)"
    assert list(flags.LIMIT_LABELS) == ["additive", "multiplicative", "none"]
