"""The demonstration generator: deterministic, valid, and shaped like the real thing.

The shape tests use bounds, not this seed's exact figures, on purpose: the claims are the
bounds (monthly volumes like the published street-level crime, a rise after the launch,
under-reporting before it), and exact counts would pin the draws, not the shape.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from hidden_communities import demo, registry
from hidden_communities.validation import validate


def generate(reference, **changes):
    cfg = replace(demo.DemoConfig(), **changes)
    return demo.generate(
        reference["areas"],
        reference["population"],
        reference["towns"],
        reference["calibration"],
        cfg,
    )


@pytest.fixture(scope="module")
def data(reference):
    return generate(reference)


def test_same_seed_same_rows(reference, data):
    again = generate(reference)
    pd.testing.assert_frame_equal(data.contacts, again.contacts)
    pd.testing.assert_frame_equal(data.reports, again.reports)
    pd.testing.assert_frame_equal(data.events, again.events)


def test_another_seed_other_rows(reference, data):
    other = generate(reference, seed=1)
    assert not data.reports.equals(other.reports)


@pytest.mark.parametrize("kind", ["contacts", "reports"])
def test_rows_pass_the_import_validation(data, areas, kind):
    frame = getattr(data, kind)
    result = validate(frame, kind, areas)
    assert result.file_errors == []
    assert result.problems.empty, result.problems.head().to_dict("records")
    assert len(result.clean) == len(frame)


def test_report_volumes_match_the_published_street_level_crime(data, reference):
    """Calibrated on the district's data.police.uk months (904, 950 and 1,041 records):
    with a mild summer peak every month stays between 850 and 1,150."""
    calibration = reference["calibration"].groupby("month")["records"].sum().to_dict()
    assert calibration == {"2024-01": 904, "2024-02": 950, "2024-03": 1041}
    monthly = data.reports["reported_on"].str[:7].value_counts()
    assert len(monthly) == 24
    assert monthly.between(850, 1150).all(), monthly.sort_index().to_dict()


def test_size_is_a_parameter(reference):
    small = generate(reference, scale=0.1)
    assert 0.07 < len(small.reports) / 24_000 < 0.13


def _community_share(frame, column, community, before):
    dates = pd.to_datetime(frame.iloc[:, 0] if column == "communities" else frame["reported_on"])
    period = dates < pd.Timestamp("2021-04-12") if before else dates >= pd.Timestamp("2021-10-12")
    values = frame.loc[period, column]
    recorded = values[values != "not_recorded"]
    return recorded.str.contains(community).mean()


@pytest.mark.parametrize("community", registry.codes())
def test_contact_with_each_community_rises_after_the_launch(data, community):
    before = _community_share(data.contacts, "communities", community, before=True)
    after = _community_share(data.contacts, "communities", community, before=False)
    assert after > 1.5 * before


def test_communities_report_below_their_population_share_before_the_launch(data, reference):
    shares = demo.population_shares(reference["population"], "E07000170")
    for community, share in shares.items():
        before = _community_share(data.reports, "victim_communities", community, before=True)
        assert before < 0.8 * share, community


def test_some_areas_have_very_few_records(data):
    per_area = data.reports.loc[data.reports["area"] != "", "area"].value_counts()
    assert per_area.min() < 30
    assert per_area.median() > 200


def test_events_include_launch_and_polish_video(data):
    # data/demo/campaign_events.csv: the launch and the Polish video on their configured
    # dates, a social-media push and three public meetings.
    events = data.events
    assert sorted(set(events["kind"])) == ["launch", "public_meeting", "social_media", "video"]
    on = events.groupby("kind")["event_date"].apply(list).to_dict()
    assert on["launch"] == [demo.DemoConfig().launch]
    assert on["video"] == [demo.DemoConfig().video]
    assert on["public_meeting"] == [
        demo.DemoConfig().first_public_meeting,
        date(2021, 11, 11),
        date(2022, 1, 20),
    ]
