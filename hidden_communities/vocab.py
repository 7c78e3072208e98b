"""The allowed values of every coded column, in one place.

The database enums are generated from these tuples (see `schema.py`), the import
validation checks against them, the templates list them and the pages label them,
so a value added here is added everywhere at once. Codes are short snake_case
strings; the English labels are what people see.
"""

from __future__ import annotations

from types import MappingProxyType

# The three campaign communities, and the all-resident comparator used for baselines.
COMMUNITIES = MappingProxyType(
    {
        "eastern_european": "Eastern European",
        "armed_forces": "Armed forces veterans",
        "lgbtq": "LGBTQ+",
    }
)
ALL_RESIDENTS = "all_residents"
# How a sentence names the people of each community.
COMMUNITY_PEOPLE = MappingProxyType(
    {
        "eastern_european": "Eastern European residents",
        "armed_forces": "Armed-forces veterans",
        "lgbtq": "LGBTQ+ residents",
        "all_residents": "All residents",
    }
)
POPULATION_COMMUNITIES = MappingProxyType({**COMMUNITIES, ALL_RESIDENTS: "All residents"})

CHANNELS = MappingProxyType(
    {
        "community_leader": "Community leader",
        "social_media": "Social media",
        "face_to_face": "Face-to-face",
        "phone": "Phone",
        "public_meeting": "Public meeting",
        "video_online": "Video / online",
    }
)

DIRECTIONS = MappingProxyType(
    {
        "proactive": "Proactive outreach",
        "reactive": "Reactive (the resident came to the police)",
    }
)

PLACE_TYPES = MappingProxyType(
    {
        "specialist_food_shop": "Specialist food shop",
        "community_venue": "Community venue",
        "online": "Online / social media",
        "phone": "Phone",
        "public_meeting": "Public meeting",
        "street": "Street",
        "home_visit": "Home visit",
        "police_station": "Police station",
        "other": "Other",
    }
)

LANGUAGES = MappingProxyType(
    {
        "english": "English",
        "polish": "Polish",
        "romanian": "Romanian",
        "lithuanian": "Lithuanian",
        "other": "Other",
    }
)

TOPICS = MappingProxyType(
    {
        "hate_crime": "Hate crime",
        "exploitation_trafficking": "Exploitation / trafficking",
        "anti_social_behaviour": "Anti-social behaviour",
        "drugs": "Drugs",
        "road_safety": "Road safety",
        "fraud_scams": "Fraud / scams",
        "mental_health": "Mental health",
        "trust_in_police": "Trust in police",
        "other": "Other",
    }
)

# data.police.uk street-level crime categories (the labels are exactly the published ones,
# so a police.uk file maps onto the codes by label).
CRIME_TYPES = MappingProxyType(
    {
        "anti_social_behaviour": "Anti-social behaviour",
        "bicycle_theft": "Bicycle theft",
        "burglary": "Burglary",
        "criminal_damage_arson": "Criminal damage and arson",
        "drugs": "Drugs",
        "other_crime": "Other crime",
        "other_theft": "Other theft",
        "possession_of_weapons": "Possession of weapons",
        "public_order": "Public order",
        "robbery": "Robbery",
        "shoplifting": "Shoplifting",
        "theft_from_the_person": "Theft from the person",
        "vehicle_crime": "Vehicle crime",
        "violence_sexual_offences": "Violence and sexual offences",
    }
)

HATE_STRANDS = MappingProxyType(
    {
        "race_nationality": "Race / nationality",
        "sexual_orientation": "Sexual orientation",
        "transgender_identity": "Transgender identity",
        "disability": "Disability",
        "religion": "Religion",
    }
)

REPORT_SOURCES = MappingProxyType(
    {
        "records_system": "Force records system",
        "police_uk": "data.police.uk (published street-level crime)",
    }
)

# Outcome groups: the records system's outcome codes are force-specific, so reports carry
# the data.police.uk "Last outcome category" grouped into these broad outcomes.
OUTCOMES = MappingProxyType(
    {
        "under_investigation": "Under investigation",
        "charged_summonsed": "Charged or summonsed",
        "out_of_court": "Out-of-court resolution",
        "no_suspect": "Investigation complete; no suspect identified",
        "evidential_difficulties": "Evidential difficulties",
        "not_in_public_interest": "Not in the public interest / further action not possible",
        "transferred": "Transferred to another organisation",
        "not_recorded": "Outcome not recorded",
    }
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

AREA_LEVELS = MappingProxyType(
    {
        "lsoa": "LSOA (Census 2021 neighbourhood, about 1,600 residents)",
        "msoa": "MSOA (group of LSOAs, about 7,500 residents)",
        "ward": "Electoral ward",
        "district": "Whole district",
    }
)

DATE_PRECISIONS = MappingProxyType({"day": "Exact day", "month": "Month only"})

IMPORT_KINDS = MappingProxyType(
    {
        "contacts": "Contact log",
        "reports": "Crime reports (records system export)",
        "police_uk": "data.police.uk street-level crime",
        "demonstration": "Demonstration data (fixed-seed generator)",
        "form": "Log-a-contact form",
    }
)

EVENT_KINDS = MappingProxyType(
    {
        "launch": "Campaign launch",
        "video": "Polish-language video",
        "public_meeting": "Public meeting",
        "social_media": "Social media campaign",
        "other": "Other milestone",
    }
)

# Every enum the schema creates: type name -> allowed codes.
ENUMS = MappingProxyType(
    {
        "community": tuple(COMMUNITIES),
        "population_community": tuple(POPULATION_COMMUNITIES),
        "channel": tuple(CHANNELS),
        "direction": tuple(DIRECTIONS),
        "place_type": tuple(PLACE_TYPES),
        "language": tuple(LANGUAGES),
        "topic": tuple(TOPICS),
        "crime_type": tuple(CRIME_TYPES),
        "hate_strand": tuple(HATE_STRANDS),
        "report_source": tuple(REPORT_SOURCES),
        "outcome": tuple(OUTCOMES),
        "area_level": tuple(AREA_LEVELS),
        "date_precision": tuple(DATE_PRECISIONS),
        "import_kind": tuple(IMPORT_KINDS),
        "event_kind": tuple(EVENT_KINDS),
    }
)


def label(mapping: MappingProxyType, code: str | None) -> str:
    """The label of a code, or the code itself when it is not known (never raises)."""
    if code is None:
        return ""
    return mapping.get(code, code)
