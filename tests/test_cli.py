"""The command line: `python -m hidden_communities import KIND FILE` and its exit status."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from hidden_communities.cli import EXIT_LOADED, EXIT_PARTIAL, EXIT_REJECTED, main
from tests.builders import CONTACT_ROW, PROJECT_ROOT, csv_header, empty_database

HEADER = csv_header("contacts")
ROW = CONTACT_ROW
BAD = ROW.replace("14/05/2021", "31/02/2021").replace(",1,", ",2,")


@pytest.fixture
def db(tmp_path, reference):
    path = tmp_path / "cli.duckdb"
    empty_database(path, reference).close()
    return path


def contacts_in(path) -> int:
    con = duckdb.connect(str(path))
    try:
        return con.execute("SELECT count(*) FROM contacts").fetchall()[0][0]
    finally:
        con.close()


def run(db, kind, file, *extra):
    return main(["import", kind, str(file), "--db", str(db), "--by", "pytest", *extra])


def test_a_good_file_exits_0(db, tmp_path, capsys):
    file = tmp_path / "log.csv"
    file.write_text(HEADER + ROW)
    assert run(db, "contacts", file) == EXIT_LOADED
    assert capsys.readouterr().out == "1 new record(s) loaded.\n"
    assert contacts_in(db) == 1
    # Again: already loaded, still a success, nothing added.
    assert run(db, "contacts", file) == EXIT_LOADED
    assert capsys.readouterr().out == (
        "This file was already loaded (import 1); nothing was added.\n"
    )
    assert contacts_in(db) == 1


def test_a_bad_row_exits_1_with_the_row_level_report_on_stderr(db, tmp_path, capsys):
    file = tmp_path / "log.csv"
    file.write_text(HEADER + ROW + BAD)
    assert run(db, "contacts", file) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert (
        "  row 3, column contact_date, value '31/02/2021': not a date: use dd/mm/yyyy or yyyy-mm-dd"
    ) in err.splitlines()
    assert contacts_in(db) == 0


def test_loading_the_valid_rows_only_exits_3_and_writes_the_rejected_rows(db, tmp_path):
    file = tmp_path / "log.csv"
    file.write_text(HEADER + ROW + BAD)
    assert run(db, "contacts", file, "--load-valid-rows") == EXIT_PARTIAL
    assert contacts_in(db) == 1
    rejected = (tmp_path / "log.rejected.csv").read_text(encoding="utf-8-sig")
    # The header, then the bad row as it was in the file, after its row number and problems.
    assert rejected.splitlines() == [
        "row,problems," + HEADER.strip(),
        "3,contact_date: not a date: use dd/mm/yyyy or yyyy-mm-dd," + BAD.strip(),
    ]


def test_a_missing_file_exits_1(db, tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    assert run(db, "reports", missing) == EXIT_REJECTED
    assert capsys.readouterr().err == f"cannot read {missing}: No such file or directory\n"


def test_the_module_runs_as_a_command(db, tmp_path):
    """The real entry point, in a fresh interpreter, as the README shows it."""
    file = tmp_path / "street.csv"
    file.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
        "x1,2024-03,Nottinghamshire Police,Nottinghamshire Police,-1.2,53.1,On or near Park,"
        "E01027925,Ashfield 015A,Burglary,Under investigation,\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hidden_communities",
            "import",
            "police-uk",
            str(file),
            "--db",
            str(db),
            "--by",
            "pytest",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, "1 new record(s) loaded.\n")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--scale", "-1"], "argument --scale: invalid positive number value: '-1'"),
        (["--scale", "0"], "argument --scale: invalid positive number value: '0'"),
        (["--scale", "nan"], "argument --scale: invalid positive number value: 'nan'"),
        (["--scale", "1e9"], "--scale 1e+09 is over 400, the largest demonstration"),
        (["--national", "--scale", "5"], "--scale 5 is over 4, the largest demonstration"),
    ],
)
def test_build_db_refuses_a_scale_it_cannot_build_in_a_sentence(args, said, tmp_path, capsys):
    """A negative, zero, NaN or too large scale is one line and exit 2, before anything is
    built (it used to be a numpy traceback, or an attempt to allocate petabytes)."""
    db = tmp_path / "x.duckdb"
    try:
        code = main(["build-db", "--db", str(db), *args])
    except SystemExit as stop:  # argparse's own error exit
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2
    assert said in err
    assert "Traceback" not in err
    assert not db.exists()


def test_build_db_with_a_bad_hc_demo_scale_says_so(tmp_path, capsys):
    """HC_DEMO_SCALE that is not a number reaches the build as NaN (settings.demo_scale): a
    sentence and exit 2, and no file."""
    from hidden_communities import cli

    db = tmp_path / "x.duckdb"
    args = cli.parser().parse_args(["build-db", "--db", str(db)])
    args.scale = float("nan")
    assert args.func(args) == 2
    assert "HC_DEMO_SCALE is not a number above 0; nothing was built" in capsys.readouterr().err
    assert not db.exists()


def test_hc_demo_scale_that_is_not_a_number_is_nan(monkeypatch):
    import math

    from hidden_communities import settings

    monkeypatch.setenv("HC_DEMO_SCALE", "abc")
    assert math.isnan(settings.demo_scale())
    monkeypatch.setenv("HC_DEMO_SCALE", "2.5")
    assert settings.demo_scale() == 2.5
