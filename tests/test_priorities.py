"""Whose voice sets local priorities: the reweighting, its rank stability and the page."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from hidden_communities import priorities
from hidden_communities.priorities import NO_MENTIONS, REMAINDER, SHARE_UNKNOWN

# Three communities and four topics, worked by hand.
#   eastern_european: share 0.10; hate_crime 3, drugs 1 -> mix 3/4, 1/4
#   armed_forces:     share 0.05; no contacts           -> left out, no_mentions
#   lgbtq:            share unknown; road_safety 1      -> left out, share_unknown
#   everyone_else:    share 0.85; drugs 4, road_safety 3, fraud_scams 1 -> 4/8, 3/8, 1/8
# Weight kept: 0.10 + 0.85 = 0.95.
#   hate_crime  = 0.10 * 3/4 / 0.95                 = 0.075   / 0.95 = 3/38
#   drugs       = (0.10 * 1/4 + 0.85 * 4/8) / 0.95  = 0.45    / 0.95 = 9/19
#   road_safety = 0.85 * 3/8 / 0.95                 = 0.31875 / 0.95
#   fraud_scams = 0.85 * 1/8 / 0.95                 = 0.10625 / 0.95
# As heard (13 mentions): hate 3/13, drugs 5/13, road 4/13, fraud 1/13.
COUNTS = pd.DataFrame(
    [
        ("eastern_european", "hate_crime", 3),
        ("eastern_european", "drugs", 1),
        ("lgbtq", "road_safety", 1),
        (REMAINDER, "drugs", 4),
        (REMAINDER, "road_safety", 3),
        (REMAINDER, "fraud_scams", 1),
    ],
    columns=["community", "topic", "mentions"],
)
SHARES = {"eastern_european": 0.10, "armed_forces": 0.05, "lgbtq": None, REMAINDER: 0.85}


def test_reweight_hand_worked():
    result = priorities.reweight(COUNTS, SHARES).set_index("topic")
    assert list(result.columns) == [
        "share_heard",
        "share_reweighted",
        "rank_heard",
        "rank_reweighted",
    ]
    assert result["share_reweighted"].to_dict() == pytest.approx(
        {
            "hate_crime": 3 / 38,
            "drugs": 9 / 19,
            "road_safety": 0.31875 / 0.95,
            "fraud_scams": 0.10625 / 0.95,
        }
    )
    assert result["share_heard"].to_dict() == pytest.approx(
        {"hate_crime": 3 / 13, "drugs": 5 / 13, "road_safety": 4 / 13, "fraud_scams": 1 / 13}
    )
    assert result["rank_heard"].to_dict() == {
        "drugs": 1,
        "road_safety": 2,
        "hate_crime": 3,
        "fraud_scams": 4,
    }
    # fraud_scams moves up to 3rd, hate_crime down to 4th
    assert result["rank_reweighted"].to_dict() == {
        "drugs": 1,
        "road_safety": 2,
        "fraud_scams": 3,
        "hate_crime": 4,
    }
    assert result.attrs["left_out"] == {"armed_forces": NO_MENTIONS, "lgbtq": SHARE_UNKNOWN}
    assert result["share_reweighted"].sum() == pytest.approx(1)


def test_reweight_with_no_usable_community():
    result = priorities.reweight(COUNTS[COUNTS["community"] == "lgbtq"], SHARES)
    assert result["share_reweighted"].isna().all()
    assert result.attrs["left_out"] == {
        "eastern_european": NO_MENTIONS,
        "armed_forces": NO_MENTIONS,
        "lgbtq": SHARE_UNKNOWN,
        REMAINDER: NO_MENTIONS,
    }


# Three contacts: an Eastern European resident on hate crime, two others on drugs and on
# road safety, each once. Populations 0.5 / 0.5.
TINY = pd.DataFrame(
    {
        "groups": [["eastern_european"], [REMAINDER], [REMAINDER]],
        "topics": [["hate_crime"], ["drugs"], ["road_safety", "drugs"]],
        "weight": [1, 1, 1],
        "contacts": [1, 1, 1],
    }
)
TINY_SHARES = {"eastern_european": 0.5, REMAINDER: 0.5}


def _exact_stability() -> dict[str, float]:
    """Every ordered resample of the three contacts, each with probability 1/27; a topic
    nobody raised in a resample has share 0 and ties with the other zeros."""
    observed = priorities.reweight(priorities.explode(TINY), TINY_SHARES).set_index("topic")
    topics = list(observed.index)
    held = dict.fromkeys(topics, 0)
    for picks in itertools.product(range(3), repeat=3):
        sample = TINY.iloc[list(picks)]
        again = priorities.reweight(priorities.explode(sample), TINY_SHARES).set_index("topic")
        shares = again["share_reweighted"].reindex(topics).fillna(0)
        for topic in topics:
            rank = int((shares > shares[topic]).sum()) + 1
            held[topic] += rank == observed.loc[topic, "rank_reweighted"]
    return {t: h / 27 for t, h in held.items()}


def test_rank_stability_is_deterministic_and_matches_enumeration():
    # Observed: hate_crime 0.5 (1st), drugs 0.5 * 2/3 (2nd), road_safety 0.5 * 1/3 (3rd).
    # By hand, with a, b, c the draws of each contact (27 ordered resamples):
    #   a = 0 (8): no Eastern European voice, hate_crime scores 0: nobody keeps a rank
    #     (drugs leads or ties the remainder's mix, road_safety is 2nd at best).
    #   a = 3 (1): hate_crime 1st, drugs and road_safety tied 2nd: hate and drugs keep.
    #   a, b, c > 0 (6): hate 0.5 > drugs 1/3 > road 1/6: all three keep their rank.
    #   a, c > 0, b = 0 (6): drugs ties road_safety 2nd (0.25): hate and drugs keep.
    #   a, b > 0, c = 0 (6): hate and drugs tie 1st (0.5), road_safety 0 is 3rd: hate
    #     and road keep.
    # hate_crime 1 + 6 + 6 + 6 = 19/27, drugs 1 + 6 + 6 = 13/27, road_safety 6 + 6 = 12/27.
    exact = _exact_stability()
    assert exact == pytest.approx({"hate_crime": 19 / 27, "drugs": 13 / 27, "road_safety": 12 / 27})
    first = priorities.rank_stability(TINY, TINY_SHARES, resamples=20000, seed=7)
    again = priorities.rank_stability(TINY, TINY_SHARES, resamples=20000, seed=7)
    pd.testing.assert_frame_equal(first, again)
    got = first.set_index("topic")["stability"].to_dict()
    assert got == pytest.approx(exact, abs=0.015)
    other_seed = priorities.rank_stability(TINY, TINY_SHARES, resamples=20000, seed=8)
    assert not other_seed["stability"].equals(first["stability"])


def test_ordinal():
    assert [priorities.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "112th",
    ]
