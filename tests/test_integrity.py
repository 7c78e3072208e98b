"""Relationships and totals on a built demonstration database (dbt-style data tests)."""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def demo(demo_db_path):
    con = duckdb.connect(str(demo_db_path), read_only=True)
    yield con
    con.close()


def count(con, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


@pytest.mark.parametrize("table", ["contacts", "reports", "campaign_events"])
def test_every_record_points_at_a_live_import(demo, table):
    orphans = count(
        demo,
        f"SELECT count(*) FROM {table} AS t LEFT JOIN imports AS i USING (import_id)"
        " WHERE i.import_id IS NULL OR i.undone_at IS NOT NULL",
    )
    assert orphans == 0


def test_import_counts_match_the_records(demo):
    rows = demo.execute(
        "SELECT i.import_id, i.rows_accepted,"
        " (SELECT count(*) FROM contacts c WHERE c.import_id = i.import_id)"
        " + (SELECT count(*) FROM reports r WHERE r.import_id = i.import_id)"
        " FROM imports i"
    ).fetchall()
    assert rows and all(accepted == actual for _, accepted, actual in rows)


def test_the_demonstration_is_marked_as_such(demo):
    assert count(demo, "SELECT count(*) FROM imports WHERE NOT is_demonstration") == 0
    assert count(demo, "SELECT count(*) FROM imports WHERE is_demonstration") == 2


def test_every_lsoa_record_area_is_an_area(demo):
    for table in ("contacts", "reports"):
        assert (
            count(
                demo,
                f"SELECT count(*) FROM {table} t LEFT JOIN areas a USING (area_code)"
                " WHERE t.area_code IS NOT NULL AND a.area_code IS NULL",
            )
            == 0
        )
