"""The columns each import accepts: names, types, allowed values and documentation.

One specification drives the validation, the downloadable templates and the data
dictionary, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import registry, vocab

# Special entries of the community columns.
NONE_OF_THESE = "none"
NOT_RECORDED = "not_recorded"
LIST_SEPARATORS = (";", "|", ",")


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    name: str
    kind: str  # date | month | int | bool | code | codes | communities | area | text
    description: str
    example: str
    required: bool = True  # the header must be present
    nullable: bool = False  # a cell may be blank
    allowed: Mapping[str, str] | None = None
    max_length: int | None = None
    aliases: tuple[str, ...] = field(default=())
    multiline: bool = False  # a cell may hold line breaks (Alt+Enter in Excel)


# Where a contact or a report happened: the same column in both files.
AREA_COLUMN = Column(
    "area",
    "area",
    "Where it happened: an LSOA, MSOA or ward code or name in the district. "
    "Blank when not recorded.",
    "E01027925",
    nullable=True,
    aliases=("area_code", "lsoa", "ward"),
)

CONTACT_COLUMNS: tuple[Column, ...] = (
    Column(
        "contact_date", "date", "Date of the engagement (dd/mm/yyyy or yyyy-mm-dd).", "14/05/2021"
    ),
    AREA_COLUMN,
    Column(
        "team",
        "text",
        "Neighbourhood team that logged it.",
        "Sutton",
        required=False,
        nullable=True,
        max_length=60,
    ),
    Column(
        "communities",
        "communities",
        "Community or communities engaged, separated by ';'. "
        "'none' when the contact was with none of them; 'not_recorded' (or blank) when unknown.",
        ";".join(registry.codes()[:2]),
        allowed=vocab.COMMUNITIES,
        nullable=True,
        aliases=("community",),
    ),
    Column("channel", "code", "How the contact was made.", "face_to_face", allowed=vocab.CHANNELS),
    Column(
        "direction",
        "code",
        "Proactive outreach, or reactive (the resident came to the police).",
        "proactive",
        allowed=vocab.DIRECTIONS,
    ),
    Column(
        "place_type",
        "code",
        "Kind of place.",
        "specialist_food_shop",
        allowed=vocab.PLACE_TYPES,
        aliases=("place",),
    ),
    Column(
        "people_reached", "int", "Number of people reached (1 to 5000).", "3", aliases=("people",)
    ),
    Column("language", "code", "Language used.", "polish", allowed=vocab.LANGUAGES),
    Column(
        "topics",
        "codes",
        "Topics raised, separated by ';'. Blank when none.",
        "hate_crime;trust_in_police",
        allowed=vocab.TOPICS,
        nullable=True,
        aliases=("topic",),
    ),
    Column(
        "follow_up_needed",
        "bool",
        "Whether a follow-up is needed (yes/no).",
        "no",
        aliases=("follow_up",),
    ),
    Column(
        "note",
        "text",
        "Optional note, inspectors only. Never names, addresses, phone "
        "numbers or other personal data.",
        "",
        required=False,
        nullable=True,
        max_length=500,
        multiline=True,
    ),
    Column(
        "age_band",
        "code",
        "Age band of the person or people engaged: adult (16 or over) or under_16. Blank (or not_recorded, or the column "
        "left out) when the record does not say. Communities the census counts among "
        "adults (veterans, LGBTQ+) are compared with adults' records only.",
        "adult",
        required=False,
        nullable=True,
        allowed=vocab.AGE_BANDS,
        aliases=("age_group", "age"),
    ),
)

REPORT_COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        "text",
        "Crime or incident reference from the records system (no names).",
        "21/012345",
        required=False,
        nullable=True,
        max_length=100,
        aliases=("crime_reference", "crime_ref"),
    ),
    Column(
        "reported_on",
        "date",
        "Date the report was recorded.",
        "02/06/2021",
        aliases=("reported_date", "date_reported"),
    ),
    Column(
        "occurred_on",
        "date",
        "Date the offence or incident happened, when known.",
        "01/06/2021",
        required=False,
        nullable=True,
        aliases=("occurred_date", "offence_date"),
    ),
    AREA_COLUMN,
    Column(
        "team",
        "text",
        "Neighbourhood team.",
        "Kirkby",
        required=False,
        nullable=True,
        max_length=60,
    ),
    Column(
        "crime_type",
        "code",
        "Crime type (the data.police.uk categories).",
        "public_order",
        allowed=vocab.CRIME_TYPES,
    ),
    Column(
        "hate_strands",
        "codes",
        "Hate-crime strands flagged, separated by ';'. Blank when the "
        "report is not flagged as a hate crime.",
        "race_nationality",
        allowed=vocab.HATE_STRANDS,
        nullable=True,
        aliases=("hate_crime_strand", "hate_strand"),
    ),
    Column(
        "victim_communities",
        "communities",
        "The victim's community where recorded, separated "
        "by ';'. 'none' when recorded as none of them; 'not_recorded' (or blank) when the record "
        "does not say.",
        registry.codes()[-1],
        allowed=vocab.COMMUNITIES,
        nullable=True,
        aliases=("victim_community",),
    ),
    Column("outcome", "code", "Outcome group.", "under_investigation", allowed=vocab.OUTCOMES),
    Column(
        "age_band",
        "code",
        "The victim's age band: adult (16 or over) or under_16. Blank (or not_recorded, or the column "
        "left out) when the record does not say. Communities the census counts among "
        "adults (veterans, LGBTQ+) are compared with adults' records only.",
        "adult",
        required=False,
        nullable=True,
        allowed=vocab.AGE_BANDS,
        aliases=("age_group", "victim_age_band"),
    ),
)

# data.police.uk street-level crime file, exactly as published.
POLICE_UK_COLUMNS: tuple[Column, ...] = (
    Column(
        "Crime ID",
        "text",
        "Published crime identifier (blank for anti-social behaviour).",
        "91e13b17...",
        nullable=True,
        max_length=100,
    ),
    Column("Month", "month", "Month of the report (yyyy-mm).", "2024-01"),
    Column(
        "Reported by",
        "text",
        "Force that provided the data.",
        "Nottinghamshire Police",
        nullable=True,
        max_length=100,
    ),
    Column(
        "Falls within",
        "text",
        "Force area.",
        "Nottinghamshire Police",
        nullable=True,
        max_length=100,
    ),
    Column(
        "Longitude",
        "text",
        "Anonymised point (not loaded: finer than census geography).",
        "-1.26",
        nullable=True,
    ),
    Column("Latitude", "text", "Anonymised point (not loaded).", "53.12", nullable=True),
    Column("Location", "text", "Anonymised street (not loaded).", "On or near ...", nullable=True),
    Column(
        "LSOA code",
        "text",
        "LSOA 2021 code; rows outside the district are counted, not loaded.",
        "E01027925",
        nullable=True,
        max_length=9,
    ),
    Column("LSOA name", "text", "LSOA name.", "Ashfield 015A", nullable=True),
    Column(
        "Crime type", "code", "Published crime type.", "Public order", allowed=vocab.CRIME_TYPES
    ),
    Column(
        "Last outcome category",
        "text",
        "Published outcome category.",
        "Under investigation",
        nullable=True,
    ),
    Column(
        "Context", "text", "Always blank in published files.", "", required=False, nullable=True
    ),
)

SPECS: Mapping[str, tuple[Column, ...]] = {
    "contacts": CONTACT_COLUMNS,
    "reports": REPORT_COLUMNS,
    "police_uk": POLICE_UK_COLUMNS,
}


def normalise_header(text: object) -> str:
    """Headers match case- and space-insensitively: 'Contact Date ' == 'contact_date'."""
    return "".join(ch for ch in str(text).strip().lower() if ch.isalnum())


def template_header(kind: str) -> list[str]:
    return [c.name for c in SPECS[kind]]


def template_example(kind: str) -> list[str]:
    return [c.example for c in SPECS[kind]]


def template_frame(kind: str):
    """The template for a kind of import: the header and one example row."""
    import pandas as pd

    spec = SPECS[kind]
    return pd.DataFrame([[c.example for c in spec]], columns=[c.name for c in spec])


def dictionary(kind: str):
    """The data dictionary of an import, as a table for the Data page and the docs."""
    import pandas as pd

    rows = []
    for c in SPECS[kind]:
        if c.allowed is not None and c.kind in ("code", "codes", "communities"):
            allowed = ", ".join(c.allowed)
            if c.kind == "communities":
                allowed += f", {NONE_OF_THESE}, {NOT_RECORDED}"
        else:
            allowed = {
                "date": "dd/mm/yyyy or yyyy-mm-dd",
                "month": "yyyy-mm",
                "int": "whole number 1-5000",
                "bool": "yes / no",
                "area": "LSOA, MSOA or ward code or name",
            }.get(c.kind, "text")
            if c.max_length:
                allowed += f", up to {c.max_length} characters"
        rows.append(
            {
                "column": c.name,
                "header needed": "yes" if c.required else "no",
                "may be blank": "yes" if c.nullable else "no",
                "values": allowed,
                "meaning": c.description,
                "example": c.example,
            }
        )
    return pd.DataFrame(rows)


# docs/data-dictionary.md holds each import's table between these markers, generated here.
DICTIONARY_BEGIN = "<!-- {kind}: generated from hidden_communities/columns.py; do not edit -->"
DICTIONARY_END = "<!-- end of {kind} -->"


def dictionary_markdown(kind: str) -> str:
    """The data dictionary of an import as a Markdown table: the Data page's table
    (dictionary()) and the other header names each column is read under."""
    table = dictionary(kind)
    table["column"] = [f"`{name}`" for name in table["column"]]
    table["also read as"] = [", ".join(f"`{a}`" for a in c.aliases) for c in SPECS[kind]]

    def line(cells) -> str:
        return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"

    lines = [line(table.columns), line(["---"] * len(table.columns))]
    for row in table.itertuples(index=False):
        lines.append(line(str(value).replace("|", "\\|") for value in row))
    return "\n".join(lines)


def with_dictionaries(doc: str) -> str:
    """The text of docs/data-dictionary.md with every import's table, between its markers,
    regenerated from the specs (the rest of the text is left as written)."""
    for kind in SPECS:
        begin, end = DICTIONARY_BEGIN.format(kind=kind), DICTIONARY_END.format(kind=kind)
        if doc.count(begin) != 1 or doc.count(end) != 1:
            raise ValueError(f"the data dictionary needs one {begin} and one {end}")
        head, rest = doc.split(begin)
        _, tail = rest.split(end)
        doc = f"{head}{begin}\n{dictionary_markdown(kind)}\n{end}{tail}"
    return doc


if __name__ == "__main__":
    # python -m hidden_communities.columns: rewrite the tables in docs/data-dictionary.md.
    from .settings import PROJECT_ROOT

    path = PROJECT_ROOT / "docs" / "data-dictionary.md"
    path.write_text(with_dictionaries(path.read_text(encoding="utf-8")), encoding="utf-8")
