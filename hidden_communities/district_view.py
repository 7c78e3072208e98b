"""The district view: the districts of the forces a database's records are in (every
district of England and Wales for a national database) compared for one community, as a
funnel plot and a choropleth map, each with the table behind it. No streamlit here.

A district's rate is its community's records per 1,000 of the community's residents a
year (Census 2021, the registry's primary measure; a community counted among residents
aged 16+ against adults' records, as on every page). The funnel's arithmetic, limits and
flags are the Under-representation page's (`representation.funnel`, `funnel_limits`), with
districts for areas. A district with no records in the period has no rate: it shows as
no data, never as zero.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache

import pandas as pd
import plotly.graph_objects as go

from . import flags, geometry, stats, text, vocab
from . import representation as rep
from .areas_view import SEQUENTIAL, fit_view
from .charts import base_layout
from .disclosure import DisclosureSpec
from .settings import REFERENCE_DIR
from .tables import Col, heading, numbers, readable

RECORDS = ("contacts", "reports")
LEVEL = "district"
BOUNDARIES = "districts_ew.geojson"
# The funnel's disclosure: the rate's denominator is a census figure (public), as for all
# residents on the Under-representation page.
FUNNEL_SPEC = rep.FUNNEL_RATE_SPEC
MAP_SPEC = DisclosureSpec(
    counts=("events", "all_records"),
    derived={"value": "events"},
    totals_shown=True,
    area_level_column="area_level",
    public_columns=("denominator",),
)
STATUS_COLOURS = {"no_data": "#f1f1f1", "too_few": "#9e9e9e"}


def record_labels() -> dict[str, str]:
    """Contacts or crime reports, in words, for the choice."""
    return {kind: text.t(f"districts_page.records.{kind}") for kind in RECORDS}


def with_records(raw: pd.DataFrame) -> pd.DataFrame:
    """The districts that have any record in the period (a count withheld for the public,
    1 to 9, still means some)."""
    counts = pd.to_numeric(raw["all_contacts"]).fillna(1) + pd.to_numeric(
        raw["all_reports"]
    ).fillna(1)
    return raw[counts > 0]


def one_district(raw: pd.DataFrame) -> bool:
    """Whether the records cover a single district (the default, Ashfield-only database)."""
    return len(with_records(raw)) <= 1


def _as_areas(raw: pd.DataFrame, records: str) -> pd.DataFrame:
    """The districts with records, shaped as `representation.funnel` reads areas."""
    rows = with_records(raw)
    rows = rows[pd.to_numeric(rows["residents"]) > 0]
    return pd.DataFrame(
        {
            "area_code": rows["district_code"],
            "area_name": rows["district_name"],
            "area_level": LEVEL,
            "unplaced_reason": None,
            "coverage": "all",
            records: rows[records],
            "residents": rows["residents"],
        }
    )


def funnel(raw: pd.DataFrame, records: str, limits: str, days: int | None) -> pd.DataFrame:
    """Each district with records: its rate per 1,000 of the community's residents a year
    over the `days` of the period, funnel position and flag against all the districts."""
    if records not in RECORDS:
        raise ValueError(f"records must be one of {RECORDS}, got {records!r}")
    return rep.funnel(_as_areas(raw, records), vocab.ALL_RESIDENTS, records, limits, days)


def _people(community: str) -> str:
    return text.people(community)


def funnel_chart(shown: pd.DataFrame, community: str, records: str) -> go.Figure:
    """The districts against the 95% and 99.8% limits around the rate over them all."""
    limits = rep.funnel_limits(shown, vocab.ALL_RESIDENTS)
    fig = go.Figure()
    for level_value, dash in ((0.998, "dot"), (0.95, "dash")):
        rows = limits[limits["level"] == level_value]
        percent = text.percent(level_value, 0 if round(level_value, 2) == level_value else 1)
        label = text.t("funnel_sentence.limits", level=percent)
        for side in ("upper", "lower"):
            fig.add_scatter(
                x=rows["denominator"],
                y=rows[side],
                mode="lines",
                line=dict(color="#555555", dash=dash, width=1.4),
                name=label,
                legendgroup=label,
                showlegend=side == "upper",
                hoverinfo="skip",
            )
    if len(shown) and not math.isnan(float(shown["overall"].iloc[0])):
        fig.add_hline(
            y=float(shown["overall"].iloc[0]),
            line=dict(color="#1a1a1a", width=1.5),
            annotation_text=text.t("districts_page.all_districts"),
            annotation_position="top left",
        )
    template = text.t(f"districts_page.hover.{records}")
    labelled = rep._labelled(shown)
    for position in stats.FUNNEL_LABELS:
        rows = shown[shown["position"] == position]
        if rows.empty:
            continue
        symbol, colour = rep._POSITION_STYLE[position]
        hovers = [
            template.format(district=name, events=x, residents=n, value=v)
            for name, x, n, v in zip(
                rows["area_name"].tolist(),
                numbers(pd.to_numeric(rows["events"]).astype(float)),
                numbers(pd.to_numeric(rows["denominator"]).astype(float)),
                numbers(pd.to_numeric(rows["value"]).astype(float), 2),
                strict=True,
            )
        ]
        fig.add_scatter(
            x=rows["denominator"],
            y=pd.to_numeric(rows["value"]).astype(float),
            mode="markers+text",
            text=[name if i in labelled else "" for i, name in rows["area_name"].items()],
            textposition="top center",
            textfont=dict(size=12),
            marker=dict(symbol=symbol, size=10, color=colour, line=dict(color=colour, width=2)),
            name=text.label("funnel", position),
            customdata=hovers,
            hovertemplate="%{customdata}<extra>" + text.label("funnel", position) + "</extra>",
        )
    base_layout(
        fig, title=text.t(f"districts_page.funnel_title.{records}", people=_people(community))
    )
    fig.update_layout(
        height=520,
        xaxis=dict(title=text.t("districts_page.x", people=_people(community)), rangemode="tozero"),
        yaxis=dict(title=text.t("districts_page.y"), rangemode="tozero"),
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0),
        margin=dict(b=110),
    )
    return rep._localised(fig)


def _count(n: int) -> str:
    return text.plural("districts_page.count", n)


def funnel_sentence(shown: pd.DataFrame) -> str:
    """Where the districts sit and which are flagged after allowing for all of them."""
    placed = shown[shown["position"].notna()]
    if placed.empty:
        return text.t("districts_page.none_placed")
    # The value is added before filtering: assigning a column to an empty frame would
    # take the column's rows.
    placed = placed.assign(_v=pd.to_numeric(placed["value"]).astype(float))
    high = placed[placed["position"].isin([stats.ABOVE_95, stats.ABOVE_998])]
    low = placed[placed["position"].isin([stats.BELOW_95, stats.BELOW_998])]
    flagged = placed["flag"]
    return text.t(
        "districts_page.funnel_sentence",
        within=text.number(len(placed) - len(high) - len(low)),
        placed=_count(len(placed)),
        above=flags.listed(high.sort_values("_v", ascending=False)["area_name"]),
        below=flags.listed(low.sort_values("_v")["area_name"]),
        higher=flags.listed(placed[flagged == stats.HIGHER]["area_name"]),
        lower=flags.listed(placed[flagged == stats.LOWER]["area_name"]),
        tested=text.plural("districts_page.count_gen", flags.tested_count(shown, "flag")),
    )


def funnel_display(shown: pd.DataFrame) -> pd.DataFrame:
    return readable(
        shown,
        [
            Col(heading("districts_page.col.district"), ("area_name",), "text"),
            Col(heading("districts_page.col.events"), ("events",)),
            Col(heading("districts_page.col.residents"), ("denominator",)),
            Col(heading("districts_page.col.rate"), ("value",), "rate"),
            Col(heading("districts_page.col.all_districts"), ("overall",), "rate"),
            Col(heading("repr_table.funnel_position"), ("position",), "text", "funnel"),
            Col(
                text.t(
                    "districts_page.col.flag",
                    districts=text.plural(
                        "districts_page.count_gen", flags.tested_count(shown, "flag")
                    ),
                    q=text.percent(flags.FDR_Q, 0),
                ),
                ("flag",),
                "text",
                "flag",
            ),
        ],
    )


# ------------------------------------------------------------------------------ map


def map_frame(raw: pd.DataFrame, records: str, days: int | None) -> pd.DataFrame:
    """Every district of the view with its records, residents and rate a year; no rate
    where it has no records at all (no data, not zero)."""
    per = rep._kind(vocab.ALL_RESIDENTS, days)[1]
    events = pd.to_numeric(raw[records]).astype("Float64")
    all_records = pd.to_numeric(raw[f"all_{records}"]).astype("Float64")
    residents = pd.to_numeric(raw["residents"]).astype(float)
    value = (events / residents * per).where(all_records.isna() | (all_records > 0))
    return pd.DataFrame(
        {
            "area_code": raw["district_code"],
            "area_name": raw["district_name"],
            "force_name": raw["force_name"],
            "area_level": LEVEL,
            "events": events.astype("Int64"),
            "all_records": all_records.astype("Int64"),
            "denominator": residents,
            "value": value,
        }
    ).reset_index(drop=True)


def status(shown: pd.DataFrame) -> pd.Series:
    """ "shown", "no_data" (no records at all) or "too_few" (hidden, or too few to say)."""
    no_data = pd.to_numeric(shown["all_records"]).fillna(1) == 0
    hidden = pd.to_numeric(shown["value"]).isna()
    out = pd.Series("shown", index=shown.index)
    out[hidden] = "too_few"
    out[no_data] = "no_data"
    return out


@cache
def _every_boundary() -> dict[str, dict]:
    """Each district's boundary feature by code, read once a process (geometry.read)."""
    return {
        feature["id"]: feature for feature in geometry.read(REFERENCE_DIR / BOUNDARIES)["features"]
    }


def boundaries(codes: tuple[str, ...]) -> dict:
    """The districts' polygons (feature id = code), only those shown."""
    every = _every_boundary()
    return {"type": "FeatureCollection", "features": [every[c] for c in codes if c in every]}


@lru_cache(maxsize=64)
def _view(codes: tuple[str, ...]) -> tuple[dict, float]:
    """The centre and zoom that fit the districts: the same for every rerun that shows the
    same districts, so worked out once."""
    geojson = boundaries(codes)
    return fit_view(geojson) if geojson["features"] else ({"lon": -2, "lat": 53}, 5)


def _area_trace(rows: pd.DataFrame, **colouring) -> go.Choroplethmap:
    """One choropleth trace of some districts, carrying only their own polygons (each
    district's geometry is sent once, whichever trace it is in). Built unvalidated: the
    properties are plotly's own names, and validating a few hundred polygons cost most of
    the figure's time."""
    return go.Choroplethmap(
        geojson=boundaries(tuple(rows["area_code"])),
        locations=list(rows["area_code"]),
        customdata=rows[["area_code", "hover"]].to_numpy().tolist(),
        hovertemplate="%{customdata[1]}<extra></extra>",
        # The boundaries drawn by the polygons' own edges, dark enough to read on the grey
        # of no data (a separate outline trace would send every boundary twice).
        marker=dict(line=dict(color="#5a5a5a", width=0.6), opacity=0.9),
        _validate=False,
        **colouring,
    )


def map_figure(shown: pd.DataFrame, community: str, records: str) -> go.Figure:
    """Choropleth of the districts (no tiles, no network), no data and too few in grey."""
    shown = shown.assign(status=status(shown))
    rate = numbers(pd.to_numeric(shown["value"]).astype(float), 2)
    hovers = []
    for name, force, s, r in zip(
        shown["area_name"], shown["force_name"], shown["status"], rate, strict=True
    ):
        tail = r if s == "shown" else text.label("districts_status", s)
        hovers.append(f"{name} ({force}): {tail}")
    shown["hover"] = hovers
    traces = []
    layout: dict = {}
    coloured = shown[shown["status"] == "shown"]
    if not coloured.empty:
        values = pd.to_numeric(coloured["value"]).astype(float)
        traces.append(_area_trace(coloured, z=values.tolist(), coloraxis="coloraxis"))
        layout["coloraxis"] = dict(
            colorscale=SEQUENTIAL,
            cmin=0,
            cmax=max(float(values.max()), 1e-9),
            colorbar=dict(title=dict(text=text.t("districts_page.y")), thickness=14, len=0.6),
        )
    for code, colour in STATUS_COLOURS.items():
        rows = shown[shown["status"] == code]
        if rows.empty:
            continue
        traces.append(
            _area_trace(
                rows,
                z=[0.5] * len(rows),
                zmin=0,
                zmax=1,
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                name=text.label("districts_status", code),
                showlegend=True,
            )
        )
    centre, zoom = _view(tuple(shown["area_code"]))
    fig = go.Figure(data=traces)
    base_layout(fig, title=text.t(f"districts_page.map_title.{records}", people=_people(community)))
    fig.update_layout(
        height=660,
        map=dict(style="white-bg", center=centre, zoom=zoom),
        margin=dict(l=0, r=0, t=60, b=0),
        **layout,
    )
    return rep._localised(fig)


def map_sentence(shown: pd.DataFrame) -> str:
    counts = status(shown).value_counts()
    return text.t(
        "districts_page.map_sentence",
        shown=_count(int(counts.get("shown", 0))),
        no_data=_count(int(counts.get("no_data", 0))),
        too_few=_count(int(counts.get("too_few", 0))),
    )


def map_display(shown: pd.DataFrame) -> pd.DataFrame:
    frame = shown.assign(status=status(shown))
    return readable(
        frame,
        [
            Col(heading("districts_page.col.district"), ("area_name",), "text"),
            Col(heading("districts_page.col.force"), ("force_name",), "text"),
            Col(heading("districts_page.col.events"), ("events",)),
            Col(heading("districts_page.col.all_records"), ("all_records",)),
            Col(heading("districts_page.col.residents"), ("denominator",)),
            Col(heading("districts_page.col.rate"), ("value",), "rate"),
            Col(heading("districts_page.col.status"), ("status",), "text", "districts_status"),
        ],
    )


def query_params(filters) -> dict:
    """The filters' SQL parameters but the area filter: districts are compared whole."""
    return {k: v for k, v in filters.params().items() if k != "area_codes"}


def scope_sentence(raw: pd.DataFrame) -> str:
    """Which districts are shown: those of the forces the records are in."""
    forces = sorted(set(raw["force_name"].dropna()))
    return text.t("districts_page.scope", forces=flags.listed(forces, cap=8))
