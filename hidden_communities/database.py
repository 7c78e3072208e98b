"""Build and open the DuckDB file: schema, reference tables, demonstration records.

The build writes to a temporary file and renames it into place as the one writer (see
access.py), so a reader never sees a half-built database and two first runs build it once.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import pandas as pd

from . import access, demo, national_demo, settings, staged_checks
from .loading import frame_sha256, load_validated
from .schema import create_macros, create_schema, upgrade_schema
from .settings import REFERENCE_DIR

Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _text: str) -> None:
    pass


def read_reference(reference_dir: Path = REFERENCE_DIR) -> dict[str, pd.DataFrame]:
    """The committed derived tables (see data/README.md), as DataFrames."""
    text = {"dtype": str, "keep_default_na": False}
    areas = pd.read_csv(reference_dir / "areas.csv", **text)
    for col in ("label_lon", "label_lat"):
        areas[col] = areas[col].astype(float)
    for col in ("msoa_code", "ward_code", "rural_urban"):
        areas[col] = areas[col].replace("", None)
    population = pd.read_csv(reference_dir / "population.csv", dtype={"area_code": str})
    measures = pd.read_csv(reference_dir / "measures.csv")
    towns = pd.read_csv(reference_dir / "towns.csv")
    calibration = pd.read_csv(reference_dir / "police_uk_calibration.csv")
    districts = pd.read_csv(reference_dir / "districts.csv", dtype=str, keep_default_na=False)
    for col in ("label_lon", "label_lat"):
        districts[col] = districts[col].astype(float)
    district_population = pd.read_csv(
        reference_dir / "district_population.csv", dtype={"area_code": str}
    ).rename(columns={"area_code": "district_code"})
    return {
        "districts": districts,
        "district_population": district_population,
        "areas": areas,
        "population": population,
        "measures": measures,
        "towns": towns,
        "calibration": calibration,
    }


def load_reference(
    con: duckdb.DuckDBPyConnection, ref: dict[str, pd.DataFrame], *, with_districts: bool = True
) -> None:
    """The reference tables; `with_districts=False` leaves out the national districts (the
    tests that build a database as code before schema version 5 left it)."""
    _insert(con, ref, ("areas", "measures", "population", "towns"))
    if with_districts:
        load_districts(con, ref)


def load_districts(con: duckdb.DuckDBPyConnection, ref: dict[str, pd.DataFrame]) -> None:
    """Every district of England and Wales and its baselines (schema version 5)."""
    _insert(con, ref, ("districts", "district_population"))


def _insert(con: duckdb.DuckDBPyConnection, ref: dict[str, pd.DataFrame], tables) -> None:
    for table in tables:
        frame = ref[table]
        con.register("incoming", frame)
        columns = ", ".join(frame.columns)
        # Table and column names come from this code and the committed reference headers.
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")  # noqa: S608
        con.unregister("incoming")


def load_demonstration(
    con: duckdb.DuckDBPyConnection,
    ref: dict[str, pd.DataFrame],
    cfg: demo.DemoConfig,
    progress: Progress = _quiet,
) -> None:
    """Generate the demonstration records and load them through the import's checks (in
    DuckDB, as a file's are: staged_checks.py)."""
    progress(0.3, "Generating demonstration records (fixed seed)")
    data = demo.generate(ref["areas"], ref["population"], ref["towns"], ref["calibration"], cfg)
    label = f"demonstration data, seed {cfg.seed}, scale {cfg.scale:g}"
    first_import = None
    for step, (kind, frame) in enumerate((("contacts", data.contacts), ("reports", data.reports))):
        progress(0.4 + 0.25 * step, f"Validating and loading {len(frame):,} demonstration {kind}")
        result = staged_checks.check_frame(frame, kind, ref["areas"])
        if not result.ok:
            raise RuntimeError(
                f"demonstration {kind} failed validation: {result.file_errors} "
                f"{result.problems.head(5).to_dict('records')}"
            )
        loaded = load_validated(
            con,
            result,
            file_name=f"{label} ({kind})",
            file_sha256=frame_sha256(frame),
            loaded_by="demonstration generator",
            import_kind="demonstration",
            is_demonstration=True,
        )
        first_import = first_import or loaded.import_id
    events = data.events.assign(import_id=first_import)
    con.register("incoming", events)
    con.execute(
        "INSERT INTO campaign_events SELECT CAST(event_date AS DATE), CAST(kind AS event_kind),"
        " title, description, CAST(communities AS community[]), import_id FROM incoming"
    )
    con.unregister("incoming")


def build_database(
    path: Path,
    *,
    demo_data: bool = True,
    seed: int | None = None,
    scale: float | None = None,
    progress: Progress = _quiet,
    reference_dir: Path = REFERENCE_DIR,
    wait: float | None = None,
    national: bool = False,
) -> Path:
    """Build a complete database file at `path` (replacing any file there), with the
    demonstration records of `seed` and `scale` (by default HC_DEMO_SEED and HC_DEMO_SCALE,
    so the build a first run makes honours them as `build-db` does). `national`: the
    national-shaped demonstration (national_demo.py: records in every district of England
    and Wales) instead of the district's.

    The file is built beside it with no lock held, then renamed into place as the one
    writer (see access.py), so a reader opens either the old file or the new one."""
    path = Path(path)
    seed = settings.demo_seed() if seed is None else seed
    scale = settings.demo_scale() if scale is None else scale
    if demo_data and not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"the demonstration's scale must be a number above 0, not {scale}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    tmp.unlink(missing_ok=True)
    progress(0.05, "Creating the schema")
    con = duckdb.connect(str(tmp))
    try:
        create_schema(con)
        progress(0.15, "Loading Census 2021 baselines and boundaries")
        ref = read_reference(reference_dir)
        load_reference(con, ref)
        if demo_data and national:
            national_demo.load(con, ref, national_demo.NationalConfig(seed, scale), progress)
        elif demo_data:
            cfg = replace(demo.DemoConfig(), seed=seed, scale=scale)
            load_demonstration(con, ref, cfg, progress)
        con.execute("CHECKPOINT")
        con.close()
        with access.locked(path, wait=wait):
            # A log left by a crashed writer belongs to the old file: DuckDB must not
            # replay it into the new one.
            access.wal_path(path).unlink(missing_ok=True)
            os.replace(tmp, path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        access.wal_path(tmp).unlink(missing_ok=True)
        raise
    progress(1.0, "Database ready")
    return path


def ensure_database(
    path: Path, progress: Progress = _quiet, *, wait: float | None = None, **build_args
) -> Path:
    """Open an existing database at once; build it first when there is none (as the one
    writer, so two first runs build it once)."""
    path = Path(path)
    if not path.exists():
        with access.locked(path, wait=wait):
            if not path.exists():  # another process may have built it while we waited
                build_database(path, progress=progress, **build_args)
    return path


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        upgrade_schema(con)  # a database built by older code is migrated once
        create_macros(con)
    return con
