"""A read connection held open for a page's run (access.held_open): the run's reads open at
once, and the connection is let go at the end of the run, before a write on the same
thread, and as soon as a read finds an import waiting, so an import never waits longer
than the run it meets. The waits here are only bounds on the harness."""

from __future__ import annotations

import duckdb
import pytest

from hidden_communities import access
from tests.builders import empty_database
from tests.test_concurrency import (
    a_writer_holds_the_lock,
    contacts_file,
    finish,
    start_import,
    wait_until,
)


@pytest.fixture
def db(tmp_path, reference):
    path = tmp_path / "shared.duckdb"
    empty_database(path, reference).close()
    return path


def count(db, table: str = "contacts") -> int:
    with access.reading(db) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def opens_read_write(db) -> bool:
    """Whether another program could open the file to write now."""
    try:
        duckdb.connect(str(db)).close()
    except (duckdb.IOException, duckdb.ConnectionException):
        return False
    return True


def test_the_file_stays_open_through_the_block_and_is_let_go_at_its_end(db):
    with access.held_open(db):
        assert opens_read_write(db)  # nothing read yet: nothing held
        assert count(db) == 0
        assert not opens_read_write(db)  # held between the block's reads
        assert count(db) == 0
    assert opens_read_write(db)


def test_the_block_lets_go_when_it_stops_early(db):
    with pytest.raises(RuntimeError), access.held_open(db):
        count(db)
        raise RuntimeError("st.stop, st.rerun or an error in the page")
    assert opens_read_write(db)


def test_a_write_on_the_same_thread_lets_go_first_and_the_next_read_sees_it(db):
    with access.held_open(db):
        assert count(db) == 0
        with access.writing(db, wait=0) as con:
            con.execute("CREATE TABLE held_note (x INTEGER)")
            con.execute("INSERT INTO held_note VALUES (1), (2)")
        assert count(db, "held_note") == 2


def test_a_read_lets_go_for_an_import_waiting_and_reads_what_it_loaded(db, tmp_path):
    with access.held_open(db):
        assert count(db) == 0
        process = start_import(db, contacts_file(tmp_path / "nightly.csv", "Nightly", 50))
        wait_until(lambda: a_writer_holds_the_lock(db))  # it waits for the held file
        assert count(db) == 50  # this read let go, waited for the load, and read it
        assert finish(process) == (0, "50 new record(s) loaded.\n", "")


def test_nothing_is_held_on_a_parquet_snapshot():
    with access.held_open("https://example.org/snapshot/"):
        pass
