"""The community registry: one record per community, and everything that varies by one.

Every other module derives what it needs from here: the vocabulary's enums, the SQL
parameters, the map's baselines and proxies, chart colours, the demonstration generator
and the sentences (whose words live in the text catalogues, keyed by the community's
code). Adding a community is one `Community` record plus its census figures and its
catalogue entries; `registered()` does that for a test or a deployment of its own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType

# The all-resident comparator: not a community, but the base every share is taken of.
ALL_RESIDENTS = "all_residents"

# Population universes (the measure each community's census count is a share of).
ALL_AGES = "usual_residents"
ADULTS = "residents_16_plus"
UNIVERSES = (ALL_AGES, ADULTS)

# Map levels below the district.
AREA_LEVELS_BELOW_DISTRICT = ("ward", "lsoa", "msoa")


@dataclass(frozen=True)
class DemoProfile:
    """How the fixed-seed demonstration generator treats a community.

    `contact_share`: share of ordinary (pre-campaign) contacts involving the community,
    before the area concentration; `campaign_weight`: its weight in campaign outreach;
    `reporting_before` / `reporting_after`: how often a member who is a victim reports,
    relative to the average resident, before and after the launch; `topics`: the topic
    mix members raise; `hate_share` and `hate_strands`: hate crimes against members;
    `hotspots`: number of LSOAs with an invented concentration of residents, used only
    when the census has no small-area baseline for the community; `languages`: the mix
    of languages contacts with members are held in; `shop_visits`: outreach at
    specialist food shops.
    """

    contact_share: float = 0.01
    campaign_weight: float = 0.2
    reporting_before: float = 0.5
    reporting_after: float = 0.75
    topics: Mapping[str, float] = field(
        default_factory=lambda: {"trust_in_police": 0.5, "anti_social_behaviour": 0.5}
    )
    hate_share: float = 0.0
    hate_strands: Mapping[str, float] = field(default_factory=dict)
    hotspots: int = 0
    # Languages members speak (None: English, as for most residents), and whether
    # outreach visits them at specialist food shops.
    languages: Mapping[str, float] | None = None
    shop_visits: bool = False


@dataclass(frozen=True)
class Community:
    """What the product knows about one community.

    Display words are not here: the text catalogues hold `community.<code>.label` (short
    label), `.people` (how a sentence names them, capitalised), `.people_mid` (the same
    mid-sentence), `.described` (what the census counts) and, for each proxy level,
    `.proxy.<level>` (what stands in, named on screen).
    """

    code: str
    order: int
    universe: str  # ALL_AGES or ADULTS: the population its census count is a share of
    primary_measure: str  # measure code in data/reference/measures.csv
    alternative_measures: tuple[str, ...] = ()  # other ways to count them (a user may choose)
    breakdowns: tuple[str, ...] = ()  # published parts of a measure, kept for reference
    # Map level -> the census measure that gives a baseline there where the reference data
    # holds it: a declared possibility (ONS publishes the table there). The data decides:
    # `baseline_at` needs the (measure, level) pairs with population rows (baselines.py).
    area_baselines: Mapping[str, str] = field(default_factory=dict)
    proxy_levels: frozenset[str] = frozenset()  # levels whose baseline is a named proxy
    # The census non-response band: the measure counting those who did not answer.
    nonresponse_measure: str | None = None
    colour: str = "#6E6E6E"  # Okabe-Ito, colour-blind safe
    demo: DemoProfile = field(default_factory=DemoProfile)

    @property
    def label_key(self) -> str:
        return f"community.{self.code}.label"

    @property
    def adults_only(self) -> bool:
        return self.universe == ADULTS

    def measures(self) -> tuple[str, ...]:
        """Every census measure that counts this community."""
        found = (
            self.primary_measure,
            *self.alternative_measures,
            *self.breakdowns,
            *filter(None, [self.nonresponse_measure]),
            *self.area_baselines.values(),
        )
        return tuple(dict.fromkeys(found))

    def baseline_at(self, level: str, held: Collection[tuple[str, str]]) -> str | None:
        """The census measure with this community's count at a map level, or None.

        `held` is the (measure, area level) pairs the reference data has population rows
        for (see baselines.py): a declared baseline counts only where its rows exist."""
        measure = self.area_baselines.get(level)
        return measure if (measure, level) in held else None

    def baseline_levels(self, held: Collection[tuple[str, str]]) -> tuple[str, ...]:
        """The map levels at which the reference data holds this community's baseline."""
        return tuple(lv for lv in self.area_baselines if self.baseline_at(lv, held))

    def is_proxy_at(self, level: str) -> bool:
        return level in self.proxy_levels


# Colours: Okabe-Ito (distinguishable with the common forms of colour blindness).
_BLUE, _GREEN, _PURPLE, _ORANGE, _GREY = "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#6E6E6E"

_CAMPAIGN = (
    Community(
        code="eastern_european",
        order=10,
        universe=ALL_AGES,
        primary_measure="born_eu8_eu2",
        alternative_measures=(
            "ethnic_group_eastern_european",
            "main_language_eastern_european",
            "passport_poland_romania_lithuania",
        ),
        breakdowns=("born_eu8", "born_eu2"),
        # TS004 is published by LSOA and MSOA: held when the Nomis bulk files are added.
        area_baselines={"lsoa": "born_eu8_eu2", "msoa": "born_eu8_eu2", "ward": "born_eu8_eu2"},
        colour=_BLUE,
        demo=DemoProfile(
            contact_share=0.009,
            campaign_weight=0.45,
            reporting_before=0.45,
            reporting_after=0.75,
            topics={
                "exploitation_trafficking": 0.3,
                "hate_crime": 0.2,
                "trust_in_police": 0.3,
                "fraud_scams": 0.2,
            },
            hate_share=0.25,
            hate_strands={"race_nationality": 1.0},
            hotspots=5,
            languages={
                "polish": 0.45,
                "romanian": 0.2,
                "lithuanian": 0.08,
                "english": 0.22,
                "other": 0.05,
            },
            shop_visits=True,
        ),
    ),
    Community(
        code="armed_forces",
        order=20,
        universe=ADULTS,
        primary_measure="veterans",
        breakdowns=("veterans_regular", "veterans_reserve", "veterans_both"),
        # TS071 is published by LSOA and MSOA: held when the Nomis bulk files are added.
        area_baselines={"lsoa": "veterans", "msoa": "veterans", "ward": "veterans"},
        colour=_GREEN,
        demo=DemoProfile(
            contact_share=0.022,
            campaign_weight=0.33,
            reporting_before=0.6,
            reporting_after=0.8,
            topics={"mental_health": 0.4, "trust_in_police": 0.3, "anti_social_behaviour": 0.3},
        ),
    ),
    Community(
        code="lgbtq",
        order=30,
        universe=ADULTS,
        primary_measure="lgbtq_plus",
        alternative_measures=("lgb_plus", "trans"),
        breakdowns=(
            "lgb_not_answered",
            "gay_lesbian",
            "bisexual",
            "other_orientation",
            "trans_not_answered",
        ),
        area_baselines={"msoa": "lgb_plus"},
        proxy_levels=frozenset({"msoa"}),
        nonresponse_measure="lgbtq_plus_not_answered",
        colour=_PURPLE,
        demo=DemoProfile(
            contact_share=0.007,
            campaign_weight=0.22,
            reporting_before=0.4,
            reporting_after=0.7,
            topics={"hate_crime": 0.6, "trust_in_police": 0.4},
            hate_share=0.3,
            hate_strands={"sexual_orientation": 0.8, "transgender_identity": 0.2},
        ),
    ),
)

COMPARATOR_COLOUR = _GREY
SPARE_COLOURS = (_ORANGE, "#56B4E9", "#D55E00", "#F0E442")

_registry: dict[str, Community] = {c.code: c for c in _CAMPAIGN}
_extra_texts: dict[str, dict[str, str]] = {}


def communities() -> tuple[Community, ...]:
    """Every registered community, in display order."""
    return tuple(sorted(_registry.values(), key=lambda c: (c.order, c.code)))


def codes() -> tuple[str, ...]:
    """Every registered community's code, in display order."""
    return tuple(c.code for c in communities())


def population_codes() -> tuple[str, ...]:
    """The community codes, then the all-resident comparator."""
    return (*codes(), ALL_RESIDENTS)


def get(code: str) -> Community:
    try:
        return _registry[code]
    except KeyError:
        raise ValueError(f"unknown community {code!r}; known: {codes()}") from None


def is_community(code: object) -> bool:
    return isinstance(code, str) and code in _registry


def ordered(chosen) -> list[str]:
    """The chosen community codes in registry order (unknown codes dropped)."""
    wanted = set(chosen)
    return [c for c in codes() if c in wanted]


def colour(code: str) -> str:
    """A community's chart colour (the comparator's for all residents); never raises."""
    if code == ALL_RESIDENTS:
        return COMPARATOR_COLOUR
    community = _registry.get(code)
    return community.colour if community else COMPARATOR_COLOUR


def universe(code: str) -> str:
    """The population measure a community's share is taken of (all ages or adults)."""
    if code == ALL_RESIDENTS:
        return ALL_AGES
    return get(code).universe


def primary_measures() -> Mapping[str, str]:
    """Community code -> its primary census measure."""
    return MappingProxyType({c.code: c.primary_measure for c in communities()})


def community_of_measure(measure: str) -> str | None:
    """The community a census measure counts, or None for an all-resident measure."""
    for c in communities():
        if measure in c.measures():
            return c.code
    return None


def extra_texts() -> Mapping[str, Mapping[str, str]]:
    """Catalogue entries brought by communities registered at run time, by language."""
    return _extra_texts


def register(community: Community, texts: Mapping[str, Mapping[str, str]]) -> None:
    """Add a community, with its catalogue entries by language (at least English)."""
    if community.code in _registry or community.code == ALL_RESIDENTS:
        raise ValueError(f"community {community.code!r} is registered already")
    if not community.code.isidentifier() or community.code != community.code.lower():
        raise ValueError(f"a community code is snake_case, got {community.code!r}")
    if community.universe not in UNIVERSES:
        raise ValueError(f"universe must be one of {UNIVERSES}, got {community.universe!r}")
    if "en" not in texts or f"community.{community.code}.label" not in texts["en"]:
        raise ValueError(f"register needs English texts with community.{community.code}.label")
    _registry[community.code] = community
    for lang, entries in texts.items():
        _extra_texts.setdefault(lang, {}).update(entries)


def unregister(code: str) -> None:
    """Remove a community added with `register` (the campaign's three stay)."""
    if code in {c.code for c in _CAMPAIGN}:
        raise ValueError(f"{code!r} is one of the campaign's communities")
    _registry.pop(code, None)
    prefix = f"community.{code}."
    for entries in _extra_texts.values():
        for key in [k for k in entries if k.startswith(prefix)]:
            del entries[key]


@contextmanager
def registered(community: Community, texts: Mapping[str, Mapping[str, str]]) -> Iterator[None]:
    """A community registered for the duration of a block (tests, one-off builds)."""
    register(community, texts)
    try:
        yield
    finally:
        unregister(community.code)
