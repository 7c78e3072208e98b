"""Build the project's derived reference tables from the raw published files.

Reads the staged ONS / Nomis files (see `data/README.md` and the raw folder's
PROVENANCE.md) and writes compact files into `data/reference/`:

- `areas.csv`: the district's LSOAs, MSOAs, wards and the district itself, with the
  hierarchy, a label point and the rural-urban class;
- `population.csv`: long-format baselines (area, community, measure, count, denominator, source);
- `measures.csv`: what each measure is, its universe, its geography and whether it is the
  community's primary baseline;
- `boundaries_{lsoa,msoa,ward,district}.geojson`: simplified polygons for the browser;
- `towns.csv`: label points for the towns, so a map reader can orient themselves.

The district is a parameter (`--district`, a local-authority code or name); nothing below
is specific to Ashfield except the optional town grouping in `TOWN_WARDS`.

Nomis bulk small-area files (`census2021-tsNNN-lsoa.csv`, `census2021-tsNNN-msoa.csv`
for TS071, TS004, TS022, TS024 and TS005), placed anywhere under the raw folder, add
per-area rows for the measures those tables give (`small_area_rows`); without them those
measures exist for the district only.

The build runs in named steps (`read_lookups`, `area_rows`, `resident_rows`,
`lgb_trans_msoa_rows`, `district_rows`, `small_area_rows`, `boundary_collections`,
`town_rows`, `_police_uk_calibration`, `write_reference`); `build_reference` runs them.

Run: `python -m hidden_communities build-reference --raw ../shared/reference-data`.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from shapely import unary_union
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from . import registry
from .settings import REFERENCE_DIR

# Polygons are simplified with this tolerance in degrees (about 10 m at 53°N) and their
# coordinates rounded to 5 decimals (about 1 m): the maps draw a district, not a survey.
SIMPLIFY_TOLERANCE = 0.0001
COORD_DECIMALS = 5

# Town labels: town name -> the wards that make up its built-up area. Ward names, not
# codes, so that a reader can check the grouping against a map. Districts without an
# entry simply get no town labels (ward names still show on hover).
TOWN_WARDS: dict[str, dict[str, tuple[str, ...]]] = {
    "E07000170": {
        "Sutton-in-Ashfield": (
            "Sutton Central & New Cross",
            "Sutton St Mary's",
            "Leamington",
            "Carsic",
            "Ashfields",
        ),
        "Kirkby-in-Ashfield": (
            "Kirkby Cross & Portland",
            "Abbey Hill",
            "Kingsway",
            "Larwood",
            "The Dales",
            "Greenwood & Summit",
        ),
        "Hucknall": ("Hucknall Central", "Hucknall North", "Hucknall South", "Hucknall West"),
        "Huthwaite": ("Huthwaite & Brierley",),
        "Skegby": ("Skegby",),
        "Selston": ("Selston",),
        "Jacksdale": ("Jacksdale & Westwood",),
        "Underwood": ("Underwood",),
        "Annesley": ("Annesley & Kirkby Woodhouse",),
        "Stanton Hill": ("Stanton Hill & Teversal",),
    }
}

# Raw file locations, relative to the raw reference folder.
RAW = {
    "lookup_lsoa_ward": "ons-geography-geographr/lookup_lsoa21_ward24_lad24_notts.csv",
    "lsoa_geo": "ons-geography-geographr/lsoa21_bsc_notts.geojson",
    "msoa_geo": "ons-geography-geographr/msoa21_bsc_simplified_notts.geojson",
    "ward_geo": "ons-geography-geographr/wards22_bsc_simplified_notts.geojson",
    "ruc": "ons-geography-geographr/ruc21_lsoa21_notts.csv",
    "lsoa_age": "ons-census2021-small-area/census21_lsoa21_usual_residents_by_age6_notts.csv",
    "msoa_ts077": "ons-census2021-small-area/ts077_sexual_orientation_msoa21_notts.csv",
    "msoa_ts078_props": "ons-census2021-small-area/ts078_gender_identity_props_msoa21_notts.csv",
    "ts001": "ons-census2021-ltla-nomis/census2021-ts001-ltla.csv",
    "ts004": "ons-census2021-ltla-nomis/census2021-ts004-llta.csv",
    "ts005": "ons-census2021-ltla-nomis/census2021-ts005-ltla.csv",
    "ts022": "ons-census2021-ltla-nomis/census2021-ts022-ltla.csv",
    "ts024": "ons-census2021-ltla-nomis/census2021-ts024-ltla.csv",
    "ts071": "ons-census2021-ltla-nomis/census2021-ts071-ltla.csv",
    "ts077": "ons-census2021-ltla-nomis/census2021-ts077-ltla.csv",
    "ts078": "ons-census2021-ltla-nomis/census2021-ts078-ltla.csv",
    "sogi_cross": "ons-sogi-ltla/sexual_genmod.csv",
    "police_uk_streets": "police-uk-nottinghamshire",
    "police_force_areas": "ons-geography-geographr/lookup_lad24_csp24_pfa24_england_wales.csv",
}

# Eastern European countries as the census categories name them. Country of birth uses
# the EU accession groups (EU8: 2004 accession, Poland, Lithuania, Latvia, Estonia,
# Czechia, Slovakia, Hungary, Slovenia; EU2: 2007, Romania and Bulgaria).
EE_ETHNIC_GROUPS = (
    "Polish",
    "Romanian",
    "Lithuanian",
    "Latvian",
    "Slovakian",
    "Czech",
    "Hungarian",
    "Bulgarian",
    "Estonian",
    "Slovenian",
    "Russian",
    "Ukrainian",
    "Moldovan",
    "Other Eastern European",
)
# TS022 also publishes some Eastern European write-ins under "Other ethnic group" (people
# who ticked "Any other ethnic group" and wrote, say, "Polish"): the same identities, so
# they count too. These are every Eastern European category TS022 has under that heading.
EE_OTHER_ETHNIC_GROUPS = (
    "Polish",
    "Romanian",
    "Lithuanian",
    "Slovakian",
    "Czech",
    "Bulgarian",
    "Other Eastern European",
)
EE_LANGUAGES = (
    "Polish",
    "Slovak",
    "Czech",
    "Romanian",
    "Lithuanian",
    "Latvian",
    "Hungarian",
    "Bulgarian",
    "Estonian",
    "Slovenian",
)
EE_LANGUAGES_NON_EU = ("Russian", "Ukrainian")
EE_PASSPORTS = ("Poland", "Romania", "Lithuania")

OGL = "Contains public sector information licensed under the Open Government Licence v3.0"

# A measure's `geography` when the census files read hold it for the district only; the
# build replaces it with the levels it wrote rows for if small-area files were supplied.
DISTRICT_ONLY = "district only"
LEVEL_NAMES = {"lsoa": "LSOA", "msoa": "MSOA", "ward": "ward", "district": "district"}


@dataclass(frozen=True)
class Measure:
    """One population measure: what it counts, of whom, where it is published."""

    measure: str
    label: str
    universe: str
    geography: str
    source: str
    method: str
    is_primary: bool = False

    @property
    def community(self) -> str:
        """The community the measure counts (from the registry), or all residents."""
        return registry.community_of_measure(self.measure) or registry.ALL_RESIDENTS


MEASURES: tuple[Measure, ...] = (
    Measure(
        "usual_residents",
        "All usual residents",
        "All usual residents",
        "LSOA, MSOA, ward, district",
        "ONS Census 2021 TS001 (district); custom age table (LSOA)",
        "Published count. Ward and MSOA figures are sums of their LSOAs (wards by best-fit LSOA lookup).",
        True,
    ),
    Measure(
        "residents_16_plus",
        "Usual residents aged 16 and over",
        "All usual residents",
        "LSOA, MSOA, ward, district",
        "ONS Census 2021 TS071 total (district); custom age table (LSOA)",
        "Published count; LSOA figures sum the five age groups from 16 upwards.",
    ),
    Measure(
        "veterans",
        "Previously served in the UK armed forces (regular, reserve or both)",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 TS071",
        "Sum of the three 'previously served' categories.",
        True,
    ),
    Measure(
        "veterans_regular",
        "Previously served in regular forces only",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 TS071",
        "Published count.",
    ),
    Measure(
        "veterans_reserve",
        "Previously served in reserve forces only",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 TS071",
        "Published count.",
    ),
    Measure(
        "veterans_both",
        "Previously served in both regular and reserve forces",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 TS071",
        "Published count.",
    ),
    Measure(
        "lgbtq_plus",
        "LGB+ sexual orientation or gender identity different from sex at birth",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 custom dataset: gender identity (7) by sexual orientation (4)",
        "Everyone who answered LGB+ or a gender identity different from sex at birth, counted once.",
        True,
    ),
    Measure(
        "lgbtq_plus_not_answered",
        "Not identified as LGBTQ+ and left the sexual orientation or gender identity question unanswered",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 custom dataset: gender identity (7) by sexual orientation (4)",
        "Bounds the uncertainty: if all of them were LGBTQ+ the share would be this much higher.",
    ),
    Measure(
        "lgb_plus",
        "LGB+ sexual orientation (gay or lesbian, bisexual, other)",
        "Usual residents aged 16 and over",
        "MSOA, district",
        "ONS Census 2021 TS077",
        "Sum of the three LGB+ categories. The MSOA baseline for the LGBTQ+ community uses this "
        "measure as a named proxy: gender identity is not published as counts below the district.",
    ),
    Measure(
        "lgb_not_answered",
        "Sexual orientation question not answered",
        "Usual residents aged 16 and over",
        "MSOA, district",
        "ONS Census 2021 TS077",
        "Published count.",
    ),
    Measure(
        "gay_lesbian",
        "Gay or lesbian",
        "Usual residents aged 16 and over",
        "MSOA, district",
        "ONS Census 2021 TS077",
        "Published count.",
    ),
    Measure(
        "bisexual",
        "Bisexual",
        "Usual residents aged 16 and over",
        "MSOA, district",
        "ONS Census 2021 TS077",
        "Published count.",
    ),
    Measure(
        "other_orientation",
        "All other sexual orientations",
        "Usual residents aged 16 and over",
        "MSOA, district",
        "ONS Census 2021 TS077",
        "Published count.",
    ),
    Measure(
        "trans",
        "Gender identity different from sex registered at birth",
        "Usual residents aged 16 and over",
        "MSOA (implied), district",
        "ONS Census 2021 TS078 (district); House of Commons Library MSOA proportions (MSOA)",
        "District: published counts (no specific identity, trans woman, trans man, all other). "
        "MSOA: the Library's published proportion times the TS077 MSOA aged-16+ total, rounded "
        "to a whole person; ONS publishes only proportions at this level, so the MSOA figures "
        "are implied counts and need not add to the district count.",
    ),
    Measure(
        "trans_not_answered",
        "Gender identity question not answered",
        "Usual residents aged 16 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 TS078",
        "Published count.",
    ),
    Measure(
        "born_eu8_eu2",
        "Born in a 2004 or 2007 EU accession country (EU8 + EU2: Poland, Lithuania, Latvia, "
        "Estonia, Czechia, Slovakia, Hungary, Slovenia, Romania, Bulgaria)",
        "All usual residents",
        DISTRICT_ONLY,
        "ONS Census 2021 TS004",
        "Sum of 'European Union EU8' and 'European Union EU2'. Primary measure: it covers every "
        "age, is a fixed fact rather than a self-description, and names the countries the "
        "campaign is about. It misses UK-born children and people born in Ukraine, Russia or "
        "Moldova.",
        True,
    ),
    Measure(
        "born_eu8",
        "Born in an EU8 country (2004 accession)",
        "All usual residents",
        DISTRICT_ONLY,
        "ONS Census 2021 TS004",
        "Published count.",
    ),
    Measure(
        "born_eu2",
        "Born in Romania or Bulgaria (EU2, 2007 accession)",
        "All usual residents",
        DISTRICT_ONLY,
        "ONS Census 2021 TS004",
        "Published count.",
    ),
    Measure(
        "ethnic_group_eastern_european",
        "Ethnic group written in as an Eastern European identity (under White or Other)",
        "All usual residents",
        DISTRICT_ONLY,
        "ONS Census 2021 TS022 (detailed ethnic group)",
        "Sum of White: "
        + ", ".join(EE_ETHNIC_GROUPS)
        + "; and Other ethnic group: "
        + ", ".join(EE_OTHER_ETHNIC_GROUPS)
        + ".",
    ),
    Measure(
        "main_language_eastern_european",
        "Main language an Eastern European language",
        "Usual residents aged 3 and over",
        DISTRICT_ONLY,
        "ONS Census 2021 TS024 (detailed main language)",
        "Sum of " + ", ".join(EE_LANGUAGES + EE_LANGUAGES_NON_EU) + ".",
    ),
    Measure(
        "passport_poland_romania_lithuania",
        "Holds a Polish, Romanian or Lithuanian passport",
        "All usual residents",
        DISTRICT_ONLY,
        "ONS Census 2021 TS005",
        "Sum of the three Eastern European countries TS005 names; other EU passports are not "
        "broken down, so this is a lower bound.",
    ),
)


class ReferenceBuildError(RuntimeError):
    """The raw files do not hold what the build needs (named in the message)."""


# --------------------------------------------------------------------------- reading


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _nomis_rows(path: Path, codes: set[str]) -> dict[str, dict[str, int]]:
    """The rows of a Nomis bulk file (`date, geography, geography code`, then one column
    per category) for these geography codes: code -> {category: count}, the table-name
    prefix stripped from each category. Other rows are skipped unread, so a national
    LSOA file costs one pass."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if "geography code" not in header:
            raise ReferenceBuildError(f"{path.name}: not a Nomis bulk file (no 'geography code')")
        at = header.index("geography code")
        # "Country of birth: Europe: EU countries: ...; measures: Value" -> the category
        columns = [
            (i, h.split(";")[0].split(": ", 1)[1])
            for i, h in enumerate(header)
            if h not in ("date", "geography", "geography code")
        ]
        return {
            row[at]: {category: int(row[i]) for i, category in columns}
            for row in reader
            if row and row[at] in codes
        }


def _nomis_row(path: Path, district: str) -> dict[str, int]:
    """The district's row of a Nomis LTLA bulk file, keyed by category (prefix stripped)."""
    rows = _nomis_rows(path, {district})
    if district not in rows:
        raise ReferenceBuildError(f"{path.name}: no row for district {district}")
    return rows[district]


def _pick(row: dict[str, int], *categories: str) -> int:
    try:
        return sum(row[c] for c in categories)
    except KeyError as missing:
        raise ReferenceBuildError(
            f"category {missing} not found; have {sorted(row)[:5]}..."
        ) from None


def _total(row: dict[str, int]) -> int:
    totals = [v for k, v in row.items() if k.startswith("Total")]
    if len(totals) != 1:
        raise ReferenceBuildError(f"expected one Total column, found {len(totals)}")
    return totals[0]


# --------------------------------------------------------------------------- geometry


def _simplify(geom: BaseGeometry) -> BaseGeometry:
    return geom.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)


def _round_coords(obj):
    if isinstance(obj, float):
        return round(obj, COORD_DECIMALS)
    if isinstance(obj, list | tuple):
        return [_round_coords(o) for o in obj]
    return obj


def _feature_collection(features: Iterable[tuple[str, str, BaseGeometry]]) -> dict:
    out = []
    for code, name, geom in features:
        geo = mapping(_simplify(geom))
        out.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": name},
                "geometry": {"type": geo["type"], "coordinates": _round_coords(geo["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": out}


def _load_shapes(path: Path, code_field: str, codes: set[str]) -> dict[str, BaseGeometry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    shapes = {
        f["properties"][code_field]: shape(f["geometry"])
        for f in data["features"]
        if f["properties"][code_field] in codes
    }
    missing = codes - set(shapes)
    if missing:
        raise ReferenceBuildError(f"{path.name}: no polygon for {sorted(missing)}")
    return shapes


# --------------------------------------------------------------------------- build


@dataclass(frozen=True)
class District:
    """The district's areas and how they nest, from the raw lookups."""

    code: str
    name: str
    lsoa_names: dict[str, str]  # LSOA code -> name
    lsoa_ward: dict[str, str]  # LSOA code -> its ward (best-fit lookup)
    ward_names: dict[str, str]
    lsoa_msoa: dict[str, str]  # LSOA code -> its MSOA
    msoa_names: dict[str, str]


@dataclass(frozen=True)
class Shapes:
    """The polygons of every area of the district, before simplification."""

    lsoa: dict[str, BaseGeometry]
    msoa: dict[str, BaseGeometry]
    ward: dict[str, BaseGeometry]
    district: BaseGeometry


@dataclass(frozen=True)
class TableMeasures:
    """The measures the build takes from one Nomis topic-summary table.

    `counts` turns one geography's row (category -> count, as `_nomis_row` reads it) into
    {measure: count}, in the order the rows are written; every measure's denominator is
    the table's own total for that geography.
    """

    table: str  # "ts071"
    counts: Callable[[dict[str, int]], dict[str, int]]

    @property
    def source(self) -> str:
        return f"ONS Census 2021 {self.table.upper()}"

    def rows(self, area: str, row: dict[str, int], source: str | None = None) -> list[dict]:
        """The population rows this table gives one area."""
        total = _total(row)
        return [
            _population_row(area, measure, n, total, source or self.source)
            for measure, n in self.counts(row).items()
        ]


def _veterans(row: dict[str, int]) -> dict[str, int]:
    served = {
        "veterans_regular": _pick(row, "Previously served in UK armed forces"),
        "veterans_reserve": _pick(row, "Previously served in UK reserve armed forces"),
        "veterans_both": _pick(
            row, "Previously served in both regular and reserve UK armed forces"
        ),
    }
    return {"veterans": sum(served.values()), **served}


def _sexual_orientation(row: dict[str, int]) -> dict[str, int]:
    return {
        "lgb_plus": _pick(row, "Gay or Lesbian", "Bisexual", "All other sexual orientations"),
        "lgb_not_answered": _pick(row, "Not answered"),
        "gay_lesbian": _pick(row, "Gay or Lesbian"),
        "bisexual": _pick(row, "Bisexual"),
        "other_orientation": _pick(row, "All other sexual orientations"),
    }


def _gender_identity(row: dict[str, int]) -> dict[str, int]:
    trans = _pick(
        row,
        "Gender identity different from sex registered at birth but no specific identity given",
        "Trans woman",
        "Trans man",
        "All other gender identities",
    )
    return {"trans": trans, "trans_not_answered": _pick(row, "Not answered")}


def _country_of_birth(row: dict[str, int]) -> dict[str, int]:
    eu8 = _pick(row, "Europe: EU countries: European Union EU8")
    eu2 = _pick(row, "Europe: EU countries: European Union EU2")
    return {"born_eu8_eu2": eu8 + eu2, "born_eu8": eu8, "born_eu2": eu2}


def _ethnic_group(row: dict[str, int]) -> dict[str, int]:
    return {
        "ethnic_group_eastern_european": _pick(
            row,
            *(f"White: {g}" for g in EE_ETHNIC_GROUPS),
            *(f"Other ethnic group: {g}" for g in EE_OTHER_ETHNIC_GROUPS),
        )
    }


def _main_language(row: dict[str, int]) -> dict[str, int]:
    languages = _pick(
        row,
        *(f"Other European language (EU): {lang}" for lang in EE_LANGUAGES),
        "Russian",
        "Other European language (non EU): Ukrainian",
    )
    return {"main_language_eastern_european": languages}


def _passports(row: dict[str, int]) -> dict[str, int]:
    held = _pick(row, *(f"Europe: Other Europe: EU Member countries: {c}" for c in EE_PASSPORTS))
    return {"passport_poland_romania_lithuania": held}


TS071 = TableMeasures("ts071", _veterans)
TS077 = TableMeasures("ts077", _sexual_orientation)
TS078 = TableMeasures("ts078", _gender_identity)
TS004 = TableMeasures("ts004", _country_of_birth)
TS022 = TableMeasures("ts022", _ethnic_group)
TS024 = TableMeasures("ts024", _main_language)
TS005 = TableMeasures("ts005", _passports)


def _population_row(area: str, measure: str, count: int, denominator: int, source: str) -> dict:
    return dict(
        area_code=area,
        community=registry.community_of_measure(measure) or registry.ALL_RESIDENTS,
        measure=measure,
        count=int(count),
        denominator=int(denominator),
        source=source,
    )


def resolve_district(raw: Path, district: str) -> tuple[str, str]:
    """Accept a local-authority code or name; return (code, name)."""
    for row in _read_csv(raw / RAW["lookup_lsoa_ward"]):
        if district in (row["ltla24_code"], row["ltla24_name"]):
            return row["ltla24_code"], row["ltla24_name"]
    raise ReferenceBuildError(f"district {district!r} not found in {RAW['lookup_lsoa_ward']}")


def read_lookups(raw: Path, district: str) -> District:
    """Step 1, the raw lookups: the district's LSOAs, their wards (best-fit LSOA to ward
    lookup, 2024) and their MSOAs (an LSOA's name is its MSOA's name plus one letter)."""
    code, name = resolve_district(raw, district)
    lookup = [r for r in _read_csv(raw / RAW["lookup_lsoa_ward"]) if r["ltla24_code"] == code]
    lsoa_names = {r["lsoa21_code"]: r["lsoa21_name"] for r in lookup}
    msoa_geo = json.loads((raw / RAW["msoa_geo"]).read_text(encoding="utf-8"))
    msoa_by_name = {
        f["properties"]["msoa21_name"]: f["properties"]["msoa21_code"] for f in msoa_geo["features"]
    }
    lsoa_msoa = {}
    for lsoa, lsoa_name in lsoa_names.items():
        msoa_name = lsoa_name[:-1]
        if msoa_name not in msoa_by_name:
            raise ReferenceBuildError(f"LSOA {lsoa} {lsoa_name}: no MSOA named {msoa_name!r}")
        lsoa_msoa[lsoa] = msoa_by_name[msoa_name]
    return District(
        code=code,
        name=name,
        lsoa_names=lsoa_names,
        lsoa_ward={r["lsoa21_code"]: r["ward24_code"] for r in lookup},
        ward_names={r["ward24_code"]: r["ward24_name"] for r in lookup},
        lsoa_msoa=lsoa_msoa,
        msoa_names={c: n for n, c in msoa_by_name.items() if c in set(lsoa_msoa.values())},
    )


def read_shapes(raw: Path, d: District) -> Shapes:
    """The polygons of the district's LSOAs, MSOAs and wards; the district is the union
    of its LSOAs. Stops, naming them, when an area has no polygon."""
    lsoa = _load_shapes(raw / RAW["lsoa_geo"], "lsoa21_code", set(d.lsoa_names))
    return Shapes(
        lsoa=lsoa,
        msoa=_load_shapes(raw / RAW["msoa_geo"], "msoa21_code", set(d.msoa_names)),
        ward=_load_shapes(raw / RAW["ward_geo"], "ward22_code", set(d.ward_names)),
        district=unary_union(list(lsoa.values())),
    )


def _label_point(geom: BaseGeometry) -> tuple[float, float]:
    p = geom.representative_point()
    return round(p.x, COORD_DECIMALS), round(p.y, COORD_DECIMALS)


def area_rows(raw: Path, d: District, shapes: Shapes) -> list[dict]:
    """Step 2, areas.csv: every LSOA (with its MSOA, ward and rural-urban class), MSOA and
    ward of the district, then the district, each with a label point inside it."""
    ruc = {r["lsoa21_code"]: r["ruc"] for r in _read_csv(raw / RAW["ruc"])}

    def area(code, level, name, geom, msoa="", ward="", rural_urban=""):
        lon, lat = _label_point(geom)
        return dict(
            area_code=code,
            area_level=level,
            area_name=name,
            msoa_code=msoa,
            ward_code=ward,
            district_code=d.code,
            label_lon=lon,
            label_lat=lat,
            rural_urban=rural_urban,
        )

    areas = [
        area(
            code,
            "lsoa",
            d.lsoa_names[code],
            shapes.lsoa[code],
            msoa=d.lsoa_msoa[code],
            ward=d.lsoa_ward[code],
            rural_urban=ruc.get(code, ""),
        )
        for code in sorted(d.lsoa_names)
    ]
    areas += [
        area(code, "msoa", d.msoa_names[code], shapes.msoa[code], msoa=code)
        for code in sorted(d.msoa_names)
    ]
    areas += [
        area(code, "ward", d.ward_names[code], shapes.ward[code], ward=code)
        for code in sorted(d.ward_names)
    ]
    areas.append(area(d.code, "district", d.name, shapes.district))
    return areas


def resident_rows(raw: Path, d: District) -> list[dict]:
    """Step 3, all-resident small-area counts: usual residents and residents aged 16+ by
    LSOA from the ONS age table; MSOAs and wards as sums of their LSOAs."""
    lsoa_all = dict.fromkeys(d.lsoa_names, 0)
    lsoa_16 = dict.fromkeys(d.lsoa_names, 0)
    for r in _read_csv(raw / RAW["lsoa_age"]):
        if r["lsoa21_code"] not in d.lsoa_names:
            continue
        n = int(r["usual_residents"])
        lsoa_all[r["lsoa21_code"]] += n
        if r["age_group"] != "Aged 15 years and under":
            lsoa_16[r["lsoa21_code"]] += n
    source = "ONS Census 2021 custom dataset: usual residents by age (6 groups), LSOA21"
    rows = []
    for code in sorted(d.lsoa_names):
        rows.append(
            _population_row(code, "usual_residents", lsoa_all[code], lsoa_all[code], source)
        )
        rows.append(
            _population_row(code, "residents_16_plus", lsoa_16[code], lsoa_all[code], source)
        )
    for parent, names, how in (
        (d.lsoa_msoa, d.msoa_names, SUM_OF_LSOAS),
        (d.lsoa_ward, d.ward_names, WARD_SUM_OF_LSOAS),
    ):
        for code in sorted(names):
            members = [c for c in d.lsoa_names if parent[c] == code]
            total = sum(lsoa_all[c] for c in members)
            adults = sum(lsoa_16[c] for c in members)
            summed = f"{source}; {how}"
            rows.append(_population_row(code, "usual_residents", total, total, summed))
            rows.append(_population_row(code, "residents_16_plus", adults, total, summed))
    return rows


# How a figure summed from LSOAs says so in its `source`.
SUM_OF_LSOAS = "sum of its LSOA21 counts"
WARD_SUM_OF_LSOAS = "sum of its LSOA21 counts (best-fit LSOA to ward lookup, 2024)"


def lgb_trans_msoa_rows(raw: Path, d: District) -> list[dict]:
    """Step 4, LGB+ and trans residents by MSOA: TS077 sexual orientation counts, and
    gender identity as implied counts (the House of Commons Library's published
    proportions times the TS077 aged-16+ total, rounded to a whole person)."""
    ts077: dict[str, dict[str, int]] = {}
    for r in _read_csv(raw / RAW["msoa_ts077"]):
        if r["msoa21_code"] in d.msoa_names:
            counts = ts077.setdefault(r["msoa21_code"], {"total": int(r["total_residents"])})
            counts[r["sexual_orientation"]] = int(r["n"])
    if set(ts077) != set(d.msoa_names):
        raise ReferenceBuildError("TS077 MSOA file does not cover every MSOA of the district")
    src77 = "ONS Census 2021 TS077 sexual orientation, MSOA21"
    rows = []
    for code in sorted(d.msoa_names):
        counts = ts077[code]
        for measure, n in _sexual_orientation(counts).items():
            rows.append(_population_row(code, measure, n, counts["total"], src77))
    src78 = (
        "House of Commons Library, LGBT+ Census 2021 MSOA proportions (TS078) x TS077 MSOA "
        "aged-16+ total, rounded: an implied count"
    )
    for r in _read_csv(raw / RAW["msoa_ts078_props"]):
        if r["msoa21cd"] in d.msoa_names:
            total = ts077[r["msoa21cd"]]["total"]
            implied = round(float(r["all_diff_id"]) * total)
            rows.append(_population_row(r["msoa21cd"], "trans", implied, total, src78))
    return rows


def district_rows(raw: Path, d: District) -> list[dict]:
    """Step 5, the district's measures: the published LTLA figures, untouched."""
    return district_measure_rows(raw, {d.code})[d.code]


def district_measure_rows(raw: Path, codes: set[str]) -> dict[str, list[dict]]:
    """The published LTLA measures of each of these districts (all residents, residents
    16+, and every community measure the census gives at district level), each Nomis file
    read once however many districts are asked for: code -> population rows."""
    tables = {
        name: _nomis_rows(raw / RAW[name], codes)
        for name in ("ts001", "ts071", "ts077", "ts078", "ts004", "ts022", "ts024", "ts005")
    }
    crosses = _sogi_crosses(raw / RAW["sogi_cross"], codes)
    out = {}
    for code in sorted(codes):
        missing = [name for name, rows in tables.items() if code not in rows]
        if missing or code not in crosses:
            raise ReferenceBuildError(f"no row for district {code} in {missing or 'sogi_cross'}")
        out[code] = _one_district_rows(
            code, {n: rows[code] for n, rows in tables.items()}, crosses[code]
        )
    return out


def _one_district_rows(
    code: str, row: dict[str, dict[str, int]], cross: dict[str, int]
) -> list[dict]:
    ts001, ts071 = row["ts001"], row["ts071"]
    residents = (
        ts001["Residence type: Total"] if "Residence type: Total" in ts001 else _total(ts001)
    )
    rows = [
        _population_row(code, "usual_residents", residents, residents, "ONS Census 2021 TS001"),
        _population_row(
            code,
            "residents_16_plus",
            _total(ts071),
            residents,
            "ONS Census 2021 TS071 (table total)",
        ),
    ]
    rows += TS071.rows(code, ts071)
    rows += TS077.rows(code, row["ts077"])
    rows += TS078.rows(code, row["ts078"])
    src_cross = (
        "ONS Census 2021 custom dataset: gender identity (7 categories) by sexual "
        "orientation (4 categories)"
    )
    rows.append(_population_row(code, "lgbtq_plus", cross["lgbtq_plus"], cross["total"], src_cross))
    rows.append(
        _population_row(
            code, "lgbtq_plus_not_answered", cross["not_answered"], cross["total"], src_cross
        )
    )
    for table in (TS004, TS022, TS024, TS005):
        rows += table.rows(code, row[table.table])
    return rows


# Nomis bulk small-area files a user may add anywhere under the raw folder: ONS publishes
# these tables for every MSOA and LSOA of England and Wales (census2021-tsNNN.zip, file
# census2021-tsNNN-msoa.csv or -lsoa.csv), in the layout of the district files.
SMALL_AREA_TABLES: tuple[TableMeasures, ...] = (TS071, TS004, TS022, TS024, TS005)
NOMIS_SMALL_AREA_FILE = re.compile(r"census2021-(ts\d{3})-(lsoa|msoa)\.csv")


def find_small_area_files(raw: Path) -> dict[tuple[str, str], Path]:
    """Nomis bulk small-area files anywhere under `raw` (symbolic links followed), by
    their Nomis names: (table, "lsoa" | "msoa") -> path, for the tables the build uses.
    Two files of one name are ambiguous, so the build stops and names both."""
    wanted = {t.table for t in SMALL_AREA_TABLES}
    found: dict[tuple[str, str], Path] = {}
    seen: set[str] = set()
    for folder, subfolders, files in os.walk(raw, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree
            subfolders[:] = []
            continue
        seen.add(real)
        subfolders.sort()
        for name in sorted(files):
            match = NOMIS_SMALL_AREA_FILE.fullmatch(name)
            if not match or match[1] not in wanted:
                continue
            path = Path(folder) / name
            if (match[1], match[2]) in found:
                raise ReferenceBuildError(
                    f"{name} found twice: {found[match[1], match[2]]} and {path}; keep one"
                )
            found[match[1], match[2]] = path
    return found


def _covering(path: Path, codes: dict[str, str], level: str) -> dict[str, dict[str, int]]:
    """The rows of a small-area file for every one of the district's areas of a level."""
    rows = _nomis_rows(path, set(codes))
    missing = sorted(set(codes) - set(rows))
    if missing:
        raise ReferenceBuildError(
            f"{path.name}: no row for {len(missing)} of the district's {level.upper()}s "
            f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''})"
        )
    return rows


def _summed(rows: list[dict[str, int]]) -> dict[str, int]:
    """Category counts added over areas (a ward or an MSOA from its LSOAs)."""
    return {category: sum(r[category] for r in rows) for category in rows[0]}


def small_area_rows(d: District, files: dict[tuple[str, str], Path]) -> list[dict]:
    """Step 5b, small-area measures from Nomis bulk files, when a user has supplied them.

    For each table of `SMALL_AREA_TABLES` with an LSOA file: a row per LSOA, each MSOA
    (from its MSOA file if there is one, else the sum of its LSOAs) and each ward (the sum
    of its LSOAs, by the best-fit lookup), as for all residents. With only an MSOA file: a
    row per MSOA. Denominators are each table's own total for the area (for TS071,
    residents aged 16 and over). No file, no rows: nothing is spread from the district.
    `files` is what `find_small_area_files` found.
    """
    rows: list[dict] = []
    for table in SMALL_AREA_TABLES:
        lsoa_file, msoa_file = files.get((table.table, "lsoa")), files.get((table.table, "msoa"))
        lsoa = _covering(lsoa_file, d.lsoa_names, "lsoa") if lsoa_file else {}
        msoa = _covering(msoa_file, d.msoa_names, "msoa") if msoa_file else {}
        lsoa_source = f"{table.source}, LSOA21 (Nomis bulk file)"
        for code in sorted(lsoa):
            rows += table.rows(code, lsoa[code], lsoa_source)
        for code in sorted(d.msoa_names):
            if msoa:
                rows += table.rows(code, msoa[code], f"{table.source}, MSOA21 (Nomis bulk file)")
            elif lsoa:
                members = [lsoa[c] for c in sorted(lsoa) if d.lsoa_msoa[c] == code]
                rows += table.rows(code, _summed(members), f"{lsoa_source}; {SUM_OF_LSOAS}")
        for code in sorted(d.ward_names) if lsoa else ():
            members = [lsoa[c] for c in sorted(lsoa) if d.lsoa_ward[c] == code]
            rows += table.rows(code, _summed(members), f"{lsoa_source}; {WARD_SUM_OF_LSOAS}")
    return rows


def boundary_collections(d: District, shapes: Shapes) -> dict[str, dict]:
    """Step 6, the boundaries: level -> a GeoJSON FeatureCollection, simplified for the
    browser, feature id = area code."""
    levels = (
        ("lsoa", shapes.lsoa, d.lsoa_names),
        ("msoa", shapes.msoa, d.msoa_names),
        ("ward", shapes.ward, d.ward_names),
        ("district", {d.code: shapes.district}, {d.code: d.name}),
    )
    return {
        level: _feature_collection((c, names[c], polygons[c]) for c in sorted(polygons))
        for level, polygons, names in levels
    }


def town_rows(d: District, shapes: Shapes) -> list[dict]:
    """Step 7, the towns: a label point at the centre of each town's wards (`TOWN_WARDS`;
    none for a district without an entry)."""
    towns = []
    by_name = {n: c for c, n in d.ward_names.items()}
    for town, wards in TOWN_WARDS.get(d.code, {}).items():
        members = [shapes.ward[by_name[w]] for w in wards if w in by_name]
        if members:
            lon, lat = _label_point(unary_union(members))
            towns.append(dict(town=town, label_lon=lon, label_lat=lat, wards="; ".join(wards)))
    return towns


def write_reference(
    out_dir: Path,
    d: District,
    *,
    areas: list[dict],
    population: list[dict],
    boundaries: dict[str, dict],
    towns: list[dict],
    calibration: list[dict],
    small_area_files: dict[str, str],
    forces: list[dict],
) -> None:
    """Step 9, write every file into `out_dir` (see data/README.md for what each holds).

    A measure declared "district only" that got small-area rows from Nomis bulk files
    says in measures.csv at which levels it now exists; build_info.json lists the bulk
    files read (relative to the raw folder), when there were any."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(out_dir / "areas.csv", areas)
    _write_csv(out_dir / "population.csv", population)
    level_of = {a["area_code"]: a["area_level"] for a in areas}
    levels: dict[str, set[str]] = {}
    for row in population:
        levels.setdefault(row["measure"], set()).add(level_of[row["area_code"]])
    _write_csv(
        out_dir / "measures.csv", [_measure_row(m, levels.get(m.measure, set())) for m in MEASURES]
    )
    _write_csv(out_dir / "towns.csv", towns, fields=["town", "label_lon", "label_lat", "wards"])
    for level, collection in boundaries.items():
        (out_dir / f"boundaries_{level}.geojson").write_text(
            json.dumps(collection, separators=(",", ":")), encoding="utf-8"
        )
    _write_csv(
        out_dir / "police_uk_calibration.csv",
        calibration,
        fields=["month", "crime_type", "outcome", "records"],
    )
    _write_csv(out_dir / "police_force_areas.csv", forces, fields=list(FORCE_FIELDS))
    meta = {
        "district_code": d.code,
        "district_name": d.name,
        "licence": OGL,
        "raw_files": RAW,
    }
    meta["national"] = {
        "files": list(NATIONAL_FILES),
        "districts": "ONS Local Authority Districts May 2023 (England and Wales), with their "
        "police force areas (LAD24 to PFA24 lookup) and Census 2021 LTLA baselines",
        "merged_2023": {new: list(parts) for new, parts in MERGED_2023.items()},
    }
    if small_area_files:
        meta["small_area_files"] = dict(sorted(small_area_files.items()))
    (out_dir / "build_info.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def build_reference(raw: Path, district: str, out_dir: Path = REFERENCE_DIR) -> dict[str, int]:
    """Build every derived file for one district; return row counts for the log.

    Everything is read and computed before anything is written, so a raw file that does
    not hold what the build needs leaves `out_dir` as it was."""
    raw = Path(raw)
    d = read_lookups(raw, district)
    small_area_files = find_small_area_files(raw)
    shapes = read_shapes(raw, d)
    areas = area_rows(raw, d, shapes)
    population = (
        resident_rows(raw, d)
        + lgb_trans_msoa_rows(raw, d)
        + district_rows(raw, d)
        + small_area_rows(d, small_area_files)
    )
    boundaries = boundary_collections(d, shapes)
    towns = town_rows(d, shapes)
    calibration = _police_uk_calibration(raw / RAW["police_uk_streets"], set(d.lsoa_names))
    forces = police_force_areas(raw)
    national = national_rows(raw)
    write_reference(
        Path(out_dir),
        d,
        areas=areas,
        population=population,
        boundaries=boundaries,
        towns=towns,
        calibration=calibration,
        forces=forces,
        small_area_files={
            path.name: path.relative_to(raw).as_posix() for path in small_area_files.values()
        },
    )
    write_national(Path(out_dir), national)
    return {
        "areas": len(areas),
        "population": len(population),
        "towns": len(towns),
        "calibration": len(calibration),
        "nomis_small_area_files": len(small_area_files),
        "districts": len(national.districts),
        "district_population": len(national.population),
    }


FORCE_FIELDS = ("district_code", "district_name", "force_code", "force_name")


def police_force_areas(raw: Path) -> list[dict]:
    """Every district of England and Wales with its police force area (ONS LAD24 to PFA24
    lookup): a Parquet snapshot partitions records by force (hidden_communities/snapshots.py),
    and a build for one district still needs to know its force."""
    rows = [
        {
            "district_code": r["ltla24_code"],
            "district_name": r["ltla24_name"],
            "force_code": r["pfa24_code"],
            "force_name": r["pfa24_name"],
        }
        for r in _read_csv(raw / RAW["police_force_areas"])
    ]
    return sorted(rows, key=lambda r: r["district_code"])


def _police_uk_calibration(folder: Path, lsoas: set[str]) -> list[dict]:
    """Step 8, the police.uk calibration: the district's published street-level crime by
    month, type and outcome group.

    The demonstration generator calibrates its volumes and mixes on these real counts.
    """
    from .vocab import CRIME_TYPES, POLICE_UK_OUTCOMES

    type_code = {label: code for code, label in CRIME_TYPES.items()}
    counts: dict[tuple[str, str, str], int] = {}
    for path in sorted(folder.glob("*-street.csv")):
        for r in _read_csv(path):
            if r["LSOA code"] in lsoas:
                key = (
                    r["Month"],
                    type_code[r["Crime type"]],
                    POLICE_UK_OUTCOMES[r["Last outcome category"]],
                )
                counts[key] = counts.get(key, 0) + 1
    return [
        dict(month=m, crime_type=t, outcome=o, records=n) for (m, t, o), n in sorted(counts.items())
    ]


def _sogi_cross(path: Path, district: str) -> dict[str, int]:
    """LGBTQ+ counted once, from the gender identity x sexual orientation cross-table."""
    found = _sogi_crosses(path, {district})
    if district not in found:
        raise ReferenceBuildError(f"{path.name}: no rows for {district}")
    return found[district]


def _sogi_crosses(path: Path, districts: set[str]) -> dict[str, dict[str, int]]:
    """`_sogi_cross` for many districts in one pass: code -> its three figures (only the
    districts with any resident in the table)."""
    out: dict[str, dict[str, int]] = {}
    for r in _read_csv(path):
        code = r["Lower tier local authorities Code"]
        if code not in districts:
            continue
        gi = int(r["Gender identity (7 categories) Code"])
        so = int(r["Sexual orientation (4 categories) Code"])
        n = int(r["Observation"])
        if gi == -8 or so == -8:  # "does not apply": residents under 16, all zero here
            continue
        counts = out.setdefault(code, {"total": 0, "lgbtq_plus": 0, "not_answered": 0})
        counts["total"] += n
        trans = gi in (2, 3, 4, 5)
        if so == 2 or trans:
            counts["lgbtq_plus"] += n
        elif gi == 6 or so == 3:
            counts["not_answered"] += n
    return {code: counts for code, counts in out.items() if counts["total"] > 0}


def _measure_row(m: Measure, levels: set[str]) -> dict:
    """A measures.csv row; `levels` are the area levels the build wrote rows for."""
    row = dict(m.__dict__)
    if m.geography == DISTRICT_ONLY and levels - {"district"}:
        row["geography"] = ", ".join(LEVEL_NAMES[lv] for lv in LEVEL_NAMES if lv in levels)
    return {"measure": row.pop("measure"), "community": m.community, **row}


def _write_csv(path: Path, rows: list[dict], fields: list[str] | None = None) -> None:
    fields = fields or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --------------------------------------------------------------------------- national

# The national reference: every district of England and Wales, its police force area, a
# label point, its baselines and its boundary. The boundaries are ONS's May 2023 districts
# (the police force lookup is 2024, with the same codes), but the Nomis tables are on the
# census's 2021 districts: in April 2023 seventeen of those were merged into four new
# unitary authorities (the Cumbria, North Yorkshire and Somerset Structural Changes Orders
# 2022). A merged district's figures are the sums of its 2021 districts' published counts
# (exact: the census counts add up), and its row says so; `national_rows` stops, naming
# them, if any other code fails to match.
MERGED_2023: dict[str, tuple[str, ...]] = {
    # Cumberland: Allerdale, Carlisle, Copeland
    "E06000063": ("E07000026", "E07000028", "E07000029"),
    # Westmorland and Furness: Barrow-in-Furness, Eden, South Lakeland
    "E06000064": ("E07000027", "E07000030", "E07000031"),
    # North Yorkshire: Craven, Hambleton, Harrogate, Richmondshire, Ryedale, Scarborough, Selby
    "E06000065": (
        "E07000163",
        "E07000164",
        "E07000165",
        "E07000166",
        "E07000167",
        "E07000168",
        "E07000169",
    ),
    # Somerset: Mendip, Sedgemoor, South Somerset, Somerset West and Taunton
    "E06000066": ("E07000187", "E07000188", "E07000189", "E07000246"),
}
RAW["district_geo"] = (
    "ons-boundaries-raw/Local_Authority_Districts_May_2023_UK_BUC_V2_9192825559924404736.geojson"
)
NATIONAL_FILES = ("districts.csv", "district_population.csv", "districts_ew.geojson")
DISTRICT_FIELDS = (
    "district_code",
    "district_name",
    "force_code",
    "force_name",
    "label_lon",
    "label_lat",
    "census_codes",
)
# The national boundaries are ONS's ultra-generalised (BUC) set already; simplified a little
# more (about 100 m) and rounded to 3 decimals, a map of 318 districts is about 300 kB.
# Named apart from the district's own `boundaries_*` files, whose size budget is theirs.
NATIONAL_SIMPLIFY_TOLERANCE = 0.001
NATIONAL_COORD_DECIMALS = 3


@dataclass(frozen=True)
class National:
    """The national reference, ready to write."""

    districts: list[dict]
    population: list[dict]
    boundaries: dict
    census_codes: int  # the Nomis LTLA rows read


def _rounded(obj, decimals: int):
    if isinstance(obj, float):
        return round(obj, decimals)
    if isinstance(obj, list | tuple):
        return [_rounded(o, decimals) for o in obj]
    return obj


def _summed_rows(code: str, parts: list[list[dict]], part_codes: tuple[str, ...]) -> list[dict]:
    """A merged district's rows: each measure's count and denominator summed over its 2021
    districts, in the order the rows of one district come."""
    how = f"sum of its 2021 districts {', '.join(part_codes)}"
    rows = []
    for i, first in enumerate(parts[0]):
        same = [p[i] for p in parts]
        if any(r["measure"] != first["measure"] for r in same):
            raise ReferenceBuildError(f"{code}: its 2021 districts' rows do not line up")
        rows.append(
            _population_row(
                code,
                first["measure"],
                sum(r["count"] for r in same),
                sum(r["denominator"] for r in same),
                f"{first['source']}; {how}",
            )
        )
    return rows


def national_rows(raw: Path) -> National:
    """Every district of England and Wales (the May 2023 boundaries, Scotland and Northern
    Ireland dropped) with its force, label point, census baselines and polygon."""
    raw = Path(raw)
    census = {r["geography code"]: r["geography"] for r in _read_csv(raw / RAW["ts001"])}
    geo = json.loads((raw / RAW["district_geo"]).read_text(encoding="utf-8"))
    features = {
        f["properties"]["LAD23CD"]: f
        for f in geo["features"]
        if f["properties"]["LAD23CD"][0] in "EW"
    }
    merged_parts = {c for parts in MERGED_2023.values() for c in parts}
    unmatched_census = sorted(set(census) - set(features) - merged_parts)
    unmatched_geo = sorted(set(features) - set(census) - set(MERGED_2023))
    if unmatched_census or unmatched_geo or not merged_parts <= set(census):
        raise ReferenceBuildError(
            "district codes do not match: census without boundary "
            f"{unmatched_census}, boundary without census {unmatched_geo}, merged parts "
            f"missing from the census {sorted(merged_parts - set(census))}"
        )
    forces = {r["district_code"]: r for r in police_force_areas(raw)}  # duplicates collapse
    missing_force = sorted(set(features) - set(forces))
    if missing_force:
        raise ReferenceBuildError(f"no police force area for {missing_force}")
    by_census = district_measure_rows(raw, set(census))
    districts, population, out_features = [], [], []
    for code in sorted(features):
        feature = features[code]
        name = feature["properties"]["LAD23NM"]
        polygon = shape(feature["geometry"])
        lon, lat = _label_point(polygon)
        parts = MERGED_2023.get(code, (code,))
        districts.append(
            dict(
                district_code=code,
                district_name=name,
                force_code=forces[code]["force_code"],
                force_name=forces[code]["force_name"],
                label_lon=lon,
                label_lat=lat,
                census_codes=";".join(parts),
            )
        )
        population += (
            by_census[code]
            if code in census
            else _summed_rows(code, [by_census[c] for c in parts], parts)
        )
        geometry = mapping(polygon.simplify(NATIONAL_SIMPLIFY_TOLERANCE, preserve_topology=True))
        out_features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": name},
                "geometry": {
                    "type": geometry["type"],
                    "coordinates": _rounded(geometry["coordinates"], NATIONAL_COORD_DECIMALS),
                },
            }
        )
    return National(
        districts=districts,
        population=population,
        boundaries={"type": "FeatureCollection", "features": out_features},
        census_codes=len(census),
    )


def write_national(out_dir: Path, national: National) -> None:
    """Write the national files (see data/README.md) into `out_dir`."""
    _write_csv(out_dir / "districts.csv", national.districts, fields=list(DISTRICT_FIELDS))
    _write_csv(out_dir / "district_population.csv", national.population)
    (out_dir / "districts_ew.geojson").write_text(
        json.dumps(national.boundaries, separators=(",", ":")), encoding="utf-8"
    )
