"""Whose voice sets local priorities: the topics raised in contacts as heard, and as they
would rank if each community spoke in proportion to its share of residents.

A community's topic mix is its mentions of each topic over all its mentions (a contact
raising two topics gives one mention to each). The reweighted share of a topic is the sum
over communities (and everyone else, the remainder) of the population share times the
topic mix, renormalised over the communities that have mentions and a known share; the
others are left out, each with its reason. Rank stability is a fixed-seed bootstrap over
contacts: the share of resamples in which a topic keeps its reweighted rank.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

REMAINDER = "everyone_else"  # everyone not in any of the registry's communities
UNRECORDED = "not_recorded"  # contacts whose community field was not filled in
NO_MENTIONS = "no_mentions"
SHARE_UNKNOWN = "share_unknown"
THIN = 10  # fewer contacts than this: "too few to say"
SEED = 20240414
RESAMPLES = 1000
COLUMNS = ["topic", "share_heard", "share_reweighted", "rank_heard", "rank_reweighted"]


def _reweight_arrays(mentions: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Reweighted topic shares from mentions (..., community, topic) and population shares
    (community,), NaN for unknown. NaN topic shares where no community can be used."""
    totals = mentions.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mix = np.where(totals > 0, mentions / np.where(totals > 0, totals, 1), 0.0)
    usable = (totals[..., 0] > 0) & ~np.isnan(shares)
    weight = np.where(usable, np.nan_to_num(shares), 0.0)
    total_weight = weight.sum(axis=-1, keepdims=True)
    weighted = (weight[..., None] * mix).sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            total_weight > 0, weighted / np.where(total_weight > 0, total_weight, 1), np.nan
        )


def _ranks(shares: np.ndarray) -> np.ndarray:
    """Rank 1 for the largest share along the last axis; ties share the better rank."""
    bigger = shares[..., None, :] > shares[..., :, None]
    return bigger.sum(axis=-1) + 1


def reweight(counts: pd.DataFrame, population_shares: Mapping[str, float | None]) -> pd.DataFrame:
    """One row per topic: share_heard, share_reweighted, rank_heard, rank_reweighted.

    counts: columns community, topic, mentions. population_shares: community code (and
    REMAINDER) -> share of residents, or None where unknown. The communities left out are
    in ``result.attrs["left_out"]``: code -> NO_MENTIONS or SHARE_UNKNOWN.
    """
    topics = sorted(counts["topic"].unique())
    groups = list(dict.fromkeys([*population_shares, *counts["community"].unique()]))
    table = (
        counts.groupby(["community", "topic"])["mentions"]
        .sum()
        .unstack("topic")
        .reindex(index=groups, columns=topics)
        .fillna(0)
    )
    mentions = table.to_numpy(dtype=float)
    shares = np.array(
        [
            np.nan if population_shares.get(g) is None else float(population_shares[g])
            for g in groups
        ]
    )
    left_out = {}
    for group, total, share in zip(groups, mentions.sum(axis=1), shares, strict=True):
        if total <= 0:
            left_out[group] = NO_MENTIONS
        elif np.isnan(share):
            left_out[group] = SHARE_UNKNOWN
    heard = mentions.sum(axis=0)
    heard = heard / heard.sum() if heard.sum() > 0 else heard
    reweighted = _reweight_arrays(mentions, shares) if topics else np.array([])
    result = pd.DataFrame(
        {
            "topic": topics,
            "share_heard": heard,
            "share_reweighted": reweighted,
            "rank_heard": _ranks(heard),
            "rank_reweighted": _ranks(np.nan_to_num(reweighted, nan=-1.0)),
        }
    )
    if np.isnan(reweighted).all():
        result["rank_reweighted"] = pd.NA
    result = result.sort_values(["rank_reweighted", "rank_heard", "topic"], ignore_index=True)
    result.attrs["left_out"] = left_out
    return result


def explode(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per-contact rows (groups: list of community codes or [REMAINDER] / [UNRECORDED],
    topics: list of topic codes, weight, contacts: how many identical contacts) to counts:
    community, topic, mentions."""
    rows = contacts.assign(mentions=contacts["weight"] * contacts["contacts"])
    rows = rows.explode("groups").explode("topics")
    rows = rows.rename(columns={"groups": "community", "topics": "topic"})
    rows = rows.dropna(subset=["community", "topic"])
    return rows.groupby(["community", "topic"], as_index=False)["mentions"].sum()


def rank_stability(
    contacts: pd.DataFrame,
    population_shares: Mapping[str, float | None],
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> pd.DataFrame:
    """Per topic, the share of bootstrap resamples (contacts drawn with replacement, as many
    as there are, with a fixed seed) in which it holds its reweighted rank.

    contacts: one row per kind of contact (groups, topics, weight, contacts), as for
    explode(). Contacts of the same kind are exchangeable, so the resample counts of each
    kind are one multinomial draw. Columns: topic, rank_reweighted, stability.
    """
    observed = reweight(explode(contacts), population_shares)
    topics = sorted(observed["topic"])
    groups = list(
        dict.fromkeys([*population_shares, *(g for gs in contacts["groups"] for g in gs)])
    )
    kinds = np.zeros((len(contacts), len(groups), len(topics)))
    g_index = {g: i for i, g in enumerate(groups)}
    t_index = {t: i for i, t in enumerate(topics)}
    for k, rec in enumerate(contacts.itertuples(index=False)):
        for g in rec.groups:
            for t in rec.topics:
                kinds[k, g_index[g], t_index[t]] += rec.weight
    n = int(contacts["contacts"].sum())
    shares = np.array(
        [
            np.nan if population_shares.get(g) is None else float(population_shares[g])
            for g in groups
        ]
    )
    if n == 0 or not topics:
        return observed[["topic", "rank_reweighted"]].assign(stability=np.nan)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, contacts["contacts"].to_numpy() / n, size=resamples)
    mentions = np.einsum("bk,kgt->bgt", draws.astype(float), kinds)
    re = np.nan_to_num(_reweight_arrays(mentions, shares), nan=-1.0)
    ranks = _ranks(re)
    rank_of = dict(zip(observed["topic"], observed["rank_reweighted"], strict=True))
    stability = [
        float(np.mean(ranks[:, t_index[t]] == rank_of[t])) if pd.notna(rank_of[t]) else np.nan
        for t in topics
    ]
    return pd.DataFrame(
        {"topic": topics, "rank_reweighted": [rank_of[t] for t in topics], "stability": stability}
    )


def ordinal(rank: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"
