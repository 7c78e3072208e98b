"""Getting large files in fast: a file loaded before is answered before it is read, the
Data page says which settings bound an upload, and the first run builds the
demonstration at HC_DEMO_SCALE."""

from __future__ import annotations

import duckdb
import pytest

from hidden_communities import database, ingest, readers, settings, staging, text, uploads
from hidden_communities.cli import EXIT_LOADED, main
from tests.builders import CONTACT_ROW, csv_header, empty_database, open_page

HEADER = csv_header("contacts")
FILE = (HEADER + CONTACT_ROW + CONTACT_ROW.replace(",1,", ",2,")).encode()


def refuse_to_read(monkeypatch):
    """Make every way of reading a file fail: a test passes only if none is used."""

    def fail(*_args, **_kwargs):
        raise AssertionError("the file was read")

    for module, name in (
        (staging, "stage_upload"),
        (staging, "stage_frame"),
        (readers, "read_upload"),
        (readers, "read_csv_text"),
        (readers, "decode_text"),
    ):
        monkeypatch.setattr(module, name, fail)


def test_a_file_loaded_before_is_answered_before_it_is_read(con, monkeypatch):
    first = ingest.import_file(con, FILE, "monday.csv", "contacts", loaded_by="pytest")
    assert first.message == "2 new record(s) loaded."
    refuse_to_read(monkeypatch)
    again = ingest.import_file(con, FILE, "copy of monday.csv", "contacts", loaded_by="pytest")
    assert again.loaded
    assert again.message == "This file was already loaded (import 1); nothing was added."
    assert (again.load.already_loaded_as, again.load.rows_in_file) == (1, 2)
    assert con.execute("SELECT count(*) FROM imports").fetchall() == [(1,)]
    # The same bytes offered as another kind of file are not that load: they are read.
    with pytest.raises(AssertionError, match="the file was read"):
        ingest.import_file(con, FILE, "monday.csv", "reports", loaded_by="pytest")


def test_the_import_command_answers_a_file_loaded_before_without_reading_it(
    tmp_path, reference, monkeypatch, capsys
):
    db = tmp_path / "cli.duckdb"
    empty_database(db, reference).close()
    file = tmp_path / "log.csv"
    file.write_bytes(FILE)
    argv = ["import", "contacts", str(file), "--db", str(db), "--by", "pytest"]
    assert main(argv) == EXIT_LOADED
    capsys.readouterr()
    refuse_to_read(monkeypatch)
    assert main(argv) == EXIT_LOADED
    assert capsys.readouterr().out == (
        "This file was already loaded (import 1); nothing was added.\n"
    )


def test_a_file_whose_load_was_undone_is_read_and_loaded_again(con):
    from hidden_communities.loading import undo_import

    first = ingest.import_file(con, FILE, "log.csv", "contacts", loaded_by="pytest")
    undo_import(con, first.load.import_id, undone_by="pytest")
    again = ingest.import_file(con, FILE, "log.csv", "contacts", loaded_by="pytest")
    assert again.message == "2 new record(s) loaded."


# --------------------------------------------------------------------------- upload size


def test_the_upload_limit_is_the_smaller_setting(monkeypatch):
    monkeypatch.setattr(settings, "MAX_UPLOAD_MB", 50.0)
    assert uploads.limit_mb(200) == 50
    assert uploads.limit_mb(20) == 20


def test_the_note_under_the_uploader_names_the_settings_that_raise_it(monkeypatch):
    monkeypatch.setattr(settings, "MAX_UPLOAD_MB", 500.0)
    assert uploads.limit_note(100) == (
        "Files over 100 MB are refused before they are read. To take larger ones, an "
        "administrator sets `server.maxUploadSize` in `.streamlit/config.toml` (in "
        "megabytes) and the `HC_MAX_UPLOAD_MB` setting to the same number, then restarts "
        "the dashboard."
    )
    with text.language("pl"):
        assert uploads.limit_note(1500) == (
            "Pliki większe niż 500 MB są odrzucane, zanim zostaną wczytane. Aby przyjmować "
            "większe, administrator ustawia w pliku `.streamlit/config.toml` wartość "
            "`server.maxUploadSize` (w megabajtach) i zmienną `HC_MAX_UPLOAD_MB` na tę samą "
            "liczbę, a potem uruchamia aplikację ponownie."
        )


def test_the_data_page_says_how_large_a_file_it_takes(tmp_path, reference, monkeypatch):
    db = tmp_path / "page.duckdb"
    empty_database(db, reference).close()
    at = open_page(db, monkeypatch, "load_data")
    notes = [m.value for m in at.markdown]
    assert any("`server.maxUploadSize` in `.streamlit/config.toml`" in n for n in notes), notes


# --------------------------------------------------------------------------- first run


def test_the_first_run_builds_the_demonstration_at_hc_demo_scale(tmp_path, monkeypatch):
    monkeypatch.setenv("HC_DEMO_SCALE", "0.05")
    monkeypatch.setenv("HC_DEMO_SEED", "11")
    path = database.ensure_database(tmp_path / "first.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [name for (name,) in con.execute("SELECT file_name FROM imports").fetchall()]
    finally:
        con.close()
    assert names == [
        "demonstration data, seed 11, scale 0.05 (contacts)",
        "demonstration data, seed 11, scale 0.05 (reports)",
    ]
