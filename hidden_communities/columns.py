"""The columns each import accepts: names, types, allowed values and documentation.

One specification drives the validation, the downloadable templates and the data
dictionary, so they cannot drift apart. What a column means is text people read, so it is
in the catalogues (`column_meaning.<kind>.<column name>`), in every language; the names,
codes and examples are what a file holds and stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import registry, text, vocab

# Special entries of the community columns.
NONE_OF_THESE = "none"
NOT_RECORDED = "not_recorded"
LIST_SEPARATORS = (";", "|", ",")


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    name: str
    kind: str  # date | month | int | bool | code | codes | communities | area | text
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
    "E01027925",
    nullable=True,
    aliases=("area_code", "lsoa", "ward"),
)

CONTACT_COLUMNS: tuple[Column, ...] = (
    Column("contact_date", "date", "14/05/2021"),
    AREA_COLUMN,
    Column(
        "team",
        "text",
        "Sutton",
        required=False,
        nullable=True,
        max_length=60,
    ),
    Column(
        "communities",
        "communities",
        ";".join(registry.codes()[:2]),
        allowed=vocab.COMMUNITIES,
        nullable=True,
        aliases=("community",),
    ),
    Column("channel", "code", "face_to_face", allowed=vocab.CHANNELS),
    Column(
        "direction",
        "code",
        "proactive",
        allowed=vocab.DIRECTIONS,
    ),
    Column(
        "place_type",
        "code",
        "specialist_food_shop",
        allowed=vocab.PLACE_TYPES,
        aliases=("place",),
    ),
    Column("people_reached", "int", "3", aliases=("people",)),
    Column("language", "code", "polish", allowed=vocab.LANGUAGES),
    Column(
        "topics",
        "codes",
        "hate_crime;trust_in_police",
        allowed=vocab.TOPICS,
        nullable=True,
        aliases=("topic",),
    ),
    Column(
        "follow_up_needed",
        "bool",
        "no",
        aliases=("follow_up",),
    ),
    Column(
        "note",
        "text",
        "",
        required=False,
        nullable=True,
        max_length=500,
        multiline=True,
    ),
    Column(
        "age_band",
        "code",
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
        "21/012345",
        required=False,
        nullable=True,
        max_length=100,
        aliases=("crime_reference", "crime_ref"),
    ),
    Column(
        "reported_on",
        "date",
        "02/06/2021",
        aliases=("reported_date", "date_reported"),
    ),
    Column(
        "occurred_on",
        "date",
        "01/06/2021",
        required=False,
        nullable=True,
        aliases=("occurred_date", "offence_date"),
    ),
    AREA_COLUMN,
    Column(
        "team",
        "text",
        "Kirkby",
        required=False,
        nullable=True,
        max_length=60,
    ),
    Column(
        "crime_type",
        "code",
        "public_order",
        allowed=vocab.CRIME_TYPES,
    ),
    Column(
        "hate_strands",
        "codes",
        "race_nationality",
        allowed=vocab.HATE_STRANDS,
        nullable=True,
        aliases=("hate_crime_strand", "hate_strand"),
    ),
    Column(
        "victim_communities",
        "communities",
        registry.codes()[-1],
        allowed=vocab.COMMUNITIES,
        nullable=True,
        aliases=("victim_community",),
    ),
    Column("outcome", "code", "under_investigation", allowed=vocab.OUTCOMES),
    Column(
        "age_band",
        "code",
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
        "91e13b17...",
        nullable=True,
        max_length=100,
    ),
    Column("Month", "month", "2024-01"),
    Column(
        "Reported by",
        "text",
        "Nottinghamshire Police",
        nullable=True,
        max_length=100,
    ),
    Column(
        "Falls within",
        "text",
        "Nottinghamshire Police",
        nullable=True,
        max_length=100,
    ),
    Column(
        "Longitude",
        "text",
        "-1.26",
        nullable=True,
    ),
    Column("Latitude", "text", "53.12", nullable=True),
    Column("Location", "text", "On or near ...", nullable=True),
    Column(
        "LSOA code",
        "text",
        "E01027925",
        nullable=True,
        max_length=9,
    ),
    Column("LSOA name", "text", "Ashfield 015A", nullable=True),
    Column("Crime type", "code", "Public order", allowed=vocab.CRIME_TYPES),
    Column(
        "Last outcome category",
        "text",
        "Under investigation",
        nullable=True,
    ),
    Column("Context", "text", "", required=False, nullable=True),
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


def meaning(kind: str, column: Column) -> str:
    """What a column of an import holds, in the current language."""
    return text.t(f"column_meaning.{kind}.{column.name}")


def _as_is(value: str) -> str:
    return value


def dictionary(kind: str, literal=_as_is):
    """The data dictionary of an import, as a table in the current language (headers,
    meanings and the kinds of value in words). `literal` marks what a file must hold as
    written (codes and examples): the Data page shows them as `code`."""
    import pandas as pd

    words = "data_dictionary"
    rows = []
    for c in SPECS[kind]:
        if c.allowed is not None and c.kind in ("code", "codes", "communities"):
            codes = list(c.allowed)
            if c.kind == "communities":
                codes += [NONE_OF_THESE, NOT_RECORDED]
            allowed = ", ".join(literal(code) for code in codes)
        elif c.kind == "bool":
            allowed = text.t(f"{words}.kind_bool", yes=literal("yes"), no=literal("no"))
        else:
            described = c.kind if c.kind in ("date", "month", "int", "area") else "text"
            allowed = text.t(f"{words}.kind_{described}")
            if c.max_length:
                allowed = text.plural(f"{words}.up_to", c.max_length, values=allowed)
        rows.append(
            {
                text.t(f"{words}.col_column"): c.name,
                text.t(f"{words}.col_header_needed"): text.t(
                    f"{words}.{'yes' if c.required else 'no'}"
                ),
                text.t(f"{words}.col_may_be_blank"): text.t(
                    f"{words}.{'yes' if c.nullable else 'no'}"
                ),
                text.t(f"{words}.col_values"): allowed,
                text.t(f"{words}.col_meaning"): meaning(kind, c),
                text.t(f"{words}.col_example"): literal(c.example) if c.example else "",
            }
        )
    return pd.DataFrame(rows)


# docs/data-dictionary.md holds each import's table between these markers, generated here.
DICTIONARY_BEGIN = "<!-- {kind}: generated from hidden_communities/columns.py; do not edit -->"
DICTIONARY_END = "<!-- end of {kind} -->"


def dictionary_markdown(kind: str) -> str:
    """The data dictionary of an import as a Markdown table: the Data page's table
    (dictionary()) and the other header names each column is read under. In English: it
    is written into docs/data-dictionary.md."""
    with text.language("en"):
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
