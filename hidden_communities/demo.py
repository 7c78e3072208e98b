"""Demonstration records from a fixed seed: two years of contacts and crime reports.

The records are invented, but shaped by real figures:
- report volumes and the crime-type and outcome mixes are the district's published
  data.police.uk street-level crime (February and March 2024; January's anti-social
  behaviour feed is incomplete), with a summer peak;
- where communities live follows the census: LGB+ residents by the real MSOA shares;
  Eastern European residents concentrated in a few seeded town-centre LSOAs (the census
  publishes them for the district only, so this spatial pattern is invented and the app
  never presents it as census fact); veterans spread evenly;
- before the campaign launch the communities report and meet officers at well below their
  population share; afterwards proactive contact with them rises over six months;
- a few LSOAs get very few records, and one month has patchy community recording, so
  disclosure control and the data-quality panel have something to find.

The output is in the import format (text cells, as in the templates), and the database
build loads it through the same validation as a user's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from . import baselines, registry
from .columns import CONTACT_COLUMNS, REPORT_COLUMNS
from .settings import DATA_DIR

# The campaign's milestones in the demonstration (a "*" community means all of them).
DEMO_EVENTS = DATA_DIR / "demo" / "campaign_events.csv"


@dataclass(frozen=True)
class DemoConfig:
    seed: int = 20210412
    scale: float = 1.0  # multiplies every volume; the performance work uses 100+
    start: date = date(2020, 4, 1)
    months: int = 24
    launch: date = date(2021, 4, 12)
    video: date = date(2021, 5, 10)
    first_public_meeting: date = date(2021, 7, 15)
    patchy_month: str = "2021-12"  # community recording drops this month
    base_contacts_per_month: float = 320.0
    campaign_contacts_per_month: float = 25.0  # at full strength, six months after launch


@dataclass(frozen=True)
class DemoData:
    contacts: pd.DataFrame
    reports: pd.DataFrame
    events: pd.DataFrame


TEAM_OF_TOWN = {
    "Sutton-in-Ashfield": "Sutton",
    "Huthwaite": "Sutton",
    "Skegby": "Sutton",
    "Stanton Hill": "Sutton",
    "Kirkby-in-Ashfield": "Kirkby",
    "Annesley": "Kirkby",
    "Hucknall": "Hucknall",
    "Selston": "Rural South",
    "Jacksdale": "Rural South",
    "Underwood": "Rural South",
}

HATE_TYPES = ("violence_sexual_offences", "public_order", "criminal_damage_arson", "other_crime")


def month_starts(cfg: DemoConfig) -> pd.DatetimeIndex:
    return pd.date_range(cfg.start, periods=cfg.months, freq="MS")


def _season(months: pd.DatetimeIndex, amplitude: float) -> np.ndarray:
    # Peak in July, trough in January.
    return 1 + amplitude * np.cos(2 * np.pi * (months.month.to_numpy() - 7) / 12)


def launch_ramp(days_after_launch: np.ndarray) -> np.ndarray:
    """0 before the launch, rising linearly to 1 six months after it."""
    return np.clip(days_after_launch / 182.0, 0, 1)


def random_dates(rng: np.random.Generator, months: pd.DatetimeIndex, counts: np.ndarray):
    starts = np.repeat(months.to_numpy().astype("datetime64[D]"), counts)
    lengths = np.repeat(months.days_in_month.to_numpy(), counts)
    return starts + rng.integers(0, lengths).astype("timedelta64[D]")


def _join(flags: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Boolean membership arrays -> 'a;b' strings (empty string when none)."""
    out = np.full(n, "", dtype=object)
    for code, flag in flags.items():
        sep = np.where(out == "", "", ";")
        out = np.where(flag, out + sep + code, out)
    return out


def _choice_labels(rng, n: int, mix: dict[str, float]) -> np.ndarray:
    keys = np.array(list(mix), dtype=object)
    p = np.array(list(mix.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


class _Geography:
    """Where residents, and each community, live: LSOA weights from the census."""

    def __init__(
        self,
        areas: pd.DataFrame,
        population: pd.DataFrame,
        towns: pd.DataFrame,
        rng: np.random.Generator,
    ):
        lsoa = areas[areas["area_level"] == "lsoa"].sort_values("area_code").reset_index(drop=True)
        pop = population.set_index(["area_code", "measure"])["count"]
        self.codes = lsoa["area_code"].to_numpy()
        self.wards = lsoa["ward_code"].to_numpy()
        residents = np.array([pop[(c, "usual_residents")] for c in self.codes], dtype=float)
        # Crime is not spread evenly: a fixed, seeded unevenness, and three quiet LSOAs.
        unevenness = rng.lognormal(0, 0.45, len(self.codes))
        quiet = rng.choice(len(self.codes), size=3, replace=False)
        unevenness[quiet] *= 0.04
        self.weight = residents * unevenness
        self.weight /= self.weight.sum()
        # Where each community lives, relative to the district: its real small-area share
        # where the census has one, else an invented concentration in a few LSOAs, else
        # evenly spread.
        held = baselines.of_reference(population, areas)
        self.factors = {
            c.code: self._concentration(c, lsoa, population, residents, held, rng)
            for c in registry.communities()
        }
        ward_town = {}
        for town, wards in towns[["town", "wards"]].itertuples(index=False):
            for w in wards.split("; "):
                ward_town[w] = town
        ward_name = areas.set_index("area_code")["area_name"]
        self.team = np.array(
            [
                TEAM_OF_TOWN.get(ward_town.get(ward_name.get(w, ""), ""), "Sutton")
                for w in self.wards
            ],
            dtype=object,
        )

    def _concentration(self, community, lsoa, population, residents, held, rng) -> np.ndarray:
        n = len(self.codes)
        for level in ("lsoa", "msoa"):
            measure = community.baseline_at(level, held)
            if measure is None:
                continue
            rows = population[population["measure"] == measure].set_index("area_code")
            district_share = rows["count"].sum() / rows["denominator"].sum()
            share = (rows["count"] / rows["denominator"]) / district_share
            key = lsoa["area_code"] if level == "lsoa" else lsoa["msoa_code"]
            return key.map(share).fillna(1.0).to_numpy(dtype=float)
        if community.demo.hotspots:
            factor = np.full(n, 0.75)
            factor[rng.choice(n, size=community.demo.hotspots, replace=False)] = 3.5
            return factor / np.average(factor, weights=residents)
        return np.ones(n)

    def factor(self, community: str) -> np.ndarray:
        return self.factors[community]


def population_shares(population: pd.DataFrame, district_code: str) -> dict[str, float]:
    """Each community's share of its population universe in the district (census)."""
    rows = population[population["area_code"] == district_code].set_index("measure")
    return {
        c: rows.loc[m, "count"] / rows.loc[m, "denominator"]
        for c, m in registry.primary_measures().items()
    }


def generate(
    areas: pd.DataFrame,
    population: pd.DataFrame,
    towns: pd.DataFrame,
    calibration: pd.DataFrame,
    cfg: DemoConfig = DemoConfig(),
) -> DemoData:
    """Generate the demonstration records. Same inputs and seed give identical frames."""
    rng = np.random.default_rng(cfg.seed)
    geo = _Geography(areas, population, towns, rng)
    district = areas.loc[areas["area_level"] == "district", "area_code"].iloc[0]
    shares = population_shares(population, district)
    months = month_starts(cfg)
    reports = _reports(rng, geo, shares, calibration, months, cfg)
    contacts = _contacts(rng, geo, months, cfg)
    # Age bands from a stream of their own, so every other field is as it was before
    # records carried one.
    ages = np.random.default_rng([cfg.seed, 16])
    reports["age_band"] = _age_bands(ages, reports["victim_communities"], REPORT_AGES)
    contacts["age_band"] = _age_bands(ages, contacts["communities"], CONTACT_AGES)
    return DemoData(contacts=contacts, reports=reports, events=_events(cfg))


# The age mix of records: about 18% of victims are children and 8% of reports do not say;
# contacts are mostly with adults. Members of a community the census counts among adults
# are adults (or their age was not recorded).
REPORT_AGES = {"adult": 0.74, "under_16": 0.18, "not_recorded": 0.08}
CONTACT_AGES = {"adult": 0.91, "under_16": 0.04, "not_recorded": 0.05}


def _age_bands(rng, communities: pd.Series, mix: dict[str, float]) -> np.ndarray:
    n = len(communities)
    band = _choice_labels(rng, n, mix)
    adults_only = [c.code for c in registry.communities() if c.adults_only]
    listed = communities.str.split(";")
    member = listed.map(lambda codes: any(c in adults_only for c in codes)).to_numpy(bool)
    return np.where(member & (band == "under_16"), "adult", band)


def _reports(rng, geo: _Geography, shares, calibration: pd.DataFrame, months, cfg) -> pd.DataFrame:
    full = calibration[calibration["month"].isin(["2024-02", "2024-03"])]
    by_type = full.groupby("crime_type")["records"].sum() / 2  # a month's worth
    outcome_mix = full.groupby(["crime_type", "outcome"])["records"].sum()
    expected = by_type.sum() * _season(months, 0.08) * cfg.scale
    counts = rng.poisson(expected)
    n = int(counts.sum())
    reported = random_dates(rng, months, counts)
    month_label = pd.DatetimeIndex(reported).strftime("%Y-%m").to_numpy()
    ramp = launch_ramp((reported - np.datetime64(cfg.launch)).astype(int))

    crime = _choice_labels(rng, n, by_type.to_dict())
    outcome = np.empty(n, dtype=object)
    for ctype in by_type.index:
        idx = np.flatnonzero(crime == ctype)
        outcome[idx] = _choice_labels(rng, len(idx), outcome_mix.loc[ctype].to_dict())

    lsoa_idx = rng.choice(len(geo.codes), size=n, p=geo.weight)
    area = geo.codes[lsoa_idx].astype(object)
    area[rng.random(n) < 0.02] = ""  # location not recorded
    lag = rng.geometric(0.55, n) - 1
    occurred = (reported - lag.astype("timedelta64[D]")).astype(str).astype(object)
    occurred[rng.random(n) < 0.08] = ""

    recorded_p = np.where(month_label == cfg.patchy_month, 0.2, 0.62 + 0.1 * ramp)
    recorded = rng.random(n) < recorded_p
    members = {}
    for community in registry.communities():
        c, profile = community.code, community.demo
        before, after = profile.reporting_before, profile.reporting_after
        propensity = before + (after - before) * ramp
        members[c] = recorded & (rng.random(n) < shares[c] * propensity * geo.factor(c)[lsoa_idx])
    victim = _join(members, n)
    victim = np.where(recorded & (victim == ""), "none", victim)
    victim = np.where(~recorded, "not_recorded", victim)

    hate_eligible = np.isin(crime, HATE_TYPES)
    strand = np.full(n, "", dtype=object)
    general = hate_eligible & (rng.random(n) < 0.03)
    strand[general] = _choice_labels(
        rng,
        int(general.sum()),
        {
            "race_nationality": 0.70,
            "disability": 0.09,
            "religion": 0.07,
            "sexual_orientation": 0.11,
            "transgender_identity": 0.03,
        },
    )
    for community in registry.communities():
        profile = community.demo
        if not (profile.hate_share and profile.hate_strands):
            continue
        hate = hate_eligible & members[community.code] & (rng.random(n) < profile.hate_share)
        if len(profile.hate_strands) == 1:
            strand[hate] = next(iter(profile.hate_strands))
        else:
            strand[hate] = _choice_labels(rng, int(hate.sum()), profile.hate_strands)

    year = pd.DatetimeIndex(reported).strftime("%y").to_numpy().astype(object)
    reference = year + "/" + pd.Series(np.arange(1, n + 1)).map("{:06d}".format).to_numpy()
    order = np.argsort(reported, kind="stable")
    frame = (
        pd.DataFrame(
            {
                "reference": reference,
                "reported_on": reported.astype(str),
                "occurred_on": occurred,
                "area": area,
                "team": np.where(area == "", "", geo.team[lsoa_idx]),
                "crime_type": crime,
                "hate_strands": strand,
                "victim_communities": victim,
                "outcome": outcome,
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    return frame[[c.name for c in REPORT_COLUMNS if c.name in frame]]  # age: generate()


def _contacts(rng, geo: _Geography, months, cfg) -> pd.DataFrame:
    base_counts = rng.poisson(cfg.base_contacts_per_month * _season(months, 0.12) * cfg.scale)
    month_mid = (months + pd.Timedelta(days=14)).to_numpy().astype("datetime64[D]")
    ramp_month = launch_ramp((month_mid - np.datetime64(cfg.launch)).astype(int))
    camp_counts = rng.poisson(cfg.campaign_contacts_per_month * ramp_month * cfg.scale)
    n_base, n_camp = int(base_counts.sum()), int(camp_counts.sum())
    n = n_base + n_camp
    dates = np.concatenate(
        [random_dates(rng, months, base_counts), random_dates(rng, months, camp_counts)]
    )
    # Campaign contacts start on launch day, not on the first of its month.
    dates[n_base:] = np.maximum(dates[n_base:], np.datetime64(cfg.launch))
    campaign = np.arange(n) >= n_base
    month_label = pd.DatetimeIndex(dates).strftime("%Y-%m").to_numpy()

    lsoa_idx = rng.choice(len(geo.codes), size=n, p=geo.weight)
    members = {}
    profiles = {c.code: c.demo for c in registry.communities()}
    focus = _choice_labels(rng, n, {c: p.campaign_weight for c, p in profiles.items()})
    second = rng.random(n) < 0.1
    for c, profile in profiles.items():
        base_hit = rng.random(n) < profile.contact_share * geo.factor(c)[lsoa_idx]
        members[c] = np.where(campaign, (focus == c) | (second & (rng.random(n) < 0.3)), base_hit)
    recorded_p = np.where(month_label == cfg.patchy_month, 0.4, np.where(campaign, 0.98, 0.85))
    recorded = rng.random(n) < recorded_p
    communities = _join({c: m & recorded for c, m in members.items()}, n)
    communities = np.where(recorded & (communities == ""), "none", communities)
    communities = np.where(~recorded, "not_recorded", communities)
    no_one = np.zeros(n, dtype=bool)
    shoppers = np.logical_or.reduce(
        [members[c] for c, p in profiles.items() if p.shop_visits] or [no_one]
    )

    channel = np.where(
        campaign,
        _choice_labels(
            rng,
            n,
            {
                "community_leader": 0.25,
                "social_media": 0.24,
                "face_to_face": 0.3,
                "phone": 0.11,
                "public_meeting": 0.05,
                "video_online": 0.05,
            },
        ),
        _choice_labels(
            rng,
            n,
            {
                "face_to_face": 0.45,
                "phone": 0.32,
                "social_media": 0.1,
                "community_leader": 0.05,
                "public_meeting": 0.04,
                "video_online": 0.04,
            },
        ),
    )
    # No public meetings before the first one, no Polish video before it was published.
    channel = np.where(
        (channel == "public_meeting") & (dates < np.datetime64(cfg.first_public_meeting)),
        "community_leader",
        channel,
    )
    channel = np.where(
        (channel == "video_online") & campaign & (dates < np.datetime64(cfg.video)),
        "social_media",
        channel,
    )
    direction = np.where(rng.random(n) < np.where(campaign, 0.9, 0.35), "proactive", "reactive")

    place = np.empty(n, dtype=object)
    f2f = channel == "face_to_face"
    place[f2f] = _choice_labels(
        rng,
        int(f2f.sum()),
        {
            "street": 0.45,
            "community_venue": 0.2,
            "home_visit": 0.15,
            "police_station": 0.1,
            "specialist_food_shop": 0.1,
        },
    )
    shop = f2f & shoppers & campaign & (rng.random(n) < 0.6)
    place[shop] = "specialist_food_shop"
    place[channel == "phone"] = "phone"
    place[np.isin(channel, ["social_media", "video_online"])] = "online"
    place[channel == "public_meeting"] = "public_meeting"
    leader = channel == "community_leader"
    place[leader] = np.where(rng.random(int(leader.sum())) < 0.7, "community_venue", "phone")

    people = np.ones(n, dtype=int)
    meeting = channel == "public_meeting"
    people[meeting] = rng.integers(8, 60, int(meeting.sum()))
    online = np.isin(channel, ["social_media", "video_online"])
    people[online] = np.minimum(rng.geometric(0.02, int(online.sum())), 5000)
    small_group = ~(meeting | online) & (rng.random(n) < 0.15)
    people[small_group] = rng.integers(2, 6, int(small_group.sum()))

    # Members of a community with languages of its own speak them; others mostly English.
    speakers = no_one.copy()
    spoken = np.full(n, "english", dtype=object)
    for c, profile in profiles.items():
        if profile.languages:
            spoken = np.where(members[c], _choice_labels(rng, n, profile.languages), spoken)
            speakers |= members[c]
    language = np.where(speakers, spoken, np.where(rng.random(n) < 0.97, "english", "other"))
    topics = _topics(rng, members, n)
    follow_up = np.where(rng.random(n) < 0.15, "yes", "no")
    note = np.full(n, "", dtype=object)
    leaflet = speakers & (language != "english") & (rng.random(n) < 0.2)
    note[leaflet] = "Leaflets left in the language used; community leader to share the video."

    area = geo.codes[lsoa_idx].astype(object)
    ward_only = rng.random(n) < 0.08
    area[ward_only] = geo.wards[lsoa_idx][ward_only]  # the officer recorded only the ward
    area[rng.random(n) < 0.04] = ""
    team = geo.team[lsoa_idx].astype(object)
    order = np.argsort(dates, kind="stable")
    frame = (
        pd.DataFrame(
            {
                "contact_date": dates.astype(str),
                "area": area,
                "team": team,
                "communities": communities,
                "channel": channel,
                "direction": direction,
                "place_type": place,
                "people_reached": people.astype(str),
                "language": language,
                "topics": topics,
                "follow_up_needed": follow_up,
                "note": note,
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    return frame[[c.name for c in CONTACT_COLUMNS if c.name in frame]]  # age: generate()


def _topics(rng, members: dict[str, np.ndarray], n: int) -> np.ndarray:
    general = _choice_labels(
        rng,
        n,
        {
            "anti_social_behaviour": 0.35,
            "drugs": 0.15,
            "road_safety": 0.15,
            "fraud_scams": 0.1,
            "other": 0.25,
        },
    )
    first = general.copy()
    for community in registry.communities():
        mine = members[community.code]
        first[mine] = _choice_labels(rng, n, community.demo.topics)[mine]
    second = np.where(rng.random(n) < 0.3, general, "")
    return np.where((second != "") & (second != first), first + ";" + second, first)


def _events(cfg: DemoConfig) -> pd.DataFrame:
    """The campaign's milestones (data/demo/campaign_events.csv). A `when` that names a
    DemoConfig date (launch, video, ...) follows the configuration; a `*` community list
    means every registered community; codes not registered are left out."""
    note = "Demonstration date, illustrative of the campaign's milestones."
    listed = pd.read_csv(DEMO_EVENTS, dtype=str, keep_default_na=False)
    known = registry.codes()
    rows = []
    for when, kind, title, communities in listed.itertuples(index=False):
        day = getattr(cfg, when) if hasattr(cfg, when) else date.fromisoformat(when)
        codes = known if communities == "*" else [c for c in communities.split(";") if c in known]
        rows.append(
            {
                "event_date": day,
                "kind": kind,
                "title": title,
                "description": note,
                "communities": list(codes),
            }
        )
    return pd.DataFrame(rows)
