"""Links: URLs carry codes, old label-valued links open the same view, and odd links get
a plain message rather than a traceback, on every page."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from hidden_communities import filters, text
from tests.builders import DASHBOARD, page_stems

PAGES = page_stems()


def run(db, monkeypatch, page: str, query: dict) -> AppTest:
    """Open the link (AppTest lands on the first page), then go to `page`; the notes the
    landing run showed are kept as `at.landing_notes`."""
    monkeypatch.setenv("HC_DB_PATH", str(db))
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    at.landing_notes = [w.value for w in at.sidebar.warning]
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def url(at: AppTest, key: str) -> list[str]:
    """A URL parameter's values as the app left them (one value or several)."""
    value = at.query_params[key]
    return list(value) if isinstance(value, list | tuple) else [value]


def sidebar_state(at: AppTest) -> dict:
    return {
        "community": at.multiselect(key="community").value,
        "channel": at.multiselect(key="channel").value,
        "audience": at.selectbox(key="audience").value,
        "period": at.date_input(key="period").value,
    }


CODES = {
    "community": ["lgbtq", "armed_forces"],
    "channel": ["phone"],
    "audience": "leadership",
    "period": ["2021-01-01", "2021-12-31"],
}
OLD_LABELS = {
    "community": ["LGBTQ+", "Armed forces veterans"],
    "channel": ["Phone"],
    "audience": "Leadership review",
    "period": ["2021-01-01", "2021-12-31"],
}
EXPECTED = {
    "community": ["lgbtq", "armed_forces"],  # as the link lists them
    "channel": ["phone"],
    "audience": "leadership",
    "period": (date(2021, 1, 1), date(2021, 12, 31)),
}


@pytest.mark.parametrize("page", PAGES)
def test_code_valued_links_open_their_view_on_every_page(demo_db_path, monkeypatch, page):
    at = run(demo_db_path, monkeypatch, page, CODES)
    assert sidebar_state(at) == EXPECTED
    # The URL carries codes back, never labels.
    assert url(at, "audience") == ["leadership"]
    assert url(at, "community") == ["lgbtq", "armed_forces"]


@pytest.mark.parametrize("page", PAGES)
def test_an_old_label_valued_link_opens_the_same_view(demo_db_path, monkeypatch, page):
    at = run(demo_db_path, monkeypatch, page, OLD_LABELS)
    assert sidebar_state(at) == EXPECTED
    assert url(at, "audience") == ["leadership"]
    assert url(at, "community") == ["lgbtq", "armed_forces"]


@pytest.mark.parametrize("page", PAGES)
def test_a_reversed_period_is_turned_round_with_a_note(demo_db_path, monkeypatch, page):
    at = run(demo_db_path, monkeypatch, page, {"period": ["2022-01-01", "2021-01-01"]})
    assert at.date_input(key="period").value == (date(2021, 1, 1), date(2022, 1, 1))
    assert text.t("filter.period_reversed") in at.landing_notes


@pytest.mark.parametrize("page", ("overview", "trends", "map"))
def test_unknown_values_and_huge_lists_are_dropped_with_a_note(demo_db_path, monkeypatch, page):
    query = {
        "community": ["lgbtq", "<script>", "x" * 5000],
        "channel": ["phone"] * 600,
        "period": ["not a date", "2021-13-45"],
        "audience": "root",
        "geo": "'; DROP TABLE contacts; --",
    }
    at = run(demo_db_path, monkeypatch, page, query)
    assert at.multiselect(key="community").value == ["lgbtq"]
    assert at.multiselect(key="channel").value == ["phone"]
    assert at.selectbox(key="audience").value == filters.DEFAULT_AUDIENCE
    assert at.landing_notes[:3] == [
        text.t("filter.dropped_values", values="<script>, " + "x" * 40, what="community"),
        text.t("filter.too_many", n=600, what="channel", max=500),
        text.t("filter.dropped_values", values="root", what="audience"),
    ]


def test_a_link_too_long_for_streamlit_opens_the_default_view(demo_db_path, monkeypatch):
    # Streamlit itself ignores a query string of over 1,000 parameters.
    at = run(demo_db_path, monkeypatch, "trends", {"channel": ["phone"] * 2000})
    assert at.multiselect(key="channel").value == []


def test_parse_codes_reads_codes_and_old_labels():
    found, unknown = filters.parse_codes(
        ["lgbtq", "Eastern European", "eastern european", "nope"],
        ("eastern_european", "armed_forces", "lgbtq"),
        "community",
    )
    assert found == ["lgbtq", "eastern_european"]
    assert unknown == ["nope"]


def test_parse_period_accepts_iso_and_uk_dates_in_either_order():
    first, last = date(2020, 4, 1), date(2022, 3, 31)
    assert filters.parse_period(["01/02/2021", "2021-03-04"], first, last) == (
        date(2021, 2, 1),
        date(2021, 3, 4),
        None,
    )
    assert filters.parse_period(["2021-03-04", "2021-02-01"], first, last) == (
        date(2021, 2, 1),
        date(2021, 3, 4),
        "filter.period_reversed",
    )
    assert filters.parse_period(["0000-01-01", "2021-02-01"], first, last) == (first, last, None)
    assert filters.parse_period([], first, last) == (first, last, None)


@pytest.mark.parametrize("page", ("load_data", "log_contact", "data_quality"))
def test_a_page_that_stops_for_the_audience_keeps_its_links(demo_db_path, monkeypatch, page):
    """Inspector-only pages stop early for the public: the sidebar still links every page,
    carrying the link's filters."""
    at = run(demo_db_path, monkeypatch, page, {"audience": "public", "community": "lgbtq"})
    links = at.sidebar.get("page_link")
    assert len(links) == len(PAGES)
    assert url(at, "audience") == ["public"]
