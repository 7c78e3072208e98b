"""Issue 15, beyond one machine: Parquet snapshots partitioned by force and month, and the
app served read-only over them (HC_PARQUET_DIR) with the same queries. Every page shows the
same figures from a snapshot as from the database it was exported from; writes are
refused; a snapshot is replaced in one step."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hidden_communities import access, cli, snapshots, text
from hidden_communities.ingest import import_file
from hidden_communities.loading import undo_import
from hidden_communities.schema import SCHEMA_VERSION
from queries import run_query
from tests.builders import CONTACT_ROW, contacts, csv_header, load_frame, open_page, page_stems
from ui import serve

NOTTINGHAMSHIRE = "E23000019"  # Ashfield's police force area (data/reference)

# data.police.uk rows (the published-crime page), as downloaded: two months, two LSOAs.
POLICE_UK = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
    + "".join(
        f"pu{i:03d},2024-0{1 + i % 2},Nottinghamshire Police,Nottinghamshire Police,-1.25,53.13,"
        f"On or near Park,{lsoa},{name},{crime},Under investigation,\n"
        for i, (lsoa, name, crime) in enumerate(
            [("E01027951", "Ashfield 007B", "Burglary")] * 7
            + [("E01027957", "Ashfield 009D", "Vehicle crime")] * 4
        )
    )
)


@pytest.fixture(scope="module")
def rich_db(demo_db_path, tmp_path_factory, reference) -> Path:
    """The demonstration database (every month, campaign events, teams, outcomes) with a
    data.police.uk file and a contacts file that was loaded and then undone, so the
    imports table holds an undone load."""
    path = tmp_path_factory.mktemp("rich") / "rich.duckdb"
    shutil.copy(demo_db_path, path)
    con = duckdb.connect(str(path))
    loaded = import_file(
        con,
        POLICE_UK.encode(),
        "2024-01-street.csv",
        "police_uk",
        loaded_by="pytest",
        today=date(2024, 6, 1),
    )
    assert loaded.loaded, loaded.message
    undone = load_frame(con, contacts([("lgbtq", 2)]), "contacts", reference["areas"], "gone.csv")
    undo_import(con, undone.import_id, undone_by="pytest")
    con.close()
    return path


def export(db: Path, out: Path) -> dict:
    return snapshots.export_parquet(db, out)


@pytest.fixture(scope="module")
def explore_snapshot(explore_db, tmp_path_factory) -> Path:
    return _exported(explore_db, tmp_path_factory)


@pytest.fixture(scope="module")
def rich_snapshot(rich_db, tmp_path_factory) -> Path:
    return _exported(rich_db, tmp_path_factory)


def _exported(db: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("snapshot") / "snapshot"
    export(db, out)
    return out


# ------------------------------------------------------------------------------ the files


def test_the_snapshot_is_partitioned_by_force_and_month(explore_db, explore_snapshot):
    """Hive layout; every record of the one-force database (the 3 contacts with no area
    too) is under Nottinghamshire; the months are those of the records."""
    contacts_dir = explore_snapshot / "contacts"
    assert sorted(p.name for p in contacts_dir.iterdir()) == [f"force={NOTTINGHAMSHIRE}"]
    assert sorted(p.name for p in (contacts_dir / f"force={NOTTINGHAMSHIRE}").iterdir()) == [
        "month=2021-02",
        "month=2021-05",
    ]
    assert sorted(
        p.name for p in (explore_snapshot / "reports" / f"force={NOTTINGHAMSHIRE}").iterdir()
    ) == [
        "month=2021-01",
        "month=2021-06",
    ]
    # Every other table the queries read is one file.
    assert sorted(p.name for p in explore_snapshot.glob("*.parquet")) == [
        "areas.parquet",
        "campaign_events.parquet",
        "contact_rollup.parquet",
        "district_population.parquet",
        "districts.parquet",
        "imports.parquet",
        "measures.parquet",
        "outcome_updates.parquet",
        "population.parquet",
        "record_holders.parquet",
        "report_rollup.parquet",
        "schema_version.parquet",
        "towns.parquet",
    ]
    # February 2021: 4 + 30 + 6 contacts; May: 12 + 20 + 4 + 5 + 3 (14th) + 2 + 10 (20th).
    counts = duckdb.sql(
        "SELECT force, month, count(*) FROM read_parquet($glob, hive_partitioning = true) "
        "GROUP BY ALL ORDER BY month",
        params={"glob": str(contacts_dir / "*" / "*" / "*.parquet")},
    ).fetchall()
    assert counts == [(NOTTINGHAMSHIRE, "2021-02", 40), (NOTTINGHAMSHIRE, "2021-05", 56)]


def test_the_manifest_says_what_the_snapshot_holds(explore_db, explore_snapshot):
    manifest = json.loads((explore_snapshot / "manifest.json").read_text())
    assert manifest["format"] == "hidden-communities-parquet"
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["partitioned_by"] == ["force", "month"]
    assert manifest["source"] == "explore.duckdb"
    assert manifest["written_at"].endswith("Z")
    rows = {name: spec["rows"] for name, spec in manifest["tables"].items()}
    assert (rows["contacts"], rows["reports"], rows["campaign_events"]) == (96, 108, 1)
    # The data version is the digest of the files, so it is also the app's cache key.
    assert manifest["data_version"] == snapshots._digest(explore_snapshot.resolve())
    assert access.data_version(explore_snapshot) == f"parquet|{manifest['data_version']}"


def test_every_table_reads_back_with_its_own_types_and_rows(rich_db, rich_snapshot):
    """Enums and lists of enums come back as the same types (Parquet stores them as text),
    in the same column order, with the same rows."""
    db = duckdb.connect(str(rich_db), read_only=True)
    try:
        with access.reading(rich_snapshot) as snap:
            for (table,) in db.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                assert snap.execute(f"DESCRIBE {table}").fetchall() == [
                    row[:2] + ("YES", None, None, None)
                    for row in db.execute(f"DESCRIBE {table}").fetchall()
                ], table
                key = db.execute(f"SELECT * FROM {table}").df().columns[0]
                ordered = f"SELECT * FROM {table} ORDER BY ALL"
                pd.testing.assert_frame_equal(
                    snap.execute(ordered).df(), db.execute(ordered).df(), obj=f"{table} ({key})"
                )
    finally:
        db.close()


# ------------------------------------------------------------------------------ every page


def shown(at) -> dict:
    """What a page shows that carries figures: every table's values, every chart's data
    and layout, the metrics, and the text around them (not the snapshot banner)."""
    banners = []
    for lang in text.languages():  # the page's language, whichever it is
        with text.language(lang):
            banners.append(text.t("snapshot_mode.banner", date="", time="").split("{")[0][:30])
    return {
        "tables": [el.value for el in at.dataframe],
        "charts": [json.loads(el.proto.spec) for el in at.get("plotly_chart")],
        "metrics": [(m.label, m.value) for m in at.metric],
        "markdown": [m.value for m in at.markdown],
        "captions": [c.value for c in at.caption],
        "notes": [i.value for i in at.info if not i.value.startswith(tuple(banners))]
        + [w.value for w in at.warning]
        + [e.value for e in at.error],
    }


def assert_same(on_file: dict, on_parquet: dict) -> None:
    assert len(on_parquet["tables"]) == len(on_file["tables"])
    for n, (parquet, file) in enumerate(zip(on_parquet["tables"], on_file["tables"], strict=True)):
        pd.testing.assert_frame_equal(parquet, file, obj=f"table {n}")
    assert on_parquet["charts"] == on_file["charts"]
    for part in ("metrics", "markdown", "captions", "notes"):
        assert on_parquet[part] == on_file[part], part


# Each page on its default view, and the views that choose other queries or levels.
VIEWS = [(stem, {}) for stem in page_stems()] + [
    ("map", {"geo": "lsoa", "focus": "all_residents"}),
    ("map", {"geo": "msoa", "measure": "count", "records": "reports"}),
    ("trends", {"scale": "rate"}),
    ("trends", {"ward": "E05010673", "channel": "face_to_face"}),
    ("representation", {"limits": "none"}),
    ("overview", {"lsoa": "E01027951", "crime": "criminal_damage_arson"}),
    ("priorities", {"priorities_weight": "people"}),
    ("overview", {"audience": "public"}),
    ("overview", {"lang": "pl"}),
]


# The hand-made database on every view; the demonstration one on each page's default.
CASES = [
    *[("explore", page, query) for page, query in VIEWS],
    *[("rich", page, {}) for page in page_stems()],
    ("rich", "published_crime", {"published_geo": "lsoa"}),  # its rows are in this one
]


@pytest.mark.parametrize(("which", "page", "query"), CASES, ids=str)
def test_every_page_shows_the_same_figures_from_the_snapshot(
    which, page, query, request, monkeypatch
):
    db = request.getfixturevalue(f"{which}_db")
    snapshot = request.getfixturevalue(f"{which}_snapshot")
    monkeypatch.delenv("HC_PARQUET_DIR", raising=False)
    on_file = shown(open_page(db, monkeypatch, page, **query))
    monkeypatch.setenv("HC_PARQUET_DIR", str(snapshot))
    at = open_page(db, monkeypatch, page, **query)
    assert_same(on_file, shown(at))
    written = snapshots.written_at(snapshot)
    with text.language(query.get("lang", text.DEFAULT_LANGUAGE)):  # the page's language
        banner = text.t(
            "snapshot_mode.banner", date=text.date(written.date()), time=f"{written:%H:%M}"
        )
    assert at.info[0].value == banner


def test_the_pages_show_figures_at_all(rich_db, rich_snapshot, monkeypatch):
    """The comparison above is not of two empty pages."""
    monkeypatch.setenv("HC_PARQUET_DIR", str(rich_snapshot))
    for page in ("overview", "map", "trends", "representation", "published_crime", "scorecard"):
        at = open_page(rich_db, monkeypatch, page)
        assert at.dataframe and any(not el.value.empty for el in at.dataframe), page


# ------------------------------------------------------------------------------ read-only


@pytest.fixture
def writable(tmp_path, explore_db) -> tuple[Path, Path]:
    """A database of its own and its snapshot, for the tests that try to write."""
    db = tmp_path / "own.duckdb"
    shutil.copy(explore_db, db)
    out = tmp_path / "snapshot"
    export(db, out)
    return db, out


def counts(db: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM imports), "
            "(SELECT count(*) FROM imports WHERE undone_at IS NOT NULL)"
        ).fetchall()[0]
    finally:
        con.close()


REFUSED = (
    "Not saved: this dashboard reads a published snapshot, so nothing can be loaded, undone "
    "or logged here. Nothing was changed. Do it where the snapshots are written; it shows "
    "here with the next snapshot."
)


def test_loading_a_file_is_refused(writable, monkeypatch):
    db, out = writable
    monkeypatch.setenv("HC_PARQUET_DIR", str(out))
    before, files = counts(db), sorted(out.resolve().rglob("*"))
    at = open_page(db, monkeypatch, "load_data")
    upload = (csv_header("contacts") + CONTACT_ROW).encode()
    at.file_uploader(key="data_upload").set_value(("log.csv", upload, "text/csv"))
    at.text_input(key="data_loaded_by").set_value("PC 1234").run()
    at.button(key="data_load").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == [REFUSED]
    assert counts(db) == before
    assert sorted(out.resolve().rglob("*")) == files


def test_undoing_a_load_is_refused(writable, monkeypatch):
    db, out = writable
    monkeypatch.setenv("HC_PARQUET_DIR", str(out))
    at = open_page(db, monkeypatch, "load_data")
    at.selectbox(key="undo_id").set_value(1)
    at.checkbox(key="undo_sure").check()
    [button] = [b for b in at.form_submit_button if b.label == "Undo the load"]
    button.click().run()
    assert [w.value for w in at.warning] == [REFUSED]
    assert not at.success
    assert counts(db)[2] == 0


def test_logging_a_contact_is_refused(writable, monkeypatch):
    db, out = writable
    monkeypatch.setenv("HC_PARQUET_DIR", str(out))
    before = counts(db)
    at = open_page(db, monkeypatch, "log_contact")
    at.text_input(key="log_by").set_value("PC 1234")
    [button] = [b for b in at.form_submit_button if b.label == "Save the contact"]
    button.click().run()
    assert [w.value for w in at.warning] == [REFUSED]
    assert counts(db) == before


def test_the_refusal_is_in_polish_too(writable, monkeypatch):
    db, out = writable
    monkeypatch.setenv("HC_PARQUET_DIR", str(out))
    at = open_page(db, monkeypatch, "log_contact", lang="pl")
    at.text_input(key="log_by").set_value("PC 1234")
    [button] = [b for b in at.form_submit_button]
    button.click().run()
    assert [w.value for w in at.warning] == [
        "Nie zapisano: ten panel pokazuje opublikowaną kopię danych, więc nie można tu niczego "
        "wczytać, cofnąć ani zapisać. Nic nie zostało zmienione. Zrób to tam, gdzie powstają "
        "kopie; zmiana pojawi się tu razem z następną kopią."
    ]


def test_a_snapshot_refuses_every_write_below_the_pages(writable, tmp_path):
    db, out = writable
    with pytest.raises(access.ReadOnlySnapshot), access.writing(out):
        pass
    with pytest.raises(access.ReadOnlySnapshot), access.locked(out):
        pass
    contacts_file = tmp_path / "more.csv"
    contacts_file.write_text(csv_header("contacts") + CONTACT_ROW)
    assert cli.main(["import", "contacts", str(contacts_file), "--db", str(out)]) == 1
    assert counts(db)[0] == 96


@pytest.mark.parametrize("made", [True, False], ids=["empty folder", "no folder"])
def test_a_missing_snapshot_is_said_plainly(made, explore_db, tmp_path, monkeypatch):
    missing = tmp_path / "snapshot"
    if made:
        missing.mkdir()
    monkeypatch.setenv("HC_PARQUET_DIR", str(missing))
    at = open_page(explore_db, monkeypatch, "overview")
    assert [e.value for e in at.error] == [
        f"The Parquet snapshot at {missing} cannot be read: it is missing, incomplete or "
        "written by another version of the code. Write it again with "
        "`python -m hidden_communities export-parquet`, or point HC_PARQUET_DIR at another "
        "snapshot."
    ]
    # Never taken for a database file to create there.
    with pytest.raises(access.ReadOnlySnapshot), access.writing(missing):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == (["snapshot"] if made else [])


# ------------------------------------------------------------------------------ replacing


def test_a_snapshot_written_again_replaces_the_old_one_in_one_step(writable, reference):
    """The target is a link, switched in one rename to a complete folder; the snapshot
    before stays (a query may still be reading it), older ones go; the app's connection
    follows the new one at its next query, and its data version changes."""
    db, out = writable
    first = out.resolve()
    first_version = access.data_version(out)
    with access.reading(out) as con:
        assert run_query(con, "data_status")["contacts"].item() == 96
    con = duckdb.connect(str(db))
    load_frame(con, contacts([("lgbtq", 5)]), "contacts", reference["areas"], "more.csv")
    con.close()

    export(db, out)
    second = out.resolve()
    assert out.is_symlink() and second != first
    assert first.is_dir()  # kept for a query that began on it
    assert access.data_version(out) != first_version
    with access.reading(out) as con:
        assert run_query(con, "data_status")["contacts"].item() == 101

    export(db, out)
    assert not first.exists()  # two snapshots back: removed
    assert sorted(p.name for p in out.parent.glob(".snapshot.snapshots/*")) == sorted(
        [".lock", second.name, out.resolve().name]
    )
    # The same data written again has the same data version: cached pages stay valid.
    assert access.data_version(out) == json.loads((second / "manifest.json").read_text())[
        "data_version"
    ].join(["parquet|", ""])


def test_a_reader_never_sees_half_a_snapshot(writable, monkeypatch):
    """While a snapshot is being written the target still shows the old one, whole; an
    export that fails leaves the old one in place and nothing of its own behind."""
    db, out = writable
    old = out.resolve()
    seen = []
    real_write = snapshots._write_tables

    def write_then_look(con, folder, forces):
        real_write(con, folder, forces)
        seen.append((out.resolve(), sorted(p.name for p in out.iterdir())))
        raise OSError("disk full")

    monkeypatch.setattr(snapshots, "_write_tables", write_then_look)
    with pytest.raises(OSError, match="disk full"):
        export(db, out)
    assert seen[0][0] == old and "manifest.json" in seen[0][1]
    assert out.resolve() == old
    assert sorted(p.name for p in out.parent.glob(".snapshot.snapshots/*")) == [".lock", old.name]
    with access.reading(out) as con:
        assert run_query(con, "data_status")["contacts"].item() == 96


def test_the_app_shows_a_new_snapshot_on_its_next_run(writable, reference, monkeypatch):
    db, out = writable
    monkeypatch.setenv("HC_PARQUET_DIR", str(out))
    at = open_page(db, monkeypatch, "data_quality")
    before = [el.value for el in at.dataframe]
    con = duckdb.connect(str(db))
    load_frame(
        con,
        contacts([("lgbtq", 5)], contact_date="2021-03-03"),
        "contacts",
        reference["areas"],
        "march.csv",
    )
    con.close()
    export(db, out)
    at.run()
    after = [el.value for el in at.dataframe]
    assert not all(a.equals(b) for a, b in zip(before, after, strict=True))


def test_export_refuses_a_folder_it_did_not_write(explore_db, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert (
        cli.main(["export-parquet", "--db", str(explore_db), "--out", str(tmp_path / "taken")]) == 1
    )
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]  # nothing made beside it
    assert (
        cli.main(
            ["export-parquet", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "s")]
        )
        == 1
    )


def test_export_to_a_place_it_cannot_write_says_so_in_a_line(explore_db, tmp_path, capsys):
    """A folder that cannot be made (its parent is a file): one line, exit 1, nothing left."""
    (tmp_path / "a_file").write_text("not a folder")
    out = tmp_path / "a_file" / "snapshot"
    assert cli.main(["export-parquet", "--db", str(explore_db), "--out", str(out)]) == 1
    said = capsys.readouterr()
    assert said.out == ""
    assert said.err.startswith("no snapshot was written: ") and said.err.count("\n") == 1
    assert "Traceback" not in said.err and "Not a directory" in said.err
    assert (tmp_path / "a_file").read_text() == "not a folder"


def test_export_command_writes_a_snapshot(explore_db, tmp_path, capsys):
    assert cli.main(["export-parquet", "--db", str(explore_db), "--out", str(tmp_path / "s")]) == 0
    version = json.loads((tmp_path / "s" / "manifest.json").read_text())["data_version"]
    assert capsys.readouterr().out == (
        f"wrote {tmp_path / 's'}: 96 contacts and 108 reports by force and month, 13 other "
        f"tables (data version {version[:12]})\n"
    )


def test_a_snapshot_is_read_through_a_url_too(explore_db, explore_snapshot):
    """A URL goes to DuckDB as it is (object storage is httpfs configuration, README): here
    file://, which DuckDB reads without any extension."""
    url = "file://" + str(explore_snapshot.resolve())
    with access.reading(url) as con:
        remote = run_query(con, "data_status")
    with access.reading(explore_snapshot) as con:
        local = run_query(con, "data_status")
    pd.testing.assert_frame_equal(remote, local)
    assert access.data_version(url) == access.data_version(explore_snapshot)


def test_serve_takes_a_parquet_option(monkeypatch):
    monkeypatch.setenv("HC_PARQUET_DIR", "")  # put back as it was after the test
    rest = serve._parquet_option(["--server.port", "8502", "--parquet", "/srv/snap"])
    assert rest == ["--server.port", "8502"]
    assert os.environ["HC_PARQUET_DIR"] == "/srv/snap"
    assert serve._parquet_option(["--parquet=s3://bucket/hc"]) == []
    assert os.environ["HC_PARQUET_DIR"] == "s3://bucket/hc"
