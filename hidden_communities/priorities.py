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

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import Locale
from babel import numbers as babel_numbers

from . import charts, registry, settings, stats, text, vocab
from .disclosure import DisclosureSpec
from .tables import is_missing

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
    """A rank in the current language: 1st, 2nd, 3rd, 4th, ..., 11th, 21st in English, "1.",
    "2." in Polish. The form (one, two, few, other) is the language's CLDR ordinal rule; the
    catalogue writes each (`priorities_words.ordinal.<form>`)."""
    form = Locale.parse(text.locale_code()).ordinal_form(rank)
    key = f"priorities_words.ordinal.{form}"
    own = text.catalogue(text.current_language())
    return text.t(key if key in own else "priorities_words.ordinal.other", n=text.number(rank))


# --- The page: contacts by kind, population shares, the tables shown -----------------

OBJECTIVES_FILE = settings.PROJECT_ROOT / "data" / "objectives.toml"
TOP_CONCERNS = 3  # a community's top concerns: the topics most of its contacts raise
TOP_REWEIGHTED = 5
NOT_A_CONCERN = ("other",)  # no objective could name it: left out of the coverage check
COMPARE_SPEC = DisclosureSpec(
    counts=("mentions",),
    derived=dict.fromkeys(
        ("share_heard", "share_reweighted", "rank_heard", "rank_reweighted", "stability"),
        "mentions",
    ),
    totals_shown=False,
)
COMMUNITY_SPEC = DisclosureSpec(
    counts=("raising", "contacts"),
    derived=dict.fromkeys(("share", "lower", "upper"), ("raising", "contacts")),
    totals_shown=False,
)


def kinds(raw: pd.DataFrame) -> pd.DataFrame:
    """The query's contact kinds with `groups`: the communities a contact names, else the
    remainder when its community was recorded, else UNRECORDED."""
    groups = [
        list(comms) if len(comms) else [REMAINDER if recorded else UNRECORDED]
        for comms, recorded in zip(raw["communities"], raw["community_recorded"], strict=True)
    ]
    return raw.assign(groups=groups, topics=[list(t) for t in raw["topics"]])


def population_shares(population: pd.DataFrame) -> dict[str, float | None]:
    """Community -> residents over its population base (unknown where the census has no
    figure) and the remainder the rest of the district. The
    communities overlap a little (an Eastern European veteran); the shares are not
    adjusted for it."""
    shares: dict[str, float | None] = {}
    for rec in population.itertuples(index=False):
        known = pd.notna(rec.residents) and pd.notna(rec.population_base) and rec.population_base
        shares[rec.community] = float(rec.residents) / float(rec.population_base) if known else None
    for code in registry.codes():
        shares.setdefault(code, None)
    shares[REMAINDER] = max(0.0, 1.0 - sum(s for s in shares.values() if s is not None))
    return shares  # UNRECORDED has no share: its contacts are heard but carry no weight


def compare(contacts: pd.DataFrame, shares: Mapping[str, float | None], **boot) -> pd.DataFrame:
    """Per topic: mentions (every contact once, or weighted), share and rank as heard,
    reweighted share and rank, the move (up, down, same) and its rank stability. As heard,
    a contact naming two communities counts once; left-out communities are in attrs."""
    result = reweight(explode(contacts), shares)
    rows = contacts.assign(mentions=contacts["weight"] * contacts["contacts"]).explode("topics")
    mentions = rows.groupby("topics")["mentions"].sum()
    result["mentions"] = result["topic"].map(mentions).astype("int64")
    result["share_heard"] = result["mentions"] / result["mentions"].sum()
    result["rank_heard"] = _ranks(result["share_heard"].to_numpy())
    stable = rank_stability(contacts, shares, **boot).set_index("topic")["stability"]
    result["stability"] = result["topic"].map(stable)
    result["move"] = np.select(
        [
            result["rank_reweighted"].isna(),
            result["rank_reweighted"] < result["rank_heard"],
            result["rank_reweighted"] > result["rank_heard"],
        ],
        ["", "up", "down"],
        "same",
    )
    return result


def by_community(contacts: pd.DataFrame) -> pd.DataFrame:
    """Per community (and everyone else) and topic: contacts raising it, the community's
    contacts, the share with its 95% Wilson interval (each contact once), thin: fewer
    than THIN contacts."""
    rows = contacts.explode("groups")
    totals = rows.groupby("groups")["contacts"].sum()
    raising = rows.explode("topics").groupby(["groups", "topics"])["contacts"].sum()
    topics = sorted({t for ts in contacts["topics"] for t in ts})
    order = [g for g in [*registry.codes(), REMAINDER, UNRECORDED] if g in totals.index]
    frame = pd.DataFrame(
        [(g, t, int(raising.get((g, t), 0)), int(totals[g])) for g in order for t in topics],
        columns=["community", "topic", "raising", "contacts"],
    )
    frame = stats.add_proportion_intervals(frame, "raising", "contacts", prefix="share")
    frame = frame.rename(columns={"share_lower": "lower", "share_upper": "upper"})
    frame["thin"] = frame["contacts"] < THIN
    return frame


def thin_communities(contacts: pd.DataFrame) -> dict[str, int]:
    """Registry communities with fewer than THIN contacts: code -> contacts."""
    rows = contacts.explode("groups")
    totals = rows.groupby("groups")["contacts"].sum()
    return {c: int(totals.get(c, 0)) for c in registry.codes() if totals.get(c, 0) < THIN}


@dataclass(frozen=True)
class Objective:
    objective: str
    topics: tuple[str, ...]
    start: date
    end: date
    translations: Mapping[str, str] | None = None  # language code -> the objective in it

    def active(self, start: date, end: date) -> bool:
        return self.start <= end and self.end >= start

    def words(self) -> str:
        """The objective in the current language, as written in the file when it has no
        translation into it."""
        return (self.translations or {}).get(text.current_language(), self.objective)


def load_objectives(path: Path = OBJECTIVES_FILE) -> list[Objective]:
    """The objectives file; a topic code outside the vocabulary is a ValueError."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = []
    for n, item in enumerate(data.get("objective", []), start=1):
        unknown = [t for t in item["topics"] if t not in vocab.TOPICS]
        if unknown:
            raise ValueError(f"objective {n}: unknown topic code(s) {', '.join(unknown)}")
        found.append(
            Objective(
                item["objective"],
                tuple(item["topics"]),
                item["start"],
                item["end"],
                dict(item.get("translations", {})),
            )
        )
    return found


def coverage(
    communities: pd.DataFrame, compared: pd.DataFrame, objectives: list[Objective]
) -> tuple[pd.DataFrame, list[str]]:
    """Per community: its top concerns (codes, most raised first; none when it is thin,
    too few to say), those no objective covers, and whether all are covered (None when
    thin); and the reweighted top-5 topics no objective covers. "Other" is no concern an
    objective could name and is left out of both. `objectives` are those active in the
    period."""
    covered = {t for o in objectives for t in o.topics}
    rows = []
    for code, part in communities.groupby("community", sort=False):
        thin = bool(part["thin"].iloc[0])
        raised = part[(part["raising"] > 0) & ~part["topic"].isin(NOT_A_CONCERN)]
        raised = raised.sort_values(["share", "topic"], ascending=[False, True])
        top = [] if thin else list(raised["topic"].head(TOP_CONCERNS))  # too few to say
        missing = [t for t in top if t not in covered]
        rows.append((code, top, missing, None if thin else not missing, thin))
    frame = pd.DataFrame(rows, columns=["community", "top", "uncovered", "all_covered", "thin"])
    ranked = compared.dropna(subset=["rank_reweighted"])
    top5 = ranked[ranked["rank_reweighted"] <= TOP_REWEIGHTED]["topic"]
    return frame, [t for t in top5 if t not in covered and t not in NOT_A_CONCERN]


# --- Words: display tables (codes become words here, from the catalogue) --------------


def group_label(code: str) -> str:
    if code in (REMAINDER, UNRECORDED):
        return text.t(f"priorities.group_{code}")
    return text.community(code)


def _percent(value) -> str:
    return "" if is_missing(value) else text.percent(value, 0)


def _count(value) -> str:
    return "" if is_missing(value) else text.number(int(value))


def move_words(move: str, heard: object, reweighted: object) -> str:
    """An arrow and words: "▲ up 2 places", "▼ down 1 place", "● same place"."""
    if not move or is_missing(heard) or is_missing(reweighted):
        return ""
    places = abs(int(heard) - int(reweighted))
    if move == "same":
        return text.t("priorities.move_same")
    return text.t(
        f"priorities_words.move_{move}", places=text.plural("priorities_words.places", places)
    )


def stability_words(rank: object, stability: object) -> str:
    if is_missing(rank) or is_missing(stability):
        return ""
    return text.t("priorities.stability", rank=ordinal(int(rank)), share=_percent(stability))


def compare_display(compared: pd.DataFrame, by_people: bool) -> pd.DataFrame:
    """The ranking side by side, in words, from the disclosed frame."""
    raised = text.t("priorities.col_people" if by_people else "priorities.col_contacts")
    rows = []
    for rec in compared.itertuples(index=False):
        rows.append(
            {
                text.t("priorities.col_topic"): text.label("topic", rec.topic),
                raised: _count(rec.mentions),
                text.t("priorities.col_share_heard"): _percent(rec.share_heard),
                text.t("priorities.col_rank_heard"): ""
                if is_missing(rec.rank_heard)
                else ordinal(int(rec.rank_heard)),
                text.t("priorities.col_share_reweighted"): _percent(rec.share_reweighted),
                text.t("priorities.col_rank_reweighted"): ""
                if is_missing(rec.rank_reweighted)
                else ordinal(int(rec.rank_reweighted)),
                text.t("priorities.col_move"): move_words(
                    rec.move, rec.rank_heard, rec.rank_reweighted
                ),
                text.t("priorities.col_stability"): stability_words(
                    rec.rank_reweighted, rec.stability
                ),
            }
        )
    return pd.DataFrame(rows)


def community_display(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for rec in frame.itertuples(index=False):
        share = ""
        if not is_missing(rec.share):
            share = text.t(
                "priorities_words.interval",
                value=_percent(rec.share),
                lower=_percent(rec.lower),
                upper=_percent(rec.upper),
            )
        rows.append(
            {
                text.t("priorities.col_community"): group_label(rec.community),
                text.t("priorities.col_topic"): text.label("topic", rec.topic),
                text.t("priorities.col_raising"): _count(rec.raising),
                text.t("priorities.col_community_contacts"): _count(rec.contacts),
                text.t("priorities.col_share"): share,
                text.t("priorities.col_note"): text.t("priorities.too_few") if rec.thin else "",
            }
        )
    return pd.DataFrame(rows)


def coverage_display(frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for rec in frame.itertuples(index=False):
        rows.append(
            {
                text.t("priorities.col_community"): group_label(rec.community),
                text.t("priorities.col_top"): ", ".join(text.label("topic", t) for t in rec.top),
                text.t("priorities.col_covered"): ""
                if rec.all_covered is None
                else text.t(
                    "priorities.covered_yes" if rec.all_covered else "priorities.covered_no"
                ),
                text.t("priorities.col_uncovered"): ", ".join(
                    text.label("topic", t) for t in rec.uncovered
                ),
                text.t("priorities.col_note"): text.t("priorities.too_few") if rec.thin else "",
            }
        )
    return pd.DataFrame(rows)


def left_out_sentence(left_out: Mapping[str, str], thin: Mapping[str, int]) -> str:
    """What the reweighting did with each community's weight, thin ones named."""
    parts = []
    for code, reason in left_out.items():
        parts.append(text.t(f"priorities.left_{reason}", group=group_label(code)))
    for code, n in thin.items():
        if code not in left_out:
            parts.append(text.t("priorities.thin_kept", group=group_label(code), n=_count(n)))
    return " ".join(parts)


def compare_chart(shown: pd.DataFrame) -> go.Figure:
    """Share as heard (grey) beside share reweighted (blue), one pair of bars a topic,
    from the disclosed frame; hidden cells draw no bar."""
    topics = [text.label("topic", t) for t in shown["topic"]]
    fig = go.Figure()
    for col, key, colour in (
        ("share_heard", "priorities.col_share_heard", registry.COMPARATOR_COLOUR),
        ("share_reweighted", "priorities.col_share_reweighted", "#0072B2"),
    ):
        values = pd.to_numeric(shown[col], errors="coerce")
        name = text.t(key)
        fig.add_trace(
            go.Bar(
                name=name,
                y=topics,
                x=(values * 100).tolist(),
                orientation="h",
                marker_color=colour,
                # The share written in the current language (12%, 12,5%), not plotly's own.
                customdata=[_percent(v) for v in values],
                hovertemplate="%{y}: %{customdata}<extra>" + name + "</extra>",
            )
        )
    charts.base_layout(fig, title=text.t("priorities.ranking"), height=120 + 40 * len(topics))
    locale = text.locale_code()
    fig.update_layout(
        barmode="group",
        legend=dict(orientation="h", y=-0.15),
        # Tick numbers with the language's decimal and thousands signs.
        separators=babel_numbers.get_decimal_symbol(locale)
        + babel_numbers.get_group_symbol(locale),
    )
    fig.update_xaxes(title_text=text.t("priorities_words.axis"), rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    return fig


def compare_alt(shown: pd.DataFrame) -> str:
    parts = []
    for rec in shown.itertuples(index=False):
        if is_missing(rec.share_heard) or is_missing(rec.share_reweighted):
            continue
        parts.append(
            text.t(
                "priorities.alt_part",
                topic=text.label("topic", rec.topic),
                heard=_percent(rec.share_heard),
                reweighted=_percent(rec.share_reweighted),
            )
        )
    return text.t("priorities.alt", parts="; ".join(parts))
