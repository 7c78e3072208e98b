"""The column specifications (hidden_communities/columns.py): the import files' published
format, and the data dictionary generated from them."""

from __future__ import annotations

import pytest

from hidden_communities import columns
from tests.builders import PROJECT_ROOT


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
        "age_band",  # optional (issue 11): older files without it still load
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
        "age_band",
    ]


DICTIONARY = PROJECT_ROOT / "docs" / "data-dictionary.md"


def test_the_data_dictionary_doc_matches_the_column_specs():
    doc = DICTIONARY.read_text(encoding="utf-8")
    assert doc == columns.with_dictionaries(doc), (
        "docs/data-dictionary.md is out of date: run .venv/bin/python -m hidden_communities.columns"
    )


def test_a_dictionary_row_says_header_blank_values_meaning_example_and_other_names():
    # communities: the header is needed; a blank cell means not recorded; the codes are the
    # registry's communities plus none and not_recorded; read under `community` too.
    lines = columns.dictionary_markdown("contacts").splitlines()
    assert lines[0] == (
        "| column | header needed | may be blank | values | meaning | example | also read as |"
    )
    assert lines[1] == "| --- | --- | --- | --- | --- | --- | --- |"
    assert lines[5] == (
        "| `communities` | yes | yes | eastern_european, armed_forces, lgbtq, none, not_recorded "
        "| Community or communities engaged, separated by ';'. 'none' when the contact was with "
        "none of them; 'not_recorded' (or blank) when unknown. | eastern_european;armed_forces "
        "| `community` |"
    )
    # note: may be left out of the file; no example, no other name (the optional age band
    # follows it).
    assert lines[-2] == (
        "| `note` | no | yes | text, up to 500 characters | Optional note, inspectors only. "
        "Never names, addresses, phone numbers or other personal data. | | |"
    )
    assert len(lines) == 2 + len(columns.CONTACT_COLUMNS)


def test_regenerating_the_dictionary_keeps_the_prose_and_needs_the_markers():
    begin = {kind: columns.DICTIONARY_BEGIN.format(kind=kind) for kind in columns.SPECS}
    end = {kind: columns.DICTIONARY_END.format(kind=kind) for kind in columns.SPECS}
    stale = "".join(f"Prose {k}.\n{begin[k]}\n| old |\n{end[k]}\n" for k in columns.SPECS)
    fresh = columns.with_dictionaries(stale)
    assert fresh == "".join(
        f"Prose {k}.\n{begin[k]}\n{columns.dictionary_markdown(k)}\n{end[k]}\n"
        for k in columns.SPECS
    )
    assert columns.with_dictionaries(fresh) == fresh
    with pytest.raises(ValueError, match="needs one"):
        columns.with_dictionaries(stale.replace(end["reports"], ""))
