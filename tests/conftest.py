"""Shared fixtures: databases built in code into tmp paths, from fixed seeds."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from hidden_communities import database
from hidden_communities.loading import frame_sha256, load_validated
from hidden_communities.schema import create_schema
from hidden_communities.validation import validate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def reference() -> dict[str, pd.DataFrame]:
    return database.read_reference()


@pytest.fixture(scope="session")
def areas(reference) -> pd.DataFrame:
    return reference["areas"]


def empty_database(path: Path, reference: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """Schema and real reference tables, no records."""
    con = duckdb.connect(str(path))
    create_schema(con)
    database.load_reference(con, reference)
    return con


@pytest.fixture
def con(tmp_path, reference):
    connection = empty_database(tmp_path / "test.duckdb", reference)
    yield connection
    connection.close()


def load_frame(con, frame: pd.DataFrame, kind: str, areas: pd.DataFrame, name: str = "fixture"):
    """Validate and load a frame of text cells exactly as an import would."""
    result = validate(frame, kind, areas)
    assert result.ok, (result.file_errors, result.problems.to_dict("records"))
    return load_validated(
        con, result, file_name=name, file_sha256=frame_sha256(frame), loaded_by="pytest"
    )


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A small fixed-seed demonstration database (a tenth of the real volume)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    database.build_database(path, seed=7, scale=0.1)
    return path
