"""A national-shaped demonstration: records in every district of England and Wales, fast.

`build-db --national` uses it. The shape is the district demonstration's (demo.py): two
years from April 2020, a campaign launched in April 2021 after which proactive contact
with the communities rises over six months and members report more, a patchy month of
community recording, the same channel, crime-type and outcome mixes. What changes is the
geography and the size:

- each district gets records in proportion to its residents (Census 2021, districts.csv),
  at the district demonstration's volumes per resident (Ashfield's published street-level
  crime for reports) times `scale`; scale 1 is about 3.6 million contacts and 11 million
  reports, so 10 M / 30 M is about scale 2.8;
- each community appears in a district's records in proportion to the district's own
  census share (its primary measure, district_population.csv);
- records name their district directly (`area_code` = the district's code), so a
  national database compares districts, not LSOAs.

Everything is drawn with vectorised numpy from a fixed seed (the same seed and scale give
the same rows) and written with bulk INSERT ... SELECT (queries/national_demo_*.sql), not
through the row-by-row import: each kind is one demonstration import (flagged, so every
page shows the demonstration banner), and the rollups are counted once at the end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import numpy as np
import pandas as pd

from queries import execute, scalar

from . import demo, registry, rollups, vocab

# The district demonstration's volumes per resident a month: 320 contacts a month and
# 25 campaign contacts at full strength for Ashfield's 126,300 residents.
ASHFIELD_RESIDENTS = 126_300
CHUNK = 2_000_000  # records generated and inserted at a time (bounded memory)


@dataclass(frozen=True)
class NationalConfig:
    seed: int = 20210412
    scale: float = 1.0
    demo: demo.DemoConfig = demo.DemoConfig()


@dataclass(frozen=True)
class Built:
    contacts: int
    reports: int
    districts: int


def _labels(rng, n: int, mix: dict[str, float]) -> np.ndarray:
    """Indices into `list(mix)` drawn with the mix's weights."""
    p = np.array(list(mix.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=list(categories))


class _Nation:
    """The districts, their residents and each community's share in them."""

    def __init__(self, districts: pd.DataFrame, population: pd.DataFrame):
        districts = districts.sort_values("district_code").reset_index(drop=True)
        self.codes = districts["district_code"].to_numpy()
        pop = population.set_index(["district_code", "measure"])
        self.residents = np.array(
            [pop.loc[(c, registry.ALL_AGES), "count"] for c in self.codes], dtype=float
        )
        self.weight = self.residents / self.residents.sum()
        self.share = {}  # community -> its census share in each district
        for c in registry.communities():
            rows = pop.xs(c.primary_measure, level="measure").reindex(self.codes)
            self.share[c.code] = (rows["count"] / rows["denominator"]).to_numpy(dtype=float)
        # Relative to the nation: 1 where a district's share is the national share.
        self.factor = {c: s / np.average(s, weights=self.residents) for c, s in self.share.items()}


def _age_band(rng, n: int, mix: dict[str, float], adult_member: np.ndarray) -> pd.Categorical:
    band = _labels(rng, n, mix)
    under_16 = list(mix).index("under_16")
    band = np.where(adult_member & (band == under_16), list(mix).index("adult"), band)
    return _categorical(band, mix)


def _bits(members: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Membership as a bit mask over the registry's order (bit i-1 for the i-th)."""
    mask = np.zeros(n, dtype=np.int16)
    for i, code in enumerate(registry.codes()):
        mask |= members[code].astype(np.int16) << i
    return mask


def _adult_member(members: dict[str, np.ndarray], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for c in registry.communities():
        if c.adults_only:
            out |= members[c.code]
    return out


CONTACT_CHANNELS_BEFORE = {
    "face_to_face": 0.45,
    "phone": 0.32,
    "social_media": 0.1,
    "community_leader": 0.05,
    "public_meeting": 0.04,
    "video_online": 0.04,
}
CONTACT_CHANNELS_CAMPAIGN = {
    "community_leader": 0.25,
    "social_media": 0.24,
    "face_to_face": 0.3,
    "phone": 0.11,
    "public_meeting": 0.05,
    "video_online": 0.05,
}
# The place a channel's contact happens (face to face: street, venue, home, station).
PLACE_OF_CHANNEL = {
    "community_leader": "community_venue",
    "social_media": "online",
    "phone": "phone",
    "public_meeting": "public_meeting",
    "video_online": "online",
}
FACE_TO_FACE_PLACES = {
    "street": 0.5,
    "community_venue": 0.2,
    "home_visit": 0.18,
    "police_station": 0.12,
}
GENERAL_TOPICS = {
    "anti_social_behaviour": 0.35,
    "drugs": 0.15,
    "road_safety": 0.15,
    "fraud_scams": 0.1,
    "other": 0.25,
}
GENERAL_STRANDS = {
    "race_nationality": 0.70,
    "disability": 0.09,
    "religion": 0.07,
    "sexual_orientation": 0.11,
    "transgender_identity": 0.03,
}


def contact_frame(rng, nation: _Nation, cfg: NationalConfig) -> pd.DataFrame:
    """Every contact, in the insert's shape (see queries/national_demo_contacts.sql)."""
    d = cfg.demo
    months = demo.month_starts(d)
    season = 1 + 0.12 * np.cos(2 * np.pi * (months.month.to_numpy() - 7) / 12)
    people = nation.residents.sum() / ASHFIELD_RESIDENTS * cfg.scale
    base = rng.poisson(d.base_contacts_per_month * season * people)
    mid = (months + pd.Timedelta(days=14)).to_numpy().astype("datetime64[D]")
    camp = rng.poisson(
        d.campaign_contacts_per_month
        * demo.launch_ramp((mid - np.datetime64(d.launch)).astype(int))
        * people
    )
    n_base = int(base.sum())
    n = n_base + int(camp.sum())
    dates = np.concatenate(
        [demo.random_dates(rng, months, base), demo.random_dates(rng, months, camp)]
    )
    campaign = np.arange(n) >= n_base
    dates[campaign] = np.maximum(dates[campaign], np.datetime64(d.launch))
    district = rng.choice(len(nation.codes), size=n, p=nation.weight)
    profiles = {c.code: c.demo for c in registry.communities()}
    weights = sum(p.campaign_weight for p in profiles.values())
    members = {}
    for c, p in profiles.items():
        factor = nation.factor[c][district]
        base_hit = rng.random(n) < p.contact_share * factor
        camp_hit = rng.random(n) < np.minimum(p.campaign_weight / weights * factor, 1)
        members[c] = np.where(campaign, camp_hit, base_hit)
    month_of = dates.astype("datetime64[M]")
    patchy = month_of == np.datetime64(d.patchy_month)
    recorded = rng.random(n) < np.where(patchy, 0.4, np.where(campaign, 0.98, 0.85))
    members = {c: m & recorded for c, m in members.items()}
    channels = list(vocab.enums()["channel"])
    before = np.array([channels.index(k) for k in CONTACT_CHANNELS_BEFORE])
    during = np.array([channels.index(k) for k in CONTACT_CHANNELS_CAMPAIGN])
    channel = np.where(
        campaign,
        during[_labels(rng, n, CONTACT_CHANNELS_CAMPAIGN)],
        before[_labels(rng, n, CONTACT_CHANNELS_BEFORE)],
    )
    meeting = channel == channels.index("public_meeting")
    channel[meeting & (dates < np.datetime64(d.first_public_meeting))] = channels.index(
        "community_leader"
    )
    places = list(vocab.enums()["place_type"])
    place = np.array([places.index(PLACE_OF_CHANNEL.get(ch, "street")) for ch in channels])[channel]
    face = channel == channels.index("face_to_face")
    f2f = np.array([places.index(k) for k in FACE_TO_FACE_PLACES])
    place[face] = f2f[_labels(rng, int(face.sum()), FACE_TO_FACE_PLACES)]
    reached = np.ones(n, dtype=np.int32)
    meeting = channel == channels.index("public_meeting")
    reached[meeting] = rng.integers(8, 60, int(meeting.sum()))
    online = np.isin(channel, [channels.index("social_media"), channels.index("video_online")])
    reached[online] = np.minimum(rng.geometric(0.02, int(online.sum())), 5000)
    directions = list(vocab.enums()["direction"])
    proactive = rng.random(n) < np.where(campaign, 0.9, 0.35)
    direction = np.where(proactive, directions.index("proactive"), directions.index("reactive"))
    languages = list(vocab.enums()["language"])
    language = np.full(n, languages.index("english"))
    topics = list(vocab.enums()["topic"])
    general = np.array([topics.index(k) for k in GENERAL_TOPICS])[_labels(rng, n, GENERAL_TOPICS)]
    first = general.copy()
    for c, p in profiles.items():
        mine = np.flatnonzero(members[c])
        if p.languages:
            spoken = np.array([languages.index(k) for k in p.languages])
            language[mine] = spoken[_labels(rng, len(mine), p.languages)]
        own = np.array([topics.index(k) for k in p.topics])
        first[mine] = own[_labels(rng, len(mine), p.topics)]
    second = np.where(rng.random(n) < 0.3, general, -1)
    order = np.argsort(dates, kind="stable")
    frame = pd.DataFrame(
        {
            "contact_date": dates,
            "area_code": _categorical(district, nation.codes),
            "recorded": recorded,
            "members": _bits(members, n),
            "channel": _categorical(channel, channels),
            "direction": _categorical(direction, directions),
            "place_type": _categorical(place, places),
            "people_reached": reached,
            "language": _categorical(language, languages),
            "topic_1": _categorical(first, topics),
            "topic_2": pd.Categorical.from_codes(second.astype(np.int32), categories=topics),
            "follow_up": rng.random(n) < 0.15,
            "age_band": _age_band(rng, n, demo.CONTACT_AGES, _adult_member(members, n)),
        }
    ).iloc[order]
    return frame.reset_index(drop=True).assign(row=np.arange(1, n + 1))


def _report_rate(calibration: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Reports a month per Ashfield's residents by crime type, and the outcome mixes, from
    the district's published street-level crime (February and March 2024, as demo.py)."""
    full = calibration[calibration["month"].isin(["2024-02", "2024-03"])]
    return (
        full.groupby("crime_type")["records"].sum() / 2,
        full.groupby(["crime_type", "outcome"])["records"].sum(),
    )


def report_frame(rng, nation: _Nation, calibration: pd.DataFrame, cfg: NationalConfig):
    d = cfg.demo
    months = demo.month_starts(d)
    by_type, outcome_mix = _report_rate(calibration)
    season = 1 + 0.08 * np.cos(2 * np.pi * (months.month.to_numpy() - 7) / 12)
    people = nation.residents.sum() / ASHFIELD_RESIDENTS * cfg.scale
    counts = rng.poisson(by_type.sum() * season * people)
    n = int(counts.sum())
    reported = demo.random_dates(rng, months, counts)
    ramp = demo.launch_ramp((reported - np.datetime64(d.launch)).astype(int))
    crimes = list(vocab.enums()["crime_type"])
    type_mix = by_type.to_dict()
    crime = np.array([crimes.index(k) for k in type_mix])[_labels(rng, n, type_mix)]
    outcomes = list(vocab.enums()["outcome"])
    outcome = np.zeros(n, dtype=np.int32)
    for ctype in type_mix:
        idx = np.flatnonzero(crime == crimes.index(ctype))
        mix = outcome_mix.loc[ctype].to_dict()
        outcome[idx] = np.array([outcomes.index(k) for k in mix])[_labels(rng, len(idx), mix)]
    district = rng.choice(len(nation.codes), size=n, p=nation.weight)
    area = district.copy()
    area[rng.random(n) < 0.02] = -1  # location not recorded
    lag = rng.geometric(0.55, n) - 1
    occurred = pd.Series(reported - lag.astype("timedelta64[D]"))
    occurred[rng.random(n) < 0.08] = pd.NaT
    patchy = reported.astype("datetime64[M]") == np.datetime64(d.patchy_month)
    recorded = rng.random(n) < np.where(patchy, 0.2, 0.62 + 0.1 * ramp)
    members = {}
    strands = list(vocab.enums()["hate_strand"])
    strand = np.full(n, -1, dtype=np.int32)
    eligible = np.isin(crime, [crimes.index(t) for t in demo.HATE_TYPES])
    general = eligible & (rng.random(n) < 0.03)
    pick = np.array([strands.index(k) for k in GENERAL_STRANDS])
    strand[general] = pick[_labels(rng, int(general.sum()), GENERAL_STRANDS)]
    for c in registry.communities():
        p = c.demo
        propensity = p.reporting_before + (p.reporting_after - p.reporting_before) * ramp
        members[c.code] = recorded & (rng.random(n) < nation.share[c.code][district] * propensity)
        if p.hate_share and p.hate_strands:
            hate = eligible & members[c.code] & (rng.random(n) < p.hate_share)
            own = np.array([strands.index(k) for k in p.hate_strands])
            strand[hate] = own[_labels(rng, int(hate.sum()), p.hate_strands)]
    order = np.argsort(reported, kind="stable")
    frame = pd.DataFrame(
        {
            "reported_on": reported,
            "occurred_on": occurred.to_numpy(),
            "area_code": pd.Categorical.from_codes(area.astype(np.int32), list(nation.codes)),
            "crime_type": _categorical(crime, crimes),
            "strand": pd.Categorical.from_codes(strand, categories=strands),
            "recorded": recorded,
            "members": _bits(members, n),
            "outcome": _categorical(outcome, outcomes),
            "age_band": _age_band(rng, n, demo.REPORT_AGES, _adult_member(members, n)),
        }
    ).iloc[order]
    return frame.reset_index(drop=True).assign(row=np.arange(1, n + 1))


def _import(con, kind: str, label: str, rows: int) -> int:
    """The demonstration import a kind of record belongs to (flagged as demonstration)."""
    return scalar(
        con,
        "INSERT INTO imports (kind, file_name, file_sha256, loaded_at, loaded_by, rows_in_file,"
        " rows_accepted, rows_duplicate, rows_rejected, rows_outside_area, is_demonstration)"
        " VALUES ('demonstration', $name, $sha, $at, 'demonstration generator', $rows, $rows,"
        " 0, 0, 0, true) RETURNING import_id",
        {
            "name": f"{label} ({kind})",
            "sha": hashlib.sha256(f"{label} ({kind})".encode()).hexdigest(),
            "at": datetime.now(UTC).replace(tzinfo=None),
            "rows": rows,
        },
    )


def _insert(con, statement: str, frame: pd.DataFrame, import_id: int) -> None:
    for start in range(0, len(frame), CHUNK):
        con.register("incoming", frame.iloc[start : start + CHUNK])
        try:
            execute(con, statement, import_id=import_id)
        finally:
            con.unregister("incoming")


def load(
    con: duckdb.DuckDBPyConnection, ref: dict[str, pd.DataFrame], cfg: NationalConfig, progress
) -> Built:
    """Generate and write the national demonstration into a database holding the
    reference tables (database.build_database), in one transaction."""
    nation = _Nation(ref["districts"], ref["district_population"])
    label = f"national demonstration data, seed {cfg.seed}, scale {cfg.scale:g}"
    con.execute("BEGIN TRANSACTION")
    try:
        execute(con, "national_demo_areas")
        progress(0.3, "Generating national demonstration contacts (fixed seed)")
        contacts = contact_frame(np.random.default_rng([cfg.seed, 1]), nation, cfg)
        first = _import(con, "contacts", label, len(contacts))
        progress(0.4, f"Writing {len(contacts):,} demonstration contacts")
        _insert(con, "national_demo_contacts", contacts, first)
        n_contacts = len(contacts)
        del contacts
        progress(0.55, "Generating national demonstration crime reports (fixed seed)")
        reports = report_frame(
            np.random.default_rng([cfg.seed, 2]), nation, ref["calibration"], cfg
        )
        second = _import(con, "reports", label, len(reports))
        progress(0.65, f"Writing {len(reports):,} demonstration crime reports")
        _insert(con, "national_demo_reports", reports, second)
        n_reports = len(reports)
        del reports
        events = demo._events(cfg.demo).assign(import_id=first)
        con.register("incoming", events)
        con.execute(
            "INSERT INTO campaign_events SELECT CAST(event_date AS DATE), CAST(kind AS event_kind),"
            " title, description, CAST(communities AS community[]), import_id FROM incoming"
        )
        con.unregister("incoming")
        progress(0.85, "Counting the rollups")
        rollups.refresh(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return Built(contacts=n_contacts, reports=n_reports, districts=len(nation.codes))
