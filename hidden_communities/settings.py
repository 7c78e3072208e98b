"""Paths and settings, read once from the environment with sensible defaults.

Everything a deployment may change is here, so nothing else reads the environment.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"

# The raw published files the reference build reads (not needed at run time).
RAW_REFERENCE_DIR = Path(
    os.environ.get("HC_RAW_REFERENCE_DIR", PROJECT_ROOT.parent / "shared" / "reference-data")
)

# The embedded DuckDB file. Built on first run, never committed.
DEFAULT_DB_PATH = DATA_DIR / "hidden_communities.duckdb"


def db_path() -> Path:
    return Path(os.environ.get("HC_DB_PATH", DEFAULT_DB_PATH))


def parquet_dir() -> str | None:
    """A Parquet snapshot to serve read-only instead of the database file (a folder written
    by `export-parquet`, or a URL such as s3://bucket/prefix that DuckDB can read), or None.
    Kept as text: a URL must not pass through Path, which would fold its '//'."""
    return os.environ.get("HC_PARQUET_DIR") or None


# Demonstration data: the seed and size of the generated records, for `build-db` and for
# the build a first run makes (read when it is made, like the database's path).
def demo_seed() -> int:
    return int(os.environ.get("HC_DEMO_SEED", "20210412"))


def demo_scale() -> float:
    """HC_DEMO_SCALE, or NaN when it is not a number (the build then says so in a sentence
    instead of every command failing on import)."""
    try:
        return float(os.environ.get("HC_DEMO_SCALE", "1.0"))
    except ValueError:
        return math.nan


DEMO_SEED = demo_seed()
DEMO_SCALE = demo_scale()

# Largest upload the Data page and the command line accept, in megabytes.
MAX_UPLOAD_MB = float(os.environ.get("HC_MAX_UPLOAD_MB", "50"))
MAX_IMPORT_ROWS = int(os.environ.get("HC_MAX_IMPORT_ROWS", "2000000"))

# How long a read or a write waits for another process's load to finish before giving up
# with a plain message (the import command then exits with status 4), in seconds.
LOCK_WAIT_S = float(os.environ.get("HC_LOCK_WAIT_S", "30"))

# A deployment locked to one audience: HC_AUDIENCE=public serves the public audience's
# published views only (a kiosk in a community hall), whatever a link asks for.
AUDIENCES = ("inspector", "leadership", "public")


def locked_audience() -> str | None:
    """The audience HC_AUDIENCE locks the deployment to, or None when it is not set. A value
    that names no audience locks to the public, the safe side of a mistyped setting."""
    value = os.environ.get("HC_AUDIENCE", "").strip().lower()
    if not value:
        return None
    return value if value in AUDIENCES else "public"
