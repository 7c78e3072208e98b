"""Several processes on one database: imports from the command line beside each other, beside
a page that is reading, and beside the app's own writes (hidden_communities/access.py).

The imports run as real processes, exactly as the README shows the command. The waits
here are only bounds on the harness; nothing asserts how long anything took.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import duckdb
import pytest

from tests.builders import PROJECT_ROOT, empty_database

HEADER = (
    "contact_date,area,team,communities,channel,direction,place_type,people_reached,"
    "language,topics,follow_up_needed,note\n"
)
EXIT_BUSY = 4  # documented in the README and in `import --help`


@pytest.fixture
def db(tmp_path, reference):
    path = tmp_path / "shared.duckdb"
    empty_database(path, reference).close()
    return path


def contacts_text(team: str, n: int) -> str:
    """n distinct contacts of one team (people_reached numbers them 1..n)."""
    return HEADER + "".join(
        f"14/05/2021,E01027925,{team},lgbtq,phone,reactive,phone,{i},english,,no,\n"
        for i in range(1, n + 1)
    )


def contacts_file(path, team: str, n: int):
    path.write_text(contacts_text(team, n))
    return path


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_process_left_behind():
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.communicate()


def start_import(db, file, **env) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "hidden_communities", "import", "contacts", str(file)]
        + ["--db", str(db), "--by", "pytest"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HC_LOCK_WAIT_S": "120", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    STARTED.append(process)
    return process


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def lock_file(db):
    return db.with_name(db.name + ".lock")


def a_writer_holds_the_lock(db) -> bool:
    if not lock_file(db).exists():
        return False
    fd = os.open(lock_file(db), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also lets go of the shared lock if it was taken
    return False


def wait_until(condition, bound_s: float = 120) -> None:
    end = time.monotonic() + bound_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("the harness gave up waiting")
        time.sleep(0.02)


def test_two_imports_started_together_both_load_the_union(db, tmp_path):
    # The files are named pipes: both commands start up, then block reading their file, and
    # writing the two files lets them go on to the database together.
    files = {tmp_path / "alpha.csv": "Alpha", tmp_path / "beta.csv": "Beta"}
    for file in files:
        os.mkfifo(file)
    processes = [start_import(db, file) for file in files]
    writers = [
        threading.Thread(target=file.write_text, args=(contacts_text(team, 2000),))
        for file, team in files.items()
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=180)
    for code, out, err in [finish(p) for p in processes]:
        assert "Traceback" not in err, err
        assert (code, out) == (0, "2000 new record(s) loaded.\n"), err
    assert rows(
        db,
        "SELECT team, count(*), count(DISTINCT people_reached), min(people_reached),"
        " max(people_reached) FROM contacts GROUP BY team ORDER BY team",
    ) == [("Alpha", 2000, 2000, 1, 2000), ("Beta", 2000, 2000, 1, 2000)]
    assert rows(db, "SELECT file_name, rows_accepted FROM imports ORDER BY file_name") == [
        ("alpha.csv", 2000),
        ("beta.csv", 2000),
    ]


FORM_ENTRY = {
    "contact_date": "2021-05-20",
    "area": "E01027925",
    "team": "Form",
    "communities": "eastern_european",
    "channel": "face_to_face",
    "direction": "proactive",
    "place_type": "community_venue",
    "people_reached": "3",
    "language": "polish",
    "topics": "",
    "follow_up_needed": "no",
    "note": "",
}


def test_the_apps_writes_wait_for_a_running_import_then_save(db, tmp_path):
    nightly = contacts_file(tmp_path / "nightly.csv", "Nightly", 50)
    upload = contacts_file(tmp_path / "upload.csv", "Upload", 7).read_bytes()
    # A page in the middle of a query: the import checks its file, takes the writers'
    # lock, and then has to wait for the page to finish.
    page = duckdb.connect(str(db), read_only=True)
    process = start_import(db, nightly)
    done, failed = {}, []
    try:
        wait_until(lambda: a_writer_holds_the_lock(db) or process.poll() is not None)
        assert process.poll() is None, finish(process)  # still running, holding the lock

        from hidden_communities import access, ingest

        def log_contact():  # what the Log-a-contact page does, through store.writer()
            with access.writing(db) as con:
                done["form"] = ingest.log_contact(con, FORM_ENTRY, loaded_by="PC 1")

        def load_upload():  # what the Data page's Load button does
            with access.writing(db) as con:
                done["upload"] = ingest.import_file(
                    con, upload, "upload.csv", "contacts", loaded_by="PC 2"
                )

        def recording(job):
            def run():
                try:
                    job()
                except BaseException as error:  # reported by the assertion below
                    failed.append(repr(error))

            return run

        threads = [threading.Thread(target=recording(j)) for j in (log_contact, load_upload)]
        for thread in threads:
            thread.start()
    finally:
        page.close()
    code, out, err = finish(process)
    for thread in threads:
        thread.join(timeout=180)
    assert (code, out, err) == (0, "50 new record(s) loaded.\n", "")
    assert failed == []
    assert done["form"].loaded and done["upload"].loaded, (done["form"].errors, done["upload"])
    # The import had the lock when the app's writes began, so it committed first.
    assert rows(db, "SELECT file_name FROM imports ORDER BY import_id")[0] == ("nightly.csv",)
    assert rows(db, "SELECT team, count(*) FROM contacts GROUP BY team ORDER BY team") == [
        ("Form", 1),
        ("Nightly", 50),
        ("Upload", 7),
    ]


@contextmanager
def holding(db, holder: str):
    if holder == "a dashboard's kept connection":
        con = duckdb.connect(str(db))  # what the server did before: read-write, for ever
        try:
            yield
        finally:
            con.close()
    else:  # another import, in the middle of its load
        fd = os.open(lock_file(db), os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


@pytest.mark.parametrize("holder", ["a dashboard's kept connection", "another load's lock"])
def test_a_wait_that_runs_out_exits_4_with_one_plain_line(db, tmp_path, holder):
    file = contacts_file(tmp_path / "late.csv", "Late", 5)
    with holding(db, holder):
        code, out, err = finish(start_import(db, file, HC_LOCK_WAIT_S="0.5"))
    assert (code, out) == (EXIT_BUSY, "")
    assert err.splitlines() == [
        "late.csv was not loaded: the database shared.duckdb is busy: another load kept it "
        "for more than 0.5 s. Try again later, or wait longer with HC_LOCK_WAIT_S."
    ]
    assert rows(db, "SELECT count(*) FROM imports") == [(0,)]


def test_the_data_version_stays_while_a_load_is_uncommitted_and_moves_after(db):
    from hidden_communities import access

    before = access.data_version(db)
    seen_during = []
    with access.writing(db) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TABLE scratch AS SELECT range AS x FROM range(300000)")
        reader = threading.Thread(target=lambda: seen_during.append(access.data_version(db)))
        reader.start()
        reader.join()
        con.execute("COMMIT")
    assert seen_during == [before]
    assert access.data_version(db) != before


def test_log_a_contact_says_plainly_when_a_load_keeps_the_database_too_long(db, monkeypatch):
    from hidden_communities import settings
    from tests.test_pages_data import open_page

    at = open_page(db, monkeypatch, "log_contact")
    at.text_input(key="log_by").set_value("PC 1234")
    monkeypatch.setattr(settings, "LOCK_WAIT_S", 0.3, raising=False)
    with holding(db, "another load's lock"):
        at.form_submit_button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [w.value for w in at.warning] == [
        "Not saved: another data load has kept the database busy for more than 0.3 s. "
        "Nothing was changed; try again in a minute."
    ]
    assert at.text_input(key="log_by").value == "PC 1234"  # the form is kept for a retry
    assert rows(db, "SELECT count(*) FROM contacts") == [(0,)]


def test_the_data_page_says_plainly_when_a_load_keeps_the_database_too_long(db, monkeypatch):
    from hidden_communities import settings
    from tests.test_pages_data import open_page

    at = open_page(db, monkeypatch, "load_data")
    upload = contacts_text("Upload", 3).encode()
    at.file_uploader(key="data_upload").set_value(("log.csv", upload, "text/csv"))
    at.text_input(key="data_loaded_by").set_value("PC 1234").run()
    monkeypatch.setattr(settings, "LOCK_WAIT_S", 0.3, raising=False)
    with holding(db, "another load's lock"):
        at.button(key="data_load").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [w.value for w in at.warning] == [
        "Not saved: another data load has kept the database busy for more than 0.3 s. "
        "Nothing was changed; try again in a minute."
    ]
    assert rows(db, "SELECT count(*) FROM contacts") == [(0,)]


def test_during_a_load_cached_pages_still_show_and_uncached_ones_say_plainly(db, monkeypatch):
    from hidden_communities import settings
    from tests.test_pages import app

    shown = app(db, monkeypatch)  # the overview, now cached for this version of the data
    monkeypatch.setattr(settings, "LOCK_WAIT_S", 0.3, raising=False)
    with holding(db, "another load's lock"):
        shown.run()  # a rerun of an open page: from the cache, without opening the database
        assert not shown.exception and not shown.warning
        assert shown.title[0].value == "Hidden Communities: overview"
        fresh = shown.switch_page("pages/data_quality.py").run()  # a view not asked for yet
    assert not fresh.exception, [e.message for e in fresh.exception]
    assert [w.value for w in fresh.warning] == [
        "The database is busy: a data load has kept it for more than 0.3 s. The figures will "
        "show once it has finished; reload the page in a minute."
    ]
