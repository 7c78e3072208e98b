"""Short-lived DuckDB connections, so the dashboard, the import command and a second import
can share one database file.

DuckDB lets one process hold a file read-write, or any number of processes hold it
read-only, never both. So nothing here keeps a connection: `reading(path)` and
`writing(path)` open one for a single piece of work and close it afterwards.

- Writers queue on `<db>.lock`: an exclusive `flock` taken by every writer of this code, in
  every process, with a lock per process in front of it for the threads of one server.
  A writer holds it only for its load (the import command checks the file first).
- Readers open the file read-only. While a writer holds `<db>.lock` they wait for it
  rather than opening, so a steady stream of page reads cannot starve a load.
- Whoever finds DuckDB's own file lock taken (a reader mid-query, or a program outside this
  code) tries again after a pause that doubles each time, with jitter. Every wait shares
  one deadline, `settings.LOCK_WAIT_S` unless given; past it `DatabaseBusy` is raised and
  nothing was read or written.
- Closing the writer's connection checkpoints the write-ahead log into the file while the
  lock is still held, so readers find one complete file and no log to replay.
- `data_version(path)` changes whenever the data may have changed, and is read without
  opening the database: the token each writer leaves in `<db>.lock`, with the size and
  modification time of the file and of its log. While a writer is at work the version it
  returns is the one from before, so cached pages keep showing the data as it was until
  the load commits.

- `held_open(path)` keeps one read-only connection open on a thread for a block (a page's
  run): opening the file costs 40 to 100 ms on DuckDB 2, and with one connection open
  every other read of the process opens from DuckDB's instance at once. It is let go at
  the end of the block, before a write on the same thread, and as soon as a read finds a
  writer of another process holding `<db>.lock`, so it never keeps a load waiting longer
  than the run it is in.

A Parquet snapshot (a folder written by `export-parquet`, or a URL) is a location too:
`reading` gives a cursor on one in-memory DuckDB per process with views over the snapshot
(snapshots.py), kept until the snapshot is replaced; `data_version` is the manifest's;
`writing` and `locked` refuse with `ReadOnlySnapshot`. Callers pass the location as text
when it may be a URL.

POSIX only (`fcntl`).
"""

from __future__ import annotations

import fcntl
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import settings, snapshots
from .schema import create_macros, upgrade_schema

# Pauses between tries: from 5 ms, doubling, at most a quarter of a second, with jitter.
FIRST_PAUSE_S = 0.005
LONGEST_PAUSE_S = 0.25


class DatabaseBusy(RuntimeError):
    """Another load kept the database for longer than the allowed wait; nothing was read
    or written. The message is one plain sentence."""

    def __init__(self, db: Path, wait: float) -> None:
        self.db, self.wait = Path(db), wait
        super().__init__(
            f"the database {self.db.name} is busy: another load kept it for more than {wait:g} s"
        )


class ReadOnlySnapshot(RuntimeError):
    """A write to a Parquet snapshot: snapshots are read-only, nothing was written."""

    def __init__(self, location) -> None:
        self.location = str(location)
        super().__init__(
            f"{self.location} is a read-only Parquet snapshot: load, undo and log records in "
            "the database it is exported from"
        )


def read_only(db) -> bool:
    """Whether a location is a Parquet snapshot, which is served read-only."""
    return snapshots.is_snapshot(db)


def lock_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".lock")


def wal_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".wal")


class _Deadline:
    """One total wait, shared by every step of one read or write."""

    def __init__(self, db: Path, wait: float | None) -> None:
        self.db = Path(db)
        self.wait = settings.LOCK_WAIT_S if wait is None else max(float(wait), 0.0)
        self.end = time.monotonic() + self.wait
        self.tries = 0

    def busy(self) -> DatabaseBusy:
        return DatabaseBusy(self.db, self.wait)

    def pause(self) -> None:
        """Sleep before the next try, or raise DatabaseBusy when the time is up."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.busy()
        ceiling = min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2**self.tries)
        self.tries += 1
        time.sleep(min(left, random.uniform(ceiling / 2, ceiling)))

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.0)


class _ProcessLock:
    """Readers share, a writer is alone, and a waiting writer stops new readers: the
    threads of one process (a streamlit server) in front of the lock file."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    def acquire_read(self, deadline: _Deadline, before_waiting=None) -> None:
        with self._cond:
            while self._writer or self._writers_waiting:
                if deadline.left() <= 0:
                    raise deadline.busy()
                if before_waiting is not None:
                    before_waiting()  # a held connection would keep the writer out
                self._cond.wait(deadline.left())
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    def acquire_write(self, deadline: _Deadline) -> None:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    if deadline.left() <= 0:
                        raise deadline.busy()
                    self._cond.wait(deadline.left())
                self._writer = True
            finally:
                self._writers_waiting -= 1
                if not self._writer:
                    self._cond.notify_all()  # gave up: let the readers it held back in

    def release_write(self) -> None:
        with self._cond:
            self._writer = False
            self._cond.notify_all()


_LOCKS: dict[str, _ProcessLock] = {}
_LOCKS_GUARD = threading.Lock()
_LAST_VERSION: dict[str, str] = {}
_THREAD = threading.local()


def _key(db: Path) -> str:
    return os.path.realpath(db)


def _process_lock(key: str) -> _ProcessLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, _ProcessLock())


def _mine(name: str) -> dict:
    """This thread's record of what it holds (name: 'locked', 'writing', 'reading' or
    'held')."""
    found = getattr(_THREAD, name, None)
    if found is None:
        found = {}
        setattr(_THREAD, name, found)
    return found


def _try_flock(fd: int, operation: int) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _open_lock_file_to_read(db: Path) -> int | None:
    """The lock file, if a writer ever made it and we may read it."""
    try:
        return os.open(lock_path(db), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


def _let_go(key: str) -> None:
    """Close this thread's held connection to the file, if it has one (see held_open); a
    later read in the block opens it again."""
    holds = _mine("held")
    con = holds.get(key)
    if con is not None:
        holds[key] = None
        con.close()


@contextmanager
def held_open(db) -> Iterator[None]:
    """Keep a read-only connection to the database open on this thread for the block, so
    each read in it opens its own from DuckDB's instance already open (see the module's
    docstring). Opened by the block's first read; nothing on a Parquet snapshot."""
    if read_only(db):
        yield
        return
    key = _key(db)
    holds = _mine("held")
    if key in holds:  # held already, by an enclosing block
        yield
        return
    holds[key] = None
    try:
        yield
    finally:
        _let_go(key)
        del holds[key]


def _hold(db: Path, key: str) -> None:
    """Open this thread's held connection, when a held_open block wants one (called while
    a read's own connection is open, so it opens from the same instance)."""
    holds = _mine("held")
    if key in holds and holds[key] is None:
        holds[key] = duckdb.connect(str(db), read_only=True)


@contextmanager
def _locked(db: Path, deadline: _Deadline) -> Iterator[None]:
    key = _key(db)
    _let_go(key)  # a write on a thread holding a read connection: let it go first
    held = _mine("locked")
    if key in held:  # this thread holds it already (building inside ensure_database)
        yield
        return
    if _mine("reading").get(key):
        raise RuntimeError("cannot start writing while this thread is reading the database")
    process_lock = _process_lock(key)
    process_lock.acquire_write(deadline)
    try:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            while not _try_flock(fd, fcntl.LOCK_EX):
                deadline.pause()
            held[key] = True
            try:
                yield
            finally:
                del held[key]
                # A new token on every release: readers look again, even when the file's
                # size and time happen to match the last ones.
                os.ftruncate(fd, 0)
                os.pwrite(fd, uuid.uuid4().hex.encode(), 0)
        finally:
            os.close(fd)  # releases the flock
    finally:
        process_lock.release_write()


@contextmanager
def locked(db: Path, *, wait: float | None = None) -> Iterator[None]:
    """Be the one writer of the database without opening it (to build or replace the file)."""
    if read_only(db):
        raise ReadOnlySnapshot(db)
    with _locked(Path(db), _Deadline(db, wait)):
        yield


def _is_lock_conflict(error: duckdb.Error) -> bool:
    text = str(error)
    return "Could not set lock" in text or "different configuration" in text


def _connect(db: Path, *, read_only: bool, deadline: _Deadline) -> duckdb.DuckDBPyConnection:
    while True:
        try:
            return duckdb.connect(str(db), read_only=read_only)
        except (duckdb.IOException, duckdb.ConnectionException) as error:
            if not _is_lock_conflict(error):
                raise
        deadline.pause()


@contextmanager
def writing(db: Path, *, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one write, as the one writer; closed (and the log
    checkpointed into the file) before the lock is let go. Inside, `reading` on the same
    thread reads through this connection."""
    if read_only(db):
        raise ReadOnlySnapshot(db)
    db = Path(db)
    key = _key(db)
    writers = _mine("writing")
    if key in writers:
        yield writers[key]
        return
    deadline = _Deadline(db, wait)
    with _locked(db, deadline):
        con = _connect(db, read_only=False, deadline=deadline)
        try:
            upgrade_schema(con)  # a database built by older code is migrated, once
            create_macros(con)  # the code's version of the filter macros, on every write
            writers[key] = con
            yield con
        finally:
            writers.pop(key, None)
            con.close()


def _wait_for_writer(db: Path, deadline: _Deadline) -> None:
    fd = _open_lock_file_to_read(db)
    if fd is None:
        return
    try:
        while not _try_flock(fd, fcntl.LOCK_SH):
            _let_go(_key(db))  # the writer cannot open the file while it is held open
            deadline.pause()
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def reading(db: Path, *, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one read, closed afterwards. Waits while a writer works.
    On a Parquet snapshot, a cursor on the process's connection to it (nothing to wait for:
    a snapshot is replaced in one rename)."""
    if read_only(db):
        cursor = _snapshot_connection(str(db)).cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    db = Path(db)
    key = _key(db)
    writer = _mine("writing").get(key)
    if writer is not None:
        cursor = writer.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
        return
    if key in _mine("locked"):
        raise RuntimeError("cannot read through a new connection while this thread holds the lock")
    deadline = _Deadline(db, wait)
    readers = _mine("reading")
    depth = readers.get(key, 0)
    process_lock = _process_lock(key)
    if not depth:
        process_lock.acquire_read(deadline, before_waiting=lambda: _let_go(key))
    readers[key] = depth + 1
    try:
        if not depth:
            _wait_for_writer(db, deadline)
        con = _connect(db, read_only=True, deadline=deadline)
        try:
            _hold(db, key)
            yield con
        finally:
            con.close()
    finally:
        if depth:
            readers[key] = depth
        else:
            del readers[key]
            process_lock.release_read()


def _file_state(path: Path) -> str:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return "-"
    return f"{found.st_ino}:{found.st_size}:{found.st_mtime_ns}"


_SNAPSHOTS: dict[str, tuple[str, duckdb.DuckDBPyConnection]] = {}
_SNAPSHOTS_GUARD = threading.Lock()


def _snapshot_connection(location: str) -> duckdb.DuckDBPyConnection:
    """One in-memory connection per snapshot location and process, opened again when the
    snapshot there has been replaced. The one it replaces is dropped, not closed: a query
    still running on a cursor of it finishes (the export keeps the folder it reads)."""
    resolved, manifest = snapshots.current(location)
    identity = f"{resolved}|{manifest['data_version']}"
    with _SNAPSHOTS_GUARD:
        found = _SNAPSHOTS.get(location)
        if found is None or found[0] != identity:
            found = (identity, snapshots.open_snapshot(resolved, manifest))
            _SNAPSHOTS[location] = found
        return found[1]


def data_version(db: Path) -> str:
    """A cheap text that changes whenever the data may have changed, for keying cached
    query results. It does not open the database, and never waits. A snapshot's is the
    data version in its manifest."""
    if read_only(db):
        return snapshots.data_version(db)
    db = Path(db)
    key = _key(db)
    fd = _open_lock_file_to_read(db)
    if fd is None:  # no writer of this code has touched it yet: the files say it all
        _LAST_VERSION[key] = f"|{_file_state(db)}|{_file_state(wal_path(db))}"
        return _LAST_VERSION[key]
    try:
        if _try_flock(fd, fcntl.LOCK_SH):
            try:
                token = os.pread(fd, 64, 0).decode("ascii", "replace")
                version = f"{token}|{_file_state(db)}|{_file_state(wal_path(db))}"
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            _LAST_VERSION[key] = version
            return version
    finally:
        os.close(fd)
    # A writer is at work and its changes are not committed yet (a large load writes to
    # the file before it commits): what readers saw last is still what they would read.
    return _LAST_VERSION.get(key) or f"writing|{_file_state(db)}|{_file_state(wal_path(db))}"
