"""Whose voice sets local priorities: the reweighting, its rank stability and the page."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hidden_communities import priorities
from hidden_communities.priorities import NO_MENTIONS, REMAINDER, SHARE_UNKNOWN
from queries import run_query
from tests.builders import (
    chart,
    chart_alt,
    contacts,
    empty_database,
    load_frame,
    open_page,
    table_with,
    texts,
)

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


# --- The page on a small database --------------------------------------------------


@pytest.fixture(scope="module")
def priorities_db(tmp_path_factory, reference) -> Path:
    path = tmp_path_factory.mktemp("priorities") / "priorities.duckdb"
    con = empty_database(path, reference)
    frame = contacts(
        [
            ("eastern_european", "hate_crime", 9),
            ("eastern_european", "drugs", 3),
            ("lgbtq", "road_safety", 3),
            ("none", "drugs", 10),
            ("none", "anti_social_behaviour", 6),
            ("none", "road_safety;drugs", 4),
        ],
        fields=("communities", "topics"),
    )
    load_frame(con, frame, "contacts", reference["areas"])
    con.close()
    return path


# Census 2021, Ashfield, primary measures: Eastern European e = 2,885 / 126,300, LGBTQ+
# l = 2,871 / 102,851, armed forces a = 4,325 / 102,846 (no contact: left out), everyone
# else r = 1 - e - l - a. Weight kept W = e + l + r = 1 - a = 0.957947.
# Topic mixes: Eastern European hate 9/12, drugs 3/12; LGBTQ+ road 3/3; everyone else
# (24 mentions from 20 contacts) drugs 14/24, anti-social behaviour 6/24, road 4/24.
E, L, A = 2885 / 126300, 2871 / 102851, 4325 / 102846
R, W = 1 - E - L - A, 1 - A
EXPECTED = {
    "hate_crime": E * 9 / 12 / W,  # 0.017884
    "drugs": (E * 3 / 12 + R * 14 / 24) / W,  # 0.558387
    "anti_social_behaviour": R * 6 / 24 / W,  # 0.236754
    "road_safety": (L + R * 4 / 24) / W,  # 0.186975
}


def test_the_page_figures_from_the_database(priorities_db):
    con = duckdb.connect(str(priorities_db), read_only=True)
    try:
        params = dict(
            start_date=date(2021, 1, 1),
            end_date=date(2021, 12, 31),
            area_codes=[],
            channels=[],
            directions=[],
        )
        raw = run_query(con, "priority_contacts", **params, by_people=False)
        shares = priorities.population_shares(run_query(con, "priority_population"))
    finally:
        con.close()
    assert shares == pytest.approx(
        {"eastern_european": E, "lgbtq": L, "armed_forces": A, REMAINDER: R}
    )
    compared = priorities.compare(priorities.kinds(raw), shares).set_index("topic")
    assert compared["share_reweighted"].to_dict() == pytest.approx(EXPECTED)
    # As heard, every contact once: 39 mentions; drugs 3 + 10 + 4 = 17.
    assert compared["mentions"].to_dict() == {
        "drugs": 17,
        "anti_social_behaviour": 6,
        "road_safety": 7,
        "hate_crime": 9,
    }
    assert compared.attrs["left_out"] == {"armed_forces": NO_MENTIONS}


def test_the_page_ranks_topics_as_heard_and_reweighted(priorities_db, monkeypatch):
    at = open_page(priorities_db, monkeypatch, "priorities")
    ranking = table_with(at, "Topic", "Share as heard", "Rank reweighted").set_index("Topic")
    # heard: drugs 17/39 = 44%, hate 9/39 = 23%, road 7/39 = 18%, ASB 6/39 = 15%
    assert ranking["Share as heard"].to_dict() == {
        "Drugs": "44%",
        "Anti-social behaviour": "15%",
        "Road safety": "18%",
        "Hate crime": "23%",
    }
    assert ranking["Share reweighted"].to_dict() == {
        "Drugs": "56%",
        "Anti-social behaviour": "24%",
        "Road safety": "19%",
        "Hate crime": "2%",
    }
    assert ranking["Move"].to_dict() == {
        "Drugs": "● same place",
        "Anti-social behaviour": "▲ up 2 places",
        "Road safety": "● same place",
        "Hate crime": "▼ down 2 places",
    }
    bars = chart(at, "priorities_chart")["data"]
    assert [b["name"] for b in bars] == ["Share as heard", "Share reweighted"]
    assert bars[1]["x"][0] == pytest.approx(100 * EXPECTED["drugs"])
    assert "Drugs 44% heard, 56% reweighted" in chart_alt(at, "priorities_chart")
    # the bootstrap is fixed-seed, so the figures are too
    assert ranking["Rank stability"].to_dict() == {
        "Drugs": "1st in 98% of resamples",
        "Anti-social behaviour": "2nd in 66% of resamples",
        "Road safety": "3rd in 67% of resamples",
        "Hate crime": "4th in 100% of resamples",
    }
    assert "Every contact once" in texts(at) or any(
        "every contact once" in c.value for c in at.caption
    )
    community = table_with(at, "Community", "Share (95% CI)")
    row = community[
        (community["Community"] == "Eastern European") & (community["Topic"] == "Hate crime")
    ]
    # 9 of 12: Wilson 95% interval 46.8% to 91.1%
    assert row["Share (95% CI)"].tolist() == ["75% (47% to 91%)"]
    thin = community[community["Community"] == "LGBTQ+"]
    assert set(thin["Note"]) == {"too few to say"}
    warnings = " ".join(w.value for w in at.warning)
    assert "Armed forces veterans: no contacts raised a topic" in warnings
    assert "LGBTQ+: 3 contacts, too few to say" in warnings
    # 2021: the road safety objective (from April 2022) does not count yet
    assert "Reweighted top-five concerns no objective covers: Road safety, Hate crime." in warnings
    cover = table_with(at, "Top concerns", "Not covered").set_index("Community")
    assert cover.loc["Eastern European", "Top concerns"] == "Hate crime, Drugs"
    assert cover.loc["Eastern European", "Not covered"] == "Hate crime"
    assert cover.loc["Everyone else", "All covered"] == "no"
    # LGBTQ+ has 3 contacts: no top concerns are named for it
    assert cover.loc["LGBTQ+", ["Top concerns", "All covered", "Note"]].tolist() == [
        "",
        "",
        "too few to say",
    ]


def test_weighted_by_people_reached(priorities_db, monkeypatch):
    # people_reached numbers the fixture rows 1..35 in order: drugs 10+11+12 (Eastern
    # European) + 16..25 (everyone else) + 32..35 (road and drugs) = 33 + 205 + 134 = 372
    at = open_page(priorities_db, monkeypatch, "priorities", priorities_weight="people")
    ranking = table_with(at, "Topic", "People reached by contacts raising it").set_index("Topic")
    assert ranking["People reached by contacts raising it"].to_dict() == {
        "Drugs": "372",
        "Anti-social behaviour": "171",
        "Road safety": "176",
        "Hate crime": "45",
    }


def test_the_public_audience_is_told_to_choose_another(priorities_db, monkeypatch):
    at = open_page(priorities_db, monkeypatch, "priorities", audience="public")
    assert any("for inspectors and leadership reviews" in i.value for i in at.info)
    assert not at.dataframe


@pytest.mark.parametrize("audience", ["inspector", "leadership"])
def test_the_page_runs_on_demonstration_data(demo_db_path, monkeypatch, audience):
    at = open_page(demo_db_path, monkeypatch, "priorities", audience=audience)
    ranking = table_with(at, "Topic", "Share as heard", "Rank reweighted")
    assert len(ranking) == 9  # every topic of the vocabulary is raised somewhere
    assert ranking["Rank stability"].str.contains("of resamples").any()
