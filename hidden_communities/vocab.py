"""The allowed values of every coded column, in one place.

The database enums are generated from these tuples (see `schema.py`), the import
validation checks against them, the templates list them and the pages label them,
so a value added here is added everywhere at once. Codes are short snake_case
strings. The words people see are not here: each mapping below is a live view that
labels its codes through the text catalogues (`text.py`), in the language in use.
The communities come from the registry (`registry.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from . import registry, text


class LabelView(Mapping):
    """The codes of one vocabulary, each mapped to its label in the current language.

    Iterating gives the codes (in order); indexing gives the label. The codes may be a
    function, so a view of the registry follows communities registered later.
    """

    def __init__(self, kind: str, codes: tuple[str, ...] | Callable[[], tuple[str, ...]]):
        self.kind = kind
        self._codes = codes

    def codes(self) -> tuple[str, ...]:
        return self._codes() if callable(self._codes) else self._codes

    def __getitem__(self, code: str) -> str:
        if code not in self.codes():
            raise KeyError(code)
        return text.label(self.kind, code)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes())

    def __len__(self) -> int:
        return len(self.codes())

    def __contains__(self, code: object) -> bool:
        return code in self.codes()

    def __repr__(self) -> str:
        return f"LabelView({self.kind!r}, {self.codes()!r})"


# The campaign's communities (from the registry), and the all-resident comparator.
COMMUNITIES = LabelView("community", registry.codes)
ALL_RESIDENTS = registry.ALL_RESIDENTS
POPULATION_COMMUNITIES = LabelView("community", registry.population_codes)

CHANNELS = LabelView(
    "channel",
    (
        "community_leader",
        "social_media",
        "face_to_face",
        "phone",
        "public_meeting",
        "video_online",
    ),
)

DIRECTIONS = LabelView(
    "direction",
    (
        "proactive",
        "reactive",
    ),
)

PLACE_TYPES = LabelView(
    "place_type",
    (
        "specialist_food_shop",
        "community_venue",
        "online",
        "phone",
        "public_meeting",
        "street",
        "home_visit",
        "police_station",
        "other",
    ),
)

LANGUAGES = LabelView(
    "language",
    (
        "english",
        "polish",
        "romanian",
        "lithuanian",
        "other",
    ),
)

TOPICS = LabelView(
    "topic",
    (
        "hate_crime",
        "exploitation_trafficking",
        "anti_social_behaviour",
        "drugs",
        "road_safety",
        "fraud_scams",
        "mental_health",
        "trust_in_police",
        "other",
    ),
)

# data.police.uk street-level crime categories (the labels are exactly the published ones,
# so a police.uk file maps onto the codes by label).
CRIME_TYPES = LabelView(
    "crime_type",
    (
        "anti_social_behaviour",
        "bicycle_theft",
        "burglary",
        "criminal_damage_arson",
        "drugs",
        "other_crime",
        "other_theft",
        "possession_of_weapons",
        "public_order",
        "robbery",
        "shoplifting",
        "theft_from_the_person",
        "vehicle_crime",
        "violence_sexual_offences",
    ),
)

# Victim-based crime as the Home Office Counting Rules define it (violence against the
# person, sexual offences, robbery, theft offences, criminal damage and arson), in the
# data.police.uk categories. The rest are crimes against society (drugs, possession of
# weapons, public order, other crime) and anti-social behaviour, which is not crime:
# no victim's community to compare.
VICTIM_BASED_CRIME_TYPES = (
    "bicycle_theft",
    "burglary",
    "criminal_damage_arson",
    "other_theft",
    "robbery",
    "shoplifting",
    "theft_from_the_person",
    "vehicle_crime",
    "violence_sexual_offences",
)
# Which reports a comparison counts by default: victim-based crime, or everything.
REPORT_SCOPES = LabelView("report_scope", ("victim_based", "all_reports"))
DEFAULT_REPORT_SCOPE = "victim_based"

HATE_STRANDS = LabelView(
    "hate_strand",
    (
        "race_nationality",
        "sexual_orientation",
        "transgender_identity",
        "disability",
        "religion",
    ),
)

REPORT_SOURCES = LabelView(
    "report_source",
    (
        "records_system",
        "police_uk",
    ),
)

# Outcome groups: the records system's outcome codes are force-specific, so reports carry
# the data.police.uk "Last outcome category" grouped into these broad outcomes.
OUTCOMES = LabelView(
    "outcome",
    (
        "under_investigation",
        "charged_summonsed",
        "out_of_court",
        "no_suspect",
        "evidential_difficulties",
        "not_in_public_interest",
        "transferred",
        "not_recorded",
    ),
)

# data.police.uk "Last outcome category" text -> outcome code. An empty category
# (anti-social behaviour carries none) maps to not_recorded.
POLICE_UK_OUTCOMES = MappingProxyType(
    {
        "": "not_recorded",
        "Under investigation": "under_investigation",
        "Awaiting court outcome": "charged_summonsed",
        "Court result unavailable": "charged_summonsed",
        "Offender sent to prison": "charged_summonsed",
        "Offender given suspended prison sentence": "charged_summonsed",
        "Offender fined": "charged_summonsed",
        "Offender given a drugs possession warning": "out_of_court",
        "Offender given penalty notice": "out_of_court",
        "Offender given a caution": "out_of_court",
        "Local resolution": "out_of_court",
        "Offender given community sentence": "charged_summonsed",
        "Offender given conditional discharge": "charged_summonsed",
        "Offender otherwise dealt with": "charged_summonsed",
        "Defendant found not guilty": "charged_summonsed",
        "Court case unable to proceed": "charged_summonsed",
        "Suspect charged as part of another case": "charged_summonsed",
        "Investigation complete; no suspect identified": "no_suspect",
        "Unable to prosecute suspect": "evidential_difficulties",
        "Formal action is not in the public interest": "not_in_public_interest",
        "Further action is not in the public interest": "not_in_public_interest",
        "Further investigation is not in the public interest": "not_in_public_interest",
        "Action to be taken by another organisation": "transferred",
        "Status update unavailable": "not_recorded",
    }
)

# Whether a record is about an adult (16 or over), a child under 16, or does not say:
# communities counted among residents aged 16+ are compared with adults' records only.
AGE_BANDS = LabelView(
    "age_band",
    (
        "adult",
        "under_16",
        "not_recorded",
    ),
)
AGE_NOT_RECORDED = "not_recorded"

AREA_LEVELS = LabelView(
    "area_level",
    (
        "lsoa",
        "msoa",
        "ward",
        "district",
    ),
)

DATE_PRECISIONS = LabelView(
    "date_precision",
    (
        "day",
        "month",
    ),
)

IMPORT_KINDS = LabelView(
    "import_kind",
    (
        "contacts",
        "reports",
        "police_uk",
        "demonstration",
        "form",
    ),
)

EVENT_KINDS = LabelView(
    "event_kind",
    (
        "launch",
        "video",
        "public_meeting",
        "social_media",
        "other",
    ),
)


def enums() -> dict[str, tuple[str, ...]]:
    """Every enum the schema creates: type name -> allowed codes (read at schema time, so a
    community registered before a database is built is in its enums)."""
    views = {
        "community": COMMUNITIES,
        "population_community": POPULATION_COMMUNITIES,
        "channel": CHANNELS,
        "direction": DIRECTIONS,
        "place_type": PLACE_TYPES,
        "language": LANGUAGES,
        "topic": TOPICS,
        "crime_type": CRIME_TYPES,
        "hate_strand": HATE_STRANDS,
        "report_source": REPORT_SOURCES,
        "outcome": OUTCOMES,
        "age_band": AGE_BANDS,
        "area_level": AREA_LEVELS,
        "date_precision": DATE_PRECISIONS,
        "import_kind": IMPORT_KINDS,
        "event_kind": EVENT_KINDS,
    }
    return {name: tuple(view) for name, view in views.items()}


def label(mapping: Mapping, code: str | None) -> str:
    """The label of a code, or the code itself when it is not known (never raises)."""
    if code is None:
        return ""
    return mapping.get(code, code)


# Codes of the pages' own choices (the words are in the catalogues, like every label).
RECORD_KINDS = LabelView("records", ("contacts", "reports"))
RECORD_NOUNS = LabelView("records_noun", ("contacts", "reports"))
MAP_LEVELS = LabelView("level", ("ward", "lsoa", "msoa"))
LEVEL_NOUNS = LabelView("level_plural", ("ward", "lsoa", "msoa"))
MAP_MEASURES = LabelView("measure", ("rate", "ratio", "count"))
TREND_SCALES = LabelView("scale", ("count", "rate"))
EVENT_SHORT = LabelView("event_short", tuple(EVENT_KINDS))
AUDIENCES = LabelView("audience", ("inspector", "leadership", "public"))
