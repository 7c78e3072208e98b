"""Safe out: the grid shows (and so its own toolbar download exports) neutralised cells,
the same as the project's download button."""

from __future__ import annotations

from tests.builders import contacts, empty_database, load_frame, open_page, table_with

HOSTILE_NAMES = ('=HYPERLINK("http://x","y").csv', " =1+1.csv", "@SUM(A1).csv")


def test_the_grid_shows_formulas_neutralised(tmp_path, reference, monkeypatch):
    path = tmp_path / "safe.duckdb"
    con = empty_database(path, reference)
    for n, name in enumerate(HOSTILE_NAMES, start=1):
        load_frame(con, contacts([("none", n)]), "contacts", reference["areas"], name)
    con.close()
    at = open_page(path, monkeypatch, "load_data")
    loads = table_with(at, "import_id", "file_name")
    # Every cell that a spreadsheet would run is shown with a leading apostrophe.
    assert sorted(loads["file_name"]) == sorted("'" + name for name in HOSTILE_NAMES)
