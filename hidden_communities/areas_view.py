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

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from . import annual, baselines, flags, geometry, registry, stats, text, vocab
from .charts import FONT, OKABE_ITO, base_layout, separators
from .disclosure import DisclosureSpec
from .settings import REFERENCE_DIR
from .tables import Col, is_missing, note_of, readable

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


def _cap(words: str) -> str:
    """Words at the head of a line or title: the first letter in capitals."""
    return words[:1].upper() + words[1:]


def _value(value, fmt: str) -> str:
    """A figure in the current language's digits, as the tables write it: counts whole,
    shares to 0.1%, ratios to two places, rates to one ("" when missing)."""
    if is_missing(value):
        return ""
    if fmt == "count":
        return text.number(int(value))
    if fmt == "percent":
        return text.percent(value, 1)
    return text.number(value, {"ratio": 2, "rate": 1}[fmt])


def people_genitive(community: str) -> str:
    """A community's people after "per 1,000" and "with" (Polish needs the genitive:
    "na 1000 weteranów sił zbrojnych"); a community registered without the form is named
    as mid-sentence."""
    key = f"community_case.{community}.genitive"
    return text.t(key) if text.has(key) else text.people_mid(community)


def level_nouns(level: str) -> str:
    """A map level's areas in the plural after "for", "by" and "among" ("wards")."""
    return text.t(f"map_levels.{level}")


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
        """ "per 1,000 a year" (mid-sentence)."""
        return text.t("map_view.rate_unit_year" if self.days else "map_view.rate_unit")

    @property
    def rate_heading(self) -> str:
        """ "Per 1,000 a year" (at the head of a line or a column)."""
        return text.t("map_view.rate_heading_year" if self.days else "map_view.rate_heading")

    @property
    def people(self) -> str:
        return text.people(self.community)

    @property
    def events(self) -> str:
        """The records mapped, mid-sentence: "contacts with Eastern European residents"."""
        return self._events("")

    @property
    def events_gen(self) -> str:
        """The same after "number of", "too few" or "most" (Polish: the genitive)."""
        return self._events("_gen")

    def _events(self, form: str) -> str:
        which = "all" if self.community == vocab.ALL_RESIDENTS else "with"
        key = f"map_events.{self.records}_{which}{form}"
        return text.t(key, people=people_genitive(self.community))

    @property
    def value_label(self) -> str:
        if self.measure == "rate":
            return text.t(
                "map_view.value_rate",
                records=RECORD_LABELS[self.records],
                unit=self._rate_unit_of(),
            )
        if self.measure == "ratio":
            return text.t("map_view.ratio_label")
        return RECORD_LABELS[self.records]

    @property
    def colorbar_title(self) -> str:
        if self.measure == "rate":
            return text.t(
                "map_figure.colorbar_rate",
                records=RECORD_LABELS[self.records],
                unit=self._rate_unit_of(),
            )
        return self.value_label

    def _rate_unit_of(self) -> str:
        """ "per 1,000 residents a year": the unit and who it is of."""
        key = "map_view.per_base_year" if self.days else "map_view.per_base"
        return text.t(key, base=self._rate_base())

    def _rate_base(self) -> str:
        """Who the rate is per 1,000 of: a proxy's people, else the community's own (its
        census count by area), else all residents."""
        if self._proxy_base():
            return self._proxy_base()
        if self.community == vocab.ALL_RESIDENTS:
            return text.t("map_view.residents_base")
        return people_genitive(self.community)

    def _proxy_base(self) -> str | None:
        """Who the rate is per 1,000 of, where a proxy stands in for the community."""
        if text.proxy(self.community, self.level) is None:
            return None
        key = f"community_case.{self.community}.proxy_base.{self.level}"
        if text.has(key):
            return text.t(key)
        return text.t(f"community.{self.community}.proxy_base.{self.level}")

    @property
    def title(self) -> str:
        where = text.t(f"map_view.by.{self.level}")
        if self.measure == "rate":
            proxy = text.t("map_view.proxy_mark") if self._proxy_base() else ""
            what = text.t(
                "map_view.title_rate",
                events=_cap(self.events),
                unit=self._rate_unit_of(),
                proxy=proxy,
            )
        elif self.measure == "ratio":
            what = text.t(f"map_view.title_ratio.{self.records}", people=self.people)
        else:
            what = text.t("map_view.title_count", events=self.events_gen)
        return text.t("map_view.title", what=what, where=where)


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
    nouns = level_nouns(level)
    described = text.community(community, "described")
    # Where the data has the community's own count at other levels, say which.
    elsewhere = ", ".join(level_nouns(lv) for lv in _own_levels(community, held))
    has_elsewhere = text.t("map_notes.has_elsewhere", elsewhere=elsewhere, nouns=nouns)
    notes = []
    drawn = measure
    if measure == "rate" and baseline is None:
        drawn = "count"
        has = has_elsewhere if elsewhere else text.t("map_notes.has_district_tables")
        notes.append(text.t("map_notes.no_rate", nouns=nouns, described=described, has=has))
    if measure == "ratio" and community != vocab.ALL_RESIDENTS and baseline is None:
        has = has_elsewhere if elsewhere else text.t("map_notes.has_district")
        notes.append(
            text.t(
                "map_notes.ratio_proxy", records=RECORD_NOUNS[records], described=described, has=has
            )
        )
    proxy = text.proxy(community, level)
    if proxy and drawn != "count":
        notes.append(text.t("map_notes.proxy", proxy=proxy))
    if measure == "ratio" and community == vocab.ALL_RESIDENTS:
        notes.append(text.t("map_notes.all_residents_ratio", records=RECORD_NOUNS[records]))
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
    return note_of(row, col) if is_missing(value) else _value(value, "count")


def _interval_text(row: pd.Series, col: str, fmt: str) -> str:
    value, lo, hi = row[col], row[f"{col}_lower"], row[f"{col}_upper"]
    if is_missing(value):
        return note_of(row, col) or text.t("map_hover.not_available")
    if is_missing(lo) or is_missing(hi):
        return _value(value, fmt)
    return text.t(
        "map_hover.interval", value=_value(value, fmt), lower=_value(lo, fmt), upper=_value(hi, fmt)
    )


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
        return lines[0] + "<br>" + text.t("map_hover.outside")
    lines.append(text.t("map_hover.count", events=_cap(view.events), n=_count_text(row, "events")))
    if view.community != vocab.ALL_RESIDENTS:
        lines.append(text.t(f"map_hover.recorded_{view.records}", n=_count_text(row, "recorded")))
    if status == "partial":
        lines.append(text.t("map_hover.partial"))
        return "<br>".join(lines)
    if view.measure == "rate":
        lines.append(text.t("map_hover.residents", n=_value(row["base_count"], "count")))
        lines.append(
            text.t(
                "map_hover.value", name=view.rate_heading, value=_interval_text(row, "rate", "rate")
            )
        )
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
            lines.append(text.t("map_hover.population_share", share=_value(share, "percent")))
        lines.append(text.t("map_hover.ratio", value=_interval_text(row, "ratio", "ratio")))
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
    nouns = level_nouns(view.level)
    col = value_column(view)
    fmt = view.measure  # rate, ratio or count: as the tables write them
    if ok.empty:
        head = text.t("map_sentence.none", nouns=nouns, events=view.events_gen)
    elif len(ok) == 1:
        row = ok.iloc[0]
        head = text.t(
            f"map_sentence.one_{view.measure}",
            area=row["area_name"],
            value=_value(row[col], fmt),
            unit=view.rate_unit,
            events=view.events,
        )
    else:
        top = ok.loc[pd.to_numeric(ok[col]).idxmax()]
        low = ok.loc[pd.to_numeric(ok[col]).idxmin()]
        head = text.t(
            f"map_sentence.many_{view.measure}",
            top=top["area_name"],
            top_value=_value(top[col], fmt),
            low=low["area_name"],
            low_value=_value(low[col], fmt),
            n=text.number(len(ok)),
            nouns=nouns,
            unit=view.rate_unit,
            events=view.events_gen,
        )
    inside = int((status != "outside").sum())
    tail = []
    few = int((status == "too_few").sum())
    if few and view.measure != "count":
        records = text.t(f"map_records_gen.{view.records}")
        tail.append(
            text.plural("map_sentence.too_few", few, total=text.number(inside), records=records)
        )
    partial = int((status == "partial").sum())
    if partial:
        tail.append(text.plural("map_sentence.partial", partial))
    if inside < len(areas):
        tail.append(text.plural("map_sentence.outside", len(areas) - inside))
    sentence = head + "".join(f"; {part}" for part in tail) + "."
    flagged = flag_sentence(shown, view)
    return f"{sentence} {flagged}" if flagged else sentence


def unplaced_sentence(shown: pd.DataFrame, view: MapView) -> str:
    """How many records the map cannot place, and why."""
    rows = shown[shown["unplaced_reason"].notna()]
    parts = []
    for _, row in rows.iterrows():
        if not is_missing(row["events"]) and row["events"] == 0:
            continue
        reason = row["unplaced_reason"]
        if reason not in UNPLACED_LABELS:
            raise ValueError(f"unknown reason a record is not on the map: {reason!r}")
        parts.append(text.t(f"map_unplaced.{reason}", n=_count_text(row, "events")))
    if not parts:
        return text.t("map_unplaced.all_placed", events=view.events)
    return text.t(
        "map_unplaced.head",
        events=view.events,
        level=text.t(f"map_unplaced.in.{view.level}"),
        parts="; ".join(parts),
    )


def map_display(shown: pd.DataFrame, view: MapView) -> pd.DataFrame:
    """The table behind the map, readable, with the not-placed rows at the end."""
    frame = shown.copy()
    frame["area"] = frame["area_name"].where(
        frame["unplaced_reason"].isna(), frame["unplaced_reason"].map(UNPLACED_LABELS)
    )
    frame["filter"] = frame["coverage"].map(
        {"all": "", "part": text.t("map_table.partly"), "none": text.t("map_table.outside")}
    )
    noun = RECORD_LABELS[view.records]
    columns = [
        Col(text.t("map_table.area"), ("area",), "text"),
        Col(text.t("map_table.events", records=noun, people=view.people), ("events",)),
        Col(text.t(f"map_table.recorded_{view.records}"), ("recorded",)),
        Col(text.t(f"map_table.all_{view.records}"), ("all_events",)),
    ]
    if view.measure == "rate":
        columns += [
            Col(text.t("map_table.residents"), ("base_count",)),
            Col(
                text.t("map_table.rate", unit=view.rate_heading),
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
            Col(text.t("map_table.population_share"), ("population_share",), "percent"),
            Col(text.t("map_table.ratio"), ("ratio", "ratio_lower", "ratio_upper"), "ratio"),
            Col(
                flags.reading_header(flags.tested_count(shown, "classification")),
                ("classification",),
                "text",
                "classification",
            ),
        ]
    columns.append(Col(text.t("map_table.filter"), ("filter",), "text"))
    return readable(frame, columns)


# ------------------------------------------------------------------------------ geometry


def boundaries(level: str) -> dict:
    """The simplified boundaries of one level from data/reference (feature id = code), read
    once a process (geometry.read: shared, not to be changed)."""
    if level not in (*LEVEL_LABELS, "district"):
        raise ValueError(f"no boundaries for {level!r}")
    return geometry.read(REFERENCE_DIR / f"boundaries_{level}.geojson")


def outline_lines(geojson: dict) -> tuple[list, list]:
    """Longitudes and latitudes of every ring, separated by None (one line trace)."""
    lons, lats = [], []
    for ring in geometry.rings(geojson):
        lons += [x for x, _ in ring] + [None]
        lats += [y for _, y in ring] + [None]
    return lons, lats


def fit_view(geojson: dict, width: int = 760, height: int = 660) -> tuple[dict, float]:
    """Centre and zoom that fit the boundaries in a width x height pixel map.

    MapLibre draws the world 512 px wide at zoom 0 in Web Mercator, so a span of d degrees
    of longitude takes 512 * 2**zoom * d / 360 pixels (and latitude likewise after the
    Mercator stretch). The smaller of the two zooms fits both ways.
    """
    xs, ys = zip(*((x, y) for ring in geometry.rings(geojson) for x, y in ring), strict=True)
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
        bar = dict(title=dict(text=view.colorbar_title))
        return values, dict(range_color=(0, max(top, 1e-9)), colorbar=bar, scale=SEQUENTIAL)
    logs = np.log2(values.where(values > 0))
    reach = float(np.nanmax(np.abs(logs))) if logs.notna().any() else 1.0
    reach = min(max(1.0, math.ceil(reach)), 3.0)
    ticks = [t for t in RATIO_TICKS if abs(math.log2(t)) <= reach]
    bar = dict(
        title=dict(text=text.t("map_figure.colorbar_ratio")),
        tickvals=[math.log2(t) for t in ticks],
        ticktext=[_tick(t) for t in ticks],
    )
    return logs.clip(-reach, reach), dict(
        range_color=(-reach, reach), colorbar=bar, scale=DIVERGING
    )


def _tick(ratio: float) -> str:
    """A ratio tick as short as it is exact: 0.125, 0.5, 1, 8 ("0,125" in Polish)."""
    written = f"{ratio:g}"
    return text.number(ratio, len(written.split(".")[1]) if "." in written else 0)


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
            name=text.t("map_figure.ward_boundaries"),
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
            name=text.t("map_figure.towns"),
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
        separators=separators(),
    )
    return fig


def map_alt(shown: pd.DataFrame, view: MapView) -> str:
    return text.t(
        "map_view.alt",
        nouns=level_nouns(view.level),
        title=view.title,
        sentence=map_sentence(shown, view),
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
