"""The column specifications (hidden_communities/columns.py): the import files' published
format."""

from __future__ import annotations

from hidden_communities import columns


def test_the_import_headers_are_the_published_format():
    # Written out once here: the other tests build their files from the specs, so this is
    # what notices a renamed, dropped or reordered column that people's files rely on.
    assert [c.name for c in columns.CONTACT_COLUMNS] == [
        "contact_date",
        "area",
        "team",
        "communities",
        "channel",
        "direction",
        "place_type",
        "people_reached",
        "language",
        "topics",
        "follow_up_needed",
        "note",
    ]
    assert [c.name for c in columns.REPORT_COLUMNS] == [
        "reference",
        "reported_on",
        "occurred_on",
        "area",
        "team",
        "crime_type",
        "hate_strands",
        "victim_communities",
        "outcome",
    ]
