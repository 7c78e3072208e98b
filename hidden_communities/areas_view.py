"""The engagement map: per-area indicators for one community, and the choropleth.

What the census reference data holds decides what the map can show. All residents are
published for every LSOA (wards and MSOAs are sums of LSOAs); LGB+ residents by MSOA, a
named proxy for LGBTQ+ (gender identity is published only as shares there); veterans and
Eastern European residents for the whole district only, unless the Nomis bulk small-area
files were added to the reference build (data/README.md). So a per-1,000 rate exists
only where a community's census count has rows at the map's level (`area_measure`,
which asks the data, not only the registry's declaration). Elsewhere the map shows the
count and says why; its ratio compares each area's community share of contacts with the
district population share, and names that comparison as a proxy, because it assumes
every area has the district's mix of residents.

No streamlit here: `map_frame` takes the frame `queries/map_by_area.sql` returns, the
figure builder takes the disclosed frame.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from . import annual, baselines, flags, registry, stats, text, vocab
from .charts import FONT, OKABE_ITO, base_layout
from .disclosure import DisclosureSpec
from .settings import REFERENCE_DIR
from .tables import Col, format_value, is_missing, note_of, readable

# The choices' codes and their labels (vocab and the text catalogues).
LEVEL_LABELS = vocab.MAP_LEVELS
LEVEL_NOUNS = vocab.LEVEL_NOUNS
MEASURE_LABELS = vocab.MAP_MEASURES
RECORD_LABELS = vocab.RECORD_KINDS
RECORD_NOUNS = vocab.RECORD_NOUNS
FOCUS_LABELS = vocab.POPULATION_COMMUNITIES
UNPLACED_LABELS = vocab.LabelView("unplaced", ("no_area", "ward_only", "msoa_only"))

MIN_NUMERATOR = stats.MIN_NUMERATOR


def too_few_text() -> str:
    return text.t("map.too_few", n=MIN_NUMERATOR)


def area_measure(community: str, level: str, held: baselines.Held | None = None) -> str | None:
    """The census measure the community has at this map level, or None: the registry's
    declared baseline, only where the reference data has population rows for it there.

    `held`: the (measure, level) pairs with rows, from the database the page reads
    (queries/baseline_levels.sql); by default those of the reference files in
    data/reference, which the app's database is built from."""
    if level not in LEVEL_LABELS:
        raise ValueError(f"map level must be one of {tuple(LEVEL_LABELS)}, got {level!r}")
    if community == registry.ALL_RESIDENTS:
        return registry.ALL_AGES
    held = baselines.in_reference_dir() if held is None else held
    return registry.get(community).baseline_at(level, held)


def _own_levels(community: str, held: baselines.Held | None) -> list[str]:
    """The map levels with the community's own census count (not a proxy's)."""
    if community == registry.ALL_RESIDENTS:
        return list(LEVEL_LABELS)
    record = registry.get(community)
    held = baselines.in_reference_dir() if held is None else held
    return [lv for lv in record.baseline_levels(held) if not record.is_proxy_at(lv)]


@dataclass(frozen=True)
class MapView:
    """What the map shows for a choice of community, records, level and measure."""

    community: str
    records: str
    level: str
    measure: str  # the measure drawn: "rate", "ratio" or "count"
    requested: str  # the measure asked for (a rate falls back to the count without a baseline)
    notes: tuple[str, ...]  # what the census can and cannot say here, in words
    # Days the period covers: rates are then per 1,000 residents a year (annual.per_year);
    # None only where no period is known (a rate over the records as given).
    days: int | None = None

    @property
    def per(self) -> float:
        """What count / residents is multiplied by for the rate drawn."""
        return annual.per_year(self.days) if self.days else annual.PER

    @property
    def rate_unit(self) -> str:
        return "per 1,000 a year" if self.days else "per 1,000"

    @property
    def people(self) -> str:
        return text.people(self.community)

    @property
    def events(self) -> str:
        noun = RECORD_NOUNS[self.records]
        if self.community == vocab.ALL_RESIDENTS:
            return f"all {noun}"
        return f"{noun} with {text.people_mid(self.community)}"

    @property
    def value_label(self) -> str:
        if self.measure == "rate":
            return f"{RECORD_LABELS[self.records]} {self._rate_unit_of()}"
        if self.measure == "ratio":
            return "Representation ratio"
        return RECORD_LABELS[self.records]

    def _rate_unit_of(self) -> str:
        """ "per 1,000 residents a year": the unit and who it is of."""
        unit = f"per 1,000 {self._rate_base()}"
        return f"{unit} a year" if self.days else unit

    def _rate_base(self) -> str:
        """Who the rate is per 1,000 of: a proxy's people, else the community's own (its
        census count by area), else all residents."""
        if self._proxy_base():
            return self._proxy_base()
        if self.community == vocab.ALL_RESIDENTS:
            return "residents"
        return text.people_mid(self.community)

    def _proxy_base(self) -> str | None:
        """Who the rate is per 1,000 of, where a proxy stands in for the community."""
        if text.proxy(self.community, self.level) is None:
            return None
        return text.t(f"community.{self.community}.proxy_base.{self.level}")

    @property
    def title(self) -> str:
        where = "by ward" if self.level == "ward" else f"by {LEVEL_LABELS[self.level]}"
        if self.measure == "rate":
            proxy = " (proxy)" if self._proxy_base() else ""
            what = f"{self.events[0].upper() + self.events[1:]} {self._rate_unit_of()}{proxy}"
        elif self.measure == "ratio":
            what = f"Representation in {RECORD_NOUNS[self.records]}: {self.people}"
        else:
            what = f"Number of {self.events}"
        return f"{what}, {where}"


def map_view(
    community: str,
    records: str,
    level: str,
    measure: str,
    held: baselines.Held | None = None,
    days: int | None = None,
) -> MapView:
    """Resolve a choice into what can honestly be drawn, with the reasons in words.

    `held` as for `area_measure`: the page passes its database's. `days`: the days the
    period covers, so that rates are per 1,000 residents a year (`annual`)."""
    if community not in FOCUS_LABELS:
        raise ValueError(f"unknown community {community!r}")
    if records not in RECORD_LABELS or measure not in MEASURE_LABELS:
        raise ValueError(f"unknown records {records!r} or measure {measure!r}")
    baseline = area_measure(community, level, held)
    nouns = LEVEL_NOUNS[level]
    # Where the data has the community's own count at other levels, say which.
    elsewhere = ", ".join(LEVEL_NOUNS[lv] for lv in _own_levels(community, held))
    notes = []
    drawn = measure
    if measure == "rate" and baseline is None:
        drawn = "count"
        has = (
            f"by {elsewhere} but not by {nouns}"
            if elsewhere
            else "for the whole district only (ONS publishes small-area tables too; the "
            "Methods page says how to add them)"
        )
        notes.append(
            f"No rate per 1,000 for {nouns}: this build's census reference data has "
            f"{text.community(community, 'described')} {has}, so the map shows the "
            "number of records instead. Counts follow where people live and how many live "
            "there; compare areas with the ratio instead."
        )
    if measure == "ratio" and community != vocab.ALL_RESIDENTS and baseline is None:
        has = f"by {elsewhere} but not by {nouns}" if elsewhere else "for the district only"
        notes.append(
            f"Proxy: each area's share of {RECORD_NOUNS[records]} involving "
            f"{text.community(community, 'described')} is compared with their share of the whole district's "
            f"population, because this build's census reference data has them {has}. It "
            f"assumes every area has the district's mix of residents, which is not true "
            f"everywhere."
        )
    proxy = text.proxy(community, level)
    if proxy and drawn != "count":
        notes.append("Proxy: " + proxy)
    if measure == "ratio" and community == vocab.ALL_RESIDENTS:
        notes.append(
            f"For all residents the ratio is each area's share of the mapped "
            f"{RECORD_NOUNS[records]} against its share of the residents: below 1, the area "
            "has fewer records than its population suggests."
        )
    if community == vocab.ALL_RESIDENTS:
        notes.append(text.t("map.all_records_note", noun=RECORD_NOUNS[records]))
    return MapView(community, records, level, drawn, measure, tuple(notes), days)


# ------------------------------------------------------------------------------ indicators

MAP_SPEC = DisclosureSpec(
    counts=("events", "recorded", "all_events"),
    derived={
        **dict.fromkeys(
            (
                "rate",
                "rate_lower",
                "rate_upper",
                "comparison",
                "comparison_p_value",
                "comparison_p_adjusted",
            ),
            "events",
        ),
        **dict.fromkeys(
            (
                "ratio",
                "ratio_lower",
                "ratio_upper",
                "classification",
                "classification_p_value",
                "classification_p_adjusted",
            ),
            ("events", "recorded"),
        ),
    },
    # Areas and the not-placed rows add up to the district total the overview shows.
    totals_shown=True,
    area_level_column="area_level",
    public_columns=(
        "residents",
        "base_count",
        "base_denominator",
        "population_share",
        "comparison_tested",
        "classification_tested",
        *flags.LIMIT_COLUMNS,
    ),
)


def map_frame(raw: pd.DataFrame, view: MapView) -> pd.DataFrame:
    """One row per area (then one per reason a record is not on the map) with the count,
    the rate per 1,000 where a baseline exists, and the representation ratio.

    Areas are read after false discovery control (`flags`): `comparison` says whether an
    area's rate is higher or lower than all the areas' together, with limits widened for
    overdispersion (additive) when the areas vary more than chance allows, as the funnel
    does; `classification` reads the ratio against 1 after allowing for every area with
    a ratio."""
    kind = view.records
    out = pd.DataFrame(
        {
            "area_code": raw["area_code"],
            "area_name": raw["area_name"],
            "area_level": raw["area_level"],
            "unplaced_reason": raw["unplaced_reason"],
            "coverage": raw["coverage"],
            "events": raw[kind].astype("Int64"),
            "recorded": raw[f"{kind}_recorded"].astype("Int64"),
            "all_events": raw[f"all_{kind}"].astype("Int64"),
            "residents": pd.to_numeric(raw["residents"]).astype("Float64"),
            "base_count": pd.to_numeric(raw["base_count"]).astype("Float64"),
            "base_denominator": pd.to_numeric(raw["base_denominator"]).astype("Float64"),
        }
    )
    on_map = out["unplaced_reason"].isna()
    whole = on_map & (out["coverage"] == "all")
    has_base = whole & out["base_count"].notna() & (out["base_count"] > 0)
    # Rate per 1,000 residents of the community, only where its census count exists.
    base = pd.to_numeric(out["base_count"].where(has_base)).astype(float)
    per = view.per
    rates = stats.add_rate_intervals(out.assign(_d=base), "events", "_d", per=per)
    for col in ("rate", "rate_lower", "rate_upper"):
        out[col] = rates[col].to_numpy()
    overall = _overall_rate(out[has_base], per)
    chosen = flags.choose_limits(out["events"].where(has_base), base, overall, "rate", per)
    out = out.assign(**chosen.columns())
    compared = flags.compare_areas(
        out.assign(_d=base), "events", "_d", overall, "rate", per, chosen, col="comparison"
    )
    for col in ("comparison", "comparison_p_value", "comparison_p_adjusted", "comparison_tested"):
        out[col] = compared[col]
    out["comparison"] = out["comparison"].where(has_base, None)
    # The population share each ratio compares with.
    if view.community == vocab.ALL_RESIDENTS:
        group_pop, total_pop = out["residents"], out.loc[whole, "residents"].sum()
        total_events = out.loc[whole, "events"].sum()
        counts = out.assign(_t=total_events)
        total_col = "_t"
    else:
        district = raw[["district_count", "district_denominator"]].iloc[0]
        group_pop = out["base_count"].where(has_base, float(district["district_count"]))
        total_pop = out["base_denominator"].where(has_base, float(district["district_denominator"]))
        counts, total_col = out, "recorded"
    counts = counts.assign(
        _gp=pd.Series(group_pop, index=out.index).where(whole),
        _tp=pd.Series(total_pop, index=out.index).where(whole),
    )
    ratios = stats.add_representation_ratios(counts, "events", total_col, "_gp", "_tp")
    for col in ("ratio", "ratio_lower", "ratio_upper"):
        out[col] = ratios[col].to_numpy()
    out["population_share"] = (counts["_gp"] / counts["_tp"]).astype("Float64")
    share = pd.to_numeric(out["population_share"]).astype(float).where(out["ratio"].notna())
    classified = flags.classify_shares(counts, "events", total_col, share)
    for col in ("classification", "classification_p_value", "classification_p_adjusted"):
        out[col] = classified[col].where(whole, None if col == "classification" else np.nan)
    out["classification_tested"] = classified["classification_tested"]
    return out


def _overall_rate(rows: pd.DataFrame, per: float) -> float:
    base = rows["base_count"].sum()
    return float(rows["events"].sum() / base * per) if base > 0 else math.nan


def value_column(view: MapView) -> str:
    return {"rate": "rate", "ratio": "ratio", "count": "events"}[view.measure]


# ------------------------------------------------------------------------------ readings


def area_status(shown: pd.DataFrame, view: MapView) -> pd.Series:
    """How each mapped area is drawn: "shown", "too_few", "partial" or "outside"."""
    col = value_column(view)
    status = pd.Series("shown", index=shown.index, dtype=object)
    value = pd.to_numeric(shown[col], errors="coerce")
    events = pd.to_numeric(shown["events"], errors="coerce")
    small = value.isna()
    if view.measure != "count":
        small |= ~(events >= MIN_NUMERATOR)
    status[small] = "too_few"
    status[shown["coverage"] == "part"] = "partial"
    status[shown["coverage"] == "none"] = "outside"
    return status


def _count_text(row: pd.Series, col: str) -> str:
    value = row[col]
    return note_of(row, col) if is_missing(value) else f"{int(value):,}"


def _interval_text(row: pd.Series, col: str, fmt: str) -> str:
    value, lo, hi = row[col], row[f"{col}_lower"], row[f"{col}_upper"]
    if is_missing(value):
        return note_of(row, col) or "not available"
    text = format_value(value, fmt)
    if not (is_missing(lo) or is_missing(hi)):
        text += f" (95% CI {format_value(lo, fmt)} to {format_value(hi, fmt)})"
    return text


def _allowing(row: pd.Series, col: str, view: MapView) -> str:
    tested = row.get(f"{col}_tested")
    count = 0 if is_missing(tested) else int(tested)
    return flags.allowing(count, LEVEL_NOUNS[view.level])


def flag_sentence(shown: pd.DataFrame, view: MapView) -> str | None:
    """The areas flagged after false discovery control, for the measure drawn: higher or
    lower than all areas (rates), over- or under-represented (ratios); None for counts."""
    areas = shown[shown["unplaced_reason"].isna()]
    nouns = LEVEL_NOUNS[view.level]
    if view.measure == "rate":
        col, codes = "comparison", (stats.HIGHER, stats.LOWER)
    elif view.measure == "ratio":
        col, codes = "classification", (stats.OVER_REPRESENTED, stats.UNDER_REPRESENTED)
    else:
        return None
    allowing = flags.allowing(flags.tested_count(areas, col), nouns)
    areas = areas.assign(_v=pd.to_numeric(areas[value_column(view)], errors="coerce"))
    names = []
    for code in codes:
        rows = areas[areas[col] == code]
        rows = rows.sort_values("_v", ascending=code in (stats.HIGHER, stats.OVER_REPRESENTED))
        names.append(flags.listed(rows["area_name"]))
    if view.measure == "ratio":
        return text.t("map.ratio_flags", allowing=allowing, over=names[0], under=names[1])
    chosen = flags.from_frame(areas)
    spread = ""
    if chosen is not None and chosen.applied != stats.NO_ADJUSTMENT:
        spread = text.t(
            "map.spread",
            nouns=nouns,
            limits=text.label("funnel_limits_noun", chosen.applied),
            phi=flags.number(chosen.phi),
        )
    return text.t(
        "map.compared",
        nouns=nouns,
        allowing=allowing,
        spread=spread,
        higher=names[0],
        lower=names[1],
    )


def hover_text(row: pd.Series, view: MapView, status: str) -> str:
    """Area name, count, denominator, value and interval, in words (HTML for plotly)."""
    lines = [f"<b>{row['area_name']}</b>"]
    if status == "outside":
        return lines[0] + "<br>Outside the area filter (click to filter to it)"
    lines.append(f"{view.events[0].upper() + view.events[1:]}: {_count_text(row, 'events')}")
    if view.community != vocab.ALL_RESIDENTS:
        noun = RECORD_NOUNS[view.records]
        lines.append(
            f"{noun[0].upper() + noun[1:]} saying who was involved: {_count_text(row, 'recorded')}"
        )
    if status == "partial":
        lines.append("Only partly inside the area filter: no rate or ratio")
        return "<br>".join(lines)
    if view.measure == "rate":
        lines.append(
            f"Residents (Census 2021 baseline): {format_value(row['base_count'], 'count')}"
        )
        unit = view.rate_unit[0].upper() + view.rate_unit[1:]
        lines.append(f"{unit}: {_interval_text(row, 'rate', 'rate')}")
        reading = row.get("comparison")
        if not is_missing(reading) and reading != stats.CANNOT_BE_CALCULATED:
            lines.append(
                text.t(
                    "map.hover_compared",
                    reading=text.label("flag", reading),
                    allowing=_allowing(row, "comparison", view),
                )
            )
    elif view.measure == "ratio":
        share = row["population_share"]
        if not is_missing(share):
            lines.append(f"Population share compared with: {share:.1%}")
        lines.append(f"Ratio: {_interval_text(row, 'ratio', 'ratio')}")
        reading = row.get("classification")
        if not is_missing(reading):
            words = text.label("classification", reading)
            if reading != stats.TOO_FEW_TO_SAY:
                words = text.t(
                    "map.hover_reading",
                    reading=words,
                    allowing=_allowing(row, "classification", view),
                )
            lines.append(words)
    if status == "too_few" and view.measure != "count":
        lines.append(too_few_text())
    return "<br>".join(lines)


def map_sentence(shown: pd.DataFrame, view: MapView) -> str:
    """A one-line reading of the map, from the disclosed frame."""
    areas = shown[shown["unplaced_reason"].isna()]
    status = area_status(areas, view)
    ok = areas[status == "shown"]
    nouns = LEVEL_NOUNS[view.level]
    col = value_column(view)
    fmt = {"rate": "rate", "ratio": "ratio", "count": "count"}[view.measure]
    what = {"rate": view.rate_unit, "ratio": "ratio", "count": view.events}[view.measure]
    if ok.empty:
        head = f"No {nouns} have enough {view.events} to show"
    elif len(ok) == 1:
        row = ok.iloc[0]
        head = f"{row['area_name']}: {what} {format_value(row[col], fmt)}"
    else:
        top = ok.loc[pd.to_numeric(ok[col]).idxmax()]
        low = ok.loc[pd.to_numeric(ok[col]).idxmin()]
        head = (
            f"Highest {what}: {top['area_name']} ({format_value(top[col], fmt)}); lowest: "
            f"{low['area_name']} ({format_value(low[col], fmt)}), among {len(ok)} {nouns} shown"
        )
    inside = int((status != "outside").sum())
    tail = []
    few = int((status == "too_few").sum())
    if few and view.measure != "count":
        verb = "has" if few == 1 else "have"
        tail.append(f"{few} of {inside} {verb} too few {RECORD_NOUNS[view.records]} to say")
    partial = int((status == "partial").sum())
    if partial:
        tail.append(f"{partial} {'is' if partial == 1 else 'are'} only partly in the area filter")
    if inside < len(areas):
        tail.append(
            f"{len(areas) - inside} {'is' if len(areas) - inside == 1 else 'are'} "
            "outside the area filter"
        )
    sentence = head + "".join(f"; {t}" for t in tail) + "."
    flagged = flag_sentence(shown, view)
    return f"{sentence} {flagged}" if flagged else sentence


def unplaced_sentence(shown: pd.DataFrame, view: MapView) -> str:
    """How many records the map cannot place, and why."""
    rows = shown[shown["unplaced_reason"].notna()]
    parts = []
    for _, row in rows.iterrows():
        if not is_missing(row["events"]) and row["events"] == 0:
            continue
        reason = UNPLACED_LABELS[row["unplaced_reason"]].split(": ", 1)[1]
        reason = "with " + reason if reason.startswith("no ") else reason
        parts.append(f"{_count_text(row, 'events')} {reason}")
    if not parts:
        return f"Every one of the {view.events} is on the map."
    level = {"lsoa": "an LSOA", "ward": "a ward", "msoa": "an MSOA"}[view.level]
    return (
        f"Not on the map ({view.events} that cannot be placed in {level}): "
        + "; ".join(parts)
        + "."
    )


def map_display(shown: pd.DataFrame, view: MapView) -> pd.DataFrame:
    """The table behind the map, readable, with the not-placed rows at the end."""
    frame = shown.copy()
    frame["area"] = frame["area_name"].where(
        frame["unplaced_reason"].isna(), frame["unplaced_reason"].map(UNPLACED_LABELS)
    )
    frame["filter"] = frame["coverage"].map(
        {"all": "", "part": "partly in the area filter", "none": "outside the area filter"}
    )
    noun = RECORD_LABELS[view.records]
    columns = [
        Col("Area", ("area",), "text"),
        Col(f"{noun}: {view.people}", ("events",)),
        Col(f"{noun} recording who was involved", ("recorded",)),
        Col(f"All {noun.lower()}", ("all_events",)),
    ]
    if view.measure == "rate":
        columns += [
            Col("Residents (Census 2021 baseline)", ("base_count",)),
            Col(
                f"{view.rate_unit[0].upper() + view.rate_unit[1:]} (95% CI)",
                ("rate", "rate_lower", "rate_upper"),
                "rate",
            ),
            Col(
                flags.column_header(flags.tested_count(shown, "comparison")),
                ("comparison",),
                "text",
                "flag",
            ),
        ]
    if view.measure == "ratio":
        columns += [
            Col("Population share compared with", ("population_share",), "percent"),
            Col("Ratio (95% CI)", ("ratio", "ratio_lower", "ratio_upper"), "ratio"),
            Col(
                flags.reading_header(flags.tested_count(shown, "classification")),
                ("classification",),
                "text",
                "classification",
            ),
        ]
    columns.append(Col("Area filter", ("filter",), "text"))
    return readable(frame, columns)


# ------------------------------------------------------------------------------ geometry


@cache
def boundaries(level: str) -> dict:
    """The simplified boundaries of one level from data/reference (feature id = code)."""
    if level not in (*LEVEL_LABELS, "district"):
        raise ValueError(f"no boundaries for {level!r}")
    path = REFERENCE_DIR / f"boundaries_{level}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def _rings(geojson: dict):
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            yield from polygon


def outline_lines(geojson: dict) -> tuple[list, list]:
    """Longitudes and latitudes of every ring, separated by None (one line trace)."""
    lons, lats = [], []
    for ring in _rings(geojson):
        lons += [x for x, _ in ring] + [None]
        lats += [y for _, y in ring] + [None]
    return lons, lats


def fit_view(geojson: dict, width: int = 760, height: int = 660) -> tuple[dict, float]:
    """Centre and zoom that fit the boundaries in a width x height pixel map.

    MapLibre draws the world 512 px wide at zoom 0 in Web Mercator, so a span of d degrees
    of longitude takes 512 * 2**zoom * d / 360 pixels (and latitude likewise after the
    Mercator stretch). The smaller of the two zooms fits both ways.
    """
    xs, ys = zip(*((x, y) for ring in _rings(geojson) for x, y in ring), strict=True)
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (512 * (east - west)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * (merc(north) - merc(south))))
    centre_lat = math.degrees(
        2 * math.atan(math.exp((merc(north) + merc(south)) / 2)) - math.pi / 2
    )
    return {"lon": (west + east) / 2, "lat": centre_lat}, round(min(zoom_x, zoom_y), 2)


# ------------------------------------------------------------------------------ figure

# plotly's "white-bg" style names a glyph server (fonts.openmaptiles.org) that MapLibre
# fetches as soon as a trace draws text, such as the town labels. This is the same white
# background with no glyph source, so MapLibre draws the labels with the browser's own
# fonts and the map makes no network request at all. The blank source is needed: plotly
# drops an empty "sources" object when streamlit redraws the chart, then sees a changed
# style, and MapLibre rejects the style without sources ("Map error"), which leaves every
# trace after the first deaf to hovers and clicks.
OFFLINE_WHITE_STYLE = {
    "version": 8,
    "id": "offline-white",
    "sources": {
        "blank": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}
    },
    "layers": [{"id": "white-bg", "type": "background", "paint": {"background-color": "#FFFFFF"}}],
}

# Sequential scale for counts and rates: light to dark Okabe-Ito blue (one hue, so it reads
# the same with every common colour-vision deficiency and in greyscale).
SEQUENTIAL = [[0.0, "#eef5fb"], [0.5, OKABE_ITO["sky_blue"]], [1.0, "#003f6b"]]
# Diverging scale for ratios: Okabe-Ito blue below 1 (fewer records than the population
# share suggests), white at 1, vermillion above. Blue against orange-red stays distinct for
# protanopia, deuteranopia and tritanopia. Ratios are drawn on a log2 scale with a range
# symmetric about 0, so 1 is the white midpoint and 0.5 and 2 are equally far from it.
DIVERGING = [[0.0, OKABE_ITO["blue"]], [0.5, "#f7f7f7"], [1.0, OKABE_ITO["vermillion"]]]
STATUS_COLOURS = {"too_few": "#9e9e9e", "partial": "#cfcfcf", "outside": "#f1f1f1"}
RATIO_TICKS = (0.125, 0.25, 0.5, 1, 2, 4, 8)


def _colour_values(shown: pd.DataFrame, view: MapView) -> tuple[pd.Series, dict]:
    values = pd.to_numeric(shown[value_column(view)], errors="coerce").astype(float)
    if view.measure != "ratio":
        top = float(values.max()) if values.notna().any() else 1.0
        bar = dict(title=dict(text=view.value_label.replace(" per ", "<br>per ")))
        return values, dict(range_color=(0, max(top, 1e-9)), colorbar=bar, scale=SEQUENTIAL)
    logs = np.log2(values.where(values > 0))
    reach = float(np.nanmax(np.abs(logs))) if logs.notna().any() else 1.0
    reach = min(max(1.0, math.ceil(reach)), 3.0)
    ticks = [t for t in RATIO_TICKS if abs(math.log2(t)) <= reach]
    bar = dict(
        title=dict(text="Ratio<br>(1 = fair share)"),
        tickvals=[math.log2(t) for t in ticks],
        ticktext=[f"{t:g}" for t in ticks],
    )
    return logs.clip(-reach, reach), dict(
        range_color=(-reach, reach), colorbar=bar, scale=DIVERGING
    )


def map_figure(shown: pd.DataFrame, view: MapView, towns: pd.DataFrame) -> go.Figure:
    """Choropleth of the areas (no tiles, no network), greyed where there is too little to
    say, with ward outlines and town labels so residents can find their way."""
    areas = shown[shown["unplaced_reason"].isna()].copy()
    areas["status"] = area_status(areas, view)
    areas["hover"] = [
        hover_text(r, view, s) for (_, r), s in zip(areas.iterrows(), areas["status"], strict=True)
    ]
    geojson = boundaries(view.level)
    centre, zoom = fit_view(boundaries("district"))
    coloured = areas[areas["status"] == "shown"].copy()
    colour, axis = _colour_values(coloured, view)
    coloured["colour"] = colour
    if coloured.empty:
        fig = go.Figure()
    else:
        fig = px.choropleth_map(
            coloured,
            geojson=geojson,
            locations="area_code",
            color="colour",
            color_continuous_scale=axis["scale"],
            range_color=axis["range_color"],
            custom_data=["area_code", "hover"],
            map_style="white-bg",
            opacity=0.9,
        )
        fig.update_traces(
            hovertemplate="%{customdata[1]}<extra></extra>",
            marker_line_color="#ffffff",
            marker_line_width=0.8,
            name=view.value_label,
        )
        fig.update_coloraxes(colorbar=dict(**axis["colorbar"], thickness=14, len=0.6, x=1.0))
    for status, colour_hex in STATUS_COLOURS.items():
        name = text.t(f"map_status.{status}", n=MIN_NUMERATOR)
        rows = areas[areas["status"] == status]
        if rows.empty:
            continue
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                locations=rows["area_code"],
                z=[0.5] * len(rows),
                zmin=0,
                zmax=1,
                colorscale=[[0, colour_hex], [1, colour_hex]],
                showscale=False,
                name=name,
                showlegend=True,
                marker=dict(line=dict(color="#ffffff", width=0.8), opacity=0.9),
                customdata=rows[["area_code", "hover"]].to_numpy(),
                hovertemplate="%{customdata[1]}<extra></extra>",
            )
        )
    lons, lats = outline_lines(boundaries("ward"))
    fig.add_trace(
        go.Scattermap(
            lon=lons,
            lat=lats,
            mode="lines",
            name="Ward boundaries",
            line=dict(color="#303030", width=1.6),
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scattermap(
            lon=towns["label_lon"],
            lat=towns["label_lat"],
            mode="text",
            text=towns["town"],
            textfont=dict(size=13, color="#111111"),
            hoverinfo="skip",
            showlegend=False,
            name="Towns",
        )
    )
    base_layout(fig, title=view.title, height=780)
    fig.update_layout(
        map=dict(style=OFFLINE_WHITE_STYLE, center=centre, zoom=zoom),
        legend=dict(
            orientation="h", yanchor="top", y=-0.01, xanchor="left", x=0, font=dict(size=13)
        ),
        margin=dict(l=10, r=10, t=60, b=60),
        font=FONT,
    )
    return fig


def map_alt(shown: pd.DataFrame, view: MapView) -> str:
    return f"Map of Ashfield's {LEVEL_NOUNS[view.level]}: {view.title}. " + map_sentence(
        shown, view
    )


# ------------------------------------------------------------------------------ clicks


def clicked_filter(
    points: list[dict], level: str, areas: pd.DataFrame
) -> tuple[str, list[str]] | None:
    """The area filter a click on the map asks for: ("ward" | "lsoa", codes), or None.

    An MSOA is exactly a set of LSOAs, so a click on an MSOA filters to its LSOAs.
    `areas` is `queries/areas.sql` (area_code, area_level, msoa_code, ...).
    """
    codes = []
    for point in points or []:
        code = point.get("location")
        if code is None and point.get("customdata"):
            code = point["customdata"][0]
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    if not codes:
        return None
    if level == "msoa":
        lsoas = areas[(areas["area_level"] == "lsoa") & areas["msoa_code"].isin(codes)]
        return ("lsoa", sorted(lsoas["area_code"])) if len(lsoas) else None
    return (level, codes)
