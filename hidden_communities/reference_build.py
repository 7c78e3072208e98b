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

Run: `python -m hidden_communities build-reference --raw ../shared/reference-data`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
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
        "district only",
        "ONS Census 2021 TS071",
        "Sum of the three 'previously served' categories.",
        True,
    ),
    Measure(
        "veterans_regular",
        "Previously served in regular forces only",
        "Usual residents aged 16 and over",
        "district only",
        "ONS Census 2021 TS071",
        "Published count.",
    ),
    Measure(
        "veterans_reserve",
        "Previously served in reserve forces only",
        "Usual residents aged 16 and over",
        "district only",
        "ONS Census 2021 TS071",
        "Published count.",
    ),
    Measure(
        "veterans_both",
        "Previously served in both regular and reserve forces",
        "Usual residents aged 16 and over",
        "district only",
        "ONS Census 2021 TS071",
        "Published count.",
    ),
    Measure(
        "lgbtq_plus",
        "LGB+ sexual orientation or gender identity different from sex at birth",
        "Usual residents aged 16 and over",
        "district only",
        "ONS Census 2021 custom dataset: gender identity (7) by sexual orientation (4)",
        "Everyone who answered LGB+ or a gender identity different from sex at birth, counted once.",
        True,
    ),
    Measure(
        "lgbtq_plus_not_answered",
        "Not identified as LGBTQ+ and left the sexual orientation or gender identity question unanswered",
        "Usual residents aged 16 and over",
        "district only",
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
        "district only",
        "ONS Census 2021 TS078",
        "Published count.",
    ),
    Measure(
        "born_eu8_eu2",
        "Born in a 2004 or 2007 EU accession country (EU8 + EU2: Poland, Lithuania, Latvia, "
        "Estonia, Czechia, Slovakia, Hungary, Slovenia, Romania, Bulgaria)",
        "All usual residents",
        "district only",
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
        "district only",
        "ONS Census 2021 TS004",
        "Published count.",
    ),
    Measure(
        "born_eu2",
        "Born in Romania or Bulgaria (EU2, 2007 accession)",
        "All usual residents",
        "district only",
        "ONS Census 2021 TS004",
        "Published count.",
    ),
    Measure(
        "ethnic_group_eastern_european",
        "White ethnic group written in as an Eastern European identity",
        "All usual residents",
        "district only",
        "ONS Census 2021 TS022 (detailed ethnic group)",
        "Sum of White: " + ", ".join(EE_ETHNIC_GROUPS) + ".",
    ),
    Measure(
        "main_language_eastern_european",
        "Main language an Eastern European language",
        "Usual residents aged 3 and over",
        "district only",
        "ONS Census 2021 TS024 (detailed main language)",
        "Sum of " + ", ".join(EE_LANGUAGES + EE_LANGUAGES_NON_EU) + ".",
    ),
    Measure(
        "passport_poland_romania_lithuania",
        "Holds a Polish, Romanian or Lithuanian passport",
        "All usual residents",
        "district only",
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


def _nomis_row(path: Path, district: str) -> dict[str, int]:
    """The district's row of a Nomis LTLA bulk file, keyed by category (prefix stripped)."""
    for row in _read_csv(path):
        if row["geography code"] == district:
            out = {}
            for header, value in row.items():
                if header in ("date", "geography", "geography code"):
                    continue
                # "Country of birth: Europe: EU countries: ...; measures: Value" -> the category
                category = header.split(";")[0].split(": ", 1)[1]
                out[category] = int(value)
            return out
    raise ReferenceBuildError(f"{path.name}: no row for district {district}")


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


def resolve_district(raw: Path, district: str) -> tuple[str, str]:
    """Accept a local-authority code or name; return (code, name)."""
    for row in _read_csv(raw / RAW["lookup_lsoa_ward"]):
        if district in (row["ltla24_code"], row["ltla24_name"]):
            return row["ltla24_code"], row["ltla24_name"]
    raise ReferenceBuildError(f"district {district!r} not found in {RAW['lookup_lsoa_ward']}")


def build_reference(raw: Path, district: str, out_dir: Path = REFERENCE_DIR) -> dict[str, int]:
    """Build every derived file for one district; return row counts for the log."""
    raw = Path(raw)
    district_code, district_name = resolve_district(raw, district)
    lookup = [
        r for r in _read_csv(raw / RAW["lookup_lsoa_ward"]) if r["ltla24_code"] == district_code
    ]
    lsoa_names = {r["lsoa21_code"]: r["lsoa21_name"] for r in lookup}
    lsoa_ward = {r["lsoa21_code"]: r["ward24_code"] for r in lookup}
    ward_names = {r["ward24_code"]: r["ward24_name"] for r in lookup}

    # MSOAs: an LSOA's name is its MSOA's name plus one letter.
    msoa_geo = json.loads((raw / RAW["msoa_geo"]).read_text(encoding="utf-8"))
    msoa_by_name = {
        f["properties"]["msoa21_name"]: f["properties"]["msoa21_code"] for f in msoa_geo["features"]
    }
    lsoa_msoa = {}
    for code, name in lsoa_names.items():
        msoa_name = name[:-1]
        if msoa_name not in msoa_by_name:
            raise ReferenceBuildError(f"LSOA {code} {name}: no MSOA named {msoa_name!r}")
        lsoa_msoa[code] = msoa_by_name[msoa_name]
    msoa_names = {c: n for n, c in msoa_by_name.items() if c in set(lsoa_msoa.values())}

    lsoa_shapes = _load_shapes(raw / RAW["lsoa_geo"], "lsoa21_code", set(lsoa_names))
    msoa_shapes = _load_shapes(raw / RAW["msoa_geo"], "msoa21_code", set(msoa_names))
    ward_shapes = _load_shapes(raw / RAW["ward_geo"], "ward22_code", set(ward_names))
    district_shape = unary_union(list(lsoa_shapes.values()))

    ruc = {r["lsoa21_code"]: r["ruc"] for r in _read_csv(raw / RAW["ruc"])}

    # ---- areas
    def point(geom: BaseGeometry) -> tuple[float, float]:
        p = geom.representative_point()
        return round(p.x, COORD_DECIMALS), round(p.y, COORD_DECIMALS)

    areas = []
    for code in sorted(lsoa_names):
        lon, lat = point(lsoa_shapes[code])
        areas.append(
            dict(
                area_code=code,
                area_level="lsoa",
                area_name=lsoa_names[code],
                msoa_code=lsoa_msoa[code],
                ward_code=lsoa_ward[code],
                district_code=district_code,
                label_lon=lon,
                label_lat=lat,
                rural_urban=ruc.get(code, ""),
            )
        )
    for code in sorted(msoa_names):
        lon, lat = point(msoa_shapes[code])
        areas.append(
            dict(
                area_code=code,
                area_level="msoa",
                area_name=msoa_names[code],
                msoa_code=code,
                ward_code="",
                district_code=district_code,
                label_lon=lon,
                label_lat=lat,
                rural_urban="",
            )
        )
    for code in sorted(ward_names):
        lon, lat = point(ward_shapes[code])
        areas.append(
            dict(
                area_code=code,
                area_level="ward",
                area_name=ward_names[code],
                msoa_code="",
                ward_code=code,
                district_code=district_code,
                label_lon=lon,
                label_lat=lat,
                rural_urban="",
            )
        )
    lon, lat = point(district_shape)
    areas.append(
        dict(
            area_code=district_code,
            area_level="district",
            area_name=district_name,
            msoa_code="",
            ward_code="",
            district_code=district_code,
            label_lon=lon,
            label_lat=lat,
            rural_urban="",
        )
    )

    # ---- population
    population: list[dict] = []

    def add(area, measure, count, denominator, source):
        population.append(
            dict(
                area_code=area,
                community=registry.community_of_measure(measure) or registry.ALL_RESIDENTS,
                measure=measure,
                count=int(count),
                denominator=int(denominator),
                source=source,
            )
        )

    age_rows = [r for r in _read_csv(raw / RAW["lsoa_age"]) if r["lsoa21_code"] in lsoa_names]
    lsoa_all = dict.fromkeys(lsoa_names, 0)
    lsoa_16 = dict.fromkeys(lsoa_names, 0)
    for r in age_rows:
        n = int(r["usual_residents"])
        lsoa_all[r["lsoa21_code"]] += n
        if r["age_group"] != "Aged 15 years and under":
            lsoa_16[r["lsoa21_code"]] += n
    age_source = "ONS Census 2021 custom dataset: usual residents by age (6 groups), LSOA21"
    for code in sorted(lsoa_names):
        add(code, "usual_residents", lsoa_all[code], lsoa_all[code], age_source)
        add(code, "residents_16_plus", lsoa_16[code], lsoa_all[code], age_source)
    for parent, names, how in (
        (lsoa_msoa, msoa_names, "sum of its LSOA21 counts"),
        (lsoa_ward, ward_names, "sum of its LSOA21 counts (best-fit LSOA to ward lookup, 2024)"),
    ):
        for code in sorted(names):
            members = [c for c in lsoa_names if parent[c] == code]
            total = sum(lsoa_all[c] for c in members)
            adults = sum(lsoa_16[c] for c in members)
            add(code, "usual_residents", total, total, f"{age_source}; {how}")
            add(code, "residents_16_plus", adults, total, f"{age_source}; {how}")

    # MSOA sexual orientation (counts) and gender identity (implied from proportions).
    ts077_msoa: dict[str, dict[str, int]] = {}
    for r in _read_csv(raw / RAW["msoa_ts077"]):
        if r["msoa21_code"] in msoa_names:
            d = ts077_msoa.setdefault(r["msoa21_code"], {"total": int(r["total_residents"])})
            d[r["sexual_orientation"]] = int(r["n"])
    if set(ts077_msoa) != set(msoa_names):
        raise ReferenceBuildError("TS077 MSOA file does not cover every MSOA of the district")
    src77 = "ONS Census 2021 TS077 sexual orientation, MSOA21"
    for code in sorted(msoa_names):
        d = ts077_msoa[code]
        lgb = d["Gay or Lesbian"] + d["Bisexual"] + d["All other sexual orientations"]
        add(code, "lgb_plus", lgb, d["total"], src77)
        add(code, "lgb_not_answered", d["Not answered"], d["total"], src77)
        add(code, "gay_lesbian", d["Gay or Lesbian"], d["total"], src77)
        add(code, "bisexual", d["Bisexual"], d["total"], src77)
        add(
            code,
            "other_orientation",
            d["All other sexual orientations"],
            d["total"],
            src77,
        )
    src78m = (
        "House of Commons Library, LGBT+ Census 2021 MSOA proportions (TS078) x TS077 MSOA "
        "aged-16+ total, rounded: an implied count"
    )
    for r in _read_csv(raw / RAW["msoa_ts078_props"]):
        if r["msoa21cd"] in msoa_names:
            total = ts077_msoa[r["msoa21cd"]]["total"]
            add(
                r["msoa21cd"],
                "trans",
                round(float(r["all_diff_id"]) * total),
                total,
                src78m,
            )

    # District: the published LTLA figures, untouched.
    ts001 = _nomis_row(raw / RAW["ts001"], district_code)
    ts004 = _nomis_row(raw / RAW["ts004"], district_code)
    ts005 = _nomis_row(raw / RAW["ts005"], district_code)
    ts022 = _nomis_row(raw / RAW["ts022"], district_code)
    ts024 = _nomis_row(raw / RAW["ts024"], district_code)
    ts071 = _nomis_row(raw / RAW["ts071"], district_code)
    ts077 = _nomis_row(raw / RAW["ts077"], district_code)
    ts078 = _nomis_row(raw / RAW["ts078"], district_code)
    dc = district_code
    residents = (
        ts001["Residence type: Total"] if "Residence type: Total" in ts001 else _total(ts001)
    )
    adults = _total(ts071)
    add(dc, "usual_residents", residents, residents, "ONS Census 2021 TS001")
    add(
        dc,
        "residents_16_plus",
        adults,
        residents,
        "ONS Census 2021 TS071 (table total)",
    )

    vet = {
        "veterans_regular": _pick(ts071, "Previously served in UK armed forces"),
        "veterans_reserve": _pick(ts071, "Previously served in UK reserve armed forces"),
        "veterans_both": _pick(
            ts071, "Previously served in both regular and reserve UK armed forces"
        ),
    }
    add(dc, "veterans", sum(vet.values()), adults, "ONS Census 2021 TS071")
    for measure, n in vet.items():
        add(dc, measure, n, adults, "ONS Census 2021 TS071")

    t77 = _total(ts077)
    src77d = "ONS Census 2021 TS077"
    add(
        dc,
        "lgb_plus",
        _pick(ts077, "Gay or Lesbian", "Bisexual", "All other sexual orientations"),
        t77,
        src77d,
    )
    add(dc, "lgb_not_answered", _pick(ts077, "Not answered"), t77, src77d)
    add(dc, "gay_lesbian", _pick(ts077, "Gay or Lesbian"), t77, src77d)
    add(dc, "bisexual", _pick(ts077, "Bisexual"), t77, src77d)
    add(dc, "other_orientation", _pick(ts077, "All other sexual orientations"), t77, src77d)
    t78 = _total(ts078)
    trans = _pick(
        ts078,
        "Gender identity different from sex registered at birth but no specific identity given",
        "Trans woman",
        "Trans man",
        "All other gender identities",
    )
    add(dc, "trans", trans, t78, "ONS Census 2021 TS078")
    add(
        dc,
        "trans_not_answered",
        _pick(ts078, "Not answered"),
        t78,
        "ONS Census 2021 TS078",
    )

    cross = _sogi_cross(raw / RAW["sogi_cross"], district_code)
    src_cross = "ONS Census 2021 custom dataset: gender identity (7 categories) by sexual orientation (4 categories)"
    add(dc, "lgbtq_plus", cross["lgbtq_plus"], cross["total"], src_cross)
    add(dc, "lgbtq_plus_not_answered", cross["not_answered"], cross["total"], src_cross)

    cob_total = _total(ts004)
    eu8 = _pick(ts004, "Europe: EU countries: European Union EU8")
    eu2 = _pick(ts004, "Europe: EU countries: European Union EU2")
    add(dc, "born_eu8_eu2", eu8 + eu2, cob_total, "ONS Census 2021 TS004")
    add(dc, "born_eu8", eu8, cob_total, "ONS Census 2021 TS004")
    add(dc, "born_eu2", eu2, cob_total, "ONS Census 2021 TS004")
    add(
        dc,
        "ethnic_group_eastern_european",
        _pick(ts022, *(f"White: {g}" for g in EE_ETHNIC_GROUPS)),
        _total(ts022),
        "ONS Census 2021 TS022",
    )
    add(
        dc,
        "main_language_eastern_european",
        _pick(
            ts024,
            *(f"Other European language (EU): {lang}" for lang in EE_LANGUAGES),
            "Russian",
            "Other European language (non EU): Ukrainian",
        ),
        _total(ts024),
        "ONS Census 2021 TS024",
    )
    add(
        dc,
        "passport_poland_romania_lithuania",
        _pick(ts005, *(f"Europe: Other Europe: EU Member countries: {c}" for c in EE_PASSPORTS)),
        _total(ts005),
        "ONS Census 2021 TS005",
    )

    # ---- write
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(out_dir / "areas.csv", areas)
    _write_csv(out_dir / "population.csv", population)
    _write_csv(out_dir / "measures.csv", [_measure_row(m) for m in MEASURES])

    towns = []
    by_name = {n: c for c, n in ward_names.items()}
    for town, wards in TOWN_WARDS.get(district_code, {}).items():
        members = [ward_shapes[by_name[w]] for w in wards if w in by_name]
        if members:
            lon, lat = point(unary_union(members))
            towns.append(dict(town=town, label_lon=lon, label_lat=lat, wards="; ".join(wards)))
    _write_csv(out_dir / "towns.csv", towns, fields=["town", "label_lon", "label_lat", "wards"])

    for level, shapes, names in (
        ("lsoa", lsoa_shapes, lsoa_names),
        ("msoa", msoa_shapes, msoa_names),
        ("ward", ward_shapes, ward_names),
        ("district", {district_code: district_shape}, {district_code: district_name}),
    ):
        fc = _feature_collection((c, names[c], shapes[c]) for c in sorted(shapes))
        (out_dir / f"boundaries_{level}.geojson").write_text(
            json.dumps(fc, separators=(",", ":")), encoding="utf-8"
        )

    calibration = _police_uk_calibration(raw / RAW["police_uk_streets"], set(lsoa_names))
    _write_csv(
        out_dir / "police_uk_calibration.csv",
        calibration,
        fields=["month", "crime_type", "outcome", "records"],
    )

    meta = {
        "district_code": district_code,
        "district_name": district_name,
        "licence": OGL,
        "raw_files": RAW,
    }
    (out_dir / "build_info.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return {
        "areas": len(areas),
        "population": len(population),
        "towns": len(towns),
        "calibration": len(calibration),
    }


def _police_uk_calibration(folder: Path, lsoas: set[str]) -> list[dict]:
    """The district's published street-level crime by month, type and outcome group.

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
    total = lgbtq = not_answered = 0
    for r in _read_csv(path):
        if r["Lower tier local authorities Code"] != district:
            continue
        gi = int(r["Gender identity (7 categories) Code"])
        so = int(r["Sexual orientation (4 categories) Code"])
        n = int(r["Observation"])
        if gi == -8 or so == -8:  # "does not apply": residents under 16, all zero here
            continue
        total += n
        trans = gi in (2, 3, 4, 5)
        if so == 2 or trans:
            lgbtq += n
        elif gi == 6 or so == 3:
            not_answered += n
    if total == 0:
        raise ReferenceBuildError(f"{path.name}: no rows for {district}")
    return {"total": total, "lgbtq_plus": lgbtq, "not_answered": not_answered}


def _measure_row(m: Measure) -> dict:
    row = dict(m.__dict__)
    return {"measure": row.pop("measure"), "community": m.community, **row}


def _write_csv(path: Path, rows: list[dict], fields: list[str] | None = None) -> None:
    fields = fields or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
