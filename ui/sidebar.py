"""The shared sidebar filters, bound to the URL so a copied link reproduces the view.

The audience is settled first: the public audience gets its fixed published views (a
period of whole quarters or years, the communities; nothing finer), every other audience
the free filters. A deployment locked to one audience (HC_AUDIENCE) offers no other.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from hidden_communities import filters, registry, settings, text
from hidden_communities.filters import Filters

from . import store, url
from .store import data_status, query

FILTERS_KEY = "hc_filters"
URL_NOTES = "hc_url_notes"
AUDIENCE_NOTES = "hc_audience_notes"
# A link listing more values than this for one filter is cut short (and says so).
MAX_URL_VALUES = 500


PENDING_AREAS = "hc_pending_areas"


def request_area_filter(level: str, codes: list[str]) -> None:
    """Filter every page to these wards or LSOAs (e.g. after a click on the map).

    The sidebar widgets already exist when a page runs, and streamlit refuses changes to
    a drawn widget's state, so the request is parked and applied before the next run
    draws them.
    """
    if level not in ("ward", "lsoa"):
        raise ValueError(f"area filters are by ward or LSOA, not {level!r}")
    if store.audience() == filters.PUBLIC:
        return  # a public view has no area filter: a click on the map shows, never filters
    st.session_state[PENDING_AREAS] = (level, list(codes))
    st.rerun()


def _apply_pending_area_filter(areas: pd.DataFrame) -> None:
    pending = st.session_state.pop(PENDING_AREAS, None)
    if not pending:
        return
    level, codes = pending
    if level == "ward":
        st.session_state["ward"], st.session_state["lsoa"] = codes, []
    else:
        wards = areas.set_index("area_code").loc[codes, "ward_code"].unique().tolist()
        st.session_state["ward"], st.session_state["lsoa"] = wards, codes


def _follow_the_data(first: date, last: date) -> None:
    """Keep an untouched period equal to the data's whole span as records arrive (a
    contact logged today must show at once); a period the user chose stays as chosen."""
    previous = st.session_state.get("hc_period_default")
    st.session_state["hc_period_default"] = (first, last)
    if (
        previous
        and previous != (first, last)
        and tuple(st.session_state.get("period", ())) == previous
    ):
        st.session_state["period"] = (first, last)


def _span(status: pd.Series) -> tuple[date, date]:
    """The data's first and last day (the last twelve months when there are no records)."""
    if pd.isna(status["first_date"]):
        return date.today() - timedelta(days=365), date.today()
    return pd.Timestamp(status["first_date"]).date(), pd.Timestamp(status["last_date"]).date()


def _restore_from_url(first: date, last: date, areas: pd.DataFrame) -> None:
    """Each filter's state from the link (codes, or an older link's labels), once."""
    notes = st.session_state.setdefault(URL_NOTES, [])

    def period(values: list[str]) -> tuple[date, date]:
        start, end, note = filters.parse_period(values, first, last)
        if note:
            notes.append(text.t(note))
        return (start, end)

    url.restore("period", period, (first, last), lambda p: [d.isoformat() for d in p])
    for spec in filters.CHOICE_FILTERS:
        url.restore(spec.key, _list_parser(spec.codes(), spec.kind, notes), [], list)
    for level in ("ward", "lsoa"):
        codes = areas.loc[areas["area_level"] == level, "area_code"].tolist()
        url.restore(level, _list_parser(codes, "area", notes), [], list)

    def scope(values: list[str]) -> str:
        found = _list_parser(filters.REPORT_SCOPES, "report_scope", notes)(values[-1:])
        return found[0] if found else filters.DEFAULT_REPORT_SCOPE

    url.restore("scope", scope, filters.DEFAULT_REPORT_SCOPE)


def _list_parser(codes, kind: str, notes: list[str]):
    def parse(values: list[str]) -> list[str]:
        found, unknown = filters.parse_codes(values[:MAX_URL_VALUES], codes, kind)
        if len(values) > MAX_URL_VALUES:
            notes.append(text.t("filter.too_many", n=len(values), what=kind, max=MAX_URL_VALUES))
        if unknown:
            shown = ", ".join(v[:40] for v in unknown[:5])
            notes.append(text.t("filter.dropped_values", values=shown, what=kind))
        return found

    return parse


def _restore_audience() -> str:
    """The audience of this run, from the control or the link; a deployment locked to one
    audience refuses any other, with a note (shown after the other filters' notes)."""
    notes = st.session_state.setdefault(AUDIENCE_NOTES, [])
    locked = settings.locked_audience()
    default = locked or filters.DEFAULT_AUDIENCE

    def audience(values: list[str]) -> str:
        found = _list_parser(filters.AUDIENCES, "audience", notes)(values[-1:])
        wanted = found[0] if found else default
        if locked and wanted != locked:
            notes.append(text.t("public_views.locked", audience=filters.AUDIENCES[locked]))
            return locked
        return wanted

    url.restore("audience", audience, default)
    if locked:
        st.session_state["audience"] = locked
    return st.session_state["audience"]


def _audience_control() -> str:
    locked = settings.locked_audience()
    return st.selectbox(
        text.t("filter.audience"),
        [locked] if locked else list(filters.AUDIENCES),
        format_func=text.in_language_now(filters.AUDIENCES.get),
        key="audience",
        help=text.t("public_views.audience_help"),
    )


def sidebar_filters() -> Filters:
    """The shared filters, drawn in the sidebar; their state lives in the URL as codes."""
    audience = _restore_audience()
    store.set_audience(audience)  # before any query: the public's counts come published
    first, last = _span(data_status())
    if audience == filters.PUBLIC:
        return _public_filters(first, last)
    areas = query("area_options")
    wards = areas[areas["area_level"] == "ward"]
    area_label = dict(zip(areas["area_code"], areas["label"], strict=True))
    _restore_from_url(first, last, areas)
    _apply_pending_area_filter(areas)
    _follow_the_data(first, last)
    chosen = {}
    with st.sidebar:
        _url_notes()
        st.header(text.t("filter.heading"))
        period = st.date_input(
            text.t("filter.period"),
            min_value=date(1900, 1, 1),
            max_value=date(2100, 12, 31),
            format="DD/MM/YYYY",
            key="period",
        )
        start, end = (
            period if isinstance(period, tuple | list) and len(period) == 2 else (first, last)
        )
        chosen["community"] = _choices("community", help=text.t("filter.communities_help"))
        with st.expander(text.t("filter.area"), expanded=False):
            chosen_wards = st.multiselect(
                text.t("filter.wards"),
                list(wards["area_code"]),
                format_func=text.in_language_now(area_label.get),
                key="ward",
            )
            in_wards = areas["ward_code"].isin(chosen_wards) if chosen_wards else True
            lsoas = areas[(areas["area_level"] == "lsoa") & in_wards]
            chosen_lsoas = st.multiselect(
                text.t("filter.lsoas"),
                list(lsoas["area_code"]),
                format_func=text.in_language_now(area_label.get),
                key="lsoa",
            )
        for section in ("contacts", "reports"):
            with st.expander(text.t(f"filter.{section}"), expanded=False):
                for spec in filters.CHOICE_FILTERS:
                    if spec.section == section:
                        chosen[spec.key] = _choices(spec.key)
                if section == "reports":
                    report_scope = st.radio(
                        text.t("filter.report_scope"),
                        list(filters.REPORT_SCOPES),
                        format_func=text.in_language_now(filters.REPORT_SCOPES.get),
                        key="scope",
                        help=text.t("filter.report_scope_help"),
                    )
        audience = _audience_control()
    values = {spec.field: tuple(chosen[spec.key]) for spec in filters.CHOICE_FILTERS}
    values["communities"] = values["communities"] or registry.codes()
    current = Filters(
        start=start,
        end=end,
        areas=tuple(chosen_lsoas or chosen_wards),
        audience=audience,
        report_scope=report_scope,
        **values,
    )
    st.session_state[FILTERS_KEY] = current
    st.session_state["hc_area_labels"] = area_label
    return current


def _public_filters(first: date, last: date) -> Filters:
    """The public audience's sidebar: a published period and the communities, nothing else.
    Whatever else the link asks for is ignored, with a note, and left out of the URL."""
    notes = st.session_state.setdefault(URL_NOTES, [])
    offered = filters.public_periods(first, last)
    codes = [filters.period_code(p) for p in offered]
    _ignore_unoffered(offered, notes)
    url.restore("public_period", lambda values: _public_period(values, codes, notes), codes[0])
    if st.session_state["public_period"] not in codes:
        st.session_state["public_period"] = codes[0]
    spec = filters.CHOICES_BY_KEY["community"]
    url.restore("community", _list_parser(spec.codes(), spec.kind, notes), [], list)
    labels = {code: filters.period_label(p) for code, p in zip(codes, offered, strict=True)}
    with st.sidebar:
        _url_notes()
        st.header(text.t("filter.heading"))
        code = st.selectbox(
            text.t("public_views.period"),
            codes,
            format_func=text.in_language_now(labels.get),
            key="public_period",
            help=text.t("public_views.period_help"),
        )
        chosen = _choices("community", help=text.t("filter.communities_help"))
        st.caption(text.t("public_views.fixed"))
        _audience_control()
    current = filters.public_filters(offered[codes.index(code)], chosen)
    st.session_state[FILTERS_KEY] = current
    st.session_state["hc_area_labels"] = {}
    return current


def _public_period(values: list[str], codes: list[str], notes: list[str]) -> str:
    if values[-1] in codes:
        return values[-1]
    notes.append(text.t("public_views.period_not_offered", period=values[-1][:40]))
    return codes[0]


def _ignore_unoffered(offered: list, notes: list[str]) -> None:
    """Drop from the link what a public view does not offer, saying so once: the fixed
    filters, a free period (one that names a published period exactly is taken as it), and
    area levels finer than an MSOA."""
    params = st.query_params
    ignored = [key for key in filters.PUBLIC_FIXED if key in params]
    if "period" in params:
        named = filters.published_period(params.get_all("period"), offered)
        if named is None:
            ignored.append("period")
        elif "public_period" not in params and "public_period" not in st.session_state:
            params["public_period"] = filters.period_code(named)
        del params["period"]
    for key in filters.LEVEL_PARAMS:
        if key in params and params.get_all(key)[-1] not in filters.PUBLIC_LEVELS:
            ignored.append(key)
            del params[key]
    for key in filters.PUBLIC_FIXED:
        if key in params:
            del params[key]
    if ignored:
        notes.append(text.t("public_views.ignored", names=", ".join(ignored)))


def _url_notes() -> None:
    """What the link asked for that was not applied, once, in the order it was read."""
    notes = st.session_state.pop(URL_NOTES, []) + st.session_state.pop(AUDIENCE_NOTES, [])
    for note in notes:
        st.warning(note, icon=":material/link_off:")


def _choices(key: str, help: str | None = None) -> list[str]:
    spec = filters.CHOICES_BY_KEY[key]
    return st.multiselect(
        text.t(spec.label_key),
        list(spec.codes()),
        format_func=text.in_language_now(lambda code: text.label(spec.kind, code)),
        key=key,
        help=help,
        placeholder=text.t("filter.all"),
    )


def current_filters() -> Filters:
    return st.session_state[FILTERS_KEY]


def describe_filters(chosen: Filters) -> None:
    """The current filter in words, above a chart."""
    description = chosen.describe(st.session_state.get("hc_area_labels", {}))
    st.caption(text.t("filter.showing", description=description))


def inspector_only(what: str) -> None:
    """Stop the page unless the audience is the inspector (who may see records' detail)."""
    if current_filters().audience != "inspector":
        st.info(text.t("filter.inspector_only", what=what))
        st.stop()
