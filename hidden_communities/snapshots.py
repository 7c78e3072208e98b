"""Parquet snapshots of the database, and the read-only DuckDB the app opens over them.

One writer (the machine with the DuckDB file) exports; any number of readers serve the
dashboard from the snapshot, on this machine, on others, or from object storage. A snapshot
is a folder:

    manifest.json                                   format, schema and data version, when
    contacts/force=E23000019/month=2021-04/*.parquet   the records, partitioned by the police
    reports/force=E23000019/month=2021-04/*.parquet    force area of their district and month
    areas.parquet, population.parquet, ...           every other table, one file each

Writing (`export_parquet`): the tables are read through one read-only connection (one
consistent state; imports wait for it), written to a new folder beside the target, and
the target, a symbolic link, is switched to it in one rename. A reader therefore opens the
old snapshot or the new one, never half of one. The snapshot before stays on disk until
the next export, so a query that began on it can finish; older ones are removed.

Reading (`open_snapshot`): an in-memory DuckDB with one view per table, named like the
table, over `read_parquet(..., hive_partitioning = true)`, each column cast back to the type
the table had (Parquet stores enums as text), plus the same enum types and filter macros as
the database. The queries in queries/*.sql run on it unchanged; access.py decides which of
the two a location is, and refuses writes to a snapshot.

The force of a record comes from data/reference/police_force_areas.csv (its area's
district); a record with no area goes under the force of the database's districts when
they share one, else under `unplaced`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from queries import sql

from .schema import SCHEMA_VERSION, create_macros, enum_ddl
from .settings import REFERENCE_DIR, parquet_dir

FORMAT = "hidden-communities-parquet"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PARTITIONS = ("force", "month")
# The record tables, partitioned; the query that adds their partition keys.
PARTITIONED = {"contacts": "snapshot_contacts", "reports": "snapshot_reports"}
UNPLACED_FORCE = "unplaced"
FORCE_LOOKUP = "police_force_areas.csv"
# How long a reader trusts the manifest it read from object storage before reading it
# again (a local manifest is read on every query: it costs a file read, not a request).
REMOTE_CHECK_S = 30.0


class SnapshotError(RuntimeError):
    """A snapshot that cannot be written or read; the message is one plain sentence."""


# ------------------------------------------------------------------------------ locations


def is_url(location: str | os.PathLike) -> bool:
    return "://" in str(location)


def is_snapshot(location: str | os.PathLike) -> bool:
    """Whether a location is a Parquet snapshot (a folder or a URL) rather than the
    database file. A DuckDB file is never a folder. The location HC_PARQUET_DIR names is a
    snapshot even before it exists: it is refused as unreadable, never created as a
    database file."""
    return is_url(location) or Path(location).is_dir() or str(location) == parquet_dir()


def _join(location: str, *parts: str) -> str:
    return "/".join([location.rstrip("/"), *parts])


def _sql_text(value: str) -> str:
    # A view cannot take bound parameters: the snapshot's own location and its table and
    # column names (from the manifest this code wrote) are quoted exactly instead.
    return "'" + value.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_text(location: str) -> str:
    if not is_url(location):
        return Path(location).read_text(encoding="utf-8")
    con = duckdb.connect()  # DuckDB reads the URL (httpfs, configured as README says)
    try:
        rows = con.execute("SELECT content FROM read_text($path)", {"path": location}).fetchall()
        return rows[0][0]
    finally:
        con.close()


_REMOTE: dict[str, tuple[float, dict]] = {}
_REMOTE_GUARD = threading.Lock()


def current(location: str | os.PathLike) -> tuple[str, dict]:
    """The snapshot a location holds now: where its files are (a local link resolved to the
    folder it points at, so one reader's views never mix two snapshots) and its manifest."""
    location = str(location)
    if is_url(location):
        with _REMOTE_GUARD:
            found = _REMOTE.get(location)
            if found and time.monotonic() - found[0] < REMOTE_CHECK_S:
                return location, found[1]
        manifest = _manifest(location)
        with _REMOTE_GUARD:
            _REMOTE[location] = (time.monotonic(), manifest)
        return location, manifest
    resolved = os.path.realpath(location)
    return resolved, _manifest(resolved)


def _manifest(location: str) -> dict:
    path = _join(location, MANIFEST)
    try:
        manifest = json.loads(_read_text(path))
    except (OSError, duckdb.Error, ValueError) as error:
        raise SnapshotError(
            f"no Parquet snapshot at {location}: {MANIFEST} cannot be read ({error})"
        ) from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise SnapshotError(f"{path} is not a snapshot this code writes ({FORMAT} 1)")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise SnapshotError(
            f"the snapshot at {location} has schema version {manifest.get('schema_version')}, "
            f"this code reads version {SCHEMA_VERSION}: export it again with this code"
        )
    return manifest


def data_version(location: str | os.PathLike) -> str:
    """The cache key of a snapshot's data: the data version its manifest gives."""
    _resolved, manifest = current(location)
    return f"parquet|{manifest['data_version']}"


def written_at(location: str | os.PathLike) -> datetime:
    """When the snapshot at a location was written (UTC)."""
    _resolved, manifest = current(location)
    return datetime.fromisoformat(manifest["written_at"])


# ------------------------------------------------------------------------------ reading


def view_sql(location: str, table: str, spec: dict) -> str:
    """The view that stands for one table: its columns, in order and cast to the table's
    own types, without the partition keys that Hive partitioning adds."""
    source = _sql_text(_join(location, spec["path"]))
    # Every column is named through the alias: DuckDB binds a view inside a table macro
    # with the macro's parameters in scope, and filtered_reports has a parameter named like
    # a column (hate_strands), which an unqualified name would clash with.
    columns = ", ".join(
        f"CAST(parquet.{_sql_name(name)} AS {kind}) AS {_sql_name(name)}"
        for name, kind in spec["columns"]
    )
    options = (
        ", hive_partitioning = true, hive_types_autocast = false" if spec["partitioned"] else ""
    )
    return (
        f"CREATE VIEW {_sql_name(table)} AS "  # noqa: S608 (names and path quoted above)
        f"SELECT {columns} FROM read_parquet({source}{options}) AS parquet"
    )


def open_snapshot(location: str, manifest: dict) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB over the snapshot: the enum types, a view per table and the
    filter macros, so every query file runs on it as on the database."""
    con = duckdb.connect()
    try:
        # Each query reads the files' footers again unless DuckDB keeps them.
        con.execute("SET parquet_metadata_cache = true")
        for statement in enum_ddl():
            con.execute(statement)
        for table, spec in manifest["tables"].items():
            con.execute(view_sql(location, table, spec))
        create_macros(con)
    except duckdb.Error as error:
        con.close()
        raise SnapshotError(f"the Parquet snapshot at {location} cannot be read: {error}") from None
    return con


# ------------------------------------------------------------------------------ writing


def _versions(out: Path) -> Path:
    """Where the snapshots behind the link `out` live (beside it, hidden)."""
    return out.parent / f".{out.name}.snapshots"


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """One export at a time for a target (two would prune each other's folders)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _check_target(out: Path) -> None:
    if out.is_symlink() or not out.exists():
        return
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()  # an empty folder made in advance: the link takes its place
        return
    raise SnapshotError(
        f"{out} exists and is not a snapshot link written by export-parquet: move it away, "
        "or choose another --out"
    )


def _write_tables(con: duckdb.DuckDBPyConnection, folder: Path, forces: pd.DataFrame) -> dict:
    """Write every table of the database into `folder`; return the manifest's tables."""
    names = [
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
        ).fetchall()
    ]
    con.register("police_force_areas", forces)
    try:
        # On the connection itself: a registered frame is not seen by its cursors.
        in_database = [code for (code,) in con.execute(sql("snapshot_forces")).fetchall()]
        unplaced = in_database[0] if len(in_database) == 1 else UNPLACED_FORCE
        tables = {}
        for table in names:
            columns = con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = $t "
                "AND database_name = current_database() AND schema_name = 'main' "
                "ORDER BY column_index",
                {"t": table},
            ).fetchall()
            rows = con.execute(f"SELECT count(*) FROM {_sql_name(table)}").fetchall()[0][0]  # noqa: S608
            partitioned = table in PARTITIONED
            tables[table] = {
                "path": f"{table}/*/*/*.parquet" if partitioned else f"{table}.parquet",
                "partitioned": partitioned,
                "rows": rows,
                "columns": [list(column) for column in columns],
            }
            if partitioned and rows:
                (folder / table).mkdir()
                con.execute(
                    f"COPY ({sql(PARTITIONED[table])}) TO {_sql_text(str(folder / table))} "
                    f"(FORMAT parquet, PARTITION_BY ({', '.join(PARTITIONS)}))",
                    {"unplaced_force": unplaced},
                )
            else:
                target = folder / tables[table]["path"]
                if partitioned:  # no records: one empty file keeps the layout readable
                    target = folder / table / f"force={unplaced}" / "month=none" / "data_0.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"COPY (SELECT * FROM {_sql_name(table)}) TO {_sql_text(str(target))} "  # noqa: S608
                    "(FORMAT parquet)"
                )
    finally:
        con.unregister("police_force_areas")
    return tables


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _digest(folder: Path) -> str:
    """The data version: a SHA-256 of every file's path and bytes (the manifest aside)."""
    digest = hashlib.sha256()
    for path in _files(folder):
        if path == folder / MANIFEST:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_parquet(
    db: Path,
    out: Path,
    *,
    reference_dir: Path = REFERENCE_DIR,
    wait: float | None = None,
) -> dict:
    """Write the database `db` as a Parquet snapshot at `out` (a link to the newest
    snapshot folder, replaced atomically); return its manifest. Waits, like any reader,
    while an import is being written (at most `wait` seconds, access.DatabaseBusy after)."""
    from . import access  # access opens snapshots too: imported here to avoid a cycle

    db, out = Path(db), Path(out)
    if not db.is_file():
        raise SnapshotError(f"no database at {db}")
    forces = pd.read_csv(reference_dir / FORCE_LOOKUP, dtype=str, keep_default_na=False)
    _check_target(out)  # before making anything beside it (again below, under the lock)
    versions = _versions(out)
    versions.mkdir(parents=True, exist_ok=True)
    with _exclusive(versions / ".lock"):
        _check_target(out)
        previous = os.readlink(out) if out.is_symlink() else None
        written_at = datetime.now(UTC)
        tmp = versions / f"tmp-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            with access.reading(db, wait=wait) as con:
                tables = _write_tables(con, tmp, forces)
            for path in _files(tmp):
                _fsync(path)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema_version": SCHEMA_VERSION,
                "data_version": _digest(tmp),
                "written_at": written_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "source": db.name,
                "partitioned_by": list(PARTITIONS),
                "tables": tables,
            }
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            _fsync(tmp / MANIFEST)
            final = versions / f"{written_at:%Y%m%dT%H%M%S%fZ}-{manifest['data_version'][:12]}"
            tmp.rename(final)
            link = out.with_name(f".{out.name}.link-{uuid.uuid4().hex}")
            os.symlink(os.path.relpath(final, out.parent), link)
            os.replace(link, out)  # the one step readers see: old snapshot, then new
            _fsync(out.parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        keep = {final.name, Path(previous).name if previous else None, ".lock"}
        for old in versions.iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
    return manifest
